//! The gateway's own hosted checkout page as the customer's pay link, for shops whose public
//! listener nobody outside can reach (carrier-grade NAT, no tunnel): when the shop chose it
//! (`business_profile.pay_without_public_address`) and an enabled gateway has such a page,
//! invoice messages and the pay-link dialog carry a checkout created for the invoice, and the
//! status poller ([`super::check_pending`]) confirms the payment: no callback has to reach
//! the shop.
//!
//! One checkout per invoice and amount while it is valid: it is reused until an hour before it
//! expires, and a new one is made when the owed amount changed (a partial payment, an
//! adjustment). Each is an ordinary pending gateway payment, so it is applied exactly once by
//! [`super::apply_event`] like any other.

use std::sync::Arc;

use anyhow::Context as _;
use billing_domain::{InvoiceId, Money, PaymentId, PhoneNumber};
use billing_gateways::{CreatePayment, PaymentGateway};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;

use crate::billing::business;
use crate::{AppContext, Error};

/// How long a checkout stays payable at the gateway.
const CHECKOUT_MINUTES: u32 = 3 * 24 * 60;
/// A checkout this close to its expiry is not handed out again: a new one is made.
const REUSE_MARGIN_MINUTES: i64 = 60;

/// A hosted checkout for an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    pub gateway: String,
    pub url: String,
    pub amount: Money,
    pub expires_at: Option<DateTime<Utc>>,
}

/// The gateway whose checkout page pay links use, when the shop chose to pay without a public
/// address and an enabled gateway has such a page.
pub async fn checkout_gateway(
    conn: &mut PgConnection,
    ctx: &AppContext,
) -> Result<Option<Arc<dyn PaymentGateway>>, Error> {
    if !business::pay_without_public_address(conn).await? {
        return Ok(None);
    }
    Ok(ctx
        .gateways
        .all()
        .into_iter()
        .find(|g| g.supports_checkout()))
}

/// A checkout still valid for what the invoice owes now, inside the caller's transaction (no
/// call to the gateway): the one [`checkout_for_invoice`] made.
pub(crate) async fn reusable_checkout(
    conn: &mut PgConnection,
    ctx: &AppContext,
    gateway: &str,
    invoice_id: InvoiceId,
) -> Result<Option<Checkout>, Error> {
    let row: Option<(String, Money, Option<DateTime<Utc>>)> = sqlx::query_as(
        "select p.payment_url, p.amount, p.expires_at from payments p \
         join invoices i on i.id = p.invoice_id \
         where p.invoice_id = $1 and p.checkout and p.status = 'pending' and p.method = $2 \
           and p.amount = i.total - i.paid and p.payment_url is not null \
           and p.gateway_ref is not null and p.review_reason is null \
           and p.expires_at > $3 \
         order by p.created_at desc limit 1",
    )
    .bind(invoice_id)
    .bind(gateway)
    .bind(ctx.clock.now() + Duration::minutes(REUSE_MARGIN_MINUTES))
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|(url, amount, expires_at)| Checkout {
        gateway: gateway.to_owned(),
        url,
        amount,
        expires_at,
    }))
}

