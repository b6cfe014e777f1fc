//! Imports: customers, plans and subscriptions from a CSV/XLSX file, a PHPNuxBill database
//! dump, or a router kept the Mikhmon way. Every import goes upload → preview and field
//! mapping → dry run (per-row results, nothing written) → commit (the good rows, in one
//! transaction, through the same rules as the create use-cases). Nothing is ever written
//! to a router by an import: subscriptions and vouchers are linked to what already runs.

pub mod mikhmon;
pub mod nuxbill;
mod rows;
pub mod table;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use uuid::Uuid;

use crate::access::current_user::CurrentUser;
use crate::{AppContext, Error};
use table::Sheet;

/// Largest file accepted (a 10,000-customer sheet is well under 2 MB).
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Rows shown in the preview.
const SAMPLE_ROWS: usize = 10;
const MAX_ROWS: usize = 50_000;

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportOptions {
    /// Create a plan the file names that does not exist yet (with the row's price and kind).
    #[serde(default)]
    pub create_missing_plans: bool,
    /// The router subscriptions are linked to when the row names none.
    #[serde(default)]
    pub router_id: Option<Uuid>,
}

/// What the owner chose on the mapping step.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ImportRequest {
    /// Field (`name`, `phone`, `plan`, …) → the column header that holds it.
    pub mapping: Option<BTreeMap<String, String>>,
    pub options: Option<ImportOptions>,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowError {
    pub field: String,
    pub message: String,
}

