//! The figures on the dashboard home.

use chrono::{Datelike, NaiveDate, TimeZone};
use serde::Serialize;

use crate::billing::invoices::DUE_SOON_DAYS;
use crate::calendar::{day_start, month_start};
use crate::insight::reports::MethodAmount;
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

/// A number of things and the rupiah they amount to.
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CountAmount {
    pub count: i64,
    pub amount: i64,
}

/// Payments received in a period (paid_at in the business time zone).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Income {
    /// First and last day of the period (inclusive).
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub count: i64,
    pub amount: i64,
    /// Largest first.
    pub by_method: Vec<MethodAmount>,
}

/// Vouchers sold in a period (a shop voucher at its first login, a reseller's when the
/// reseller took it into stock — as in the voucher sales page).
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct VouchersSold {
    pub count: i64,
    /// What they sell for.
    pub gross: i64,
    /// What the shop receives (less reseller commission).
    pub revenue: i64,
    /// Of them, sold in the online shop.
    pub online_count: i64,
    pub online_gross: i64,
}

/// One router on the home screen, as the status job last saw it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RouterLine {
    pub id: uuid::Uuid,
    pub name: String,
    /// unknown, online or offline.
    pub status: String,
    /// Percent, from the last status check.
    pub cpu_load: Option<i32>,
    pub last_seen_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Active (not isolated, not terminated) subscriptions on this router.
    pub active_subscriptions: i64,
    /// Vouchers in use (first login seen, not ended) on this router.
    pub active_vouchers: i64,
    /// Hotspot and PPPoE users online at the router's last sample (within 10 minutes).
    pub online_users: Option<i64>,
}

/// An active alert.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AlertLine {
    pub id: uuid::Uuid,
    /// info, warning or critical.
    pub severity: String,
    pub title: String,
    pub message: String,
    pub raised_at: chrono::DateTime<chrono::Utc>,
}

/// One WhatsApp sender session.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SessionLine {
    pub id: uuid::Uuid,
    pub name: String,
    /// unknown, healthy, failed or pairing.
    pub status: String,
    pub enabled: bool,
    /// Enabled and healthy.
    pub up: bool,
}

/// Today at a glance. Amounts in rupiah; "today" and "this month" in the business time zone.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DashboardHome {
    pub today: NaiveDate,
    pub due_soon_days: i64,
    pub income_today: Income,
    pub income_month: Income,
    /// Open invoices not yet overdue whose due date is within `due_soon_days` (today included).
    pub invoices_due_soon: CountAmount,
    /// Open invoices carrying debt whose due date has passed (`overdue_from` before today).
    pub invoices_overdue: CountAmount,
    /// Everything still owed on open (unpaid, partly paid) invoices.
    pub arrears: CountAmount,
    /// Customers who owe anything.
    pub arrears_customers: i64,
    pub active_subscriptions: i64,
    pub isolated_subscriptions: i64,
    /// Subscriptions not on their router for a reason that needs someone (or still
    /// undelivered after their retries): see `provisioning` on each subscription.
    pub subscriptions_unprovisioned: i64,
    /// Subscriptions whose latest change is still waiting to reach their router.
    pub subscriptions_pending: i64,
    pub vouchers_sold_today: VouchersSold,
    pub vouchers_sold_month: VouchersSold,
    /// Vouchers in use now.
    pub vouchers_active: i64,
    /// Vouchers printed and not used yet.
    pub vouchers_unused: i64,
    pub routers_online: i64,
    pub routers_total: i64,
    pub routers: Vec<RouterLine>,
    /// Enabled sessions that are healthy.
    pub whatsapp_up: i64,
    /// Enabled sessions that are not healthy (failed, pairing, not checked yet).
    pub whatsapp_down: i64,
    pub whatsapp_sessions: Vec<SessionLine>,
    /// Transfer proofs uploaded by customers awaiting a cashier's decision.
    pub pending_proofs: i64,
    /// Gateway payments held for review (the gateway reported another amount).
    pub held_for_review: i64,
    /// Active alerts (0 and none listed for roles that do not see monitoring).
    pub alerts_active: i64,
    /// The most severe, newest active alerts (at most 5).
    pub alerts: Vec<AlertLine>,
}

