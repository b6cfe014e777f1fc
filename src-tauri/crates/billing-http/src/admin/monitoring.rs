use axum::extract::State;
use axum::Json;
use billing_app::insight::health::Health;
use billing_app::insight::monitoring::alerts::{
    self, Alert, AlertFilter, AlertRule, AlertRuleInput, MetricInfo,
};
use billing_app::insight::monitoring::samples::RouterSamplePoint;
use billing_app::insight::monitoring::MonitoringSettings;
use billing_domain::Permission as P;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;
use uuid::Uuid;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::AuthUser;
use crate::extract::{ApiJson, Path, Query};
use crate::HttpState;

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::DashboardView), routes!(health))
        .add(Staff(P::MonitoringRead), routes!(metrics))
        .add(Staff(P::MonitoringRead), routes!(list_alerts))
        .add(Staff(P::MonitoringRead), routes!(list_rules))
        .add(Staff(P::MonitoringManage), routes!(create_rule))
        .add(Staff(P::MonitoringRead), routes!(get_rule))
        .add(
            Staff(P::MonitoringManage),
            routes!(update_rule, delete_rule),
        )
        .add(Staff(P::MonitoringRead), routes!(get_settings))
        .add(Staff(P::MonitoringManage), routes!(put_settings))
        .add(Staff(P::DashboardView), routes!(summary))
        .add(Staff(P::RoutersRead), routes!(router_samples))
}

/// The database, each router (reachability of its API port, probed in the background), each
/// WhatsApp session, each enabled gateway, the scheduler and backups, and disk space — each
/// with `ok`, `warning` or `down` and what was found in plain words.
#[utoipa::path(get, operation_id = "health", path = "/monitoring/health", tag = "monitoring",
    security(("bearer" = [])),
    responses((status = 200, body = Health), (status = 401, body = ErrorBody)))]
pub async fn health(State(state): State<HttpState>, _user: AuthUser) -> Json<Health> {
    Json(billing_app::insight::health::report(&state.ctx, state.app_version).await)
}

/// The figures on the dashboard home.
#[utoipa::path(get, operation_id = "dashboard_summary", path = "/dashboard/summary", tag = "monitoring",
    security(("bearer" = [])), responses((status = 200, body = billing_app::insight::home::DashboardSummary)))]
pub async fn summary(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<billing_app::insight::home::DashboardSummary>, crate::ApiError> {
    Ok(Json(billing_app::insight::home::summary(&state.ctx).await?))
}

/// Prometheus text: HTTP requests and latencies per route, job runs, durations and
/// failures, queue depths, router round trips, payments by status and method, alerts.
#[utoipa::path(get, operation_id = "metrics", path = "/monitoring/metrics", tag = "monitoring",
    security(("bearer" = [])),
    responses((status = 200, description = "Prometheus text format 0.0.4", content_type = "text/plain")))]
pub async fn metrics(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<impl axum::response::IntoResponse, crate::ApiError> {
    let text = billing_app::insight::monitoring::metrics::render(&state.ctx).await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    ))
}

/// Records every admin request: the matched route template (never the raw path, so ids do
/// not make new series), the method, the status and how long it took.
pub async fn record(
    State(state): State<HttpState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let route = if route.starts_with("/api/") || route == "unmatched" {
        route
    } else {
        format!("/api{route}")
    };
    let method = req.method().as_str().to_owned();
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    state.ctx.ops.metrics.http_request(
        &method,
        &route,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertList {
    pub items: Vec<Alert>,
}

/// Active alerts first, then past ones, newest first.
#[utoipa::path(get, operation_id = "list_alerts", path = "/monitoring/alerts", tag = "monitoring",
    params(AlertFilter), security(("bearer" = [])),
    responses((status = 200, body = AlertList), (status = 422, body = ErrorBody)))]
