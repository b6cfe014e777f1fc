//! The job registry: every scheduled job by name and cron pattern, one runner that records
//! each run (trigger, duration, result) and never lets one job run twice at once (a database
//! advisory lock, so it holds across processes too), "run now", and the retention job.
//!
//! Job bodies are plain use-case calls and idempotent, so a missed or doubled run is harmless.

use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::billing::monthly_run::Scope;
use crate::ops::job_names::job_words;
use crate::{AppContext, Error};

/// One job of the registry.
#[derive(Debug, Clone, Copy)]
pub struct JobSpec {
    pub name: &'static str,
    /// Six-field cron pattern (seconds first).
    pub cron: &'static str,
    /// Whether the pattern is in the business time zone (else UTC; for "every N minutes").
    pub business_time: bool,
    /// Whether it also runs once at start, to catch up on what was missed while the PC was off.
    pub at_start: bool,
}

pub const JOBS: &[JobSpec] = &[
    JobSpec {
        name: "billing",
        cron: "0 5 0 * * *",
        business_time: true,
        at_start: true,
    },
    JobSpec {
        name: "payments_check",
        cron: "0 */5 * * * *",
        business_time: false,
        at_start: true,
    },
    JobSpec {
        name: "shop_delivery",
        cron: "5 * * * * *",
        business_time: false,
        at_start: true,
    },
    JobSpec {
        name: "voucher_monitor",
        cron: "15,45 * * * * *",
        business_time: false,
        at_start: true,
    },
    JobSpec {
        name: "router_delivery",
        cron: "0 * * * * *",
        business_time: false,
        at_start: false,
    },
    JobSpec {
        name: "router_status",
        cron: "30 */5 * * * *",
        business_time: false,
        at_start: true,
    },
    JobSpec {
        name: "reconcile",
        cron: "0 41 * * * *",
        business_time: false,
        at_start: false,
    },
    JobSpec {
        name: "profile_sync",
        cron: "0 7 * * * *",
        business_time: false,
        at_start: true,
    },
    JobSpec {
        name: "whatsapp_health",
        cron: "30 * * * * *",
        business_time: false,
        at_start: false,
    },
    JobSpec {
        name: "reminders",
        cron: "0 0 9 * * *",
        business_time: true,
        at_start: false,
    },
    JobSpec {
        name: "backup",
        cron: "20 * * * * *",
        business_time: false,
        at_start: true,
    },
    JobSpec {
        name: "retention",
        cron: "0 0 2 * * *",
        business_time: true,
        at_start: true,
    },
    JobSpec {
        name: "router_samples",
        cron: "45 * * * * *",
        business_time: false,
        at_start: false,
    },
    JobSpec {
        name: "alerts",
        cron: "50 * * * * *",
        business_time: false,
        at_start: false,
    },
    JobSpec {
        name: "sessions_purge",
        cron: "0 17 3 * * *",
        business_time: true,
        at_start: true,
    },
];

/// Why a job ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Schedule,
    Start,
    Manual,
}

impl Trigger {
    fn as_str(self) -> &'static str {
        match self {
            Trigger::Schedule => "schedule",
            Trigger::Start => "start",
            Trigger::Manual => "manual",
        }
    }
}

pub fn spec(name: &str) -> Result<&'static JobSpec, Error> {
    JOBS.iter()
        .find(|j| j.name == name)
        .ok_or(Error::NotFound("job"))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct JobRun {
    pub id: i64,
    pub job: String,
    /// schedule, start (catch-up) or manual ("run now").
    pub trigger: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub duration_ms: i64,
    pub ok: bool,
    /// What a successful run did, in English (the log's line).
    pub summary: String,
    /// What a successful run did, as a code and its values for the dashboard's words
    /// (`jobs.result.<code>`); none for failed runs and runs from before it was recorded.
    #[schema(value_type = Option<JobResult>)]
    pub result: Option<sqlx::types::Json<JobResult>>,
    /// The technical cause of a failed run (English, with its causes).
    pub error: Option<String>,
    /// A failed run's stable code (`database_error`, `router_unreachable`, …).
    pub error_code: Option<String>,
    /// A failed run's category: `critical`, `high`, `medium` or `low`.
    pub error_category: Option<String>,
    /// A failed run in words for the owner: what failed and what to do, in Indonesian and
    /// English.
    #[sqlx(skip)]
    pub failure: Option<crate::failure::Failure>,
}

