use axum::extract::State;
use axum::Json;
use billing_app::health::Health;

use crate::error::ErrorBody;
use crate::extract::AuthUser;
use crate::HttpState;

/// The database, each router (reachability of its API port, probed in the background), each
/// WhatsApp session, each enabled gateway, the scheduler and backups, and disk space — each
/// with `ok`, `warning` or `down` and what was found in plain words.
#[utoipa::path(get, operation_id = "health", path = "/api/monitoring/health", tag = "monitoring",
    security(("bearer" = [])),
    responses((status = 200, body = Health), (status = 401, body = ErrorBody)))]
pub async fn health(State(state): State<HttpState>, _user: AuthUser) -> Json<Health> {
    Json(billing_app::health::report(&state.ctx, state.app_version).await)
}

/// The figures on the dashboard home.
#[utoipa::path(get, operation_id = "dashboard_summary", path = "/api/dashboard/summary", tag = "monitoring",
    security(("bearer" = [])), responses((status = 200, body = billing_app::dashboard::DashboardSummary)))]
pub async fn summary(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<billing_app::dashboard::DashboardSummary>, crate::ApiError> {
    Ok(Json(billing_app::dashboard::summary(&state.ctx).await?))
}
