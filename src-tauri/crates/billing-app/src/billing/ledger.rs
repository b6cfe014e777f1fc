//! The ledger: the one writer of wallet entries and allocations, and the entry as the
//! history shows it. The wallets' use-cases (balances, adjustments, refunds) are in
//! [`super::wallets`].

use billing_domain::{
    CustomerId, InvoiceId, InvoiceStatus, Money, PaymentId, SubscriptionId, UserId,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::Error;

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LedgerEntry {
    pub id: i64,
    pub account: String,
    #[schema(value_type = Option<Uuid>)]
    pub subscription_id: Option<SubscriptionId>,
    #[schema(value_type = i64)]
    pub delta: Money,
    /// The balance of the same wallet after this entry.
    #[schema(value_type = i64)]
    pub balance_after: Money,
    pub reason: String,
    pub memo: String,
    #[schema(value_type = Option<Uuid>)]
    pub payment_id: Option<PaymentId>,
    #[schema(value_type = Option<Uuid>)]
    pub invoice_id: Option<InvoiceId>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

// The one writer of `ledger_entries` and `allocations`. Every money movement of a wallet is
// appended here: single entries ([`append`], [`append_returning`], [`allocate_payment`]) and
// the monthly run's set-based credit use ([`apply_credit_selected`], one statement).

/// Which wallet an entry moves: the customer's own, or one of its subscriptions'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Account {
    Customer,
    Subscription,
}

impl Account {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Account::Customer => "customer",
            Account::Subscription => "subscription",
        }
    }

    /// The subscription's wallet when there is one, else the customer's.
    pub(crate) const fn of(subscription_id: Option<SubscriptionId>) -> Account {
        match subscription_id {
            Some(_) => Account::Subscription,
            None => Account::Customer,
        }
    }
}

/// Why money moved (`ledger_entries.reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// A payment arrived in a wallet (once per payment: a unique index).
    PaymentReceived,
    /// A payment's money left the wallet for its invoice.
    InvoicePayment,
    /// Existing credit paid an invoice.
    CreditApplied,
    /// A voided invoice gave its paid money back.
    VoidReversal,
    Adjustment,
    Refund,
}

impl Reason {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Reason::PaymentReceived => "payment_received",
            Reason::InvoicePayment => "invoice_payment",
            Reason::CreditApplied => "credit_applied",
            Reason::VoidReversal => "void_reversal",
            Reason::Adjustment => "adjustment",
            Reason::Refund => "refund",
        }
    }
}

/// One ledger entry to append. The wallet is the subscription's when `subscription_id`
/// is set, else the customer's own.
#[derive(Debug, Clone)]
pub(crate) struct Entry<'a> {
    pub customer_id: CustomerId,
    pub subscription_id: Option<SubscriptionId>,
    pub delta: Money,
    pub reason: Reason,
    pub memo: &'a str,
    pub payment_id: Option<PaymentId>,
    pub invoice_id: Option<InvoiceId>,
    pub created_by: Option<UserId>,
    pub at: DateTime<Utc>,
}

macro_rules! insert_entry {
    () => {
        "insert into ledger_entries (customer_id, subscription_id, account, delta, reason, \
             memo, payment_id, invoice_id, created_by, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    };
}

fn bind_entry<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    entry: &Entry<'q>,
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
    query
        .bind(entry.customer_id)
        .bind(entry.subscription_id)
        .bind(Account::of(entry.subscription_id).as_str())
        .bind(entry.delta)
        .bind(entry.reason.as_str())
        .bind(entry.memo)
        .bind(entry.payment_id)
        .bind(entry.invoice_id)
        .bind(entry.created_by.map(|u| u.0))
        .bind(entry.at)
}

/// Appends one entry; returns its id. The caller holds the customer lock and has checked
/// that the wallet stays at or above zero.
pub(crate) async fn append(conn: &mut PgConnection, entry: &Entry<'_>) -> Result<i64, Error> {
    let (id,): (i64,) = bind_entry(
        sqlx::query_as(concat!(insert_entry!(), " returning id")),
        entry,
    )
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// [`append`], answering the entry as the history shows it, with the wallet's balance
/// after it (known to the caller, which checked it).
pub(crate) async fn append_returning(
    conn: &mut PgConnection,
    entry: &Entry<'_>,
    balance_after: Money,
) -> Result<LedgerEntry, Error> {
    const SQL: &str = concat!(
        insert_entry!(),
        " returning id, account, subscription_id, delta, $11::bigint as balance_after, reason, \
         memo, payment_id, invoice_id, created_by, created_at"
    );
    Ok(bind_entry(sqlx::query_as(SQL), entry)
        .bind(balance_after)
        .fetch_one(conn)
        .await?)
}

/// A payment's money pays an invoice: the `invoice_payment` entry leaves the
/// subscription's wallet and the allocation records it against the invoice.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn allocate_payment(
    conn: &mut PgConnection,
    customer_id: CustomerId,
    subscription_id: SubscriptionId,
    invoice_id: InvoiceId,
    payment_id: PaymentId,
    applied: Money,
    memo: &str,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    allocate(
        conn,
        Entry {
            customer_id,
            subscription_id: Some(subscription_id),
            delta: applied,
            reason: Reason::InvoicePayment,
            memo,
            payment_id: Some(payment_id),
            invoice_id: Some(invoice_id),
            created_by: None,
            at,
        },
    )
    .await
}