impl JobRun {
    fn explained(mut self) -> JobRun {
        if let (Some(code), false) = (&self.error_code, self.ok) {
            self.failure = Some(crate::failure::explain(
                crate::failure::lookup(code),
                &job_words(&self.job),
                self.error.as_deref().unwrap_or(""),
            ));
        }
        self
    }
}

const RUN_COLS: &str = "id, job, trigger, started_at, finished_at, duration_ms, ok, summary, \
     error, error_code, error_category, result";

/// A successful run's result: `billing` (`issued`), `billing_isolated` (`issued`,
/// `isolated`), `payments_check`, `shop_delivery`, `voucher_monitor`, `router_delivery`, `router_status`,
/// `reconcile`, `whatsapp_health`, `reminders`, `backup_made`, `backup_not_due`, `retention`,
/// `router_samples`, `alerts`, `sessions_purge`.
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct JobResult {
    pub code: String,
    /// The counts and names the sentence uses.
    #[schema(value_type = Object)]
    pub params: serde_json::Map<String, serde_json::Value>,
}

/// When a job runs, in words the dashboard translates (`jobs.schedule.<kind>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Schedule {
    /// `every_seconds` (`every`), `every_minutes` (`every`), `hourly` (`minute`), `daily`
    /// (`time`, `HH.MM`) or `cron` (a pattern with no simpler words; `pattern`).
    pub kind: String,
    pub every: Option<u32>,
    pub minute: Option<u32>,
    pub time: Option<String>,
    pub pattern: Option<String>,
}

