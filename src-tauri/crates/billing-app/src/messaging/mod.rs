//! WhatsApp notifications: a persistent priority queue in PostgreSQL, filled in the same
//! transaction as the event that causes a message (so an event never sends twice and is
//! never lost), drained by workers over a pool of sender sessions.

mod cancellation;
mod pool;
pub mod sessions;
mod templates;
pub mod triggers;
mod worker;

pub use cancellation::cancel_message;
pub use pool::{reload_sessions, SessionPool};
pub use pool::{secret_name, token_name, MAX_SESSIONS};
pub use templates::{list_templates, preview, set_template, TemplateView};
pub use triggers::{
    invoice_issued, invoices_issued, isolated, payment_received_in, pending_invoice_notices,
    reminders, restored_in,
};
pub use worker::{drain, health_check, recover_after_restart, retry_message, DrainSummary};

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;

/// High: payment confirmations, alerts. Normal: invoices, reminders. Low: bulk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    High = 0,
    Normal = 1,
    Low = 2,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    /// Derived from the event, e.g. `payment:<id>:received`.
    pub key: String,
    pub customer_id: Option<Uuid>,
    pub to_phone: &'a str,
    pub template: &'a str,
    pub vars: HashMap<&'static str, String>,
    pub priority: Priority,
}

/// Queues a message unless the same event already queued one, the customer opted out, or
/// the customer is sample data (whose real-looking number may be a stranger's).
/// Runs inside the caller's transaction. Returns whether a new message was queued.
pub async fn enqueue_in(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    message: NewMessage<'_>,
) -> Result<bool, Error> {
    if let Some(customer) = message.customer_id {
        let held_back: bool =
            sqlx::query_scalar("select whatsapp_opt_out or sample from customers where id = $1")
                .bind(customer)
                .fetch_optional(&mut *conn)
                .await?
                .unwrap_or(false);
        if held_back {
            return Ok(false);
        }
    }
    let body = templates::render_in(conn, message.template, &message.vars).await?;
    let inserted = sqlx::query(
        "insert into whatsapp_messages (idempotency_key, customer_id, to_phone, template_key, body, \
                                        priority, next_attempt_at, queued_at, vars) \
         values ($1, $2, $3, $4, $5, $6, $7, $7, $8) \
         on conflict (idempotency_key) do nothing",
    )
    .bind(&message.key)
    .bind(message.customer_id)
    .bind(message.to_phone)
    .bind(message.template)
    .bind(body)
    .bind(message.priority as i16)
    .bind(now)
    .bind(serde_json::to_value(&message.vars).map_err(anyhow::Error::from)?)
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}
