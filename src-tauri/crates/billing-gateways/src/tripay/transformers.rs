//! Tripay wire structs (gateways.md §B.1) and the mapping to gateway-neutral types.

use serde::{Deserialize, Serialize};

use crate::amount;
use crate::{GatewayStatus, MethodKind};

/// `POST {base}/transaction/create` (closed payment).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateRequest {
    pub method: String,
    pub merchant_ref: String,
    #[serde(deserialize_with = "amount::de")]
    pub amount: i64,
    pub customer_name: String,
    pub customer_email: String,
    pub customer_phone: String,
    pub order_items: Vec<OrderItem>,
    pub return_url: String,
    pub callback_url: String,
    /// Unix seconds.
    pub expired_time: i64,
    pub signature: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrderItem {
    pub sku: String,
    pub name: String,
    #[serde(deserialize_with = "amount::de")]
    pub price: i64,
    pub quantity: u32,
}

/// Every Tripay answer: `{"success":…,"message":…,"data":…}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub success: bool,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default = "none")]
    pub data: Option<T>,
}

fn none<T>() -> Option<T> {
    None
}

/// `data` of transaction/create and transaction/detail.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Transaction {
    pub reference: String,
    pub merchant_ref: String,
    #[serde(default)]
    pub payment_method: Option<String>,
    /// What the customer pays (our amount + `fee_customer`) [P].
    #[serde(deserialize_with = "amount::de")]
    pub amount: i64,
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub fee_customer: Option<i64>,
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub total_fee: Option<i64>,
    #[serde(default)]
    pub pay_code: Option<String>,
    #[serde(default)]
    pub pay_url: Option<String>,
    #[serde(default)]
    pub checkout_url: Option<String>,
    pub status: String,
    /// Unix seconds.
    #[serde(default)]
    pub expired_time: Option<i64>,
    #[serde(default)]
    pub qr_string: Option<String>,
}

/// One entry of `GET {base}/merchant/payment-channel` [P: shape from typed clients].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Channel {
    #[serde(default)]
    pub group: String,
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub total_fee: Option<ChannelFee>,
    #[serde(default)]
    pub icon_url: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChannelFee {
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub flat: Option<i64>,
    /// `"0.70"` or `0.7` (percent).
    #[serde(default)]
    pub percent: Option<serde_json::Value>,
}

/// The JSON callback body (`X-Callback-Event: payment_status`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Callback {
    pub reference: String,
    pub merchant_ref: String,
    #[serde(default)]
    pub payment_method: Option<String>,
    #[serde(default)]
    pub payment_method_code: Option<String>,
    #[serde(deserialize_with = "amount::de")]
    pub total_amount: i64,
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub fee_merchant: Option<i64>,
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub fee_customer: Option<i64>,
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub total_fee: Option<i64>,
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub amount_received: Option<i64>,
    #[serde(default)]
    pub is_closed_payment: Option<serde_json::Value>,
    pub status: String,
    #[serde(default)]
    pub paid_at: Option<i64>,
    #[serde(default)]
    pub note: Option<String>,
}

pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<Envelope<serde_json::Value>>(body)
        .ok()
        .and_then(|e| e.message)
}

/// `UNPAID`, `PAID`, `SETTLED`, `EXPIRED`, `FAILED`, `REFUND`. Unknown → `None`.
pub fn status_from_wire(status: &str) -> Option<GatewayStatus> {
    match status.to_ascii_uppercase().as_str() {
        "PAID" | "SETTLED" => Some(GatewayStatus::Paid),
        "UNPAID" => Some(GatewayStatus::Pending),
        "EXPIRED" => Some(GatewayStatus::Expired),
        "FAILED" | "REFUND" => Some(GatewayStatus::Failed),
        _ => None,
    }
}

pub fn method_kind(group: &str, code: &str) -> MethodKind {
    let group = group.to_ascii_lowercase();
    if code.starts_with("QRIS") {
        MethodKind::Qris
    } else if group.contains("virtual") || code.ends_with("VA") {
        MethodKind::VirtualAccount
    } else if group.contains("wallet") || matches!(code, "OVO" | "DANA" | "SHOPEEPAY") {
        MethodKind::EWallet
    } else if group.contains("store") || matches!(code, "ALFAMART" | "INDOMARET" | "ALFAMIDI") {
        MethodKind::Retail
    } else {
        MethodKind::Redirect
    }
}

/// `flat + ceil(amount × percent / 100)`, with the percent read as a decimal of at most four
/// places (no floats). An unreadable percent counts as 0.
pub fn channel_fee(amount: i64, fee: &ChannelFee) -> i64 {
    let flat = fee.flat.unwrap_or(0);
    let percent = match &fee.percent {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return flat,
    };
    let Some(per_million) = ten_thousandths(&percent) else {
        return flat;
    };
    // percent × 10_000 → share = amount × per_million / 1_000_000, rounded up.
    let share = (i128::from(amount) * i128::from(per_million) + 999_999) / 1_000_000;
    flat.saturating_add(i64::try_from(share).unwrap_or(i64::MAX))
}

/// `"0.70"` → 7000 (the percent × 10 000).
fn ten_thousandths(text: &str) -> Option<i64> {
    let (whole, fraction) = text.trim().split_once('.').unwrap_or((text.trim(), ""));
    if fraction.len() > 4 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = format!("{fraction:0<4}").parse().ok()?;
    Some(whole * 10_000 + fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_compute_channel_fee_without_floats() {
        let fee = |flat, percent: serde_json::Value| ChannelFee {
            flat: Some(flat),
            percent: Some(percent),
        };
        assert_eq!(channel_fee(150_000, &fee(4250, "0.00".into())), 4250);
        assert_eq!(channel_fee(150_000, &fee(750, "0.70".into())), 750 + 1050);
        assert_eq!(channel_fee(100_001, &fee(0, serde_json::json!(0.7))), 701);
    }

    #[test]
    fn should_map_statuses() {
        assert_eq!(status_from_wire("PAID"), Some(GatewayStatus::Paid));
        assert_eq!(status_from_wire("UNPAID"), Some(GatewayStatus::Pending));
        assert_eq!(status_from_wire("EXPIRED"), Some(GatewayStatus::Expired));
        assert_eq!(status_from_wire("REFUND"), Some(GatewayStatus::Failed));
        assert_eq!(status_from_wire("???"), None);
    }
}