/// A six-field cron pattern (seconds first) in words.
pub fn schedule_words(cron: &str) -> Schedule {
    let words = Schedule {
        kind: "cron".into(),
        every: None,
        minute: None,
        time: None,
        pattern: Some(cron.to_owned()),
    };
    let f: Vec<&str> = cron.split_whitespace().collect();
    let [sec, min, hour, dom, mon, dow] = f[..] else {
        return words;
    };
    if (dom, mon, dow) != ("*", "*", "*") {
        return words;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    let step = |s: &str| s.strip_prefix("*/").and_then(num);
    match (num(sec), min, hour) {
        // "15,45 * * * * *": at two seconds of every minute, evenly spaced.
        (None, "*", "*") => {
            let secs: Option<Vec<u32>> = sec.split(',').map(num).collect();
            match secs.as_deref() {
                Some([a, b]) if b > a && b - a == 30 => Schedule {
                    kind: "every_seconds".into(),
                    every: Some(30),
                    ..words
                },
                _ => words,
            }
        }
        (Some(_), "*", "*") => Schedule {
            kind: "every_minutes".into(),
            every: Some(1),
            ..words
        },
        (Some(_), m, "*") if step(m).is_some() => Schedule {
            kind: "every_minutes".into(),
            every: step(m),
            ..words
        },
        (Some(_), m, "*") if num(m).is_some() => Schedule {
            kind: "hourly".into(),
            minute: num(m),
            ..words
        },
        (Some(_), m, h) => match (num(m), num(h)) {
            (Some(m), Some(h)) if h < 24 && m < 60 => Schedule {
                kind: "daily".into(),
                time: Some(format!("{h:02}.{m:02}")),
                ..words
            },
            _ => words,
        },
        _ => words,
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JobStatus {
    pub name: String,
    pub cron: String,
    /// `cron` in words.
    pub schedule: Schedule,
    /// The pattern's time zone: the business one or UTC.
    pub time_zone: String,
    pub next_run: Option<DateTime<Utc>>,
    pub last_run: Option<JobRun>,
    /// Runs that failed in the last 24 hours.
    pub failures_24h: i64,
}

/// The next time `spec` is due after `after`.
pub fn next_run(spec: &JobSpec, tz: chrono_tz::Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let cron = croner::parser::CronParser::builder()
        .seconds(croner::parser::Seconds::Required)
        .build()
        .parse(spec.cron)
        .ok()?;
    if spec.business_time {
        cron.find_next_occurrence(&after.with_timezone(&tz), false)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    } else {
        cron.find_next_occurrence(&after, false).ok()
    }
}

/// Every job with its next and last run.
pub async fn list(ctx: &AppContext) -> Result<Vec<JobStatus>, Error> {
    let last: Vec<JobRun> = sqlx::query_as::<_, JobRun>(&format!(
        "select distinct on (job) {RUN_COLS} from job_runs order by job, id desc"
    ))
    .fetch_all(&ctx.pool)
    .await?
    .into_iter()
    .map(JobRun::explained)
    .collect();
    let failures: Vec<(String, i64)> = sqlx::query_as(
        "select job, count(*) from job_runs where not ok and started_at > $1 group by job",
    )
    .bind(ctx.clock.now() - chrono::Duration::hours(24))
    .fetch_all(&ctx.pool)
    .await?;
    let now = ctx.clock.now();
    Ok(JOBS
        .iter()
        .map(|j| JobStatus {
            name: j.name.to_owned(),
            cron: j.cron.to_owned(),
            schedule: schedule_words(j.cron),
            time_zone: if j.business_time {
                ctx.tz.name().to_owned()
            } else {
                "UTC".to_owned()
            },
            next_run: next_run(j, ctx.tz, now),
            last_run: last.iter().find(|r| r.job == j.name).cloned(),
            failures_24h: failures
                .iter()
                .find(|(n, _)| n == j.name)
                .map_or(0, |(_, c)| *c),
        })
        .collect())
}

/// The last runs of one job, newest first.
pub async fn runs(ctx: &AppContext, name: &str, limit: i64) -> Result<Vec<JobRun>, Error> {
    spec(name)?;
    Ok(sqlx::query_as::<_, JobRun>(&format!(
        "select {RUN_COLS} from job_runs where job = $1 order by id desc limit $2"
    ))
    .bind(name)
    .bind(limit.clamp(1, 500))
    .fetch_all(&ctx.pool)
    .await?
    .into_iter()
    .map(JobRun::explained)
    .collect())
}

/// Runs a job now and records the run. A job that is already running (here or in another
/// process on the same database) is not started again: `Conflict`.
pub async fn run(ctx: &AppContext, name: &str, trigger: Trigger) -> Result<JobRun, Error> {
    let spec = spec(name)?;
    let mut lock = ctx.pool.acquire().await?;
    let key = format!("mikrobill-job:{}", spec.name);
    let got: bool = sqlx::query_scalar("select pg_try_advisory_lock(hashtext($1))")
        .bind(&key)
        .fetch_one(&mut *lock)
        .await?;
    if !got {
        return Err(Error::conflict(format!(
            "the job {} is already running",
            spec.name
        )));
    }
    let started_at = ctx.clock.now();
    let t0 = Instant::now();
    let result = body(ctx, spec.name, trigger).await;
    let elapsed = t0.elapsed();
    let duration_ms = i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX);
    ctx.ops
        .metrics
        .job_run(spec.name, result.is_ok(), elapsed.as_secs_f64());
    let unlocked = sqlx::query("select pg_advisory_unlock(hashtext($1))")
        .bind(&key)
        .execute(&mut *lock)
        .await;
    if unlocked.is_err() {
        // The connection is suspect: close it, which releases the lock too.
        let _ = lock.close().await;
    }
    let (ok, summary, outcome, error, code) = match &result {
        Ok(o) => (
            true,
            o.summary.clone(),
            serde_json::to_value(&o.result).ok(),
            None,
            None,
        ),
        Err(e) => (
            false,
            String::new(),
            None,
            Some(crate::failure::detail_of(e)),
            Some(crate::failure::classify(e)),
        ),
    };
    let run: JobRun = sqlx::query_as::<_, JobRun>(&format!(
        "insert into job_runs (job, trigger, started_at, finished_at, duration_ms, ok, summary, \
         error, error_code, error_category, result) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         returning {RUN_COLS}"
    ))
    .bind(spec.name)
    .bind(trigger.as_str())
    .bind(started_at)
    .bind(started_at + chrono::Duration::milliseconds(duration_ms))
    .bind(duration_ms)
    .bind(ok)
    .bind(&summary)
    .bind(&error)
    .bind(code.map(|c| c.code))
    .bind(code.map(|c| c.category.as_str()))
    .bind(outcome)
    .fetch_one(&ctx.pool)
    .await?;
    Ok(run.explained())
}

/// What the scheduler calls: runs the job, logs failures, skips quietly when it is busy.
pub async fn run_scheduled(ctx: &AppContext, name: &str, trigger: Trigger) {
    match run(ctx, name, trigger).await {
        Ok(r) if !r.ok => {
            tracing::warn!(
                job = name,
                error = r.error.as_deref().unwrap_or(""),
                "job failed"
            )
        }
        Ok(r) => tracing::debug!(job = name, summary = %r.summary, "job done"),
        Err(Error::Conflict { .. }) => tracing::debug!(job = name, "job still running; skipped"),
        Err(err) => tracing::warn!(job = name, error = %err, "job could not run"),
    }
}

/// What a run did: the English line for the log, and a code with its values that the
/// dashboard words in the owner's language (`jobs.result.<code>`).
struct Outcome {
    summary: String,
    result: JobResult,
}

fn outcome(code: &str, params: serde_json::Value, summary: String) -> Outcome {
    Outcome {
        summary,
        result: JobResult {
            code: code.to_owned(),
            params: match params {
                serde_json::Value::Object(map) => map,
                _ => serde_json::Map::new(),
            },
        },
    }
}

async fn body(ctx: &AppContext, name: &str, trigger: Trigger) -> Result<Outcome, Error> {
    use serde_json::json;
    Ok(match name {
        "billing" => {
            let issued = crate::billing::monthly_run::run(
                ctx,
                Scope::All {
                    through: ctx.today(),
                },
            )
            .await?;
            let mut out = format!("{} invoice(s) issued", issued.len());
            if ctx.auto_isolate {
                let isolated = crate::billing::isolation::run(ctx).await?;
                out.push_str(&format!(", {} subscription(s) isolated", isolated.len()));
                outcome(
                    "billing_isolated",
                    json!({"issued": issued.len(), "isolated": isolated.len()}),
                    out,
                )
            } else {
                outcome("billing", json!({"issued": issued.len()}), out)
            }
        }
        "payments_check" => {
            let s = crate::online::check_pending(ctx).await?;
            outcome(
                "payments_check",
                json!({"checked": s.checked, "paid": s.paid, "closed": s.closed, "errors": s.errors}),
                format!(
                    "{} checked, {} paid, {} closed, {} errors",
                    s.checked, s.paid, s.closed, s.errors
                ),
            )
        }
        "shop_delivery" => {
            // At start (and by hand) every waiting order is tried, whatever its backoff.
            let s = crate::vouchers::shop::deliver_due(ctx, trigger != Trigger::Schedule).await?;
            outcome(
                "shop_delivery",
                json!({"delivered": s.delivered, "waiting": s.waiting}),
                format!("{} delivered, {} waiting", s.delivered, s.waiting),
            )
        }
        "voucher_monitor" => {
            let r = if trigger == Trigger::Start {
                crate::vouchers::monitor::catch_up(ctx).await?
            } else {
                crate::vouchers::monitor::run(ctx).await?
            };
            if !r.errors.is_empty() && r.routers == 0 {
                return Err(Error::Router(r.errors.join("; ")));
            }
            let mut out = format!(
                "{} router(s): {} activated, {} expired, {} updated",
                r.routers, r.activated, r.expired, r.updated
            );
            if !r.errors.is_empty() {
                out.push_str(&format!("; not read: {}", r.errors.join("; ")));
            }
            outcome(
                "voucher_monitor",
                json!({"routers": r.routers, "activated": r.activated, "expired": r.expired,
                       "updated": r.updated, "unread": r.errors.len()}),
                out,
            )
        }
        "router_delivery" => {
            let n = crate::billing::isolation::deliver(ctx).await?;
            outcome(
                "router_delivery",
                json!({"delivered": n}),
                format!("{n} command(s) delivered"),
            )
        }
        "router_status" => {
            let routers = crate::network::routers::refresh_status(ctx).await?;
            let offline = routers.iter().filter(|r| r.status == "offline").count();
            outcome(
                "router_status",
                json!({"routers": routers.len(), "offline": offline}),
                format!("{} router(s), {offline} offline", routers.len()),
            )
        }
        "reconcile" => {
            let s = crate::network::reconcile::check_all(ctx).await?;
            if !s.failed.is_empty() {
                // A router that could not be compared is a failure the owner must see, not
                // a line in the log.
                return Err(Error::Router(s.failed.join("; ")));
            }
            outcome(
                "reconcile",
                json!({"routers": s.routers, "drifts": s.drifts}),
                format!(
                    "{} router(s) checked, {} drift(s) found",
                    s.routers, s.drifts
                ),
            )
        }
        "profile_sync" => {
            let r = crate::network::pppoe::sync_all(ctx).await?;
            if !r.failed.is_empty() && r.routers == 0 {
                return Err(Error::Router(r.failed.join("; ")));
            }
            let mut out = format!(
                "{} router(s): {} profile(s), {} gone",
                r.routers, r.profiles, r.gone
            );
            if !r.failed.is_empty() {
                out.push_str(&format!("; not read: {}", r.failed.join("; ")));
            }
            outcome(
                "profile_sync",
                json!({"routers": r.routers, "profiles": r.profiles, "gone": r.gone,
                       "unread": r.failed.len()}),
                out,
            )
        }
        "whatsapp_health" => {
            crate::messaging::health_check(ctx).await?;
            outcome("whatsapp_health", json!({}), "checked".to_owned())
        }
        "reminders" => {
            let n = crate::messaging::reminders(ctx).await?;
            outcome(
                "reminders",
                json!({"queued": n}),
                format!("{n} reminder(s) queued"),
            )
        }
        "backup" => match crate::ops::backups::run_if_due(ctx).await? {
            Some(b) => outcome(
                "backup_made",
                json!({"file": b.file_name}),
                format!("backup {} made and verified", b.file_name),
            ),
            None => outcome("backup_not_due", json!({}), "not due".to_owned()),
        },
        "retention" => {
            let report = retention(ctx).await?;
            keep_report(ctx, &report).await?;
            if !report.failed.is_empty() {
                return Err(Error::Failed(format!(
                    "not everything could be cleaned up: {}; the rest was ({report})",
                    report.failed.join("; ")
                )));
            }
            report_retention(ctx, &report).await?;
            let removed = report.notifications
                + report.router_audit
                + report.security_events
                + report.access_events
                + report.vouchers
                + report.job_runs
                + report.login_attempts
                + report.sessions
                + report.router_samples
                + report.alerts
                + report.temp_files;
            outcome("retention", json!({"removed": removed}), report.to_string())
        }
        "router_samples" => {
            let r = crate::insight::monitoring::samples::collect(ctx).await?;
            outcome(
                "router_samples",
                json!({"recorded": r.recorded, "routers": r.routers,
                       "pppoe_online": r.pppoe_online, "unread": r.errors.len()}),
                r.to_string(),
            )
        }
        "alerts" => {
            let e = crate::insight::monitoring::alerts::evaluate(ctx).await?;
            outcome(
                "alerts",
                json!({"rules": e.rules, "raised": e.raised, "cleared": e.cleared,
                       "pending": e.pending}),
                e.to_string(),
            )
        }
        "sessions_purge" => {
            let n = crate::access::auth::purge_expired_sessions(ctx).await?
                + crate::portal::purge(ctx).await?;
            outcome(
                "sessions_purge",
                json!({"removed": n}),
                format!("{n} expired session(s) removed"),
            )
        }
        other => return Err(Error::validation("job", format!("no body for job {other}"))),
    })
}

/// What is not configurable (seed §9); the rest is in `monitoring_settings`.
pub mod keep {
    /// Login attempts (the lockout only looks at minutes).
    pub const LOGIN_ATTEMPTS_DAYS: i32 = 30;
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RetentionReport {
    pub notifications: u64,
    pub router_audit: u64,
    pub security_events: u64,
    /// Sign-ins, sign-outs and token refreshes (the access log).
    #[serde(default)]
    pub access_events: u64,
    pub vouchers: u64,
    pub job_runs: u64,
    pub login_attempts: u64,
    pub sessions: u64,
    pub router_samples: u64,
    pub alerts: u64,
    pub temp_files: u64,
    /// The parts that could not be cleaned, each with the reason (the others were).
    pub failed: Vec<String>,
}

impl RetentionReport {
    fn count_mut(&mut self, part: &str) -> &mut u64 {
        match part {
            "notifications" => &mut self.notifications,
            "router_audit" => &mut self.router_audit,
            "security_events" => &mut self.security_events,
            "vouchers" => &mut self.vouchers,
            "job_runs" => &mut self.job_runs,
            "login_attempts" => &mut self.login_attempts,
            "router_samples" => &mut self.router_samples,
            "alerts" => &mut self.alerts,
            _ => &mut self.temp_files,
        }
    }
}

impl std::fmt::Display for RetentionReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "removed: {} notification(s), {} router log row(s), {} security event(s), \
             {} voucher(s), {} job run(s), {} login attempt(s), {} session(s), \
             {} router sample(s), {} alert(s), {} temporary file(s), \
             {} access log entry(ies)",
            self.notifications,
            self.router_audit,
            self.security_events,
            self.vouchers,
            self.job_runs,
            self.login_attempts,
            self.sessions,
            self.router_samples,
            self.alerts,
            self.temp_files,
            self.access_events
        )
    }
}

