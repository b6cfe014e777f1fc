//! Reading invoices, and voiding one.

use billing_domain::{CustomerId, InvoiceId, InvoiceStatus, PaymentId, SubscriptionId, UserId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::PgConnection;

use billing_domain::Money;

use crate::{
    billing::credit, billing::customers, billing::isolation, billing::ledger, billing::payments,
    AppContext, Error,
};

/// Open invoices whose due date falls within this many days from today (today included) are
/// "due soon" on the home screen (and in `GET /api/invoices?due=soon`).
pub const DUE_SOON_DAYS: i64 = 7;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct InvoiceSummary {
    #[schema(value_type = Uuid)]
    pub id: InvoiceId,
    pub number: String,
    #[schema(value_type = Uuid)]
    pub customer_id: CustomerId,
    pub customer_name: String,
    #[schema(value_type = Uuid)]
    pub subscription_id: SubscriptionId,
    pub login: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status: InvoiceStatus,
    #[schema(value_type = i64)]
    pub total: Money,
    #[schema(value_type = i64)]
    pub paid: Money,
    /// What is still to pay on this invoice (0 once carried over or void).
    #[schema(value_type = i64)]
    pub owed: Money,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct InvoiceLine {
    pub kind: String,
    pub description: String,
    #[schema(value_type = i64)]
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AllocationView {
    pub source: String,
    #[schema(value_type = Option<Uuid>)]
    pub payment_id: Option<PaymentId>,
    pub method: Option<String>,
    #[schema(value_type = i64)]
    pub amount: Money,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CarryRef {
    #[schema(value_type = Uuid)]
    pub invoice_id: InvoiceId,
    pub number: String,
    #[schema(value_type = i64)]
    pub amount: Money,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Invoice {
    #[serde(flatten)]
    pub summary: InvoiceSummary,
    pub lines: Vec<InvoiceLine>,
    pub allocations: Vec<AllocationView>,
    pub carried_into: Option<CarryRef>,
    pub carried_from: Vec<CarryRef>,
    pub void_reason: Option<String>,
    pub customer_phone: String,
    pub customer_address: String,
    pub plan_name: String,
}

const SELECT: &str = "select i.id, i.number, i.customer_id, c.name as customer_name, \
    i.subscription_id, s.login, i.period_start, i.period_end, i.issued_on, i.due_on, i.status, \
    i.total, i.paid, case when i.status in ('unpaid', 'partial') then i.total - i.paid else 0 end \
        as owed \
    from invoices i join customers c on c.id = i.customer_id \
    join subscriptions s on s.id = i.subscription_id";

#[derive(Debug, Clone, Default)]
pub struct InvoiceQuery {
    pub status: Option<String>,
    pub customer_id: Option<CustomerId>,
    pub subscription_id: Option<SubscriptionId>,
    pub q: Option<String>,
    /// `overdue` (open, debt past its due date) or `soon` (open, not overdue, due within
    /// [`DUE_SOON_DAYS`] days) — the home screen's figures.
    pub due: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(ctx: &AppContext, q: InvoiceQuery) -> Result<(Vec<InvoiceSummary>, i64), Error> {
    let due = q.due.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if due.is_some_and(|d| d != "overdue" && d != "soon") {
        return Err(Error::validation("due", "due is overdue or soon"));
    }
    let today = ctx.today();
    let soon_last = today + chrono::Days::new((DUE_SOON_DAYS - 1).max(0) as u64);
    let open_only = q.status.as_deref() == Some("open");
    let status = q.status.filter(|s| s != "open");
    let pattern =
        q.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.to_lowercase()));
    let filter = "where ($1::text is null or i.status = $1) \
                  and ($2::uuid is null or i.customer_id = $2) \
                  and ($3::uuid is null or i.subscription_id = $3) \
                  and (not $4 or i.status in ('unpaid', 'partial')) \
                  and ($5::text is null or lower(i.number) like $5 or lower(c.name) like $5 \
                       or lower(s.login) like $5) \
                  and ($6::text is null or (i.status in ('unpaid', 'partial') and ( \
                       ($6 = 'overdue' and i.overdue_from < $7) \
                       or ($6 = 'soon' and i.overdue_from >= $7 and i.due_on <= $8))))";
    let from = "from invoices i join customers c on c.id = i.customer_id \
                join subscriptions s on s.id = i.subscription_id";
    let total: i64 = sqlx::query_scalar(&format!("select count(*) {from} {filter}"))
        .bind(&status)
        .bind(q.customer_id)
        .bind(q.subscription_id)
        .bind(open_only)
        .bind(&pattern)
        .bind(due)
        .bind(today)
        .bind(soon_last)
        .fetch_one(&ctx.pool)
        .await?;
    let items = sqlx::query_as(&format!(
        "{SELECT} {filter} order by i.issued_on desc, i.number desc limit $9 offset $10"
    ))
    .bind(&status)
    .bind(q.customer_id)
    .bind(q.subscription_id)
    .bind(open_only)
    .bind(&pattern)
    .bind(due)
    .bind(today)
    .bind(soon_last)
    .bind(q.limit.clamp(1, 200))
    .bind(q.offset.max(0))
    .fetch_all(&ctx.pool)
    .await?;
    Ok((items, total))
}

/// The summaries of the given invoices, in the given order, in one query.
pub async fn summaries(ctx: &AppContext, ids: &[InvoiceId]) -> Result<Vec<InvoiceSummary>, Error> {
    let mut rows: Vec<InvoiceSummary> = sqlx::query_as(&format!("{SELECT} where i.id = any($1)"))
        .bind(ids)
        .fetch_all(&ctx.pool)
        .await?;
    rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
    Ok(rows)
}

pub async fn get(ctx: &AppContext, id: InvoiceId) -> Result<Invoice, Error> {
    let mut conn = ctx.pool.acquire().await?;
    fetch(&mut conn, id).await
}

pub(crate) async fn fetch(conn: &mut PgConnection, id: InvoiceId) -> Result<Invoice, Error> {
    let summary: InvoiceSummary = sqlx::query_as(&format!("{SELECT} where i.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound("invoice"))?;
    let lines = sqlx::query_as(
        "select kind, description, amount from invoice_lines where invoice_id = $1 order by id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let allocations = sqlx::query_as(
        "select a.source, a.payment_id, p.method, a.amount, a.allocated_at as at \
         from allocations a left join payments p on p.id = a.payment_id \
         where a.invoice_id = $1 order by a.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let carried_into = sqlx::query_as(
        "select co.dest_invoice_id as invoice_id, i.number, co.amount from carry_overs co \
         join invoices i on i.id = co.dest_invoice_id \
         where co.source_invoice_id = $1 and co.reversed_at is null",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let carried_from = sqlx::query_as(
        "select co.source_invoice_id as invoice_id, i.number, co.amount from carry_overs co \
         join invoices i on i.id = co.source_invoice_id \
         where co.dest_invoice_id = $1 and co.reversed_at is null order by i.number",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let (void_reason, customer_phone, customer_address, plan_name): (
        Option<String>,
        String,
        String,
        String,
    ) = sqlx::query_as(
        "select i.void_reason, c.phone, c.address, p.name from invoices i \
             join customers c on c.id = i.customer_id \
             join subscriptions s on s.id = i.subscription_id join plans p on p.id = s.plan_id \
             where i.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Invoice {
        summary,
        lines,
        allocations,
        carried_into,
        carried_from,
        void_reason,
        customer_phone,
        customer_address,
        plan_name,
    })
}

/// Voids an invoice: money already paid into it returns to the subscription's wallet as
/// credit, and invoices whose arrears it carried are owed again.
#[tracing::instrument(skip_all, fields(invoice_id = %id))]
pub async fn void(ctx: &AppContext, id: InvoiceId, reason: &str) -> Result<Invoice, Error> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::validation(
            "reason",
            "a reason is required to void an invoice",
        ));
    }
    crate::text::check("reason", reason, crate::text::REASON)?;
    let now = ctx.clock.now();
    let mut tx = ctx.pool.begin().await?;
    let customer_id: CustomerId =
        sqlx::query_scalar("select customer_id from invoices where id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("invoice"))?;
    customers::lock(&mut tx, customer_id).await?;
    let (status, number, paid, subscription_id): (InvoiceStatus, String, Money, SubscriptionId) =
        sqlx::query_as(
            "select status, number, paid, subscription_id from invoices where id = $1 for update",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    match status {
        InvoiceStatus::Void => {
            return Err(Error::conflict(format!("invoice {number} is already void")))
        }
        InvoiceStatus::CarriedOver => {
            return Err(Error::conflict(format!(
                "invoice {number} was carried over; void the invoice it was carried into"
            )))
        }
        _ => {}
    }
    if paid.is_positive() {
        ledger::append(
            &mut tx,
            &ledger::Entry {
                customer_id,
                subscription_id: Some(subscription_id),
                delta: paid,
                reason: ledger::Reason::VoidReversal,
                memo: &format!("Pembatalan {number}: {reason}"),
                payment_id: None,
                invoice_id: Some(id),
                created_by: None,
                at: now,
            },
        )
        .await?;
    }
    sqlx::query(
        "update invoices set status = 'void', void_reason = $2, voided_at = $3 where id = $1",
    )
    .bind(id)
    .bind(reason)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "with reopened as ( \
             update carry_overs set reversed_at = $2 \
             where dest_invoice_id = $1 and reversed_at is null returning source_invoice_id) \
         update invoices set status = case when paid > 0 then 'partial' else 'unpaid' end \
         where id in (select source_invoice_id from reopened)",
    )
    .bind(id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if paid.is_positive() {
        // The money that came back is credit: it pays what is still owed (the invoices this
        // one had carried, owed again now), oldest first.
        credit::credit_arrived_in(&mut tx, customer_id, None, now).await?;
    }
    isolation::restore_paid_up(&mut tx, ctx, Some(customer_id)).await?;
    let invoice = fetch(&mut tx, id).await?;
    tx.commit().await?;
    isolation::spawn_delivery(ctx);
    Ok(invoice)
}

/// What `POST /api/invoices/{id}/apply-balance` did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BalanceApplied {
    /// Taken from the subscription's wallet.
    #[schema(value_type = i64)]
    pub from_subscription: Money,
    /// Taken from the customer's own wallet.
    #[schema(value_type = i64)]
    pub from_customer: Money,
    /// Credit the customer still has (both kinds of wallet) afterwards.
    #[schema(value_type = i64)]
    pub remaining_credit: Money,
    pub invoice: Invoice,
}

/// Pays what the invoice still owes from credit, as far as it goes (the invoice paid or
/// partly paid). Refused when the invoice is not open or there is no credit it can use.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn apply_balance(
    ctx: &AppContext,
    user: Option<UserId>,
    invoice_id: InvoiceId,
) -> Result<BalanceApplied, Error> {
    let mut tx = ctx.pool.begin().await?;
    let customer_id: CustomerId =
        sqlx::query_scalar("select customer_id from invoices where id = $1")
            .bind(invoice_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("invoice"))?;
    customers::lock(&mut tx, customer_id).await?;
    let (status, number): (InvoiceStatus, String) =
        sqlx::query_as("select status, number from invoices where id = $1 for update")
            .bind(invoice_id)
            .fetch_one(&mut *tx)
            .await?;
    payments::ensure_payable(status, &number)?;
    let used =
        credit::apply_to_one_in(&mut tx, customer_id, invoice_id, user, ctx.clock.now()).await?;
    let Some(used) = used else {
        return Err(Error::conflict(format!(
            "there is no credit to pay invoice {number} with: its subscription's wallet and the \
             customer's wallet are empty"
        )));
    };
    isolation::restore_paid_up(&mut tx, ctx, Some(customer_id)).await?;
    let remaining_credit: Money = sqlx::query_scalar(
        "select coalesce(sum(delta), 0)::bigint from ledger_entries where customer_id = $1",
    )
    .bind(customer_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    isolation::spawn_delivery(ctx);
    Ok(BalanceApplied {
        from_subscription: used.from_subscription,
        from_customer: used.from_customer,
        remaining_credit,
        invoice: get(ctx, invoice_id).await?,
    })
}

/// Grants a discount on an invoice that is still open: a negative `discount` line. It
/// can take off at most what is still owed (money already paid stays paid).
#[tracing::instrument(skip_all, fields(invoice_id = %id, amount))]
pub async fn discount(
    ctx: &AppContext,
    id: InvoiceId,
    amount: Money,
    reason: &str,
) -> Result<Invoice, Error> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::validation(
            "reason",
            "a reason is required for a discount",
        ));
    }
    crate::text::check("reason", reason, crate::text::REASON)?;
    if !amount.is_positive() {
        return Err(Error::validation(
            "amount",
            "the discount must be more than zero",
        ));
    }
    Error::money(
        "amount",
        amount.minor(),
        billing_domain::money::InputSign::Positive,
    )?;
    let mut tx = ctx.pool.begin().await?;
    let customer_id: CustomerId =
        sqlx::query_scalar("select customer_id from invoices where id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("invoice"))?;
    customers::lock(&mut tx, customer_id).await?;
    let (status, number, total, paid): (InvoiceStatus, String, Money, Money) =
        sqlx::query_as("select status, number, total, paid from invoices where id = $1 for update")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    crate::billing::payments::ensure_payable(status, &number)?;
    let owed = total
        .checked_sub(paid)
        .ok_or_else(|| Error::validation("amount", "the amount is too large"))?;
    if amount > owed {
        return Err(Error::validation(
            "amount",
            format!("the discount can be at most what is still owed ({owed})"),
        ));
    }
    sqlx::query(
        "insert into invoice_lines (invoice_id, kind, description, amount) \
         values ($1, 'discount', $2, $3)",
    )
    .bind(id)
    .bind(format!("Diskon: {reason}"))
    .bind(
        amount
            .checked_neg()
            .ok_or_else(|| Error::validation("amount", "the amount is too large"))?,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "update invoices set total = total - $2, \
             status = case when paid >= total - $2 then 'paid' \
                           when paid > 0 then 'partial' else 'unpaid' end \
         where id = $1",
    )
    .bind(id)
    .bind(amount)
    .execute(&mut *tx)
    .await?;
    isolation::restore_paid_up(&mut tx, ctx, Some(customer_id)).await?;
    let invoice = fetch(&mut tx, id).await?;
    tx.commit().await?;
    isolation::spawn_delivery(ctx);
    Ok(invoice)
}
