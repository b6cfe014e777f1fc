//! A year in the life of a small shop (issue #18), as one deterministic test: the real app
//! on a real PostgreSQL, its router the RouterOS simulator over TCP, the gateway and
//! WhatsApp fakes, and one pinned clock that the test moves through every day.
//!
//! Each day: the PC is switched on at 07:00 (the app starts and catches up as the scheduler
//! does), staff sign in and their sessions are refreshed twice, customers pay, vouchers are
//! printed and used, and every job of the registry runs when its cron pattern comes due
//! (ticks at 13:00, 22:00 and, when the PC stays on, 07:00: the daily jobs run at their
//! time, or at once if it passed before the tick; those due hourly or more often run once
//! per tick). Now and then the router is down for hours; once a
//! WhatsApp session dies for good; once the PC stays off for ten days; once a backup is
//! restored. After every day the checks of `checks.rs` run.
//!
//! Size: `MIKROBILL_YEAR_SUBSCRIBERS` (default 60), `MIKROBILL_YEAR_DAYS` (400),
//! `MIKROBILL_YEAR_SEED`. The PC is switched off every night for the first
//! `MIKROBILL_YEAR_NIGHTLY_RESTARTS` days (default 20), then every
//! `MIKROBILL_YEAR_RESTART_EVERY`th night (default 7); on the other nights it stays on and
//! the night's jobs run at their times.

mod checks;
mod life;
mod shop;

use std::collections::HashMap;
use std::time::Instant;

use billing_app::ops::jobs::{self, Trigger, JOBS};
use chrono::{DateTime, NaiveDate, Utc};

use checks::Checks;
use life::Tally;
use shop::{local, Shop};

pub struct Config {
    pub subscribers: usize,
    pub days: u32,
    pub seed: u64,
    pub nightly_restarts: u32,
    pub restart_every: u32,
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

impl Config {
    fn from_env() -> Config {
        Config {
            subscribers: env("MIKROBILL_YEAR_SUBSCRIBERS", 60),
            days: env("MIKROBILL_YEAR_DAYS", 400),
            seed: env("MIKROBILL_YEAR_SEED", 2027),
            nightly_restarts: env("MIKROBILL_YEAR_NIGHTLY_RESTARTS", 20),
            restart_every: env("MIKROBILL_YEAR_RESTART_EVERY", 7).max(1),
        }
    }
}

/// One simulated day and what happens to the shop on it.
pub struct Day {
    pub n: u32,
    pub date: NaiveDate,
    /// The router is unreachable between these instants.
    pub outage: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// The days of the year's events.
struct Plan {
    whatsapp_dies: u32,
    restore: u32,
    /// The evening the PC is switched off for ten days.
    long_off: u32,
}

impl Plan {
    fn new(days: u32) -> Plan {
        Plan {
            whatsapp_dies: days / 3,
            restore: days / 2,
            long_off: days * 2 / 3,
        }
    }

