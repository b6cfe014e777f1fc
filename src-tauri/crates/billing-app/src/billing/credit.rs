//! Credit in the wallets pays open invoices (the seed's `applyBalanceToInvoice`): on demand
//! for one invoice (`POST /api/invoices/{id}/apply-balance`, [`super::invoices::apply_balance`]), and by itself whenever credit
//! arrives (an over-payment, a positive adjustment, a voided invoice's money coming back),
//! oldest invoice first. An invoice takes from its subscription's wallet first, then from
//! the customer's own. No payment row is made: the money was received once already, as the
//! payment or adjustment that put it in the wallet (a second row would count it twice in the
//! cash reports); the ledger's `credit_applied` entries and the allocations record the use.

use std::collections::HashMap;

use billing_domain::{CustomerId, InvoiceId, InvoiceStatus, Money, SubscriptionId, UserId};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use crate::billing::ledger;
use crate::Error;

/// Credit used for one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditUse {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub from_subscription: Money,
    pub from_customer: Money,
    pub status: InvoiceStatus,
}

/// Credit pays one open invoice as far as it goes, inside the caller's transaction (which
/// holds the customer lock and checked the invoice is open); `None` when there was none
/// it could use.
pub(crate) async fn apply_to_one_in(
    conn: &mut PgConnection,
    customer_id: CustomerId,
    invoice_id: InvoiceId,
    user: Option<UserId>,
    at: DateTime<Utc>,
) -> Result<Option<CreditUse>, Error> {
    Ok(apply_in(conn, customer_id, Some(invoice_id), user, at)
        .await?
        .into_iter()
        .next())
}

/// Credit arrived for a customer: it pays their open invoices, oldest first, inside the
/// caller's transaction (which holds the customer lock). The caller restores paid-up
/// subscriptions afterwards, as it does after any payment.
pub(crate) async fn credit_arrived_in(
    conn: &mut PgConnection,
    customer_id: CustomerId,
    user: Option<UserId>,
    at: DateTime<Utc>,
) -> Result<Vec<CreditUse>, Error> {
    apply_in(conn, customer_id, None, user, at).await
}

/// The customer's credit pays open invoices (`only` one, or all oldest first) for as long as
/// it lasts. The caller holds the customer lock.
async fn apply_in(
    conn: &mut PgConnection,
    customer_id: CustomerId,
    only: Option<InvoiceId>,
    user: Option<UserId>,
    at: DateTime<Utc>,
) -> Result<Vec<CreditUse>, Error> {
    let wallets: Vec<(Option<SubscriptionId>, Money)> = sqlx::query_as(
        "select subscription_id, sum(delta)::bigint from ledger_entries where customer_id = $1 \
         group by account, subscription_id having sum(delta) > 0",
    )
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?;
    if wallets.is_empty() {
        return Ok(Vec::new());
    }
    let mut own = Money::ZERO;
    let mut per_subscription: HashMap<SubscriptionId, Money> = HashMap::new();
    for (subscription, balance) in wallets {
        match subscription {
            Some(id) => {
                per_subscription.insert(id, balance);
            }
            None => own = balance,
        }
    }
    let open: Vec<(InvoiceId, SubscriptionId, String, Money, Money)> = sqlx::query_as(
        "select id, subscription_id, number, total, paid from invoices \
         where customer_id = $1 and status in ('unpaid', 'partial') \
           and ($2::uuid is null or id = $2) \
         order by period_start, number for update",
    )
    .bind(customer_id)
    .bind(only)
    .fetch_all(&mut *conn)
    .await?;
    let mut used = Vec::new();
    for (invoice_id, subscription_id, number, total, paid) in open {
        let owed = total
            .checked_sub(paid)
            .ok_or_else(|| Error::validation("amount", "the amount is too large"))?;
        if !owed.is_positive() {
            continue;
        }
        let sub_wallet = per_subscription.entry(subscription_id).or_default();
        let from_subscription = owed.min(*sub_wallet);
        let still = owed
            .checked_sub(from_subscription)
            .ok_or_else(|| Error::validation("amount", "the amount is too large"))?;
        let from_customer = still.min(own);
        if from_subscription.is_positive() {
            ledger::allocate_credit(
                conn,
                customer_id,
                Some(subscription_id),
                invoice_id,
                from_subscription,
                &format!("Saldo langganan dipakai untuk {number}"),
                user,
                at,
            )
            .await?;
            *sub_wallet = sub_wallet
                .checked_sub(from_subscription)
                .unwrap_or(Money::ZERO);
        }
        if from_customer.is_positive() {
            ledger::allocate_credit(
                conn,
                customer_id,
                None,
                invoice_id,
                from_customer,
                &format!("Saldo pelanggan dipakai untuk {number}"),
                user,
                at,
            )
            .await?;
            own = own.checked_sub(from_customer).unwrap_or(Money::ZERO);
        }
        let applied = from_subscription
            .checked_add(from_customer)
            .ok_or_else(|| Error::validation("amount", "the amount is too large"))?;
        if !applied.is_positive() {
            continue;
        }
        let status = ledger::add_paid(conn, invoice_id, applied).await?;
        used.push(CreditUse {
            invoice_id,
            number,
            from_subscription,
            from_customer,
            status,
        });
        if !own.is_positive() && per_subscription.values().all(|m| !m.is_positive()) {
            break;
        }
    }
    Ok(used)
}
