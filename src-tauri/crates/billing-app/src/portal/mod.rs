//! The customer page (`/portal` on the public listener): a subscriber signs in with their
//! phone number (or their PPPoE/hotspot login) and a 6-digit code sent by WhatsApp, or given by
//! staff when no WhatsApp session is up; then sees their subscriptions, invoices, receipts and
//! balance, and pays an open invoice through the pay page.
//!
//! Nothing about a customer is shown before the code: asking for a code answers the same
//! whether the number is known or not. A code lives 5 minutes and allows 5 tries; a number gets
//! at most 3 codes per 15 minutes and an address 10 per hour. Only SHA-256 hashes of codes and
//! session tokens are stored; a session lives 30 minutes.

use std::collections::HashMap;

use base64::Engine as _;
use billing_domain::{InvoiceId, InvoiceStatus, PhoneNumber};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::{Rng, RngCore};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::messaging::{enqueue_in, NewMessage, Priority};
use crate::{AppContext, Error};

pub const CODE_MINUTES: i64 = 5;
pub const SESSION_MINUTES: i64 = 30;
const TRIES_PER_CODE: i32 = 5;
const CODES_PER_PHONE: i64 = 3;
const PHONE_WINDOW_MINUTES: i64 = 15;
const CODES_PER_ADDRESS: i64 = 10;