    fn is_away(&self, n: u32) -> bool {
        n > self.long_off && n <= self.long_off + 10
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_of_shop_life_leaves_no_failure_unexplained() {
    let config = Config::from_env();
    let plan = Plan::new(config.days);
    let first_day = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
    let started = Instant::now();
    let mut shop = Shop::open(&config, first_day).await;
    let mut checks = Checks::default();
    let mut tally = Tally::default();
    let mut pay_days = HashMap::new();
    let mut pending_restore: Option<String> = None;
    let mut since = shop.now();
    let mut restart_time = std::time::Duration::ZERO;

    for n in 0..config.days {
        let date = first_day + chrono::Duration::days(i64::from(n));
        if plan.is_away(n) {
            continue;
        }
        let outage = (n % 37 == 20).then(|| (local(date, 10, 0), local(date, 15, 0)));
        let day = Day { n, date, outage };

        if !shop.is_running() {
            shop.advance_to(local(date, 7, 0));
            let t = Instant::now();
            shop.switch_on().await;
            restart_time += t.elapsed();
            if std::env::var_os("MIKROBILL_YEAR_TRACE").is_some() {
                eprintln!("{n} start {:?}", t.elapsed());
            }
            tally.restarts += 1;
            since = shop.now();
            checks.retention(&shop, &day).await;
        }
        if n == plan.restore {
            restore_latest_backup(&mut shop, &mut checks, &day, &mut pending_restore).await;
        } else if let Some(id) = pending_restore.take() {
            let (status, body) = shop
                .app()
                .call("POST", &format!("/api/backups/restore/{id}/confirm"), None)
                .await;
            if status != StatusCode::OK {
                checks.fail(&day, "restore", format!("confirm: {status} {body}"));
            }
        }
        shop.advance_to(local(date, 7, 30));
        life::staff_sign_in(&mut shop, &mut checks, &day).await;
        if n == plan.whatsapp_dies {
            shop.whatsapp[0].fake.set_down(true);
        }

        shop.advance_to(local(date, 10, 0));
        if outage.is_some() {
            shop.router_outage_starts();
        }
        life::customers_pay(&mut shop, &mut checks, &day, &mut pay_days, &mut tally).await;
        if n % 30 == 2 && !shop.router_down {
            life::voucher_batch(&mut shop, &mut checks, &day, &mut tally).await;
        }
        shop.advance_to(local(date, 12, 0));
        life::staff_refresh(&mut shop, &mut checks, &day, &mut tally).await;
        tick(&mut shop, &mut checks, &day, &mut since, local(date, 13, 0)).await;
        if !shop.router_down {
            life::voucher_logins(&mut shop, n, &mut tally).await;
        }
        shop.advance_to(local(date, 15, 0));
        if outage.is_some() {
            shop.router_outage_ends();
        }
        shop.advance_to(local(date, 17, 0));
        life::staff_refresh(&mut shop, &mut checks, &day, &mut tally).await;
        tick(&mut shop, &mut checks, &day, &mut since, local(date, 22, 0)).await;

        checks.jobs(&shop, &day).await;
        checks.ledger(&shop, &day).await;
        checks.reconcile(&shop, &day).await;
        checks.stuck_commands(&shop, &day).await;

        let switch_off = n < config.nightly_restarts
            || n % config.restart_every == 0
            || n == plan.long_off
            || n + 1 == plan.restore;
        if switch_off {
            shop.switch_off().await;
        } else {
            // The PC stays on: the night's jobs run at their times.
            let next = date + chrono::Duration::days(1);
            tick(&mut shop, &mut checks, &day, &mut since, local(next, 7, 0)).await;
            checks.jobs(&shop, &day).await;
        }
    }

    eprintln!(
        "year: {} subscribers, {} days in {:.0?} ({} starts taking {:.1?}); {:?}; \
         {} job runs; {} WhatsApp messages sent ({} not traced to a queue row)",
        config.subscribers,
        config.days,
        started.elapsed(),
        tally.restarts,
        restart_time,
        tally,
        checks.job_runs,
        checks.messages_sent,
        checks.messages_unmatched,
    );
    if let Some(report) = checks.report() {
        panic!("a year of shop life found:\n{report}");
    }
}

use billing_tests::StatusCode;

/// Runs every job that came due in (`since`, `until`] the way the scheduler would: the
/// daily ones at their time, those due more often than hourly once at `until`; then a
/// round of the WhatsApp worker.
async fn tick(
    shop: &mut Shop,
    checks: &mut Checks,
    day: &Day,
    since: &mut DateTime<Utc>,
    until: DateTime<Utc>,
) {
    let tz = shop.app().ctx().tz;
    let mut due = Vec::new();
    for spec in JOBS {
        let Some(first) = jobs::next_run(spec, tz, *since) else {
            continue;
        };
        if first > until {
            continue;
        }
        let frequent = jobs::next_run(spec, tz, first)
            .is_some_and(|next| next - first <= chrono::Duration::hours(1));
        due.push((if frequent { until } else { first }, spec.name));
    }
    due.sort_by_key(|(at, _)| *at);
    for (at, name) in due {
        // A daily job whose time passed before the tick (the shop was busy) runs now.
        if at > shop.now() {
            shop.advance_to(at);
        }
        let ctx = shop.app().ctx();
        let t = Instant::now();
        let run = jobs::run(&ctx, name, Trigger::Schedule).await;
        if std::env::var_os("MIKROBILL_YEAR_TRACE").is_some() {
            eprintln!("{} {name} {:?}", day.n, t.elapsed());
        }
        if let Err(e) = run {
            checks.fail(day, "job", format!("{name} could not run: {e}"));
        }
        if name == "retention" {
            checks.retention(shop, day).await;
        }
    }
    shop.advance_to(until);
    *since = until;
    let t = Instant::now();
    billing_runtime::whatsapp_round(&shop.app().ctx()).await;
    checks.whatsapp(shop, day).await;
    if std::env::var_os("MIKROBILL_YEAR_TRACE").is_some() {
        eprintln!("{} whatsapp {:?}", day.n, t.elapsed());
    }
}

/// Midway the owner restores this morning's backup (made by the catch-up at start), and
/// confirms it the next day.
async fn restore_latest_backup(
    shop: &mut Shop,
    checks: &mut Checks,
    day: &Day,
    pending: &mut Option<String>,
) {
    checks.jobs(shop, day).await;
    let (_, list) = shop.app().call("GET", "/api/backups", None).await;
    let latest = list["items"]
        .as_array()
        .and_then(|items| items.iter().find(|b| b["status"] == "ok"))
        .and_then(|b| b["id"].as_str())
        .map(str::to_owned);
    let Some(id) = latest else {
        checks.fail(day, "restore", format!("no good backup to restore: {list}"));
        return;
    };
    let (status, outcome) = shop
        .app()
        .call("POST", &format!("/api/backups/restore/{id}"), None)
        .await;
    if status != StatusCode::OK {
        checks.fail(day, "restore", format!("{status} {outcome}"));
        return;
    }
    checks.jobs_restored(shop).await;
    *pending = Some(id);
}
