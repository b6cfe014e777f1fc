//! Managing sender sessions, the queue view, manual sends and the WhatsApp settings.

use billing_domain::PhoneNumber;
use chrono::{DateTime, NaiveTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::pool::{reload_sessions, secret_name, token_name, MAX_SESSIONS};
use crate::{AppContext, Error};

const PROVIDERS: [&str; 5] = ["meta_cloud", "fonnte", "wablas", "waha", "gowa"];

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    pub name: String,
    pub provider: String,
    /// `primary` or `backup`.
    pub role: String,
    pub position: i32,
    pub base_url: String,
    /// Provider options: `phone_number_id`, `api_version` (Meta), `session` (WAHA),
    /// `device_id`, `basic_user` (GOWA).
    #[schema(value_type = Object)]
    pub settings: serde_json::Value,
    pub enabled: bool,
    /// `unknown`, `healthy`, `failed` or `pairing`.
    pub status: String,
    pub last_error: Option<String>,
    pub per_minute: i32,
    pub queued: i64,
    pub sent_today: i64,
    /// When the role last changed by itself: `promoted` (a backup made primary in place of
    /// `role_change_peer`, which had failed) or `demoted` (a failed primary made a backup,
    /// `role_change_peer` promoted; it sends again as a backup once healthy).
    pub role_changed_at: Option<DateTime<Utc>>,
    pub role_change: Option<String>,
    pub role_change_peer: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct SessionInput {
    pub name: String,
    pub provider: String,
    pub role: Option<String>,
    pub position: Option<i32>,
    pub base_url: String,
    #[schema(value_type = Object)]
    pub settings: Option<serde_json::Value>,
    pub enabled: Option<bool>,
    pub per_minute: Option<i32>,
    /// Write-only, to the OS keyring: access/device token, API key or Basic password.
    pub token: Option<String>,
    /// Write-only, to the OS keyring: Meta app secret, Wablas secret key, GOWA webhook secret.
    pub secret: Option<String>,
}

/// Every session with its queue and what it sent today (`$1`: the start of the business day).
const SELECT: &str =
    "select s.id, s.name, s.provider, s.role, s.position, s.base_url, s.settings, \
    s.enabled, s.status, s.last_error, s.per_minute, s.role_changed_at, s.role_change, s.role_change_peer, \
    (select count(*) from whatsapp_messages m where m.session_id = s.id and m.status = 'sending') \
      + 0 as queued, \
    (select count(*) from whatsapp_messages m where m.session_id = s.id \
       and m.sent_at >= $1) as sent_today \
    from whatsapp_sessions s";

/// "Today" is the business day (the shop's time zone, the app's clock), not the database's.
fn business_day_start(ctx: &AppContext) -> chrono::DateTime<chrono::Utc> {
    crate::calendar::day_start(ctx.tz, ctx.today())
}

pub async fn list_sessions(ctx: &AppContext) -> Result<Vec<SessionView>, Error> {
    Ok(sqlx::query_as(&format!(
        "{SELECT} order by s.role <> 'primary', s.position, s.name"
    ))
    .bind(business_day_start(ctx))
    .fetch_all(&ctx.pool)
    .await?)
}

fn validate(input: &SessionInput) -> Result<(), Error> {
    if input.name.trim().is_empty() || input.name.len() > 60 {
        return Err(Error::validation(
            "name",
            "the session name must be 1 to 60 characters",
        ));
    }
    if !PROVIDERS.contains(&input.provider.as_str()) {
        return Err(Error::validation(
            "provider",
            "provider must be meta_cloud, fonnte, wablas, waha or gowa",
        ));
    }
    if !matches!(
        input.role.as_deref().unwrap_or("primary"),
        "primary" | "backup"
    ) {
        return Err(Error::validation("role", "role must be primary or backup"));
    }
    let url = input.base_url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(Error::validation(
            "base_url",
            "enter the provider's address (https://…)",
        ));
    }
    if !(1..=600_000).contains(&input.per_minute.unwrap_or(20)) {
        return Err(Error::validation(
            "per_minute",
            "messages per minute must be 1 to 600000",
        ));
    }
    Ok(())
}

