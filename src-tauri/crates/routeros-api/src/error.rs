//! The crate's opaque error: inspect it with [`Error::kind`].

use std::fmt;

/// What went wrong, in a form callers can match on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The router answered `!trap`.
    Trap(Trap),
    /// The router answered `!fatal` and closed the connection.
    Fatal(String),
    /// Login was refused (bad user name or password, or no `api` policy).
    Login(String),
    /// The connect, login or command deadline passed.
    Timeout,
    /// The socket failed or the connection was lost.
    Io,
    /// The TLS handshake failed (see the message for the likely cause).
    Tls,
    /// The peer does not speak the RouterOS API protocol correctly.
    Protocol,
    /// Text could not be encoded with the configured [`crate::Encoding`].
    Encoding,
}

/// A `!trap` from the router.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trap {
    /// `=category=` if the router sent one (0 missing item or command, 1 bad argument value,
    /// 2 interrupted, 3 scripting, 4 general failure, 5 API, 6 TTY, 7 `:return`).
    pub category: Option<u32>,
    /// `=message=`, decoded with the connection's encoding.
    pub message: String,
}

/// The well-known trap cases, recognised from the message text and category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrapKind {
    /// `failure: already have …`, `… already exists`.
    AlreadyExists,
    /// `no such item`, `no such item (4)`.
    NoSuchItem,
    /// Category 1, `input does not match any value of …`, `invalid value …`.
    InvalidValue,
    /// `not enough permissions (9)`.
    NotEnoughPermissions,
    /// Category 2 / `interrupted`: the command was cancelled.
    Interrupted,
    /// `no such command`, `no such command prefix`.
    NoSuchCommand,
    /// Anything else.
    Other,
}

