//! Monitoring beyond the health page: Prometheus metrics, router charts, alert rules and
//! alerts, the retention periods and what the owner is told, and the tickets that open the
//! live event stream.

pub mod alerts;
pub mod metrics;
pub mod samples;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::access::current_user::CurrentUser;
use crate::{AppContext, Error};

/// Retention periods (seed §9) and the owner's notification choices.
#[derive(Debug, Clone, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct MonitoringSettings {
    /// Sent WhatsApp messages (min 7).
    pub keep_notifications_days: i32,
    /// Router, security and access (sign-in) logs (min 90). The log of data changes
    /// (`audit_log`) is append-only and never pruned.
    pub keep_activity_days: i32,
    /// Leftover temporary files in the data folder (min 1).
    pub keep_temp_files_days: i32,
    /// Vouchers after they expired or were removed (min 30).
    pub keep_expired_vouchers_days: i32,
    /// Ended login sessions and login attempts (hours, min 1).
    pub keep_sessions_hours: i32,
    /// Job runs and router chart samples (min 1).
    pub keep_performance_days: i32,
    /// Alerts go to the owner's WhatsApp number (WhatsApp settings).
    pub alerts_whatsapp: bool,
    /// The retention job's report goes to the owner's WhatsApp number.
    pub retention_report_whatsapp: bool,
}

const SETTINGS_COLS: &str = "keep_notifications_days, keep_activity_days, keep_temp_files_days, \
    keep_expired_vouchers_days, keep_sessions_hours, keep_performance_days, alerts_whatsapp, \
    retention_report_whatsapp";

pub async fn settings(ctx: &AppContext) -> Result<MonitoringSettings, Error> {
    Ok(
        sqlx::query_as(&format!("select {SETTINGS_COLS} from monitoring_settings"))
            .fetch_one(&ctx.pool)
            .await?,
    )
}

fn within(field: &'static str, value: i32, min: i32, max: i32, unit: &str) -> Result<(), Error> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(Error::validation(
            field,
            format!("must be between {min} and {max} {unit}"),
        ))
    }
}

pub async fn update_settings(
    ctx: &AppContext,
    s: MonitoringSettings,
) -> Result<MonitoringSettings, Error> {
    within(
        "keep_notifications_days",
        s.keep_notifications_days,
        7,
        3650,
        "days",
    )?;
    within("keep_activity_days", s.keep_activity_days, 90, 3650, "days")?;
    within(
        "keep_temp_files_days",
        s.keep_temp_files_days,
        1,
        365,
        "days",
    )?;
    within(
        "keep_expired_vouchers_days",
        s.keep_expired_vouchers_days,
        30,
        3650,
        "days",
    )?;
    within(
        "keep_sessions_hours",
        s.keep_sessions_hours,
        1,
        720,
        "hours",
    )?;
    within(
        "keep_performance_days",
        s.keep_performance_days,
        1,
        90,
        "days",
    )?;
    Ok(sqlx::query_as(&format!(
        "update monitoring_settings set keep_notifications_days = $1, keep_activity_days = $2, \
         keep_temp_files_days = $3, keep_expired_vouchers_days = $4, keep_sessions_hours = $5, \
         keep_performance_days = $6, alerts_whatsapp = $7, retention_report_whatsapp = $8 \
         returning {SETTINGS_COLS}"
    ))
    .bind(s.keep_notifications_days)
    .bind(s.keep_activity_days)
    .bind(s.keep_temp_files_days)
    .bind(s.keep_expired_vouchers_days)
    .bind(s.keep_sessions_hours)
    .bind(s.keep_performance_days)
    .bind(s.alerts_whatsapp)
    .bind(s.retention_report_whatsapp)
    .fetch_one(&ctx.pool)
    .await?)
}

/// How long a ticket for the event stream may wait to be used.
pub const TICKET_TTL: Duration = Duration::from_secs(30);

/// Single-use, short-lived tickets that open `GET /api/events` (a browser's `EventSource`
/// cannot send the Authorization header, and a long-lived token must not sit in a URL).
#[derive(Debug, Default)]
pub struct EventTickets(Mutex<HashMap<String, (CurrentUser, Instant)>>);

impl EventTickets {
    /// A new ticket for `user`.
    pub fn issue(&self, user: CurrentUser) -> String {
        let mut raw = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let ticket = hex::encode(raw);
        if let Ok(mut t) = self.0.lock() {
            t.retain(|_, (_, at)| at.elapsed() < TICKET_TTL);
            t.insert(ticket.clone(), (user, Instant::now()));
        }
        ticket
    }

    /// The ticket's user, once; `None` for an unknown, used or stale ticket.
    pub fn redeem(&self, ticket: &str) -> Option<CurrentUser> {
        let (user, at) = self.0.lock().ok()?.remove(ticket)?;
        (at.elapsed() < TICKET_TTL).then_some(user)
    }
}

/// The figures the dashboard refreshes without reloading (sent every few seconds on the
/// event stream).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct MetricsSnapshot {
    pub active_alerts: i64,
    pub critical_alerts: i64,
    pub routers_online: i64,
    pub routers_offline: i64,
    pub whatsapp_queue: i64,
    pub router_outbox: i64,
    pub payments_pending: i64,
}

pub async fn snapshot(ctx: &AppContext) -> Result<MetricsSnapshot, Error> {
    Ok(sqlx::query_as(
        "select (select count(*) from alerts where cleared_at is null) as active_alerts, \
           (select count(*) from alerts where cleared_at is null and severity = 'critical') as critical_alerts, \
           (select count(*) from routers where status = 'online') as routers_online, \
           (select count(*) from routers where status = 'offline') as routers_offline, \
           (select count(*) from whatsapp_messages where status in ('queued', 'sending')) as whatsapp_queue, \
           (select count(*) from router_commands where status = 'pending') as router_outbox, \
           (select count(*) from payments where status = 'pending') as payments_pending",
    )
    .fetch_one(&ctx.pool)
    .await?)
}