/// Credit in a wallet pays an invoice: a `credit_applied` entry takes `amount` out of the
/// subscription's wallet (`Some`) or the customer's own (`None`) and an allocation records it
/// against the invoice. The caller holds the customer lock and checked the wallet holds it.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn allocate_credit(
    conn: &mut PgConnection,
    customer_id: CustomerId,
    wallet: Option<SubscriptionId>,
    invoice_id: InvoiceId,
    amount: Money,
    memo: &str,
    created_by: Option<UserId>,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    allocate(
        conn,
        Entry {
            customer_id,
            subscription_id: wallet,
            delta: amount,
            reason: Reason::CreditApplied,
            memo,
            payment_id: None,
            invoice_id: Some(invoice_id),
            created_by,
            at,
        },
    )
    .await
}

/// The one writer of a single allocation: `entry.delta` (the amount, positive) leaves the
/// entry's wallet as a ledger entry, and the allocation of it to `entry.invoice_id` points at
/// that entry; from a payment when the entry has one, else from credit.
async fn allocate(conn: &mut PgConnection, mut entry: Entry<'_>) -> Result<(), Error> {
    let amount = entry.delta;
    entry.delta = amount
        .checked_neg()
        .ok_or_else(|| Error::validation("amount", "the amount is too large"))?;
    let ledger_entry = append(conn, &entry).await?;
    sqlx::query(
        "insert into allocations (invoice_id, payment_id, source, amount, ledger_entry_id, \
                                  allocated_at) \
         values ($1, $2, case when $2::uuid is null then 'credit' else 'payment' end, $3, $4, $5)",
    )
    .bind(entry.invoice_id)
    .bind(entry.payment_id)
    .bind(amount)
    .bind(ledger_entry)
    .bind(entry.at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds money allocated to an invoice to what it has been paid, and moves it to `partial` or
/// `paid` (a payment's allocation and credit applied share this; `paid <= total` is checked by
/// the table). Returns the new status.
pub(crate) async fn add_paid(
    conn: &mut PgConnection,
    id: InvoiceId,
    amount: Money,
) -> Result<InvoiceStatus, Error> {
    Ok(sqlx::query_scalar(
        "update invoices set paid = paid + $2, \
             status = case when paid + $2 >= total then 'paid' else 'partial' end \
         where id = $1 returning status",
    )
    .bind(id)
    .bind(amount)
    .fetch_one(conn)
    .await?)
}

/// Existing credit of `account` wallets pays invoices, set-based in ONE statement (the
/// monthly run issues thousands of invoices at once). `ctes` are the common table
/// expressions of that statement (without `with`); they must define
/// `credit (customer_id, subscription_id, invoice_id, amount, memo)` — one row per invoice
/// and wallet, `subscription_id` null for the customer's own wallet — and may use `$1`, the
/// time of the entries. Rows with an amount of zero or less are skipped. Each row becomes
/// a `credit_applied` entry taking `amount` out of the wallet and an allocation of it to
/// the invoice.
pub(crate) async fn apply_credit_selected(
    conn: &mut PgConnection,
    account: Account,
    ctes: &str,
    at: DateTime<Utc>,
) -> Result<u64, Error> {
    let sql = format!(
        "with {ctes}, \
         le as ( \
             insert into ledger_entries (customer_id, subscription_id, account, delta, reason, \
                                         memo, invoice_id, created_at) \
             select customer_id, subscription_id, '{account}', -amount, '{reason}', memo, \
                    invoice_id, $1 \
             from credit where amount > 0 \
             returning id, invoice_id, -delta as amount) \
         insert into allocations (invoice_id, source, amount, ledger_entry_id, allocated_at) \
         select invoice_id, 'credit', amount, id, $1 from le",
        account = account.as_str(),
        reason = Reason::CreditApplied.as_str(),
    );
    Ok(sqlx::query(&sql)
        .bind(at)
        .execute(conn)
        .await?
        .rows_affected())
}
