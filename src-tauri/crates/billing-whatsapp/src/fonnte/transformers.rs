//! Fonnte wire types (gateways.md §C.2). Decide on `status`, not the HTTP code, and read keys
//! case-insensitively (one integrator saw `"Status"`).

use serde_json::Value;

use crate::{DeliveryStatus, ProviderKind, RecipientReason, SendError};

const FONNTE: ProviderKind = ProviderKind::Fonnte;

/// Looks a key up case-insensitively in a JSON object.
pub(crate) fn field<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

pub(crate) fn text(value: &Value, key: &str) -> Option<String> {
    match field(value, key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `status` as a bool (Fonnte sends `true`/`false`; accept `"true"` too).
pub(crate) fn status_ok(value: &Value) -> bool {
    match field(value, "status") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The first message id of a send answer (`"id":["80367170"]`).
pub(crate) fn first_id(value: &Value) -> Option<String> {
    match field(value, "id")? {
        Value::Array(ids) => ids.first().and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `status:false` reasons → §C.5 classes.
pub(crate) fn classify_reason(reason: &str) -> SendError {
    let r = reason.to_ascii_lowercase();
    let msg = reason.to_owned();
    if r.contains("token invalid") || r.contains("quota") || r.contains("expired") {
        SendError::config(FONNTE, true, msg)
    } else if r.contains("target invalid") || r.contains("invalid target") {
        SendError::recipient(FONNTE, RecipientReason::InvalidNumber, msg)
    } else if r.contains("disconnect") || r.contains("not connect") {
        SendError::session_down(FONNTE, msg)
    } else {
        SendError::config(FONNTE, false, msg)
    }
}

/// Message statuses of docs.fonnte.com/message-status (plus `delivered`/`read` states).
pub(crate) fn delivery_status(status: &str) -> Option<DeliveryStatus> {
    let failed = |why: &str| DeliveryStatus::Failed {
        error: match why {
            "invalid" => SendError::recipient(FONNTE, RecipientReason::InvalidNumber, why),
            // `expired`: the device was disconnected for a day; the message never left.
            "expired" => SendError::session_down(FONNTE, why),
            _ => SendError::config(FONNTE, false, why),
        },
    };
    Some(match status.trim().to_ascii_lowercase().as_str() {
        "pending" | "waiting" | "processing" => DeliveryStatus::Pending,
        "sent" => DeliveryStatus::Sent,
        "delivered" => DeliveryStatus::Delivered,
        "read" => DeliveryStatus::Read,
        s @ ("invalid" | "failed" | "expired" | "url unreachable") => failed(s),
        _ => return None,
    })
}
