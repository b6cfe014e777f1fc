//! The health page: the database, each router, each WhatsApp session, each enabled gateway,
//! the scheduler and the backups, and disk space — each with a status (`ok`, `warning`,
//! `down`), a sentence in plain words and a code (+ values) the dashboard translates.
//! Nothing here waits on a router: their reachability is probed in the background.

mod routers;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use uuid::Uuid;

pub use routers::RouterReachability;

use crate::AppContext;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    Ok,
    Warning,
    Down,
}

/// One checked part.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HealthCheck {
    /// `router`, `whatsapp`, `gateway`, `scheduler`, `backup` or `disk`.
    pub kind: String,
    /// The router's, session's or gateway's id or code, or the folder.
    pub id: Option<String>,
    pub name: String,
    pub status: HealthStatus,
    /// What was found, for the dashboard's translation (e.g. `router_unreachable`).
    pub code: String,
    /// Values the translated text uses.
    pub params: BTreeMap<String, String>,
    /// What was found, in plain English.
    pub detail: String,
    pub checked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DatabaseHealth {
    pub status: HealthStatus,
    pub code: String,
    pub params: BTreeMap<String, String>,
    pub detail: String,
    /// e.g. `PostgreSQL 15.18`.
    pub server_version: Option<String>,
    pub latency_ms: Option<u64>,
    /// `local` (the app's own cluster) or `remote`.
    pub mode: String,
    /// The database in use.
    pub name: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// The worst status of all parts.
    pub status: HealthStatus,
    pub app_version: String,
    pub checked_at: DateTime<Utc>,
    pub database: DatabaseHealth,
    pub routers: Vec<HealthCheck>,
    pub whatsapp: Vec<HealthCheck>,
    pub gateways: Vec<HealthCheck>,
    /// The scheduler and the daily backup.
    pub jobs: Vec<HealthCheck>,
    pub disk: Vec<HealthCheck>,
}

impl Health {
    fn worst(&self) -> HealthStatus {
        [
            &self.routers,
            &self.whatsapp,
            &self.gateways,
            &self.jobs,
            &self.disk,
        ]
        .into_iter()
        .flatten()
        .map(|c| c.status)
        .chain([self.database.status])
        .max()
        .unwrap_or(HealthStatus::Ok)
    }
}

pub(crate) fn check(
    kind: &str,
    id: Option<String>,
    name: impl Into<String>,
    status: HealthStatus,
    code: &str,
    params: &[(&str, String)],
    detail: String,
) -> HealthCheck {
    HealthCheck {
        kind: kind.into(),
        id,
        name: name.into(),
        status,
        code: code.into(),
        params: params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
        detail,
        checked_at: None,
    }
}

/// Checks everything; never fails (a part that cannot be checked is reported as such).
pub async fn report(ctx: &AppContext, app_version: &str) -> Health {
    let now = ctx.clock.now();
    let (database, routers, whatsapp, gateways, jobs) = tokio::join!(
        database(ctx),
        self::routers_checks(ctx, now),
        whatsapp(ctx),
        gateways(ctx, now),
        jobs(ctx, now),
    );
    let disk = disk(ctx).await;
    let mut health = Health {
        status: HealthStatus::Ok,
        app_version: app_version.to_owned(),
        checked_at: now,
        database,
        routers: unread(routers, "router", "routers"),
        whatsapp: unread(whatsapp, "whatsapp", "WhatsApp sessions"),
        gateways: unread(gateways, "gateway", "payment gateways"),
        jobs: unread(jobs, "scheduler", "jobs"),
        disk,
    };
    health.status = health.worst();
    health
}

fn unread(
    result: Result<Vec<HealthCheck>, sqlx::Error>,
    kind: &str,
    what: &str,
) -> Vec<HealthCheck> {
    result.unwrap_or_else(|err| {
        tracing::warn!(error = %err, what, "health: cannot read");
        vec![check(
            kind,
            None,
            what,
            HealthStatus::Warning,
            "unreadable",
            &[("what", what.to_owned())],
            format!("the {what} could not be read from the database"),
        )]
    })
}

