//! WhatsApp sessions (status from their table) and enabled payment gateways (configured,
//! last failed status check, callbacks with a bad signature).

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::{check, HealthCheck, HealthStatus};
use crate::AppContext;

type SessionRow = (
    Uuid,
    String,
    String,
    bool,
    String,
    Option<String>,
    Option<DateTime<Utc>>,
);

pub(super) async fn whatsapp(ctx: &AppContext) -> Result<Vec<HealthCheck>, sqlx::Error> {
    let rows: Vec<SessionRow> = sqlx::query_as(
        "select id, name, provider, enabled, status, last_error, status_changed_at \
         from whatsapp_sessions order by position, name",
    )
    .fetch_all(&ctx.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, provider, enabled, status, last_error, changed)| {
                let id = Some(id.to_string());
                let p = ("provider", provider.clone());
                let mut c = match (enabled, status.as_str()) {
                    (false, _) => check(
                        "whatsapp",
                        id,
                        &name,
                        HealthStatus::Ok,
                        "whatsapp_disabled",
                        &[p],
                        "switched off".into(),
                    ),
                    (true, "healthy") => check(
                        "whatsapp",
                        id,
                        &name,
                        HealthStatus::Ok,
                        "whatsapp_ok",
                        &[p],
                        format!("connected ({provider})"),
                    ),
                    (true, "pairing") => check(
                        "whatsapp",
                        id,
                        &name,
                        HealthStatus::Warning,
                        "whatsapp_pairing",
                        &[p],
                        "waiting to be paired: scan the QR code on the WhatsApp page".into(),
                    ),
                    (true, "failed") => {
                        let err = last_error.unwrap_or_else(|| "unknown error".into());
                        check(
                            "whatsapp",
                            id,
                            &name,
                            HealthStatus::Down,
                            "whatsapp_failed",
                            &[p, ("error", err.clone())],
                            format!("not working: {err}"),
                        )
                    }
                    _ => check(
                        "whatsapp",
                        id,
                        &name,
                        HealthStatus::Warning,
                        "whatsapp_unchecked",
                        &[p],
                        "not checked yet".into(),
                    ),
                };
                c.checked_at = changed;
                c.since = changed;
                c
            },
        )
        .collect())
}

pub(super) async fn gateways(
    ctx: &AppContext,
    now: DateTime<Utc>,
) -> Result<Vec<HealthCheck>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select gateway, environment from gateway_settings where enabled order by gateway",
    )
    .fetch_all(&ctx.pool)
    .await?;
    let bad: Vec<(String, i64)> = sqlx::query_as(
        "select split_part(detail, ':', 1), count(*) from security_events \
         where kind = 'webhook_bad_signature' and occurred_at > $1 group by 1",
    )
    .bind(now - Duration::hours(24))
    .fetch_all(&ctx.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, environment)| {
            let id = Some(code.clone());
            let env = ("environment", environment.clone());
            if ctx.gateways.get(&code).is_none() {
                return check(
                    "gateway",
                    id,
                    &code,
                    HealthStatus::Down,
                    "gateway_no_key",
                    &[env],
                    "enabled, but its key is missing from the OS keyring: enter it again under \
                     Settings"
                        .into(),
                );
            }
            if let Some((at, error)) = ctx.gateways.last_error(&code) {
                let mut c = check(
                    "gateway",
                    id,
                    &code,
                    HealthStatus::Warning,
                    "gateway_error",
                    &[env, ("error", error.clone())],
                    format!("configured ({environment}); the last status check failed: {error}"),
                );
                c.checked_at = Some(at);
                return c;
            }
            match bad.iter().find(|(g, _)| *g == code) {
                Some((_, n)) => check(
                    "gateway",
                    id,
                    &code,
                    HealthStatus::Warning,
                    "gateway_bad_signatures",
                    &[env, ("count", n.to_string())],
                    format!(
                        "configured ({environment}); {n} callbacks with a bad signature in \
                             the last 24 hours (wrong key, or someone probing)"
                    ),
                ),
                None => check(
                    "gateway",
                    id,
                    &code,
                    HealthStatus::Ok,
                    "gateway_ok",
                    &[env],
                    format!("configured ({environment})"),
                ),
            }
        })
        .collect())
}
