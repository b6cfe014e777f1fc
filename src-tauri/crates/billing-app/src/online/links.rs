//! Pay links, the pay page's data, and starting a gateway payment.

use anyhow::Context as _;
use base64::Engine as _;
use billing_domain::{InvoiceId, InvoiceStatus, Money, PaymentId, PaymentStatus};
use billing_gateways::{CreatePayment, MethodKind};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::RngCore;
use serde::Serialize;
use uuid::Uuid;

use super::token_hash;
use crate::billing::business::BankAccount;
use crate::{AppContext, Error};

const LINK_DAYS: i64 = 30;
pub(super) const PAYMENT_MINUTES: u32 = 24 * 60;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PayLink {
    /// The pay page on the public listener (invoice, the gateway's methods, bank transfer with
    /// proof upload, the shop's contact). Send it unless `checkout_url` is set.
    pub url: String,
    pub expires_at: DateTime<Utc>,
    /// The gateway's own checkout page made for this invoice and amount, when the shop pays
    /// without a public address: send this one instead (payment confirmed by polling).
    pub checkout_url: Option<String>,
    /// The gateway whose checkout page `checkout_url` is (`duitku`).
    pub checkout_gateway: Option<String>,
    pub checkout_expires_at: Option<DateTime<Utc>>,
    /// Why no checkout page could be made (the gateway refused or did not answer).
    pub checkout_error: Option<String>,
    /// The shop chose the gateway's checkout page instead of a public address.
    pub pay_without_public_address: bool,
    /// The public address as last checked: `reachable`, `not_set`, `loopback` (this computer
    /// itself) or `unchecked`. Anything but `reachable`: `url` does not open for the customer.
    pub public_address: String,
    /// A payment gateway is enabled: the customer can pay online.
    pub online_payment: bool,
    /// The shop has bank accounts: the customer can pay by transfer and upload the proof.
    pub bank_transfer: bool,
}

/// Creates a new link for an invoice that is still open (older links stay valid), and its
/// checkout page when the shop pays without a public address.
pub async fn create_pay_link(ctx: &AppContext, invoice_id: InvoiceId) -> Result<PayLink, Error> {
    let row: Option<(InvoiceStatus, String)> =
        sqlx::query_as("select status, number from invoices where id = $1")
            .bind(invoice_id)
            .fetch_optional(&ctx.pool)
            .await?;
    let (status, number) = row.ok_or(Error::NotFound("invoice"))?;
    crate::billing::payments::ensure_payable(status, &number)?;
    let mut conn = ctx.pool.acquire().await?;
    let (url, expires_at) = new_link(&mut conn, ctx, invoice_id).await?;
    drop(conn);
    let (checkout, checkout_error) =
        match super::checkout::checkout_for_invoice(ctx, invoice_id).await {
            Ok(found) => (found, None),
            Err(Error::Conflict { message, .. }) => (None, Some(message)),
            Err(err) => return Err(err),
        };
    let profile = crate::billing::business::get(ctx).await?;
    let address = crate::billing::business::public_address(ctx).await?;
    Ok(PayLink {
        url,
        expires_at,
        checkout_url: checkout.as_ref().map(|c| c.url.clone()),
        checkout_gateway: checkout.as_ref().map(|c| c.gateway.clone()),
        checkout_expires_at: checkout.and_then(|c| c.expires_at),
        checkout_error,
        pay_without_public_address: profile.pay_without_public_address,
        public_address: address.state().to_owned(),
        online_payment: !ctx.gateways.all().is_empty(),
        bank_transfer: !profile.bank_accounts.is_empty(),
    })
}

/// The link an invoice message carries, inside the caller's transaction: the invoice's
/// checkout page when the shop pays without a public address and one is ready (see
/// [`prepare_pay_link`]), else a fresh pay page link.
pub async fn pay_link_in(
    conn: &mut sqlx::PgConnection,
    ctx: &AppContext,
    invoice_id: InvoiceId,
) -> Result<String, Error> {
    if let Some(gateway) = super::checkout::checkout_gateway(conn, ctx).await? {
        let code = gateway.code();
        if let Some(found) = super::checkout::reusable_checkout(conn, ctx, code, invoice_id).await?
        {
            return Ok(found.url);
        }
        tracing::warn!(invoice_id = %invoice_id, gateway = code,
                       "no checkout page ready for the invoice: the message carries the pay page");
    }
    Ok(new_link(conn, ctx, invoice_id).await?.0)
}

