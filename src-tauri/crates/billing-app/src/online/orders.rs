//! Gateway payments of the online voucher shop's orders: starting one, and applying callbacks
//! and status checks exactly once. The order is paid by the first of its payments the gateway
//! confirms; the voucher is made afterwards by `vouchers::shop` (on the `ShopOrderPaid` event
//! and by its job), never here.

use anyhow::Context as _;
use billing_domain::Money;
use billing_gateways::{CreatePayment, GatewayEvent, GatewayStatus};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::links::{public_base, PAYMENT_MINUTES};
use super::outcome::{AmountCheck, Outcome, PollSummary};
use super::security_event;
use crate::events::{publish, BillingEvent};
use crate::{AppContext, Error};

/// What the buyer needs to pay one attempt: the gateway's page, VA number or QRIS payload.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OrderPayment {
    pub payment_id: Uuid,
    pub merchant_ref: String,
    pub gateway: String,
    pub method: String,
    pub amount: i64,
    /// pending, paid, failed or expired.
    pub status: String,
    pub payment_url: Option<String>,
    pub va_number: Option<String>,
    pub qr_string: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id as payment_id, merchant_ref, gateway, gateway_method as method, amount, \
    status, payment_url, va_number, qr_string, expires_at";

/// What the order asks the gateway for.
#[derive(Debug, Clone)]
pub struct OrderCharge<'a> {
    pub order_id: Uuid,
    pub number: i64,
    pub amount: Money,
    pub description: &'a str,
    pub buyer_phone: Option<&'a str>,
    /// Where the gateway sends the buyer back (a path on the public address): the order's
    /// page, where the code appears.
    pub return_path: &'a str,
}

/// The payment the buyer chose and is still waiting for, if any.
pub async fn waiting_payment(
    ctx: &AppContext,
    order_id: Uuid,
) -> Result<Option<OrderPayment>, Error> {
    Ok(sqlx::query_as(&format!(
        "select {COLUMNS} from shop_payments where order_id = $1 and status = 'pending' \
         and gateway_ref is not null and review_reason is null \
         and (expires_at is null or expires_at > $2) order by created_at desc limit 1"
    ))
    .bind(order_id)
    .bind(ctx.clock.now())
    .fetch_optional(&ctx.pool)
    .await?)
}

