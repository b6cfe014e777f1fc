use axum::extract::State;
use axum::Json;
use billing_app::billing::isolation::{Candidate, QueuedCommand};
use billing_domain::Permission as P;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::routes;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::extract::AuthUser;
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::IsolationRun), routes!(preview))
        .add(Staff(P::IsolationRun), routes!(run))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IsolationPreview {
    pub items: Vec<Candidate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IsolationResult {
    pub isolated: Vec<Candidate>,
    /// Router commands not delivered yet (the router is unreachable); they are retried.
    pub failed: Vec<QueuedCommand>,
}

/// Who would be isolated now (dry run; nothing changes).
#[utoipa::path(get, operation_id = "preview_isolation", path = "/isolation/preview", tag = "isolation", security(("bearer" = [])),
    responses((status = 200, body = IsolationPreview)))]
pub async fn preview(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<IsolationPreview>, ApiError> {
    Ok(Json(IsolationPreview {
        items: billing_app::billing::isolation::preview(&state.ctx).await?,
    }))
}

/// Isolates every overdue subscription (router commands are queued and retried).
#[utoipa::path(post, operation_id = "run_isolation", path = "/isolation/run", tag = "isolation", security(("bearer" = [])),
    responses((status = 200, body = IsolationResult)))]
pub async fn run(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<IsolationResult>, ApiError> {
    let isolated = billing_app::billing::isolation::run(&state.ctx).await?;
    let failed = billing_app::billing::isolation::undelivered(&state.ctx).await?;
    Ok(Json(IsolationResult { isolated, failed }))
}
