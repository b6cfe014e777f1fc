//! Callbacks and status checks, applied exactly once.

use std::sync::Arc;

use billing_domain::{CustomerId, InvoiceId, Money, PaymentId, PaymentStatus};
use billing_gateways::{GatewayError, GatewayEvent, GatewayStatus, PaymentGateway};
use chrono::Duration;

use super::outcome::{AmountCheck, Outcome, PollSummary};
use super::security_event;
use crate::events::{publish, BillingEvent};
use crate::{billing::customers, billing::isolation, AppContext, Error};

/// What became of a gateway's callback. The HTTP layer chooses the answer to the gateway
/// (status code and body, with the gateway adapter's acknowledgement) from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackOutcome {
    /// Verified (and confirmed at the gateway when its callback is only a trigger), then
    /// applied as the [`Outcome`] says: applied, already applied, still pending, closed,
    /// held for review, or unknown payment.
    Processed(Outcome),
    /// The signature (or callback token) did not verify: recorded in the security log,
    /// nothing applied.
    RejectedSignature,
    /// The callback is only a trigger and asking the gateway for the payment's status
    /// failed: nothing applied. The gateway should retry; the poller also catches it.
    ConfirmationFailed,
}

/// A handled callback: its outcome, and the gateway that sent it (whose adapter knows the
/// acknowledgement it expects).
#[derive(Debug, Clone)]
pub struct Callback {
    pub gateway: Arc<dyn PaymentGateway>,
    pub outcome: CallbackOutcome,
}

/// A gateway's callback (`POST /api/payments/webhook/{gateway}`): verify, confirm when the
/// gateway's callback is only a trigger, then apply.
#[tracing::instrument(skip_all, fields(gateway = code))]
pub async fn handle_callback(
    ctx: &AppContext,
    code: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    remote_addr: Option<&str>,
) -> Result<Callback, Error> {
    let Some(gateway) = ctx.gateways.get(code) else {
        return Err(Error::NotFound("gateway"));
    };
    let event = match gateway.parse_callback(headers, body) {
        Ok(event) => event,
        Err(GatewayError::Signature(reason)) => {
            let mut conn = ctx.pool.acquire().await?;
            security_event(
                &mut conn,
                ctx.clock.now(),
                "webhook_bad_signature",
                &format!("{code}: {reason}"),
                serde_json::json!({ "gateway": code }),
                remote_addr,
            )
            .await?;
            return Ok(Callback {
                gateway,
                outcome: CallbackOutcome::RejectedSignature,
            });
        }
        Err(err) => {
            return Err(Error::validation(
                "body",
                format!("unreadable callback: {err}"),
            ))
        }
    };
    // The amount the gateway says it took counts only once its status check agrees: Duitku's
    // callback is always confirmed that way; the others' signed callbacks are checked when
    // they report another amount than the payment asked for.
    let needs_check = gateway.callback_is_trigger_only()
        || (event.status == GatewayStatus::Paid
            && asked_amount(ctx, code, &event.merchant_ref)
                .await?
                .is_some_and(|asked| asked.minor() != event.amount));
    let (confirmed, check) = if needs_check {
        match gateway
            .status(&event.merchant_ref, event.gateway_ref.as_deref())
            .await
        {
            Ok(confirmed) if confirmed.amount == event.amount => {
                (confirmed, AmountCheck::Confirmed)
            }
            Ok(confirmed) => {
                // The checked amount is what gets applied if it is what the payment asked
                // for; otherwise the payment is held, since the gateway's own reports differ.
                // Either way a signed callback that says otherwise is worth a look.
                let mut conn = ctx.pool.acquire().await?;
                security_event(
                    &mut conn,
                    ctx.clock.now(),
                    "payment_amount_mismatch",
                    &format!(
                        "{code}: {}: the signed callback says {} but the status check reports \
                         {}; the checked amount counts",
                        event.merchant_ref, event.amount, confirmed.amount
                    ),
                    serde_json::json!({
                        "gateway": code, "reference": event.merchant_ref,
                        "claimed": event.amount, "checked": confirmed.amount
                    }),
                    remote_addr,
                )
                .await?;
                (confirmed, AmountCheck::Unconfirmed)
            }
            Err(err) => {
                // Let the gateway retry; the poller will also catch it.
                tracing::warn!(error = %err, "status confirmation failed");
                return Ok(Callback {
                    gateway,
                    outcome: CallbackOutcome::ConfirmationFailed,
                });
            }
        }
    } else {
        (event, AmountCheck::Confirmed)
    };
    let outcome = apply_event(ctx, code, &confirmed, check).await?;
    Ok(Callback {
        gateway,
        outcome: CallbackOutcome::Processed(outcome),
    })
}

