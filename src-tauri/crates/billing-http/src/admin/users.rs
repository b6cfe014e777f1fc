//! `/api/admin/users`: staff accounts (owner and admins).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_app::access::users::{User, UserChange};
use billing_domain::Permission as P;
use billing_domain::UserId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;
use uuid::Uuid;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::Path;
use crate::extract::{ApiJson, AuthUser};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::UsersManage), routes!(list, create))
        .add(Staff(P::UsersManage), routes!(update))
        .add(Staff(P::UsersManage), routes!(reset_password))
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = StaffUserList)]
pub struct UserList {
    pub items: Vec<User>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = NewStaffUser)]
pub struct NewUser {
    pub username: String,
    /// At least 10 characters.
    pub password: String,
    /// owner (owner only), admin, cashier or technician.
    pub role: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = UpdateStaffUser)]
pub struct UpdateUser {
    pub role: Option<String>,
    /// Disabling ends the user's sessions and access tokens at once.
    pub disabled: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = ResetPasswordRequest)]
pub struct ResetPassword {
    pub password: String,
}

/// Every account.
#[utoipa::path(get, operation_id = "list_users", path = "/admin/users", tag = "users",
    security(("bearer" = [])), responses((status = 200, body = UserList)))]
pub async fn list(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<UserList>, ApiError> {
    Ok(Json(UserList {
        items: billing_app::access::users::list(&state.ctx).await?,
    }))
}

/// Adds a staff account.
#[utoipa::path(post, operation_id = "create_user", path = "/admin/users", tag = "users",
    request_body = NewUser, security(("bearer" = [])),
    responses((status = 201, body = User), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<HttpState>,
    AuthUser(actor): AuthUser,
    ApiJson(b): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let user =
        billing_app::access::users::create(&state.ctx, &actor, &b.username, &b.password, &b.role)
            .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// Changes a user's role, or disables/enables them.
#[utoipa::path(patch, operation_id = "update_user", path = "/admin/users/{id}", tag = "users",
    request_body = UpdateUser, params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = User), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<HttpState>,
    AuthUser(actor): AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<UpdateUser>,
) -> Result<Json<User>, ApiError> {
    let change = UserChange {
        role: b.role,
        disabled: b.disabled,
    };
    Ok(Json(
        billing_app::access::users::update(&state.ctx, &actor, UserId(id), change).await?,
    ))
}

/// Sets a new password for a user; their sessions end.
#[utoipa::path(put, operation_id = "reset_user_password", path = "/admin/users/{id}/password",
    tag = "users", request_body = ResetPassword, params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<HttpState>,
    AuthUser(actor): AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<ResetPassword>,
) -> Result<StatusCode, ApiError> {
    billing_app::access::users::reset_password(&state.ctx, &actor, UserId(id), &b.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
