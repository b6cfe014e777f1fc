//! Sans-IO RouterOS API protocol: length prefixes, words, sentences and replies.
//!
//! Nothing here touches a socket. The functions take and return bytes so that the codec, the
//! simulator and the fuzz target all share one implementation.

pub mod length;
pub mod reply;
pub mod sentence;
pub mod word;

pub use length::{decode_length, encode_length, encoded_len, LengthError, MAX_WORD_LEN};
pub use reply::{Reply, ReplyKind};
pub use sentence::{Sentence, SentenceDecoder};
pub use word::{split_attribute, Word};

/// Why a byte stream is not a valid RouterOS API stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtoError {
    /// The first byte of a length prefix was a reserved control byte (`>= 0xF8`).
    #[error("reserved control byte {0:#04x} in length prefix")]
    ControlByte(u8),
    /// A word is longer than the configured limit.
    #[error("word of {len} bytes exceeds the limit of {max} bytes")]
    WordTooLong { len: u64, max: u64 },
    /// A sentence is larger than the configured limit.
    #[error("sentence exceeds the limit of {max} bytes")]
    SentenceTooLong { max: u64 },
    /// A reply sentence does not start with a `!` reply word.
    #[error("reply sentence does not start with a reply word")]
    NotAReply,
}
