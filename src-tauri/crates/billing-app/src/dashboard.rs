//! The figures on the dashboard home.

use chrono::{Datelike, NaiveDate, TimeZone};
use serde::Serialize;

use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct DashboardSummary {
    pub active_customers: i64,
    pub active_subscriptions: i64,
    pub isolated_subscriptions: i64,
    pub open_invoices: i64,
    /// Rupiah still owed on unpaid and partly paid invoices.
    pub owed_total: i64,
    /// Rupiah received this calendar month (business time zone).
    pub revenue_this_month: i64,
    pub payments_this_month: i64,
    pub routers_online: i64,
    pub routers_total: i64,
    pub whatsapp_queued: i64,
}

pub async fn summary(ctx: &AppContext) -> Result<DashboardSummary, Error> {
    let today = ctx.today();
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let start = ctx
        .tz
        .from_local_datetime(&first.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| ctx.clock.now());
    Ok(sqlx::query_as(
        "select \
           (select count(*) from customers where status = 'active') as active_customers, \
           (select count(*) from subscriptions where status = 'active') as active_subscriptions, \
           (select count(*) from subscriptions where status = 'isolated') as isolated_subscriptions, \
           (select count(*) from invoices where status in ('unpaid', 'partial')) as open_invoices, \
           (select coalesce(sum(total - paid), 0) from invoices \
              where status in ('unpaid', 'partial'))::bigint as owed_total, \
           (select coalesce(sum(amount), 0) from payments \
              where status = 'paid' and paid_at >= $1)::bigint as revenue_this_month, \
           (select count(*) from payments where status = 'paid' and paid_at >= $1) \
              as payments_this_month, \
           (select count(*) from routers where status = 'online') as routers_online, \
           (select count(*) from routers) as routers_total, \
           (select count(*) from whatsapp_messages where status = 'queued') as whatsapp_queued",
    )
    .bind(start)
    .fetch_one(&ctx.pool)
    .await?)
}

/// The desktop tray's one-line status: what needs an eye without opening the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TrayStatus {
    pub routers_online: i64,
    pub routers_total: i64,
    /// Gateway payments waiting for the customer to pay (or the gateway to confirm).
    pub pending_payments: i64,
    pub whatsapp_healthy: i64,
    /// Enabled WhatsApp sender sessions.
    pub whatsapp_sessions: i64,
}

pub async fn tray_status(ctx: &AppContext) -> Result<TrayStatus, Error> {
    Ok(sqlx::query_as(
        "select \
           (select count(*) from routers where status = 'online') as routers_online, \
           (select count(*) from routers) as routers_total, \
           (select count(*) from payments where status = 'pending') as pending_payments, \
           (select count(*) from whatsapp_sessions where enabled and status = 'healthy') \
              as whatsapp_healthy, \
           (select count(*) from whatsapp_sessions where enabled) as whatsapp_sessions",
    )
    .fetch_one(&ctx.pool)
    .await?)
}
