//! Payments: recording, settling exactly once, and allocating to the invoice.

use billing_domain::{
    allocate, CustomerId, InvoiceId, InvoiceStatus, Money, PaymentId, PaymentStatus,
    SubscriptionId, UserId,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    billing::credit, billing::customers, billing::isolation, billing::ledger, AppContext, Error,
};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Payment {
    #[schema(value_type = Uuid)]
    pub id: PaymentId,
    #[schema(value_type = Uuid)]
    pub customer_id: CustomerId,
    pub customer_name: String,
    #[schema(value_type = Option<Uuid>)]
    pub invoice_id: Option<InvoiceId>,
    pub invoice_number: Option<String>,
    pub method: String,
    pub reference: Option<String>,
    /// What came in.
    #[schema(value_type = i64)]
    pub amount: Money,
    /// What the payment asked for, when its gateway took another amount (then applied for
    /// what came in: less pays the invoice in part, more leaves credit).
    #[schema(value_type = Option<i64>)]
    pub requested_amount: Option<Money>,
    pub status: PaymentStatus,
    pub paid_at: Option<DateTime<Utc>>,
    pub recorded_by: Option<Uuid>,
    /// The username of the cashier who recorded it (none for gateway and system payments).
    pub recorded_by_name: Option<String>,
    pub note: String,
    /// Why the payment is held for review (the gateway reported another amount), if it is.
    pub review_reason: Option<String>,
    #[schema(value_type = Option<i64>)]
    pub review_amount: Option<Money>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "select p.id, p.customer_id, c.name as customer_name, p.invoice_id, \
    i.number as invoice_number, p.method, p.reference, p.amount, p.requested_amount, p.status, \
    p.paid_at, p.recorded_by, u.username as recorded_by_name, p.note, p.review_reason, \
    p.review_amount, p.created_at \
    from payments p join customers c on c.id = p.customer_id \
    left join invoices i on i.id = p.invoice_id left join users u on u.id = p.recorded_by";

#[derive(Debug, Clone)]
pub struct ManualPayment {
    pub invoice_id: InvoiceId,
    pub amount: Money,
    pub method: String,
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// The outcome of settling a payment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Settlement {
    pub payment: Payment,
    /// Paid into the invoice.
    #[schema(value_type = i64)]
    pub applied: Money,
    /// Left in the subscription's wallet as credit.
    #[schema(value_type = i64)]
    pub credit: Money,
    pub invoice_status: Option<InvoiceStatus>,
    /// False when the payment had already been settled before (a re-delivery).
    pub newly_settled: bool,
}

/// A cashier records cash or a bank transfer against an invoice.
#[tracing::instrument(skip_all, fields(invoice_id = %input.invoice_id, amount = input.amount.minor()))]
pub async fn record_manual(
    ctx: &AppContext,
    user: Option<UserId>,
    input: ManualPayment,
) -> Result<Settlement, Error> {
    let mut tx = ctx.pool.begin().await?;
    let settlement = record_manual_in(&mut tx, ctx, user, input).await?;
    tx.commit().await?;
    announce_settled(ctx, &settlement);
    Ok(settlement)
}

/// [`record_manual`] inside the caller's transaction (the sample data set shares it); the
/// caller announces the settlement after committing.
pub(crate) async fn record_manual_in(
    conn: &mut PgConnection,
    ctx: &AppContext,
    user: Option<UserId>,
    input: ManualPayment,
) -> Result<Settlement, Error> {
    Error::money(
        "amount",
        input.amount.minor(),
        billing_domain::money::InputSign::Positive,
    )?;
    if input.amount.minor() > 1_000_000_000_000 {
        return Err(Error::validation(
            "amount",
            "the amount is implausibly large",
        ));
    }
    if !matches!(input.method.as_str(), "cash" | "transfer") {
        return Err(Error::validation(
            "method",
            "method must be cash or transfer",
        ));
    }
    let reference = input
        .reference
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    crate::text::check_opt("reference", reference.as_deref(), crate::text::REFERENCE)?;
    crate::text::check_opt(
        "note",
        input.note.as_deref().map(str::trim),
        crate::text::NOTES,
    )?;

    let customer_id: CustomerId =
        sqlx::query_scalar("select customer_id from invoices where id = $1")
            .bind(input.invoice_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(Error::NotFound("invoice"))?;
    customers::lock(conn, customer_id).await?;
    let (status, number): (InvoiceStatus, String) =
        sqlx::query_as("select status, number from invoices where id = $1 for update")
            .bind(input.invoice_id)
            .fetch_one(&mut *conn)
            .await?;
    ensure_payable(status, &number)?;

    let id = PaymentId::new();
    let inserted = sqlx::query(
        "insert into payments (id, customer_id, invoice_id, method, reference, amount, status, \
                               recorded_by, note) \
         values ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)",
    )
    .bind(id)
    .bind(customer_id)
    .bind(input.invoice_id)
    .bind(&input.method)
    .bind(&reference)
    .bind(input.amount)
    .bind(user.map(|u| u.0))
    .bind(input.note.unwrap_or_default().trim())
    .execute(&mut *conn)
    .await;
    if let Err(err) = inserted {
        if crate::is_constraint_violation(&err, "payments_method_reference_key") {
            return Err(Error::conflict_on(
                "reference",
                "a payment with this reference was already recorded",
            ));
        }
        return Err(err.into());
    }
    let settlement = settle_in(conn, ctx, id).await?;
    isolation::restore_paid_up(conn, ctx, Some(customer_id)).await?;
    Ok(settlement)
}

/// After a settling transaction committed: live pages hear of it and router restores go out.
pub(crate) fn announce_settled(ctx: &AppContext, settlement: &Settlement) {
    let p = &settlement.payment;
    crate::events::publish(
        ctx,
        crate::events::BillingEvent::PaymentSettled {
            payment_id: p.id.uuid(),
            invoice_id: p.invoice_id.map(InvoiceId::uuid),
            customer_id: p.customer_id.uuid(),
            amount: p.amount.minor(),
        },
    );
    isolation::spawn_delivery(ctx);
}

pub(crate) fn ensure_payable(status: InvoiceStatus, number: &str) -> Result<(), Error> {
    match status {
        InvoiceStatus::Unpaid | InvoiceStatus::Partial => Ok(()),
        InvoiceStatus::Paid => Err(Error::conflict(format!("invoice {number} is already paid"))),
        InvoiceStatus::Void => Err(Error::conflict(format!("invoice {number} is void"))),
        InvoiceStatus::CarriedOver => Err(Error::conflict(format!(
            "invoice {number} was carried over into a newer invoice; pay that one"
        ))),
    }
}

/// Moves a pending payment to `paid` exactly once and applies the money: received into
/// the subscription's wallet (the customer's for payments without an invoice), then as
/// much as the invoice still owes is allocated to it; any excess stays as credit. The
/// caller holds the customer lock. Settling an already-paid payment changes nothing.
pub async fn settle_in(
    conn: &mut PgConnection,
    ctx: &AppContext,
    payment_id: PaymentId,
) -> Result<Settlement, Error> {
    let now = ctx.clock.now();
    let flipped: Option<(CustomerId, Option<InvoiceId>, Money)> = sqlx::query_as(
        // A gateway may confirm money for a payment we had given up on (expired): money
        // that arrived is never lost. Only `paid` is final.
        "update payments set status = 'paid', paid_at = $2, review_reason = null \
         where id = $1 and status <> 'paid' returning customer_id, invoice_id, amount",
    )
    .bind(payment_id)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((customer_id, invoice_id, amount)) = flipped else {
        let payment = fetch(conn, payment_id).await?;
        if payment.status != PaymentStatus::Paid {
            return Err(Error::conflict(format!(
                "payment is {}; it cannot be settled",
                payment.status
            )));
        }
        return Ok(Settlement {
            payment,
            applied: Money::ZERO,
            credit: Money::ZERO,
            invoice_status: None,
            newly_settled: false,
        });
    };

    let invoice: Option<InvoiceRow> = match invoice_id {
        Some(id) => sqlx::query_as(
            "select subscription_id, number, status, total, paid from invoices where id = $1 for update",
        )
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?,
        None => None,
    };
    let subscription_id = invoice.as_ref().map(|i| i.0);
    let memo = invoice
        .as_ref()
        .map(|i| format!("Pembayaran {}", i.1))
        .unwrap_or_default();
    ledger::append(
        conn,
        &ledger::Entry {
            customer_id,
            subscription_id,
            delta: amount,
            reason: ledger::Reason::PaymentReceived,
            memo: &memo,
            payment_id: Some(payment_id),
            invoice_id,
            created_by: None,
            at: now,
        },
    )
    .await?;

    // Money for an invoice whose debt was carried into a newer one pays the newer one.
    let target = match (invoice_id, invoice) {
        (Some(id), Some((sub, number, status, total, paid)))
            if status == InvoiceStatus::CarriedOver =>
        {
            follow_carry_over(conn, id)
                .await?
                .or(Some((id, (sub, number, status, total, paid))))
        }
        (Some(id), Some(row)) => Some((id, row)),
        _ => None,
    };
    let mut applied = Money::ZERO;
    let mut invoice_status = None;
    if let Some((invoice_id, (sub, number, status, total, paid))) = target {
        invoice_status = Some(status);
        if status.is_open() {
            let owed = total
                .checked_sub(paid)
                .ok_or_else(|| Error::validation("amount", "the amount is too large"))?;
            let split = allocate(amount, owed);
            applied = split.applied;
            if applied.is_positive() {
                ledger::allocate_payment(
                    conn,
                    customer_id,
                    sub,
                    invoice_id,
                    payment_id,
                    applied,
                    &format!("Dibayarkan ke {number}"),
                    now,
                )
                .await?;
                invoice_status = Some(ledger::add_paid(conn, invoice_id, applied).await?);
            }
        }
    }
    let credit = amount
        .checked_sub(applied)
        .ok_or_else(|| Error::validation("amount", "the amount is too large"))?;
    if credit.is_positive() {
        // Money beyond this invoice is credit arriving: it pays the customer's other open
        // invoices at once, oldest first.
        credit::credit_arrived_in(conn, customer_id, None, now).await?;
    }
    // The confirmation message is queued in this same transaction: once per payment.
    crate::messaging::triggers::payment_received_in(conn, ctx, payment_id.uuid(), credit.minor())
        .await?;
    let payment = fetch(conn, payment_id).await?;
    Ok(Settlement {
        applied,
        credit,
        payment,
        invoice_status,
        newly_settled: true,
    })
}

/// subscription, number, status, total, paid
type InvoiceRow = (SubscriptionId, String, InvoiceStatus, Money, Money);

/// The open invoice a carried-over invoice's debt ended up in, if any (locked).
async fn follow_carry_over(
    conn: &mut PgConnection,
    from: InvoiceId,
) -> Result<Option<(InvoiceId, InvoiceRow)>, Error> {
    let mut current = from;
    for _ in 0..36 {
        let dest: Option<InvoiceId> = sqlx::query_scalar(
            "select dest_invoice_id from carry_overs \
             where source_invoice_id = $1 and reversed_at is null",
        )
        .bind(current)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(dest) = dest else { return Ok(None) };
        let row: InvoiceRow = sqlx::query_as(
            "select subscription_id, number, status, total, paid from invoices where id = $1 for update",
        )
        .bind(dest)
        .fetch_one(&mut *conn)
        .await?;
        if row.2 != InvoiceStatus::CarriedOver {
            return Ok(Some((dest, row)));
        }
        current = dest;
    }
    Ok(None)
}

pub async fn get(ctx: &AppContext, id: PaymentId) -> Result<Payment, Error> {
    let mut conn = ctx.pool.acquire().await?;
    fetch(&mut conn, id).await
}

async fn fetch(conn: &mut PgConnection, id: PaymentId) -> Result<Payment, Error> {
    sqlx::query_as(&format!("{SELECT} where p.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound("payment"))
}

#[derive(Debug, Clone, Default)]
pub struct PaymentQuery {
    pub status: Option<String>,
    pub customer_id: Option<CustomerId>,
    pub invoice_id: Option<InvoiceId>,
    pub method: Option<String>,
    /// Paid on or after this day (business time zone).
    pub paid_from: Option<chrono::NaiveDate>,
    /// Paid on or before this day.
    pub paid_to: Option<chrono::NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(ctx: &AppContext, q: PaymentQuery) -> Result<(Vec<Payment>, i64), Error> {
    for (field, day) in [("paid_from", q.paid_from), ("paid_to", q.paid_to)] {
        // The day after `paid_to` is computed below; keep both within four-digit years.
        if day.is_some_and(|d| !(1..=9999).contains(&chrono::Datelike::year(&d))) {
            return Err(Error::validation(
                field,
                "use a date between the years 1 and 9999",
            ));
        }
    }
    if let (Some(from), Some(to)) = (q.paid_from, q.paid_to) {
        if from > to {
            return Err(Error::validation("paid_from", "the start is after the end"));
        }
    }
    let from = q.paid_from.map(|d| crate::calendar::day_start(ctx.tz, d));
    let to = q
        .paid_to
        .map(|d| crate::calendar::day_start(ctx.tz, d + chrono::Days::new(1)));
    let filter = "where ($1::text is null or p.status = $1) \
                  and ($2::uuid is null or p.customer_id = $2) \
                  and ($3::uuid is null or p.invoice_id = $3) \
                  and ($4::text is null or p.method = $4) \
                  and ($5::timestamptz is null or p.paid_at >= $5) \
                  and ($6::timestamptz is null or p.paid_at < $6)";
    let total: i64 = sqlx::query_scalar(&format!("select count(*) from payments p {filter}"))
        .bind(&q.status)
        .bind(q.customer_id)
        .bind(q.invoice_id)
        .bind(&q.method)
        .bind(from)
        .bind(to)
        .fetch_one(&ctx.pool)
        .await?;
    let items = sqlx::query_as(&format!(
        "{SELECT} {filter} order by p.created_at desc, p.id desc limit $7 offset $8"
    ))
    .bind(&q.status)
    .bind(q.customer_id)
    .bind(q.invoice_id)
    .bind(&q.method)
    .bind(from)
    .bind(to)
    .bind(q.limit.clamp(1, 200))
    .bind(q.offset.max(0))
    .fetch_all(&ctx.pool)
    .await?;
    Ok((items, total))
}
