//! WAHA wire types (gateways.md §C.3).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{DeliveryStatus, ProviderKind, SendError, SessionHealth};

const WAHA: ProviderKind = ProviderKind::Waha;

#[derive(Debug, Serialize)]
pub(crate) struct SendTextRequest<'a> {
    pub session: &'a str,
    #[serde(rename = "chatId")]
    pub chat_id: &'a str,
    pub text: &'a str,
    pub reply_to: Option<&'a str>,
}

/// The sent message is engine-specific: rely only on its id, which is a string, or an object
/// with `_serialized` (WEBJS), or under `key.id` (NOWEB).
pub(crate) fn message_id(value: &Value) -> Option<String> {
    let id = value
        .get("id")
        .or_else(|| value.get("key").and_then(|k| k.get("id")))?;
    match id {
        Value::String(s) => Some(s.clone()),
        Value::Object(_) => id
            .get("_serialized")
            .or_else(|| id.get("id"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        _ => None,
    }
}

/// The 422 body when a session is not WORKING.
#[derive(Debug, Deserialize)]
pub(crate) struct StatusError {
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SessionDto {
    pub status: String,
}

pub(crate) fn health(status: &str) -> SessionHealth {
    match status {
        "WORKING" => SessionHealth::Connected,
        "STARTING" => SessionHealth::Connecting,
        "SCAN_QR_CODE" => SessionHealth::NeedsPairing,
        other => SessionHealth::Disconnected {
            reason: format!("session {other}"),
        },
    }
}

/// `GET /api/{session}/auth/qr?format=image` with `Accept: application/json`.
#[derive(Debug, Deserialize)]
pub(crate) struct Base64File {
    pub mimetype: String,
    pub data: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Webhook {
    pub event: String,
    #[serde(default)]
    pub payload: Value,
}

#[derive(Debug, Deserialize)]
pub(crate) struct AckPayload {
    pub id: String,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub ack: Option<i64>,
    #[serde(default, rename = "ackName")]
    pub ack_name: Option<String>,
}

/// `ack`: -1 ERROR, 0 PENDING, 1 SERVER, 2 DEVICE, 3 READ, 4 PLAYED (name wins over number).
pub(crate) fn ack_status(name: Option<&str>, number: Option<i64>) -> Option<DeliveryStatus> {
    let number = match name {
        Some("ERROR") => -1,
        Some("PENDING") => 0,
        Some("SERVER") => 1,
        Some("DEVICE") => 2,
        Some("READ") => 3,
        Some("PLAYED") => 4,
        _ => number?,
    };
    Some(match number {
        -1 => DeliveryStatus::Failed {
            error: SendError::retryable(WAHA, "WhatsApp reported ack ERROR"),
        },
        0 => DeliveryStatus::Pending,
        1 => DeliveryStatus::Sent,
        2 => DeliveryStatus::Delivered,
        3 | 4 => DeliveryStatus::Read,
        _ => return None,
    })
}
