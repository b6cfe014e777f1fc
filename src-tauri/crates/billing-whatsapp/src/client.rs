//! Shared HTTP plumbing: a reqwest client with timeouts, URL joining, reading an answer, and
//! the transport-level classification (network/timeout/5xx/408/429 → retryable).

use std::time::Duration;

use crate::{ProviderKind, SendError};

/// Default total timeout of one provider call. WAHA alone may hold a send for 5 s while it
/// waits for a session to become WORKING, so stay well above that.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const BODY_EXCERPT: usize = 300;

pub(crate) fn build(
    provider: ProviderKind,
    timeout: Duration,
) -> Result<reqwest::Client, SendError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("mikrobill/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| SendError::config(provider, true, format!("cannot build HTTP client: {e}")))
}

/// Joins a configured base URL (with or without a trailing slash) and a path.
pub(crate) fn join(base_url: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base_url.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// A provider's answer, read completely.
pub(crate) struct Reply {
    pub status: u16,
    pub retry_after: Option<Duration>,
    pub body: Vec<u8>,
}

impl Reply {
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A short, loggable view of the body.
    pub(crate) fn excerpt(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(BODY_EXCERPT)
            .collect()
    }

    /// The transport-level reading of a failed answer: 5xx/408/429 are retryable, 401/403 make
    /// the session unusable, anything else only fails this message.
    pub(crate) fn fallback_error(&self, provider: ProviderKind, message: String) -> SendError {
        match self.status {
            408 | 429 | 500..=599 => SendError::Retryable {
                provider,
                message: format!("HTTP {}: {message}", self.status),
                retry_after: self.retry_after,
            },
            401 | 403 => {
                SendError::config(provider, true, format!("HTTP {}: {message}", self.status))
            }
            status => SendError::config(provider, false, format!("HTTP {status}: {message}")),
        }
    }
}

/// Sends a request and reads the whole answer; transport failures are retryable.
pub(crate) async fn send(
    provider: ProviderKind,
    request: reqwest::RequestBuilder,
) -> Result<Reply, SendError> {
    let response = request.send().await.map_err(|e| transport(provider, &e))?;
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = response
        .bytes()
        .await
        .map_err(|e| transport(provider, &e))?
        .to_vec();
    if !(200..300).contains(&status) {
        tracing::warn!(%provider, status, "WhatsApp provider answered an error");
    }
    Ok(Reply {
        status,
        retry_after,
        body,
    })
}

fn transport(provider: ProviderKind, error: &reqwest::Error) -> SendError {
    // `without_url` keeps tokens that some providers put in query strings out of the message.
    let what = if error.is_timeout() {
        "timeout"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "transport error"
    };
    SendError::retryable(provider, format!("{what}: {}", strip_url(error)))
}

fn strip_url(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    if let Some(url) = error.url() {
        text = text.replace(url.as_str(), "<url>");
    }
    text
}

/// Reads a header as text; a missing or non-UTF-8 header is `None`.
pub(crate) fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}
