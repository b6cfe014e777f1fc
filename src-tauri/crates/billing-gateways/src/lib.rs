//! Payment-gateway plugins for mikrobill: one [`PaymentGateway`] implementation per vendor
//! (Duitku, Tripay, Midtrans, Xendit), each in `<vendor>.rs` (trait impl, URLs, signatures) with
//! its wire structs and status mapping in `<vendor>/transformers.rs`.
//!
//! Money is integer rupiah (`i64`) everywhere; vendor amounts such as `"150000.00"` or `150000`
//! are converted at the edge by [`amount`] and a non-zero fraction is rejected.
//!
//! # How the integrator uses a plugin
//! 1. `create` a payment, store `merchant_ref` + `gateway_ref` + what the method needs.
//! 2. On a callback, hand the **raw body bytes** and headers to `parse_callback`. A
//!    [`GatewayError::Signature`] means: answer `callback_ack(false)`, record nothing.
//! 3. Match the event to the payment by **`merchant_ref`** (always present and unique; the
//!    `gateway_ref` of a callback is not always the one `create` returned, see each vendor).
//! 4. If [`PaymentGateway::callback_is_trigger_only`] is true (Duitku), the callback's status is
//!    only a hint: confirm with [`PaymentGateway::status`] before moving money.
//! 5. Answer with `callback_ack(true)` once the event was applied idempotently.

pub mod amount;
mod client;
mod crypto;
pub mod duitku;
mod error;
pub mod midtrans;
pub mod tripay;
mod types;
pub mod xendit;

#[cfg(feature = "fake")]
pub mod fake;

pub use duitku::{Duitku, DuitkuConfig};
pub use error::GatewayError;
pub use midtrans::{Midtrans, MidtransConfig};
pub use tripay::{Tripay, TripayConfig};
pub use types::{
    CallbackAck, CreatePayment, CreatedPayment, Environment, GatewayEvent, GatewayStatus,
    MethodKind, PaymentGateway, PaymentMethod,
};
pub use xendit::{Xendit, XenditConfig};

/// Re-exported so callers can build configs without depending on `secrecy` themselves.
pub use secrecy::SecretString;