async fn database(ctx: &AppContext) -> DatabaseHealth {
    let started = Instant::now();
    let result: Result<(String, String), _> =
        sqlx::query_as("select current_setting('server_version'), current_database()::text")
            .fetch_one(&ctx.pool)
            .await;
    let mode = ctx.ops.server.mode.to_owned();
    match result {
        Ok((version, name)) => {
            let version = version
                .split_whitespace()
                .next()
                .unwrap_or(&version)
                .to_owned();
            let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let pending = crate::backups::pending_restore(ctx);
            let (status, code, detail, mut params) = match &pending {
                Some(p) => (
                    HealthStatus::Warning,
                    "database_restore_pending",
                    format!(
                        "PostgreSQL {version} answers in {ms} ms. A restored backup is in use; \
                         the data from before is kept in {} until you confirm or undo the \
                         restore",
                        p.previous_database
                    ),
                    vec![("previous", p.previous_database.clone())],
                ),
                None => (
                    HealthStatus::Ok,
                    "database_ok",
                    format!("PostgreSQL {version} answers in {ms} ms"),
                    vec![],
                ),
            };
            params.push(("version", version.clone()));
            params.push(("ms", ms.to_string()));
            let c = check("database", None, &name, status, code, &params, detail);
            DatabaseHealth {
                status,
                code: c.code,
                params: c.params,
                detail: c.detail,
                server_version: Some(format!("PostgreSQL {version}")),
                latency_ms: Some(ms),
                mode,
                name: Some(name),
            }
        }
        Err(err) => {
            tracing::warn!(error = %err, "database health check failed");
            let reason = match &err {
                sqlx::Error::PoolTimedOut => "no connection could be made in time".to_owned(),
                other => other.to_string(),
            };
            DatabaseHealth {
                status: HealthStatus::Down,
                code: "database_down".into(),
                params: [("reason".to_owned(), reason.clone())]
                    .into_iter()
                    .collect(),
                detail: format!("the database does not answer: {reason}"),
                server_version: None,
                latency_ms: None,
                mode,
                name: None,
            }
        }
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
);

async fn routers_checks(
    ctx: &AppContext,
    now: DateTime<Utc>,
) -> Result<Vec<HealthCheck>, sqlx::Error> {
    let rows: Vec<RouterRow> = sqlx::query_as(
        "select id, name, host, port, status, last_error, last_seen_at from routers order by name",
    )
    .fetch_all(&ctx.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, host, port, status, last_error, last_seen)| {
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
            c
        })
        .collect())
}

type SessionRow = (
    Uuid,
    String,
    String,
    bool,
    String,
    Option<String>,
    Option<DateTime<Utc>>,
);

async fn whatsapp(ctx: &AppContext) -> Result<Vec<HealthCheck>, sqlx::Error> {
    let rows: Vec<SessionRow> = sqlx::query_as(
        "select id, name, provider, enabled, status, last_error, status_changed_at \
         from whatsapp_sessions order by position, name",
    )
    .fetch_all(&ctx.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, provider, enabled, status, last_error, changed)| {
                let id = Some(id.to_string());
                let p = ("provider", provider.clone());
                let mut c = match (enabled, status.as_str()) {
                    (false, _) => check(
                        "whatsapp",
                        id,
                        &name,
                        HealthStatus::Ok,
                        "whatsapp_disabled",
                        &[p],
                        "switched off".into(),
                    ),
                    (true, "healthy") => check(
                        "whatsapp",
                        id,
                        &name,
                        HealthStatus::Ok,
                        "whatsapp_ok",
                        &[p],
                        format!("connected ({provider})"),
                    ),
                    (true, "pairing") => check(
                        "whatsapp",
                        id,
                        &name,
                        HealthStatus::Warning,
                        "whatsapp_pairing",
                        &[p],
                        "waiting to be paired: scan the QR code on the WhatsApp page".into(),
                    ),
                    (true, "failed") => {
                        let err = last_error.unwrap_or_else(|| "unknown error".into());
                        check(
                            "whatsapp",
                            id,
                            &name,
                            HealthStatus::Down,
                            "whatsapp_failed",
                            &[p, ("error", err.clone())],
                            format!("not working: {err}"),
                        )
                    }
                    _ => check(
                        "whatsapp",
                        id,
                        &name,
                        HealthStatus::Warning,
                        "whatsapp_unchecked",
                        &[p],
                        "not checked yet".into(),
                    ),
                };
                c.checked_at = changed;
                c
            },
        )
        .collect())
}

