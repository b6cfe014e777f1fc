//! Login: the 6.43+ plain method, falling back to the legacy MD5 challenge.

use bytes::{Bytes, BytesMut};
use md5::{Digest, Md5};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::connection::BoxStream;
use crate::encoding::Encoding;
use crate::error::{Error, ErrorKind};
use crate::proto::{sentence::encode_words, Reply, ReplyKind, SentenceDecoder};

/// The legacy response: `00` + hex(MD5(0x00 ‖ password ‖ unhex(challenge))).
pub fn challenge_response(password: &[u8], challenge_hex: &str) -> Result<String, Error> {
    let challenge = hex::decode(challenge_hex.trim())
        .map_err(|_| Error::protocol("login challenge is not hexadecimal"))?;
    let mut md5 = Md5::new();
    md5.update([0u8]);
    md5.update(password);
    md5.update(&challenge);
    Ok(format!("00{}", hex::encode(md5.finalize())))
}

/// Reads replies until `!done`, returning the `ret` of `!done` or the login error.
async fn read_login_reply(
    stream: &mut BoxStream,
    buf: &mut BytesMut,
    dec: &mut SentenceDecoder,
    enc: Encoding,
) -> Result<Option<String>, Error> {
    let mut trap: Option<String> = None;
    loop {
        let sentence = loop {
            if let Some(s) = dec
                .decode(buf)
                .map_err(|e| Error::protocol(e.to_string()))?
            {
                break s;
            }
            let n = stream
                .read_buf(buf)
                .await
                .map_err(|e| Error::io("reading the login reply", e))?;
            if n == 0 {
                return Err(Error::new(ErrorKind::Io)
                    .with_detail("the router closed the connection during login"));
            }
        };
        let reply = Reply::parse(sentence).map_err(|e| Error::protocol(e.to_string()))?;
        let text = |b: Option<&Bytes>| b.map(|m| enc.decode(m).into_owned()).unwrap_or_default();
        match reply.kind {
            ReplyKind::Trap => {
                trap.get_or_insert_with(|| text(reply.message()));
            }
            ReplyKind::Fatal => return Err(Error::new(ErrorKind::Login(text(reply.message())))),
            ReplyKind::Done => {
                if let Some(m) = trap {
                    return Err(Error::new(ErrorKind::Login(m)));
                }
                return Ok(reply.get("ret").map(|r| enc.decode(r).into_owned()));
            }
            _ => {}
        }
    }
}

async fn send(stream: &mut BoxStream, words: &[&[u8]]) -> Result<(), Error> {
    let mut out = BytesMut::new();
    encode_words(words, &mut out);
    stream
        .write_all(&out)
        .await
        .map_err(|e| Error::io("sending login", e))?;
    stream
        .flush()
        .await
        .map_err(|e| Error::io("sending login", e))
}

fn attr(key: &str, value: &[u8]) -> Vec<u8> {
    let mut w = Vec::with_capacity(key.len() + value.len() + 2);
    w.push(b'=');
    w.extend_from_slice(key.as_bytes());
    w.push(b'=');
    w.extend_from_slice(value);
    w
}

/// Logs in on a fresh stream. Returns bytes read past the final `!done` (normally none).
pub(crate) async fn login(
    stream: &mut BoxStream,
    username: &str,
    password: &str,
    enc: Encoding,
) -> Result<BytesMut, Error> {
    let to_bytes = |s: &str| {
        enc.encode(s)
            .map(|c| c.into_owned())
            .map_err(|e| Error::new(ErrorKind::Encoding).with_detail(e.to_string()))
    };
    let name = attr("name", &to_bytes(username)?);
    let pass = to_bytes(password)?;
    let mut buf = BytesMut::with_capacity(4096);
    let mut dec = SentenceDecoder::default();
    send(stream, &[b"/login", &name, &attr("password", &pass)]).await?;
    let ret = read_login_reply(stream, &mut buf, &mut dec, enc).await?;
    if let Some(challenge) = ret {
        // A router older than 6.43 ignored the password and sent a challenge.
        let response = challenge_response(&pass, &challenge)?;
        send(
            stream,
            &[b"/login", &name, &attr("response", response.as_bytes())],
        )
        .await?;
        read_login_reply(stream, &mut buf, &mut dec, enc).await?;
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_responses_match_documented_vectors() {
        let cases = [
            (
                "",
                "93b438ec9b80057c06dd9fe67d56aa9a",
                "00e134102a9d330dd7b1849fedfea3cb57",
            ),
            (
                "",
                "856780b7411eefd3abadee2058c149a3",
                "005062f7a5ef124d34675bf3e81f56c556",
            ),
            ("passTest", "abc123", "0021277bff9ac7caf06aa608e46616d47f"),
        ];
        for (pw, ch, want) in cases {
            assert_eq!(challenge_response(pw.as_bytes(), ch).expect("hex"), want);
        }
        assert!(challenge_response(b"", "zz").is_err());
    }
}
