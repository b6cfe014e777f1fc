use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_app::billing::invoices::Invoice;
use billing_app::billing::subscriptions::{
    NewSubscription as NewSub, RenewPreview, Subscription, SubscriptionQuery,
};
use billing_domain::Permission as P;
use billing_domain::{CustomerId, RouterId, SubscriptionId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;
use uuid::Uuid;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::{ApiJson, AuthUser};
use crate::extract::{Path, Query};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::SubscriptionsRead), routes!(list))
        .add(Staff(P::SubscriptionsWrite), routes!(create))
        .add(Staff(P::SubscriptionsRead), routes!(get))
        .add(Staff(P::SubscriptionsRead), routes!(renew_preview))
        .add(Staff(P::SubscriptionsWrite), routes!(renew))
        .add(Staff(P::SubscriptionsWrite), routes!(retry_provisioning))
        .add(Staff(P::SubscriptionsWrite), routes!(terminate))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SubscriptionParams {
    pub customer_id: Option<Uuid>,
    pub status: Option<String>,
    /// `failed` (not on the router for a reason that needs someone) or `pending`.
    pub provisioning: Option<String>,
    pub q: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubscriptionList {
    pub items: Vec<Subscription>,
    pub total: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewSubscription {
    pub customer_id: Uuid,
    pub plan_id: Uuid,
    /// PPPoE or hotspot login on the router; unique.
    pub login: String,
    /// Stored encrypted; never returned.
    pub password: String,
    pub start_on: NaiveDate,
    /// 1–28; default: the day of `start_on` (at most 28).
    pub billing_day: Option<i16>,
    /// Days after the period start the invoice is due (default 7).
    pub due_days: Option<i16>,
    /// Days after the due date before isolation (default 3).
    pub grace_days: Option<i16>,
    /// Router that gets the PPPoE secret (created through the router outbox).
    pub router_id: Option<Uuid>,
}

/// Lists subscriptions.
#[utoipa::path(get, operation_id = "list_subscriptions", path = "/subscriptions", tag = "subscriptions", params(SubscriptionParams),
    security(("bearer" = [])), responses((status = 200, body = SubscriptionList)))]
pub async fn list(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<SubscriptionParams>,
) -> Result<Json<SubscriptionList>, ApiError> {
    let query = SubscriptionQuery {
        customer_id: p.customer_id.map(CustomerId::from),
        status: p.status.filter(|s| !s.is_empty()),
        provisioning: p.provisioning.filter(|s| !s.is_empty()),
        q: p.q,
        limit: p.limit.unwrap_or(50),
        offset: p.offset.unwrap_or(0),
    };
    let (items, total) = billing_app::billing::subscriptions::list(&state.ctx, query).await?;
    Ok(Json(SubscriptionList { items, total }))
}

/// Subscribes a customer to a plan and issues the first (pro-rated) invoice.
#[utoipa::path(post, operation_id = "create_subscription", path = "/subscriptions", tag = "subscriptions",
    request_body = NewSubscription, security(("bearer" = [])),
    responses((status = 201, body = Subscription), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<HttpState>,
    user: AuthUser,
    ApiJson(b): ApiJson<NewSubscription>,
) -> Result<(StatusCode, Json<Subscription>), ApiError> {
    let input = NewSub {
        customer_id: b.customer_id.into(),
        plan_id: b.plan_id.into(),
        login: b.login,
        password: b.password,
        start_on: b.start_on,
        billing_day: b.billing_day,
        due_days: b.due_days,
        grace_days: b.grace_days,
        router_id: b.router_id.map(RouterId::from),
        created_by: Some(user.0.username),
    };
    Ok((
        StatusCode::CREATED,
        Json(billing_app::billing::subscriptions::create(&state.ctx, input).await?),
    ))
}

/// One subscription.
#[utoipa::path(get, operation_id = "get_subscription", path = "/subscriptions/{id}", tag = "subscriptions", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Subscription), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<SubscriptionId>,
) -> Result<Json<Subscription>, ApiError> {
    Ok(Json(
        billing_app::billing::subscriptions::get(&state.ctx, id).await?,
    ))
}

/// What "issue the next invoice now" would issue (period and amount), writing nothing.
#[utoipa::path(get, operation_id = "preview_renew_subscription", path = "/subscriptions/{id}/renew", tag = "subscriptions", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = RenewPreview), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn renew_preview(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<SubscriptionId>,
) -> Result<Json<RenewPreview>, ApiError> {
    Ok(Json(
        billing_app::billing::subscriptions::renew_preview(&state.ctx, id).await?,
    ))
}

/// Issues the next period's invoice now (idempotent per period).
#[utoipa::path(post, operation_id = "renew_subscription", path = "/subscriptions/{id}/renew", tag = "subscriptions", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Invoice), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn renew(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<SubscriptionId>,
) -> Result<Json<Invoice>, ApiError> {
    Ok(Json(
        billing_app::billing::subscriptions::renew(&state.ctx, id).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TerminateRequest {
    pub reason: String,
}

/// Ends a subscription (no further invoices; open ones stay owed).
#[utoipa::path(post, operation_id = "terminate_subscription", path = "/subscriptions/{id}/terminate",
    tag = "subscriptions", params(("id" = Uuid, Path)), request_body = TerminateRequest, security(("bearer" = [])),
    responses((status = 200, body = Subscription), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn terminate(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<SubscriptionId>,
    ApiJson(b): ApiJson<TerminateRequest>,
) -> Result<Json<Subscription>, ApiError> {
    Ok(Json(
        billing_app::billing::subscriptions::terminate(&state.ctx, id, &b.reason).await?,
    ))
}

/// What "Coba lagi" answers.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RetryProvisioning {
    /// Commands that were waiting and were tried again now (0: it was put on its router
    /// again from the database).
    pub retried: u64,
    pub subscription: Subscription,
}

/// "Coba lagi": tries now to put the subscription on its router as the database says (after
/// the plan's profile, the router or its password was fixed). The answer shows the new state.
#[utoipa::path(post, operation_id = "retry_subscription_provisioning",
    path = "/subscriptions/{id}/retry-provisioning", tag = "subscriptions", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = RetryProvisioning), (status = 404, body = ErrorBody)))]
pub async fn retry_provisioning(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<SubscriptionId>,
) -> Result<Json<RetryProvisioning>, ApiError> {
    let retried = billing_app::network::outbox::retry_subscription(&state.ctx, id.uuid()).await?;
    Ok(Json(RetryProvisioning {
        retried,
        subscription: billing_app::billing::subscriptions::get(&state.ctx, id).await?,
    }))
}