async fn gateways(ctx: &AppContext, now: DateTime<Utc>) -> Result<Vec<HealthCheck>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "select gateway, environment from gateway_settings where enabled order by gateway",
    )
    .fetch_all(&ctx.pool)
    .await?;
    let bad: Vec<(String, i64)> = sqlx::query_as(
        "select split_part(detail, ':', 1), count(*) from security_events \
         where kind = 'webhook_bad_signature' and occurred_at > $1 group by 1",
    )
    .bind(now - Duration::hours(24))
    .fetch_all(&ctx.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, environment)| {
            let id = Some(code.clone());
            let env = ("environment", environment.clone());
            if ctx.gateways.get(&code).is_none() {
                return check(
                    "gateway",
                    id,
                    &code,
                    HealthStatus::Down,
                    "gateway_no_key",
                    &[env],
                    "enabled, but its key is missing from the OS keyring: enter it again under \
                     Settings"
                        .into(),
                );
            }
            if let Some((at, error)) = ctx.gateways.last_error(&code) {
                let mut c = check(
                    "gateway",
                    id,
                    &code,
                    HealthStatus::Warning,
                    "gateway_error",
                    &[env, ("error", error.clone())],
                    format!("configured ({environment}); the last status check failed: {error}"),
                );
                c.checked_at = Some(at);
                return c;
            }
            match bad.iter().find(|(g, _)| *g == code) {
                Some((_, n)) => check(
                    "gateway",
                    id,
                    &code,
                    HealthStatus::Warning,
                    "gateway_bad_signatures",
                    &[env, ("count", n.to_string())],
                    format!(
                        "configured ({environment}); {n} callbacks with a bad signature in \
                             the last 24 hours (wrong key, or someone probing)"
                    ),
                ),
                None => check(
                    "gateway",
                    id,
                    &code,
                    HealthStatus::Ok,
                    "gateway_ok",
                    &[env],
                    format!("configured ({environment})"),
                ),
            }
        })
        .collect())
}