fn store_secrets(ctx: &AppContext, id: Uuid, input: &SessionInput) -> Result<(), Error> {
    if let Some(token) = input
        .token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        ctx.secrets
            .set(&token_name(id), &SecretString::from(token.to_owned()))?;
    }
    if let Some(secret) = input
        .secret
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        ctx.secrets
            .set(&secret_name(id), &SecretString::from(secret.to_owned()))?;
    }
    Ok(())
}

pub async fn create_session(ctx: &AppContext, input: SessionInput) -> Result<SessionView, Error> {
    validate(&input)?;
    let count: i64 = sqlx::query_scalar("select count(*) from whatsapp_sessions")
        .fetch_one(&ctx.pool)
        .await?;
    if usize::try_from(count).unwrap_or(usize::MAX) >= MAX_SESSIONS {
        return Err(Error::conflict(format!(
            "at most {MAX_SESSIONS} WhatsApp sessions"
        )));
    }
    let id = Uuid::now_v7();
    store_secrets(ctx, id, &input)?;
    let inserted = sqlx::query(
        "insert into whatsapp_sessions (id, name, provider, role, position, base_url, settings, \
                                        enabled, per_minute) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(input.name.trim())
    .bind(&input.provider)
    .bind(input.role.as_deref().unwrap_or("primary"))
    .bind(input.position.unwrap_or(i32::try_from(count).unwrap_or(0)))
    .bind(input.base_url.trim().trim_end_matches('/'))
    .bind(
        input
            .settings
            .clone()
            .unwrap_or_else(|| serde_json::json!({})),
    )
    .bind(input.enabled.unwrap_or(true))
    .bind(input.per_minute.unwrap_or(20))
    .execute(&ctx.pool)
    .await;
    if let Err(err) = inserted {
        // Nothing of a refused session stays behind in the keyring.
        let _ = ctx.secrets.delete(&token_name(id));
        let _ = ctx.secrets.delete(&secret_name(id));
        if crate::is_constraint_violation(&err, "whatsapp_sessions_at_most_five") {
            // Another session was added at the same moment (here or on another PC).
            return Err(Error::conflict(format!(
                "at most {MAX_SESSIONS} WhatsApp sessions"
            )));
        }
        if crate::is_constraint_violation(&err, "whatsapp_sessions_name_key") {
            return Err(Error::conflict_on(
                "name",
                "a session with this name exists",
            ));
        }
        return Err(err.into());
    }
    reload_sessions(ctx).await?;
    get_session(ctx, id).await
}

pub async fn update_session(
    ctx: &AppContext,
    id: Uuid,
    input: SessionInput,
) -> Result<SessionView, Error> {
    validate(&input)?;
    store_secrets(ctx, id, &input)?;
    let done = sqlx::query(
        "update whatsapp_sessions set name = $2, provider = $3, role = $4, \
             position = coalesce($5, position), base_url = $6, settings = coalesce($7, settings), \
             enabled = coalesce($8, enabled), per_minute = coalesce($9, per_minute), \
             status = 'unknown', last_error = null \
         where id = $1",
    )
    .bind(id)
    .bind(input.name.trim())
    .bind(&input.provider)
    .bind(input.role.as_deref().unwrap_or("primary"))
    .bind(input.position)
    .bind(input.base_url.trim().trim_end_matches('/'))
    .bind(input.settings.clone())
    .bind(input.enabled)
    .bind(input.per_minute)
    .execute(&ctx.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("WhatsApp session"));
    }
    reload_sessions(ctx).await?;
    get_session(ctx, id).await
}

pub async fn delete_session(ctx: &AppContext, id: Uuid) -> Result<(), Error> {
    let mut tx = ctx.pool.begin().await?;
    // Messages it was about to send go back to the queue; the log keeps the rest.
    sqlx::query("update whatsapp_messages set status = 'queued', session_id = null where session_id = $1 and status = 'sending'")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("update whatsapp_messages set session_id = null where session_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("delete from whatsapp_sessions where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("WhatsApp session"));
    }
    tx.commit().await?;
    let _ = ctx.secrets.delete(&token_name(id));
    let _ = ctx.secrets.delete(&secret_name(id));
    reload_sessions(ctx).await
}

