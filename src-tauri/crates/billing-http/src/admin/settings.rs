use axum::extract::State;
use axum::Json;
use billing_app::billing::business::{BusinessProfile, BusinessProfileInput};
use billing_domain::Permission as P;
use utoipa_axum::routes;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::{ApiJson, AuthUser};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::SettingsRead), routes!(get_business))
        .add(Staff(P::SettingsWrite), routes!(put_business))
}

/// The ISP's details printed on invoices and receipts.
#[utoipa::path(get, operation_id = "get_business", path = "/settings/business", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = BusinessProfile)))]
pub async fn get_business(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<BusinessProfile>, ApiError> {
    Ok(Json(billing_app::billing::business::get(&state.ctx).await?))
}

/// Changes the ISP's details.
#[utoipa::path(put, operation_id = "put_business", path = "/settings/business", tag = "settings", request_body = BusinessProfileInput,
    security(("bearer" = [])),
    responses((status = 200, body = BusinessProfile), (status = 422, body = ErrorBody)))]
pub async fn put_business(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(body): ApiJson<BusinessProfileInput>,
) -> Result<Json<BusinessProfile>, ApiError> {
    Ok(Json(
        billing_app::billing::business::update(&state.ctx, body).await?,
    ))
}
