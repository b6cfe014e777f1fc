//! `/api/vouchers*` and `/api/voucher-profiles*`: hotspot vouchers for the ISP's staff.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use billing_app::vouchers::batches::{Actor, Batch, BatchInput};
use billing_app::vouchers::codes::Charset;
use billing_app::vouchers::monitor::MonitorReport;
use billing_app::vouchers::print::{self, PrintRequest, PrintSettings, PrintTemplate, Printed};
use billing_app::vouchers::profiles::{Profile, ProfileInput};
use billing_app::vouchers::query::{
    SalesQuery, SalesReport, UniqueCheck, Usage, VoucherFilter, VoucherPage,
};
use billing_app::vouchers::{batches, monitor, profiles, query};
use billing_documents::Lang;
use billing_domain::Permission as P;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;
use uuid::Uuid;

use super::access::Access::{Staff, StaffOrReseller};
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::{AnyUser, ApiJson, AuthUser};
use crate::extract::{Path, Query};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::VouchersRead), routes!(list_profiles))
        .add(Staff(P::VouchersRouter), routes!(create_profile))
        .add(
            Staff(P::VouchersRouter),
            routes!(update_profile, delete_profile),
        )
        .add(Staff(P::VouchersRead), routes!(list))
        .add(Staff(P::VouchersSell), routes!(create_batch))
        .add(Staff(P::VouchersRead), routes!(list_batches))
        .add(Staff(P::VouchersRead), routes!(get_batch))
        .add(Staff(P::VouchersSell), routes!(unique_check))
        .add(Staff(P::VouchersSell), routes!(sales))
        .add(Staff(P::VouchersRouter), routes!(run_monitor))
        .add(StaffOrReseller(P::VouchersSell), routes!(print))
        .add(Staff(P::VouchersSell), routes!(get_print_settings))
        .add(Staff(P::VoucherTemplatesWrite), routes!(set_print_settings))
        .add(Staff(P::VouchersSell), routes!(get_template))
        .add(
            Staff(P::VoucherTemplatesWrite),
            routes!(set_template, reset_template),
        )
        .add(Staff(P::VoucherTemplatesWrite), routes!(preview_template))
        .add(Staff(P::VouchersRead), routes!(usage))
}

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
    /// Offered in the online voucher shop.
    pub for_sale: Option<bool>,
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
    /// Offered in the online voucher shop.
    pub for_sale: Option<bool>,
}

/// Voucher profiles.
#[utoipa::path(get, operation_id = "list_voucher_profiles", path = "/voucher-profiles", tag = "vouchers",
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
#[utoipa::path(post, operation_id = "create_voucher_profile", path = "/voucher-profiles", tag = "vouchers",
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
        for_sale: b.for_sale,
    };
    Ok((
        StatusCode::CREATED,
        Json(profiles::create(&state.ctx, input).await?),
    ))
}

/// Changes a voucher profile (and the routers' copy).
#[utoipa::path(patch, operation_id = "update_voucher_profile", path = "/voucher-profiles/{id}", tag = "vouchers",
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
        for_sale: b.for_sale,
    };
    Ok(Json(profiles::update(&state.ctx, id, input).await?))
}

/// Deletes a profile no voucher was made with.
#[utoipa::path(delete, operation_id = "delete_voucher_profile", path = "/voucher-profiles/{id}", tag = "vouchers",
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
#[utoipa::path(post, operation_id = "create_voucher_batch", path = "/vouchers/batch", tag = "vouchers",
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
#[utoipa::path(get, operation_id = "list_voucher_batches", path = "/vouchers/batches", tag = "vouchers",
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
#[utoipa::path(get, operation_id = "get_voucher_batch", path = "/vouchers/batches/{id}", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = Batch), (status = 404, body = ErrorBody)))]
pub async fn get_batch(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Batch>, ApiError> {
    Ok(Json(batches::get(&state.ctx, id).await?))
}

/// Vouchers, filtered by batch, status, profile or reseller.
#[utoipa::path(get, operation_id = "list_vouchers", path = "/vouchers", tag = "vouchers", params(VoucherFilter),
    security(("bearer" = [])), responses((status = 200, body = VoucherPage), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(f): Query<VoucherFilter>,
) -> Result<Json<VoucherPage>, ApiError> {
    Ok(Json(query::list(&state.ctx, &f).await?))
}

/// One voucher's use: first login, expiry, online time and data against its limits.
#[utoipa::path(get, operation_id = "voucher_usage", path = "/vouchers/{id}/usage", tag = "vouchers",
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
#[utoipa::path(get, operation_id = "voucher_unique_check", path = "/vouchers/unique-check", tag = "vouchers",
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
#[utoipa::path(get, operation_id = "voucher_sales", path = "/vouchers/sales", tag = "vouchers", params(SalesQuery),
    security(("bearer" = [])), responses((status = 200, body = SalesReport), (status = 422, body = ErrorBody)))]
pub async fn sales(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(q): Query<SalesQuery>,
) -> Result<Json<SalesReport>, ApiError> {
    Ok(Json(query::sales(&state.ctx, &q).await?))
}

