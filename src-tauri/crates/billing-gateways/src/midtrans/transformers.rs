//! Midtrans Snap wire structs (gateways.md §B.2) and the mapping to gateway-neutral types.

use serde::{Deserialize, Serialize};

use crate::amount;
use crate::GatewayStatus;

/// `POST {snap}/transactions`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnapRequest {
    pub transaction_details: TransactionDetails,
    pub item_details: Vec<ItemDetail>,
    pub customer_details: CustomerDetails,
    pub expiry: Expiry,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_payments: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callbacks: Option<Callbacks>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransactionDetails {
    pub order_id: String,
    #[serde(deserialize_with = "amount::de")]
    pub gross_amount: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemDetail {
    pub id: String,
    #[serde(deserialize_with = "amount::de")]
    pub price: i64,
    pub quantity: u32,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CustomerDetails {
    pub first_name: String,
    pub last_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub phone: String,
}

/// `{"unit":"minute","duration":…}` [P].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Expiry {
    pub unit: String,
    pub duration: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Callbacks {
    pub finish: String,
}

/// `201 {"token":…,"redirect_url":…}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SnapResponse {
    pub token: String,
    pub redirect_url: String,
}

/// Notification body, also the shape of `GET {api}/v2/{order_id}/status`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Notification {
    #[serde(default)]
    pub order_id: Option<String>,
    #[serde(default)]
    pub transaction_id: Option<String>,
    #[serde(default)]
    pub transaction_status: Option<String>,
    #[serde(default)]
    pub fraud_status: Option<String>,
    pub status_code: String,
    #[serde(default)]
    pub status_message: Option<String>,
    /// `"150000.00"`: signed as sent, so kept raw (string or number).
    #[serde(default)]
    pub gross_amount: Option<serde_json::Value>,
    #[serde(default)]
    pub signature_key: Option<String>,
    #[serde(default)]
    pub payment_type: Option<String>,
}

/// `{"error_messages":[…]}` on a rejected Snap request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorResponse {
    #[serde(default)]
    pub error_messages: Vec<String>,
    #[serde(default)]
    pub status_message: Option<String>,
}

pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    let err = serde_json::from_slice::<ErrorResponse>(body).ok()?;
    if err.error_messages.is_empty() {
        err.status_message
    } else {
        Some(err.error_messages.join("; "))
    }
}

/// `gross_amount` exactly as the signature covers it.
pub fn gross_amount_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `transaction_status` (+ `fraud_status` for card captures). Unknown → `None`.
pub fn status_from_wire(
    transaction_status: &str,
    fraud_status: Option<&str>,
) -> Option<GatewayStatus> {
    Some(match transaction_status {
        "settlement" => GatewayStatus::Paid,
        "capture" => match fraud_status {
            None | Some("accept") => GatewayStatus::Paid,
            Some("deny") => GatewayStatus::Failed,
            // "challenge": the merchant must approve it in the dashboard first.
            Some(_) => GatewayStatus::Pending,
        },
        "pending" | "authorize" => GatewayStatus::Pending,
        "deny" | "cancel" | "failure" | "refund" | "partial_refund" | "chargeback"
        | "partial_chargeback" => GatewayStatus::Failed,
        "expire" => GatewayStatus::Expired,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("settlement", None, GatewayStatus::Paid)]
    #[case("capture", Some("accept"), GatewayStatus::Paid)]
    #[case("capture", Some("challenge"), GatewayStatus::Pending)]
    #[case("capture", Some("deny"), GatewayStatus::Failed)]
    #[case("pending", None, GatewayStatus::Pending)]
    #[case("deny", None, GatewayStatus::Failed)]
    #[case("cancel", None, GatewayStatus::Failed)]
    #[case("failure", None, GatewayStatus::Failed)]
    #[case("refund", None, GatewayStatus::Failed)]
    #[case("expire", None, GatewayStatus::Expired)]
    fn should_map_transaction_status(
        #[case] wire: &str,
        #[case] fraud: Option<&str>,
        #[case] expected: GatewayStatus,
    ) {
        assert_eq!(status_from_wire(wire, fraud), Some(expected));
    }
}
