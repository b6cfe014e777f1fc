//! In-process money events, for live pages (SSE) and later notifications.

use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BillingEvent {
    /// A payment moved to `paid`.
    PaymentSettled {
        payment_id: Uuid,
        invoice_id: Option<Uuid>,
        customer_id: Uuid,
        amount: i64,
    },
    /// A gateway payment failed, expired or was held for review.
    PaymentChanged {
        payment_id: Uuid,
        invoice_id: Option<Uuid>,
        status: String,
    },
    /// A WhatsApp sender session stopped working; the others took over.
    WhatsAppSessionFailed {
        session_id: Uuid,
        name: String,
        reason: String,
    },
}

pub fn publish(ctx: &crate::AppContext, event: BillingEvent) {
    // Nobody listening is fine.
    let _ = ctx.events.send(event);
}