/// Runs the voucher monitor now (it also runs every 30 s).
#[utoipa::path(post, operation_id = "run_voucher_monitor", path = "/vouchers/monitor", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = MonitorReport)))]
pub async fn run_monitor(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<MonitorReport>, ApiError> {
    Ok(Json(monitor::run(&state.ctx).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PrintParams {
    pub batch_id: Option<Uuid>,
    /// Comma-separated voucher ids (instead of a batch).
    pub ids: Option<String>,
    /// default (card), small or thermal58.
    pub template: Option<String>,
    /// html (default, for the print dialog) or pdf.
    pub format: Option<String>,
    /// id (default) or en.
    pub lang: Option<String>,
    /// Cards per A4 page (within the template's range).
    pub per_page: Option<u32>,
    /// Only vouchers not used yet (default true).
    pub only_unused: Option<bool>,
}

impl PrintParams {
    fn into_request(self, reseller: Option<Uuid>) -> Result<PrintRequest, ApiError> {
        let ids = match self.ids.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(|s| s.trim().parse::<Uuid>())
                .collect::<Result<_, _>>()
                .map_err(|_| ApiError::Validation {
                    field: "ids",
                    message: "ids is a comma-separated list of voucher ids".into(),
                })?,
        };
        let pdf = match self.format.as_deref() {
            None | Some("html") => false,
            Some("pdf") => true,
            Some(_) => {
                return Err(ApiError::Validation {
                    field: "format",
                    message: "format is html or pdf".into(),
                })
            }
        };
        Ok(PrintRequest {
            batch_id: self.batch_id,
            ids,
            template: self.template.unwrap_or_else(|| "default".into()),
            pdf,
            lang: if self.lang.as_deref() == Some("en") {
                Lang::En
            } else {
                Lang::Id
            },
            per_page: self.per_page,
            only_unused: self.only_unused.unwrap_or(true),
            reseller,
        })
    }
}

fn printed_response(printed: Printed) -> Response {
    match printed {
        Printed::Html(html) => {
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
        }
        Printed::Pdf(pdf) => (
            [
                (header::CONTENT_TYPE, "application/pdf"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"voucher.pdf\"",
                ),
            ],
            pdf,
        )
            .into_response(),
    }
}

/// Voucher cards of a batch (or chosen vouchers) as printable HTML or a PDF. Staff print any
/// batch; a reseller only their own stock (other vouchers are simply not found).
#[utoipa::path(get, operation_id = "print_vouchers", path = "/vouchers/print", tag = "vouchers",
    params(PrintParams), security(("bearer" = [])),
    responses((status = 200, description = "text/html or application/pdf", content_type = "text/html"),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn print(
    State(state): State<HttpState>,
    AnyUser(user): AnyUser,
    Query(p): Query<PrintParams>,
) -> Result<Response, ApiError> {
    let reseller = match user.role {
        billing_domain::Role::Reseller => Some(
            billing_app::vouchers::resellers::of_user(&state.ctx, user.id.0)
                .await?
                .id,
        ),
        _ => None,
    };
    let req = p.into_request(reseller)?;
    Ok(printed_response(print::print(&state.ctx, &req).await?))
}

/// A print template (the edited one or the built-in one).
#[utoipa::path(get, operation_id = "get_voucher_template", path = "/vouchers/templates/{kind}", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = PrintTemplate), (status = 422, body = ErrorBody)))]
pub async fn get_template(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(kind): Path<String>,
) -> Result<Json<PrintTemplate>, ApiError> {
    Ok(Json(print::get_template(&state.ctx, &kind).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = VoucherTemplateBody)]
pub struct TemplateBody {
    pub html: String,
}

/// Saves an edited card template (checked by rendering a sample card first).
#[utoipa::path(put, operation_id = "set_voucher_template", path = "/vouchers/templates/{kind}", tag = "vouchers",
    request_body = TemplateBody, security(("bearer" = [])),
    responses((status = 200, body = PrintTemplate), (status = 422, body = ErrorBody)))]
pub async fn set_template(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(kind): Path<String>,
    ApiJson(b): ApiJson<TemplateBody>,
) -> Result<Json<PrintTemplate>, ApiError> {
    Ok(Json(print::set_template(&state.ctx, &kind, &b.html).await?))
}

/// The template editor's live preview: two sample cards printed with the given markup as a
/// self-contained HTML page (nothing is saved). A broken template answers 422 with the reason.
#[utoipa::path(post, operation_id = "preview_voucher_template", path = "/vouchers/templates/{kind}/preview", tag = "vouchers",
    request_body = TemplateBody, security(("bearer" = [])),
    responses((status = 200, description = "text/html", content_type = "text/html"),
              (status = 422, body = ErrorBody)))]
pub async fn preview_template(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(kind): Path<String>,
    ApiJson(b): ApiJson<TemplateBody>,
) -> Result<Response, ApiError> {
    let html = print::preview_template(&state.ctx, &kind, &b.html).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// Goes back to the built-in template.
#[utoipa::path(delete, operation_id = "reset_voucher_template", path = "/vouchers/templates/{kind}", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = PrintTemplate), (status = 422, body = ErrorBody)))]
pub async fn reset_template(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(kind): Path<String>,
) -> Result<Json<PrintTemplate>, ApiError> {
    Ok(Json(print::reset_template(&state.ctx, &kind).await?))
}

/// Where the QR codes on the cards point.
#[utoipa::path(get, operation_id = "get_voucher_print_settings", path = "/vouchers/print-settings", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = PrintSettings)))]
pub async fn get_print_settings(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<PrintSettings>, ApiError> {
    Ok(Json(print::settings(&state.ctx).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PrintSettingsBody {
    pub hotspot_login_url: String,
}

/// Changes the hotspot login address the QR codes carry.
#[utoipa::path(put, operation_id = "set_voucher_print_settings", path = "/vouchers/print-settings", tag = "vouchers",
    request_body = PrintSettingsBody, security(("bearer" = [])),
    responses((status = 200, body = PrintSettings), (status = 422, body = ErrorBody)))]
pub async fn set_print_settings(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<PrintSettingsBody>,
) -> Result<Json<PrintSettings>, ApiError> {
    Ok(Json(
        print::set_settings(&state.ctx, &b.hotspot_login_url).await?,
    ))
}
