//! Month-end reports: revenue per month, payments by method and by cashier, arrears aging,
//! subscribers gained and lost, voucher sales by profile and by reseller, top unpaid
//! customers. Each report is a typed answer for the screen and a [`Table`] for CSV/XLSX.
//!
//! Money received is counted from payments (`status = 'paid'`, by `paid_at` in the business
//! time zone), never from invoice totals: an invoice's total includes arrears carried from
//! earlier invoices, so summing totals would count the same debt twice.

mod arrears;
mod growth;
mod money;
mod table;

pub use arrears::{aging, top_unpaid, AgingBucket, AgingReport, UnpaidCustomer, UnpaidReport};
pub use growth::{
    subscribers, voucher_sales, SubscriberMonth, SubscribersReport, VoucherSalesGroup,
    VoucherSalesReport, VoucherSalesRow,
};
pub use money::{
    payments_by_cashier, payments_by_method, revenue, CashierReport, CashierRow, MethodAmount,
    MethodReport, RevenueMonth, RevenueReport,
};
pub use table::{Cell, Table};

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::calendar::{day_start, month_start};
use crate::{AppContext, Error};

/// Vouchers sold between `$1` and `$2` (instants), on router `$3` when given: a voucher sold
/// at the counter at its first login, a reseller's when the reseller took the batch into stock
/// (they paid the shop then), an online shop order when it was paid (whether or not its voucher
/// is made yet: the money came in). `channel` is `counter`, `reseller` or `online`. The same
/// rule as the voucher sales page.
pub(crate) const SOLD_VOUCHERS: &str = "\
    select v.router_id, v.profile_id, v.reseller_id, b.price, b.base_price, \
           v.first_login_at as sold_at, 'counter'::text as channel \
    from vouchers v join voucher_batches b on b.id = v.batch_id \
    where v.reseller_id is null and b.status = 'ready' and b.shop_order_id is null \
      and v.first_login_at >= $1 and v.first_login_at < $2 \
      and ($3::uuid is null or v.router_id = $3) \
    union all \
    select v.router_id, v.profile_id, v.reseller_id, b.price, b.base_price, \
           b.completed_at as sold_at, 'reseller'::text as channel \
    from voucher_batches b join vouchers v on v.batch_id = b.id \
    where b.reseller_id is not null and b.status = 'ready' \
      and b.completed_at >= $1 and b.completed_at < $2 \
      and ($3::uuid is null or v.router_id = $3) \
    union all \
    select o.router_id, o.profile_id, null::uuid, o.amount, o.amount, o.paid_at, \
           'online'::text as channel \
    from shop_orders o \
    where o.status = 'paid' and o.paid_at >= $1 and o.paid_at < $2 \
      and ($3::uuid is null or o.router_id = $3)";

/// The longest period a report covers.
const MAX_DAYS: i64 = 5 * 366;

/// The filter every report takes, checked. Reports of the present state (arrears aging, top
/// unpaid) ignore the period; every report honours the router where its data has one.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReportFilter {
    /// First day (inclusive), business time zone.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    pub router_id: Option<Uuid>,
    /// How many rows a top-N report gives.
    pub limit: i64,
}

/// The filter as it arrives in the query string, unparsed, so a bad value is reported by name.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RawFilter {
    /// YYYY-MM-DD; default: the first day of the month eleven months ago (12 months in all).
    pub from: Option<String>,
    /// YYYY-MM-DD; default: today.
    pub to: Option<String>,
    /// Only subscriptions and vouchers of this router.
    pub router_id: Option<String>,
    /// Rows of a top-N report (1–1000, default 20).
    pub limit: Option<String>,
}

fn date(field: &'static str, raw: Option<&str>) -> Result<Option<NaiveDate>, Error> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            // Years beyond four digits parse, but the day after them cannot be computed.
            .filter(|d| (1..=9999).contains(&d.year()))
            .map(Some)
            .ok_or_else(|| Error::validation(field, "use a date like 2026-01-31 (YYYY-MM-DD)")),
    }
}

impl ReportFilter {
    /// Checks the raw filter; `today` fills the defaults.
    pub async fn parse(ctx: &AppContext, raw: &RawFilter) -> Result<ReportFilter, Error> {
        let today = ctx.today();
        let to = date("to", raw.to.as_deref())?.unwrap_or(today);
        let from =
            date("from", raw.from.as_deref())?.unwrap_or_else(|| month_start(to) - Months::new(11));
        if from > to {
            return Err(Error::validation("from", "the start is after the end"));
        }
        if (to - from).num_days() > MAX_DAYS {
            return Err(Error::validation(
                "from",
                "a report covers at most five years",
            ));
        }
        let router_id = match raw
            .router_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => {
                let id = Uuid::parse_str(s)
                    .map_err(|_| Error::validation("router_id", "not a router id"))?;
                let known: bool =
                    sqlx::query_scalar("select exists (select 1 from routers where id = $1)")
                        .bind(id)
                        .fetch_one(&ctx.pool)
                        .await?;
                if !known {
                    return Err(Error::validation("router_id", "no such router"));
                }
                Some(id)
            }
        };
        let limit = match raw
            .limit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => 20,
            Some(s) => s
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| Error::validation("limit", "a number from 1 to 1000"))?,
        };
        Ok(ReportFilter {
            from,
            to,
            router_id,
            limit,
        })
    }

    /// The period as instants: [start of `from`, start of the day after `to`).
    pub(crate) fn bounds(&self, ctx: &AppContext) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            day_start(ctx.tz, self.from),
            day_start(ctx.tz, self.to + chrono::Days::new(1)),
        )
    }

    /// First days of the months the period touches, oldest first.
    pub(crate) fn months(&self) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut m = month_start(self.from);
        while m <= self.to {
            out.push(m);
            m = m + Months::new(1);
        }
        out
    }
}

/// "2026-03" for the month of `d`.
pub(crate) fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// The names of the reports, as in `/api/reports/{name}`.
pub const NAMES: [&str; 8] = [
    "revenue",
    "payments-by-method",
    "payments-by-cashier",
    "arrears-aging",
    "subscribers",
    "vouchers-by-profile",
    "vouchers-by-reseller",
    "top-unpaid",
];

/// Runs the report `name` and returns it as a table (for CSV and XLSX).
pub async fn table(ctx: &AppContext, name: &str, f: &ReportFilter) -> Result<Table, Error> {
    Ok(match name {
        "revenue" => revenue(ctx, f).await?.table(),
        "payments-by-method" => payments_by_method(ctx, f).await?.table(),
        "payments-by-cashier" => payments_by_cashier(ctx, f).await?.table(),
        "arrears-aging" => aging(ctx, f).await?.table(),
        "subscribers" => subscribers(ctx, f).await?.table(),
        "vouchers-by-profile" => voucher_sales(ctx, f, VoucherSalesGroup::Profile)
            .await?
            .table(),
        "vouchers-by-reseller" => voucher_sales(ctx, f, VoucherSalesGroup::Reseller)
            .await?
            .table(),
        "top-unpaid" => top_unpaid(ctx, f).await?.table(),
        _ => return Err(Error::NotFound("report")),
    })
}
