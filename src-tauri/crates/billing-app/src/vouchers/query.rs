//! Reading vouchers: lists with filters, one voucher's usage, the unique check, sales.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::codes::plausible;
use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Voucher {
    pub id: Uuid,
    pub code: String,
    /// Whether the password differs from the code (it is shown only when printing).
    pub separate_password: bool,
    pub batch_id: Uuid,
    pub batch_number: i64,
    pub seq: i32,
    pub profile_id: Uuid,
    pub profile_name: String,
    pub router_id: Uuid,
    pub reseller_id: Option<Uuid>,
    pub reseller_name: Option<String>,
    pub price: i64,
    /// unused, active, disabled, expired or removed.
    pub status: String,
    pub first_login_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub uptime_secs: i64,
    pub bytes_in: i64,
    pub bytes_out: i64,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "select v.id, v.code, v.password is not null as separate_password, \
    v.batch_id, b.number as batch_number, v.seq, v.profile_id, p.name as profile_name, \
    v.router_id, v.reseller_id, r.name as reseller_name, b.price, v.status, v.first_login_at, \
    v.expires_at, v.uptime_secs, v.bytes_in, v.bytes_out, v.last_seen_at, v.ended_at, \
    v.end_reason, v.created_at \
    from vouchers v join voucher_batches b on b.id = v.batch_id \
    join voucher_profiles p on p.id = v.profile_id left join resellers r on r.id = v.reseller_id";

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VoucherFilter {
    pub batch_id: Option<Uuid>,
    pub status: Option<String>,
    pub profile_id: Option<Uuid>,
    pub reseller_id: Option<Uuid>,
    /// Part of the code.
    pub q: Option<String>,
    /// 1-based.
    pub page: Option<i64>,
    /// Default 50, at most 1000.
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VoucherPage {
    pub items: Vec<Voucher>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

pub async fn list(ctx: &AppContext, f: &VoucherFilter) -> Result<VoucherPage, Error> {
    if let Some(s) = &f.status {
        if !["unused", "active", "disabled", "expired", "removed"].contains(&s.as_str()) {
            return Err(Error::validation(
                "status",
                "status is unused, active, disabled, expired or removed",
            ));
        }
    }
    let per_page = f.per_page.unwrap_or(50).clamp(1, 1000);
    let page = f.page.unwrap_or(1).max(1);
    // A page far past the end is empty, but its offset must still fit in a bigint.
    let offset = (page - 1).checked_mul(per_page).ok_or_else(|| {
        Error::validation(
            "page",
            format!(
                "page is at most {} with {per_page} per page",
                i64::MAX / per_page
            ),
        )
    })?;
    let q =
        f.q.as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| format!("%{}%", q.replace(['%', '_', '\\', '\0'], "")));
    let filter =
        "where ($1::uuid is null or v.batch_id = $1) and ($2::text is null or v.status = $2) \
        and ($3::uuid is null or v.profile_id = $3) and ($4::uuid is null or v.reseller_id = $4) \
        and ($5::text is null or v.code ilike $5)";
    let total: i64 = sqlx::query_scalar(&format!("select count(*) from vouchers v {filter}"))
        .bind(f.batch_id)
        .bind(&f.status)
        .bind(f.profile_id)
        .bind(f.reseller_id)
        .bind(&q)
        .fetch_one(&ctx.pool)
        .await?;
    let items = sqlx::query_as(&format!(
        "{SELECT} {filter} order by b.created_at desc, v.seq limit $6 offset $7"
    ))
    .bind(f.batch_id)
    .bind(&f.status)
    .bind(f.profile_id)
    .bind(f.reseller_id)
    .bind(&q)
    .bind(per_page)
    .bind(offset)
    .fetch_all(&ctx.pool)
    .await?;
    Ok(VoucherPage {
        items,
        total,
        page,
        per_page,
    })
}

pub async fn get(ctx: &AppContext, id: Uuid) -> Result<Voucher, Error> {
    sqlx::query_as(&format!("{SELECT} where v.id = $1"))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("voucher"))
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Usage {
    pub id: Uuid,
    pub code: String,
    pub status: String,
    pub first_login_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub uptime_secs: i64,
    pub uptime_limit_secs: Option<i64>,
    pub bytes_in: i64,
    pub bytes_out: i64,
    pub quota_bytes: Option<i64>,
    /// Seconds of validity left (`None` without a calendar validity or before first use).
    pub validity_left_secs: Option<i64>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub end_reason: Option<String>,
}

pub async fn usage(ctx: &AppContext, id: Uuid) -> Result<Usage, Error> {
    let v = get(ctx, id).await?;
    let (uptime_limit, quota): (Option<i64>, Option<i64>) =
        sqlx::query_as("select uptime_limit_secs, quota_bytes from voucher_profiles where id = $1")
            .bind(v.profile_id)
            .fetch_one(&ctx.pool)
            .await?;
    let now = ctx.clock.now();
    Ok(Usage {
        id: v.id,
        code: v.code,
        status: v.status,
        first_login_at: v.first_login_at,
        expires_at: v.expires_at,
        uptime_secs: v.uptime_secs,
        uptime_limit_secs: uptime_limit,
        bytes_in: v.bytes_in,
        bytes_out: v.bytes_out,
        quota_bytes: quota,
        validity_left_secs: v.expires_at.map(|e| (e - now).num_seconds().max(0)),
        last_seen_at: v.last_seen_at,
        end_reason: v.end_reason,
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UniqueCheck {
    pub code: String,
    pub available: bool,
    /// Why not, in plain words.
    pub reason: Option<String>,
}

/// Whether `code` could be used for a new voucher (not taken in the database).
pub async fn unique_check(ctx: &AppContext, code: &str) -> Result<UniqueCheck, Error> {
    let code = code.trim();
    if !plausible(code) {
        return Err(Error::validation(
            "code",
            "a code is 4 to 22 letters or digits",
        ));
    }
    let taken: bool = sqlx::query_scalar("select exists (select 1 from vouchers where code = $1)")
        .bind(code)
        .fetch_one(&ctx.pool)
        .await?;
    Ok(UniqueCheck {
        code: code.to_owned(),
        available: !taken,
        reason: taken.then(|| "a voucher with this code already exists".to_owned()),
    })
}

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SalesQuery {
    /// day, month, profile or reseller.
    pub group: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    pub reseller_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SalesRow {
    /// The day (YYYY-MM-DD), month (YYYY-MM), profile name or reseller name ("" = the shop).
    pub key: String,
    /// By reseller: `counter` (the shop's cards), `reseller` or `online` (the online shop).
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
pub struct SalesReport {
    pub group: String,
    pub rows: Vec<SalesRow>,
    pub total: SalesRow,
}

/// Sales: a voucher of the counter is sold when it is first used; a reseller's voucher when
/// the reseller took it into stock (they paid the shop then); an online shop order when it was
/// paid. The same rule as the reports.
pub async fn sales(ctx: &AppContext, q: &SalesQuery) -> Result<SalesReport, Error> {
    let group = q.group.as_deref().unwrap_or("day");
    let key = match group {
        "day" => "to_char(s.sold_at at time zone $3, 'YYYY-MM-DD')",
        "month" => "to_char(s.sold_at at time zone $3, 'YYYY-MM')",
        "profile" => "s.profile_name",
        "reseller" => "coalesce(s.reseller_name, '')",
        _ => {
            return Err(Error::validation(
                "group",
                "group is day, month, profile or reseller",
            ))
        }
    };
    // By reseller, the shop's own sales are split by where they were sold.
    let channel = if group == "reseller" {
        "s.channel"
    } else {
        "null::text"
    };
    let tz = ctx.tz.name();
    let sql = format!(
        "with s as ( \
           select case when v.reseller_id is null then v.first_login_at else b.completed_at end as sold_at, \
             p.name as profile_name, r.name as reseller_name, b.price, b.base_price, \
             case when v.reseller_id is null then 'counter' else 'reseller' end as channel \
           from vouchers v join voucher_batches b on b.id = v.batch_id \
           join voucher_profiles p on p.id = v.profile_id left join resellers r on r.id = v.reseller_id \
           where b.status = 'ready' and b.shop_order_id is null \
             and ($4::uuid is null or v.reseller_id = $4) \
             and ((v.reseller_id is null and v.first_login_at is not null) or v.reseller_id is not null) \
           union all \
           select o.paid_at, p.name, null, o.amount, o.amount, 'online' \
           from shop_orders o join voucher_profiles p on p.id = o.profile_id \
           where o.status = 'paid' and $4::uuid is null) \
         select {key} as key, {channel} as channel, count(*) as count, coalesce(sum(s.price), 0)::bigint as gross, \
           coalesce(sum(s.base_price), 0)::bigint as revenue, \
           coalesce(sum(s.price - s.base_price), 0)::bigint as commission \
         from s where ($1::date is null or (s.sold_at at time zone $3)::date >= $1) \
           and ($2::date is null or (s.sold_at at time zone $3)::date <= $2) \
         group by 1, 2 order by 1, 2"
    );
    let rows: Vec<SalesRow> = sqlx::query_as(&sql)
        .bind(q.from)
        .bind(q.to)
        .bind(tz)
        .bind(q.reseller_id)
        .fetch_all(&ctx.pool)
        .await?;
    let total = SalesRow {
        key: "total".into(),
        channel: None,
        count: rows.iter().map(|r| r.count).sum(),
        gross: rows.iter().map(|r| r.gross).sum(),
        revenue: rows.iter().map(|r| r.revenue).sum(),
        commission: rows.iter().map(|r| r.commission).sum(),
    };
    Ok(SalesReport {
        group: group.to_owned(),
        rows,
        total,
    })
}

/// One voucher ready for printing (password opened).
#[derive(Debug, Clone)]
pub struct Printable {
    pub code: String,
    pub password: Option<String>,
    pub seq: i32,
    pub batch_number: i64,
    pub price: i64,
    pub profile_name: String,
    pub validity_secs: Option<i64>,
    pub uptime_limit_secs: Option<i64>,
    pub quota_bytes: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct PrintRow {
    code: String,
    password: Option<Vec<u8>>,
    seq: i32,
    number: i64,
    price: i64,
    name: String,
    validity_secs: Option<i64>,
    uptime_limit_secs: Option<i64>,
    quota_bytes: Option<i64>,
}

/// The vouchers of a batch (or the given ones) for printing; `reseller` limits to their stock.
pub async fn printable(
    ctx: &AppContext,
    batch_id: Option<Uuid>,
    ids: &[Uuid],
    reseller: Option<Uuid>,
    only_unused: bool,
) -> Result<Vec<Printable>, Error> {
    if batch_id.is_none() && ids.is_empty() {
        return Err(Error::validation(
            "batch_id",
            "choose a batch or vouchers to print",
        ));
    }
    let rows: Vec<PrintRow> = sqlx::query_as(
            "select v.code, v.password, v.seq, b.number, b.price, p.name, p.validity_secs, \
             p.uptime_limit_secs, p.quota_bytes \
             from vouchers v join voucher_batches b on b.id = v.batch_id \
             join voucher_profiles p on p.id = v.profile_id \
             where ($1::uuid is null or v.batch_id = $1) and (cardinality($2::uuid[]) = 0 or v.id = any($2)) \
               and ($3::uuid is null or v.reseller_id = $3) and (not $4 or v.status = 'unused') \
               and b.status = 'ready' \
             order by b.number, v.seq limit 10000",
        )
        .bind(batch_id)
        .bind(ids)
        .bind(reseller)
        .bind(only_unused)
        .fetch_all(&ctx.pool)
        .await?;
    if rows.is_empty() {
        return Err(Error::NotFound("voucher to print"));
    }
    rows.into_iter()
        .map(|r| {
            let password = r
                .password
                .map(|sealed| ctx.cipher.open(&sealed))
                .transpose()?;
            Ok(Printable {
                code: r.code,
                password,
                seq: r.seq,
                batch_number: r.number,
                price: r.price,
                profile_name: r.name,
                validity_secs: r.validity_secs,
                uptime_limit_secs: r.uptime_limit_secs,
                quota_bytes: r.quota_bytes,
            })
        })
        .collect()
}
