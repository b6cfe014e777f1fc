//! Online payments through gateways: settings, pay links and the pay page, payment
//! creation, callbacks and the status poller. A payment is applied exactly once, whether
//! it arrives by callback, by polling, or both.

mod apply;
pub mod checkout;
pub mod gateways;
mod links;
pub mod manual;
pub mod orders;
mod outcome;
mod settings;

pub use apply::{
    apply_event, check_payment, check_pending, handle_callback, resolve_review, Callback,
    CallbackOutcome,
};
pub(crate) use links::public_base;
pub use links::{
    available_methods, create_pay_link, pay_link_in, pay_page, pay_page_status, payment_status,
    prepare_pay_link, start_payment, start_payment_for_invoice, MethodOption, PayLink, PayPage,
    PaymentInstructions, PaymentStatusView,
};
pub use outcome::{AmountCheck, Outcome, PollSummary};
pub use settings::{
    gateway_settings, reload_gateways, update_gateway_settings, GatewaySettings,
    GatewaySettingsInput,
};

use sha2::{Digest, Sha256};

pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Records something the owner's security log should show.
pub(crate) async fn security_event(
    conn: &mut sqlx::PgConnection,
    at: chrono::DateTime<chrono::Utc>,
    kind: &str,
    detail: &str,
    params: serde_json::Value,
    remote_addr: Option<&str>,
) -> Result<(), crate::Error> {
    tracing::warn!(kind, detail, remote_addr, "security event");
    sqlx::query(
        "insert into security_events (kind, detail, remote_addr, occurred_at, params) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(kind)
    .bind(detail)
    .bind(remote_addr)
    .bind(at)
    .bind(params)
    .execute(conn)
    .await?;
    Ok(())
}

/// A one-time value for the public-URL check.
pub fn new_nonce() -> String {
    use rand::RngCore;
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    hex::encode(raw)
}
