//! What must hold after every simulated day (and, for retention and WhatsApp, after every
//! run of theirs). A failure names the day, the date, what failed and why; the run goes on
//! so that one report lists everything a year finds (the same failure on later days is
//! counted, not repeated).

use std::collections::HashMap;

use billing_tests::*;
use chrono::{DateTime, Utc};

use crate::shop::Shop;
use crate::Day;

/// Jobs that talk to the router: while it is down, their failing is expected.
const ROUTER_JOBS: &[&str] = &[
    "voucher_monitor",
    "router_delivery",
    "router_status",
    "reconcile",
    "profile_sync",
    "router_samples",
];

#[derive(Default)]
pub struct Checks {
    /// (what failed, first message, how many days it failed), in order of first failure.
    failures: Vec<(String, String, u32)>,
    last_run_id: i64,
    /// WhatsApp messages that reached a provider, by idempotency key: the day it was sent.
    sent: HashMap<String, u32>,
    pub messages_sent: usize,
    pub messages_unmatched: usize,
    pub job_runs: usize,
}

impl Checks {
    /// Records a failure; `kind` and the message without digits group repeats.
    pub fn fail(&mut self, day: &Day, kind: &str, message: String) {
        let signature = format!(
            "{kind}: {}",
            message
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .collect::<String>()
        );
        let line = format!("day {} ({}): {kind}: {message}", day.n, day.date);
        match self.failures.iter_mut().find(|(s, _, _)| *s == signature) {
            Some((_, _, count)) => *count += 1,
            None => {
                eprintln!("FAILED {line}");
                self.failures.push((signature, line, 1));
            }
        }
    }

    pub fn report(&self) -> Option<String> {
        if self.failures.is_empty() {
            return None;
        }
        let lines: Vec<String> = self
            .failures
            .iter()
            .map(|(_, line, count)| match count {
                1 => line.clone(),
                n => format!("{line} (and {} more time(s) after)", n - 1),
            })
            .collect();
        Some(lines.join("\n"))
    }