pub async fn get_session(ctx: &AppContext, id: Uuid) -> Result<SessionView, Error> {
    sqlx::query_as(&format!("{SELECT} where s.id = $2"))
        .bind(business_day_start(ctx))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("WhatsApp session"))
}

/// Starts QR / code pairing for a self-hosted gateway session.
pub async fn scan(ctx: &AppContext, id: Uuid) -> Result<billing_whatsapp::Pairing, Error> {
    let session = ctx
        .whatsapp
        .get(id)
        .ok_or_else(|| Error::conflict("the session is disabled or its keys are missing"))?;
    let pairing = session
        .provider
        .start_pairing()
        .await
        .map_err(|e| Error::conflict(format!("pairing failed: {e}")))?;
    sqlx::query(
        "update whatsapp_sessions set status = 'pairing' where id = $1 and status <> 'healthy'",
    )
    .bind(id)
    .execute(&ctx.pool)
    .await?;
    Ok(pairing)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct MessageView {
    pub id: i64,
    pub to_phone: String,
    pub template_key: Option<String>,
    pub body: String,
    pub priority: i16,
    pub status: String,
    pub attempts: i32,
    pub session_id: Option<Uuid>,
    pub last_error: Option<String>,
    pub queued_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
}

pub async fn list_messages(
    ctx: &AppContext,
    status: Option<String>,
    limit: i64,
) -> Result<Vec<MessageView>, Error> {
    Ok(sqlx::query_as(
        "select id, to_phone, template_key, body, priority, status, attempts, session_id, last_error, \
                queued_at, sent_at, delivered_at, read_at \
         from whatsapp_messages where ($1::text is null or status = $1) order by id desc limit $2",
    )
    .bind(status)
    .bind(limit.clamp(1, 500))
    .fetch_all(&ctx.pool)
    .await?)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueStatus {
    pub sessions: Vec<SessionView>,
    pub queued: i64,
    pub failed: i64,
    pub unknown: i64,
    pub sent_today: i64,
}

pub async fn status(ctx: &AppContext) -> Result<QueueStatus, Error> {
    let (queued, failed, unknown, sent_today): (i64, i64, i64, i64) = sqlx::query_as(
        "select count(*) filter (where status = 'queued'), count(*) filter (where status = 'failed'), \
                count(*) filter (where status = 'unknown'), \
                count(*) filter (where sent_at >= $1) from whatsapp_messages",
    )
    .bind(business_day_start(ctx))
    .fetch_one(&ctx.pool)
    .await?;
    Ok(QueueStatus {
        sessions: list_sessions(ctx).await?,
        queued,
        failed,
        unknown,
        sent_today,
    })
}

/// A message typed by the owner (queued with high priority).
pub async fn send_manual(ctx: &AppContext, to: &str, body: &str) -> Result<i64, Error> {
    let phone = PhoneNumber::parse(to)?;
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 4096 {
        return Err(Error::validation(
            "body",
            "the message must be 1 to 4096 characters",
        ));
    }
    let now = ctx.clock.now();
    let id: i64 = sqlx::query_scalar(
        "insert into whatsapp_messages (idempotency_key, to_phone, body, priority, next_attempt_at, queued_at) \
         values ($1, $2, $3, 0, $4, $4) returning id",
    )
    .bind(format!("manual:{}", Uuid::now_v7()))
    .bind(phone.as_str())
    .bind(body)
    .bind(now)
    .fetch_one(&ctx.pool)
    .await?;
    Ok(id)
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct WhatsAppSettings {
    /// Quiet hours in the business time zone ("21:00"); only urgent messages go out then.
    pub quiet_start: Option<String>,
    pub quiet_end: Option<String>,
    /// Reminders this many days before the due date.
    pub reminder_days: Vec<i32>,
    /// Where owner alerts go (62…).
    pub owner_phone: Option<String>,
}

pub async fn settings(ctx: &AppContext) -> Result<WhatsAppSettings, Error> {
    let (qs, qe, days, owner): (
        Option<NaiveTime>,
        Option<NaiveTime>,
        Vec<i32>,
        Option<String>,
    ) = sqlx::query_as(
        "select quiet_start, quiet_end, reminder_days, owner_phone from whatsapp_settings",
    )
    .fetch_one(&ctx.pool)
    .await?;
    Ok(WhatsAppSettings {
        quiet_start: qs.map(|t| t.format("%H:%M").to_string()),
        quiet_end: qe.map(|t| t.format("%H:%M").to_string()),
        reminder_days: days,
        owner_phone: owner,
    })
}

pub async fn update_settings(
    ctx: &AppContext,
    input: WhatsAppSettings,
) -> Result<WhatsAppSettings, Error> {
    let parse = |v: &Option<String>, field: &'static str| -> Result<Option<NaiveTime>, Error> {
        v.as_deref()
            .filter(|s| !s.is_empty())
            .map(|s| {
                NaiveTime::parse_from_str(s, "%H:%M")
                    .map_err(|_| Error::validation(field, "use HH:MM, e.g. 21:00"))
            })
            .transpose()
    };
    let (qs, qe) = (
        parse(&input.quiet_start, "quiet_start")?,
        parse(&input.quiet_end, "quiet_end")?,
    );
    if input.reminder_days.iter().any(|d| !(0..=60).contains(d)) {
        return Err(Error::validation(
            "reminder_days",
            "reminder days must be 0 to 60",
        ));
    }
    let owner = input
        .owner_phone
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(PhoneNumber::parse)
        .transpose()
        .map_err(|e| Error::validation("owner_phone", e.message))?;
    sqlx::query(
        "update whatsapp_settings set quiet_start = $1, quiet_end = $2, reminder_days = $3, owner_phone = $4",
    )
    .bind(qs)
    .bind(qe)
    .bind(&input.reminder_days)
    .bind(owner.as_ref().map(PhoneNumber::as_str))
    .execute(&ctx.pool)
    .await?;
    settings(ctx).await
}

/// Status webhooks from a session's provider: sent → delivered → read, or failed.
pub async fn apply_status_webhook(
    ctx: &AppContext,
    session_id: Uuid,
    headers: &http::HeaderMap,
    body: &[u8],
) -> Result<usize, Error> {
    use billing_whatsapp::DeliveryStatus;
    let session = ctx
        .whatsapp
        .get(session_id)
        .ok_or(Error::NotFound("WhatsApp session"))?;
    let updates = session
        .provider
        .parse_status_webhook(headers, body)
        .map_err(|e| match e.kind() {
            billing_whatsapp::SendErrorKind::Signature => Error::Unauthorized(e.to_string()),
            _ => Error::validation("body", e.to_string()),
        })?;
    let now = ctx.clock.now();
    let mut applied = 0;
    for u in updates {
        let at = u.at.unwrap_or(now);
        let (sql, error) = match &u.status {
            DeliveryStatus::Pending | DeliveryStatus::Sent => continue,
            DeliveryStatus::Delivered => (
                "update whatsapp_messages set status = case when status = 'read' then status else 'delivered' end, \
                 delivered_at = coalesce(delivered_at, $2) where provider_message_id = $1",
                None,
            ),
            DeliveryStatus::Read => (
                "update whatsapp_messages set status = 'read', read_at = coalesce(read_at, $2), \
                 delivered_at = coalesce(delivered_at, $2) where provider_message_id = $1",
                None,
            ),
            DeliveryStatus::Failed { error } => (
                "update whatsapp_messages set status = 'failed', last_error = $3 \
                 where provider_message_id = $1 and status in ('sent', 'sending')",
                Some(error.to_string()),
            ),
        };
        let done = sqlx::query(sql)
            .bind(&u.provider_message_id)
            .bind(at)
            .bind(error)
            .execute(&ctx.pool)
            .await?;
        applied += usize::try_from(done.rows_affected()).unwrap_or(0);
    }
    Ok(applied)
}

/// Meta's webhook set-up handshake: the verify token must match the session's
/// `settings.verify_token`.
pub async fn webhook_token_matches(
    ctx: &AppContext,
    session_id: Uuid,
    token: &str,
) -> Result<bool, Error> {
    let expected: Option<serde_json::Value> = sqlx::query_scalar(
        "select settings -> 'verify_token' from whatsapp_sessions where id = $1",
    )
    .bind(session_id)
    .fetch_optional(&ctx.pool)
    .await?
    .flatten();
    Ok(matches!(expected.as_ref().and_then(|v| v.as_str()), Some(e) if !e.is_empty() && e == token))
}