/// Deletes what is past its keeping period (`monitoring_settings`). Each kind of data is its
/// own statement (and so its own transaction): a part that fails is named in the report and
/// the others are still cleaned, so one bad table cannot stop the clean-up for good.
/// Nothing an invoice or a payment refers to is touched: customers, subscriptions,
/// invoices, payments, the ledgers and the log of data changes (`audit_log`) are never removed
/// here. The access log (sign-ins, sign-outs) goes after the activity period, like the router
/// and security logs.
pub async fn retention(ctx: &AppContext) -> Result<RetentionReport, Error> {
    let keep = crate::insight::monitoring::settings(ctx).await?;
    let now = ctx.clock.now();
    let days = |d: i32| now - chrono::Duration::days(i64::from(d));
    let mut report = RetentionReport::default();
    let parts: [(&str, &str, DateTime<Utc>); 8] = [
        (
            "notifications",
            "delete from whatsapp_messages where status in ('sent', 'delivered', 'read', \
             'failed', 'cancelled', 'unknown') and created_at < $1",
            days(keep.keep_notifications_days),
        ),
        (
            "router_audit",
            "delete from router_audit where at < $1",
            days(keep.keep_activity_days),
        ),
        (
            "security_events",
            "delete from security_events where occurred_at < $1",
            days(keep.keep_activity_days),
        ),
        (
            "vouchers",
            "delete from vouchers where status in ('expired', 'removed') and ended_at < $1",
            days(keep.keep_expired_vouchers_days),
        ),
        (
            "job_runs",
            "delete from job_runs where started_at < $1",
            days(keep.keep_performance_days),
        ),
        (
            "login_attempts",
            "delete from login_attempts where attempted_at < $1",
            days(keep::LOGIN_ATTEMPTS_DAYS),
        ),
        (
            "router_samples",
            "delete from router_samples where at < $1",
            days(keep.keep_performance_days),
        ),
        (
            "alerts",
            "delete from alerts where cleared_at < $1",
            days(keep.keep_activity_days),
        ),
    ];
    for (part, sql, before) in parts {
        match sqlx::query(sql).bind(before).execute(&ctx.pool).await {
            Ok(done) => *report.count_mut(part) = done.rows_affected(),
            Err(err) => report.failed.push(format!("{part}: {err}")),
        }
    }
    match crate::access::access_log::prune(ctx, days(keep.keep_activity_days)).await {
        Ok(n) => report.access_events = n,
        Err(err) => report.failed.push(format!("access_events: {err}")),
    }
    let sessions_before = now - chrono::Duration::hours(i64::from(keep.keep_sessions_hours));
    match ctx.pool.acquire().await {
        Ok(mut conn) => {
            match crate::access::refresh_tokens::delete_expired(&mut conn, sessions_before).await {
                Ok(n) => report.sessions = n,
                Err(err) => report.failed.push(format!("sessions: {err}")),
            }
        }
        Err(err) => report.failed.push(format!("sessions: {err}")),
    }
    report.temp_files = remove_temp_files(ctx, days(keep.keep_temp_files_days)).await;
    Ok(report)
}

