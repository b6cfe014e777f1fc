//! Who may call which admin route. Every route of `/api/*` is declared with what it requires
//! (in its resource module, see [`Routes`](super::routes::Routes)); the [`authorize`] layer
//! runs before every handler and looks the rule up in the table those declarations make, so a
//! handler cannot forget the check, and a route without a rule is refused for everyone (fail
//! closed).
//! What each role holds is decided in one place: [`billing_domain::Role::allows`].

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use billing_app::access::auth::TokenRejection;
use billing_app::access::current_user::CurrentUser;
use billing_domain::{Permission as P, Role};
use std::sync::Arc;

use crate::{ApiError, HttpState};

/// What a route requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No token (login, first-run setup, the API document).
    Public,
    /// Any logged-in account (who am I, my sessions).
    AnyUser,
    /// A reseller account (their own stock and sales).
    Reseller,
    /// A staff account whose role holds the permission.
    Staff(P),
    /// A staff account with the permission, or a reseller (the handler limits them to
    /// their own data).
    StaffOrReseller(P),
}

impl Access {
    /// Whether an account of `role` passes this check.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Public | Access::AnyUser => true,
            Access::Reseller => role == Role::Reseller,
            Access::Staff(p) => role.is_staff() && role.allows(p),
            Access::StaffOrReseller(p) => role == Role::Reseller || role.allows(p),
        }
    }
}

use Access::Public;

/// The access rule of every admin route: method, path (as in the OpenAPI document), access.
/// Derived: each resource module declares its routes with their rules (see
/// [`Routes`](super::routes::Routes)); a route nobody gave a rule is refused.
#[derive(Debug, Clone, Default)]
pub struct AccessTable(Vec<(Method, String, Access)>);

impl AccessTable {
    pub(crate) fn new(rules: impl IntoIterator<Item = (Method, String, Access)>) -> AccessTable {
        AccessTable(rules.into_iter().collect())
    }

    /// What `method path` requires; `None` for a route nobody listed (refused).
    pub fn access(&self, method: &Method, path: &str) -> Option<Access> {
        self.0
            .iter()
            .find(|(m, p, _)| m == method && p == path)
            .map(|(_, _, access)| *access)
    }

    /// Every rule: (method, path, access).
    pub fn iter(&self) -> impl Iterator<Item = (&Method, &str, Access)> {
        self.0.iter().map(|(m, p, a)| (m, p.as_str(), *a))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The table of the admin API, as its router is built with it.
pub fn table() -> AccessTable {
    super::api().access
}

/// Every permission a role holds, for the dashboard's menus (`/api/auth/me`).
pub fn permissions_of(role: Role) -> Vec<String> {
    P::ALL
        .into_iter()
        .filter(|p| role.allows(*p))
        .map(permission_name)
        .collect()
}

pub fn permission_name(p: P) -> String {
    serde_json::to_value(p)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The layer in front of every admin route: authenticates, authorises against the table,
/// logs refusals to the security log and names the actor for the activity log.
pub async fn authorize(
    State((state, table)): State<(HttpState, Arc<AccessTable>)>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let path = if path.starts_with("/api/") {
        path
    } else {
        format!("/api{path}")
    };
    let peer_ip = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let client_ip = peer_ip.map(|ip| ip.to_string());
    let user_agent = crate::extract::user_agent(req.headers());
    let client = billing_app::access::auth::Client {
        remote_addr: client_ip.as_deref(),
        user_agent: user_agent.as_deref(),
    };
    let method = req.method().clone();
    let Some(access) = table.access(&method, &path) else {
        tracing::error!(%method, %path, "admin route without an access rule; refused");
        return ApiError::Forbidden("this route has no access rule".into()).into_response();
    };
    if access == Public {
        return next.run(req).await;
    }
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let ticket = (authorization.is_none() && path == EVENTS)
        .then(|| event_ticket(req.uri().query()))
        .flatten();
    let user = match ticket {
        // `EventSource` cannot send headers: the event stream takes a single-use ticket.
        Some(ticket) => match state.ctx.ops.event_tickets.redeem(&ticket) {
            Some(user) => user,
            None => {
                let err = ApiError::Unauthorized(
                    "the event ticket is unknown, used or expired; ask for a new one".into(),
                );
                return state
                    .limits
                    .refused(peer_ip)
                    .err()
                    .unwrap_or(err)
                    .into_response();
            }
        },
        None => match authenticate(&state, authorization.as_deref(), client).await {
            Ok(user) => user,
            // Someone trying tokens gets 429 instead of 401 once past a small budget.
            Err(err) => {
                return state
                    .limits
                    .refused(peer_ip)
                    .err()
                    .unwrap_or(err)
                    .into_response()
            }
        },
    };
    if let Err(err) = state.limits.account(user.id.0) {
        return err.into_response();
    }
    if !access.allows(user.role) {
        let detail = format!("{method} {path} refused for role {}", user.role.as_str());
        let params = serde_json::json!({
            "method": method.as_str(), "path": path, "role": user.role.as_str()
        });
        log_event(
            &state,
            "forbidden",
            Some(&user.username),
            &detail,
            params,
            client,
        )
        .await;
        return ApiError::Forbidden(format!(
            "your role ({}) may not do this",
            user.role.as_str()
        ))
        .into_response();
    }
    let actor = billing_app::access::audit::Actor {
        user_id: user.id.0,
        username: user.username.clone(),
        client_ip,
        request: format!("{method} {path}"),
    };
    req.extensions_mut().insert(user);
    billing_app::access::audit::with_actor(actor, next.run(req)).await
}

/// The live event stream, the one route that takes a ticket instead of the header.
const EVENTS: &str = "/api/events";

fn event_ticket(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "ticket")
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty())
}

async fn authenticate(
    state: &HttpState,
    authorization: Option<&str>,
    client: billing_app::access::auth::Client<'_>,
) -> Result<CurrentUser, ApiError> {
    let header = authorization
        .ok_or_else(|| ApiError::Unauthorized("log in first (no access token)".into()))?;
    let token = header
        .strip_prefix("Bearer ")
        .ok_or_else(|| {
            ApiError::Unauthorized("the Authorization header must be 'Bearer <token>'".into())
        })?
        .trim();
    match billing_app::access::auth::authenticate(&state.ctx, token).await {
        Ok(user) => Ok(user),
        Err((rejection, err)) => {
            let kind = match rejection {
                TokenRejection::Invalid => "token_invalid",
                TokenRejection::Expired => "token_expired",
                TokenRejection::Revoked => "token_revoked",
            };
            // Expired tokens are routine (the dashboard refreshes); not worth a log line.
            if rejection != TokenRejection::Expired {
                let detail = format!(
                    "access token {} refused",
                    billing_app::access::security::token_fingerprint(token)
                );
                let params = serde_json::json!({
                    "token": billing_app::access::security::token_fingerprint(token)
                });
                log_event(state, kind, None, &detail, params, client).await;
            }
            Err(err.into())
        }
    }
}

async fn log_event(
    state: &HttpState,
    kind: &str,
    username: Option<&str>,
    detail: &str,
    params: serde_json::Value,
    client: billing_app::access::auth::Client<'_>,
) {
    if let Err(err) =
        billing_app::access::security::record(&state.ctx, kind, username, detail, params, client)
            .await
    {
        tracing::error!(error = ?err, "could not write the security log");
    }
}
