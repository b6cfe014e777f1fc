//! `/api/routers*` and `/api/reconcile/*`: routers, their status and live sessions, the
//! router outbox, the audit log, and reconciliation.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_app::network::outbox::{AuditEntry, OutboxEntry};
use billing_app::network::reconcile::{ReconcileReport, RepairReport};
use billing_app::network::routers::{ConnectionReport, Router, RouterInput, UnsavedRouter};
use billing_app::ports::RemoteSession;
use billing_domain::Permission as P;
use secrecy::SecretString;
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
        .add(Staff(P::RoutersRead), routes!(list))
        .add(Staff(P::RoutersWrite), routes!(create))
        .add(Staff(P::RoutersRead), routes!(refresh))
        .add(Staff(P::RoutersRead), routes!(commands))
        .add(Staff(P::RoutersWrite), routes!(deliver))
        .add(Staff(P::RoutersRead), routes!(audit))
        .add(Staff(P::RoutersRead), routes!(get))
        .add(Staff(P::RoutersWrite), routes!(update, delete))
        .add(Staff(P::RoutersRead), routes!(test))
        .add(Staff(P::RoutersWrite), routes!(test_unsaved))
        .add(Staff(P::RoutersWrite), routes!(trust_certificate))
        .add(Staff(P::RoutersRead), routes!(sessions))
        .add(Staff(P::RoutersWrite), routes!(kick))
        .add(Staff(P::RoutersRead), routes!(reconcile))
        .add(Staff(P::RoutersWrite), routes!(repair))
}

/// A router to add, or the fields to change (absent fields stay as they are).
#[derive(Debug, Deserialize, ToSchema)]
pub struct RouterBody {
    pub name: Option<String>,
    /// IP address or host name of the router's API service.
    pub host: Option<String>,
    /// Default 8728, or 8729 with TLS.
    pub port: Option<i32>,
    pub tls: Option<bool>,
    pub api_user: Option<String>,
    /// Stored only in the OS keyring; never returned.
    pub password: Option<String>,
    /// Profile for isolated subscribers (default `isolir`), created on the router if missing.
    pub isolation_profile: Option<String>,
    /// Rate limit of that profile (default `256k/256k`).
    pub isolation_rate_limit: Option<String>,
    /// Address list a redirect rule uses for the "please pay" page (default `isolir`).
    pub isolation_address_list: Option<String>,
}