/// Leftovers of interrupted backups (`.tmp-*` in the backup folder) and files in the data
/// folder's `tmp`, older than `before`. Best effort: what cannot be removed stays.
async fn remove_temp_files(ctx: &AppContext, before: DateTime<Utc>) -> u64 {
    let folder: Option<String> = sqlx::query_scalar("select folder from backup_settings")
        .fetch_optional(&ctx.pool)
        .await
        .ok()
        .flatten()
        .flatten();
    let backups = folder.map_or_else(|| ctx.ops.data_dir.join("backups"), Into::into);
    let tmp = ctx.ops.data_dir.join("tmp");
    let before = std::time::SystemTime::from(before);
    tokio::task::spawn_blocking(move || {
        let mut removed = 0;
        for (dir, only_tmp) in [(backups, true), (tmp, false)] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                if only_tmp && !e.file_name().to_string_lossy().starts_with(".tmp-") {
                    continue;
                }
                let old = e
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t < before);
                if !old {
                    continue;
                }
                let path = e.path();
                let gone = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                if gone.is_ok() {
                    removed += 1;
                }
            }
        }
        removed
    })
    .await
    .unwrap_or(0)
}

/// Keeps the run's report for the health page (the newest is shown; reports older than the
/// activity period go).
async fn keep_report(ctx: &AppContext, report: &RetentionReport) -> Result<(), Error> {
    let keep = crate::insight::monitoring::settings(ctx).await?;
    let now = ctx.clock.now();
    let periods = RetentionPeriods {
        keep_notifications_days: keep.keep_notifications_days,
        keep_activity_days: keep.keep_activity_days,
        keep_temp_files_days: keep.keep_temp_files_days,
        keep_expired_vouchers_days: keep.keep_expired_vouchers_days,
        keep_sessions_hours: keep.keep_sessions_hours,
        keep_performance_days: keep.keep_performance_days,
        keep_login_attempts_days: keep::LOGIN_ATTEMPTS_DAYS,
    };
    let mut tx = ctx.pool.begin().await?;
    sqlx::query("delete from retention_reports where ran_at < $1")
        .bind(now - chrono::Duration::days(i64::from(keep.keep_activity_days)))
        .execute(&mut *tx)
        .await?;
    sqlx::query("insert into retention_reports (ran_at, report, periods) values ($1, $2, $3)")
        .bind(now)
        .bind(sqlx::types::Json(report))
        .bind(sqlx::types::Json(&periods))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The periods a retention run kept (what was younger stayed).
#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct RetentionPeriods {
    pub keep_notifications_days: i32,
    /// Router, security and access logs.
    pub keep_activity_days: i32,
    pub keep_temp_files_days: i32,
    pub keep_expired_vouchers_days: i32,
    pub keep_sessions_hours: i32,
    pub keep_performance_days: i32,
    pub keep_login_attempts_days: i32,
}

