//! The health page: the database, each router, each WhatsApp session, each enabled gateway,
//! the scheduler and the backups, and disk space — each with a status (`ok`, `warning`,
//! `down`), a sentence in plain words and a code (+ values) the dashboard translates.
//! Nothing here waits on a router: their reachability is probed in the background.

mod problems;
mod routers;
mod services;
mod system;

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::Serialize;

pub use problems::HealthProblem;

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
    /// In this status since (when known).
    pub since: Option<DateTime<Utc>>,
    /// When it last came back after a failure (when known).
    pub recovered_at: Option<DateTime<Utc>>,
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
    /// Since when the database has not answered (while it is down).
    pub down_since: Option<DateTime<Utc>>,
    /// When the connection last came back by itself.
    pub recovered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Health {
    /// The worst status of all parts: the worst of `problems`, `ok` when there is none.
    pub status: HealthStatus,
    /// Every part that is not `ok`, worst first, each with what to do: the top of the health
    /// page, and the one source of `status`.
    pub problems: Vec<HealthProblem>,
    pub app_version: String,
    pub checked_at: DateTime<Utc>,
    pub database: DatabaseHealth,
    pub routers: Vec<HealthCheck>,
    pub whatsapp: Vec<HealthCheck>,
    pub gateways: Vec<HealthCheck>,
    /// The scheduler and the daily backup.
    pub jobs: Vec<HealthCheck>,
    pub disk: Vec<HealthCheck>,
    /// Where the secrets are kept (a warning when not in an OS keyring service).
    pub secrets: HealthCheck,
    /// The newest report of the daily retention job (what it removed, the periods it kept);
    /// none before its first run. Informative: it does not change `status`.
    pub retention: Option<crate::ops::jobs::RetentionRun>,
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
        since: None,
        recovered_at: None,
    }
}

/// Checks everything; never fails (a part that cannot be checked is reported as such).
pub async fn report(ctx: &AppContext, app_version: &str) -> Health {
    let now = ctx.clock.now();
    let (database, routers, whatsapp, gateways, jobs) = tokio::join!(
        database(ctx),
        routers::checks(ctx, now),
        services::whatsapp(ctx),
        services::gateways(ctx, now),
        system::jobs(ctx, now),
    );
    let disk = system::disk(ctx).await;
    let retention = crate::ops::jobs::last_retention(ctx)
        .await
        .inspect_err(|err| tracing::warn!(error = %err, "health: cannot read the retention report"))
        .ok()
        .flatten();
    let mut health = Health {
        status: HealthStatus::Ok,
        problems: Vec::new(),
        app_version: app_version.to_owned(),
        checked_at: now,
        database,
        routers: unread(routers, "router", "routers"),
        whatsapp: unread(whatsapp, "whatsapp", "WhatsApp sessions"),
        gateways: unread(gateways, "gateway", "payment gateways"),
        jobs: unread(jobs, "scheduler", "jobs"),
        disk,
        secrets: secrets(ctx),
        retention,
    };
    health.problems = problems::collect(&health);
    health.status = health
        .problems
        .iter()
        .map(|p| p.check.status)
        .max()
        .unwrap_or(HealthStatus::Ok);
    health
}

fn secrets(ctx: &AppContext) -> HealthCheck {
    let backend = ctx.secrets.backend().to_owned();
    match ctx.secrets.warning() {
        Some(warning) => check(
            "secrets",
            None,
            "secrets",
            HealthStatus::Warning,
            if backend == "encrypted-file" {
                "secrets_in_file"
            } else {
                "secrets_not_persistent"
            },
            &[("backend", backend)],
            warning,
        ),
        None => check(
            "secrets",
            None,
            "secrets",
            HealthStatus::Ok,
            "secrets_keyring",
            &[("backend", backend.clone())],
            format!("secrets are kept in the OS keyring ({backend})"),
        ),
    }
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
    let (down_since, recovered_at) = ctx.ops.database_outage(result.is_ok(), ctx.clock.now());
    match result {
        Ok((version, name)) => {
            let version = version
                .split_whitespace()
                .next()
                .unwrap_or(&version)
                .to_owned();
            let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            let pending = crate::ops::backups::pending_restore(ctx);
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
                down_since,
                recovered_at,
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
                down_since,
                recovered_at,
            }
        }
    }
}