pub async fn list_alerts(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(filter): Query<AlertFilter>,
) -> Result<Json<AlertList>, crate::ApiError> {
    Ok(Json(AlertList {
        items: alerts::list_alerts(&state.ctx, &filter).await?,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertRuleList {
    pub items: Vec<AlertRule>,
    /// What a rule can watch.
    pub metrics: Vec<MetricInfo>,
}

/// The alert rules (built-in ones first) and the metrics a rule can watch.
#[utoipa::path(get, operation_id = "list_alert_rules", path = "/monitoring/alerts/rules", tag = "monitoring",
    security(("bearer" = [])), responses((status = 200, body = AlertRuleList)))]
pub async fn list_rules(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<AlertRuleList>, crate::ApiError> {
    Ok(Json(AlertRuleList {
        items: alerts::list_rules(&state.ctx).await?,
        metrics: alerts::METRICS.to_vec(),
    }))
}

/// A new rule: metric, comparison, threshold, how long it must hold, severity.
#[utoipa::path(post, operation_id = "create_alert_rule", path = "/monitoring/alerts/rules", tag = "monitoring",
    request_body = AlertRuleInput, security(("bearer" = [])),
    responses((status = 201, body = AlertRule), (status = 422, body = ErrorBody)))]
pub async fn create_rule(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(input): ApiJson<AlertRuleInput>,
) -> Result<(axum::http::StatusCode, Json<AlertRule>), crate::ApiError> {
    Ok((
        axum::http::StatusCode::CREATED,
        Json(alerts::create_rule(&state.ctx, input).await?),
    ))
}

#[utoipa::path(get, operation_id = "get_alert_rule", path = "/monitoring/alerts/rules/{id}", tag = "monitoring",
    security(("bearer" = [])), responses((status = 200, body = AlertRule), (status = 404, body = ErrorBody)))]
pub async fn get_rule(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<AlertRule>, crate::ApiError> {
    Ok(Json(alerts::get_rule(&state.ctx, id).await?))
}

/// Changes a rule (a built-in rule keeps its metric; disable it with `enabled: false`).
#[utoipa::path(put, operation_id = "update_alert_rule", path = "/monitoring/alerts/rules/{id}", tag = "monitoring",
    request_body = AlertRuleInput, security(("bearer" = [])),
    responses((status = 200, body = AlertRule), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_rule(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(input): ApiJson<AlertRuleInput>,
) -> Result<Json<AlertRule>, crate::ApiError> {
    Ok(Json(alerts::update_rule(&state.ctx, id, input).await?))
}

/// Deletes one of the owner's rules (409 for a built-in rule).
#[utoipa::path(delete, operation_id = "delete_alert_rule", path = "/monitoring/alerts/rules/{id}", tag = "monitoring",
    security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_rule(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<axum::http::StatusCode, crate::ApiError> {
    alerts::delete_rule(&state.ctx, id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

/// Retention periods and what the owner is told on WhatsApp.
#[utoipa::path(get, operation_id = "get_monitoring_settings", path = "/monitoring/settings", tag = "monitoring",
    security(("bearer" = [])), responses((status = 200, body = MonitoringSettings)))]
pub async fn get_settings(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<MonitoringSettings>, crate::ApiError> {
    Ok(Json(
        billing_app::insight::monitoring::settings(&state.ctx).await?,
    ))
}

#[utoipa::path(put, operation_id = "put_monitoring_settings", path = "/monitoring/settings", tag = "monitoring",
    request_body = MonitoringSettings, security(("bearer" = [])),
    responses((status = 200, body = MonitoringSettings), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(input): ApiJson<MonitoringSettings>,
) -> Result<Json<MonitoringSettings>, crate::ApiError> {
    Ok(Json(
        billing_app::insight::monitoring::update_settings(&state.ctx, input).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SamplesParams {
    /// How far back, 1 to 168 hours (default 24).
    pub hours: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RouterSampleList {
    pub items: Vec<RouterSamplePoint>,
}

/// The router's chart data: CPU, memory, active users and traffic, one point a minute.
#[utoipa::path(get, operation_id = "router_samples", path = "/routers/{id}/samples", tag = "routers",
    params(SamplesParams), security(("bearer" = [])),
    responses((status = 200, body = RouterSampleList), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn router_samples(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
    Query(p): Query<SamplesParams>,
) -> Result<Json<RouterSampleList>, crate::ApiError> {
    Ok(Json(RouterSampleList {
        items: billing_app::insight::monitoring::samples::list(&state.ctx, id, p.hours).await?,
    }))
}
