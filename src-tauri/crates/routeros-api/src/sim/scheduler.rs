//! `/system/scheduler`: when items are due, running them, time passing and boots.
//!
//! An item runs at `start + k·interval` (k ≥ 0). Its next run is the first such moment
//! strictly after the moment it was added, changed or last ran; with interval 0 it runs once
//! at its start if that is still ahead. `start-time=startup` items with interval 0 run at
//! every boot; with an interval they run every interval counted from the boot. Nothing is
//! caught up: while the router is off, and after a clock change, missed slots are skipped.

use std::time::Duration;

use chrono::NaiveDateTime;

use super::accounting;
use super::schema::SCHEDULER;
use super::script;
use super::state::{Item, Router};
use crate::parse::{format_date, format_date_time, parse_date, parse_time_of_day};

const PATH: &str = SCHEDULER.path;

/// The first `start + k·interval` (k ≥ 0) strictly after `after`. The scheduler ticks in
/// whole seconds, so a shorter non-zero interval counts as one second.
pub(crate) fn next_slot(
    start: NaiveDateTime,
    interval: Duration,
    after: NaiveDateTime,
) -> Option<NaiveDateTime> {
    if start > after {
        return Some(start);
    }
    if interval.is_zero() {
        return None;
    }
    let step = i128::try_from(interval.max(Duration::from_secs(1)).as_nanos()).ok()?;
    let elapsed = i128::from((after - start).num_nanoseconds()?);
    let k = elapsed / step + 1;
    let offset = i64::try_from(k.checked_mul(step)?).ok()?;
    start.checked_add_signed(chrono::Duration::nanoseconds(offset))
}

/// When an item runs next, counting from `after`.
fn next_run(router: &Router, item: &Item, after: NaiveDateTime) -> Option<NaiveDateTime> {
    if item.get("disabled") == Some(b"true") {
        return None;
    }
    let interval = item.get_duration("interval");
    match item.get("start-time") {
        Some(b"startup") if interval.is_zero() => None,
        Some(b"startup") => next_slot(router.booted_at, interval, after),
        _ => {
            let date = parse_date(&item.text("start-date")?).ok()?;
            let time = parse_time_of_day(&item.text("start-time")?).ok()?;
            next_slot(date.and_time(time), interval, after)
        }
    }
}

/// Defaults that depend on the router: today's date and the current time, and the owner.
pub(crate) fn fill_defaults(router: &Router, item: &mut Item) {
    let now = router.clock;
    if item.get("start-date").is_none() {
        let date = format_date(now.date(), router.version.iso_dates());
        item.set(&SCHEDULER, "start-date", date.into_bytes());
    }
    if item.get("start-time").is_none() {
        let time = now.time().format("%H:%M:%S").to_string();
        item.set(&SCHEDULER, "start-time", time.into_bytes());
    }
    item.set(&SCHEDULER, "owner", router.owner.clone().into_bytes());
}

/// Sets an item's next run, counting from `after`.
fn plan(router: &mut Router, id: u32, after: NaiveDateTime) {
    let Some(pos) = router.table(PATH).and_then(|t| t.position(id)) else {
        return;
    };
    let next = router
        .table(PATH)
        .and_then(|t| next_run(router, &t.items[pos], after));
    let iso = router.version.iso_dates();
    if let Some(table) = router.table_mut(PATH) {
        let item = &mut table.items[pos];
        match next {
            Some(at) => item.set(
                &SCHEDULER,
                "next-run",
                format_date_time(at, iso).into_bytes(),
            ),
            None => item.unset("next-run"),
        }
    }
    match next {
        Some(at) => router.next_runs.insert(id, at),
        None => router.next_runs.remove(&id),
    };
}

/// Recomputes an item's next run from now (after `add`, or a `set` of its timing).
pub(crate) fn reschedule(router: &mut Router, id: u32) {
    plan(router, id, router.clock);
}

/// Recomputes every item's next run from now (after a boot or a clock change).
pub(crate) fn reschedule_all(router: &mut Router) {
    let ids: Vec<u32> = items(router).iter().map(|i| i.id).collect();
    for id in ids {
        reschedule(router, id);
        announce(router, id);
    }
}

fn items(router: &Router) -> &[Item] {
    router
        .table(PATH)
        .map(|t| t.items.as_slice())
        .unwrap_or(&[])
}

fn announce(router: &Router, id: u32) {
    let item = router
        .table(PATH)
        .and_then(|t| t.position(id).map(|p| t.items[p].clone()));
    router.announce(PATH, id, item);
}

/// The earliest pending run (ties in id order).
fn next_due(router: &Router) -> Option<(NaiveDateTime, u32)> {
    router
        .next_runs
        .iter()
        .map(|(id, at)| (*at, *id))
        .filter(|(_, id)| router.table(PATH).and_then(|t| t.position(*id)).is_some())
        .min()
}

