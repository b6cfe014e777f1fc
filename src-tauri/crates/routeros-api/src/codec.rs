//! `tokio_util` codec framing sentences; shared by the client and the simulator.

use bytes::BytesMut;
use tokio_util::codec::{Decoder, Encoder};

use crate::proto::{ProtoError, Sentence, SentenceDecoder};

/// Frames a byte stream into [`Sentence`]s; empty sentences are skipped.
#[derive(Debug, Default)]
pub struct SentenceCodec {
    decoder: SentenceDecoder,
}

impl SentenceCodec {
    /// A codec with explicit limits for one word and one sentence (bytes).
    pub fn with_limits(max_word: u32, max_sentence: u64) -> Self {
        Self {
            decoder: SentenceDecoder::with_limits(max_word, max_sentence),
        }
    }
}

/// Error of the codec: either the stream or the framing failed.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// Reading or writing the socket failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The peer sent something that is not the RouterOS API protocol.
    #[error(transparent)]
    Protocol(#[from] ProtoError),
}

impl Decoder for SentenceCodec {
    type Item = Sentence;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Sentence>, CodecError> {
        Ok(self.decoder.decode(src)?)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Sentence>, CodecError> {
        match self.decode(src)? {
            Some(s) => Ok(Some(s)),
            None if src.is_empty() && !self.decoder.has_partial() => Ok(None),
            None => Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed in the middle of a sentence",
            )
            .into()),
        }
    }
}

impl Encoder<Sentence> for SentenceCodec {
    type Error = CodecError;

    fn encode(&mut self, item: Sentence, dst: &mut BytesMut) -> Result<(), CodecError> {
        dst.reserve(item.encoded_len());
        item.encode(dst);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eof_inside_a_sentence_is_an_error_and_clean_eof_is_not() {
        let mut codec = SentenceCodec::default();
        let mut buf = BytesMut::from(&b"\x03!re\x05=a=bc"[..]);
        assert!(codec.decode(&mut buf).expect("valid").is_none());
        assert!(codec.decode_eof(&mut buf).is_err());
        let mut codec = SentenceCodec::default();
        let mut empty = BytesMut::new();
        assert!(codec.decode_eof(&mut empty).expect("clean eof").is_none());
    }
}