/// Opens a payment at the gateway for an open order (or returns the one already waiting for
/// the same method, so a double tap opens nothing twice).
#[tracing::instrument(skip_all, fields(order = charge.number, gateway = gateway_code, method))]
pub async fn start(
    ctx: &AppContext,
    charge: OrderCharge<'_>,
    gateway_code: &str,
    method: &str,
) -> Result<OrderPayment, Error> {
    let gateway = ctx
        .gateways
        .get(gateway_code)
        .ok_or_else(|| Error::validation("gateway", "this payment gateway is not enabled"))?;
    if method.is_empty() || method.len() > 20 {
        return Err(Error::validation("method", "choose a payment method"));
    }
    let now = ctx.clock.now();
    let existing: Option<OrderPayment> = sqlx::query_as(&format!(
        "select {COLUMNS} from shop_payments where order_id = $1 and status = 'pending' \
         and gateway = $2 and gateway_method = $3 and gateway_ref is not null \
         and (expires_at is null or expires_at > $4) order by created_at desc limit 1"
    ))
    .bind(charge.order_id)
    .bind(gateway_code)
    .bind(method)
    .bind(now)
    .fetch_optional(&ctx.pool)
    .await?;
    if let Some(p) = existing {
        return Ok(p);
    }
    let id = Uuid::now_v7();
    let mut conn = ctx.pool.acquire().await?;
    // The attempt's number is part of the reference: each gateway transaction needs its own.
    let merchant_ref: String = sqlx::query_scalar(
        "insert into shop_payments (id, order_id, gateway, gateway_method, merchant_ref, amount, \
                                    expires_at) \
         select $1, $2, $3, $4, 'VC' || $5 || '-' || (count(*) + 1), $6, $7 \
           from shop_payments where order_id = $2 \
         returning merchant_ref",
    )
    .bind(id)
    .bind(charge.order_id)
    .bind(gateway_code)
    .bind(method)
    .bind(charge.number.to_string())
    .bind(charge.amount)
    .bind(now + Duration::minutes(i64::from(PAYMENT_MINUTES)))
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| {
        if crate::is_constraint_violation(&e, "shop_payments_merchant_ref_key") {
            Error::conflict(
                "another payment for this order was opened at the same moment; try again",
            )
        } else {
            e.into()
        }
    })?;
    let base = public_base(&mut conn, ctx).await?;
    drop(conn);
    let request = CreatePayment {
        merchant_ref: merchant_ref.clone(),
        amount: charge.amount.minor(),
        method: method.to_owned(),
        customer_name: "Pembeli voucher".to_owned(),
        phone: charge.buyer_phone.unwrap_or_default().to_owned(),
        email: None,
        description: charge.description.to_owned(),
        callback_url: format!("{base}/api/payments/webhook/{gateway_code}"),
        return_url: format!("{base}{}", charge.return_path),
        expiry_minutes: PAYMENT_MINUTES,
    };
    match gateway.create(&request).await {
        Ok(created) => Ok(sqlx::query_as(&format!(
            "update shop_payments set gateway_ref = $2, payment_url = $3, va_number = $4, \
                 qr_string = $5, expires_at = coalesce($6, expires_at) \
             where id = $1 returning {COLUMNS}"
        ))
        .bind(id)
        .bind(&created.gateway_ref)
        .bind(&created.payment_url)
        .bind(&created.va_number)
        .bind(&created.qr_string)
        .bind(created.expires_at)
        .fetch_one(&ctx.pool)
        .await
        .context("recording the created payment")?),
        Err(err) => {
            sqlx::query(
                "update shop_payments set status = 'failed', review_reason = $2 \
                 where id = $1 and status = 'pending'",
            )
            .bind(id)
            .bind(format!("create failed: {err}"))
            .execute(&ctx.pool)
            .await?;
            tracing::warn!(error = %err, "gateway refused to create the order's payment");
            Err(Error::conflict(format!(
                "the payment gateway could not create the payment: {err}"
            )))
        }
    }
}

/// What the order's payment asked the gateway for, if a shop payment has this reference.
pub(super) async fn asked_amount(
    ctx: &AppContext,
    code: &str,
    merchant_ref: &str,
) -> Result<Option<Money>, Error> {
    Ok(sqlx::query_scalar(
        "select amount from shop_payments where merchant_ref = $1 and gateway = $2",
    )
    .bind(merchant_ref)
    .bind(code)
    .fetch_optional(&ctx.pool)
    .await?)
}

