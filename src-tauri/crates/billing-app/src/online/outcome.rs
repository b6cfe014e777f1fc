//! What became of a gateway event, shared by invoices' payments (`apply`) and the voucher
//! shop's (`orders`).

use serde::Serialize;

/// What happened to an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Money moved: the payment is now paid and allocated.
    Applied,
    /// Already paid before (a re-delivery, or the poller was first): nothing changed.
    AlreadyApplied,
    /// Still pending at the gateway.
    StillPending,
    /// Marked failed or expired.
    Closed,
    /// The amount differs from the payment: held for review, nothing applied.
    Held,
    /// No payment has this reference.
    Unknown,
}

/// Whether an event's amount is the gateway's own word on what it took.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountCheck {
    /// The gateway's status check reported it: the poller, or a callback whose amount the
    /// check agreed with.
    Confirmed,
    /// Not confirmed: a callback whose amount the gateway's status check contradicted.
    Unconfirmed,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct PollSummary {
    pub checked: usize,
    pub paid: usize,
    pub closed: usize,
    pub errors: usize,
}
