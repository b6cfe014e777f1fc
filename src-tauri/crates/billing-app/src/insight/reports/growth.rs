//! Subscribers gained and lost per month; voucher sales by profile and by reseller.

use chrono::NaiveDate;
use serde::Serialize;

use super::{month_key, ReportFilter, Table, SOLD_VOUCHERS};
use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubscriberMonth {
    /// YYYY-MM.
    pub month: String,
    /// Subscriptions that started (their start date) this month.
    pub gained: i64,
    /// Subscriptions terminated this month.
    pub lost: i64,
    pub net: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SubscribersReport {
    pub filter: ReportFilter,
    pub months: Vec<SubscriberMonth>,
    pub total: SubscriberMonth,
}

#[derive(sqlx::FromRow)]
struct MonthCount {
    m: NaiveDate,
    n: i64,
}

pub async fn subscribers(ctx: &AppContext, f: &ReportFilter) -> Result<SubscribersReport, Error> {
    let (start, end) = f.bounds(ctx);
    let gained = sqlx::query_as::<_, MonthCount>(
        "select date_trunc('month', start_on)::date as m, count(*) as n from subscriptions \
         where start_on between $1 and $2 and ($3::uuid is null or router_id = $3) group by 1",
    )
    .bind(f.from)
    .bind(f.to)
    .bind(f.router_id)
    .fetch_all(&ctx.pool);
    let lost = sqlx::query_as::<_, MonthCount>(
        "select date_trunc('month', coalesce(terminated_at, updated_at) at time zone $4)::date as m, \
                count(*) as n from subscriptions \
         where status = 'terminated' and coalesce(terminated_at, updated_at) >= $1 \
           and coalesce(terminated_at, updated_at) < $2 \
           and ($3::uuid is null or router_id = $3) group by 1",
    )
    .bind(start)
    .bind(end)
    .bind(f.router_id)
    .bind(ctx.tz.name())
    .fetch_all(&ctx.pool);
    let (gained, lost) = futures::try_join!(gained, lost)?;
    let count =
        |rows: &[MonthCount], m: NaiveDate| rows.iter().find(|r| r.m == m).map_or(0, |r| r.n);
    let months: Vec<SubscriberMonth> = f
        .months()
        .into_iter()
        .map(|m| {
            let (g, l) = (count(&gained, m), count(&lost, m));
            SubscriberMonth {
                month: month_key(m),
                gained: g,
                lost: l,
                net: g - l,
            }
        })
        .collect();
    let total = SubscriberMonth {
        month: "total".into(),
        gained: months.iter().map(|m| m.gained).sum(),
        lost: months.iter().map(|m| m.lost).sum(),
        net: months.iter().map(|m| m.net).sum(),
    };
    Ok(SubscribersReport {
        filter: f.clone(),
        months,
        total,
    })
}

impl SubscribersReport {
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            "subscribers",
            &format!("{}_{}", self.filter.from, self.filter.to),
            "Subscribers gained and lost",
            vec!["month", "gained", "lost", "net"],
        );
        for m in self.months.iter().chain(std::iter::once(&self.total)) {
            t.row(vec![
                m.month.clone().into(),
                m.gained.into(),
                m.lost.into(),
                m.net.into(),
            ]);
        }
        t
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoucherSalesGroup {
    Profile,
    Reseller,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct VoucherSalesRow {
    /// The profile's or reseller's id (none for the shop's own sales).
    pub id: Option<uuid::Uuid>,
    /// The profile's or reseller's name ("" = the shop itself: at the counter or online).
    pub name: String,
    /// By reseller: `counter` (the shop's own cards), `reseller` or `online` (the online
    /// shop). By profile: none.
    pub channel: Option<String>,
    pub count: i64,
    /// What the vouchers sell for.
    pub gross: i64,
    /// What the shop receives.
    pub revenue: i64,
    /// What resellers keep.
    pub commission: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VoucherSalesReport {
    pub filter: ReportFilter,
    /// profile or reseller.
    pub group: String,
    /// Largest gross first.
    pub rows: Vec<VoucherSalesRow>,
    pub total: VoucherSalesRow,
}

pub async fn voucher_sales(
    ctx: &AppContext,
    f: &ReportFilter,
    group: VoucherSalesGroup,
) -> Result<VoucherSalesReport, Error> {
    let (start, end) = f.bounds(ctx);
    let (join, key, name, channel) = match group {
        VoucherSalesGroup::Profile => (
            "join voucher_profiles g on g.id = s.profile_id",
            "s.profile_id",
            "g.name",
            "null::text",
        ),
        VoucherSalesGroup::Reseller => (
            "left join resellers g on g.id = s.reseller_id",
            "s.reseller_id",
            "coalesce(g.name, '')",
            "s.channel",
        ),
    };
    let rows: Vec<VoucherSalesRow> = sqlx::query_as(&format!(
        "with s as ({SOLD_VOUCHERS}) \
         select {key} as id, {name} as name, {channel} as channel, count(*) as count, \
                coalesce(sum(s.price), 0)::bigint as gross, \
                coalesce(sum(s.base_price), 0)::bigint as revenue, \
                coalesce(sum(s.price - s.base_price), 0)::bigint as commission \
         from s {join} group by 1, 2, 3 order by gross desc, name"
    ))
    .bind(start)
    .bind(end)
    .bind(f.router_id)
    .fetch_all(&ctx.pool)
    .await?;
    let total = VoucherSalesRow {
        id: None,
        name: "total".into(),
        channel: None,
        count: rows.iter().map(|r| r.count).sum(),
        gross: rows.iter().map(|r| r.gross).sum(),
        revenue: rows.iter().map(|r| r.revenue).sum(),
        commission: rows.iter().map(|r| r.commission).sum(),
    };
    Ok(VoucherSalesReport {
        filter: f.clone(),
        group: match group {
            VoucherSalesGroup::Profile => "profile",
            VoucherSalesGroup::Reseller => "reseller",
        }
        .into(),
        rows,
        total,
    })
}

impl VoucherSalesReport {
    pub fn table(&self) -> Table {
        let (name, title, first) = if self.group == "profile" {
            ("vouchers-by-profile", "Voucher sales by profile", "profile")
        } else {
            (
                "vouchers-by-reseller",
                "Voucher sales by reseller",
                "reseller",
            )
        };
        let mut t = Table::new(
            name,
            &format!("{}_{}", self.filter.from, self.filter.to),
            title,
            vec![first, "count", "gross", "revenue", "commission"],
        );
        for r in self.rows.iter().chain(std::iter::once(&self.total)) {
            // The shop's own sales have no reseller: say where they were sold.
            let name = match (r.name.as_str(), r.channel.as_deref()) {
                ("", Some("online")) => "online".to_owned(),
                ("", Some(_)) => "counter".to_owned(),
                _ => r.name.clone(),
            };
            t.row(vec![
                name.into(),
                r.count.into(),
                r.gross.into(),
                r.revenue.into(),
                r.commission.into(),
            ]);
        }
        t
    }
}