async fn jobs(ctx: &AppContext, now: DateTime<Utc>) -> Result<Vec<HealthCheck>, sqlx::Error> {
    let mut out = vec![if ctx.ops.scheduler_enabled {
        check(
            "scheduler",
            None,
            "scheduler",
            HealthStatus::Ok,
            "scheduler_ok",
            &[],
            "running: billing, payment checks, router status, WhatsApp and backups run by \
             themselves"
                .into(),
        )
    } else {
        check(
            "scheduler",
            None,
            "scheduler",
            HealthStatus::Warning,
            "scheduler_off",
            &[],
            "switched off (billing.jobs = false): nothing runs by itself".into(),
        )
    }];
    let (daily, keep): (bool, i32) =
        sqlx::query_as("select daily_enabled, keep from backup_settings")
            .fetch_one(&ctx.pool)
            .await?;
    let (last, last_ok) = crate::backups::latest(ctx).await?;
    let mut c = match (&last, &last_ok) {
        (Some(l), _) if l.status == "failed" => {
            let err = l.error.clone().unwrap_or_default();
            check(
                "backup",
                Some(l.id.to_string()),
                "backup",
                HealthStatus::Down,
                "backup_failed",
                &[("error", err.clone())],
                format!("the last backup failed: {err}"),
            )
        }
        (_, Some(ok)) if daily && now - ok.started_at > Duration::hours(26) => {
            let days = (now - ok.started_at).num_days().max(1);
            check(
                "backup",
                Some(ok.id.to_string()),
                "backup",
                HealthStatus::Warning,
                "backup_old",
                &[("days", days.to_string())],
                format!("the last backup is {days} day(s) old"),
            )
        }
        (_, Some(ok)) => check(
            "backup",
            Some(ok.id.to_string()),
            "backup",
            HealthStatus::Ok,
            "backup_ok",
            &[("keep", keep.to_string())],
            format!("the last backup was made and verified; the newest {keep} are kept"),
        ),
        (_, None) => check(
            "backup",
            None,
            "backup",
            HealthStatus::Warning,
            "backup_none",
            &[],
            "no backup yet: make one on the Backups page".into(),
        ),
    };
    c.checked_at = last.map(|l| l.started_at);
    out.push(c);
    Ok(out)
}

/// Free space where the data and the backups live; a missing second folder is a warning.
async fn disk(ctx: &AppContext) -> Vec<HealthCheck> {
    let folders: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("select folder, copy_folder from backup_settings")
            .fetch_optional(&ctx.pool)
            .await
            .ok()
            .flatten();
    let (folder, copy) = folders.unwrap_or((None, None));
    let mut out = vec![space("data", &ctx.ops.data_dir)];
    if let Some(folder) = folder {
        let path = Path::new(&folder);
        if !path.starts_with(&ctx.ops.data_dir) {
            out.push(space("backups", path));
        }
    }
    if let Some(copy) = copy {
        let path = Path::new(&copy);
        out.push(if path.is_dir() {
            space("copy", path)
        } else {
            check(
                "disk",
                Some(copy.clone()),
                "copy",
                HealthStatus::Warning,
                "disk_copy_missing",
                &[("folder", copy.clone())],
                format!("the second backup folder {copy} is not there (USB disk unplugged?)"),
            )
        });
    }
    out
}

const GIB: u64 = 1 << 30;

fn space(name: &str, path: &Path) -> HealthCheck {
    let folder = path.display().to_string();
    let probe = crate::backups::existing_ancestor(path)
        .map(|p| (fs4::available_space(p), fs4::total_space(p)));
    match probe {
        Some((Ok(free), Ok(total))) => {
            let status = if free < GIB / 5 {
                HealthStatus::Down
            } else if free < GIB || free.saturating_mul(20) < total {
                HealthStatus::Warning
            } else {
                HealthStatus::Ok
            };
            let code = match status {
                HealthStatus::Ok => "disk_ok",
                _ => "disk_low",
            };
            let (f, t) = (gib(free), gib(total));
            check(
                "disk",
                Some(folder.clone()),
                name,
                status,
                code,
                &[
                    ("folder", folder.clone()),
                    ("free_gib", f.clone()),
                    ("total_gib", t.clone()),
                ],
                format!("{f} GiB free of {t} GiB at {folder}"),
            )
        }
        _ => check(
            "disk",
            Some(folder.clone()),
            name,
            HealthStatus::Warning,
            "disk_unknown",
            &[("folder", folder.clone())],
            format!("the free space of {folder} is unknown"),
        ),
    }
}

fn gib(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10) / GIB;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_shown_in_gib_with_one_decimal() {
        assert_eq!(gib(0), "0.0");
        assert_eq!(gib(GIB + GIB / 2), "1.5");
        assert_eq!(gib(250 * GIB), "250.0");
    }

    #[test]
    fn the_worst_part_decides() {
        assert!(HealthStatus::Down > HealthStatus::Warning);
        assert!(HealthStatus::Warning > HealthStatus::Ok);
    }
}