/// The outcome of one row (or one router user).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RowResult {
    /// Line in the file (the header is line 1), or position in the router's list.
    pub row: i32,
    pub label: String,
    /// `ok` (would be written), `error`, `duplicate` (already there: skipped), `imported`.
    pub status: String,
    pub errors: Vec<RowError>,
    pub customer_id: Option<Uuid>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportTotals {
    pub rows: i64,
    pub ok: i64,
    pub errors: i64,
    pub duplicates: i64,
    pub imported: i64,
    pub customers: i64,
    pub subscriptions: i64,
    pub plans_created: i64,
    /// Rupiah brought over into customer wallets.
    pub credit: i64,
    pub invoices: i64,
    pub voucher_profiles: i64,
    pub vouchers: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ImportRecord {
    pub id: Uuid,
    /// `csv`, `xlsx`, `phpnuxbill` or `router`.
    pub source: String,
    pub file_name: String,
    pub router_id: Option<Uuid>,
    /// `draft` or `committed`.
    pub status: String,
    pub columns: Vec<String>,
    /// The first rows as read (passwords masked).
    pub sample: Vec<Vec<String>>,
    pub row_count: i32,
    pub mapping: BTreeMap<String, String>,
    pub options: ImportOptions,
    /// Every field a column can be mapped to.
    pub fields: Vec<String>,
    pub totals: Option<ImportTotals>,
    pub results: Vec<RowResult>,
    /// What was not brought over, and why (dumps and routers).
    pub notes: Vec<String>,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub dry_run_at: Option<DateTime<Utc>>,
    pub committed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ImportSummary {
    pub id: Uuid,
    pub source: String,
    pub file_name: String,
    pub status: String,
    pub row_count: i32,
    #[sqlx(json(nullable))]
    pub totals: Option<ImportTotals>,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub committed_at: Option<DateTime<Utc>>,
}

/// The uploaded data, sealed while the import is a draft.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Payload {
    sheet: Sheet,
    #[serde(default)]
    hotspot: Option<mikhmon::HotspotPlan>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    source: String,
    file_name: String,
    router_id: Option<Uuid>,
    status: String,
    data_enc: Option<Vec<u8>>,
    columns: Json<Vec<String>>,
    sample: Json<Vec<Vec<String>>>,
    row_count: i32,
    mapping: Json<BTreeMap<String, String>>,
    options: Json<ImportOptions>,
    totals: Option<Json<ImportTotals>>,
    results: Json<Vec<RowResult>>,
    notes: Json<Vec<String>>,
    created_by_name: String,
    created_at: DateTime<Utc>,
    dry_run_at: Option<DateTime<Utc>>,
    committed_at: Option<DateTime<Utc>>,
}

impl Row {
    fn record(self) -> ImportRecord {
        ImportRecord {
            id: self.id,
            source: self.source,
            file_name: self.file_name,
            router_id: self.router_id,
            status: self.status,
            columns: self.columns.0,
            sample: self.sample.0,
            row_count: self.row_count,
            mapping: self.mapping.0,
            options: self.options.0,
            fields: table::FIELDS.iter().map(|f| (*f).to_owned()).collect(),
            totals: self.totals.map(|t| t.0),
            results: self.results.0,
            notes: self.notes.0,
            created_by_name: self.created_by_name,
            created_at: self.created_at,
            dry_run_at: self.dry_run_at,
            committed_at: self.committed_at,
        }
    }
}

const SELECT: &str = "select id, source, file_name, router_id, status, data_enc, columns, sample, \
    row_count, mapping, options, totals, results, notes, created_by_name, created_at, dry_run_at, \
    committed_at from imports";

struct Draft {
    source: &'static str,
    file_name: String,
    router_id: Option<Uuid>,
    payload: Payload,
    mapping: BTreeMap<String, String>,
    notes: Vec<String>,
}

async fn store(ctx: &AppContext, user: &CurrentUser, draft: Draft) -> Result<ImportRecord, Error> {
    let sheet = &draft.payload.sheet;
    if sheet.rows.len() > MAX_ROWS {
        return Err(Error::validation(
            "file",
            format!("at most {MAX_ROWS} rows per import"),
        ));
    }
    let secret_cols: Vec<usize> = sheet
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            draft.mapping.get("password") == Some(*h) || h.to_lowercase().contains("pass")
        })
        .map(|(i, _)| i)
        .collect();
    let sample: Vec<Vec<String>> = sheet
        .rows
        .iter()
        .take(SAMPLE_ROWS)
        .map(|(_, cells)| {
            cells
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if secret_cols.contains(&i) && !c.is_empty() {
                        "••••".to_owned()
                    } else {
                        c.clone()
                    }
                })
                .collect()
        })
        .collect();
    let row_count = i32::try_from(
        sheet.rows.len() + draft.payload.hotspot.as_ref().map_or(0, |h| h.users.len()),
    )
    .unwrap_or(i32::MAX);
    let json = serde_json::to_string(&draft.payload).map_err(anyhow::Error::from)?;
    let sealed = ctx.cipher.seal(&json)?;
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into imports (id, source, file_name, router_id, data_enc, columns, sample, \
                              row_count, mapping, notes, created_by, created_by_name, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id)
    .bind(draft.source)
    .bind(&draft.file_name)
    .bind(draft.router_id)
    .bind(sealed)
    .bind(Json(&sheet.headers))
    .bind(Json(&sample))
    .bind(row_count)
    .bind(Json(&draft.mapping))
    .bind(Json(&draft.notes))
    .bind(user.id.0)
    .bind(&user.username)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?;
    get(ctx, id).await
}

fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    base.chars().take(200).collect()
}

