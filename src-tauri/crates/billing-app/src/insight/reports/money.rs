//! Money received: per month, by method, by who recorded it.

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::{month_key, Cell, ReportFilter, Table, SOLD_VOUCHERS};
use crate::{AppContext, Error};

/// Money received through one payment method.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct MethodAmount {
    /// cash, transfer, or the gateway's code (duitku, tripay, midtrans, xendit).
    pub method: String,
    pub count: i64,
    pub amount: i64,
}

/// Payments received within the filter (`$1`..`$2`), on subscriptions of router `$3` when
/// given (a payment with no invoice has no router and drops out under a router filter). The
/// joins are made only when a router is asked for: without one, the paid-at index answers alone.
fn paid(f: &ReportFilter) -> &'static str {
    if f.router_id.is_some() {
        "from payments p join invoices i on i.id = p.invoice_id \
         join subscriptions s on s.id = i.subscription_id \
         where p.status = 'paid' and p.paid_at >= $1 and p.paid_at < $2 and s.router_id = $3"
    } else {
        "from payments p \
         where p.status = 'paid' and p.paid_at >= $1 and p.paid_at < $2 and $3::uuid is null"
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RevenueMonth {
    /// YYYY-MM.
    pub month: String,
    /// Payments received from subscribers (cash, transfer, online).
    pub payments: i64,
    pub payment_count: i64,
    /// What the shop received for vouchers sold (less reseller commission).
    pub vouchers: i64,
    pub voucher_count: i64,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RevenueReport {
    pub filter: ReportFilter,
    /// Every month the period touches, oldest first (months without money show 0).
    pub months: Vec<RevenueMonth>,
    pub total: RevenueMonth,
}

#[derive(sqlx::FromRow)]
struct MonthSum {
    /// None only for a row before the first month (none: the period starts in it).
    m: Option<NaiveDate>,
    amount: i64,
    n: i64,
}

pub async fn revenue(ctx: &AppContext, f: &ReportFilter) -> Result<RevenueReport, Error> {
    let (start, end) = f.bounds(ctx);
    let paid = paid(f);
    // Each row falls in the month whose start (in the business time zone, as an instant) is
    // the last one at or before it: a binary search per row (`width_bucket`) instead of a
    // time-zone conversion per row, which was most of this report's time.
    let month_starts: Vec<NaiveDate> = f.months();
    let bucket_starts: Vec<chrono::DateTime<chrono::Utc>> = month_starts
        .iter()
        .map(|m| crate::calendar::day_start(ctx.tz, *m))
        .collect();
    let pay_sql = format!(
        "select ($5::date[])[width_bucket(p.paid_at, $4::timestamptz[])] as m, \
           coalesce(sum(p.amount), 0)::bigint as amount, count(*) as n {paid} group by 1"
    );
    let voucher_sql = format!(
        "with s as ({SOLD_VOUCHERS}) \
         select ($5::date[])[width_bucket(sold_at, $4::timestamptz[])] as m, \
           coalesce(sum(base_price), 0)::bigint as amount, count(*) as n from s group by 1"
    );
    let pays = sqlx::query_as::<_, MonthSum>(&pay_sql)
        .bind(start)
        .bind(end)
        .bind(f.router_id)
        .bind(&bucket_starts)
        .bind(&month_starts)
        .fetch_all(&ctx.pool);
    let vouchers = sqlx::query_as::<_, MonthSum>(&voucher_sql)
        .bind(start)
        .bind(end)
        .bind(f.router_id)
        .bind(&bucket_starts)
        .bind(&month_starts)
        .fetch_all(&ctx.pool);
    let (pays, vouchers) = futures::try_join!(pays, vouchers)?;
    let find = |rows: &[MonthSum], m: NaiveDate| {
        rows.iter()
            .find(|r| r.m == Some(m))
            .map(|r| (r.amount, r.n))
            .unwrap_or((0, 0))
    };
    let months: Vec<RevenueMonth> = f
        .months()
        .into_iter()
        .map(|m| {
            let (payments, payment_count) = find(&pays, m);
            let (vouchers, voucher_count) = find(&vouchers, m);
            RevenueMonth {
                month: month_key(m),
                payments,
                payment_count,
                vouchers,
                voucher_count,
                total: payments + vouchers,
            }
        })
        .collect();
    let total = RevenueMonth {
        month: "total".into(),
        payments: months.iter().map(|m| m.payments).sum(),
        payment_count: months.iter().map(|m| m.payment_count).sum(),
        vouchers: months.iter().map(|m| m.vouchers).sum(),
        voucher_count: months.iter().map(|m| m.voucher_count).sum(),
        total: months.iter().map(|m| m.total).sum(),
    };
    Ok(RevenueReport {
        filter: f.clone(),
        months,
        total,
    })
}

fn period(f: &ReportFilter) -> String {
    format!("{}_{}", f.from, f.to)
}

impl RevenueReport {
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            "revenue",
            &period(&self.filter),
            "Revenue per month",
            vec![
                "month",
                "payments",
                "payment_count",
                "vouchers",
                "voucher_count",
                "total",
            ],
        );
        for m in self.months.iter().chain(std::iter::once(&self.total)) {
            t.row(vec![
                m.month.clone().into(),
                m.payments.into(),
                m.payment_count.into(),
                m.vouchers.into(),
                m.voucher_count.into(),
                m.total.into(),
            ]);
        }
        t
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MethodReport {
    pub filter: ReportFilter,
    /// Largest first.
    pub rows: Vec<MethodAmount>,
    pub count: i64,
    pub amount: i64,
}

pub async fn payments_by_method(ctx: &AppContext, f: &ReportFilter) -> Result<MethodReport, Error> {
    let (start, end) = f.bounds(ctx);
    let paid = paid(f);
    let rows: Vec<MethodAmount> = sqlx::query_as(&format!(
        "select p.method, count(*) as count, coalesce(sum(p.amount), 0)::bigint as amount \
         {paid} group by p.method order by amount desc, p.method"
    ))
    .bind(start)
    .bind(end)
    .bind(f.router_id)
    .fetch_all(&ctx.pool)
    .await?;
    Ok(MethodReport {
        filter: f.clone(),
        count: rows.iter().map(|r| r.count).sum(),
        amount: rows.iter().map(|r| r.amount).sum(),
        rows,
    })
}

impl MethodReport {
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            "payments-by-method",
            &period(&self.filter),
            "Payments by method",
            vec!["method", "count", "amount"],
        );
        for r in &self.rows {
            t.row(vec![
                r.method.clone().into(),
                r.count.into(),
                r.amount.into(),
            ]);
        }
        t.row(vec!["total".into(), self.count.into(), self.amount.into()]);
        t
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CashierRow {
    /// `user` (a cashier recorded or confirmed it), `gateway` (an online payment, settled by
    /// the gateway's callback) or `system` (recorded without a signed-in user).
    pub kind: String,
    pub user_id: Option<Uuid>,
    /// The cashier's username, or the gateway's code.
    pub name: String,
    pub count: i64,
    pub amount: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CashierReport {
    pub filter: ReportFilter,
    /// Largest first.
    pub rows: Vec<CashierRow>,
    pub count: i64,
    pub amount: i64,
}

pub async fn payments_by_cashier(
    ctx: &AppContext,
    f: &ReportFilter,
) -> Result<CashierReport, Error> {
    let (start, end) = f.bounds(ctx);
    let paid = paid(f);
    let rows: Vec<CashierRow> = sqlx::query_as(&format!(
        // Summed per cashier and method first (a handful of groups, hashed), then named: grouped
        // by the naming expressions, the planner expected a group per payment and sorted
        // every payment on disk.
        "select case when g.recorded_by is not null then 'user' \
                     when g.gateway then 'gateway' else 'system' end as kind, \
                g.recorded_by as user_id, \
                case when g.recorded_by is not null then coalesce(u.username, '?') \
                     when g.gateway then g.method else '' end as name, \
                sum(g.count)::bigint as count, coalesce(sum(g.amount), 0)::bigint as amount \
         from (select p.recorded_by, p.merchant_ref is not null as gateway, p.method, \
                      count(*) as count, sum(p.amount) as amount {paid} group by 1, 2, 3) g \
         left join users u on u.id = g.recorded_by \
         group by 1, 2, 3 order by amount desc, name"
    ))
    .bind(start)
    .bind(end)
    .bind(f.router_id)
    .fetch_all(&ctx.pool)
    .await?;
    Ok(CashierReport {
        filter: f.clone(),
        count: rows.iter().map(|r| r.count).sum(),
        amount: rows.iter().map(|r| r.amount).sum(),
        rows,
    })
}

impl CashierReport {
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            "payments-by-cashier",
            &period(&self.filter),
            "Payments by cashier",
            vec!["kind", "name", "count", "amount"],
        );
        for r in &self.rows {
            t.row(vec![
                r.kind.clone().into(),
                r.name.clone().into(),
                r.count.into(),
                r.amount.into(),
            ]);
        }
        t.row(vec![
            "total".into(),
            Cell::Text(String::new()),
            self.count.into(),
            self.amount.into(),
        ]);
        t
    }
}
