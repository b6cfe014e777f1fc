//! The provider trait and the types it speaks.

use std::fmt::Debug;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::SendError;

/// Which provider a session talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    MetaCloud,
    Fonnte,
    Wablas,
    Waha,
    Gowa,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::MetaCloud,
        ProviderKind::Fonnte,
        ProviderKind::Wablas,
        ProviderKind::Waha,
        ProviderKind::Gowa,
    ];

    /// Stable name for settings, logs and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderKind::MetaCloud => "meta_cloud",
            ProviderKind::Fonnte => "fonnte",
            ProviderKind::Wablas => "wablas",
            ProviderKind::Waha => "waha",
            ProviderKind::Gowa => "gowa",
        }
    }
}

impl std::fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far the provider took the message when it answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptedState {
    /// Accepted for delivery (Meta 200, WAHA 201, GOWA SUCCESS).
    Accepted,
    /// Queued by the provider, which will deliver (and retry) by itself — e.g. Fonnte
    /// `process:"pending"` while the phone is offline. Not a failure: never resend.
    Queued,
}

/// A successful send. Record `provider_message_id` to match later status webhooks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendReceipt {
    pub provider_message_id: Option<String>,
    pub accepted_state: AcceptedState,
}

/// A Meta template message: an approved template name, its language and the positional body
/// parameters (`{{1}}`, `{{2}}`, …) in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateMessage {
    pub name: String,
    /// e.g. `id`
    pub language: String,
    pub body_parameters: Vec<String>,
}

/// What a health check found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SessionHealth {
    /// Ready to send.
    Connected,
    /// Starting up or reconnecting; try again shortly.
    Connecting,
    /// Logged out: somebody has to scan a QR code (or enter a pairing code).
    NeedsPairing,
    /// Not usable (phone offline, session stopped/failed, token expired).
    Disconnected { reason: String },
}

impl SessionHealth {
    pub fn is_connected(&self) -> bool {
        matches!(self, SessionHealth::Connected)
    }
}

/// What the dashboard shows to pair a session.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Pairing {
    /// A QR image, base64-encoded (no `data:` prefix).
    QrImage { mimetype: String, base64: String },
    /// The raw QR payload (`2@…`) for the UI to draw.
    QrText { value: String },
    /// A pairing code to type on the phone.
    Code { code: String },
    /// Already logged in; nothing to scan.
    AlreadyPaired,
}

/// A delivery status reported by a provider (webhook).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Held by the provider, which retries by itself (Fonnte `pending`, WAHA ack `PENDING`).
    Pending,
    Sent,
    Delivered,
    Read,
    /// Failed; `error` is classified like a synchronous send error (e.g. Meta 131047 async
    /// arrives as [`SendError::Recipient`] with [`crate::RecipientReason::OutsideWindow`]).
    Failed {
        error: SendError,
    },
}

/// One status change for one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryUpdate {
    pub provider_message_id: String,
    pub status: DeliveryStatus,
    /// Canonical `62…` when the provider says who it was for.
    pub recipient: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// One WhatsApp sender session. Phone numbers are canonical `62…` digits.
#[async_trait]
pub trait WhatsAppProvider: Send + Sync + Debug {
    fn kind(&self) -> ProviderKind;

    /// Sends a free-form text. On Meta this only works inside the 24-hour window.
    async fn send_text(&self, to: &str, body: &str) -> Result<SendReceipt, SendError>;

    /// Sends an approved template (Meta only).
    async fn send_template(
        &self,
        to: &str,
        template: &TemplateMessage,
    ) -> Result<SendReceipt, SendError> {
        let _ = (to, template);
        Err(SendError::not_supported(self.kind(), "send_template"))
    }

    /// Asks the provider whether this session can send.
    async fn health(&self) -> Result<SessionHealth, SendError>;

    /// Starts pairing (QR or code) for self-hosted multi-device gateways.
    async fn start_pairing(&self) -> Result<Pairing, SendError> {
        Err(SendError::not_supported(self.kind(), "start_pairing"))
    }

    /// Parses (and, where the provider signs, verifies) a status webhook. Hand over the **raw**
    /// body bytes. Events that carry no delivery status give an empty list.
    fn parse_status_webhook(
        &self,
        headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<Vec<DeliveryUpdate>, SendError>;
}
