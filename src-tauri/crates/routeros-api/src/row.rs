//! Rows returned by the router (`!re` and the attributes of `!done`).

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;

use crate::encoding::Encoding;

/// One reply row: attributes in the order received, values as raw bytes.
///
/// Text accessors decode with the connection's encoding and never fail; [`Row::get_bytes`]
/// gives the exact bytes, so names in any code page survive a round trip.
#[derive(Clone, PartialEq, Eq)]
pub struct Row {
    attributes: Vec<(Bytes, Bytes)>,
    encoding: Encoding,
}

impl Row {
    pub(crate) fn new(attributes: Vec<(Bytes, Bytes)>, encoding: Encoding) -> Self {
        Self {
            attributes,
            encoding,
        }
    }

    /// Builds a row from text pairs (for tests and fakes).
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<[u8]>,
        V: AsRef<[u8]>,
    {
        let attributes = pairs
            .into_iter()
            .map(|(k, v)| {
                (
                    Bytes::copy_from_slice(k.as_ref()),
                    Bytes::copy_from_slice(v.as_ref()),
                )
            })
            .collect();
        Self {
            attributes,
            encoding: Encoding::Utf8,
        }
    }

    /// The raw bytes of an attribute.
    pub fn get_bytes(&self, key: &str) -> Option<&[u8]> {
        self.attributes
            .iter()
            .find(|(k, _)| k.as_ref() == key.as_bytes())
            .map(|(_, v)| v.as_ref())
    }

    /// An attribute decoded as text.
    pub fn get(&self, key: &str) -> Option<Cow<'_, str>> {
        self.get_bytes(key).map(|v| self.encoding.decode(v))
    }

    /// An attribute decoded as an owned `String`.
    pub fn get_string(&self, key: &str) -> Option<String> {
        self.get(key).map(Cow::into_owned)
    }

    /// True if the attribute is present.
    pub fn contains(&self, key: &str) -> bool {
        self.get_bytes(key).is_some()
    }

    /// `.id` (`*1A`), if present.
    pub fn id(&self) -> Option<Cow<'_, str>> {
        self.get(".id")
    }

    /// True for a `listen` row announcing that the item was removed (`.dead=yes`).
    pub fn is_dead(&self) -> bool {
        matches!(self.get_bytes(".dead"), Some(b"yes" | b"true"))
    }

    /// A boolean attribute: `true`/`yes` or `false`/`no`.
    pub fn get_bool(&self, key: &str) -> Option<bool> {
        match self.get_bytes(key)? {
            b"true" | b"yes" => Some(true),
            b"false" | b"no" => Some(false),
            _ => None,
        }
    }

    /// An unsigned integer attribute (byte counters and the like).
    pub fn get_u64(&self, key: &str) -> Option<u64> {
        crate::parse::parse_u64(&self.get(key)?).ok()
    }

    /// All attributes as decoded `(key, value)` text pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (Cow<'_, str>, Cow<'_, str>)> {
        self.attributes
            .iter()
            .map(|(k, v)| (self.encoding.decode(k), self.encoding.decode(v)))
    }

    /// All attributes as raw bytes.
    pub fn raw(&self) -> &[(Bytes, Bytes)] {
        &self.attributes
    }

    /// Number of attributes.
    pub fn len(&self) -> usize {
        self.attributes.len()
    }

    /// True if the row has no attributes.
    pub fn is_empty(&self) -> bool {
        self.attributes.is_empty()
    }
}

impl fmt::Debug for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in self.iter() {
            if k == "password" || k == "otp-secret" {
                m.entry(&k, &"[redacted]");
            } else {
                m.entry(&k, &v);
            }
        }
        m.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_decode_and_keep_raw_bytes() {
        let row = Row::new(
            vec![
                (Bytes::from_static(b".id"), Bytes::from_static(b"*1A")),
                (Bytes::from_static(b"name"), Bytes::from_static(b"caf\xe9")),
                (
                    Bytes::from_static(b"disabled"),
                    Bytes::from_static(b"false"),
                ),
                (
                    Bytes::from_static(b"bytes-in"),
                    Bytes::from_static(b"123456"),
                ),
                (
                    Bytes::from_static(b"password"),
                    Bytes::from_static(b"s3cret"),
                ),
            ],
            Encoding::Latin1,
        );
        assert_eq!(row.id().as_deref(), Some("*1A"));
        assert_eq!(row.get("name").as_deref(), Some("café"));
        assert_eq!(row.get_bytes("name"), Some(&b"caf\xe9"[..]));
        assert_eq!(row.get_bool("disabled"), Some(false));
        assert_eq!(row.get_u64("bytes-in"), Some(123_456));
        assert!(!row.is_dead());
        assert!(!format!("{row:?}").contains("s3cret"));
    }
}
