//! The shared HTTP plumbing: a reqwest client with timeouts, and the mapping of HTTP answers
//! to [`GatewayError`] (5xx/408/429 retryable, other 4xx rejected).

use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::GatewayError;

/// Default total timeout of one gateway call.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How much of an error body ends up in an error message.
const BODY_EXCERPT: usize = 300;

pub(crate) fn build(timeout: Duration) -> Result<reqwest::Client, GatewayError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("mikrobill/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| GatewayError::Config(format!("cannot build HTTP client: {e}")))
}

/// Joins a configured base URL (with or without a trailing slash) and an absolute path.
pub(crate) fn join(base_url: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base_url.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// A gateway's answer, read completely.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Reply {
    pub(crate) async fn read(response: reqwest::Response) -> Result<Reply, GatewayError> {
        let status = response.status().as_u16();
        let body = response.bytes().await?.to_vec();
        Ok(Reply { status, body })
    }

    /// 2xx → `Ok(self)`; 5xx, 408 and 429 → retryable [`GatewayError::Http`]; other statuses →
    /// [`GatewayError::Rejected`] with the message `extract` finds in the body (or an excerpt).
    pub(crate) fn ok_or_else(
        self,
        gateway: &'static str,
        extract: impl Fn(&[u8]) -> Option<String>,
    ) -> Result<Reply, GatewayError> {
        if (200..300).contains(&self.status) {
            return Ok(self);
        }
        let message = extract(&self.body).unwrap_or_else(|| self.excerpt());
        tracing::warn!(gateway, status = self.status, %message, "gateway answered an error");
        if self.status >= 500 || self.status == 408 || self.status == 429 {
            Err(GatewayError::Http(format!(
                "HTTP {}: {message}",
                self.status
            )))
        } else {
            Err(GatewayError::Rejected {
                code: self.status.to_string(),
                message,
            })
        }
    }

    pub(crate) fn json<T: DeserializeOwned>(
        &self,
        gateway: &'static str,
    ) -> Result<T, GatewayError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            tracing::warn!(gateway, error = %e, body = %self.excerpt(), "undecodable gateway answer");
            GatewayError::Decode(format!("{gateway}: {e}"))
        })
    }

    /// A short, loggable view of the body: JSON with every `*signature*` field redacted;
    /// anything else that mentions a signature is withheld.
    pub(crate) fn excerpt(&self) -> String {
        let text = match serde_json::from_slice::<serde_json::Value>(&self.body) {
            Ok(mut value) => {
                redact(&mut value);
                value.to_string()
            }
            Err(_) => {
                let raw = String::from_utf8_lossy(&self.body);
                if raw.to_ascii_lowercase().contains("signature") {
                    return "[body withheld: mentions a signature]".to_owned();
                }
                raw.into_owned()
            }
        };
        text.chars().take(BODY_EXCERPT).collect()
    }
}

fn redact(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if key.to_ascii_lowercase().contains("signature") {
                    *field = serde_json::Value::String("[redacted]".to_owned());
                } else {
                    redact(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// Reads a header as text; a missing or non-UTF-8 header is `None`.
pub(crate) fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_never_put_signatures_in_excerpts() {
        let reply = Reply {
            status: 200,
            body: br#"{"status_code":"200","signature_key":"abc123","nested":[{"Signature":"x"}]}"#
                .to_vec(),
        };
        let excerpt = reply.excerpt();
        assert!(
            !excerpt.contains("abc123") && !excerpt.contains("\"x\""),
            "{excerpt}"
        );
        let form = Reply {
            status: 400,
            body: b"merchantCode=D&signature=abc123".to_vec(),
        };
        assert!(!form.excerpt().contains("abc123"));
    }
}