fn code_hash(phone: &str, code: &str) -> Vec<u8> {
    Sha256::digest(format!("{phone}:{code}").as_bytes()).to_vec()
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn random_token() -> String {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

fn new_code() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

/// The phone a sign-in names: a phone number as typed (08…, +62…, 62…), or a subscription's
/// login. `None` when it names nobody (the caller answers as if it did).
async fn phone_of(ctx: &AppContext, who: &str) -> Result<Option<String>, Error> {
    let who = who.trim();
    if who.is_empty() || who.len() > 64 {
        return Ok(None);
    }
    let phone = match PhoneNumber::parse(who) {
        Ok(p) => Some(p.as_str().to_owned()),
        Err(_) => {
            sqlx::query_scalar(
                "select c.phone from subscriptions s join customers c on c.id = s.customer_id \
             where lower(s.login) = lower($1) and s.status <> 'terminated' limit 1",
            )
            .bind(who)
            .fetch_optional(&ctx.pool)
            .await?
        }
    };
    let Some(phone) = phone else { return Ok(None) };
    let known: bool = sqlx::query_scalar(
        "select exists (select 1 from customers where phone = $1 and not sample)",
    )
    .bind(&phone)
    .fetch_one(&ctx.pool)
    .await?;
    Ok(known.then_some(phone))
}

/// What the sign-in page says after a code was asked for.
#[derive(Debug, Clone, Serialize)]
pub struct CodeRequest {
    /// A WhatsApp session is up: the code is on its way (if the number is known).
    pub whatsapp_available: bool,
}

/// Sends a sign-in code by WhatsApp to the customer `who` names, if any (the answer is the
/// same either way, so the page tells nobody which numbers are customers).
pub async fn request_code(
    ctx: &AppContext,
    who: &str,
    remote_addr: Option<&str>,
) -> Result<CodeRequest, Error> {
    let now = ctx.clock.now();
    let whatsapp_available = ctx.whatsapp.sessions().iter().any(|s| s.is_healthy());
    if let Some(addr) = remote_addr {
        let recent: i64 = sqlx::query_scalar(
            "select count(*) from portal_codes where remote_addr = $1 and created_at > $2",
        )
        .bind(addr)
        .bind(now - Duration::hours(1))
        .fetch_one(&ctx.pool)
        .await?;
        if recent >= CODES_PER_ADDRESS {
            return Err(Error::TooManyAttempts {
                retry_after_secs: 3600,
            });
        }
    }
    let Some(phone) = phone_of(ctx, who).await? else {
        return Ok(CodeRequest { whatsapp_available });
    };
    let recent: i64 = sqlx::query_scalar(
        "select count(*) from portal_codes where phone = $1 and issued_by = 'whatsapp' \
         and created_at > $2",
    )
    .bind(&phone)
    .bind(now - Duration::minutes(PHONE_WINDOW_MINUTES))
    .fetch_one(&ctx.pool)
    .await?;
    if recent >= CODES_PER_PHONE {
        tracing::info!("portal code not sent: too many for this number");
        return Ok(CodeRequest { whatsapp_available });
    }
    let code = new_code();
    let mut tx = ctx.pool.begin().await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into portal_codes (id, phone, code_hash, issued_by, remote_addr, expires_at, \
                                   created_at) \
         values ($1, $2, $3, 'whatsapp', $4, $5, $6)",
    )
    .bind(id)
    .bind(&phone)
    .bind(code_hash(&phone, &code))
    .bind(remote_addr)
    .bind(now + Duration::minutes(CODE_MINUTES))
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let isp: String = sqlx::query_scalar("select name from business_profile")
        .fetch_one(&mut *tx)
        .await?;
    let mut vars: HashMap<&'static str, String> = HashMap::new();
    vars.insert("kode", code);
    vars.insert("menit", CODE_MINUTES.to_string());
    vars.insert(
        "isp",
        if isp.trim().is_empty() {
            "mikrobill".into()
        } else {
            isp
        },
    );
    // Asked for by the customer themself: sent even if they opted out of notices.
    enqueue_in(
        &mut tx,
        now,
        NewMessage {
            key: format!("portal_code:{id}"),
            customer_id: None,
            to_phone: &phone,
            template: "portal_code",
            vars,
            priority: Priority::High,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CodeRequest { whatsapp_available })
}

/// A code staff give the customer (at the counter, on the phone) when WhatsApp is down.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StaffCode {
    pub code: String,
    /// The number to sign in with.
    pub phone: String,
    pub expires_at: DateTime<Utc>,
}

pub async fn issue_code(
    ctx: &AppContext,
    customer_id: Uuid,
    staff_name: &str,
) -> Result<StaffCode, Error> {
    let phone: String = sqlx::query_scalar("select phone from customers where id = $1")
        .bind(customer_id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("customer"))?;
    let code = new_code();
    let now = ctx.clock.now();
    let expires_at = now + Duration::minutes(CODE_MINUTES);
    sqlx::query(
        "insert into portal_codes (id, phone, code_hash, issued_by, expires_at, created_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::now_v7())
    .bind(&phone)
    .bind(code_hash(&phone, &code))
    .bind(format!("staff:{staff_name}"))
    .bind(expires_at)
    .bind(now)
    .execute(&ctx.pool)
    .await?;
    Ok(StaffCode {
        code,
        phone,
        expires_at,
    })
}

/// A signed-in customer page: the cookie's token and the forms' CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Checks a code; on success opens a session for the number.
pub async fn verify(
    ctx: &AppContext,
    who: &str,
    code: &str,
    remote_addr: Option<&str>,
) -> Result<NewSession, Error> {
    let wrong = || {
        Error::validation(
            "code",
            "the code is wrong or has expired; ask for a new one",
        )
    };
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(wrong());
    }
    let Some(phone) = phone_of(ctx, who).await? else {
        return Err(wrong());
    };
    let now = ctx.clock.now();
    let mut tx = ctx.pool.begin().await?;
    // Every live code of the number counts (one from WhatsApp and one from staff may both be
    // valid); each wrong try uses up one try of each.
    let live: Vec<(Uuid, Vec<u8>)> = sqlx::query_as(
        "select id, code_hash from portal_codes where phone = $1 and used_at is null \
         and expires_at > $2 and attempts < $3 order by created_at desc for update",
    )
    .bind(&phone)
    .bind(now)
    .bind(TRIES_PER_CODE)
    .fetch_all(&mut *tx)
    .await?;
    let hash = code_hash(&phone, code);
    let Some((matched, _)) = live.iter().find(|(_, h)| *h == hash) else {
        let ids: Vec<Uuid> = live.iter().map(|(id, _)| *id).collect();
        sqlx::query("update portal_codes set attempts = attempts + 1 where id = any($1)")
            .bind(&ids)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Err(wrong());
    };
    sqlx::query("update portal_codes set used_at = $2 where id = $1")
        .bind(matched)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    // The used code leaves the WhatsApp queue's copy of the message too.
    sqlx::query(&format!(
        "update whatsapp_messages set {FORGET} where idempotency_key = 'portal_code:' || $1"
    ))
    .bind(matched.to_string())
    .execute(&mut *tx)
    .await?;
    let token = random_token();
    let expires_at = now + Duration::minutes(SESSION_MINUTES);
    sqlx::query(
        "insert into portal_sessions (id, token_hash, phone, csrf, remote_addr, expires_at, \
                                      created_at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7())
    .bind(token_hash(&token))
    .bind(&phone)
    .bind(random_token())
    .bind(remote_addr)
    .bind(expires_at)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(NewSession { token, expires_at })
}

/// The signed-in customer behind a session cookie.
#[derive(Debug, Clone)]
pub struct Session {
    pub phone: String,
    pub csrf: String,
}

pub async fn session(ctx: &AppContext, token: &str) -> Result<Session, Error> {
    if token.len() < 20 || token.len() > 64 {
        return Err(Error::Unauthorized("not signed in".into()));
    }
    let row: Option<(String, String)> = sqlx::query_as(
        "select phone, csrf from portal_sessions where token_hash = $1 and expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(ctx.clock.now())
    .fetch_optional(&ctx.pool)
    .await?;
    let (phone, csrf) = row.ok_or_else(|| Error::Unauthorized("not signed in".into()))?;
    Ok(Session { phone, csrf })
}

pub async fn logout(ctx: &AppContext, token: &str) -> Result<(), Error> {
    sqlx::query("delete from portal_sessions where token_hash = $1")
        .bind(token_hash(token))
        .execute(&ctx.pool)
        .await?;
    Ok(())
}

/// Codes and sessions past their time (the daily session purge).
pub async fn purge(ctx: &AppContext) -> Result<u64, Error> {
    let now = ctx.clock.now();
    let codes = sqlx::query("delete from portal_codes where created_at < $1")
        .bind(now - Duration::days(1))
        .execute(&ctx.pool)
        .await?;
    let sessions = sqlx::query("delete from portal_sessions where expires_at < $1")
        .bind(now)
        .execute(&ctx.pool)
        .await?;
    // Codes past their time leave the WhatsApp queue too; one still waiting for a session is
    // not sent any more.
    sqlx::query(&format!(
        "update whatsapp_messages set {FORGET} where template_key = 'portal_code' \
         and queued_at < $1 and body <> '{FORGOTTEN}'"
    ))
    .bind(now - Duration::minutes(CODE_MINUTES))
    .execute(&ctx.pool)
    .await?;
    Ok(codes.rows_affected() + sessions.rows_affected())
}

/// What a sign-in message says once its code is used or expired.
const FORGOTTEN: &str = "[kode masuk dihapus]";

/// Removes the code from a sign-in message (its text and its variables); a message still
/// queued is cancelled.
const FORGET: &str = "body = '[kode masuk dihapus]', vars = vars - 'kode', \
    last_error = case when status = 'queued' then 'the sign-in code expired before it was sent' \
                      else last_error end, \
    status = case when status = 'queued' then 'cancelled' else status end";

// ---------------------------------------------------------------------------------------
// What the customer sees

#[derive(Debug, Clone, Serialize)]
pub struct PortalView {
    pub customers: Vec<PortalCustomer>,
    pub business_name: String,
    pub business_whatsapp: Option<String>,
    pub logo_data_url: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PortalCustomer {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    /// Credit on the customer's wallets.
    pub credit: i64,
    #[sqlx(skip)]
    pub subscriptions: Vec<PortalSubscription>,
    #[sqlx(skip)]
    pub invoices: Vec<PortalInvoice>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PortalSubscription {
    pub customer_id: Uuid,
    pub plan: String,
    pub login: Option<String>,
    /// active or isolated (cut off until the open invoice is paid).
    pub status: String,
    pub price: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PortalInvoice {
    pub customer_id: Uuid,
    pub id: Uuid,
    pub number: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_on: NaiveDate,
    pub total: i64,
    pub paid: i64,
    pub status: InvoiceStatus,
}

impl PortalInvoice {
    pub fn owed(&self) -> i64 {
        (self.total - self.paid).max(0)
    }

    pub fn open(&self) -> bool {
        self.status.is_open()
    }
}

/// Everything of the customers with the session's number: subscriptions, the last 12 invoices
/// each, credit.
pub async fn overview(ctx: &AppContext, phone: &str) -> Result<PortalView, Error> {
    let mut customers: Vec<PortalCustomer> = sqlx::query_as(
        "select c.id, c.name, c.address, \
                coalesce((select sum(delta) from ledger_entries l where l.customer_id = c.id), 0)::bigint \
                  as credit \
         from customers c where c.phone = $1 and not c.sample order by c.created_at",
    )
    .bind(phone)
    .fetch_all(&ctx.pool)
    .await?;
    let ids: Vec<Uuid> = customers.iter().map(|c| c.id).collect();
    let subs: Vec<PortalSubscription> = sqlx::query_as(
        "select s.customer_id, p.name as plan, s.login, s.status, p.price \
         from subscriptions s join plans p on p.id = s.plan_id \
         where s.customer_id = any($1) and s.status <> 'terminated' order by s.created_at",
    )
    .bind(&ids)
    .fetch_all(&ctx.pool)
    .await?;
    let invoices: Vec<PortalInvoice> = sqlx::query_as(
        "select customer_id, id, number, period_start, period_end, due_on, total, paid, status \
         from (select i.*, row_number() over (partition by i.customer_id \
                                              order by i.period_start desc, i.number desc) as n \
               from invoices i where i.customer_id = any($1) and i.status <> 'void') x \
         where n <= 12 order by period_start desc, number desc",
    )
    .bind(&ids)
    .fetch_all(&ctx.pool)
    .await?;
    for c in &mut customers {
        c.subscriptions = subs
            .iter()
            .filter(|s| s.customer_id == c.id)
            .cloned()
            .collect();
        c.invoices = invoices
            .iter()
            .filter(|i| i.customer_id == c.id)
            .cloned()
            .collect();
    }
    let business = crate::billing::business::get(ctx).await?;
    Ok(PortalView {
        customers,
        business_whatsapp: PhoneNumber::parse(&business.phone)
            .ok()
            .map(|p| p.as_str().to_owned()),
        business_name: business.name,
        logo_data_url: business.logo_data_url,
    })
}

/// The invoice is one of this number's customers'.
pub async fn owns(ctx: &AppContext, phone: &str, invoice_id: InvoiceId) -> Result<bool, Error> {
    Ok(sqlx::query_scalar(
        "select exists (select 1 from invoices i join customers c on c.id = i.customer_id \
                        where i.id = $1 and c.phone = $2 and not c.sample)",
    )
    .bind(invoice_id)
    .bind(phone)
    .fetch_one(&ctx.pool)
    .await?)
}

/// A pay page for one of the customer's open invoices: its path on the public listener
/// (`/pay/{token}`), or the gateway's own checkout page when the shop pays without a public
/// address.
pub async fn pay(ctx: &AppContext, phone: &str, invoice_id: InvoiceId) -> Result<String, Error> {
    if !owns(ctx, phone, invoice_id).await? {
        return Err(Error::NotFound("invoice"));
    }
    let link = crate::online::create_pay_link(ctx, invoice_id).await?;
    if let Some(checkout) = link
        .checkout_url
        .filter(|_| link.pay_without_public_address)
    {
        return Ok(checkout);
    }
    Ok(link
        .url
        .find("/pay/")
        .map(|at| link.url[at..].to_owned())
        .unwrap_or(link.url))
}
