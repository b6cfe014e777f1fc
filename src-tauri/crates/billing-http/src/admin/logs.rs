//! The activity log (`/api/audit`, sign-ins and sign-outs at `/api/audit/access`) and the
//! security log (`/api/security/events`).

use axum::extract::State;
use axum::Json;
use billing_app::access::access_log::{AccessEvent, AccessQuery};
use billing_app::access::audit::{AuditEntry, AuditQuery};
use billing_app::access::security::{SecurityEvent, SecurityQuery};
use billing_domain::Permission as P;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::extract::AuthUser;
use crate::extract::Query;
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::AuditRead), routes!(audit))
        .add(Staff(P::AuditRead), routes!(access))
        .add(Staff(P::SecurityRead), routes!(security))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditParams {
    /// Table name: customers, plans, invoices, payments, users, routers, …
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Username of whoever made the change (`system` for jobs).
    pub user: Option<String>,
    /// Text in the action, route or before/after values.
    pub q: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ActivityLog)]
pub struct AuditList {
    pub items: Vec<AuditEntry>,
    pub total: i64,
}

/// The activity log, newest first.
#[utoipa::path(get, operation_id = "list_audit", path = "/audit", tag = "logs",
    params(AuditParams), security(("bearer" = [])), responses((status = 200, body = AuditList)))]
pub async fn audit(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<AuditParams>,
) -> Result<Json<AuditList>, ApiError> {
    let query = AuditQuery {
        entity: p.entity,
        entity_id: p.entity_id,
        user: p.user,
        q: p.q,
        from: p.from,
        to: p.to,
        limit: p.limit,
        offset: p.offset,
    };
    let (items, total) = billing_app::access::audit::search(&state.ctx, query).await?;
    Ok(Json(AuditList { items, total }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AccessParams {
    /// Username of the account (or what was typed at a refused sign-in).
    pub user: Option<String>,
    /// `login_succeeded`, `login_failed`, `login_new_address`, `logout`, `token_refreshed`.
    pub kind: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessEventList {
    pub items: Vec<AccessEvent>,
    pub total: i64,
}

/// Sign-ins, refused sign-ins, sign-outs, token refreshes and sign-ins from a new address,
/// newest first (the access part of the activity log).
#[utoipa::path(get, operation_id = "list_access_events", path = "/audit/access", tag = "logs",
    params(AccessParams), security(("bearer" = [])),
    responses((status = 200, body = AccessEventList)))]
pub async fn access(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<AccessParams>,
) -> Result<Json<AccessEventList>, ApiError> {
    let query = AccessQuery {
        user: p.user,
        kind: p.kind,
        from: p.from,
        to: p.to,
        limit: p.limit,
        offset: p.offset,
    };
    let (items, total) = billing_app::access::access_log::search(&state.ctx, query).await?;
    Ok(Json(AccessEventList { items, total }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SecurityParams {
    pub kind: Option<String>,
    /// Text in the detail, username or address.
    pub q: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SecurityEventList {
    pub items: Vec<SecurityEvent>,
    pub total: i64,
}

/// The security log, newest first.
#[utoipa::path(get, operation_id = "list_security_events", path = "/security/events",
    tag = "logs", params(SecurityParams), security(("bearer" = [])),
    responses((status = 200, body = SecurityEventList)))]
pub async fn security(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<SecurityParams>,
) -> Result<Json<SecurityEventList>, ApiError> {
    let query = SecurityQuery {
        kind: p.kind,
        q: p.q,
        from: p.from,
        to: p.to,
        limit: p.limit,
        offset: p.offset,
    };
    let (items, total) = billing_app::access::security::search(&state.ctx, query).await?;
    Ok(Json(SecurityEventList { items, total }))
}
