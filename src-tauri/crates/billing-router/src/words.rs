//! RouterOS errors in plain words for the person at the shop PC.

use billing_app::ports::{
    RouterConn, RouterDiagnosis, RouterErrorKind, RouterPortError, RouterProblem,
};
use routeros_api::{ErrorKind, TrapKind};

/// Explains a RouterOS error and what to do about it.
pub fn plain(conn: &RouterConn, err: &routeros_api::Error) -> RouterPortError {
    let who = format!("router {} ({}:{})", conn.name, conn.host, conn.port);
    let user = &conn.username;
    let message = match err.kind() {
        ErrorKind::Login(m) => format!(
            "{who} refused the login of API user {user:?} ({m}). Check the user name and \
             password, and that the user's group has the 'api' policy."
        ),
        ErrorKind::Io | ErrorKind::Timeout => format!(
            "{who} is unreachable ({err}). Check that it is on, the address and port, and that \
             the 'api' service is enabled (IP → Services) for this PC's address."
        ),
        ErrorKind::Tls => match (err.presented_certificate(), &conn.tls_fingerprint) {
            (Some(seen), Some(trusted)) => format!(
                "{who} presented another TLS certificate than the trusted one (trusted SHA-256 \
                 {trusted}, now {seen}). If the router's certificate was replaced on purpose, \
                 compare the new fingerprint with `/certificate print detail` on the router and \
                 trust it; otherwise something may be intercepting the connection."
            ),
            (Some(seen), None) => format!(
                "{who} uses a TLS certificate that is not trusted yet. Its SHA-256 fingerprint \
                 is {seen}: compare it with `/certificate print detail` on the router and \
                 trust it."
            ),
            (None, _) => format!(
                "TLS to {who} failed ({err}). Install a certificate on the api-ssl service and \
                 trust it here, or use the plain api service on a trusted LAN."
            ),
        },
        ErrorKind::Trap(t) => match err.trap_kind() {
            Some(TrapKind::NotEnoughPermissions) => format!(
                "API user {user:?} on {who} is not allowed to change this ({}). Give its group \
                 the 'write' policy (System → Users → Groups).",
                t.message
            ),
            Some(TrapKind::InvalidValue) if t.message.contains("profile") => format!(
                "{who} has no such profile ({}). Create the profile on the router or choose \
                 another one in the plan, then sync profiles.",
                t.message
            ),
            _ => format!("{who} refused: {}", t.message),
        },
        _ => format!("{who}: {err}"),
    };
    RouterPortError::new(kind(err), message)
}

/// Sorts a RouterOS error into the port's error kinds.
pub fn kind(err: &routeros_api::Error) -> RouterErrorKind {
    match err.kind() {
        ErrorKind::Login(_) => RouterErrorKind::AuthRefused,
        ErrorKind::Timeout => RouterErrorKind::Timeout,
        ErrorKind::Io | ErrorKind::Fatal(_) => RouterErrorKind::Unreachable,
        ErrorKind::Tls => RouterErrorKind::Tls,
        ErrorKind::Trap(t) => match err.trap_kind() {
            Some(TrapKind::NotEnoughPermissions) => RouterErrorKind::Permission,
            Some(TrapKind::NoSuchItem | TrapKind::NoSuchCommand) => RouterErrorKind::NotFound,
            Some(TrapKind::InvalidValue) if t.message.contains("profile") => {
                RouterErrorKind::NotFound
            }
            _ => RouterErrorKind::Rejected,
        },
        ErrorKind::Protocol => RouterErrorKind::Protocol,
        _ => RouterErrorKind::Other,
    }
}

/// A failed connection test: what to fix, in plain words, with the certificate the router
/// presented when TLS got that far.
pub fn diagnosis(conn: &RouterConn, err: &routeros_api::Error) -> RouterDiagnosis {
    let mut problem = problem(err);
    let presented = err.presented_certificate().map(ToString::to_string);
    if presented.is_some() {
        problem = if conn.tls_fingerprint.is_some() {
            RouterProblem::CertificateChanged
        } else {
            RouterProblem::CertificateUntrusted
        };
    }
    let mut d = RouterDiagnosis::new(problem, plain(conn, err));
    d.presented_certificate = presented;
    d
}

/// Sorts a connect/login/first-command failure into what the person has to fix.
pub fn problem(err: &routeros_api::Error) -> RouterProblem {
    match err.kind() {
        ErrorKind::Login(_) => RouterProblem::WrongPassword,
        ErrorKind::Timeout => RouterProblem::Timeout,
        ErrorKind::Io => match io_error_kind(err) {
            // Something answers at the address but nothing listens on the port.
            Some(std::io::ErrorKind::ConnectionRefused) => RouterProblem::ApiDisabled,
            Some(std::io::ErrorKind::TimedOut) => RouterProblem::Timeout,
            _ => RouterProblem::Unreachable,
        },
        ErrorKind::Tls => RouterProblem::Tls,
        ErrorKind::Trap(_) if err.trap_kind() == Some(TrapKind::NotEnoughPermissions) => {
            RouterProblem::MissingRights
        }
        _ => RouterProblem::Other,
    }
}

fn io_error_kind(err: &routeros_api::Error) -> Option<std::io::ErrorKind> {
    let mut source = std::error::Error::source(err);
    while let Some(current) = source {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = current.source();
    }
    None
}