impl From<RouterBody> for RouterInput {
    fn from(b: RouterBody) -> Self {
        RouterInput {
            name: b.name,
            host: b.host,
            port: b.port,
            tls: b.tls,
            api_user: b.api_user,
            password: b.password.map(SecretString::from),
            isolation_profile: b.isolation_profile,
            isolation_rate_limit: b.isolation_rate_limit,
            isolation_address_list: b.isolation_address_list,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RouterList {
    pub items: Vec<Router>,
}

/// Lists routers with their last known status.
#[utoipa::path(get, operation_id = "list_routers", path = "/routers", tag = "routers",
    security(("bearer" = [])), responses((status = 200, body = RouterList)))]
pub async fn list(State(s): State<HttpState>, _u: AuthUser) -> Result<Json<RouterList>, ApiError> {
    Ok(Json(RouterList {
        items: billing_app::network::routers::list(&s.ctx).await?,
    }))
}

/// Adds a router (the password goes to the OS keyring).
#[utoipa::path(post, operation_id = "create_router", path = "/routers", tag = "routers",
    request_body = RouterBody, security(("bearer" = [])),
    responses((status = 201, body = Router), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn create(
    State(s): State<HttpState>,
    _u: AuthUser,
    ApiJson(b): ApiJson<RouterBody>,
) -> Result<(StatusCode, Json<Router>), ApiError> {
    let router = billing_app::network::routers::create(&s.ctx, b.into()).await?;
    // Its profiles are read in the background, so plans are checked against it at once.
    billing_app::network::pppoe::refresh_in_background(&s.ctx, router.id);
    Ok((StatusCode::CREATED, Json(router)))
}

/// One router.
#[utoipa::path(get, operation_id = "get_router", path = "/routers/{id}", tag = "routers",
    security(("bearer" = [])), responses((status = 200, body = Router), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Router>, ApiError> {
    Ok(Json(billing_app::network::routers::get(&s.ctx, id).await?))
}

/// Changes a router (and its password, if given).
#[utoipa::path(patch, operation_id = "update_router", path = "/routers/{id}", tag = "routers",
    request_body = RouterBody, security(("bearer" = [])),
    responses((status = 200, body = Router), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<RouterBody>,
) -> Result<Json<Router>, ApiError> {
    Ok(Json(
        billing_app::network::routers::update(&s.ctx, id, b.into()).await?,
    ))
}

/// Deletes a router no subscription uses (and its password from the keyring).
#[utoipa::path(delete, operation_id = "delete_router", path = "/routers/{id}", tag = "routers",
    security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    billing_app::network::routers::delete(&s.ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tests the connection: identity, version, board, and the API user's rights in plain words.
#[utoipa::path(post, operation_id = "test_router", path = "/routers/{id}/test", tag = "routers",
    security(("bearer" = [])),
    responses((status = 200, body = ConnectionReport), (status = 404, body = ErrorBody)))]
pub async fn test(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<ConnectionReport>, ApiError> {
    Ok(Json(
        billing_app::network::routers::test_connection(&s.ctx, id).await?,
    ))
}

/// The add/edit router form's connection fields, to test before saving.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RouterTestBody {
    pub host: Option<String>,
    /// Default 8728, or 8729 with TLS.
    pub port: Option<i32>,
    pub tls: Option<bool>,
    pub api_user: Option<String>,
    /// Absent while editing: the stored password of `router_id` is used.
    pub password: Option<String>,
    /// The router being edited, if any.
    pub router_id: Option<Uuid>,
}

/// Tests a connection with the form's host, port, TLS, user and password before the router is
/// saved; nothing is stored (no router, no password, no status). Same report as
/// `POST /routers/{id}/test`.
#[utoipa::path(post, operation_id = "test_unsaved_router", path = "/routers/test", tag = "routers",
    request_body = RouterTestBody, security(("bearer" = [])),
    responses((status = 200, body = ConnectionReport), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn test_unsaved(
    State(s): State<HttpState>,
    _u: AuthUser,
    ApiJson(b): ApiJson<RouterTestBody>,
) -> Result<Json<ConnectionReport>, ApiError> {
    let input = UnsavedRouter {
        host: b.host,
        port: b.port,
        tls: b.tls,
        api_user: b.api_user,
        password: b.password.map(SecretString::from),
        router_id: b.router_id,
    };
    Ok(Json(
        billing_app::network::routers::test_unsaved(&s.ctx, input).await?,
    ))
}

/// The api-ssl certificate to trust, as the connection test showed it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TrustCertificateBody {
    /// SHA-256 fingerprint: 64 hex digits; colons, spaces and case are ignored. RouterOS shows
    /// it as `fingerprint` in `/certificate print detail`.
    pub sha256: String,
}

/// Trusts the router's api-ssl certificate by its SHA-256 fingerprint: from then on only that
/// certificate is accepted. The router must present exactly that certificate now; the answer
/// is a new connection test.
#[utoipa::path(post, operation_id = "trust_router_certificate",
    path = "/routers/{id}/trust-certificate", tag = "routers",
    params(("id" = Uuid, Path)), request_body = TrustCertificateBody, security(("bearer" = [])),
    responses((status = 200, body = ConnectionReport), (status = 404, body = ErrorBody),
              (status = 409, description = "the router presents another certificate", body = ErrorBody),
              (status = 422, description = "not a fingerprint, or the router does not use TLS", body = ErrorBody),
              (status = 502, description = "the router could not be reached", body = ErrorBody)))]
pub async fn trust_certificate(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<TrustCertificateBody>,
) -> Result<Json<ConnectionReport>, ApiError> {
    Ok(Json(
        billing_app::network::routers::trust_certificate(&s.ctx, id, &body.sha256).await?,
    ))
}

/// Refreshes the status (online, CPU, memory, uptime) of every router now.
#[utoipa::path(post, operation_id = "refresh_routers", path = "/routers/refresh", tag = "routers",
    security(("bearer" = [])), responses((status = 200, body = RouterList)))]
