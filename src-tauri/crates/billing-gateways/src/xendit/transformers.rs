//! Xendit Invoice API v2 wire structs (gateways.md §B.3) and the status mapping.

use serde::{Deserialize, Serialize};

use crate::amount;
use crate::GatewayStatus;

/// `POST /v2/invoices/`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateInvoice {
    pub external_id: String,
    #[serde(deserialize_with = "amount::de")]
    pub amount: i64,
    pub description: String,
    /// Seconds [P].
    pub invoice_duration: u64,
    pub currency: String,
    pub customer: Customer,
    pub success_redirect_url: String,
    pub failure_redirect_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_methods: Option<Vec<String>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Customer {
    pub given_names: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub mobile_number: String,
}

/// An invoice as create / get / list return it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invoice {
    pub id: String,
    pub external_id: String,
    pub status: String,
    #[serde(deserialize_with = "amount::de")]
    pub amount: i64,
    #[serde(default)]
    pub invoice_url: Option<String>,
    /// RFC 3339.
    #[serde(default)]
    pub expiry_date: Option<String>,
}

/// The invoice callback body (`x-callback-token` header authenticates it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Callback {
    pub id: String,
    pub external_id: String,
    pub status: String,
    #[serde(deserialize_with = "amount::de")]
    pub amount: i64,
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub paid_amount: Option<i64>,
    #[serde(default)]
    pub payment_method: Option<String>,
    #[serde(default)]
    pub payment_channel: Option<String>,
    #[serde(default)]
    pub paid_at: Option<String>,
}

/// `{"error_code":…,"message":…}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorResponse {
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
}

pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    let err = serde_json::from_slice::<ErrorResponse>(body).ok()?;
    match (err.error_code, err.message) {
        (Some(code), Some(message)) => Some(format!("{code}: {message}")),
        (code, message) => message.or(code),
    }
}

/// `PENDING`, `PAID`, `SETTLED`, `EXPIRED`. Unknown → `None`.
pub fn status_from_wire(status: &str) -> Option<GatewayStatus> {
    match status.to_ascii_uppercase().as_str() {
        "PAID" | "SETTLED" => Some(GatewayStatus::Paid),
        "PENDING" => Some(GatewayStatus::Pending),
        "EXPIRED" => Some(GatewayStatus::Expired),
        "FAILED" => Some(GatewayStatus::Failed),
        _ => None,
    }
}