/// The invoice's hosted checkout when pay links use the gateway's page: the valid one for the
/// amount owed now, or a new one created at the gateway. `None` when the shop does not use
/// checkout pages (or no enabled gateway has one) or the invoice owes nothing. Never call it
/// inside a transaction: it waits for the gateway.
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id))]
pub async fn checkout_for_invoice(
    ctx: &AppContext,
    invoice_id: InvoiceId,
) -> Result<Option<Checkout>, Error> {
    // Serialises the checkouts of one invoice (two messages at once make one checkout). The
    // lock is held by this otherwise idle transaction; the work below commits on its own, so
    // the pending payment exists before the gateway is asked.
    let mut lock = ctx.pool.begin().await?;
    let Some(gateway) = checkout_gateway(&mut lock, ctx).await? else {
        return Ok(None);
    };
    sqlx::query("select pg_advisory_xact_lock(hashtextextended('checkout:' || $1::text, 0))")
        .bind(invoice_id)
        .execute(&mut *lock)
        .await?;
    let code = gateway.code();
    let invoice = crate::billing::invoices::get(ctx, invoice_id).await?;
    let s = &invoice.summary;
    if !s.status.is_open() || !s.owed.is_positive() {
        return Ok(None);
    }
    let mut conn = ctx.pool.acquire().await?;
    if let Some(found) = reusable_checkout(&mut conn, ctx, code, invoice_id).await? {
        return Ok(Some(found));
    }

    let now = ctx.clock.now();
    let attempt: i64 =
        sqlx::query_scalar("select count(*) + 1 from payments where invoice_id = $1")
            .bind(invoice_id)
            .fetch_one(&mut *conn)
            .await?;
    let merchant_ref = format!("{}-{attempt}", s.number.replace('/', "-"));
    let id = PaymentId::new();
    sqlx::query(
        "insert into payments (id, customer_id, invoice_id, method, merchant_ref, amount, status, \
                               expires_at, checkout) \
         values ($1, $2, $3, $4, $5, $6, 'pending', $7, true)",
    )
    .bind(id)
    .bind(s.customer_id)
    .bind(invoice_id)
    .bind(code)
    .bind(&merchant_ref)
    .bind(s.owed)
    .bind(now + Duration::minutes(i64::from(CHECKOUT_MINUTES)))
    .execute(&mut *conn)
    .await?;

    let address = business::public_address(ctx).await?;
    let profile = business::get(ctx).await?;
    // A callback only when the gateway can reach the shop; otherwise the poller confirms.
    let callback_url = match &address.url {
        Some(url) if address.reachable() => format!("{url}/api/payments/webhook/{code}"),
        _ => String::new(),
    };
    let request = CreatePayment {
        merchant_ref: merchant_ref.clone(),
        amount: s.owed.minor(),
        method: String::new(),
        customer_name: s.customer_name.clone(),
        phone: invoice.customer_phone.clone(),
        email: None,
        description: format!("Tagihan internet {}", s.number),
        callback_url,
        return_url: return_url(ctx, &address, &profile, &s.number, &merchant_ref),
        expiry_minutes: CHECKOUT_MINUTES,
    };
    match gateway.create_checkout(&request).await {
        Ok(created) => {
            let (url, expires_at): (Option<String>, Option<DateTime<Utc>>) = sqlx::query_as(
                "update payments set gateway_ref = $2, payment_url = $3, \
                     expires_at = coalesce($4, expires_at) \
                 where id = $1 returning payment_url, expires_at",
            )
            .bind(id)
            .bind(&created.gateway_ref)
            .bind(&created.payment_url)
            .bind(created.expires_at)
            .fetch_one(&mut *conn)
            .await
            .context("recording the created checkout")?;
            let url = url.ok_or_else(|| {
                Error::conflict("the payment gateway gave no checkout page address")
            })?;
            tracing::info!(gateway = code, %merchant_ref, "checkout created for the invoice");
            lock.commit().await?;
            Ok(Some(Checkout {
                gateway: code.to_owned(),
                url,
                amount: s.owed,
                expires_at,
            }))
        }
        Err(err) => {
            sqlx::query(
                "update payments set status = 'failed', review_reason = $2 \
                 where id = $1 and status = 'pending'",
            )
            .bind(id)
            .bind(format!("create failed: {err}"))
            .execute(&mut *conn)
            .await?;
            tracing::warn!(gateway = code, error = %err, "the gateway refused the checkout");
            Err(Error::conflict(format!(
                "the payment gateway could not create the checkout page: {err}"
            )))
        }
    }
}

/// Where the gateway sends the customer after paying: this app's thank-you page when the
/// public address reaches it, else a WhatsApp chat with the shop saying the invoice is paid,
/// else the local page (the best there is).
fn return_url(
    ctx: &AppContext,
    address: &business::PublicAddress,
    profile: &business::BusinessProfile,
    number: &str,
    merchant_ref: &str,
) -> String {
    match (&address.url, PhoneNumber::parse(&profile.phone)) {
        (Some(url), _) if address.reachable() => format!("{url}/pay/return/{merchant_ref}"),
        (_, Ok(phone)) => format!(
            "https://wa.me/{}?text={}",
            phone.as_str(),
            urlencoding::encode(&format!("Saya sudah membayar tagihan {number}."))
        ),
        _ => format!(
            "{}/pay/return/{merchant_ref}",
            ctx.public_fallback_url.trim_end_matches('/')
        ),
    }
}
