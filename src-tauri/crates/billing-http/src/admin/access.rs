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
        None => match authenticate(&state, authorization.as_deref(), client_ip.as_deref()).await {
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
        log_event(
            &state,
            "forbidden",
            Some(&user.username),
            &detail,
            client_ip.as_deref(),
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
    client_ip: Option<&str>,
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
                log_event(state, kind, None, &detail, client_ip).await;
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
    client_ip: Option<&str>,
) {
    if let Err(err) =
        billing_app::access::security::record(&state.ctx, kind, username, detail, client_ip).await
    {
        tracing::error!(error = ?err, "could not write the security log");
    }
}

#[cfg(test)]
mod tmp_old_table {
    use super::Access;
    use super::Access::{AnyUser, Public, Reseller, Staff, StaffOrReseller};
    use billing_domain::Permission as P;

    /// Every route of the admin API: method, path (as in the OpenAPI document), access.
    const OLD_ROUTES: &[(&str, &str, Access)] = &[
        ("GET", "/api/openapi.json", Public),
        ("GET", "/api/setup/status", Public),
        ("POST", "/api/setup/owner", Public),
        // Refused by the use-case once an owner exists (like /api/setup/owner).
        ("POST", "/api/setup/database/test", Public),
        ("PUT", "/api/setup/database", Public),
        ("POST", "/api/setup/sample-data", Staff(P::SampleData)),
        ("POST", "/api/auth/login", Public),
        ("POST", "/api/auth/refresh", Public),
        ("POST", "/api/auth/logout", Public),
        ("GET", "/api/auth/me", AnyUser),
        ("GET", "/api/auth/sessions", AnyUser),
        ("DELETE", "/api/auth/sessions/{id}", AnyUser),
        ("POST", "/api/auth/logout-everywhere", AnyUser),
        ("GET", "/api/auth/totp", AnyUser),
        ("POST", "/api/auth/totp/setup", Staff(P::SecondFactor)),
        ("POST", "/api/auth/totp/enable", Staff(P::SecondFactor)),
        ("POST", "/api/auth/totp/disable", Staff(P::SecondFactor)),
        ("GET", "/api/admin/users", Staff(P::UsersManage)),
        ("POST", "/api/admin/users", Staff(P::UsersManage)),
        ("PATCH", "/api/admin/users/{id}", Staff(P::UsersManage)),
        (
            "PUT",
            "/api/admin/users/{id}/password",
            Staff(P::UsersManage),
        ),
        ("GET", "/api/audit", Staff(P::AuditRead)),
        ("GET", "/api/security/events", Staff(P::SecurityRead)),
        ("GET", "/api/monitoring/health", Staff(P::DashboardView)),
        ("GET", "/api/monitoring/metrics", Staff(P::MonitoringRead)),
        ("GET", "/api/monitoring/alerts", Staff(P::MonitoringRead)),
        (
            "GET",
            "/api/monitoring/alerts/rules",
            Staff(P::MonitoringRead),
        ),
        (
            "POST",
            "/api/monitoring/alerts/rules",
            Staff(P::MonitoringManage),
        ),
        (
            "GET",
            "/api/monitoring/alerts/rules/{id}",
            Staff(P::MonitoringRead),
        ),
        (
            "PUT",
            "/api/monitoring/alerts/rules/{id}",
            Staff(P::MonitoringManage),
        ),
        (
            "DELETE",
            "/api/monitoring/alerts/rules/{id}",
            Staff(P::MonitoringManage),
        ),
        ("GET", "/api/monitoring/settings", Staff(P::MonitoringRead)),
        (
            "PUT",
            "/api/monitoring/settings",
            Staff(P::MonitoringManage),
        ),
        // Opened with a single-use ticket (see `authorize`); each event is filtered by role.
        ("GET", "/api/events", Staff(P::DashboardView)),
        ("POST", "/api/events/ticket", Staff(P::DashboardView)),
        // The jobs' runs and their errors are operations detail: not for cashiers (the health
        // summary tells them whether all is well).
        ("GET", "/api/jobs", Staff(P::MonitoringRead)),
        ("GET", "/api/jobs/{name}/runs", Staff(P::MonitoringRead)),
        ("POST", "/api/jobs/{name}/run", Staff(P::SettingsWrite)),
        ("GET", "/api/imports", Staff(P::ImportsRun)),
        ("POST", "/api/imports/file", Staff(P::ImportsRun)),
        ("POST", "/api/imports/phpnuxbill", Staff(P::ImportsRun)),
        ("POST", "/api/imports/router", Staff(P::ImportsRun)),
        ("GET", "/api/imports/{id}", Staff(P::ImportsRun)),
        ("POST", "/api/imports/{id}/dry-run", Staff(P::ImportsRun)),
        ("POST", "/api/imports/{id}/commit", Staff(P::ImportsRun)),
        ("GET", "/api/backups", Staff(P::BackupsManage)),
        ("POST", "/api/backups/create", Staff(P::BackupsManage)),
        ("GET", "/api/backups/settings", Staff(P::BackupsManage)),
        ("PUT", "/api/backups/settings", Staff(P::BackupsManage)),
        ("GET", "/api/backups/{id}/download", Staff(P::BackupsManage)),
        ("POST", "/api/backups/{id}/verify", Staff(P::BackupsManage)),
        (
            "POST",
            "/api/backups/restore/{id}",
            Staff(P::BackupsRestore),
        ),
        (
            "POST",
            "/api/backups/restore/{id}/confirm",
            Staff(P::BackupsRestore),
        ),
        (
            "POST",
            "/api/backups/restore/{id}/undo",
            Staff(P::BackupsRestore),
        ),
        ("GET", "/api/dashboard/summary", Staff(P::DashboardView)),
        ("GET", "/api/dashboard/home", Staff(P::DashboardView)),
        ("GET", "/api/reports/revenue", Staff(P::ReportsRead)),
        (
            "GET",
            "/api/reports/payments-by-method",
            Staff(P::ReportsRead),
        ),
        (
            "GET",
            "/api/reports/payments-by-cashier",
            Staff(P::ReportsRead),
        ),
        ("GET", "/api/reports/arrears-aging", Staff(P::ReportsRead)),
        ("GET", "/api/reports/subscribers", Staff(P::ReportsRead)),
        (
            "GET",
            "/api/reports/vouchers-by-profile",
            Staff(P::ReportsRead),
        ),
        (
            "GET",
            "/api/reports/vouchers-by-reseller",
            Staff(P::ReportsRead),
        ),
        ("GET", "/api/reports/top-unpaid", Staff(P::ReportsRead)),
        ("GET", "/api/customers", Staff(P::CustomersRead)),
        ("POST", "/api/customers", Staff(P::CustomersWrite)),
        ("GET", "/api/customers/{id}", Staff(P::CustomersRead)),
        ("PATCH", "/api/customers/{id}", Staff(P::CustomersWrite)),
        (
            "GET",
            "/api/customers/{id}/balance",
            Staff(P::CustomersRead),
        ),
        (
            "POST",
            "/api/customers/{id}/balance",
            Staff(P::BalanceAdjust),
        ),
        ("GET", "/api/voucher-profiles", Staff(P::VouchersRead)),
        ("POST", "/api/voucher-profiles", Staff(P::VouchersRouter)),
        (
            "PATCH",
            "/api/voucher-profiles/{id}",
            Staff(P::VouchersRouter),
        ),
        (
            "DELETE",
            "/api/voucher-profiles/{id}",
            Staff(P::VouchersRouter),
        ),
        ("GET", "/api/vouchers", Staff(P::VouchersRead)),
        ("POST", "/api/vouchers/batch", Staff(P::VouchersSell)),
        ("GET", "/api/vouchers/batches", Staff(P::VouchersRead)),
        ("GET", "/api/vouchers/batches/{id}", Staff(P::VouchersRead)),
        ("GET", "/api/vouchers/unique-check", Staff(P::VouchersSell)),
        ("GET", "/api/vouchers/sales", Staff(P::VouchersSell)),
        ("POST", "/api/vouchers/monitor", Staff(P::VouchersRouter)),
        (
            "GET",
            "/api/vouchers/print",
            StaffOrReseller(P::VouchersSell),
        ),
        (
            "GET",
            "/api/vouchers/print-settings",
            Staff(P::VouchersSell),
        ),
        (
            "PUT",
            "/api/vouchers/print-settings",
            Staff(P::VoucherTemplatesWrite),
        ),
        (
            "GET",
            "/api/vouchers/templates/{kind}",
            Staff(P::VouchersSell),
        ),
        (
            "PUT",
            "/api/vouchers/templates/{kind}",
            Staff(P::VoucherTemplatesWrite),
        ),
        (
            "DELETE",
            "/api/vouchers/templates/{kind}",
            Staff(P::VoucherTemplatesWrite),
        ),
        ("GET", "/api/vouchers/{id}/usage", Staff(P::VouchersRead)),
        ("GET", "/api/resellers", Staff(P::ResellersRead)),
        ("POST", "/api/resellers", Staff(P::ResellersWrite)),
        ("PATCH", "/api/resellers/{id}", Staff(P::ResellersWrite)),
        (
            "POST",
            "/api/resellers/{id}/deposits",
            Staff(P::ResellerDeposit),
        ),
        ("GET", "/api/resellers/{id}/ledger", Staff(P::ResellersRead)),
        ("GET", "/api/reseller/me", Reseller),
        ("GET", "/api/reseller/vouchers", Reseller),
        ("GET", "/api/reseller/batches", Reseller),
        ("GET", "/api/reseller/sales", Reseller),
        ("GET", "/api/plans", Staff(P::PlansRead)),
        ("POST", "/api/plans", Staff(P::PlansWrite)),
        ("PATCH", "/api/plans/{id}", Staff(P::PlansWrite)),
        ("DELETE", "/api/plans/{id}", Staff(P::PlansWrite)),
        ("GET", "/api/subscriptions", Staff(P::SubscriptionsRead)),
        ("POST", "/api/subscriptions", Staff(P::SubscriptionsWrite)),
        (
            "GET",
            "/api/subscriptions/{id}",
            Staff(P::SubscriptionsRead),
        ),
        (
            "POST",
            "/api/subscriptions/{id}/renew",
            Staff(P::SubscriptionsWrite),
        ),
        (
            "POST",
            "/api/subscriptions/{id}/terminate",
            Staff(P::SubscriptionsWrite),
        ),
        (
            "POST",
            "/api/subscriptions/{id}/retry-provisioning",
            Staff(P::SubscriptionsWrite),
        ),
        ("GET", "/api/invoices", Staff(P::InvoicesRead)),
        ("GET", "/api/invoices/{id}", Staff(P::InvoicesRead)),
        ("POST", "/api/invoices/{id}/void", Staff(P::InvoicesAdjust)),
        (
            "POST",
            "/api/invoices/{id}/discount",
            Staff(P::InvoicesAdjust),
        ),
        ("GET", "/api/invoices/{id}/receipt", Staff(P::InvoicesRead)),
        ("GET", "/api/invoices/{id}/pay", Staff(P::InvoicesRead)),
        ("POST", "/api/billing/run", Staff(P::BillingRun)),
        ("GET", "/api/payments", Staff(P::PaymentsRead)),
        ("POST", "/api/payments", Staff(P::PaymentsRecord)),
        ("GET", "/api/payments/methods", Staff(P::PaymentsRecord)),
        ("POST", "/api/payments/create", Staff(P::PaymentsRecord)),
        (
            "POST",
            "/api/payments/check-pending",
            Staff(P::PaymentsRecord),
        ),
        ("GET", "/api/payments/{id}", Staff(P::PaymentsRead)),
        ("GET", "/api/payments/{id}/status", Staff(P::PaymentsRead)),
        ("POST", "/api/payments/{id}/check", Staff(P::PaymentsRecord)),
        ("GET", "/api/payments/{id}/proof", Staff(P::PaymentsRead)),
        (
            "POST",
            "/api/payments/{id}/confirm",
            Staff(P::PaymentsRecord),
        ),
        (
            "POST",
            "/api/payments/{id}/reject",
            Staff(P::PaymentsRecord),
        ),
        (
            "POST",
            "/api/payments/{id}/review",
            Staff(P::PaymentsRecord),
        ),
        ("GET", "/api/settings/gateways", Staff(P::SettingsWrite)),
        (
            "PUT",
            "/api/settings/gateways/{code}",
            Staff(P::GatewaysManage),
        ),
        ("GET", "/api/settings/public-url", Staff(P::SettingsRead)),
        ("PUT", "/api/settings/public-url", Staff(P::SettingsWrite)),
        (
            "POST",
            "/api/settings/public-url/check",
            Staff(P::SettingsWrite),
        ),
        ("GET", "/api/settings/business", Staff(P::SettingsRead)),
        ("PUT", "/api/settings/business", Staff(P::SettingsWrite)),
        ("GET", "/api/routers", Staff(P::RoutersRead)),
        ("POST", "/api/routers", Staff(P::RoutersWrite)),
        ("POST", "/api/routers/refresh", Staff(P::RoutersRead)),
        ("GET", "/api/routers/commands", Staff(P::RoutersRead)),
        (
            "POST",
            "/api/routers/commands/deliver",
            Staff(P::RoutersWrite),
        ),
        ("GET", "/api/routers/audit", Staff(P::RoutersRead)),
        ("GET", "/api/routers/{id}", Staff(P::RoutersRead)),
        ("PATCH", "/api/routers/{id}", Staff(P::RoutersWrite)),
        ("DELETE", "/api/routers/{id}", Staff(P::RoutersWrite)),
        ("POST", "/api/routers/{id}/test", Staff(P::RoutersRead)),
        (
            "POST",
            "/api/routers/{id}/trust-certificate",
            Staff(P::RoutersWrite),
        ),
        ("GET", "/api/routers/{id}/sessions", Staff(P::RoutersRead)),
        ("GET", "/api/routers/{id}/samples", Staff(P::RoutersRead)),
        (
            "POST",
            "/api/routers/{id}/sessions/kick",
            Staff(P::RoutersWrite),
        ),
        ("GET", "/api/reconcile/{router_id}", Staff(P::RoutersRead)),
        (
            "POST",
            "/api/reconcile/{router_id}/repair",
            Staff(P::RoutersWrite),
        ),
        ("GET", "/api/pppoe/profiles", Staff(P::PppoeRead)),
        ("POST", "/api/pppoe/profiles/sync", Staff(P::PppoeWrite)),
        ("GET", "/api/pppoe/users", Staff(P::PppoeRead)),
        ("POST", "/api/pppoe/users", Staff(P::PppoeWrite)),
        ("DELETE", "/api/pppoe/users/{id}", Staff(P::PppoeWrite)),
        (
            "PUT",
            "/api/pppoe/users/{id}/password",
            Staff(P::PppoeWrite),
        ),
        (
            "POST",
            "/api/pppoe/users/{id}/isolate",
            Staff(P::IsolationRun),
        ),
        (
            "POST",
            "/api/pppoe/users/{id}/restore",
            Staff(P::IsolationRun),
        ),
        ("GET", "/api/isolation/preview", Staff(P::IsolationRun)),
        ("POST", "/api/isolation/run", Staff(P::IsolationRun)),
        ("GET", "/api/whatsapp/status", Staff(P::WhatsappRead)),
        ("GET", "/api/whatsapp/sessions", Staff(P::WhatsappRead)),
        ("POST", "/api/whatsapp/sessions", Staff(P::WhatsappManage)),
        (
            "POST",
            "/api/whatsapp/sessions/scan",
            Staff(P::WhatsappManage),
        ),
        (
            "PUT",
            "/api/whatsapp/sessions/{id}",
            Staff(P::WhatsappManage),
        ),
        (
            "DELETE",
            "/api/whatsapp/sessions/{id}",
            Staff(P::WhatsappManage),
        ),
        ("POST", "/api/whatsapp/send", Staff(P::WhatsappSend)),
        ("POST", "/api/whatsapp/drain", Staff(P::WhatsappSend)),
        ("GET", "/api/whatsapp/messages", Staff(P::WhatsappRead)),
        (
            "POST",
            "/api/whatsapp/messages/{id}/retry",
            Staff(P::WhatsappSend),
        ),
        ("GET", "/api/whatsapp/templates", Staff(P::WhatsappRead)),
        (
            "PUT",
            "/api/whatsapp/templates/{key}",
            Staff(P::WhatsappManage),
        ),
        (
            "POST",
            "/api/whatsapp/templates/{key}/preview",
            Staff(P::WhatsappRead),
        ),
        ("GET", "/api/whatsapp/settings", Staff(P::WhatsappRead)),
        ("PUT", "/api/whatsapp/settings", Staff(P::WhatsappManage)),
    ];

    #[test]
    fn the_derived_table_is_the_old_one() {
        let table = super::table();
        let mut derived: Vec<String> = table
            .iter()
            .map(|(m, p, a)| format!("{m} {p} {a:?}"))
            .collect();
        let mut old: Vec<String> = OLD_ROUTES
            .iter()
            .map(|(m, p, a)| format!("{m} {p} {a:?}"))
            .collect();
        derived.sort();
        old.sort();
        assert_eq!(derived.len(), 174);
        assert_eq!(derived, old);
    }
}
