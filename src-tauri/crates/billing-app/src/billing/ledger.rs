//! Wallet balances, their history, and manual adjustments and refunds.

use billing_domain::money::InputSign;
use billing_domain::UserId;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::{billing::customers, AppContext, Error};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct LedgerEntry {
    pub id: i64,
    pub account: String,
    pub subscription_id: Option<Uuid>,
    pub delta: i64,
    /// The balance of the same wallet after this entry.
    pub balance_after: i64,
    pub reason: String,
    pub memo: String,
    pub payment_id: Option<Uuid>,
    pub invoice_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SubscriptionBalance {
    pub subscription_id: Uuid,
    pub login: String,
    pub balance: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BalanceView {
    pub customer_balance: i64,
    pub subscription_balances: Vec<SubscriptionBalance>,
    pub total_credit: i64,
    pub entries: Vec<LedgerEntry>,
}

pub async fn balance(ctx: &AppContext, customer_id: Uuid) -> Result<BalanceView, Error> {
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
    pub amount: i64,
    pub reason: String,
    /// The subscription's wallet instead of the customer's own.
    pub subscription_id: Option<Uuid>,
}

/// Adds a manual adjustment or a refund. A wallet never goes below zero.
#[tracing::instrument(skip_all, fields(customer_id = %customer_id, kind = %change.kind))]
pub async fn change_balance(
    ctx: &AppContext,
    user: Option<UserId>,
    customer_id: Uuid,
    change: BalanceChange,
) -> Result<(LedgerEntry, i64), Error> {
    let reason = change.reason.trim();
    if reason.is_empty() {
        return Err(Error::validation("reason", "a reason is required"));
    }
    crate::text::check("reason", reason, crate::text::REASON)?;
    let delta = match change.kind.as_str() {
        "adjustment" if change.amount != 0 => {
            Error::money("amount", change.amount, InputSign::NonZero)?
        }
        "adjustment" => return Err(Error::validation("amount", "the amount must not be zero")),
        "refund" if change.amount > 0 => {
            -Error::money("amount", change.amount, InputSign::Positive)?
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
    };
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
    customer_id: Uuid,
    change: &BalanceChange,
) -> Result<(LedgerEntry, i64), Error> {
    let reason = change.reason.trim();
    if reason.is_empty() {
        return Err(Error::validation("reason", "a reason is required"));
    }
    if change.kind != "adjustment" || change.amount == 0 {
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
    customer_id: Uuid,
    change: &BalanceChange,
    delta: i64,
    reason: &str,
) -> Result<(LedgerEntry, i64), Error> {
    customers::lock(&mut *tx, customer_id).await?;
    if let Some(sub) = change.subscription_id {
        let owner: Option<Uuid> =
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
    let account = if change.subscription_id.is_some() {
        "subscription"
    } else {
        "customer"
    };
    let current: i64 = sqlx::query_scalar(
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
    if after < 0 {
        return Err(Error::validation(
            "amount",
            format!("the balance is {current}; this would make it negative"),
        ));
    }
    let memo = match change.kind.as_str() {
        "refund" => format!("Pengembalian dana: {reason}"),
        _ => format!("Penyesuaian: {reason}"),
    };
    let entry: LedgerEntry = sqlx::query_as(
        "insert into ledger_entries (customer_id, subscription_id, account, delta, reason, memo, \
                                     created_by, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8) \
         returning id, account, subscription_id, delta, $9::bigint as balance_after, reason, memo, \
                   payment_id, invoice_id, created_by, created_at",
    )
    .bind(customer_id)
    .bind(change.subscription_id)
    .bind(account)
    .bind(delta)
    .bind(&change.kind)
    .bind(memo)
    .bind(user.map(|u| u.0))
    .bind(ctx.clock.now())
    .bind(after)
    .fetch_one(&mut *tx)
    .await?;
    Ok((entry, after))
}