impl Trap {
    /// Classifies the trap.
    pub fn kind(&self) -> TrapKind {
        let m = self.message.as_str();
        if m.contains("already have") || m.contains("already exists") {
            TrapKind::AlreadyExists
        } else if m.starts_with("no such item") {
            TrapKind::NoSuchItem
        } else if m.starts_with("not enough permissions") {
            TrapKind::NotEnoughPermissions
        } else if m.starts_with("no such command") {
            TrapKind::NoSuchCommand
        } else if self.category == Some(2) || m == "interrupted" {
            TrapKind::Interrupted
        } else if self.category == Some(1)
            || m.starts_with("input does not match")
            || m.starts_with("invalid value")
            || m.starts_with("value of")
        {
            TrapKind::InvalidValue
        } else {
            TrapKind::Other
        }
    }
}

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error talking to a router. The message names the router and the command.
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    detail: Option<String>,
    router: Option<String>,
    command: Option<String>,
    source: Option<Source>,
    presented_certificate: Option<crate::CertFingerprint>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error(Box::new(Inner {
            kind,
            detail: None,
            router: None,
            command: None,
            source: None,
            presented_certificate: None,
        }))
    }

    pub(crate) fn with_presented_certificate(mut self, seen: crate::CertFingerprint) -> Self {
        self.0.presented_certificate = Some(seen);
        self
    }

    /// For a TLS failure after the router sent its certificate (not trusted, or not the
    /// pinned one): that certificate's SHA-256 fingerprint, to show the user for trusting it.
    pub fn presented_certificate(&self) -> Option<&crate::CertFingerprint> {
        self.0.presented_certificate.as_ref()
    }

    pub(crate) fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.0.detail = Some(detail.into());
        self
    }

    pub(crate) fn with_source(mut self, source: impl Into<Source>) -> Self {
        self.0.source = Some(source.into());
        self
    }

    pub(crate) fn router(mut self, router: &str) -> Self {
        if self.0.router.is_none() {
            self.0.router = Some(router.to_owned());
        }
        self
    }

    pub(crate) fn command(mut self, command: &str) -> Self {
        if self.0.command.is_none() {
            self.0.command = Some(command.to_owned());
        }
        self
    }

    pub(crate) fn io(detail: impl Into<String>, source: std::io::Error) -> Self {
        Error::new(ErrorKind::Io)
            .with_detail(detail)
            .with_source(source)
    }

    pub(crate) fn protocol(detail: impl Into<String>) -> Self {
        Error::new(ErrorKind::Protocol).with_detail(detail)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The trap, if the router answered `!trap`.
    pub fn trap(&self) -> Option<&Trap> {
        match &self.0.kind {
            ErrorKind::Trap(t) => Some(t),
            _ => None,
        }
    }

    /// The classified trap, if any.
    pub fn trap_kind(&self) -> Option<TrapKind> {
        self.trap().map(Trap::kind)
    }

    /// The router (`host:port`) the error came from, if known.
    pub fn router_addr(&self) -> Option<&str> {
        self.0.router.as_deref()
    }

    /// The command path (no arguments, so no secrets) that failed, if any.
    pub fn command_path(&self) -> Option<&str> {
        self.0.command.as_deref()
    }

    /// True for failures where retrying on a new connection may help.
    pub fn is_connection_error(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::Io | ErrorKind::Timeout | ErrorKind::Fatal(_)
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("router ")?;
        f.write_str(self.0.router.as_deref().unwrap_or("(unknown)"))?;
        if let Some(cmd) = &self.0.command {
            write!(f, ", command {cmd}")?;
        }
        f.write_str(": ")?;
        match &self.0.kind {
            ErrorKind::Trap(t) => {
                write!(f, "router refused: {}", t.message)?;
                if let Some(c) = t.category {
                    write!(f, " (category {c})")?;
                }
            }
            ErrorKind::Fatal(m) => write!(f, "router closed the session: {m}")?,
            ErrorKind::Login(m) => write!(f, "login failed: {m}")?,
            ErrorKind::Timeout => f.write_str("timed out")?,
            ErrorKind::Io => f.write_str("connection error")?,
            ErrorKind::Tls => f.write_str("TLS error")?,
            ErrorKind::Protocol => f.write_str("protocol error")?,
            ErrorKind::Encoding => f.write_str("text encoding error")?,
        }
        if let Some(d) = &self.0.detail {
            write!(f, ": {d}")?;
        }
        if let Some(s) = &self.0.source {
            write!(f, ": {s}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("router", &self.0.router)
            .field("command", &self.0.command)
            .field("detail", &self.0.detail)
            .field("source", &self.0.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trap(category: Option<u32>, message: &str) -> Trap {
        Trap {
            category,
            message: message.to_owned(),
        }
    }

    #[test]
    fn traps_are_classified_from_real_router_messages() {
        let cases = [
            (
                None,
                "failure: already have user with this name for this server",
                TrapKind::AlreadyExists,
            ),
            (
                None,
                "failure: secret with the same name already exists",
                TrapKind::AlreadyExists,
            ),
            (None, "no such item", TrapKind::NoSuchItem),
            (None, "no such item (4)", TrapKind::NoSuchItem),
            (
                Some(1),
                "input does not match any value of profile",
                TrapKind::InvalidValue,
            ),
            (
                None,
                "input does not match any value of profile",
                TrapKind::InvalidValue,
            ),
            (
                None,
                "not enough permissions (9)",
                TrapKind::NotEnoughPermissions,
            ),
            (Some(2), "interrupted", TrapKind::Interrupted),
            (Some(0), "no such command prefix", TrapKind::NoSuchCommand),
            (Some(4), "something else", TrapKind::Other),
        ];
        for (cat, msg, want) in cases {
            assert_eq!(trap(cat, msg).kind(), want, "{msg}");
        }
    }

    #[test]
    fn display_names_router_and_command() {
        let e = Error::new(ErrorKind::Trap(trap(
            Some(1),
            "input does not match any value of profile",
        )))
        .router("10.0.0.1:8728")
        .command("/ip/hotspot/user/add");
        assert_eq!(
            e.to_string(),
            "router 10.0.0.1:8728, command /ip/hotspot/user/add: router refused: input does not \
             match any value of profile (category 1)"
        );
        assert_eq!(e.trap_kind(), Some(TrapKind::InvalidValue));
    }
}
