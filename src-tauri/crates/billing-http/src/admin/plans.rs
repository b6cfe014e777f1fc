use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_app::billing::plans::{Plan, PlanInput};
use billing_domain::Permission as P;
use billing_domain::{Money, PlanId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::Path;
use crate::extract::{ApiJson, AuthUser};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::PlansRead), routes!(list))
        .add(Staff(P::PlansWrite), routes!(create))
        .add(Staff(P::PlansWrite), routes!(update, delete))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanList {
    pub items: Vec<Plan>,
    pub total: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPlan {
    pub name: String,
    /// Monthly price in rupiah.
    pub price: i64,
    /// `pppoe` or `hotspot`.
    pub kind: String,
    /// The router profile (PPP or hotspot user profile) the plan maps to.
    pub router_profile: String,
    pub speed_label: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdatePlan {
    pub name: Option<String>,
    pub price: Option<i64>,
    pub kind: Option<String>,
    pub router_profile: Option<String>,
    pub speed_label: Option<String>,
    pub active: Option<bool>,
}

/// All plans.
#[utoipa::path(get, operation_id = "list_plans", path = "/plans", tag = "plans", security(("bearer" = [])),
    responses((status = 200, body = PlanList)))]
pub async fn list(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<PlanList>, ApiError> {
    let items = billing_app::billing::plans::list(&state.ctx).await?;
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    Ok(Json(PlanList { items, total }))
}

/// Adds a plan.
#[utoipa::path(post, operation_id = "create_plan", path = "/plans", tag = "plans", request_body = NewPlan,
    security(("bearer" = [])),
    responses((status = 201, body = Plan), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<NewPlan>,
) -> Result<(StatusCode, Json<Plan>), ApiError> {
    let input = PlanInput {
        name: Some(b.name),
        price: Some(Money::from_minor(b.price)),
        kind: Some(b.kind),
        router_profile: Some(b.router_profile),
        speed_label: b.speed_label,
        active: b.active,
    };
    Ok((
        StatusCode::CREATED,
        Json(billing_app::billing::plans::create(&state.ctx, input).await?),
    ))
}

/// Changes a plan (a new price applies to invoices issued from now on).
#[utoipa::path(patch, operation_id = "update_plan", path = "/plans/{id}", tag = "plans", params(("id" = Uuid, Path)), request_body = UpdatePlan,
    security(("bearer" = [])),
    responses((status = 200, body = Plan), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<PlanId>,
    ApiJson(b): ApiJson<UpdatePlan>,
) -> Result<Json<Plan>, ApiError> {
    let input = PlanInput {
        name: b.name,
        price: b.price.map(Money::from_minor),
        kind: b.kind,
        router_profile: b.router_profile,
        speed_label: b.speed_label,
        active: b.active,
    };
    Ok(Json(
        billing_app::billing::plans::update(&state.ctx, id, input).await?,
    ))
}

/// Deletes a plan nobody uses; a plan in use answers 409 (deactivate it instead).
#[utoipa::path(delete, operation_id = "delete_plan", path = "/plans/{id}", tag = "plans", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<PlanId>,
) -> Result<StatusCode, ApiError> {
    billing_app::billing::plans::delete(&state.ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
