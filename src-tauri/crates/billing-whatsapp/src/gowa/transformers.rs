//! go-whatsapp-web-multidevice (GOWA) wire types (gateways.md §C.3, OpenAPI v9.0.0).

use serde::{Deserialize, Serialize};

use crate::{DeliveryStatus, ProviderKind, RecipientReason, SendError};

const GOWA: ProviderKind = ProviderKind::Gowa;

#[derive(Debug, Serialize)]
pub(crate) struct SendMessageRequest<'a> {
    pub phone: &'a str,
    pub message: &'a str,
}

/// `{"code":"SUCCESS","message":"…","results":{…}}`; on errors `code` is the HTTP status as text.
#[derive(Debug, Deserialize)]
pub(crate) struct Envelope<T> {
    #[serde(default)]
    pub message: Option<String>,
    pub results: Option<T>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SendResults {
    #[serde(default)]
    pub message_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct DeviceStatus {
    #[serde(default)]
    pub is_connected: bool,
    #[serde(default)]
    pub is_logged_in: bool,
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginResults {
    pub qr_link: String,
}

/// A failed answer. GOWA's "not logged in" wording is [U]: any 5xx mentioning login or
/// connection is read as the device being down, other 5xx as transient.
pub(crate) fn classify(http_status: u16, message: &str) -> SendError {
    let m = message.to_ascii_lowercase();
    let device_down = [
        "not logged",
        "not login",
        "login",
        "not connected",
        "disconnected",
    ]
    .iter()
    .any(|w| m.contains(w));
    match http_status {
        401 | 403 => SendError::config(GOWA, true, message),
        404 if m.contains("device") => SendError::config(GOWA, true, message),
        _ if device_down => SendError::session_down(GOWA, message),
        400 if m.contains("phone") || m.contains("jid") || m.contains("not on whatsapp") => {
            SendError::recipient(GOWA, RecipientReason::InvalidNumber, message)
        }
        408 | 429 | 500..=599 => SendError::retryable(GOWA, message),
        _ => SendError::config(GOWA, false, message),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct Webhook {
    pub event: String,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub payload: Option<AckPayload>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AckPayload {
    #[serde(default)]
    pub ids: Vec<String>,
    #[serde(default)]
    pub chat_id: Option<String>,
    #[serde(default)]
    pub receipt_type: Option<String>,
}

pub(crate) fn receipt_status(receipt_type: &str) -> Option<DeliveryStatus> {
    match receipt_type {
        "delivered" => Some(DeliveryStatus::Delivered),
        "read" | "read-self" | "played" => Some(DeliveryStatus::Read),
        "sent" | "server" => Some(DeliveryStatus::Sent),
        _ => None,
    }
}