async fn income(ctx: &AppContext, from: NaiveDate, to: NaiveDate) -> Result<Income, Error> {
    let by_method: Vec<MethodAmount> = sqlx::query_as(
        "select method, count(*) as count, coalesce(sum(amount), 0)::bigint as amount \
         from payments where status = 'paid' and paid_at >= $1 and paid_at < $2 \
         group by method order by amount desc, method",
    )
    .bind(day_start(ctx.tz, from))
    .bind(day_start(ctx.tz, to + chrono::Days::new(1)))
    .fetch_all(&ctx.pool)
    .await?;
    Ok(Income {
        from,
        to,
        count: by_method.iter().map(|m| m.count).sum(),
        amount: by_method.iter().map(|m| m.amount).sum(),
        by_method,
    })
}

/// Vouchers sold between two instants (see [`VouchersSold`]).
pub async fn vouchers_sold(
    ctx: &AppContext,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
    router_id: Option<uuid::Uuid>,
) -> Result<VouchersSold, Error> {
    Ok(sqlx::query_as(&format!(
        "with s as ({}) select count(*) as count, coalesce(sum(price), 0)::bigint as gross, \
           coalesce(sum(base_price), 0)::bigint as revenue, \
           count(*) filter (where channel = 'online') as online_count, \
           coalesce(sum(price) filter (where channel = 'online'), 0)::bigint as online_gross \
         from s",
        crate::insight::reports::SOLD_VOUCHERS
    ))
    .bind(start)
    .bind(end)
    .bind(router_id)
    .fetch_one(&ctx.pool)
    .await?)
}

#[derive(sqlx::FromRow)]
struct HomeCounts {
    due_soon_count: i64,
    due_soon_amount: i64,
    overdue_count: i64,
    overdue_amount: i64,
    arrears_count: i64,
    arrears_amount: i64,
    arrears_customers: i64,
    active_subscriptions: i64,
    isolated_subscriptions: i64,
    subscriptions_unprovisioned: i64,
    subscriptions_pending: i64,
    vouchers_active: i64,
    vouchers_unused: i64,
    pending_proofs: i64,
    held_for_review: i64,
}