/// Before a message about an invoice is queued (outside any transaction): makes sure its
/// checkout page exists when the shop pays without a public address, so [`pay_link_in`]
/// finds it. A gateway that refuses is logged; the message then carries the pay page link.
pub async fn prepare_pay_link(ctx: &AppContext, invoice_id: InvoiceId) -> Result<(), Error> {
    // No message goes to a customer who opted out, nor to the sample customers.
    let held_back: bool = sqlx::query_scalar(
        "select c.whatsapp_opt_out or c.sample from invoices i \
         join customers c on c.id = i.customer_id where i.id = $1",
    )
    .bind(invoice_id)
    .fetch_optional(&ctx.pool)
    .await?
    .unwrap_or(true);
    if held_back {
        return Ok(());
    }
    match super::checkout::checkout_for_invoice(ctx, invoice_id).await {
        Ok(_) => Ok(()),
        Err(Error::Conflict { message, .. }) => {
            tracing::warn!(invoice_id = %invoice_id, %message, "no checkout page for the message");
            Ok(())
        }
        Err(err) => Err(err),
    }
}

async fn new_link(
    conn: &mut sqlx::PgConnection,
    ctx: &AppContext,
    invoice_id: InvoiceId,
) -> Result<(String, DateTime<Utc>), Error> {
    let mut raw = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let expires_at = ctx.clock.now() + Duration::days(LINK_DAYS);
    sqlx::query(
        "insert into pay_links (id, invoice_id, token_hash, expires_at) values ($1, $2, $3, $4)",
    )
    .bind(Uuid::now_v7())
    .bind(invoice_id)
    .bind(token_hash(&token))
    .bind(expires_at)
    .execute(&mut *conn)
    .await?;
    let base = public_base(conn, ctx).await?;
    Ok((format!("{base}/pay/{token}"), expires_at))
}

pub(super) async fn resolve(ctx: &AppContext, token: &str) -> Result<InvoiceId, Error> {
    if token.len() < 20 || token.len() > 64 {
        return Err(Error::NotFound("pay link"));
    }
    sqlx::query_scalar("select invoice_id from pay_links where token_hash = $1 and expires_at > $2")
        .bind(token_hash(token))
        .bind(ctx.clock.now())
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("pay link"))
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodOption {
    pub gateway: String,
    pub code: String,
    pub name: String,
    pub fee: Money,
    pub kind: MethodKind,
    pub image_url: Option<String>,
}

/// The methods of every enabled gateway for an amount, and the gateways that could not say.
pub async fn available_methods(
    ctx: &AppContext,
    amount: Money,
) -> Result<
    (
        Vec<MethodOption>,
        Vec<(String, billing_gateways::GatewayError)>,
    ),
    Error,
