//! `/api/resellers*` (staff manage resellers) and `/api/reseller/*` (a reseller's own stock).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_app::vouchers::batches::{self, Batch};
use billing_app::vouchers::query::{self, SalesQuery, SalesReport, VoucherFilter, VoucherPage};
use billing_app::vouchers::resellers::{self, LedgerEntry, Reseller, ResellerInput};
use billing_domain::Permission as P;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;
use uuid::Uuid;

use super::access::Access::{self, Staff};
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::{ApiJson, AuthUser, ResellerUser};
use crate::extract::{Path, Query};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::ResellersRead), routes!(list))
        .add(Staff(P::ResellersWrite), routes!(create))
        .add(Staff(P::ResellersWrite), routes!(update))
        .add(Staff(P::ResellerDeposit), routes!(deposit))
        .add(Staff(P::ResellersRead), routes!(ledger))
        .add(Access::Reseller, routes!(me))
        .add(Access::Reseller, routes!(my_vouchers))
        .add(Access::Reseller, routes!(my_batches))
        .add(Access::Reseller, routes!(my_sales))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResellerList {
    pub items: Vec<Reseller>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewReseller {
    /// Their login.
    pub username: String,
    pub password: String,
    pub name: String,
    pub phone: Option<String>,
    /// Their share of the price in basis points (1000 = 10 %).
    pub commission_bp: Option<i32>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateReseller {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub commission_bp: Option<i32>,
    /// `false` blocks their login at once.
    pub active: Option<bool>,
    /// A new password.
    pub password: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewDeposit {
    /// `deposit` (money in) or `withdrawal` (money back).
    pub kind: String,
    /// Rupiah, positive.
    pub amount: i64,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerList {
    pub items: Vec<LedgerEntry>,
}

/// Resellers with deposit and stock.
#[utoipa::path(get, operation_id = "list_resellers", path = "/resellers", tag = "resellers",
    security(("bearer" = [])), responses((status = 200, body = ResellerList)))]
pub async fn list(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<ResellerList>, ApiError> {
    Ok(Json(ResellerList {
        items: resellers::list(&state.ctx).await?,
    }))
}

/// Adds a reseller with their own login.
#[utoipa::path(post, operation_id = "create_reseller", path = "/resellers", tag = "resellers",
    request_body = NewReseller, security(("bearer" = [])),
    responses((status = 201, body = Reseller), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<NewReseller>,
) -> Result<(StatusCode, Json<Reseller>), ApiError> {
    let input = ResellerInput {
        username: Some(b.username),
        password: Some(b.password),
        name: Some(b.name),
        phone: b.phone,
        commission_bp: b.commission_bp,
        active: None,
    };
    Ok((
        StatusCode::CREATED,
        Json(resellers::create(&state.ctx, input).await?),
    ))
}

/// Changes a reseller.
#[utoipa::path(patch, operation_id = "update_reseller", path = "/resellers/{id}", tag = "resellers",
    request_body = UpdateReseller, security(("bearer" = [])),
    responses((status = 200, body = Reseller), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdateReseller>,
) -> Result<Json<Reseller>, ApiError> {
    let input = ResellerInput {
        username: None,
        password: b.password,
        name: b.name,
        phone: b.phone,
        commission_bp: b.commission_bp,
        active: b.active,
    };
    Ok(Json(resellers::update(&state.ctx, id, input).await?))
}

/// Records money a reseller hands over (deposit) or gets back (withdrawal).
#[utoipa::path(post, operation_id = "create_reseller_deposit", path = "/resellers/{id}/deposits", tag = "resellers",
    request_body = NewDeposit, security(("bearer" = [])),
    responses((status = 201, body = LedgerEntry), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn deposit(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<NewDeposit>,
) -> Result<(StatusCode, Json<LedgerEntry>), ApiError> {
    let entry =
        resellers::record_deposit(&state.ctx, id, &b.kind, b.amount, &b.note, &user.username)
            .await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// A reseller's deposit ledger, newest first.
#[utoipa::path(get, operation_id = "reseller_ledger", path = "/resellers/{id}/ledger", tag = "resellers",
    security(("bearer" = [])), responses((status = 200, body = LedgerList), (status = 404, body = ErrorBody)))]
pub async fn ledger(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<LedgerList>, ApiError> {
    Ok(Json(LedgerList {
        items: resellers::ledger(&state.ctx, id).await?,
    }))
}

/// The logged-in reseller: deposit and stock.
#[utoipa::path(get, operation_id = "reseller_me", path = "/reseller/me", tag = "reseller",
    security(("bearer" = [])), responses((status = 200, body = Reseller), (status = 403, body = ErrorBody)))]
pub async fn me(
    State(state): State<HttpState>,
    ResellerUser(user): ResellerUser,
) -> Result<Json<Reseller>, ApiError> {
    Ok(Json(resellers::of_user(&state.ctx, user.id.0).await?))
}

/// The reseller's own vouchers (any other reseller's filter is ignored).
#[utoipa::path(get, operation_id = "reseller_vouchers", path = "/reseller/vouchers", tag = "reseller",
    params(VoucherFilter), security(("bearer" = [])),
    responses((status = 200, body = VoucherPage), (status = 403, body = ErrorBody)))]
pub async fn my_vouchers(
    State(state): State<HttpState>,
    ResellerUser(user): ResellerUser,
    Query(mut f): Query<VoucherFilter>,
) -> Result<Json<VoucherPage>, ApiError> {
    let me = resellers::of_user(&state.ctx, user.id.0).await?;
    f.reseller_id = Some(me.id);
    Ok(Json(query::list(&state.ctx, &f).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResellerBatchList {
    pub items: Vec<Batch>,
}

/// The reseller's own batches.
#[utoipa::path(get, operation_id = "reseller_batches", path = "/reseller/batches", tag = "reseller",
    security(("bearer" = [])), responses((status = 200, body = ResellerBatchList), (status = 403, body = ErrorBody)))]
pub async fn my_batches(
    State(state): State<HttpState>,
    ResellerUser(user): ResellerUser,
) -> Result<Json<ResellerBatchList>, ApiError> {
    let me = resellers::of_user(&state.ctx, user.id.0).await?;
    Ok(Json(ResellerBatchList {
        items: batches::list(&state.ctx, Some(me.id), 200).await?,
    }))
}

/// The reseller's own sales.
#[utoipa::path(get, operation_id = "reseller_sales", path = "/reseller/sales", tag = "reseller",
    params(SalesQuery), security(("bearer" = [])),
    responses((status = 200, body = SalesReport), (status = 403, body = ErrorBody)))]
pub async fn my_sales(
    State(state): State<HttpState>,
    ResellerUser(user): ResellerUser,
    Query(mut q): Query<SalesQuery>,
) -> Result<Json<SalesReport>, ApiError> {
    let me = resellers::of_user(&state.ctx, user.id.0).await?;
    q.reseller_id = Some(me.id);
    Ok(Json(query::sales(&state.ctx, &q).await?))
}
