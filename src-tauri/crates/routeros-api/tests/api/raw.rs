//! A minimal wire-level client for checking the simulator's exact sentences.

use bytes::BytesMut;
use routeros_api::proto::{sentence::encode_words, SentenceDecoder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Raw {
    tcp: TcpStream,
    buf: BytesMut,
    dec: SentenceDecoder,
}

impl Raw {
    pub async fn connect(addr: std::net::SocketAddr) -> Raw {
        let tcp = TcpStream::connect(addr).await.expect("tcp connect");
        Raw {
            tcp,
            buf: BytesMut::new(),
            dec: SentenceDecoder::default(),
        }
    }

    /// Connects and logs in as admin with the empty password.
    pub async fn login(addr: std::net::SocketAddr) -> Raw {
        let mut r = Raw::connect(addr).await;
        r.send(&["/login", "=name=admin", "=password="]).await;
        assert_eq!(r.recv().await, ["!done"]);
        r
    }

    pub async fn send(&mut self, words: &[&str]) {
        let mut out = BytesMut::new();
        encode_words(words, &mut out);
        self.tcp.write_all(&out).await.expect("write");
    }

    /// The next sentence as text words; `["<closed>"]` if the peer closed.
    pub async fn recv(&mut self) -> Vec<String> {
        loop {
            if let Some(s) = self.dec.decode(&mut self.buf).expect("valid sentence") {
                return s
                    .words()
                    .iter()
                    .map(|w| String::from_utf8_lossy(w).into_owned())
                    .collect();
            }
            let n = tokio::time::timeout(
                std::time::Duration::from_secs(5),
                self.tcp.read_buf(&mut self.buf),
            )
            .await
            .expect("reply within 5 s")
            .expect("read");
            if n == 0 {
                return vec!["<closed>".to_owned()];
            }
        }
    }

    /// Sentences up to and including the `!done` carrying `done_tag` (or any `!done`).
    pub async fn until_done(&mut self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        loop {
            let s = self.recv().await;
            let end = s[0] == "!done" || s[0] == "<closed>";
            out.push(s);
            if end {
                return out;
            }
        }
    }
}