/// What the payment asked for at the gateway, if a payment has this reference.
async fn asked_amount(
    ctx: &AppContext,
    code: &str,
    merchant_ref: &str,
) -> Result<Option<Money>, Error> {
    let asked: Option<Money> =
        sqlx::query_scalar("select amount from payments where merchant_ref = $1 and method = $2")
            .bind(merchant_ref)
            .bind(code)
            .fetch_optional(&ctx.pool)
            .await?;
    match asked {
        Some(amount) => Ok(Some(amount)),
        None => super::orders::asked_amount(ctx, code, merchant_ref).await,
    }
}

/// Applies a verified (or status-confirmed) gateway event to the payment it names. A paid
/// event for another amount than the payment asked for is applied for what the gateway took
/// when the gateway confirmed it and the shop accepts gateway amounts (the default): less
/// pays the invoice in part (the rest is carried over), more leaves credit. Otherwise it is
/// held for a cashier's review.
pub async fn apply_event(
    ctx: &AppContext,
    code: &str,
    event: &GatewayEvent,
    check: AmountCheck,
) -> Result<Outcome, Error> {
    let now = ctx.clock.now();
    let found: Option<(PaymentId, CustomerId)> = sqlx::query_as(
        "select id, customer_id from payments where merchant_ref = $1 and method = $2",
    )
    .bind(&event.merchant_ref)
    .bind(code)
    .fetch_optional(&ctx.pool)
    .await?;
    let Some((payment_id, customer_id)) = found else {
        // A voucher shop order's payment, applied to its order.
        if let Some(outcome) = super::orders::apply_event(ctx, code, event, check).await? {
            return Ok(outcome);
        }
        let mut conn = ctx.pool.acquire().await?;
        security_event(
            &mut conn,
            now,
            "webhook_unknown_payment",
            &format!("{code}: {}", event.merchant_ref),
            serde_json::json!({ "gateway": code, "reference": event.merchant_ref }),
            None,
        )
        .await?;
        return Ok(Outcome::Unknown);
    };
    let mut tx = ctx.pool.begin().await?;
    customers::lock(&mut tx, customer_id).await?;
    let (status, amount, invoice_id): (PaymentStatus, Money, Option<InvoiceId>) =
        sqlx::query_as("select status, amount, invoice_id from payments where id = $1 for update")
            .bind(payment_id)
            .fetch_one(&mut *tx)
            .await?;
    if status == PaymentStatus::Paid {
        if event.status != GatewayStatus::Paid {
            tracing::warn!(merchant_ref = %event.merchant_ref, reported = ?event.status,
                           "a later notice for a paid payment was ignored; paid is final");
        }
        return Ok(Outcome::AlreadyApplied);
    }
    let mut settled = None;
    let outcome = match event.status {
        GatewayStatus::Paid if event.amount != amount.minor() => {
            let accepted: bool =
                sqlx::query_scalar("select accept_gateway_amount from business_profile")
                    .fetch_one(&mut *tx)
                    .await?;
            let plausible = event.amount > 0 && event.amount <= MAX_GATEWAY_AMOUNT;
            if check == AmountCheck::Confirmed && accepted && plausible {
                let took = Money::from_minor(event.amount);
                sqlx::query(
                    "update payments set requested_amount = amount, amount = $2, \
                     note = trim(note || ' ' || $3) where id = $1",
                )
                .bind(payment_id)
                .bind(took)
                .bind(format!("Dibayar {took} lewat gateway; ditagih {amount}."))
                .execute(&mut *tx)
                .await?;
                tracing::info!(merchant_ref = %event.merchant_ref, asked = amount.minor(),
                               took = event.amount, "applied for the amount the gateway took");
                settled = Some(settle_paid(&mut tx, ctx, payment_id, customer_id, event).await?);
                Outcome::Applied
            } else {
                let why = match (check, accepted, plausible) {
                    (AmountCheck::Unconfirmed, _, _) => {
                        "; the gateway's status check did not confirm the callback's amount"
                    }
                    (_, _, false) => "; the amount is not a usable payment",
                    (_, false, _) => "; applying the gateway's amount is switched off",
                    _ => "",
                };
                let reason = format!(
                    "the gateway reported {} but the payment is {amount}{why}",
                    event.amount
                );
                sqlx::query(
                    "update payments set review_reason = $2, review_amount = $4, \
                     last_checked_at = $3 where id = $1",
                )
                .bind(payment_id)
                .bind(&reason)
                .bind(now)
                .bind(event.amount)
                .execute(&mut *tx)
                .await?;
                security_event(
                    &mut tx,
                    now,
                    "payment_amount_mismatch",
                    &format!("{}: {reason}", event.merchant_ref),
                    serde_json::json!({
                        "gateway": code, "reference": event.merchant_ref, "held": true
                    }),
                    None,
                )
                .await?;
                Outcome::Held
            }
        }
        GatewayStatus::Paid => {
            settled = Some(settle_paid(&mut tx, ctx, payment_id, customer_id, event).await?);
            Outcome::Applied
        }
        GatewayStatus::Pending => {
            sqlx::query("update payments set last_checked_at = $2 where id = $1")
                .bind(payment_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            Outcome::StillPending
        }
        GatewayStatus::Failed | GatewayStatus::Expired => {
            let new_status = if event.status == GatewayStatus::Failed {
                PaymentStatus::Failed
            } else {
                PaymentStatus::Expired
            };
            sqlx::query("update payments set status = $2, last_checked_at = $3 where id = $1 and status = 'pending'")
                .bind(payment_id)
                .bind(new_status)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            Outcome::Closed
        }
    };
    tx.commit().await?;
    match outcome {
        Outcome::Applied => {
            if let Some(settlement) = &settled {
                crate::billing::payments::announce_settled(ctx, settlement);
            }
        }
        Outcome::Closed | Outcome::Held => {
            publish(
                ctx,
                BillingEvent::PaymentChanged {
                    payment_id: payment_id.uuid(),
                    invoice_id: invoice_id.map(InvoiceId::uuid),
                    status: format!("{outcome:?}").to_lowercase(),
                },
            );
        }
        _ => {}
    }
    Ok(outcome)
}

/// The most a single gateway payment can plausibly be (as for cash: a trillion rupiah).
const MAX_GATEWAY_AMOUNT: i64 = 1_000_000_000_000;

/// A paid event's payment settles (inside the caller's transaction, customer locked).
async fn settle_paid(
    tx: &mut sqlx::PgConnection,
    ctx: &AppContext,
    payment_id: PaymentId,
    customer_id: CustomerId,
    event: &GatewayEvent,
) -> Result<crate::billing::payments::Settlement, Error> {
    if let Some(gateway_ref) = &event.gateway_ref {
        // Only when unknown so far: an update that changes nothing still writes a new row
        // version (and used to write an audit line).
        sqlx::query("update payments set gateway_ref = $2 where id = $1 and gateway_ref is null")
            .bind(payment_id)
            .bind(gateway_ref)
            .execute(&mut *tx)
            .await?;
    }
    let settled = crate::billing::payments::settle_in(tx, ctx, payment_id).await?;
    isolation::restore_paid_up(tx, ctx, Some(customer_id)).await?;
    Ok(settled)
}

/// Asks the gateways about pending payments (oldest check first; invoices' and the voucher
/// shop's), so payments complete even when no callback can reach the shop. Past their expiry
/// they become `expired`.
pub async fn check_pending(ctx: &AppContext) -> Result<PollSummary, Error> {
    let rows: Vec<(PaymentId,)> = sqlx::query_as(
        "select id from payments where status = 'pending' and merchant_ref is not null \
         and review_reason is null order by last_checked_at nulls first, created_at limit 200",
    )
    .fetch_all(&ctx.pool)
    .await?;
    let mut summary = PollSummary::default();
    for (id,) in rows {
        summary.checked += 1;
        match check_one(ctx, id).await {
            Ok(Outcome::Applied) => summary.paid += 1,
            Ok(Outcome::Closed) => summary.closed += 1,
            Ok(_) => {}
            Err(err) => {
                summary.errors += 1;
                tracing::warn!(payment_id = %id, error = %err, "payment status check failed");
            }
        }
    }
    super::orders::check_pending(ctx, &mut summary).await?;
    Ok(summary)
}

/// "Check now" for one payment.
pub async fn check_payment(ctx: &AppContext, payment_id: PaymentId) -> Result<Outcome, Error> {
    check_one(ctx, payment_id).await
}

/// method, merchant_ref, gateway_ref, expires_at, status
type CheckRow = (
    String,
    Option<String>,
    Option<String>,
    Option<chrono::DateTime<chrono::Utc>>,
    PaymentStatus,
);

async fn check_one(ctx: &AppContext, id: PaymentId) -> Result<Outcome, Error> {
    let row: Option<CheckRow> = sqlx::query_as(
        "select method, merchant_ref, gateway_ref, expires_at, status from payments where id = $1",
    )
    .bind(id)
    .fetch_optional(&ctx.pool)
    .await?;
    let (code, merchant_ref, gateway_ref, expires_at, status) =
        row.ok_or(Error::NotFound("payment"))?;
    if status == PaymentStatus::Paid {
        return Ok(Outcome::AlreadyApplied);
    }
    let merchant_ref = merchant_ref.ok_or_else(|| Error::conflict("not a gateway payment"))?;
    let gateway = ctx
        .gateways
        .get(&code)
        .ok_or_else(|| Error::conflict(format!("the gateway {code} is not enabled")))?;
    let checked = gateway.status(&merchant_ref, gateway_ref.as_deref()).await;
    ctx.gateways.note_result(
        &code,
        ctx.clock.now(),
        checked.as_ref().err().map(ToString::to_string),
    );
    let event =
        checked.map_err(|e| Error::Unexpected(anyhow::anyhow!("{code} status check: {e}")))?;
    let expired = expires_at.is_some_and(|at| at + Duration::minutes(30) < ctx.clock.now());
    let event = if event.status == GatewayStatus::Pending && expired {
        GatewayEvent {
            status: GatewayStatus::Expired,
            ..event
        }
    } else {
        event
    };
    apply_event(ctx, &code, &event, AmountCheck::Confirmed).await
}

/// The cashier's decision on a payment held because the gateway reported another amount:
/// `accept` settles it for the amount the gateway actually took; `reject` fails it.
pub async fn resolve_review(
    ctx: &AppContext,
    payment_id: PaymentId,
    accept: bool,
) -> Result<crate::billing::payments::Payment, Error> {
    let customer_id: CustomerId =
        sqlx::query_scalar("select customer_id from payments where id = $1")
            .bind(payment_id)
            .fetch_optional(&ctx.pool)
            .await?
            .ok_or(Error::NotFound("payment"))?;
    let mut tx = ctx.pool.begin().await?;
    customers::lock(&mut tx, customer_id).await?;
    let (status, review_amount): (PaymentStatus, Option<Money>) = sqlx::query_as(
        "select status, review_amount from payments \
         where id = $1 and review_reason is not null for update",
    )
    .bind(payment_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::conflict("the payment is not held for review"))?;
    if status != PaymentStatus::Pending {
        return Err(Error::conflict(format!("the payment is already {status}")));
    }
    let mut settled = None;
    match (accept, review_amount) {
        (true, Some(amount)) if amount.is_positive() => {
            sqlx::query("update payments set amount = $2, note = note || $3 where id = $1")
                .bind(payment_id)
                .bind(amount)
                .bind(format!(" (jumlah dari gateway: {amount})"))
                .execute(&mut *tx)
                .await?;
            settled = Some(crate::billing::payments::settle_in(&mut tx, ctx, payment_id).await?);
            isolation::restore_paid_up(&mut tx, ctx, Some(customer_id)).await?;
        }
        (true, _) => return Err(Error::conflict("the gateway reported no usable amount")),
        (false, _) => {
            sqlx::query(
                "update payments set status = 'failed', \
                 review_reason = review_reason || ' (ditolak)' where id = $1",
            )
            .bind(payment_id)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    match &settled {
        Some(settlement) => crate::billing::payments::announce_settled(ctx, settlement),
        None => isolation::spawn_delivery(ctx),
    }
    crate::billing::payments::get(ctx, payment_id).await
}
