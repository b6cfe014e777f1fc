//! Wallet balances, their history, and manual adjustments and refunds.

use billing_domain::money::InputSign;
use billing_domain::{CustomerId, InvoiceId, Money, PaymentId, SubscriptionId, UserId};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{billing::customers, AppContext, Error};

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

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SubscriptionBalance {
    #[schema(value_type = Uuid)]
    pub subscription_id: SubscriptionId,
    pub login: String,
    #[schema(value_type = i64)]
    pub balance: Money,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BalanceView {
    #[schema(value_type = i64)]
    pub customer_balance: Money,
    pub subscription_balances: Vec<SubscriptionBalance>,
    #[schema(value_type = i64)]
    pub total_credit: Money,
    pub entries: Vec<LedgerEntry>,
}

pub async fn balance(ctx: &AppContext, customer_id: CustomerId) -> Result<BalanceView, Error> {
    let mut conn = ctx.pool.acquire().await?;
    let customer = customers::fetch(&mut conn, customer_id).await?;
    let subscription_balances = sqlx::query_as(
        "select s.id as subscription_id, s.login, \
                coalesce((select sum(delta) from ledger_entries l where l.account = 'subscription' \
                          and l.subscription_id = s.id), 0)::bigint as balance \
         from subscriptions s where s.customer_id = $1 order by s.created_at",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    let entries = sqlx::query_as(
        "select * from (select id, account, subscription_id, delta, \
                sum(delta) over (partition by account, subscription_id order by id)::bigint \
                    as balance_after, \
                reason, memo, payment_id, invoice_id, created_by, created_at \
         from ledger_entries where customer_id = $1) e order by id desc limit 200",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(BalanceView {
        customer_balance: customer.balance,
        subscription_balances,
        total_credit: customer.total_credit,
        entries,
    })
}

#[derive(Debug, Clone)]
pub struct BalanceChange {
    /// `adjustment` (± amount) or `refund` (money handed back; amount > 0).
    pub kind: String,
    pub amount: Money,
    pub reason: String,
    /// The subscription's wallet instead of the customer's own.
    pub subscription_id: Option<SubscriptionId>,
}

/// Adds a manual adjustment or a refund. A wallet never goes below zero.
#[tracing::instrument(skip_all, fields(customer_id = %customer_id, kind = %change.kind))]
pub async fn change_balance(
    ctx: &AppContext,
    user: Option<UserId>,
    customer_id: CustomerId,
    change: BalanceChange,
) -> Result<(LedgerEntry, Money), Error> {
    let reason = change.reason.trim();
    if reason.is_empty() {
        return Err(Error::validation("reason", "a reason is required"));
    }
    crate::text::check("reason", reason, crate::text::REASON)?;
    let delta = Money::from_minor(match change.kind.as_str() {
        "adjustment" if !change.amount.is_zero() => {
            Error::money("amount", change.amount.minor(), InputSign::NonZero)?
        }
        "adjustment" => return Err(Error::validation("amount", "the amount must not be zero")),
        "refund" if change.amount.is_positive() => {
            -Error::money("amount", change.amount.minor(), InputSign::Positive)?
        }
        "refund" => {
            return Err(Error::validation(
                "amount",
                "a refund must be more than zero",
            ))
        }
        _ => {
            return Err(Error::validation(
                "kind",
                "kind must be adjustment or refund",
            ))
        }
    });
    let mut tx = ctx.pool.begin().await?;
    let done = change_balance_in(&mut tx, ctx, user, customer_id, &change, delta, reason).await?;
    tx.commit().await?;
    Ok(done)
}

/// Checks a balance change ([`change_balance`]'s rules) and appends it inside the caller's
/// transaction (the import brings wallets over this way).
pub(crate) async fn adjust_in(
    conn: &mut sqlx::PgConnection,
    ctx: &AppContext,
    user: Option<UserId>,
    customer_id: CustomerId,
    change: &BalanceChange,
) -> Result<(LedgerEntry, Money), Error> {
    let reason = change.reason.trim();
    if reason.is_empty() {
        return Err(Error::validation("reason", "a reason is required"));
    }
    if change.kind != "adjustment" || change.amount.is_zero() {
        return Err(Error::validation(
            "amount",
            "an adjustment must not be zero",
        ));
    }
    change_balance_in(conn, ctx, user, customer_id, change, change.amount, reason).await
}

async fn change_balance_in(
    tx: &mut sqlx::PgConnection,
    ctx: &AppContext,
    user: Option<UserId>,
    customer_id: CustomerId,
    change: &BalanceChange,
    delta: Money,
    reason: &str,
) -> Result<(LedgerEntry, Money), Error> {
    customers::lock(&mut *tx, customer_id).await?;
    if let Some(sub) = change.subscription_id {
        let owner: Option<CustomerId> =
            sqlx::query_scalar("select customer_id from subscriptions where id = $1")
                .bind(sub)
                .fetch_optional(&mut *tx)
                .await?;
        if owner != Some(customer_id) {
            return Err(Error::validation(
                "subscription_id",
                "not a subscription of this customer",
            ));
        }
    }
    let account = Account::of(change.subscription_id).as_str();
    let current: Money = sqlx::query_scalar(
        "select coalesce(sum(delta), 0)::bigint from ledger_entries \
         where customer_id = $1 and account = $2 and subscription_id is not distinct from $3",
    )
    .bind(customer_id)
    .bind(account)
    .bind(change.subscription_id)
    .fetch_one(&mut *tx)
    .await?;
    let after = current
        .checked_add(delta)
        .ok_or_else(|| Error::validation("amount", "the amount is too large"))?;
    if after.is_negative() {
        return Err(Error::validation(
            "amount",
            format!("the balance is {current}; this would make it negative"),
        ));
    }
    let memo = match change.kind.as_str() {
        "refund" => format!("Pengembalian dana: {reason}"),
        _ => format!("Penyesuaian: {reason}"),
    };
    let kind = match change.kind.as_str() {
        "refund" => Reason::Refund,
        _ => Reason::Adjustment,
    };
    let entry = append_returning(
        tx,
        &Entry {
            customer_id,
            subscription_id: change.subscription_id,
            delta,
            reason: kind,
            memo: &memo,
            payment_id: None,
            invoice_id: None,
            created_by: user,
            at: ctx.clock.now(),
        },
        after,
    )
    .await?;
    Ok((entry, after))
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
async fn append_returning(
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
    let delta = applied
        .checked_neg()
        .ok_or_else(|| Error::validation("amount", "the amount is too large"))?;
    let entry = append(
        conn,
        &Entry {
            customer_id,
            subscription_id: Some(subscription_id),
            delta,
            reason: Reason::InvoicePayment,
            memo,
            payment_id: Some(payment_id),
            invoice_id: Some(invoice_id),
            created_by: None,
            at,
        },
    )
    .await?;
    sqlx::query(
        "insert into allocations (invoice_id, payment_id, source, amount, ledger_entry_id, \
                                  allocated_at) \
         values ($1, $2, 'payment', $3, $4, $5)",
    )
    .bind(invoice_id)
    .bind(payment_id)
    .bind(applied)
    .bind(entry)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
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