    /// Each job run since the last look succeeded, or failed only as that day's events
    /// explain (a router job while the router was down).
    pub async fn jobs(&mut self, shop: &Shop, day: &Day) {
        /// id, job, trigger, started, ok, error, error code, category.
        type Run = (
            i64,
            String,
            String,
            DateTime<Utc>,
            bool,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let runs: Vec<Run> = sqlx::query_as(
            "select id, job, trigger, started_at, ok, error, error_code, error_category \
             from job_runs where id > $1 order by id",
        )
        .bind(self.last_run_id)
        .fetch_all(&shop.app().pool().await)
        .await
        .expect("job runs");
        for (id, job, trigger, at, ok, error, code, category) in runs {
            self.last_run_id = id;
            self.job_runs += 1;
            if ok {
                continue;
            }
            if code.is_none() || category.is_none() {
                self.fail(
                    day,
                    "job",
                    format!("{job} failed without a category: {error:?}"),
                );
            }
            // Expected: a router job during that day's outage, failing as an unreachable
            // router (a categorised, alerted failure), nothing else.
            let expected = ROUTER_JOBS.contains(&job.as_str())
                && code.as_deref() == Some("router_unreachable")
                && day.outage.is_some_and(|(from, to)| from <= at && at <= to);
            if !expected {
                let error = error.unwrap_or_default();
                self.fail(
                    day,
                    "job",
                    format!("{job} ({trigger} run at {at}) failed: {error}"),
                );
            }
        }
    }

    /// After a restore the run log is the backup's: continue from its end.
    pub async fn jobs_restored(&mut self, shop: &Shop) {
        self.last_run_id = sqlx::query_scalar("select coalesce(max(id), 0) from job_runs")
            .fetch_one(&shop.app().pool().await)
            .await
            .expect("job runs");
    }

    pub async fn ledger(&mut self, shop: &Shop, day: &Day) {
        for broken in ledger::violations(&shop.app().pool().await).await {
            self.fail(day, "ledger", broken);
        }
    }

    /// Right after a retention run: nothing it covers is older than its keeping period.
    pub async fn retention(&mut self, shop: &Shop, day: &Day) {
        let pool = shop.app().pool().await;
        let keep: (i32, i32, i32, i32, i32) = sqlx::query_as(
            "select keep_notifications_days, keep_activity_days, keep_expired_vouchers_days, \
             keep_sessions_hours, keep_performance_days from monitoring_settings",
        )
        .fetch_one(&pool)
        .await
        .expect("monitoring settings");
        let (notifications, activity, vouchers, sessions_hours, performance) = keep;
        let now = shop.now();
        let days = |d: i32| now - chrono::Duration::days(i64::from(d));
        let tables: [(&str, &str, DateTime<Utc>); 10] = [
            (
                "whatsapp_messages",
                "select count(*) from whatsapp_messages where status in ('sent', 'delivered', \
                 'read', 'failed', 'cancelled', 'unknown') and created_at < $1",
                days(notifications),
            ),
            (
                "router_audit",
                "select count(*) from router_audit where at < $1",
                days(activity),
            ),
            (
                "security_events",
                "select count(*) from security_events where occurred_at < $1",
                days(activity),
            ),
            (
                "vouchers",
                "select count(*) from vouchers where status in ('expired', 'removed') \
                 and ended_at < $1",
                days(vouchers),
            ),
            (
                "job_runs",
                "select count(*) from job_runs where started_at < $1",
                days(performance),
            ),
            (
                "login_attempts",
                "select count(*) from login_attempts where attempted_at < $1",
                days(billing_app::ops::jobs::keep::LOGIN_ATTEMPTS_DAYS),
            ),
            (
                "refresh_tokens",
                "select count(*) from refresh_tokens where expires_at < $1",
                now - chrono::Duration::hours(i64::from(sessions_hours)),
            ),
            (
                "router_samples",
                "select count(*) from router_samples where at < $1",
                days(performance),
            ),
            (
                "alerts",
                "select count(*) from alerts where cleared_at < $1",
                days(activity),
            ),
            (
                "access_events",
                "select count(*) from access_events where occurred_at < $1",
                days(activity),
            ),
        ];
        for (table, sql, before) in tables {
            // A minute of slack: the run and this look share the clock, not the instant.
            let old: i64 = sqlx::query_scalar(sql)
                .bind(before - chrono::Duration::minutes(1))
                .fetch_one(&pool)
                .await
                .expect("retention look");
            if old > 0 {
                self.fail(
                    day,
                    "retention",
                    format!("{table} keeps {old} row(s) older than its period (before {before})"),
                );
            }
        }
    }

    /// No message reached a provider twice: each one the fakes received is traced to its
    /// queue row (session and provider id) and so to its idempotency key.
    pub async fn whatsapp(&mut self, shop: &mut Shop, day: &Day) {
        let pool = shop.app().pool().await;
        for session in &mut shop.whatsapp {
            let sent = session.fake.sent();
            for m in &sent[session.seen.min(sent.len())..] {
                self.messages_sent += 1;
                // Providers name the recipient as `62…` or `62…@c.us`.
                let phone = m.to.split('@').next().unwrap_or_default();
                let key: Option<String> = sqlx::query_scalar(
                    "select idempotency_key from whatsapp_messages \
                     where provider_message_id = $1 and right(to_phone, 9) = right($2, 9) \
                     limit 1",
                )
                .bind(&m.id)
                .bind(phone)
                .fetch_optional(&pool)
                .await
                .expect("message");
                // Traced to its queue row: once ever. Otherwise the same text to the same
                // number twice on one day is a resend (the same notice on another day, e.g. a
                // second restore, is a new message).
                let key = key.unwrap_or_else(|| {
                    self.messages_unmatched += 1;
                    format!("to {} on day {}: {}", m.to, day.n, m.body)
                });
                if let Some(first) = self.sent.insert(key.clone(), day.n) {
                    self.fail(
                        day,
                        "whatsapp",
                        format!("message {key} sent again (first on day {first})"),
                    );
                }
            }
            session.seen = sent.len();
        }
    }

    /// At the end of the day, with the router up and the outbox delivered: the router
    /// holds what the database says.
    pub async fn reconcile(&mut self, shop: &Shop, day: &Day) {
        let (status, report) = shop
            .app()
            .call("GET", &format!("/api/reconcile/{}", shop.router_id), None)
            .await;
        if status != StatusCode::OK {
            self.fail(day, "reconcile", format!("{status} {report}"));
            return;
        }
        let drifts = report["drifts"].as_array().cloned().unwrap_or_default();
        if !drifts.is_empty() {
            let shown: Vec<String> = drifts
                .iter()
                .take(5)
                .map(|d| format!("{} {}", d["kind"], d["login"]))
                .collect();
            self.fail(
                day,
                "reconcile",
                format!("{} drift(s): {}", drifts.len(), shown.join(", ")),
            );
        }
    }

    /// A router command that has been retried and is still waiting has an alert on the
    /// dashboard (the router is offline, the outbox is backing up, or the command itself).
    pub async fn stuck_commands(&mut self, shop: &Shop, day: &Day) {
        let pool = shop.app().pool().await;
        let (stuck, error): (i64, Option<String>) = sqlx::query_as(
            "select count(*), min(last_error) from router_commands \
             where status = 'pending' and attempts >= 3",
        )
        .fetch_one(&pool)
        .await
        .expect("stuck commands");
        if stuck == 0 {
            return;
        }
        let alerts: i64 = sqlx::query_scalar(
            "select count(*) from alerts where cleared_at is null and (metric in \
             ('router_offline', 'router_outbox') or metric like '%command%' \
             or metric like '%provision%')",
        )
        .fetch_one(&pool)
        .await
        .expect("alerts");
        if alerts == 0 {
            self.fail(
                day,
                "router commands",
                format!(
                    "{stuck} command(s) retried 3+ times and still waiting, no alert raised \
                     (last error: {})",
                    error.unwrap_or_default()
                ),
            );
        }
    }
}
