//! `/api/imports*`: customers, plans and subscriptions from a CSV/XLSX file, a PHPNuxBill
//! dump or a router kept the Mikhmon way: upload → preview and mapping → dry run → commit.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use base64::Engine as _;
use billing_app::ops::imports::{ImportRecord, ImportRequest, ImportSummary};
use billing_domain::Permission as P;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::UtoipaMethodRouterExt as _;
use utoipa_axum::routes;
use uuid::Uuid;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::Path;
use crate::extract::{ApiJson, AuthUser};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::ImportsRun), routes!(list))
        .add(
            Staff(P::ImportsRun),
            routes!(upload_file).map(|r| r.layer(file_body_limit())),
        )
        .add(
            Staff(P::ImportsRun),
            routes!(upload_phpnuxbill).map(|r| r.layer(file_body_limit())),
        )
        .add(Staff(P::ImportsRun), routes!(from_router))
        .add(Staff(P::ImportsRun), routes!(get))
        .add(Staff(P::ImportsRun), routes!(dry_run))
        .add(Staff(P::ImportsRun), routes!(commit))
}

/// An upload's body: the largest file, base64-encoded, and the JSON around it.
fn file_body_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(billing_app::ops::imports::MAX_FILE_BYTES * 4 / 3 + 4096)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportList {
    pub items: Vec<ImportSummary>,
}

/// A file, base64-encoded.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ImportUpload {
    pub file_name: String,
    pub content_base64: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RouterImport {
    pub router_id: Uuid,
}

fn decode(b: &ImportUpload) -> Result<Vec<u8>, ApiError> {
    let raw = b
        .content_base64
        .split_once("base64,")
        .map_or(b.content_base64.as_str(), |(_, data)| data);
    base64::engine::general_purpose::STANDARD
        .decode(raw.trim())
        .map_err(|_| {
            billing_app::Error::validation("content_base64", "the file is not valid base64").into()
        })
}

/// Every import, newest first.
#[utoipa::path(get, operation_id = "list_imports", path = "/imports", tag = "imports",
    security(("bearer" = [])), responses((status = 200, body = ImportList)))]
pub async fn list(State(s): State<HttpState>, _u: AuthUser) -> Result<Json<ImportList>, ApiError> {
    Ok(Json(ImportList {
        items: billing_app::ops::imports::list(&s.ctx).await?,
    }))
}

/// Uploads a CSV or XLSX file of customers (with plans and subscriptions): answers the
/// detected columns, the first rows and a suggested mapping. Nothing is imported yet.
#[utoipa::path(post, operation_id = "upload_import_file", path = "/imports/file", tag = "imports",
    request_body = ImportUpload, security(("bearer" = [])),
    responses((status = 201, body = ImportRecord), (status = 422, body = ErrorBody)))]
pub async fn upload_file(
    State(s): State<HttpState>,
    AuthUser(user): AuthUser,
    ApiJson(b): ApiJson<ImportUpload>,
) -> Result<(StatusCode, Json<ImportRecord>), ApiError> {
    let bytes = decode(&b)?;
    let record =
        billing_app::ops::imports::upload_file(&s.ctx, &user, &b.file_name, &bytes).await?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// Uploads a PHPNuxBill database dump (`mysqldump` .sql): customers, plans, active
/// recharges and balances become import rows; the notes say what is left out.
#[utoipa::path(post, operation_id = "upload_import_phpnuxbill", path = "/imports/phpnuxbill", tag = "imports",
    request_body = ImportUpload, security(("bearer" = [])),
    responses((status = 201, body = ImportRecord), (status = 422, body = ErrorBody)))]
pub async fn upload_phpnuxbill(
    State(s): State<HttpState>,
    AuthUser(user): AuthUser,
    ApiJson(b): ApiJson<ImportUpload>,
) -> Result<(StatusCode, Json<ImportRecord>), ApiError> {
    let bytes = decode(&b)?;
    let record =
        billing_app::ops::imports::upload_phpnuxbill(&s.ctx, &user, &b.file_name, &bytes).await?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// Reads a router as Mikhmon keeps it (hotspot users and profiles, PPPoE secrets). Nothing
/// is changed on the router, now or at commit.
#[utoipa::path(post, operation_id = "import_from_router", path = "/imports/router", tag = "imports",
    request_body = RouterImport, security(("bearer" = [])),
    responses((status = 201, body = ImportRecord), (status = 404, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn from_router(
    State(s): State<HttpState>,
    AuthUser(user): AuthUser,
    ApiJson(b): ApiJson<RouterImport>,
) -> Result<(StatusCode, Json<ImportRecord>), ApiError> {
    let record = billing_app::ops::imports::from_router(&s.ctx, &user, b.router_id).await?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// One import with its per-row report.
#[utoipa::path(get, operation_id = "get_import", path = "/imports/{id}", tag = "imports",
    params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = ImportRecord), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<ImportRecord>, ApiError> {
    Ok(Json(billing_app::ops::imports::get(&s.ctx, id).await?))
}

/// Checks every row with the chosen mapping and shows what a commit would write. Writes
/// nothing but the report.
#[utoipa::path(post, operation_id = "dry_run_import", path = "/imports/{id}/dry-run", tag = "imports",
    params(("id" = Uuid, Path)), request_body = ImportRequest, security(("bearer" = [])),
    responses((status = 200, body = ImportRecord), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn dry_run(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<ImportRequest>,
) -> Result<Json<ImportRecord>, ApiError> {
    Ok(Json(
        billing_app::ops::imports::dry_run(&s.ctx, id, b).await?,
    ))
}

/// Writes the good rows in one transaction; bad rows are reported with row, field and
/// reason and left out.
#[utoipa::path(post, operation_id = "commit_import", path = "/imports/{id}/commit", tag = "imports",
    params(("id" = Uuid, Path)), request_body = ImportRequest, security(("bearer" = [])),
    responses((status = 200, body = ImportRecord), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn commit(
    State(s): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<ImportRequest>,
) -> Result<Json<ImportRecord>, ApiError> {
    Ok(Json(
        billing_app::ops::imports::commit(&s.ctx, &user, id, b).await?,
    ))
}
