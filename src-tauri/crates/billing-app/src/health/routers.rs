//! Router reachability for the health page: a TCP connection to the router's API port,
//! probed in the background and cached for a few seconds, so the page never waits for a
//! router that does not answer.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::io::AsyncReadExt;
use uuid::Uuid;

use crate::operations::Operations;
use crate::AppContext;

use super::{check, HealthCheck, HealthStatus};

/// A probe result is reused this long; older ones are refreshed in the background.
const FRESH: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_millis(1500);
/// A RouterOS API port says nothing until spoken to; one that closes the connection within
/// this time does not serve us.
const CLOSE_WAIT: Duration = Duration::from_millis(150);

#[derive(Debug, Clone)]
pub(crate) struct Probe {
    pub target: String,
    pub at: Instant,
    pub checked_at: DateTime<Utc>,
    /// Connect time in ms, or why it failed.
    pub result: Result<u64, String>,
}

#[derive(Debug, Default)]
pub struct RouterReachability {
    entries: Mutex<HashMap<Uuid, Probe>>,
    in_flight: Mutex<HashSet<Uuid>>,
}

impl RouterReachability {
    pub(crate) fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }

    /// The last connect time of every probed router (`None` when it did not answer).
    pub(crate) fn round_trips(&self) -> Vec<(Uuid, Option<u64>)> {
        self.entries
            .lock()
            .map(|e| {
                e.iter()
                    .map(|(id, p)| (*id, p.result.clone().ok()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The cached probe of `id` at `target` (None if never probed or the address changed);
    /// starts a background probe when there is none or it is stale.
    pub(crate) fn get(
        ops: &Arc<Operations>,
        id: Uuid,
        target: &str,
        now: DateTime<Utc>,
    ) -> Option<Probe> {
        let me = &ops.routers;
        let cached = me
            .entries
            .lock()
            .ok()
            .and_then(|e| e.get(&id).cloned())
            .filter(|p| p.target == target);
        let fresh = cached.as_ref().is_some_and(|p| p.at.elapsed() < FRESH);
        if !fresh {
            let start = me
                .in_flight
                .lock()
                .map(|mut f| f.insert(id))
                .unwrap_or(false);
            if start {
                let ops = ops.clone();
                let target = target.to_owned();
                tokio::spawn(async move {
                    let result = probe(&target).await;
                    let entry = Probe {
                        target,
                        at: Instant::now(),
                        checked_at: now,
                        result,
                    };
                    if let Ok(mut e) = ops.routers.entries.lock() {
                        e.insert(id, entry);
                    }
                    if let Ok(mut f) = ops.routers.in_flight.lock() {
                        f.remove(&id);
                    }
                });
            }
        }
        cached
    }
}

async fn probe(target: &str) -> Result<u64, String> {
    let started = Instant::now();
    let mut stream =
        match tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(target)).await {
            Err(_) => {
                return Err(format!(
                    "no answer within {} s",
                    CONNECT_TIMEOUT.as_secs_f32()
                ))
            }
            Ok(Err(e)) => return Err(describe(&e)),
            Ok(Ok(s)) => s,
        };
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let mut buf = [0u8; 1];
    match tokio::time::timeout(CLOSE_WAIT, stream.read(&mut buf)).await {
        Ok(Ok(0)) => Err(
            "the router accepted the connection and closed it at once (is the API service \
             enabled and allowed from this PC?)"
                .into(),
        ),
        Ok(Err(e)) => Err(describe(&e)),
        _ => Ok(ms),
    }
}

fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused (router off, or the API port closed)".into()
        }
        std::io::ErrorKind::ConnectionReset => "the router reset the connection".into(),
        _ => e.to_string(),
    }
}

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
            let probe = RouterReachability::get(&ctx.ops, id, &target, now);
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
                        &[addr, ("reason", reason.clone())],
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
