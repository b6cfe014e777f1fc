//! Classifying words: commands, attributes, API attributes, queries and reply words.
//!
//! Words are bytes. Values may contain `=` (the split happens at the second `=` only) and may be
//! empty. Words that fit no kind are kept as [`Word::Other`] instead of failing, because a
//! `!fatal` reason is a bare word.

/// A borrowed, classified word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word<'a> {
    /// `/ip/hotspot/user/add`: the first word of a request.
    Command(&'a [u8]),
    /// `!re`, `!done`, `!trap`, `!fatal`, `!empty`: the first word of a reply.
    Reply(&'a [u8]),
    /// `=name=value`.
    Attribute { key: &'a [u8], value: &'a [u8] },
    /// `.tag=value` and other API attributes.
    ApiAttribute { key: &'a [u8], value: &'a [u8] },
    /// `?name=x`, `?-name`, `?#|` …, without the leading `?`.
    Query(&'a [u8]),
    /// Anything else, such as the bare reason word of `!fatal`.
    Other(&'a [u8]),
}

impl<'a> Word<'a> {
    /// Classifies one word.
    pub fn parse(word: &'a [u8]) -> Word<'a> {
        match word.first() {
            Some(b'/') => Word::Command(word),
            Some(b'!') => Word::Reply(word),
            Some(b'?') => Word::Query(&word[1..]),
            Some(b'=') => {
                let (key, value) = split_attribute(&word[1..]);
                Word::Attribute { key, value }
            }
            Some(b'.') => {
                let (key, value) = split_attribute(&word[1..]);
                Word::ApiAttribute { key, value }
            }
            _ => Word::Other(word),
        }
    }
}

/// Splits `name=value` at the first `=`; a missing `=` gives an empty value.
pub fn split_attribute(rest: &[u8]) -> (&[u8], &[u8]) {
    match rest.iter().position(|&b| b == b'=') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_value_keeps_later_equals_signs() {
        assert_eq!(
            Word::parse(b"=name=iu=c3Eeg"),
            Word::Attribute {
                key: b"name",
                value: b"iu=c3Eeg"
            }
        );
    }

    #[test]
    fn empty_values_and_flags_are_attributes() {
        assert_eq!(
            Word::parse(b"=comment="),
            Word::Attribute {
                key: b"comment",
                value: b""
            }
        );
        assert_eq!(
            Word::parse(b"=count-only"),
            Word::Attribute {
                key: b"count-only",
                value: b""
            }
        );
    }

    #[test]
    fn api_attributes_queries_commands_and_bare_words_are_told_apart() {
        assert_eq!(
            Word::parse(b".tag=7"),
            Word::ApiAttribute {
                key: b"tag",
                value: b"7"
            }
        );
        assert_eq!(Word::parse(b"?#|"), Word::Query(b"#|"));
        assert_eq!(Word::parse(b"?=name=x"), Word::Query(b"=name=x"));
        assert_eq!(
            Word::parse(b"/ip/address/print"),
            Word::Command(b"/ip/address/print")
        );
        assert_eq!(Word::parse(b"!done"), Word::Reply(b"!done"));
        assert_eq!(
            Word::parse(b"session terminated on request"),
            Word::Other(b"session terminated on request")
        );
        assert_eq!(Word::parse(b""), Word::Other(b""));
    }
}
