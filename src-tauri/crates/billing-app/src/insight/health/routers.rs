//! The routers on the health page: reachability (probed in the background, see
//! [`crate::network::reachability`]) and the last status check.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::AppContext;

use super::{check, HealthCheck, HealthStatus};

type RouterRow = (
    Uuid,
    String,
    String,
    i32,
    String,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

pub(super) async fn checks(
    ctx: &AppContext,
    now: DateTime<Utc>,
) -> Result<Vec<HealthCheck>, sqlx::Error> {
    let rows: Vec<RouterRow> = sqlx::query_as(
        "select id, name, host, port, status, last_error, last_seen_at, status_since, recovered_at \
         from routers order by name",
    )
    .fetch_all(&ctx.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, host, port, status, last_error, last_seen, since, recovered)| {
            let target = if host.contains(':') && !host.starts_with('[') {
                format!("[{host}]:{port}")
            } else {
                format!("{host}:{port}")
            };
            let probe = ctx.ops.routers.get(id, &target, now);
            let addr = ("address", target.clone());
            let mut c = match (&probe, status.as_str()) {
                (Some(p), db_status) => match &p.result {
                    Ok(ms) if db_status == "offline" && last_error.is_some() => {
                        let err = last_error.clone().unwrap_or_default();
                        check(
                            "router", Some(id.to_string()), &name, HealthStatus::Warning,
                            "router_login_failed",
                            &[addr, ("ms", ms.to_string()), ("error", err.clone())],
                            format!("{target} answers ({ms} ms), but the last API login failed: {err}"),
                        )
                    }
                    Ok(ms) => check(
                        "router", Some(id.to_string()), &name, HealthStatus::Ok, "router_ok",
                        &[addr, ("ms", ms.to_string())],
                        format!("answers at {target} ({ms} ms)"),
                    ),
                    Err(reason) => check(
                        "router", Some(id.to_string()), &name, HealthStatus::Down,
                        "router_unreachable",
                        &[addr, ("reason", reason.clone()), ("why", why(reason).into())],
                        format!("cannot be reached at {target}: {reason}"),
                    ),
                },
                (None, "online") => check(
                    "router", Some(id.to_string()), &name, HealthStatus::Ok, "router_online",
                    &[addr, ("seen", last_seen.map(|t| t.to_rfc3339()).unwrap_or_default())],
                    format!("online at the last status check ({target})"),
                ),
                (None, "offline") => {
                    let err = last_error.clone().unwrap_or_default();
                    check(
                        "router", Some(id.to_string()), &name, HealthStatus::Down,
                        "router_offline", &[addr, ("error", err.clone())],
                        format!("offline at the last status check ({target}): {err}"),
                    )
                }
                (None, _) => check(
                    "router", Some(id.to_string()), &name, HealthStatus::Warning,
                    "router_unchecked", &[addr],
                    format!("not checked yet ({target})"),
                ),
            };
            c.checked_at = probe.map(|p| p.checked_at).or(last_seen);
            c.since = since;
            c.recovered_at = recovered;
            c
        })
        .collect())
}

/// The kind of a failed probe (see `network::reachability`), for the dashboard's words:
/// `refused`, `timeout`, `closed`, `reset` or `other`.
fn why(reason: &str) -> &'static str {
    if reason.starts_with("the connection was refused") {
        "refused"
    } else if reason.starts_with("no answer within") {
        "timeout"
    } else if reason.starts_with("the router accepted the connection and closed it") {
        "closed"
    } else if reason.starts_with("the router reset the connection") {
        "reset"
    } else {
        "other"
    }
}