> {
    Error::money(
        "amount",
        amount.minor(),
        billing_domain::money::InputSign::Positive,
    )?;
    let (mut methods, mut unavailable) = (Vec::new(), Vec::new());
    for gateway in ctx.gateways.all() {
        match gateway.methods(amount.minor()).await {
            Ok(list) => methods.extend(list.into_iter().map(|m| MethodOption {
                gateway: gateway.code().to_owned(),
                code: m.code,
                name: m.name,
                fee: Money::from_minor(m.fee),
                kind: m.kind,
                image_url: m.image_url,
            })),
            Err(err) => unavailable.push((gateway.code().to_owned(), err)),
        }
    }
    Ok((methods, unavailable))
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentInstructions {
    pub payment_id: PaymentId,
    pub merchant_ref: String,
    pub gateway: String,
    pub method: Option<String>,
    pub amount: Money,
    pub status: PaymentStatus,
    pub payment_url: Option<String>,
    pub va_number: Option<String>,
    pub qr_string: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// What the customer sees: only what they need, nothing else about the ISP's books.
#[derive(Debug, Clone, Serialize)]
pub struct PayPage {
    pub business_name: String,
    pub business_address: String,
    pub business_phone: String,
    /// The shop's phone as WhatsApp digits (`62…`) for a wa.me link, when it is a mobile number.
    pub business_whatsapp: Option<String>,
    pub logo_data_url: Option<String>,
    pub bank_accounts: Vec<BankAccount>,
    pub invoice_id: InvoiceId,
    pub invoice_number: String,
    pub customer_name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_on: NaiveDate,
    pub total: Money,
    pub paid: Money,
    pub owed: Money,
    pub status: InvoiceStatus,
    pub methods: Vec<MethodOption>,
    pub pending: Option<PaymentInstructions>,
}

pub async fn pay_page(ctx: &AppContext, token: &str) -> Result<PayPage, Error> {
    pay_page_inner(ctx, token, true).await
}

/// The same view without asking the gateways for their methods (for live status).
pub async fn pay_page_status(ctx: &AppContext, token: &str) -> Result<PayPage, Error> {
    pay_page_inner(ctx, token, false).await
}

async fn pay_page_inner(
    ctx: &AppContext,
    token: &str,
    with_methods: bool,
) -> Result<PayPage, Error> {
    let invoice_id = resolve(ctx, token).await?;
    let invoice = crate::billing::invoices::get(ctx, invoice_id).await?;
    let business = crate::billing::business::get(ctx).await?;
    let s = &invoice.summary;
    let mut methods = Vec::new();
    if s.owed.is_positive() && with_methods {
        let (available, unavailable) = available_methods(ctx, s.owed).await?;
        methods = available;
        for (gateway, err) in unavailable {
            tracing::warn!(gateway, error = %err, "payment methods unavailable");
        }
    }
    let pending = latest_pending(ctx, invoice_id).await?;
    Ok(PayPage {
        business_whatsapp: billing_domain::PhoneNumber::parse(&business.phone)
            .ok()
            .map(|p| p.as_str().to_owned()),
        business_address: business.address,
        business_phone: business.phone,
        business_name: business.name,
        logo_data_url: business.logo_data_url,
        bank_accounts: business.bank_accounts,
        invoice_id,
        invoice_number: s.number.clone(),
        customer_name: s.customer_name.clone(),
        period_start: s.period_start,
        period_end: s.period_end.pred_opt().unwrap_or(s.period_end),
        due_on: s.due_on,
        total: s.total,
        paid: s.paid,
        owed: s.owed,
        status: s.status,
        methods,
        pending,
    })
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    id: PaymentId,
    merchant_ref: String,
    method: String,
    gateway_method: Option<String>,
    amount: Money,
    status: PaymentStatus,
    payment_url: Option<String>,
    va_number: Option<String>,
    qr_string: Option<String>,
    expires_at: Option<DateTime<Utc>>,
}

impl From<PendingRow> for PaymentInstructions {
    fn from(r: PendingRow) -> Self {
        PaymentInstructions {
            payment_id: r.id,
            merchant_ref: r.merchant_ref,
            gateway: r.method,
            method: r.gateway_method,
            amount: r.amount,
            status: r.status,
            payment_url: r.payment_url,
            va_number: r.va_number,
            qr_string: r.qr_string,
            expires_at: r.expires_at,
        }
    }
}

const PENDING_COLUMNS: &str = "id, merchant_ref, method, gateway_method, amount, status, \
    payment_url, va_number, qr_string, expires_at";

async fn latest_pending(
    ctx: &AppContext,
    invoice_id: InvoiceId,
) -> Result<Option<PaymentInstructions>, Error> {
    let row: Option<PendingRow> = sqlx::query_as(&format!(
        "select {PENDING_COLUMNS} from payments where invoice_id = $1 and status = 'pending' \
         and merchant_ref is not null and gateway_ref is not null \
         and (expires_at is null or expires_at > $2) order by created_at desc limit 1"
    ))
    .bind(invoice_id)
    .bind(ctx.clock.now())
    .fetch_optional(&ctx.pool)
    .await?;
    Ok(row.map(Into::into))
}

/// The customer chose a method on the pay page.
pub async fn start_payment(
    ctx: &AppContext,
    token: &str,
    gateway: &str,
    method: &str,
) -> Result<PaymentInstructions, Error> {
    let invoice_id = resolve(ctx, token).await?;
    start_payment_for_invoice(ctx, invoice_id, gateway, method).await
}

/// Creates a gateway payment for what an invoice still owes (or returns the one already
/// waiting for the same method, so a double click creates nothing twice).
#[tracing::instrument(skip_all, fields(invoice_id = %invoice_id, gateway, method))]
pub async fn start_payment_for_invoice(
    ctx: &AppContext,
    invoice_id: InvoiceId,
    gateway_code: &str,
    method: &str,
) -> Result<PaymentInstructions, Error> {
    let gateway = ctx
        .gateways
        .get(gateway_code)
        .ok_or_else(|| Error::validation("gateway", "this payment gateway is not enabled"))?;
    if method.is_empty() || method.len() > 20 {
        return Err(Error::validation("method", "choose a payment method"));
    }
    let invoice = crate::billing::invoices::get(ctx, invoice_id).await?;
    let s = &invoice.summary;
    crate::billing::payments::ensure_payable(s.status, &s.number)?;
    let now = ctx.clock.now();
    let existing: Option<PendingRow> = sqlx::query_as(&format!(
        "select {PENDING_COLUMNS} from payments where invoice_id = $1 and status = 'pending' \
         and method = $2 and gateway_method = $3 and amount = $4 and gateway_ref is not null \
         and (expires_at is null or expires_at > $5) order by created_at desc limit 1"
    ))
    .bind(invoice_id)
    .bind(gateway_code)
    .bind(method)
    .bind(s.owed)
    .bind(now)
    .fetch_optional(&ctx.pool)
    .await?;
    if let Some(row) = existing {
        return Ok(row.into());
    }

    let attempt: i64 =
        sqlx::query_scalar("select count(*) + 1 from payments where invoice_id = $1")
            .bind(invoice_id)
            .fetch_one(&ctx.pool)
            .await?;
    let merchant_ref = format!("{}-{attempt}", s.number.replace('/', "-"));
    let id = PaymentId::new();
    sqlx::query(
        "insert into payments (id, customer_id, invoice_id, method, gateway_method, merchant_ref, \
                               amount, status, expires_at) \
         values ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)",
    )
    .bind(id)
    .bind(s.customer_id)
    .bind(invoice_id)
    .bind(gateway_code)
    .bind(method)
    .bind(&merchant_ref)
    .bind(s.owed)
    .bind(now + Duration::minutes(i64::from(PAYMENT_MINUTES)))
    .execute(&ctx.pool)
    .await?;

    let base = public_base(&mut *ctx.pool.acquire().await?, ctx).await?;
    let base = base.as_str();
    let request = CreatePayment {
        merchant_ref: merchant_ref.clone(),
        amount: s.owed.minor(),
        method: method.to_owned(),
        customer_name: s.customer_name.clone(),
        phone: invoice.customer_phone.clone(),
        email: None,
        description: format!("Tagihan internet {}", s.number),
        callback_url: format!("{base}/api/payments/webhook/{gateway_code}"),
        return_url: format!("{base}/pay/return/{merchant_ref}"),
        expiry_minutes: PAYMENT_MINUTES,
    };
    match gateway.create(&request).await {
        Ok(created) => {
            let row: PendingRow = sqlx::query_as(&format!(
                "update payments set gateway_ref = $2, payment_url = $3, va_number = $4, \
                     qr_string = $5, expires_at = coalesce($6, expires_at) \
                 where id = $1 returning {PENDING_COLUMNS}"
            ))
            .bind(id)
            .bind(&created.gateway_ref)
            .bind(&created.payment_url)
            .bind(&created.va_number)
            .bind(&created.qr_string)
            .bind(created.expires_at)
            .fetch_one(&ctx.pool)
            .await
            .context("recording the created payment")?;
            Ok(row.into())
        }
        Err(err) => {
            sqlx::query("update payments set status = 'failed', review_reason = $2 where id = $1 and status = 'pending'")
                .bind(id)
                .bind(format!("create failed: {err}"))
                .execute(&ctx.pool)
                .await?;
            tracing::warn!(error = %err, "gateway refused to create the payment");
            Err(Error::conflict(format!(
                "the payment gateway could not create the payment: {err}"
            )))
        }
    }
}

/// The public listener's address as customers and gateways reach it (no trailing slash).
pub(crate) async fn public_base(
    conn: &mut sqlx::PgConnection,
    ctx: &AppContext,
) -> Result<String, Error> {
    let base: Option<String> = sqlx::query_scalar("select public_base_url from business_profile")
        .fetch_one(conn)
        .await?;
    let base = base
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| ctx.public_fallback_url.clone());
    Ok(base.trim_end_matches('/').to_owned())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PaymentStatusView {
    #[schema(value_type = Uuid)]
    pub payment_id: PaymentId,
    pub merchant_ref: Option<String>,
    pub status: PaymentStatus,
    #[schema(value_type = i64)]
    pub amount: Money,
    #[schema(value_type = Option<Uuid>)]
    pub invoice_id: Option<InvoiceId>,
    pub invoice_status: Option<InvoiceStatus>,
    pub paid_at: Option<DateTime<Utc>>,
}

/// The state of a payment by its merchant reference (or id).
pub async fn payment_status(ctx: &AppContext, reference: &str) -> Result<PaymentStatusView, Error> {
    let id = reference.parse::<PaymentId>().ok();
    sqlx::query_as(
        "select p.id as payment_id, p.merchant_ref, p.status, p.amount, p.invoice_id, \
                i.status as invoice_status, p.paid_at \
         from payments p left join invoices i on i.id = p.invoice_id \
         where p.merchant_ref = $1 or p.id = $2",
    )
    .bind(reference)
    .bind(id)
    .fetch_optional(&ctx.pool)
    .await?
    .ok_or(Error::NotFound("payment"))
}
