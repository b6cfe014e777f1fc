//! Text encodings for attribute values. The wire carries bytes; RouterOS stores text in the
//! code page of whichever tool entered it, so decoding is configurable and never fails.

use std::borrow::Cow;

/// How text is converted to and from wire bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// Windows-1252 (a superset of printable Latin-1); what Winbox on Western systems uses.
    #[default]
    Cp1252,
    /// ISO-8859-1: every byte maps to the code point of the same value.
    Latin1,
    /// UTF-8, decoded lossily (invalid sequences become U+FFFD).
    Utf8,
}

/// A character that the chosen encoding cannot represent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("character {ch:?} cannot be encoded as {encoding:?}")]
pub struct EncodeError {
    /// The offending character.
    pub ch: char,
    /// The encoding in use.
    pub encoding: Encoding,
}

impl Encoding {
    /// Decodes bytes into text; never fails and never panics.
    pub fn decode<'a>(self, bytes: &'a [u8]) -> Cow<'a, str> {
        if bytes.is_ascii() {
            // ASCII is the same in all three encodings.
            return match std::str::from_utf8(bytes) {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
            };
        }
        match self {
            Encoding::Utf8 => String::from_utf8_lossy(bytes),
            Encoding::Latin1 => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
            Encoding::Cp1252 => {
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                text
            }
        }
    }

    /// Encodes text into wire bytes, refusing characters the encoding cannot hold.
    pub fn encode<'a>(self, text: &'a str) -> Result<Cow<'a, [u8]>, EncodeError> {
        if text.is_ascii() || self == Encoding::Utf8 {
            return Ok(Cow::Borrowed(text.as_bytes()));
        }
        match self {
            Encoding::Latin1 => text
                .chars()
                .map(|ch| {
                    u8::try_from(u32::from(ch)).map_err(|_| EncodeError { ch, encoding: self })
                })
                .collect::<Result<Vec<u8>, _>>()
                .map(Cow::Owned),
            _ => {
                let mut out = Vec::with_capacity(text.len());
                let mut buf = [0u8; 4];
                for ch in text.chars() {
                    let s = ch.encode_utf8(&mut buf);
                    let (bytes, _, had_errors) = encoding_rs::WINDOWS_1252.encode(s);
                    if had_errors {
                        return Err(EncodeError { ch, encoding: self });
                    }
                    out.extend_from_slice(&bytes);
                }
                Ok(Cow::Owned(out))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_decode_without_panicking_in_every_encoding() {
        let bytes = [0x63, 0x61, 0x66, 0xE9, 0xFF, 0x80, 0x81, 0xC3];
        assert_eq!(
            Encoding::Latin1.decode(&bytes),
            "caf\u{e9}\u{ff}\u{80}\u{81}\u{c3}"
        );
        assert_eq!(
            Encoding::Cp1252.decode(&bytes),
            "caf\u{e9}\u{ff}\u{20ac}\u{81}\u{c3}"
        );
        assert!(Encoding::Utf8.decode(&bytes).contains('\u{fffd}'));
    }

    #[test]
    fn text_round_trips_through_each_encoding() {
        for enc in [Encoding::Cp1252, Encoding::Latin1, Encoding::Utf8] {
            let bytes = enc.encode("Zoë Café").expect("encodable");
            assert_eq!(enc.decode(&bytes), "Zoë Café");
        }
        assert_eq!(
            Encoding::Cp1252.encode("€").expect("in cp1252").as_ref(),
            &[0x80]
        );
    }

    #[test]
    fn unencodable_characters_are_refused() {
        assert!(Encoding::Latin1.encode("€").is_err());
        assert!(Encoding::Cp1252.encode("ł").is_err());
        assert!(Encoding::Utf8.encode("ł").is_ok());
    }
}
