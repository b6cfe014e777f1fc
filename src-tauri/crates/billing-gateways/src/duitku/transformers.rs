//! Duitku wire structs (gateways.md §A) and the mapping to gateway-neutral types.

use serde::{Deserialize, Serialize};

use crate::amount;
use crate::{GatewayStatus, MethodKind};

/// `POST /webapi/api/merchant/paymentmethod/getpaymentmethod` (§A.2).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodsRequest {
    /// Some doc versions spell it `merchantcode`; the official SDK sends `merchantCode`.
    #[serde(alias = "merchantcode")]
    pub merchant_code: String,
    #[serde(deserialize_with = "amount::de")]
    pub amount: i64,
    /// `Y-m-d H:i:s`, Asia/Jakarta.
    pub datetime: String,
    pub signature: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodsResponse {
    #[serde(default)]
    pub payment_fee: Vec<MethodFee>,
    #[serde(default)]
    pub response_code: Option<String>,
    #[serde(default)]
    pub response_message: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodFee {
    pub payment_method: String,
    pub payment_name: String,
    #[serde(default)]
    pub payment_image: Option<String>,
    /// A string in the Go SDK (`"5000"`), a number elsewhere.
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub total_fee: Option<i64>,
}

/// What an inquiry and a POP invoice both say about the order (§A.3, §A.4).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    #[serde(deserialize_with = "amount::de")]
    pub payment_amount: i64,
    pub merchant_order_id: String,
    pub product_details: String,
    #[serde(default)]
    pub additional_param: String,
    #[serde(default)]
    pub merchant_user_info: String,
    pub customer_va_name: String,
    pub email: String,
    #[serde(default)]
    pub phone_number: String,
    #[serde(default)]
    pub item_details: Vec<ItemDetail>,
    #[serde(default)]
    pub customer_detail: Option<CustomerDetail>,
    pub return_url: String,
    /// Minutes.
    #[serde(default)]
    pub expiry_period: Option<u32>,
}

/// `POST /webapi/api/merchant/v2/inquiry` (§A.3): the order with the merchant code, the
/// chosen payment method, the callback address and the signature.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquiryRequest {
    pub merchant_code: String,
    pub payment_method: String,
    #[serde(flatten)]
    pub order: Order,
    #[serde(default)]
    pub callback_url: String,
    pub signature: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ItemDetail {
    pub name: String,
    #[serde(deserialize_with = "amount::de")]
    pub price: i64,
    pub quantity: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDetail {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone_number: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquiryResponse {
    #[serde(default)]
    pub merchant_code: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub payment_url: Option<String>,
    #[serde(default)]
    pub va_number: Option<String>,
    #[serde(default)]
    pub qr_string: Option<String>,
    /// A string (`"150000"`) in the documented answer.
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub amount: Option<i64>,
    #[serde(default)]
    pub status_code: Option<String>,
    #[serde(default)]
    pub status_message: Option<String>,
}

/// POP `POST /api/merchant/createInvoice` (§A.4): the inquiry's order without `merchantCode`
/// and `signature` (both go in the `x-duitku-*` headers) and without `paymentMethod` (the
/// customer chooses on Duitku's page). No `callbackUrl` is sent when there is none.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PopInvoiceRequest {
    #[serde(flatten)]
    pub order: Order,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_url: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PopInvoiceResponse {
    #[serde(default)]
    pub merchant_code: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
    #[serde(default)]
    pub payment_url: Option<String>,
    #[serde(default)]
    pub status_code: Option<String>,
    #[serde(default)]
    pub status_message: Option<String>,
}

/// `POST /webapi/api/merchant/transactionStatus` (§A.6).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusRequest {
    pub merchant_code: String,
    pub merchant_order_id: String,
    pub signature: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusResponse {
    #[serde(default)]
    pub merchant_order_id: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
    /// String or number.
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub amount: Option<i64>,
    /// `"0.00"` or a number.
    #[serde(default, deserialize_with = "amount::de_opt")]
    pub fee: Option<i64>,
    pub status_code: String,
    #[serde(default)]
    pub status_message: Option<String>,
}

/// The form-urlencoded callback (§A.5), fields in the order Duitku sends them. Unknown fields
/// (credit-card extras) are ignored; missing ones are empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CallbackForm {
    pub merchant_code: String,
    /// Kept as sent: the signature covers this exact text.
    pub amount: String,
    pub merchant_order_id: String,
    pub product_detail: String,
    pub additional_param: String,
    pub payment_code: String,
    pub result_code: String,
    pub merchant_user_id: String,
    pub reference: String,
    pub signature: String,
    pub publisher_order_id: String,
    pub sp_user_hash: String,
    pub settlement_date: String,
    pub issuer_code: String,
}

/// The error body Duitku's API sends with a non-2xx status (ASP.NET style, §A.3) [U].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorResponse {
    #[serde(rename = "Message")]
    pub message: String,
}

pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    if let Ok(err) = serde_json::from_slice::<ErrorResponse>(body) {
        return Some(err.message);
    }
    serde_json::from_slice::<InquiryResponse>(body)
        .ok()
        .and_then(|r| r.status_message)
}

/// transactionStatus `statusCode` (§A.6): `00` paid, `01` pending, `02` failed/cancelled/expired.
/// Duitku does not tell expiry apart from failure; the integrator expires by its own clock.
pub fn status_from_code(code: &str) -> Option<GatewayStatus> {
    match code {
        "00" => Some(GatewayStatus::Paid),
        "01" => Some(GatewayStatus::Pending),
        "02" => Some(GatewayStatus::Failed),
        _ => None,
    }
}

/// Callback `resultCode` (§A.5). `01` is documented both as failed and as pending, so nothing
/// but `00` is read as a result: anything else is `Pending` ("go and ask"). Either way the
/// integrator confirms with transactionStatus before moving money.
pub fn callback_status(result_code: &str) -> GatewayStatus {
    match result_code {
        "00" => GatewayStatus::Paid,
        _ => GatewayStatus::Pending,
    }
}

/// What the pay page needs for a channel code (§A.7).
pub fn method_kind(code: &str) -> MethodKind {
    match code {
        "BC" | "M2" | "I1" | "BR" | "BT" | "B1" | "A1" | "AG" | "S1" | "VA" | "BV" | "DM"
        | "NC" => MethodKind::VirtualAccount,
        "SP" | "NQ" | "DQ" | "SQ" | "LQ" | "GQ" => MethodKind::Qris,
        "OV" | "DA" | "LA" | "LF" | "SA" | "JP" => MethodKind::EWallet,
        "FT" | "IR" | "IM" | "A2" => MethodKind::Retail,
        _ => MethodKind::Redirect,
    }
}

/// `Some(s)` unless empty.
pub(crate) fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_serialize_callback_form_in_duitku_field_order() {
        let form = CallbackForm {
            merchant_code: "DS12345".into(),
            amount: "150000".into(),
            ..CallbackForm::default()
        };
        let body = serde_urlencoded::to_string(&form).expect("encodes");
        assert!(body.starts_with("merchantCode=DS12345&amount=150000&merchantOrderId=&"));
        assert!(body.ends_with("&settlementDate=&issuerCode="));
    }

    #[test]
    fn should_classify_channels() {
        assert_eq!(method_kind("BC"), MethodKind::VirtualAccount);
        assert_eq!(method_kind("SP"), MethodKind::Qris);
        assert_eq!(method_kind("OV"), MethodKind::EWallet);
        assert_eq!(method_kind("IR"), MethodKind::Retail);
        assert_eq!(method_kind("VC"), MethodKind::Redirect);
    }
}
