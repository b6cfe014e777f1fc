//! WhatsApp senders for mikrobill: one [`WhatsAppProvider`] implementation per provider
//! (Meta Cloud API, Fonnte, Wablas, WAHA, go-whatsapp-web-multidevice), each in `<provider>.rs`
//! with its wire structs and status mapping in `<provider>/transformers.rs`; plus the pure
//! helpers a sending pool needs: [`Pacer`] (per-session rate limit with jitter),
//! [`QuietHours`], and [`template`] rendering with Indonesian defaults.
//!
//! Phone numbers enter every provider in the canonical form `62…` (see [`phone::normalize`]);
//! each provider derives its own form at the edge (`@c.us`, `@s.whatsapp.net`, …).
//!
//! # How the pool uses a [`SendError`]
//! * `Ok(receipt)` — accepted (or queued by the provider): record the id, never resend.
//! * [`SendError::is_failover`] — this session cannot send now: mark it unhealthy, try the next.
//! * [`SendError::is_retryable`] — transient: back off ([`SendError::retry_after`]) and retry.
//! * [`SendError::is_final`] — the message itself is wrong (bad number, outside the 24-hour
//!   window, template missing): fail it, do not try another session.

mod client;
mod error;
pub mod fonnte;
pub mod gowa;
pub mod meta;
mod pacer;
pub mod phone;
mod quiet_hours;
pub mod signature;
pub mod template;
mod types;
pub mod wablas;
pub mod waha;

#[cfg(feature = "fake")]
pub mod fake;

pub use error::{RecipientReason, SendError, SendErrorKind};
pub use fonnte::{Fonnte, FonnteConfig};
pub use gowa::{Gowa, GowaConfig};
pub use meta::{MetaCloud, MetaCloudConfig};
pub use pacer::Pacer;
pub use phone::{to_chat_id, PhoneError};
pub use quiet_hours::QuietHours;
pub use types::{
    AcceptedState, DeliveryStatus, DeliveryUpdate, Pairing, ProviderKind, SendReceipt,
    SessionHealth, TemplateMessage, WhatsAppProvider,
};
pub use wablas::{Wablas, WablasConfig};
pub use waha::{Waha, WahaConfig};

/// Re-exported so callers can build configs without depending on `secrecy` themselves.
pub use secrecy::SecretString;
