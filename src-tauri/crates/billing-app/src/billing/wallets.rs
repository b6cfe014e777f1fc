//! Wallet balances, their history, and manual adjustments and refunds. A positive
//! adjustment is credit arriving: it pays the customer's open invoices at once
//! ([`super::credit`]).

use billing_domain::money::InputSign;
use billing_domain::{CustomerId, Money, SubscriptionId, UserId};
use serde::Serialize;

use super::ledger::{append_returning, Account, Entry, LedgerEntry, Reason};
use crate::{billing::credit, billing::customers, billing::isolation, AppContext, Error};

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

/// Adds a manual adjustment or a refund. A wallet never goes below zero. Returns the entry
/// and the wallet's balance afterwards: after a positive adjustment, what is left once the
/// credit paid the customer's open invoices.
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
    let (entry, mut after) =
        change_balance_in(&mut tx, ctx, user, customer_id, &change, delta, reason).await?;
    if delta.is_positive() {
        // Credit arrived: it pays what the customer owes, oldest invoice first.
        let used = credit::credit_arrived_in(&mut tx, customer_id, user, ctx.clock.now()).await?;
        if !used.is_empty() {
            after = sqlx::query_scalar(
                "select coalesce(sum(delta), 0)::bigint from ledger_entries \
                 where customer_id = $1 and account = $2 and subscription_id is not distinct from $3",
            )
            .bind(customer_id)
            .bind(Account::of(change.subscription_id).as_str())
            .bind(change.subscription_id)
            .fetch_one(&mut *tx)
            .await?;
            isolation::restore_paid_up(&mut tx, ctx, Some(customer_id)).await?;
        }
    }
    tx.commit().await?;
    isolation::spawn_delivery(ctx);
    Ok((entry, after))
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