/// Applies a verified (or status-confirmed) gateway event to the shop payment it names;
/// `None` when no shop payment has its reference. Paid is final. A payment for another
/// amount than the order's is held for the owner (no voucher is made for less than its price);
/// a second payment of an order already paid is recorded and flagged for a refund.
pub(super) async fn apply_event(
    ctx: &AppContext,
    code: &str,
    event: &GatewayEvent,
    check: AmountCheck,
) -> Result<Option<Outcome>, Error> {
    let found: Option<(Uuid, Uuid)> = sqlx::query_as(
        "select id, order_id from shop_payments where merchant_ref = $1 and gateway = $2",
    )
    .bind(&event.merchant_ref)
    .bind(code)
    .fetch_optional(&ctx.pool)
    .await?;
    let Some((payment_id, order_id)) = found else {
        return Ok(None);
    };
    let now = ctx.clock.now();
    let mut tx = ctx.pool.begin().await?;
    // The order first, then its payment: two payments of one order settle one after the other.
    let order_status: String =
        sqlx::query_scalar("select status from shop_orders where id = $1 for update")
            .bind(order_id)
            .fetch_one(&mut *tx)
            .await?;
    let (status, amount): (String, Money) =
        sqlx::query_as("select status, amount from shop_payments where id = $1 for update")
            .bind(payment_id)
            .fetch_one(&mut *tx)
            .await?;
    if status == "paid" {
        if event.status != GatewayStatus::Paid {
            tracing::warn!(merchant_ref = %event.merchant_ref, reported = ?event.status,
                           "a later notice for a paid shop payment was ignored; paid is final");
        }
        return Ok(Some(Outcome::AlreadyApplied));
    }
    let mut paid_order = false;
    let outcome = match event.status {
        GatewayStatus::Paid if event.amount != amount.minor() => {
            let why = if check == AmountCheck::Unconfirmed {
                "; the gateway's status check did not confirm the callback's amount"
            } else {
                ""
            };
            let reason = format!(
                "the gateway reported {} but the voucher costs {amount}{why}",
                event.amount
            );
            sqlx::query(
                "update shop_payments set review_reason = $2, review_amount = $3, \
                 last_checked_at = $4 where id = $1",
            )
            .bind(payment_id)
            .bind(&reason)
            .bind(event.amount)
            .bind(now)
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
        GatewayStatus::Paid => {
            sqlx::query(
                "update shop_payments set status = 'paid', paid_at = $2, last_checked_at = $2, \
                 gateway_ref = coalesce(gateway_ref, $3) where id = $1",
            )
            .bind(payment_id)
            .bind(now)
            .bind(&event.gateway_ref)
            .execute(&mut *tx)
            .await?;
            if order_status == "open" {
                sqlx::query(
                    "update shop_orders set status = 'paid', paid_at = $2, paid_payment_id = $3 \
                     where id = $1",
                )
                .bind(order_id)
                .bind(now)
                .bind(payment_id)
                .execute(&mut *tx)
                .await?;
                paid_order = true;
            } else {
                // The buyer paid twice (two methods): the money is recorded, one voucher is
                // made, and the owner is told to give the second payment back.
                let reason = "the order was already paid by another payment; refund this one";
                sqlx::query("update shop_payments set review_reason = $2 where id = $1")
                    .bind(payment_id)
                    .bind(reason)
                    .execute(&mut *tx)
                    .await?;
                security_event(
                    &mut tx,
                    now,
                    "shop_order_paid_twice",
                    &format!("{}: {reason}", event.merchant_ref),
                    serde_json::json!({ "gateway": code, "reference": event.merchant_ref }),
                    None,
                )
                .await?;
            }
            Outcome::Applied
        }
        GatewayStatus::Pending => {
            sqlx::query("update shop_payments set last_checked_at = $2 where id = $1")
                .bind(payment_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            Outcome::StillPending
        }
        GatewayStatus::Failed | GatewayStatus::Expired => {
            let new_status = if event.status == GatewayStatus::Failed {
                "failed"
            } else {
                "expired"
            };
            sqlx::query(
                "update shop_payments set status = $2, last_checked_at = $3 \
                 where id = $1 and status = 'pending'",
            )
            .bind(payment_id)
            .bind(new_status)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            Outcome::Closed
        }
    };
    tx.commit().await?;
    if paid_order {
        tracing::info!(%order_id, merchant_ref = %event.merchant_ref, "shop order paid");
        publish(ctx, BillingEvent::ShopOrderPaid { order_id });
    }
    Ok(Some(outcome))
}

/// Asks the gateways about the shop's pending payments, as for invoices' (`check_pending`).
pub(super) async fn check_pending(
    ctx: &AppContext,
    summary: &mut PollSummary,
) -> Result<(), Error> {
    let rows: Vec<Uuid> = sqlx::query_scalar(
        "select id from shop_payments where status = 'pending' and gateway_ref is not null \
         and review_reason is null order by last_checked_at nulls first, created_at limit 200",
    )
    .fetch_all(&ctx.pool)
    .await?;
    for id in rows {
        summary.checked += 1;
        match check_one(ctx, id).await {
            Ok(Outcome::Applied) => summary.paid += 1,
            Ok(Outcome::Closed) => summary.closed += 1,
            Ok(_) => {}
            Err(err) => {
                summary.errors += 1;
                tracing::warn!(payment_id = %id, error = %err, "shop payment status check failed");
            }
        }
    }
    Ok(())
}

/// Asks the gateway about one shop payment now (the buyer's page does after the gateway sent
/// them back).
pub async fn check_one(ctx: &AppContext, id: Uuid) -> Result<Outcome, Error> {
    type Row = (
        String,
        String,
        Option<String>,
        Option<DateTime<Utc>>,
        String,
    );
    let (code, merchant_ref, gateway_ref, expires_at, status): Row = sqlx::query_as(
        "select gateway, merchant_ref, gateway_ref, expires_at, status from shop_payments \
         where id = $1",
    )
    .bind(id)
    .fetch_optional(&ctx.pool)
    .await?
    .ok_or(Error::NotFound("payment"))?;
    if status == "paid" {
        return Ok(Outcome::AlreadyApplied);
    }
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
    Ok(apply_event(ctx, &code, &event, AmountCheck::Confirmed)
        .await?
        .unwrap_or(Outcome::Unknown))
}

/// The owner's decision on a shop payment held for review. Another amount than the price:
/// `accept` counts it as the order's payment (the voucher is made), otherwise it is refused.
/// A second payment of an order already paid: either way it is marked as dealt with (the owner
/// refunded it). Returns whether the order became paid.
pub async fn resolve_review(
    ctx: &AppContext,
    payment_id: Uuid,
    accept: bool,
    by: &str,
) -> Result<bool, Error> {
    let now = ctx.clock.now();
    let order_id: Uuid = sqlx::query_scalar("select order_id from shop_payments where id = $1")
        .bind(payment_id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("payment"))?;
    let mut tx = ctx.pool.begin().await?;
    let order_status: String =
        sqlx::query_scalar("select status from shop_orders where id = $1 for update")
            .bind(order_id)
            .fetch_one(&mut *tx)
            .await?;
    let (status, reviewed): (String, bool) = sqlx::query_as(
        "select status, reviewed_at is not null from shop_payments \
         where id = $1 and review_reason is not null for update",
    )
    .bind(payment_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::conflict("the payment is not held for review"))?;
    if reviewed {
        return Err(Error::conflict("the payment was reviewed already"));
    }
    let mut paid_order = false;
    match status.as_str() {
        "pending" if accept => {
            sqlx::query(
                "update shop_payments set status = 'paid', paid_at = $2, reviewed_at = $2, \
                 reviewed_by = $3 where id = $1",
            )
            .bind(payment_id)
            .bind(now)
            .bind(by)
            .execute(&mut *tx)
            .await?;
            if order_status == "open" {
                sqlx::query(
                    "update shop_orders set status = 'paid', paid_at = $2, paid_payment_id = $3 \
                     where id = $1",
                )
                .bind(order_id)
                .bind(now)
                .bind(payment_id)
                .execute(&mut *tx)
                .await?;
                paid_order = true;
            }
        }
        "pending" => {
            sqlx::query(
                "update shop_payments set status = 'failed', reviewed_at = $2, reviewed_by = $3 \
                 where id = $1",
            )
            .bind(payment_id)
            .bind(now)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        }
        _ => {
            sqlx::query(
                "update shop_payments set reviewed_at = $2, reviewed_by = $3 where id = $1",
            )
            .bind(payment_id)
            .bind(now)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    if paid_order {
        publish(ctx, BillingEvent::ShopOrderPaid { order_id });
    }
    Ok(paid_order)
}