/// Runs an item at `at` (the clock already shows `at`): counts the run, plans the next one,
/// then runs `on-event`. A failing script is logged and counts as a run.
fn run(router: &mut Router, id: u32, at: NaiveDateTime) {
    let Some(pos) = router.table(PATH).and_then(|t| t.position(id)) else {
        router.next_runs.remove(&id);
        return;
    };
    let (name, source) = {
        let Some(table) = router.table_mut(PATH) else {
            return;
        };
        let item = &mut table.items[pos];
        let count = item.get_u64("run-count").saturating_add(1);
        item.set(&SCHEDULER, "run-count", count.to_string().into_bytes());
        (
            item.text("name").unwrap_or_default(),
            item.text("on-event").unwrap_or_default(),
        )
    };
    plan(router, id, at);
    announce(router, id);
    let origin = format!("scheduler ({name})");
    let _ = script::run_logged(router, &source, &origin, &[]);
}

/// Time passes: due items run in order, each with the clock set to its moment; sessions
/// and limits are accounted in steps between them.
pub(crate) fn advance(router: &mut Router, by: Duration) {
    let target = chrono::Duration::from_std(by)
        .ok()
        .and_then(|d| router.clock.checked_add_signed(d))
        .unwrap_or(NaiveDateTime::MAX);
    while let Some((at, id)) = next_due(router).filter(|(at, _)| *at <= target) {
        if at > router.clock {
            let gap = (at - router.clock).to_std().unwrap_or_default();
            accounting::step(router, gap);
        }
        let now = router.clock;
        run(router, id, now);
    }
    if target > router.clock {
        let gap = (target - router.clock).to_std().unwrap_or_default();
        accounting::step(router, gap);
    }
}

/// The router comes up: globals are gone, every item waits for its next slot after now
/// (nothing missed is caught up), then `start-time=startup` items with interval 0 run.
pub(crate) fn boot(router: &mut Router) {
    router.uptime = Duration::ZERO;
    router.booted_at = router.clock;
    router.globals.clear();
    // `run-count` lives in RAM and starts again at every boot.
    if let Some(t) = router.table_mut(PATH) {
        for item in &mut t.items {
            item.set(&SCHEDULER, "run-count", b"0".to_vec());
        }
    }
    reschedule_all(router);
    let startup: Vec<u32> = items(router)
        .iter()
        .filter(|i| {
            i.get("start-time") == Some(b"startup")
                && i.get_duration("interval").is_zero()
                && i.get("disabled") != Some(b"true")
        })
        .map(|i| i.id)
        .collect();
    let now = router.clock;
    for id in startup {
        run(router, id, now);
    }
}

/// A reboot without time passing.
pub(crate) fn reboot(router: &mut Router) {
    accounting::shut_down(router);
    boot(router);
}

/// Off for `off` (no scheduler runs meanwhile), then a boot.
pub(crate) fn power_off_for(router: &mut Router, off: Duration) {
    restart(router, off, true);
}

/// What a board without a clock battery shows at boot: "jan/02/1970 00:00:00" (RouterOS
/// manual, System/Time) until NTP or someone sets it.
pub(crate) fn unset_clock() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(1970, 1, 2)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

/// Off for `off`, then a boot. With a clock battery (`rtc`) the clock kept running; without
/// one it starts at [`unset_clock`].
pub(crate) fn restart(router: &mut Router, off: Duration, rtc: bool) {
    accounting::shut_down(router);
    if rtc {
        router.clock += chrono::Duration::from_std(off).unwrap_or_default();
    } else {
        router.clock = unset_clock();
    }
    boot(router);
}

/// The clock jumps to `to` (NTP after a boot, or a manual change), forward or back. Like a
/// manual change on RouterOS, nothing that was due in between runs: every scheduler waits
/// for its next slot after the new time.
pub(crate) fn jump(router: &mut Router, to: NaiveDateTime) {
    router.clock = to;
    reschedule_all(router);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        crate::parse::parse_date_time(s).expect("date-time")
    }

    #[test]
    fn next_slot_is_strictly_after_and_one_shots_only_run_ahead() {
        let day = Duration::from_secs(86_400);
        let start = t("2026-11-28 10:00:00");
        assert_eq!(next_slot(start, day, start), Some(t("2026-11-29 10:00:00")));
        assert_eq!(
            next_slot(start, day, t("2026-11-30 09:59:59")),
            Some(t("2026-11-30 10:00:00"))
        );
        assert_eq!(next_slot(start, day, t("2026-11-27 00:00:00")), Some(start));
        assert_eq!(next_slot(start, Duration::ZERO, start), None);
        assert_eq!(
            next_slot(start, Duration::ZERO, t("2026-11-28 09:00:00")),
            Some(start)
        );
        assert_eq!(
            next_slot(start, Duration::from_nanos(1), start),
            Some(t("2026-11-28 10:00:01"))
        );
        let hourly = Duration::from_secs(3600);
        assert_eq!(
            next_slot(start, hourly, t("2026-11-28 12:30:00")),
            Some(t("2026-11-28 13:00:00"))
        );
    }
}
