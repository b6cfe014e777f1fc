//! `/api/vouchers*` and `/api/voucher-profiles*`: hotspot vouchers for the ISP's staff.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use billing_app::vouchers::batches::{Actor, Batch, BatchInput};
use billing_app::vouchers::codes::Charset;
use billing_app::vouchers::monitor::MonitorReport;
use billing_app::vouchers::profiles::{Profile, ProfileInput};
use billing_app::vouchers::query::{
    SalesQuery, SalesReport, UniqueCheck, Usage, VoucherFilter, VoucherPage,
};
use billing_app::vouchers::{batches, monitor, profiles, query};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::ErrorBody;
use crate::extract::{ApiJson, AuthUser};
use crate::{ApiError, HttpState};

/// A field that may be left out (unchanged), `null` (cleared) or a value.
pub(crate) fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VoucherProfileList {
    pub items: Vec<Profile>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewVoucherProfile {
    pub name: String,
    /// The hotspot user profile on the routers; derived from the name when left out.
    pub router_profile: Option<String>,
    /// Rupiah.
    pub price: i64,
    /// Calendar validity from the first login, seconds.
    pub validity_secs: Option<i64>,
    /// Online time allowed, seconds.
    pub uptime_limit_secs: Option<i64>,
    /// Data allowed (upload + download), bytes.
    pub quota_bytes: Option<i64>,
    /// `upload/download`, e.g. `2M/5M`.
    pub rate_limit: Option<String>,
    /// Devices at once (default 1).
    pub shared_users: Option<i32>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateVoucherProfile {
    pub name: Option<String>,
    pub router_profile: Option<String>,
    pub price: Option<i64>,
    /// `null` removes the limit.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>, nullable)]
    pub validity_secs: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>, nullable)]
    pub uptime_limit_secs: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i64>, nullable)]
    pub quota_bytes: Option<Option<i64>>,
    pub rate_limit: Option<String>,
    pub shared_users: Option<i32>,
    pub active: Option<bool>,
}

