//! What is owed now: arrears by age, and the customers who owe most.

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use super::{Cell, ReportFilter, Table};
use crate::{AppContext, Error};

/// Open invoices (unpaid, partly paid), on subscriptions of router `$1` when given (joined only
/// then: without a router the open-invoice index answers alone).
fn open(f: &ReportFilter) -> &'static str {
    if f.router_id.is_some() {
        "from invoices i join subscriptions s on s.id = i.subscription_id \
         where i.status in ('unpaid', 'partial') and s.router_id = $1"
    } else {
        "from invoices i where i.status in ('unpaid', 'partial') and $1::uuid is null"
    }
}

/// The age buckets, by days past due: (label, first day, last day).
pub const BUCKETS: [(&str, i64, i64); 4] = [
    ("0-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, i64::MAX),
];

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgingBucket {
    /// 0-30, 31-60, 61-90 or 90+ (days past due), or total.
    pub bucket: String,
    pub amount: i64,
    pub invoices: i64,
    /// Distinct customers (a customer with debts of several ages counts in each bucket, once
    /// in the total).
    pub customers: i64,
}

/// Arrears now, by how long they are past due. An open invoice ages from the oldest due date of
/// the debt it carries (`overdue_from`: its own due date, or that of arrears carried into it);
/// invoices not yet due are not arrears and are left out.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgingReport {
    pub filter: ReportFilter,
    /// The day the ages are counted from (today).
    pub as_of: NaiveDate,
    pub buckets: Vec<AgingBucket>,
    pub total: AgingBucket,
}

#[derive(sqlx::FromRow)]
struct BucketRow {
    bucket: Option<i32>,
    amount: i64,
    invoices: i64,
    customers: i64,
}

pub async fn aging(ctx: &AppContext, f: &ReportFilter) -> Result<AgingReport, Error> {
    let today = ctx.today();
    let open = open(f);
    let rows: Vec<BucketRow> = sqlx::query_as(&format!(
        "select bucket, coalesce(sum(owed), 0)::bigint as amount, count(*) as invoices, \
                count(distinct customer_id) as customers \
         from (select case when $2 - i.overdue_from <= 30 then 0 \
                           when $2 - i.overdue_from <= 60 then 1 \
                           when $2 - i.overdue_from <= 90 then 2 else 3 end as bucket, \
                      i.total - i.paid as owed, i.customer_id \
               {open} and i.overdue_from < $2) x \
         group by grouping sets ((bucket), ())"
    ))
    .bind(f.router_id)
    .bind(today)
    .fetch_all(&ctx.pool)
    .await?;
    let make = |label: &str, idx: Option<i32>| {
        let r = rows.iter().find(|r| r.bucket == idx);
        AgingBucket {
            bucket: label.to_owned(),
            amount: r.map_or(0, |r| r.amount),
            invoices: r.map_or(0, |r| r.invoices),
            customers: r.map_or(0, |r| r.customers),
        }
    };
    Ok(AgingReport {
        filter: f.clone(),
        as_of: today,
        buckets: BUCKETS
            .iter()
            .enumerate()
            .map(|(n, (label, _, _))| make(label, Some(n as i32)))
            .collect(),
        total: make("total", None),
    })
}

impl AgingReport {
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            "arrears-aging",
            &self.as_of.to_string(),
            "Arrears aging",
            vec!["days_past_due", "amount", "invoices", "customers"],
        );
        for b in self.buckets.iter().chain(std::iter::once(&self.total)) {
            t.row(vec![
                b.bucket.clone().into(),
                b.amount.into(),
                b.invoices.into(),
                b.customers.into(),
            ]);
        }
        t
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct UnpaidCustomer {
    pub customer_id: Uuid,
    pub name: String,
    pub phone: String,
    /// Open invoices.
    pub invoices: i64,
    /// Rupiah still owed on them.
    pub owed: i64,
    /// The oldest due date of what they owe.
    pub oldest_due: NaiveDate,
    /// Days since then (0 when nothing is past due yet).
    pub days_overdue: i64,
}

/// The customers who owe most now (all open invoices, due or not), largest first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnpaidReport {
    pub filter: ReportFilter,
    pub as_of: NaiveDate,
    pub rows: Vec<UnpaidCustomer>,
    /// Everything owed by every customer (not only the rows shown).
    pub owed_total: i64,
    pub customers_total: i64,
}

pub async fn top_unpaid(ctx: &AppContext, f: &ReportFilter) -> Result<UnpaidReport, Error> {
    let today = ctx.today();
    let open = open(f);
    let rows_sql = format!(
        "select c.id as customer_id, c.name, c.phone, o.invoices, o.owed, o.oldest_due, \
                greatest($2 - o.oldest_due, 0)::bigint as days_overdue \
         from (select i.customer_id, count(*) as invoices, \
                      sum(i.total - i.paid)::bigint as owed, min(i.overdue_from) as oldest_due \
               {open} group by i.customer_id) o \
         join customers c on c.id = o.customer_id \
         where o.owed > 0 order by o.owed desc, c.name, c.id limit $3"
    );
    let totals_sql = format!(
        "select coalesce(sum(i.total - i.paid), 0)::bigint, \
                count(distinct i.customer_id) filter (where i.total > i.paid) {open}"
    );
    let rows = sqlx::query_as::<_, UnpaidCustomer>(&rows_sql)
        .bind(f.router_id)
        .bind(today)
        .bind(f.limit)
        .fetch_all(&ctx.pool);
    let totals = sqlx::query_as::<_, (i64, i64)>(&totals_sql)
        .bind(f.router_id)
        .fetch_one(&ctx.pool);
    let (rows, (owed_total, customers_total)) = futures::try_join!(rows, totals)?;
    Ok(UnpaidReport {
        filter: f.clone(),
        as_of: today,
        rows,
        owed_total,
        customers_total,
    })
}

impl UnpaidReport {
    pub fn table(&self) -> Table {
        let mut t = Table::new(
            "top-unpaid",
            &self.as_of.to_string(),
            "Top unpaid customers",
            vec![
                "customer",
                "phone",
                "invoices",
                "owed",
                "oldest_due",
                "days_overdue",
            ],
        );
        for r in &self.rows {
            t.row(vec![
                r.name.clone().into(),
                r.phone.clone().into(),
                r.invoices.into(),
                r.owed.into(),
                r.oldest_due.to_string().into(),
                r.days_overdue.into(),
            ]);
        }
        t.row(vec![
            "total".into(),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
            self.owed_total.into(),
            Cell::Text(String::new()),
            Cell::Text(String::new()),
        ]);
        t
    }
}
