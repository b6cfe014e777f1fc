//! Connection settings.

use std::fmt;
use std::time::Duration;

use crate::encoding::Encoding;

/// How to reach and log in to one router.
///
/// `Debug` never prints the password.
#[derive(Clone)]
pub struct ConnectOptions {
    /// Host name or IP address.
    pub host: String,
    /// API port: 8728 for plain TCP, 8729 for TLS.
    pub port: u16,
    /// API user name.
    pub username: String,
    /// API password (sent in clear on 8728; prefer TLS on untrusted networks).
    pub password: String,
    /// Use TLS (api-ssl). The router must have a certificate set on the api-ssl service.
    pub tls: Option<TlsOptions>,
    /// Deadline for the TCP (and TLS) connect.
    pub connect_timeout: Duration,
    /// Deadline for the login exchange.
    pub login_timeout: Duration,
    /// Default deadline for one command (overridable per command).
    pub command_timeout: Duration,
    /// Send a cheap command when the connection has been idle this long (`None` disables).
    pub keepalive: Option<Duration>,
    /// How text is converted to and from bytes.
    pub encoding: Encoding,
    /// Most commands in flight on the connection at once.
    pub max_in_flight: usize,
    /// Reconnect policy used when a command finds the connection lost.
    pub reconnect: ReconnectPolicy,
}

impl ConnectOptions {
    /// Plain-TCP options with the defaults: port 8728, 10 s connect/login, 30 s command,
    /// keepalive every 60 s, cp1252 text, 128 commands in flight.
    pub fn new(
        host: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        Self {
            host: host.into(),
            port: 8728,
            username: username.into(),
            password: password.into(),
            tls: None,
            connect_timeout: Duration::from_secs(10),
            login_timeout: Duration::from_secs(10),
            command_timeout: Duration::from_secs(30),
            keepalive: Some(Duration::from_secs(60)),
            encoding: Encoding::default(),
            max_in_flight: 128,
            reconnect: ReconnectPolicy::default(),
        }
    }

    /// Sets the port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Enables TLS with the given options; switches the port to 8729 if it was 8728.
    pub fn tls(mut self, tls: TlsOptions) -> Self {
        if self.port == 8728 {
            self.port = 8729;
        }
        self.tls = Some(tls);
        self
    }

    /// Sets the text encoding.
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Sets the default command timeout.
    pub fn command_timeout(mut self, timeout: Duration) -> Self {
        self.command_timeout = timeout;
        self
    }

    /// Sets the in-flight window (at least 1).
    pub fn max_in_flight(mut self, n: usize) -> Self {
        self.max_in_flight = n.max(1);
        self
    }

    /// `host:port`, as shown in error messages.
    pub fn addr(&self) -> String {
        if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("tls", &self.tls)
            .field("connect_timeout", &self.connect_timeout)
            .field("login_timeout", &self.login_timeout)
            .field("command_timeout", &self.command_timeout)
            .field("keepalive", &self.keepalive)
            .field("encoding", &self.encoding)
            .field("max_in_flight", &self.max_in_flight)
            .field("reconnect", &self.reconnect)
            .finish()
    }
}

/// TLS settings for api-ssl.
#[derive(Debug, Clone, Default)]
pub struct TlsOptions {
    /// Extra trusted root certificates (DER). Routers usually have self-signed certificates;
    /// export the router's certificate and add it here.
    pub root_certs: Vec<Vec<u8>>,
    /// Name to verify in the certificate; defaults to the host.
    pub server_name: Option<String>,
    /// Accept any certificate without verification. Only for labs; this defeats TLS's
    /// protection against interception.
    pub insecure_skip_verify: bool,
    /// Trust exactly the certificate with this SHA-256 fingerprint (what RouterOS shows as
    /// `fingerprint` in `/certificate print detail`), whoever issued it and whatever name it
    /// carries: the usual way to trust a router's self-signed certificate. Takes precedence
    /// over `root_certs` and `insecure_skip_verify`; another certificate fails with
    /// [`crate::ErrorKind::Tls`] and [`crate::Error::presented_certificate`] set.
    pub pinned_sha256: Option<CertFingerprint>,
}

