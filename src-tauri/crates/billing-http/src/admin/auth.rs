use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_app::access::auth::TokenPair;
use billing_domain::Permission as P;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use super::access::Access::{self, Public, Staff};
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::{AnyUser, ApiJson, ClientInfo};
use crate::{ApiError, HttpState};

/// The routes that take a password or a first-run choice: `admin::api` puts the
/// credentials rate limit around them.
pub(crate) fn credentials() -> Routes {
    Routes::new().add(Public, routes!(login))
}

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Public, routes!(refresh))
        .add(Public, routes!(logout))
        .add(Access::AnyUser, routes!(me))
        .add(Access::AnyUser, routes!(sessions))
        .add(Access::AnyUser, routes!(end_session))
        .add(Access::AnyUser, routes!(logout_everywhere))
        .add(Access::AnyUser, routes!(totp_status))
        .add(Staff(P::SecondFactor), routes!(totp_setup))
        .add(Staff(P::SecondFactor), routes!(totp_enable))
        .add(Staff(P::SecondFactor), routes!(totp_disable))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The 6-digit code, for accounts with the second factor on (422 with field `totp`
    /// when it is needed and missing).
    pub totp: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TotpCode {
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TotpStatus {
    pub enabled: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Short-lived JWT, sent as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Single-use token for `POST /api/auth/refresh`; it rotates on every use.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub token_type: &'static str,
}

impl From<TokenPair> for TokenResponse {
    fn from(pair: TokenPair) -> Self {
        Self {
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
            expires_in: pair.expires_in,
            token_type: "Bearer",
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: uuid::Uuid,
    pub username: String,
    pub role: String,
    /// What this role may do (the dashboard shows only these menus; the server decides).
    pub permissions: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LoginSessionList)]
pub struct SessionList {
    pub items: Vec<billing_app::access::users::Session>,
}

/// Logs in with username and password.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "wrong username or password", body = ErrorBody),
        (status = 429, description = "too many failed attempts", body = ErrorBody)))]
pub async fn login(
    State(state): State<HttpState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let pair = billing_app::access::auth::login_with_code(
        &state.ctx,
        &body.username,
        &body.password,
        body.totp.as_deref(),
        client.client(),
    )
    .await?;
    Ok(Json(pair.into()))
}

/// Exchanges a refresh token for a new pair (the old refresh token is spent).
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = ErrorBody)))]
pub async fn refresh(
    State(state): State<HttpState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let pair = billing_app::access::auth::refresh(&state.ctx, &body.refresh_token, client.client())
        .await?;
    Ok(Json(pair.into()))
}

/// Ends the session that the refresh token belongs to.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "logged out")))]
pub async fn logout(
    State(state): State<HttpState>,
    client: ClientInfo,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<StatusCode, ApiError> {
    billing_app::access::auth::logout(&state.ctx, &body.refresh_token, client.client()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The logged-in user.
#[utoipa::path(get, path = "/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(AnyUser(user): AnyUser) -> Json<Me> {
    Json(Me {
        id: user.id.0,
        permissions: super::access::permissions_of(user.role),
        username: user.username,
        role: user.role.as_str().to_owned(),
    })
}

/// The caller's active login sessions.
#[utoipa::path(get, operation_id = "list_sessions", path = "/auth/sessions", tag = "auth",
    security(("bearer" = [])), responses((status = 200, body = SessionList)))]
pub async fn sessions(
    State(state): State<HttpState>,
    AnyUser(user): AnyUser,
) -> Result<Json<SessionList>, ApiError> {
    Ok(Json(SessionList {
        items: billing_app::access::users::sessions(&state.ctx, &user).await?,
    }))
}

/// Ends one of the caller's sessions.
#[utoipa::path(delete, operation_id = "end_session", path = "/auth/sessions/{id}", tag = "auth",
    params(("id" = uuid::Uuid, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn end_session(
    State(state): State<HttpState>,
    AnyUser(user): AnyUser,
    crate::extract::Path(id): crate::extract::Path<uuid::Uuid>,
) -> Result<StatusCode, ApiError> {
    billing_app::access::users::end_session(&state.ctx, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Logs out everywhere: every session ends and every access token stops working.
#[utoipa::path(post, operation_id = "logout_everywhere", path = "/auth/logout-everywhere",
    tag = "auth", security(("bearer" = [])), responses((status = 204)))]
pub async fn logout_everywhere(
    State(state): State<HttpState>,
    AnyUser(user): AnyUser,
    client: ClientInfo,
) -> Result<StatusCode, ApiError> {
    billing_app::access::users::logout_everywhere(&state.ctx, &user, client.client()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether the caller has the second factor on.
#[utoipa::path(get, operation_id = "totp_status", path = "/auth/totp", tag = "auth",
    security(("bearer" = [])), responses((status = 200, body = TotpStatus)))]
pub async fn totp_status(
    State(state): State<HttpState>,
    AnyUser(user): AnyUser,
) -> Result<Json<TotpStatus>, ApiError> {
    Ok(Json(TotpStatus {
        enabled: billing_app::access::totp::is_enabled(&state.ctx, user.id).await?,
    }))
}

/// Starts setting up the second factor (owner and admin accounts): a new secret.
#[utoipa::path(post, operation_id = "totp_setup", path = "/auth/totp/setup", tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, body = billing_app::access::totp::TotpSetup),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn totp_setup(
    State(state): State<HttpState>,
    AnyUser(user): AnyUser,
) -> Result<Json<billing_app::access::totp::TotpSetup>, ApiError> {
    Ok(Json(
        billing_app::access::totp::begin_setup(&state.ctx, &user).await?,
    ))
}

/// Confirms the set-up with a code; login asks for a code from then on.
#[utoipa::path(post, operation_id = "totp_enable", path = "/auth/totp/enable", tag = "auth",
    request_body = TotpCode, security(("bearer" = [])),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn totp_enable(
    State(state): State<HttpState>,
    AnyUser(user): AnyUser,
    ApiJson(body): ApiJson<TotpCode>,
) -> Result<StatusCode, ApiError> {
    billing_app::access::totp::enable(&state.ctx, &user, &body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Turns the second factor off (needs a current code).
#[utoipa::path(post, operation_id = "totp_disable", path = "/auth/totp/disable", tag = "auth",
    request_body = TotpCode, security(("bearer" = [])),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn totp_disable(
    State(state): State<HttpState>,
    AnyUser(user): AnyUser,
    ApiJson(body): ApiJson<TotpCode>,
) -> Result<StatusCode, ApiError> {
    billing_app::access::totp::disable(&state.ctx, &user, &body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}