fn check_size(bytes: &[u8]) -> Result<(), Error> {
    if bytes.is_empty() {
        return Err(Error::validation("content", "the file is empty"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Error::validation(
            "content",
            format!(
                "the file is larger than {} MB",
                MAX_FILE_BYTES / 1024 / 1024
            ),
        ));
    }
    Ok(())
}

/// Reads a CSV or XLSX file and keeps it as a draft import with a suggested mapping.
pub async fn upload_file(
    ctx: &AppContext,
    user: &CurrentUser,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportRecord, Error> {
    check_size(bytes)?;
    let file_name = clean_file_name(file_name);
    let lower = file_name.to_lowercase();
    let is_book = bytes.starts_with(b"PK\x03\x04")
        || lower.ends_with(".xlsx")
        || lower.ends_with(".xls")
        || lower.ends_with(".ods");
    let (source, sheet) = if is_book {
        ("xlsx", table::read_xlsx(bytes)?)
    } else {
        ("csv", table::read_csv(bytes)?)
    };
    let mapping = table::auto_map(&sheet.headers);
    store(
        ctx,
        user,
        Draft {
            source,
            file_name,
            router_id: None,
            payload: Payload {
                sheet,
                hotspot: None,
            },
            mapping,
            notes: Vec::new(),
        },
    )
    .await
}

/// Reads a PHPNuxBill `mysqldump` file: customers, plans, active recharges, balances.
pub async fn upload_phpnuxbill(
    ctx: &AppContext,
    user: &CurrentUser,
    file_name: &str,
    bytes: &[u8],
) -> Result<ImportRecord, Error> {
    check_size(bytes)?;
    let text = String::from_utf8_lossy(bytes);
    let (sheet, notes) = nuxbill::convert(&text, ctx.today())?;
    let mapping = table::auto_map(&sheet.headers);
    store(
        ctx,
        user,
        Draft {
            source: "phpnuxbill",
            file_name: clean_file_name(file_name),
            router_id: None,
            payload: Payload {
                sheet,
                hotspot: None,
            },
            mapping,
            notes,
        },
    )
    .await
}

/// Reads a router (PPPoE secrets, hotspot users and profiles as Mikhmon keeps them) without
/// changing anything on it.
pub async fn from_router(
    ctx: &AppContext,
    user: &CurrentUser,
    router_id: Uuid,
) -> Result<ImportRecord, Error> {
    let conn = crate::network::routers::connection(ctx, router_id).await?;
    let read = mikhmon::read(ctx, &conn).await?;
    let mapping = table::auto_map(&read.sheet.headers);
    store(
        ctx,
        user,
        Draft {
            source: "router",
            file_name: conn.name.clone(),
            router_id: Some(router_id),
            payload: Payload {
                sheet: read.sheet,
                hotspot: Some(read.hotspot),
            },
            mapping,
            notes: read.notes,
        },
    )
    .await
}

pub async fn get(ctx: &AppContext, id: Uuid) -> Result<ImportRecord, Error> {
    let row: Row = sqlx::query_as(&format!("{SELECT} where id = $1"))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("import"))?;
    Ok(row.record())
}

pub async fn list(ctx: &AppContext) -> Result<Vec<ImportSummary>, Error> {
    Ok(sqlx::query_as(
        "select id, source, file_name, status, row_count, totals, created_by_name, created_at, \
                committed_at from imports order by created_at desc limit 200",
    )
    .fetch_all(&ctx.pool)
    .await?)
}

fn open_payload(ctx: &AppContext, row: &Row) -> Result<Payload, Error> {
    let sealed = row
        .data_enc
        .as_deref()
        .ok_or_else(|| Error::conflict("the import was already committed"))?;
    let json = ctx.cipher.open(sealed)?;
    Ok(serde_json::from_str(&json).map_err(anyhow::Error::from)?)
}

struct Outcome {
    results: Vec<RowResult>,
    totals: ImportTotals,
}

fn tally(results: &[RowResult], totals: &mut ImportTotals) {
    totals.rows = i64::try_from(results.len()).unwrap_or(i64::MAX);
    let count = |s: &str| {
        i64::try_from(results.iter().filter(|r| r.status == s).count()).unwrap_or(i64::MAX)
    };
    totals.ok = count("ok");
    totals.errors = count("error");
    totals.duplicates = count("duplicate");
    totals.imported = count("imported");
}

async fn evaluate_and_maybe_write(
    conn: &mut sqlx::PgConnection,
    ctx: &AppContext,
    user: Option<&CurrentUser>,
    row: &Row,
    mapping: &BTreeMap<String, String>,
    options: &ImportOptions,
) -> Result<Outcome, Error> {
    let payload = open_payload(ctx, row)?;
    let mut eval = rows::evaluate(&mut *conn, ctx, &payload.sheet, mapping, options).await?;
    let hotspot_eval = match &payload.hotspot {
        Some(plan) => Some(mikhmon::evaluate(&mut *conn, plan, payload.sheet.rows.len()).await?),
        None => None,
    };
    let mut totals = ImportTotals::default();
    if let Some(user) = user {
        let label = match row.source.as_str() {
            "phpnuxbill" => format!("PHPNuxBill ({})", row.file_name),
            "router" => format!("router {}", row.file_name),
            _ => format!("impor {}", row.file_name),
        };
        let written = rows::write(&mut *conn, ctx, Some(user.id), &label, &mut eval).await?;
        totals.customers = written.customers;
        totals.subscriptions = written.subscriptions;
        totals.plans_created = written.plans;
        totals.credit = written.credit;
        totals.invoices = written.invoices;
    } else {
        totals.customers = i64::try_from(eval.good.len()).unwrap_or(i64::MAX);
        totals.subscriptions = i64::try_from(
            eval.good
                .iter()
                .filter(|g| g.subscription.is_some())
                .count(),
        )
        .unwrap_or(i64::MAX);
        totals.plans_created = i64::try_from(eval.new_plans.len()).unwrap_or(i64::MAX);
        totals.credit = eval.good.iter().map(|g| g.credit).sum();
    }
    let mut results = eval.results;
    if let (Some(plan), Some(mut hs)) = (&payload.hotspot, hotspot_eval) {
        if let Some(user) = user {
            let (profiles, vouchers) =
                mikhmon::write(&mut *conn, ctx, &user.username, plan, &mut hs).await?;
            totals.voucher_profiles = profiles;
            totals.vouchers = vouchers;
        } else {
            totals.voucher_profiles = hs.new_profiles(plan);
            totals.vouchers = hs.good_count();
        }
        results.extend(hs.results);
    }
    tally(&results, &mut totals);
    Ok(Outcome { results, totals })
}

async fn load_draft(conn: &mut sqlx::PgConnection, id: Uuid, lock: bool) -> Result<Row, Error> {
    let row: Row = sqlx::query_as(&format!(
        "{SELECT} where id = $1{}",
        if lock { " for update" } else { "" }
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(Error::NotFound("import"))?;
    if row.status != "draft" {
        return Err(Error::conflict("the import was already committed"));
    }
    Ok(row)
}

/// Checks every row and shows what a commit would write; writes nothing but the report.
pub async fn dry_run(
    ctx: &AppContext,
    id: Uuid,
    request: ImportRequest,
) -> Result<ImportRecord, Error> {
    let mut tx = ctx.pool.begin().await?;
    let row = load_draft(&mut tx, id, false).await?;
    let mapping = request.mapping.unwrap_or_else(|| row.mapping.0.clone());
    let options = request.options.unwrap_or_else(|| row.options.0.clone());
    let outcome = evaluate_and_maybe_write(&mut tx, ctx, None, &row, &mapping, &options).await?;
    tx.rollback().await?;
    sqlx::query(
        "update imports set mapping = $2, options = $3, totals = $4, results = $5, dry_run_at = $6 \
         where id = $1 and status = 'draft'",
    )
    .bind(id)
    .bind(Json(&mapping))
    .bind(Json(&options))
    .bind(Json(&outcome.totals))
    .bind(Json(&outcome.results))
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?;
    get(ctx, id).await
}

/// Writes every good row in one transaction; bad rows are reported and left out. The
/// uploaded data (with its passwords) is dropped afterwards; the report stays.
#[tracing::instrument(skip_all, fields(import_id = %id))]
pub async fn commit(
    ctx: &AppContext,
    user: &CurrentUser,
    id: Uuid,
    request: ImportRequest,
) -> Result<ImportRecord, Error> {
    let mut tx = ctx.pool.begin().await?;
    // One import at a time: the duplicate checks must see the previous one's rows.
    sqlx::query("select pg_advisory_xact_lock(hashtext('mikrobill.imports'))")
        .execute(&mut *tx)
        .await?;
    let row = load_draft(&mut tx, id, true).await?;
    let mapping = request.mapping.unwrap_or_else(|| row.mapping.0.clone());
    let options = request.options.unwrap_or_else(|| row.options.0.clone());
    let outcome =
        evaluate_and_maybe_write(&mut tx, ctx, Some(user), &row, &mapping, &options).await?;
    sqlx::query(
        "update imports set status = 'committed', data_enc = null, mapping = $2, options = $3, \
                totals = $4, results = $5, committed_at = $6 where id = $1",
    )
    .bind(id)
    .bind(Json(&mapping))
    .bind(Json(&options))
    .bind(Json(&outcome.totals))
    .bind(Json(&outcome.results))
    .bind(ctx.clock.now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(
        customers = outcome.totals.customers,
        subscriptions = outcome.totals.subscriptions,
        vouchers = outcome.totals.vouchers,
        errors = outcome.totals.errors,
        "import committed"
    );
    get(ctx, id).await
}