/// The newest retention run: when, what it removed, what it kept.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RetentionRun {
    pub ran_at: DateTime<Utc>,
    pub removed: RetentionReport,
    pub kept: RetentionPeriods,
}

/// The newest kept retention report, if the job ever ran.
pub async fn last_retention(ctx: &AppContext) -> Result<Option<RetentionRun>, Error> {
    type Row = (
        DateTime<Utc>,
        sqlx::types::Json<RetentionReport>,
        sqlx::types::Json<RetentionPeriods>,
    );
    let row: Option<Row> = sqlx::query_as(
        "select ran_at, report, periods from retention_reports order by ran_at desc, id desc \
         limit 1",
    )
    .fetch_optional(&ctx.pool)
    .await?;
    Ok(row.map(|(ran_at, removed, kept)| RetentionRun {
        ran_at,
        removed: removed.0,
        kept: kept.0,
    }))
}

/// After each run: the report goes to the owner's WhatsApp if they asked for it (once per
/// day, keyed by the date).
async fn report_retention(ctx: &AppContext, report: &RetentionReport) -> Result<(), Error> {
    let wanted: Option<(Option<String>, bool)> = sqlx::query_as(
        "select w.owner_phone, m.retention_report_whatsapp \
         from whatsapp_settings w, monitoring_settings m",
    )
    .fetch_optional(&ctx.pool)
    .await?;
    let Some((Some(phone), true)) = wanted else {
        return Ok(());
    };
    let now = ctx.clock.now();
    sqlx::query(
        "insert into whatsapp_messages (idempotency_key, to_phone, body, priority, \
         next_attempt_at, queued_at) values ($1, $2, $3, 2, $4, $4) \
         on conflict (idempotency_key) do nothing",
    )
    .bind(format!("retention:{}", ctx.today()))
    .bind(&phone)
    .bind(format!(
        "🧹 mikrobill: old data cleaned up ({}). {report}.",
        ctx.today()
    ))
    .bind(now)
    .execute(&ctx.pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn every_pattern_parses_and_names_are_unique() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 28, 10, 0, 0)
            .single()
            .expect("time");
        let mut names = std::collections::HashSet::new();
        for j in JOBS {
            assert!(names.insert(j.name), "{} twice", j.name);
            assert!(
                next_run(j, chrono_tz::Asia::Jakarta, now).is_some(),
                "{}",
                j.name
            );
        }
    }

    #[test]
    fn daily_jobs_run_in_business_time() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 28, 10, 0, 0)
            .single()
            .expect("time");
        // 00:05 in Jakarta (UTC+7) is 17:05 UTC.
        let billing = spec("billing").expect("job");
        assert_eq!(
            next_run(billing, chrono_tz::Asia::Jakarta, now),
            Utc.with_ymd_and_hms(2026, 11, 28, 17, 5, 0).single()
        );
        let monitor = spec("voucher_monitor").expect("job");
        assert_eq!(
            next_run(monitor, chrono_tz::Asia::Jakarta, now),
            Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 15).single()
        );
    }

    #[test]
    fn every_job_has_its_schedule_in_words() {
        let kind = |cron: &str| {
            let s = schedule_words(cron);
            (s.kind, s.every, s.minute, s.time)
        };
        let words = |k: &str| k.to_owned();
        assert_eq!(
            kind("0 */5 * * * *"),
            (words("every_minutes"), Some(5), None, None)
        );
        assert_eq!(
            kind("30 * * * * *"),
            (words("every_minutes"), Some(1), None, None)
        );
        assert_eq!(
            kind("15,45 * * * * *"),
            (words("every_seconds"), Some(30), None, None)
        );
        assert_eq!(
            kind("0 41 * * * *"),
            (words("hourly"), None, Some(41), None)
        );
        assert_eq!(
            kind("0 0 2 * * *"),
            (words("daily"), None, None, Some("02.00".into()))
        );
        assert_eq!(
            kind("0 5 0 * * *"),
            (words("daily"), None, None, Some("00.05".into()))
        );
        assert_eq!(kind("0 0 9 * * 1").0, "cron");
        for j in JOBS {
            assert_ne!(
                schedule_words(j.cron).kind,
                "cron",
                "{} has no words",
                j.name
            );
        }
    }
}
