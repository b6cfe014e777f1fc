//! `/api/pppoe/*`: profiles (sync from the routers), PPPoE users (the secrets of
//! subscriptions) and manual isolate / restore with a reason.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_app::network::pppoe::{PppoeUser, Profile};
use billing_domain::Permission as P;
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
        .add(Staff(P::PppoeRead), routes!(profiles))
        .add(Staff(P::PppoeWrite), routes!(sync))
        .add(Staff(P::PppoeWrite), routes!(create_profile))
        .add(Staff(P::PppoeRead), routes!(users))
        .add(Staff(P::PppoeWrite), routes!(create))
        .add(Staff(P::PppoeWrite), routes!(remove))
        .add(Staff(P::PppoeWrite), routes!(password))
        .add(Staff(P::IsolationRun), routes!(isolate))
        .add(Staff(P::IsolationRun), routes!(restore))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RouterParams {
    pub router_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileList {
    pub items: Vec<Profile>,
    /// Routers that could not be read at this sync (`name: why`); their profiles are as last
    /// read.
    pub not_read: Vec<String>,
}

/// Profiles as last synced (with the plans that use them).
#[utoipa::path(get, operation_id = "list_pppoe_profiles", path = "/pppoe/profiles", tag = "pppoe",
    params(RouterParams), security(("bearer" = [])), responses((status = 200, body = ProfileList)))]
