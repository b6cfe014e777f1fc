use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_domain::Permission as P;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use super::access::Access::{Public, Staff};
use super::auth::TokenResponse;
use super::routes::Routes;
use crate::extract::{ApiJson, AuthUser};
use crate::{ApiError, HttpState};

/// The routes that take a password or a first-run choice: `admin::api` puts the
/// credentials rate limit around them.
pub(crate) fn credentials() -> Routes {
    Routes::new()
        .add(Public, routes!(create_owner))
        // Refused by the use-case once an owner exists (like /setup/owner).
        .add(Public, routes!(test_database))
        .add(Public, routes!(choose_database))
}

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Public, routes!(status))
        .add(Staff(P::SampleData), routes!(sample_data))
        .add(Staff(P::SettingsRead), routes!(checklist))
}

/// What the shop still has to set up (business details, public address, a way to pay,
/// WhatsApp, a router, a backup), each item with where it is done; the home screen shows it
/// until every item is done.
#[utoipa::path(get, path = "/setup/checklist", tag = "setup", security(("bearer" = [])),
    responses((status = 200, body = billing_app::ops::checklist::SetupChecklist),
        (status = 401, body = crate::error::ErrorBody)))]
pub async fn checklist(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<billing_app::ops::checklist::SetupChecklist>, ApiError> {
    Ok(Json(
        billing_app::ops::checklist::checklist(&state.ctx).await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SetupStatus {
    /// True until the first owner account exists; the dashboard then shows the first-run screen.
    pub needs_owner: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateOwnerRequest {
    pub username: String,
    pub password: String,
}

/// Whether the first-run screen must be shown.
#[utoipa::path(get, path = "/setup/status", tag = "setup",
    responses((status = 200, body = SetupStatus)))]
pub async fn status(State(state): State<HttpState>) -> Result<Json<SetupStatus>, ApiError> {
    let needs_owner = billing_app::access::auth::needs_owner(&state.ctx).await?;
    Ok(Json(SetupStatus { needs_owner }))
}

/// Creates the first owner account (only while none exists) and logs it in.
#[utoipa::path(post, path = "/setup/owner", tag = "setup", request_body = CreateOwnerRequest,
    responses(
        (status = 201, body = TokenResponse),
        (status = 409, description = "an owner already exists", body = crate::error::ErrorBody),
        (status = 422, description = "invalid username or password", body = crate::error::ErrorBody)))]
pub async fn create_owner(
    State(state): State<HttpState>,
    ApiJson(body): ApiJson<CreateOwnerRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    let pair =
        billing_app::access::auth::create_first_owner(&state.ctx, &body.username, &body.password)
            .await?;
    Ok((StatusCode::CREATED, Json(pair.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DatabaseTestRequest {
    /// `postgres://user:password@host:5432/database` (add `?sslmode=require` for TLS).
    pub url: String,
}

/// Tests a remote PostgreSQL server for the first-run wizard (only while no owner exists).
#[utoipa::path(post, path = "/setup/database/test", tag = "setup",
    request_body = DatabaseTestRequest,
    responses(
        (status = 200, body = billing_app::ops::setup::DatabaseCheck),
        (status = 409, description = "setup is finished (an owner exists)", body = crate::error::ErrorBody),
        (status = 422, description = "the URL is not a PostgreSQL address", body = crate::error::ErrorBody)))]
pub async fn test_database(
    State(state): State<HttpState>,
    ApiJson(body): ApiJson<DatabaseTestRequest>,
) -> Result<Json<billing_app::ops::setup::DatabaseCheck>, ApiError> {
    Ok(Json(
        billing_app::ops::setup::test_remote(&state.ctx, &body.url).await?,
    ))
}

/// Records the database server for the next start: `local` (the default), or `remote` with a
/// URL that must pass the connection test (only while no owner exists). A failed test records
/// nothing and is returned with `ok: false`.
#[utoipa::path(put, path = "/setup/database", tag = "setup",
    request_body = billing_app::ops::setup::DatabaseChoiceInput,
    responses(
        (status = 200, body = billing_app::ops::setup::DatabaseCheck),
        (status = 409, description = "setup is finished (an owner exists)", body = crate::error::ErrorBody),
        (status = 422, description = "the URL is not a PostgreSQL address", body = crate::error::ErrorBody)))]
pub async fn choose_database(
    State(state): State<HttpState>,
    ApiJson(body): ApiJson<billing_app::ops::setup::DatabaseChoiceInput>,
) -> Result<Json<billing_app::ops::setup::DatabaseCheck>, ApiError> {
    Ok(Json(
        billing_app::ops::setup::choose(&state.ctx, body).await?,
    ))
}

/// Fills an empty database with the sample data set (plans, customers, subscriptions,
/// invoices, payments; names end in "(contoh)") so a new owner can try the app first. Owner
/// only; refused when the database already holds customers; all or nothing.
#[utoipa::path(post, path = "/setup/sample-data", tag = "setup", security(("bearer" = [])),
    responses(
        (status = 201, body = billing_app::ops::sample_data::SampleSummary),
        (status = 403, description = "only the owner may add sample data", body = crate::error::ErrorBody),
        (status = 409, description = "the database already holds customers", body = crate::error::ErrorBody)))]
pub async fn sample_data(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
) -> Result<
    (
        StatusCode,
        Json<billing_app::ops::sample_data::SampleSummary>,
    ),
    ApiError,
> {
    let summary = billing_app::ops::sample_data::seed(&state.ctx, Some(user.id), None).await?;
    Ok((StatusCode::CREATED, Json(summary)))
}
