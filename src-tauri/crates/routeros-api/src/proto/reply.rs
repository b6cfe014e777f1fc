//! Reply sentences as the router sends them: `!re`, `!done`, `!trap`, `!fatal`, `!empty`.

use bytes::Bytes;

use super::sentence::Sentence;
use super::word::split_attribute;
use super::ProtoError;

/// The reply word of a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyKind {
    /// `!re`: one data row.
    Re,
    /// `!done`: the last reply of a command; may carry `=ret=`.
    Done,
    /// `!trap`: an error; always followed by `!done`.
    Trap,
    /// `!fatal`: the router closes the connection; not followed by `!done`.
    Fatal,
    /// `!empty` (RouterOS 7.18+): the command has no data; `!done` follows.
    Empty,
    /// A reply word this client does not know; kept so that callers can log it.
    Unknown(Bytes),
}

/// A parsed reply sentence. Attribute order is kept as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The reply word.
    pub kind: ReplyKind,
    /// The `.tag` value, if the sentence carried one.
    pub tag: Option<Bytes>,
    /// `=key=value` words, and API attributes other than `.tag` (with their leading `.`).
    pub attributes: Vec<(Bytes, Bytes)>,
    /// Words that are neither attributes nor API attributes (the reason of `!fatal`).
    pub bare: Vec<Bytes>,
}

impl Reply {
    /// Parses a reply sentence; fails only if it does not start with a `!` word.
    pub fn parse(sentence: Sentence) -> Result<Reply, ProtoError> {
        let mut words = sentence.into_words().into_iter();
        let first = words.next().ok_or(ProtoError::NotAReply)?;
        let kind = match first.as_ref() {
            b"!re" => ReplyKind::Re,
            b"!done" => ReplyKind::Done,
            b"!trap" => ReplyKind::Trap,
            b"!fatal" => ReplyKind::Fatal,
            b"!empty" => ReplyKind::Empty,
            w if w.first() == Some(&b'!') => ReplyKind::Unknown(first.clone()),
            _ => return Err(ProtoError::NotAReply),
        };
        let mut reply = Reply {
            kind,
            tag: None,
            attributes: Vec::with_capacity(words.len()),
            bare: Vec::new(),
        };
        for word in words {
            match word.first() {
                Some(b'=') => {
                    let (k, v) = split_attribute(&word[1..]);
                    let (kl, vl) = (k.len(), v.len());
                    // Slice the shared buffer instead of copying.
                    let key = word.slice(1..1 + kl);
                    let value = word.slice(word.len() - vl..);
                    reply.attributes.push((key, value));
                }
                Some(b'.') if word.starts_with(b".tag=") => reply.tag = Some(word.slice(5..)),
                Some(b'.') => {
                    let (k, v) = split_attribute(&word);
                    let (kl, vl) = (k.len(), v.len());
                    reply
                        .attributes
                        .push((word.slice(..kl), word.slice(word.len() - vl..)));
                }
                _ => reply.bare.push(word),
            }
        }
        Ok(reply)
    }

    /// The raw value of an attribute.
    pub fn get(&self, key: &str) -> Option<&Bytes> {
        self.attributes
            .iter()
            .find(|(k, _)| k.as_ref() == key.as_bytes())
            .map(|(_, v)| v)
    }

    /// The human-readable message of a `!trap` or `!fatal`.
    ///
    /// `!trap` carries `=message=`; `!fatal` carries a bare reason word.
    pub fn message(&self) -> Option<&Bytes> {
        self.get("message").or_else(|| self.bare.first())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(words: &[&str]) -> Reply {
        Reply::parse(Sentence::from_words(words)).expect("reply")
    }

    #[test]
    fn trap_with_category_message_and_tag() {
        let r = parse(&[
            "!trap",
            "=category=1",
            "=message=input does not match",
            ".tag=5",
        ]);
        assert_eq!(r.kind, ReplyKind::Trap);
        assert_eq!(r.tag.as_deref(), Some(&b"5"[..]));
        assert_eq!(r.get("category").map(|b| b.as_ref()), Some(&b"1"[..]));
        assert_eq!(
            r.message().map(|b| b.as_ref()),
            Some(&b"input does not match"[..])
        );
    }

    #[test]
    fn fatal_reason_is_a_bare_word() {
        let r = parse(&["!fatal", "session terminated on request"]);
        assert_eq!(r.kind, ReplyKind::Fatal);
        assert_eq!(
            r.message().map(|b| b.as_ref()),
            Some(&b"session terminated on request"[..])
        );
    }

    #[test]
    fn empty_and_unknown_reply_words_parse() {
        assert_eq!(parse(&["!empty", ".tag=5"]).kind, ReplyKind::Empty);
        assert!(matches!(parse(&["!future"]).kind, ReplyKind::Unknown(_)));
        assert!(Reply::parse(Sentence::from_words(["=x=1"])).is_err());
    }

    #[test]
    fn id_and_dead_markers_are_attributes() {
        let r = parse(&["!re", "=.id=*68", "=.dead=yes", ".section=2"]);
        assert_eq!(r.get(".id").map(|b| b.as_ref()), Some(&b"*68"[..]));
        assert_eq!(r.get(".dead").map(|b| b.as_ref()), Some(&b"yes"[..]));
        assert_eq!(r.get(".section").map(|b| b.as_ref()), Some(&b"2"[..]));
    }
}
