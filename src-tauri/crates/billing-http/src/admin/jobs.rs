//! `/api/jobs*`: the scheduled jobs, their runs, and "run now".

use axum::extract::State;
use axum::Json;
use billing_app::ops::jobs::{self, JobRun, JobStatus, Trigger};
use billing_domain::Permission as P;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::AuthUser;
use crate::extract::{Path, Query};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        // The jobs' runs and their errors are operations detail: not for cashiers (the health
        // summary tells them whether all is well).
        .add(Staff(P::MonitoringRead), routes!(list))
        .add(Staff(P::MonitoringRead), routes!(runs))
        .add(Staff(P::SettingsWrite), routes!(run))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobList {
    pub items: Vec<JobStatus>,
}

/// Every scheduled job: its pattern, next run, last run and recent failures.
#[utoipa::path(get, operation_id = "list_jobs", path = "/jobs", tag = "monitoring",
    security(("bearer" = [])), responses((status = 200, body = JobList)))]
pub async fn list(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<JobList>, ApiError> {
    Ok(Json(JobList {
        items: jobs::list(&state.ctx).await?,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RunsParams {
    /// Default 50, at most 500.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobRunList {
    pub items: Vec<JobRun>,
}

/// The last runs of one job, newest first.
#[utoipa::path(get, operation_id = "list_job_runs", path = "/jobs/{name}/runs", tag = "monitoring",
    params(RunsParams), security(("bearer" = [])),
    responses((status = 200, body = JobRunList), (status = 404, body = ErrorBody)))]
pub async fn runs(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(name): Path<String>,
    Query(p): Query<RunsParams>,
) -> Result<Json<JobRunList>, ApiError> {
    Ok(Json(JobRunList {
        items: jobs::runs(&state.ctx, &name, p.limit.unwrap_or(50)).await?,
    }))
}

/// Runs a job now and answers with the recorded run (409 while it is already running).
#[utoipa::path(post, operation_id = "run_job", path = "/jobs/{name}/run", tag = "monitoring",
    security(("bearer" = [])),
    responses((status = 200, body = JobRun), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn run(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(name): Path<String>,
) -> Result<Json<JobRun>, ApiError> {
    Ok(Json(jobs::run(&state.ctx, &name, Trigger::Manual).await?))
}