/// Voucher profiles.
#[utoipa::path(get, operation_id = "list_voucher_profiles", path = "/api/voucher-profiles", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = VoucherProfileList)))]
pub async fn list_profiles(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<VoucherProfileList>, ApiError> {
    Ok(Json(VoucherProfileList {
        items: profiles::list(&state.ctx).await?,
    }))
}

/// Adds a voucher profile and writes it to every router (a router that cannot be reached is
/// listed in `sync_errors` and retried).
#[utoipa::path(post, operation_id = "create_voucher_profile", path = "/api/voucher-profiles", tag = "vouchers",
    request_body = NewVoucherProfile, security(("bearer" = [])),
    responses((status = 201, body = Profile), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_profile(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<NewVoucherProfile>,
) -> Result<(StatusCode, Json<Profile>), ApiError> {
    let input = ProfileInput {
        name: Some(b.name),
        router_profile: b.router_profile,
        price: Some(b.price),
        validity_secs: Some(b.validity_secs),
        uptime_limit_secs: Some(b.uptime_limit_secs),
        quota_bytes: Some(b.quota_bytes),
        rate_limit: b.rate_limit,
        shared_users: b.shared_users,
        active: b.active,
    };
    Ok((
        StatusCode::CREATED,
        Json(profiles::create(&state.ctx, input).await?),
    ))
}

/// Changes a voucher profile (and the routers' copy).
#[utoipa::path(patch, operation_id = "update_voucher_profile", path = "/api/voucher-profiles/{id}", tag = "vouchers",
    request_body = UpdateVoucherProfile, security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn update_profile(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdateVoucherProfile>,
) -> Result<Json<Profile>, ApiError> {
    let input = ProfileInput {
        name: b.name,
        router_profile: b.router_profile,
        price: b.price,
        validity_secs: b.validity_secs,
        uptime_limit_secs: b.uptime_limit_secs,
        quota_bytes: b.quota_bytes,
        rate_limit: b.rate_limit,
        shared_users: b.shared_users,
        active: b.active,
    };
    Ok(Json(profiles::update(&state.ctx, id, input).await?))
}

/// Deletes a profile no voucher was made with.
#[utoipa::path(delete, operation_id = "delete_voucher_profile", path = "/api/voucher-profiles/{id}", tag = "vouchers",
    security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_profile(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    profiles::delete(&state.ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewBatch {
    pub profile_id: Uuid,
    /// Needed when there is more than one router.
    pub router_id: Option<Uuid>,
    /// 1 to 10,000.
    pub count: u32,
    /// Random characters per code (default 6).
    pub code_length: Option<u32>,
    /// Default `mixed` (digits and capitals without look-alikes).
    pub charset: Option<Charset>,
    /// Up to 6 letters or digits before the random part.
    pub prefix: Option<String>,
    /// A separate random password instead of password = code.
    #[serde(default)]
    pub separate_password: bool,
    /// Stock for this reseller (their deposit pays the base price).
    pub reseller_id: Option<Uuid>,
}

impl NewBatch {
    fn into_input(self) -> BatchInput {
        BatchInput {
            profile_id: self.profile_id,
            router_id: self.router_id,
            count: self.count,
            code_length: self.code_length,
            charset: self.charset,
            prefix: self.prefix,
            separate_password: self.separate_password,
            reseller_id: self.reseller_id,
        }
    }
}

/// Starts a batch: answers at once with the batch `creating`; poll
/// `GET /api/vouchers/batches/{id}` for `progress`, then `ready` or `failed` (with `error`
/// naming the voucher that failed and why; nothing of a failed batch stays anywhere).
#[utoipa::path(post, operation_id = "create_voucher_batch", path = "/api/vouchers/batch", tag = "vouchers",
    request_body = NewBatch, security(("bearer" = [])),
    responses((status = 202, body = Batch), (status = 422, body = ErrorBody), (status = 502, body = ErrorBody)))]
pub async fn create_batch(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    ApiJson(b): ApiJson<NewBatch>,
) -> Result<(StatusCode, Json<Batch>), ApiError> {
    let actor = Actor {
        user_id: Some(user.id.0),
        name: user.username,
    };
    let batch = batches::start(&state.ctx, actor, b.into_input()).await?;
    Ok((StatusCode::ACCEPTED, Json(batch)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchList {
    pub items: Vec<Batch>,
}

/// Recent batches.
#[utoipa::path(get, operation_id = "list_voucher_batches", path = "/api/vouchers/batches", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = BatchList)))]
pub async fn list_batches(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<BatchList>, ApiError> {
    Ok(Json(BatchList {
        items: batches::list(&state.ctx, None, 200).await?,
    }))
}

/// One batch, with progress while it is written.
#[utoipa::path(get, operation_id = "get_voucher_batch", path = "/api/vouchers/batches/{id}", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = Batch), (status = 404, body = ErrorBody)))]
pub async fn get_batch(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Batch>, ApiError> {
    Ok(Json(batches::get(&state.ctx, id).await?))
}

/// Vouchers, filtered by batch, status, profile or reseller.
#[utoipa::path(get, operation_id = "list_vouchers", path = "/api/vouchers", tag = "vouchers", params(VoucherFilter),
    security(("bearer" = [])), responses((status = 200, body = VoucherPage), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(f): Query<VoucherFilter>,
) -> Result<Json<VoucherPage>, ApiError> {
    Ok(Json(query::list(&state.ctx, &f).await?))
}

/// One voucher's use: first login, expiry, online time and data against its limits.
#[utoipa::path(get, operation_id = "voucher_usage", path = "/api/vouchers/{id}/usage", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = Usage), (status = 404, body = ErrorBody)))]
pub async fn usage(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Usage>, ApiError> {
    Ok(Json(query::usage(&state.ctx, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CodeParam {
    pub code: String,
}

/// Whether a code is still free.
#[utoipa::path(get, operation_id = "voucher_unique_check", path = "/api/vouchers/unique-check", tag = "vouchers",
    params(CodeParam), security(("bearer" = [])),
    responses((status = 200, body = UniqueCheck), (status = 422, body = ErrorBody)))]
pub async fn unique_check(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<CodeParam>,
) -> Result<Json<UniqueCheck>, ApiError> {
    Ok(Json(query::unique_check(&state.ctx, &p.code).await?))
}

/// Sales per day, month, profile or reseller, with totals.
#[utoipa::path(get, operation_id = "voucher_sales", path = "/api/vouchers/sales", tag = "vouchers", params(SalesQuery),
    security(("bearer" = [])), responses((status = 200, body = SalesReport), (status = 422, body = ErrorBody)))]
pub async fn sales(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(q): Query<SalesQuery>,
) -> Result<Json<SalesReport>, ApiError> {
    Ok(Json(query::sales(&state.ctx, &q).await?))
}

/// Runs the voucher monitor now (it also runs every 30 s).
#[utoipa::path(post, operation_id = "run_voucher_monitor", path = "/api/vouchers/monitor", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = MonitorReport)))]
pub async fn run_monitor(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<MonitorReport>, ApiError> {
    Ok(Json(monitor::run(&state.ctx).await?))
}