/// The SHA-256 of a certificate (DER), shown as 64 lowercase hex digits like RouterOS does.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CertFingerprint(pub [u8; 32]);

impl CertFingerprint {
    /// The fingerprint of a DER certificate.
    pub fn of_der(der: &[u8]) -> Self {
        use sha2::Digest;
        CertFingerprint(sha2::Sha256::digest(der).into())
    }

    /// Parses 64 hex digits; colons, spaces and case are ignored (`AB:CD:…` as browsers show
    /// it works too). `None` for anything else.
    pub fn parse(text: &str) -> Option<Self> {
        let digits: String = text
            .chars()
            .filter(|c| !matches!(c, ':' | ' ' | '-'))
            .collect();
        if digits.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        hex::decode_to_slice(digits.to_ascii_lowercase(), &mut out).ok()?;
        Some(CertFingerprint(out))
    }
}

impl std::fmt::Display for CertFingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl std::fmt::Debug for CertFingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CertFingerprint({self})")
    }
}

impl TlsOptions {
    /// Trust one more root certificate given as DER bytes.
    pub fn with_root_der(mut self, der: impl Into<Vec<u8>>) -> Self {
        self.root_certs.push(der.into());
        self
    }

    /// Trust every certificate in a PEM file (for example the router's exported `.crt`).
    pub fn with_root_pem(mut self, pem: &[u8]) -> Result<Self, crate::Error> {
        let mut reader = std::io::BufReader::new(pem);
        let mut found = 0;
        for cert in rustls_pemfile::certs(&mut reader) {
            let cert = cert.map_err(|e| {
                crate::Error::new(crate::ErrorKind::Tls).with_detail(format!("bad PEM: {e}"))
            })?;
            self.root_certs.push(cert.as_ref().to_vec());
            found += 1;
        }
        if found == 0 {
            return Err(crate::Error::new(crate::ErrorKind::Tls)
                .with_detail("no CERTIFICATE block in the PEM data"));
        }
        Ok(self)
    }
}

/// Reconnect with exponential backoff and jitter.
#[derive(Debug, Clone)]
pub struct ReconnectPolicy {
    /// Delay before the first retry.
    pub initial_backoff: Duration,
    /// Largest delay between retries.
    pub max_backoff: Duration,
    /// Attempts per reconnect (the first one is immediate); 0 disables reconnecting.
    pub max_attempts: u32,
}

impl Default for ReconnectPolicy {
    fn default() -> Self {
        Self {
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(30),
            max_attempts: 5,
        }
    }
}

impl ReconnectPolicy {
    /// The delay before retry number `attempt` (1-based): exponential, capped, with ±50 %
    /// jitter so that many clients do not reconnect in lockstep.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let capped = exp.min(self.max_backoff);
        let jitter: f64 = rand::Rng::gen_range(&mut rand::thread_rng(), 0.5..1.5);
        capped.mul_f64(jitter).min(self.max_backoff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_password() {
        let o = ConnectOptions::new("10.0.0.1", "admin", "hunter2");
        let dbg = format!("{o:?}");
        assert!(!dbg.contains("hunter2"));
        assert!(dbg.contains("[redacted]"));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = ReconnectPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            max_attempts: 10,
        };
        let first = p.backoff(1);
        assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(150));
        for attempt in 1..30 {
            assert!(p.backoff(attempt) <= Duration::from_secs(1));
        }
        assert!(p.backoff(4) >= Duration::from_millis(400));
    }

    #[test]
    fn tls_switches_default_port_and_ipv6_hosts_are_bracketed() {
        let o = ConnectOptions::new("::1", "a", "").tls(TlsOptions::default());
        assert_eq!(o.addr(), "[::1]:8729");
    }
}