pub async fn refresh(
    State(s): State<HttpState>,
    _u: AuthUser,
) -> Result<Json<RouterList>, ApiError> {
    Ok(Json(RouterList {
        items: billing_app::network::routers::refresh_status(&s.ctx).await?,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub items: Vec<RemoteSession>,
}

/// The live `/ppp/active` of a router.
#[utoipa::path(get, operation_id = "list_router_sessions", path = "/routers/{id}/sessions", tag = "routers",
    security(("bearer" = [])),
    responses((status = 200, body = SessionList), (status = 404, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn sessions(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<SessionList>, ApiError> {
    Ok(Json(SessionList {
        items: billing_app::network::pppoe::sessions(&s.ctx, id).await?,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct KickBody {
    /// The PPPoE login whose sessions end.
    pub login: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KickResult {
    pub sessions_ended: usize,
}

/// Disconnects a live session (it redials with its current profile). Audited.
#[utoipa::path(post, operation_id = "kick_router_session", path = "/routers/{id}/sessions/kick", tag = "routers",
    request_body = KickBody, security(("bearer" = [])),
    responses((status = 200, body = KickResult), (status = 404, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn kick(
    State(s): State<HttpState>,
    u: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<KickBody>,
) -> Result<Json<KickResult>, ApiError> {
    let ended = billing_app::network::pppoe::kick(&s.ctx, &u.0.username, id, &b.login).await?;
    Ok(Json(KickResult {
        sessions_ended: ended,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CommandParams {
    /// Only commands still waiting (default true).
    pub pending: Option<bool>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommandList {
    pub items: Vec<OutboxEntry>,
}

/// The router outbox: writes waiting for delivery (with their last error) or all recent.
#[utoipa::path(get, operation_id = "list_router_commands", path = "/routers/commands", tag = "routers",
    params(CommandParams), security(("bearer" = [])), responses((status = 200, body = CommandList)))]
pub async fn commands(
    State(s): State<HttpState>,
    _u: AuthUser,
    Query(p): Query<CommandParams>,
) -> Result<Json<CommandList>, ApiError> {
    let items = billing_app::network::outbox::list(
        &s.ctx,
        p.pending.unwrap_or(true),
        p.limit.unwrap_or(100),
    )
    .await?;
    Ok(Json(CommandList { items }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryResult {
    pub delivered: usize,
}

/// Delivers due router commands now instead of waiting for the next minute.
#[utoipa::path(post, operation_id = "deliver_router_commands", path = "/routers/commands/deliver", tag = "routers",
    security(("bearer" = [])), responses((status = 200, body = DeliveryResult)))]
pub async fn deliver(
    State(s): State<HttpState>,
    _u: AuthUser,
) -> Result<Json<DeliveryResult>, ApiError> {
    Ok(Json(DeliveryResult {
        delivered: billing_app::network::outbox::deliver(&s.ctx).await?,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditParams {
    pub router_id: Option<Uuid>,
    /// A login (or another target name).
    pub target: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditEntry>,
}

/// Every router write: who, what, before, after, result.
#[utoipa::path(get, operation_id = "list_router_audit", path = "/routers/audit", tag = "routers",
    params(AuditParams), security(("bearer" = [])), responses((status = 200, body = AuditList)))]
pub async fn audit(
    State(s): State<HttpState>,
    _u: AuthUser,
    Query(p): Query<AuditParams>,
) -> Result<Json<AuditList>, ApiError> {
    let items = billing_app::network::outbox::audit(
        &s.ctx,
        p.router_id,
        p.target.as_deref(),
        p.limit.unwrap_or(100),
    )
    .await?;
    Ok(Json(AuditList { items }))
}

/// Compares the router's secrets with the database; changes nothing.
#[utoipa::path(get, operation_id = "check_reconcile", path = "/reconcile/{router_id}", tag = "routers",
    security(("bearer" = [])),
    responses((status = 200, body = ReconcileReport), (status = 404, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn reconcile(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(router_id): Path<Uuid>,
) -> Result<Json<ReconcileReport>, ApiError> {
    Ok(Json(
        billing_app::network::reconcile::check(&s.ctx, router_id).await?,
    ))
}

/// Repairs every difference (through the outbox; audited when applied).
#[utoipa::path(post, operation_id = "repair_reconcile", path = "/reconcile/{router_id}/repair", tag = "routers",
    security(("bearer" = [])),
    responses((status = 200, body = RepairReport), (status = 404, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn repair(
    State(s): State<HttpState>,
    u: AuthUser,
    Path(router_id): Path<Uuid>,
) -> Result<Json<RepairReport>, ApiError> {
    Ok(Json(
        billing_app::network::reconcile::repair(&s.ctx, &u.0.username, router_id).await?,
    ))
}
