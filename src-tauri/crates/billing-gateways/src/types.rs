//! The gateway-neutral types and the [`PaymentGateway`] trait.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::GatewayError;

/// Which of the vendor's environments the keys belong to (keys are never interchangeable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Environment {
    Sandbox,
    Production,
}

/// How a payment method is paid, so the pay page knows what to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    /// Show `va_number` with a copy button.
    VirtualAccount,
    /// Draw `qr_string` as a QR code.
    Qris,
    /// Usually a redirect / deep link (`payment_url`).
    EWallet,
    /// A pay code for a shop counter (`va_number` holds the code when the gateway returns one).
    Retail,
    /// Send the customer to the gateway's hosted page (`payment_url`).
    Redirect,
}

/// One channel the merchant has enabled at the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentMethod {
    /// The vendor's channel code (`BC`, `BRIVA`, …), passed back as [`CreatePayment::method`].
    pub code: String,
    pub name: String,
    /// The fee the gateway quotes for this amount, in rupiah (0 when unknown).
    pub fee: i64,
    pub image_url: Option<String>,
    pub kind: MethodKind,
}

/// What the integrator asks a gateway to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatePayment {
    /// Our unique order id (≤ 50 chars); re-creating for the same invoice needs a new suffix.
    pub merchant_ref: String,
    /// Rupiah, > 0.
    pub amount: i64,
    /// A [`PaymentMethod::code`] of this gateway.
    pub method: String,
    pub customer_name: String,
    /// Canonical `62…` digits; each gateway converts it to the form it expects.
    pub phone: String,
    pub email: Option<String>,
    pub description: String,
    pub callback_url: String,
    pub return_url: String,
    pub expiry_minutes: u32,
}

/// What the gateway returned for a created payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedPayment {
    /// The gateway's own reference (Duitku `reference`, Tripay `reference`, Midtrans Snap
    /// token, Xendit invoice `id`).
    pub gateway_ref: String,
    pub payment_url: Option<String>,
    /// VA number, or the counter pay code for retail channels.
    pub va_number: Option<String>,
    /// QRIS payload to draw.
    pub qr_string: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    /// The fee the gateway reports for this transaction, when it reports one.
    pub fee: Option<i64>,
}

/// The payment state as the gateway tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GatewayStatus {
    Paid,
    Pending,
    /// Failed, cancelled, denied or refunded.
    Failed,
    Expired,
}

/// A callback or a status check, translated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatewayEvent {
    /// Our order id: the key to match the payment by.
    pub merchant_ref: String,
    pub gateway_ref: Option<String>,
    pub status: GatewayStatus,
    /// The amount the gateway says the payment is for, in rupiah (the invoice amount,
    /// without any fee the gateway added for the customer).
    pub amount: i64,
}

/// `(HTTP status, content-type, body)` to answer a gateway's callback with.
pub type CallbackAck = (u16, &'static str, String);

/// One payment gateway. Implementations are cheap to share (`Arc<dyn PaymentGateway>`).
#[async_trait::async_trait]
pub trait PaymentGateway: Send + Sync + std::fmt::Debug {
    /// `"duitku"`, `"tripay"`, `"midtrans"` or `"xendit"`.
    fn code(&self) -> &'static str;

    fn environment(&self) -> Environment;

    /// The channels enabled for this merchant, with fees for `amount`.
    async fn methods(&self, amount: i64) -> Result<Vec<PaymentMethod>, GatewayError>;

    async fn create(&self, req: &CreatePayment) -> Result<CreatedPayment, GatewayError>;

    /// Creates a payment on the gateway's own hosted checkout page, where the customer chooses
    /// how to pay (no [`CreatePayment::method`]; an empty [`CreatePayment::callback_url`] means
    /// none is sent and the payment is confirmed by [`PaymentGateway::status`] alone). The
    /// answer's `payment_url` is the page to send the customer to. For shops the gateway
    /// cannot call back (no public address).
    async fn create_checkout(&self, req: &CreatePayment) -> Result<CreatedPayment, GatewayError> {
        let _ = req;
        Err(GatewayError::NotSupported(
            "this gateway offers no hosted checkout page",
        ))
    }

    /// Whether [`PaymentGateway::create_checkout`] is implemented.
    fn supports_checkout(&self) -> bool {
        false
    }

    /// Verifies authenticity from the RAW body bytes + headers and parses into an event.
    /// Bad signature → [`GatewayError::Signature`] (nothing else done).
    fn parse_callback(
        &self,
        headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<GatewayEvent, GatewayError>;

    /// True when a callback's status must not move money by itself: the integrator confirms
    /// every callback with [`PaymentGateway::status`] first (Duitku: `resultCode` is ambiguous).
    fn callback_is_trigger_only(&self) -> bool {
        false
    }

    /// Asks the gateway for the payment's state. Only `Paid` from here moves money.
    async fn status(
        &self,
        merchant_ref: &str,
        gateway_ref: Option<&str>,
    ) -> Result<GatewayEvent, GatewayError>;

    /// What the gateway expects as the HTTP answer to its callback. `accepted = false` is the
    /// answer to a callback that failed authentication (401). For a transient failure on our
    /// side answer 5xx yourself so the gateway retries.
    fn callback_ack(&self, accepted: bool) -> CallbackAck;
}

/// `628123…` → `08123…` (the local form Duitku's and Tripay's examples use).
pub(crate) fn phone_local(phone: &str) -> String {
    match phone.strip_prefix("62") {
        Some(rest) => format!("0{rest}"),
        None => phone.to_owned(),
    }
}

/// `628123…` → `+628123…` (E.164, for Midtrans and Xendit).
pub(crate) fn phone_e164(phone: &str) -> String {
    if phone.starts_with('+') {
        phone.to_owned()
    } else {
        format!("+{phone}")
    }
}

/// Splits "Budi Santoso" into ("Budi", "Santoso").
pub(crate) fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.split_once(' ') {
        Some((first, last)) => (first.to_owned(), last.trim().to_owned()),
        None => (name.to_owned(), String::new()),
    }
}