/// The figures of the home screen; alerts only `with_alerts` (roles that see monitoring).
/// The independent parts run side by side on the pool.
#[tracing::instrument(skip_all)]
pub async fn home(ctx: &AppContext, with_alerts: bool) -> Result<DashboardHome, Error> {
    let today = ctx.today();
    let first = month_start(today);
    let soon_last = today + chrono::Days::new((DUE_SOON_DAYS - 1).max(0) as u64);
    let counts_sql = format!(
        "with open as ( \
           select overdue_from, due_on, total - paid as owed, customer_id from invoices \
           where status in ('unpaid', 'partial')), \
         prov as ( \
           select {failed} as failed \
           from router_commands pc join subscriptions s on s.id = pc.subscription_id \
           where pc.status = 'pending' and s.status <> 'terminated' \
             and not exists (select 1 from router_commands n \
                             where n.subscription_id = pc.subscription_id and n.id > pc.id)) \
         select \
           count(*) filter (where overdue_from >= $1 and due_on <= $2) as due_soon_count, \
           coalesce(sum(owed) filter (where overdue_from >= $1 and due_on <= $2), 0)::bigint \
             as due_soon_amount, \
           count(*) filter (where overdue_from < $1) as overdue_count, \
           coalesce(sum(owed) filter (where overdue_from < $1), 0)::bigint as overdue_amount, \
           count(*) as arrears_count, coalesce(sum(owed), 0)::bigint as arrears_amount, \
           count(distinct customer_id) as arrears_customers, \
           (select count(*) from subscriptions where status = 'active') as active_subscriptions, \
           (select count(*) from subscriptions where status = 'isolated') \
             as isolated_subscriptions, \
           (select count(*) from prov where failed) as subscriptions_unprovisioned, \
           (select count(*) from prov where not failed) as subscriptions_pending, \
           (select count(*) from vouchers where status = 'active') as vouchers_active, \
           (select count(*) from vouchers where status = 'unused') as vouchers_unused, \
           (select count(*) from payments p join payment_proofs pr on pr.payment_id = p.id \
              where p.status = 'pending' and pr.reviewed_at is null) as pending_proofs, \
           (select count(*) from payments where status = 'pending' \
              and review_reason is not null) as held_for_review \
         from open",
        // The same rule as the subscription list's filter (pending commands only, here).
        failed = crate::network::outbox::provisioning_failed_sql("$3", "$4"),
    );
    let counts = sqlx::query_as::<_, HomeCounts>(&counts_sql)
        .bind(today)
        .bind(soon_last)
        .bind(crate::network::outbox::permanent_codes())
        .bind(crate::network::outbox::STUCK_AFTER_ATTEMPTS)
        .fetch_one(&ctx.pool);
    let routers = sqlx::query_as::<_, RouterLine>(
        "select r.id, r.name, r.status, r.cpu_load, r.last_seen_at, \
           (select count(*) from subscriptions s where s.router_id = r.id \
              and s.status = 'active') as active_subscriptions, \
           (select count(*) from vouchers v where v.router_id = r.id \
              and v.status = 'active') as active_vouchers, \
           (select (rs.hotspot_active + rs.pppoe_active)::bigint from router_samples rs \
              where rs.router_id = r.id and rs.at > $1 \
              order by rs.at desc limit 1) as online_users \
         from routers r order by r.name",
    )
    .bind(ctx.clock.now() - chrono::Duration::minutes(10))
    .fetch_all(&ctx.pool);
    let alerts = async {
        if !with_alerts {
            return Ok::<_, Error>((0, Vec::new()));
        }
        let active: i64 =
            sqlx::query_scalar("select count(*) from alerts where cleared_at is null")
                .fetch_one(&ctx.pool)
                .await?;
        let top = sqlx::query_as::<_, AlertLine>(
            "select id, severity, title, message, raised_at from alerts \
             where cleared_at is null \
             order by case severity when 'critical' then 0 when 'warning' then 1 else 2 end, \
                      raised_at desc \
             limit 5",
        )
        .fetch_all(&ctx.pool)
        .await?;
        Ok((active, top))
    };
    let sessions = sqlx::query_as::<_, SessionLine>(
        "select id, name, status, enabled, (enabled and status = 'healthy') as up \
         from whatsapp_sessions order by position, name",
    )
    .fetch_all(&ctx.pool);
    let (counts, routers, sessions, income_today, income_month, sold_today, sold_month, alerts) = futures::try_join!(
        async { counts.await.map_err(Error::from) },
        async { routers.await.map_err(Error::from) },
        async { sessions.await.map_err(Error::from) },
        income(ctx, today, today),
        income(ctx, first, today),
        vouchers_sold(
            ctx,
            day_start(ctx.tz, today),
            day_start(ctx.tz, today + chrono::Days::new(1)),
            None
        ),
        vouchers_sold(
            ctx,
            day_start(ctx.tz, first),
            day_start(ctx.tz, today + chrono::Days::new(1)),
            None
        ),
        alerts,
    )?;
    Ok(DashboardHome {
        today,
        due_soon_days: DUE_SOON_DAYS,
        income_today,
        income_month,
        invoices_due_soon: CountAmount {
            count: counts.due_soon_count,
            amount: counts.due_soon_amount,
        },
        invoices_overdue: CountAmount {
            count: counts.overdue_count,
            amount: counts.overdue_amount,
        },
        arrears: CountAmount {
            count: counts.arrears_count,
            amount: counts.arrears_amount,
        },
        arrears_customers: counts.arrears_customers,
        active_subscriptions: counts.active_subscriptions,
        isolated_subscriptions: counts.isolated_subscriptions,
        subscriptions_unprovisioned: counts.subscriptions_unprovisioned,
        subscriptions_pending: counts.subscriptions_pending,
        vouchers_sold_today: sold_today,
        vouchers_sold_month: sold_month,
        vouchers_active: counts.vouchers_active,
        vouchers_unused: counts.vouchers_unused,
        routers_online: routers.iter().filter(|r| r.status == "online").count() as i64,
        routers_total: routers.len() as i64,
        routers,
        whatsapp_up: sessions.iter().filter(|s| s.up).count() as i64,
        whatsapp_down: sessions.iter().filter(|s| s.enabled && !s.up).count() as i64,
        whatsapp_sessions: sessions,
        pending_proofs: counts.pending_proofs,
        held_for_review: counts.held_for_review,
        alerts_active: alerts.0,
        alerts: alerts.1,
    })
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
