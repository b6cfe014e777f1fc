use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ErrorBody;
use crate::extract::AuthUser;
use crate::HttpState;

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Ok,
    Degraded,
}

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ComponentStatus {
    Up,
    Down,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when every part is up, otherwise `degraded`.
    pub status: HealthStatus,
    pub app_version: &'static str,
    pub database: DatabaseHealth,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DatabaseHealth {
    pub status: ComponentStatus,
    pub server_version: Option<String>,
    pub latency_ms: Option<u64>,
}

/// Reports the database status and version.
#[utoipa::path(get, path = "/api/monitoring/health", tag = "monitoring", security(("bearer" = [])),
    responses((status = 200, body = Health), (status = 401, body = ErrorBody)))]
pub async fn health(State(state): State<HttpState>, _user: AuthUser) -> Json<Health> {
    let db = billing_app::health::check_database(&state.ctx).await;
    Json(Health {
        status: if db.up {
            HealthStatus::Ok
        } else {
            HealthStatus::Degraded
        },
        app_version: state.app_version,
        database: DatabaseHealth {
            status: if db.up {
                ComponentStatus::Up
            } else {
                ComponentStatus::Down
            },
            server_version: db.server_version,
            latency_ms: db.latency_ms,
        },
    })
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
