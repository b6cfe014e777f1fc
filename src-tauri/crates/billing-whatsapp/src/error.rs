//! The adapter-layer error, classified for the sending pool (gateways.md §C.5).
//! Display never contains tokens, secrets or signatures.

use std::time::Duration;

use crate::ProviderKind;

/// Why a recipient cannot get this message (no failover: another session would fail too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientReason {
    /// Malformed or non-mobile number (Fonnte `target invalid`).
    InvalidNumber,
    /// Not on WhatsApp / undeliverable (Meta 131026).
    Undeliverable,
    /// Meta 131047: more than 24 h since the customer last wrote; send a template instead.
    OutsideWindow,
    /// The provider chose not to deliver now (Meta 131049); do not retry soon.
    Declined,
}

/// What went wrong sending through (or hearing from) one session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Network failure, timeout, 5xx or throttling: retry later (same session first).
    #[error("{provider}: temporary failure: {message}")]
    Retryable {
        provider: ProviderKind,
        message: String,
        retry_after: Option<Duration>,
    },
    /// This session cannot send now (device disconnected, WAHA not WORKING, token expired,
    /// number paused): mark it unhealthy and fail over to another session.
    #[error("{provider}: session down: {message}")]
    SessionDown {
        provider: ProviderKind,
        message: String,
    },
    /// The recipient cannot get this message; do not retry on another session.
    #[error("{provider}: recipient rejected ({reason:?}): {message}")]
    Recipient {
        provider: ProviderKind,
        reason: RecipientReason,
        message: String,
    },
    /// Accepted but held by the provider, which retries by itself. Not a failure: never resend.
    #[error("{provider}: accepted, provider will retry: {message}")]
    ProviderWillRetry {
        provider: ProviderKind,
        provider_message_id: Option<String>,
        message: String,
    },
    /// Configuration problem. `session_unusable` (bad token, no quota, sender not registered)
    /// means the whole session is disabled and the owner alerted; otherwise only this message
    /// is wrong (template missing, parameter mismatch).
    #[error("{provider}: configuration: {message}")]
    Config {
        provider: ProviderKind,
        message: String,
        session_unusable: bool,
    },
    /// The operation does not exist for this provider.
    #[error("{provider}: not supported: {operation}")]
    NotSupported {
        provider: ProviderKind,
        operation: &'static str,
    },
    /// A webhook whose authenticity could not be proven. Record nothing.
    #[error("{provider}: webhook authenticity check failed: {message}")]
    Signature {
        provider: ProviderKind,
        message: String,
    },
    /// The provider sent something we could not understand (webhooks, health answers).
    #[error("{provider}: cannot decode: {message}")]
    Decode {
        provider: ProviderKind,
        message: String,
    },
}

/// The machine-readable kind of a [`SendError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SendErrorKind {
    Retryable,
    SessionDown,
    Recipient,
    ProviderWillRetry,
    Config,
    NotSupported,
    Signature,
    Decode,
}

impl SendErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SendErrorKind::Retryable => "retryable",
            SendErrorKind::SessionDown => "session_down",
            SendErrorKind::Recipient => "recipient",
            SendErrorKind::ProviderWillRetry => "provider_will_retry",
            SendErrorKind::Config => "config",
            SendErrorKind::NotSupported => "not_supported",
            SendErrorKind::Signature => "signature",
            SendErrorKind::Decode => "decode",
        }
    }
}

impl SendError {
    pub fn kind(&self) -> SendErrorKind {
        match self {
            SendError::Retryable { .. } => SendErrorKind::Retryable,
            SendError::SessionDown { .. } => SendErrorKind::SessionDown,
            SendError::Recipient { .. } => SendErrorKind::Recipient,
            SendError::ProviderWillRetry { .. } => SendErrorKind::ProviderWillRetry,
            SendError::Config { .. } => SendErrorKind::Config,
            SendError::NotSupported { .. } => SendErrorKind::NotSupported,
            SendError::Signature { .. } => SendErrorKind::Signature,
            SendError::Decode { .. } => SendErrorKind::Decode,
        }
    }

    pub fn provider(&self) -> ProviderKind {
        match self {
            SendError::Retryable { provider, .. }
            | SendError::SessionDown { provider, .. }
            | SendError::Recipient { provider, .. }
            | SendError::ProviderWillRetry { provider, .. }
            | SendError::Config { provider, .. }
            | SendError::NotSupported { provider, .. }
            | SendError::Signature { provider, .. }
            | SendError::Decode { provider, .. } => *provider,
        }
    }

    /// This session cannot send: mark it unhealthy and move the message to another session.
    pub fn is_failover(&self) -> bool {
        match self {
            SendError::SessionDown { .. } => true,
            SendError::Config {
                session_unusable, ..
            } => *session_unusable,
            _ => false,
        }
    }

    /// Transient: back off and try again (C.5: "retry once, then next session").
    pub fn is_retryable(&self) -> bool {
        matches!(self, SendError::Retryable { .. })
    }

    /// The message itself cannot be sent as is: fail it (or switch to a template for
    /// [`RecipientReason::OutsideWindow`]); another session would not help.
    pub fn is_final(&self) -> bool {
        match self {
            SendError::Recipient { .. } | SendError::NotSupported { .. } => true,
            SendError::Config {
                session_unusable, ..
            } => !*session_unusable,
            _ => false,
        }
    }

    /// The provider has the message: never resend it, anywhere.
    pub fn is_accepted(&self) -> bool {
        matches!(self, SendError::ProviderWillRetry { .. })
    }

    /// Meta 131047: outside the 24-hour window, only an approved template can go out.
    pub fn needs_template(&self) -> bool {
        matches!(
            self,
            SendError::Recipient {
                reason: RecipientReason::OutsideWindow,
                ..
            }
        )
    }

    /// The owner should hear about it (session down or disabled).
    pub fn alerts_owner(&self) -> bool {
        self.is_failover()
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SendError::Retryable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub(crate) fn retryable(provider: ProviderKind, message: impl Into<String>) -> SendError {
        SendError::Retryable {
            provider,
            message: message.into(),
            retry_after: None,
        }
    }

    pub(crate) fn session_down(provider: ProviderKind, message: impl Into<String>) -> SendError {
        SendError::SessionDown {
            provider,
            message: message.into(),
        }
    }

    pub(crate) fn recipient(
        provider: ProviderKind,
        reason: RecipientReason,
        message: impl Into<String>,
    ) -> SendError {
        SendError::Recipient {
            provider,
            reason,
            message: message.into(),
        }
    }

    pub(crate) fn config(
        provider: ProviderKind,
        session_unusable: bool,
        message: impl Into<String>,
    ) -> SendError {
        SendError::Config {
            provider,
            message: message.into(),
            session_unusable,
        }
    }

    pub(crate) fn not_supported(provider: ProviderKind, operation: &'static str) -> SendError {
        SendError::NotSupported {
            provider,
            operation,
        }
    }

    pub(crate) fn signature(provider: ProviderKind, message: impl Into<String>) -> SendError {
        SendError::Signature {
            provider,
            message: message.into(),
        }
    }

    pub(crate) fn decode(provider: ProviderKind, message: impl Into<String>) -> SendError {
        SendError::Decode {
            provider,
            message: message.into(),
        }
    }
}
