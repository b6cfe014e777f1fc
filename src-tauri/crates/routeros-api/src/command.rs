//! Building commands: a path, attribute words and query words.

use std::borrow::Cow;
use std::time::Duration;

use bytes::Bytes;

use crate::encoding::Encoding;
use crate::error::{Error, ErrorKind};

#[derive(Debug, Clone)]
enum Text {
    Str(String),
    Raw(Vec<u8>),
}

impl Text {
    fn bytes(&self, enc: Encoding) -> Result<Cow<'_, [u8]>, Error> {
        match self {
            Text::Raw(b) => Ok(Cow::Borrowed(b)),
            Text::Str(s) => enc
                .encode(s)
                .map_err(|e| Error::new(ErrorKind::Encoding).with_detail(e.to_string())),
        }
    }
}

#[derive(Debug, Clone)]
struct Part {
    prefix: &'static str,
    key: String,
    value: Option<Text>,
}

/// A command such as `/ip/hotspot/user/add` with its arguments.
///
/// ```
/// use routeros_api::Command;
/// let cmd = Command::new("/ip/hotspot/user/print")
///     .proplist(["name", "uptime"])
///     .query_eq("profile", "1day")
///     .query_eq("profile", "1week")
///     .query_op("|");
/// assert_eq!(cmd.path(), "/ip/hotspot/user/print");
/// ```
#[derive(Debug, Clone)]
pub struct Command {
    path: String,
    parts: Vec<Part>,
    timeout: Option<Duration>,
}

impl Command {
    /// A command with no arguments. The path uses `/` separators: `/ppp/secret/print`.
    pub fn new(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            parts: Vec::new(),
            timeout: None,
        }
    }

    /// The command path (no arguments); safe to log.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// `=key=value`, encoded with the connection's encoding.
    pub fn attr(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            prefix: "=",
            key: key.into(),
            value: Some(Text::Str(value.into())),
        });
        self
    }

    /// `=key=value` with a value that is already bytes (sent as-is).
    pub fn attr_bytes(mut self, key: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
        self.parts.push(Part {
            prefix: "=",
            key: key.into(),
            value: Some(Text::Raw(value.into())),
        });
        self
    }

    /// `=key=value` only if `value` is `Some`.
    pub fn attr_opt(self, key: impl Into<String>, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.attr(key, v),
            None => self,
        }
    }

    /// A flag argument such as `count-only` or `once`, sent as `=flag=`.
    pub fn flag(self, key: impl Into<String>) -> Self {
        self.attr(key, "")
    }

    /// `=.id=<id>`.
    pub fn id(self, id: impl Into<String>) -> Self {
        self.attr(".id", id)
    }

    /// `=.proplist=a,b,c`.
    pub fn proplist<I, S>(self, props: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let list: Vec<String> = props.into_iter().map(|s| s.as_ref().to_owned()).collect();
        self.attr(".proplist", list.join(","))
    }

    /// `?=key=value`: pushes "key equals value".
    pub fn query_eq(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            prefix: "?=",
            key: key.into(),
            value: Some(Text::Str(value.into())),
        });
        self
    }

    /// `?=key=value` with a raw byte value.
    pub fn query_eq_bytes(mut self, key: impl Into<String>, value: impl Into<Vec<u8>>) -> Self {
        self.parts.push(Part {
            prefix: "?=",
            key: key.into(),
            value: Some(Text::Raw(value.into())),
        });
        self
    }

    /// `?key`: pushes "has a value for key".
    pub fn query_has(mut self, key: impl Into<String>) -> Self {
        self.parts.push(Part {
            prefix: "?",
            key: key.into(),
            value: None,
        });
        self
    }

    /// `?-key`: pushes "has no value for key".
    pub fn query_lacks(mut self, key: impl Into<String>) -> Self {
        self.parts.push(Part {
            prefix: "?-",
            key: key.into(),
            value: None,
        });
        self
    }

    /// `?<key=value`.
    pub fn query_lt(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            prefix: "?<",
            key: key.into(),
            value: Some(Text::Str(value.into())),
        });
        self
    }

    /// `?>key=value`.
    pub fn query_gt(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            prefix: "?>",
            key: key.into(),
            value: Some(Text::Str(value.into())),
        });
        self
    }

    /// `?#ops`: stack operations such as `|`, `&`, `!`, `0`.
    pub fn query_op(mut self, ops: impl Into<String>) -> Self {
        self.parts.push(Part {
            prefix: "?#",
            key: ops.into(),
            value: None,
        });
        self
    }

    /// Overrides the connection's default command timeout for this command.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub(crate) fn timeout_override(&self) -> Option<Duration> {
        self.timeout
    }

    /// The words of the sentence (without `.tag`), encoded for the wire.
    pub fn to_words(&self, enc: Encoding) -> Result<Vec<Bytes>, Error> {
        let mut words = Vec::with_capacity(self.parts.len() + 2);
        words.push(Bytes::from(self.path.clone().into_bytes()));
        for part in &self.parts {
            let key = enc
                .encode(&part.key)
                .map_err(|e| Error::new(ErrorKind::Encoding).with_detail(e.to_string()))?;
            let value = part.value.as_ref().map(|v| v.bytes(enc)).transpose()?;
            let mut w = Vec::with_capacity(
                part.prefix.len() + key.len() + 1 + value.as_ref().map_or(0, |v| v.len()),
            );
            w.extend_from_slice(part.prefix.as_bytes());
            w.extend_from_slice(&key);
            if let Some(v) = value {
                w.push(b'=');
                w.extend_from_slice(&v);
            }
            words.push(Bytes::from(w));
        }
        Ok(words)
    }
}

impl From<&str> for Command {
    fn from(path: &str) -> Self {
        Command::new(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(cmd: &Command) -> Vec<String> {
        cmd.to_words(Encoding::Latin1)
            .expect("encodable")
            .iter()
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect()
    }

    #[test]
    fn words_follow_the_protocol_spelling() {
        let cmd = Command::new("/ip/hotspot/user/print")
            .flag("count-only")
            .proplist(["name", ".id"])
            .query_has("comment")
            .query_lacks("disabled")
            .query_eq("name", "a=b")
            .query_lt("uptime", "1h")
            .query_gt("bytes-in", "5")
            .query_op("|!");
        assert_eq!(
            words(&cmd),
            [
                "/ip/hotspot/user/print",
                "=count-only=",
                "=.proplist=name,.id",
                "?comment",
                "?-disabled",
                "?=name=a=b",
                "?<uptime=1h",
                "?>bytes-in=5",
                "?#|!"
            ]
        );
    }

    #[test]
    fn values_use_the_connection_encoding_and_raw_bytes_pass_through() {
        let cmd = Command::new("/x")
            .attr("name", "café")
            .attr_bytes("raw", vec![0xFF, 0x00]);
        let w = cmd.to_words(Encoding::Cp1252).expect("encodable");
        assert_eq!(w[1].as_ref(), b"=name=caf\xe9");
        assert_eq!(w[2].as_ref(), b"=raw=\xff\x00");
        let w = cmd.to_words(Encoding::Utf8).expect("encodable");
        assert_eq!(w[1].as_ref(), "=name=café".as_bytes());
        let err = Command::new("/x")
            .attr("n", "ł")
            .to_words(Encoding::Latin1)
            .expect_err("latin1");
        assert_eq!(err.kind(), &ErrorKind::Encoding);
    }
}