pub async fn profiles(
    State(s): State<HttpState>,
    _u: AuthUser,
    Query(p): Query<RouterParams>,
) -> Result<Json<ProfileList>, ApiError> {
    Ok(Json(ProfileList {
        items: billing_app::network::pppoe::profiles(&s.ctx, p.router_id).await?,
        not_read: Vec::new(),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SyncBody {
    /// One router; all routers when absent.
    pub router_id: Option<Uuid>,
}

/// Reads the profiles of the router(s), updates the local copy, deactivates the missing.
#[utoipa::path(post, operation_id = "sync_pppoe_profiles", path = "/pppoe/profiles/sync", tag = "pppoe",
    request_body = SyncBody, security(("bearer" = [])),
    responses((status = 200, body = ProfileList), (status = 502, body = ErrorBody)))]
pub async fn sync(
    State(s): State<HttpState>,
    _u: AuthUser,
    body: axum::body::Bytes,
) -> Result<Json<ProfileList>, ApiError> {
    // The body is optional: no body syncs every router.
    let router_id = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<SyncBody>(&body)
            .map_err(|e| ApiError::BadRequest(format!("invalid JSON body: {e}")))?
            .router_id
    };
    // One router: it must be read. All of them: one that is off does not stop the others.
    let (items, not_read) = match router_id {
        Some(id) => (
            billing_app::network::pppoe::sync_profiles(&s.ctx, Some(id)).await?,
            Vec::new(),
        ),
        None => {
            let report = billing_app::network::pppoe::sync_all(&s.ctx).await?;
            (
                billing_app::network::pppoe::profiles(&s.ctx, None).await?,
                report.failed,
            )
        }
    };
    Ok(Json(ProfileList { items, not_read }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewProfileBody {
    /// `ppp` for PPPoE plans, `hotspot` for hotspot plans.
    pub kind: Option<String>,
    pub name: Option<String>,
    /// `rx/tx`, e.g. `10M/10M`.
    pub rate_limit: Option<String>,
}

/// Makes a plan's missing profile on the router (with the app's marker); a name the router
/// already has is refused (409). Returns the router's profiles as read after.
#[utoipa::path(post, operation_id = "create_router_profile", path = "/routers/{id}/profiles",
    tag = "pppoe", request_body = NewProfileBody, security(("bearer" = [])),
    responses((status = 201, body = ProfileList), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn create_profile(
    State(s): State<HttpState>,
    u: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<NewProfileBody>,
) -> Result<(StatusCode, Json<ProfileList>), ApiError> {
    let items = billing_app::network::pppoe::create_profile(
        &s.ctx,
        id,
        &u.0.username,
        billing_app::network::pppoe::NewProfileInput {
            kind: b.kind,
            name: b.name,
            rate_limit: b.rate_limit,
        },
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ProfileList {
            items,
            not_read: Vec::new(),
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PppoeUserList {
    pub items: Vec<PppoeUser>,
}

/// PPPoE subscriptions with their router and queued router commands.
#[utoipa::path(get, operation_id = "list_pppoe_users", path = "/pppoe/users", tag = "pppoe",
    params(RouterParams), security(("bearer" = [])), responses((status = 200, body = PppoeUserList)))]
pub async fn users(
    State(s): State<HttpState>,
    _u: AuthUser,
    Query(p): Query<RouterParams>,
) -> Result<Json<PppoeUserList>, ApiError> {
    Ok(Json(PppoeUserList {
        items: billing_app::network::pppoe::users(&s.ctx, p.router_id).await?,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    pub subscription_id: Uuid,
    pub router_id: Uuid,
}

/// Creates the PPPoE secret of a subscription on a router (moving it off another one).
#[utoipa::path(post, operation_id = "create_pppoe_user", path = "/pppoe/users", tag = "pppoe",
    request_body = AssignBody, security(("bearer" = [])),
    responses((status = 201, body = PppoeUser), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<HttpState>,
    u: AuthUser,
    ApiJson(b): ApiJson<AssignBody>,
) -> Result<(StatusCode, Json<PppoeUser>), ApiError> {
    let user =
        billing_app::network::pppoe::assign(&s.ctx, &u.0.username, b.subscription_id, b.router_id)
            .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordBody {
    pub password: String,
}

/// Changes the login password (here and on the router).
#[utoipa::path(put, operation_id = "set_pppoe_password", path = "/pppoe/users/{id}/password", tag = "pppoe",
    request_body = PasswordBody, security(("bearer" = [])),
    responses((status = 200, body = PppoeUser), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn password(
    State(s): State<HttpState>,
    u: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<PasswordBody>,
) -> Result<Json<PppoeUser>, ApiError> {
    Ok(Json(
        billing_app::network::pppoe::change_password(&s.ctx, &u.0.username, id, &b.password)
            .await?,
    ))
}

/// Removes the subscription's secret from its router.
#[utoipa::path(delete, operation_id = "delete_pppoe_user", path = "/pppoe/users/{id}", tag = "pppoe",
    security(("bearer" = [])), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn remove(
    State(s): State<HttpState>,
    u: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    billing_app::network::pppoe::unassign(&s.ctx, &u.0.username, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReasonBody {
    /// Why (kept in the audit log).
    pub reason: String,
}

/// Isolates a subscription by hand.
#[utoipa::path(post, operation_id = "isolate_pppoe_user", path = "/pppoe/users/{id}/isolate", tag = "pppoe",
    request_body = ReasonBody, security(("bearer" = [])),
    responses((status = 200, body = PppoeUser), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn isolate(
    State(s): State<HttpState>,
    u: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> Result<Json<PppoeUser>, ApiError> {
    Ok(Json(
        billing_app::network::pppoe::set_isolated(&s.ctx, &u.0.username, id, true, &b.reason)
            .await?,
    ))
}

/// Restores an isolated subscription by hand.
#[utoipa::path(post, operation_id = "restore_pppoe_user", path = "/pppoe/users/{id}/restore", tag = "pppoe",
    request_body = ReasonBody, security(("bearer" = [])),
    responses((status = 200, body = PppoeUser), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn restore(
    State(s): State<HttpState>,
    u: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<ReasonBody>,
) -> Result<Json<PppoeUser>, ApiError> {
    Ok(Json(
        billing_app::network::pppoe::set_isolated(&s.ctx, &u.0.username, id, false, &b.reason)
            .await?,
    ))
}
