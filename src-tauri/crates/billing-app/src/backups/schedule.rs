//! The daily backup. Called every minute by the scheduler and once at start: a backup runs
//! when a daily slot has passed since the last one, so a PC that was off at the time backs up
//! once when it starts again (never once per missed day). Retention keeps the newest N.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::Backup;
use crate::{AppContext, Error};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Manual,
    Scheduled,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Manual => "manual",
            Trigger::Scheduled => "scheduled",
        }
    }
}

/// The latest daily slot at or before `now`.
pub fn last_slot(now: DateTime<Utc>, tz: Tz, time: NaiveTime) -> DateTime<Utc> {
    let today = now.with_timezone(&tz).date_naive();
    for days_back in 0..3 {
        let date = today - Duration::days(days_back);
        if let Some(slot) = local(tz, date.and_time(time)) {
            if slot <= now {
                return slot;
            }
        }
    }
    now
}

/// The first daily slot after `now`.
pub fn next_slot(now: DateTime<Utc>, tz: Tz, time: NaiveTime) -> DateTime<Utc> {
    let today = now.with_timezone(&tz).date_naive();
    for days in 0..3 {
        let date = today + Duration::days(days);
        if let Some(slot) = local(tz, date.and_time(time)) {
            if slot > now {
                return slot;
            }
        }
    }
    now + Duration::days(1)
}

fn local(tz: Tz, at: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&at)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Whether the daily backup is due: a slot passed after both the last attempt that counts
/// and the moment the schedule took effect.
pub fn is_due(
    now: DateTime<Utc>,
    tz: Tz,
    time: NaiveTime,
    since: DateTime<Utc>,
    last_attempt: Option<DateTime<Utc>>,
) -> bool {
    let slot = last_slot(now, tz, time);
    let reference = last_attempt.map_or(since, |t| t.max(since));
    slot > reference
}

/// Runs the daily backup if it is due (and no backup or restore is running).
#[tracing::instrument(skip_all)]
pub async fn run_if_due(ctx: &AppContext) -> Result<Option<Backup>, Error> {
    let row = super::settings::row(ctx).await?;
    if !row.daily_enabled {
        return Ok(None);
    }
    let now = ctx.clock.now();
    let Some(since) = row.scheduled_since else {
        // The first look at the schedule: it counts from now.
        sqlx::query(
            "update backup_settings set scheduled_since = $1 where scheduled_since is null",
        )
        .bind(now)
        .execute(&ctx.pool)
        .await?;
        return Ok(None);
    };
    // Successful backups of any kind count; failed ones only when the schedule made them
    // (a failed "create now" must not cancel tonight's backup).
    let last: Option<DateTime<Utc>> = sqlx::query_scalar(
        "select max(started_at) from backups where status = 'ok' or trigger = 'scheduled'",
    )
    .fetch_one(&ctx.pool)
    .await?;
    if !is_due(now, ctx.tz, row.daily_time, since, last) {
        return Ok(None);
    }
    let Ok(guard) = ctx.ops.busy.try_lock() else {
        return Ok(None);
    };
    tracing::info!("daily backup");
    let result = super::create::create_locked(ctx, Trigger::Scheduled).await;
    drop(guard);
    result.map(Some)
}

/// Deletes the files (and their copies) and rows of all but the newest `keep` good backups,
/// and failed attempts older than the oldest one kept.
pub(crate) async fn apply_retention(ctx: &AppContext, keep: i32) -> Result<usize, Error> {
    let old: Vec<Backup> = sqlx::query_as(&format!(
        "select {} from backups where status = 'ok' order by started_at desc, id desc offset $1",
        super::COLUMNS
    ))
    .bind(i64::from(keep))
    .fetch_all(&ctx.pool)
    .await?;
    for b in &old {
        remove_with_sidecar(&b.path());
        if let Some(copy) = &b.copy_path {
            remove_with_sidecar(std::path::Path::new(copy));
        }
        sqlx::query("delete from backups where id = $1")
            .bind(b.id)
            .execute(&ctx.pool)
            .await?;
    }
    sqlx::query(
        "delete from backups where status = 'failed' and started_at < \
         (select min(started_at) from (select started_at from backups where status = 'ok' \
          order by started_at desc limit $1) kept)",
    )
    .bind(i64::from(keep))
    .execute(&ctx.pool)
    .await?;
    if !old.is_empty() {
        tracing::info!(removed = old.len(), keep, "old backups removed");
    }
    Ok(old.len())
}

fn remove_with_sidecar(path: &std::path::Path) {
    for p in [path.to_path_buf(), super::create::sidecar(path)] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(file = %p.display(), error = %e, "could not remove an old backup")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").expect("time")
    }

    #[rstest]
    // 08:00 WIB: today's 01:30 WIB slot (18:30 UTC the day before) has passed.
    #[case("2026-11-28T01:00:00Z", "01:30", "2026-11-27T18:30:00Z")]
    // 00:00 WIB: the last slot is yesterday's.
    #[case("2026-11-27T17:00:00Z", "01:30", "2026-11-26T18:30:00Z")]
    #[case("2026-11-27T18:30:00Z", "01:30", "2026-11-27T18:30:00Z")]
    fn last_slot_is_in_the_business_time_zone(
        #[case] now: &str,
        #[case] time: &str,
        #[case] want: &str,
    ) {
        assert_eq!(
            last_slot(at(now), chrono_tz::Asia::Jakarta, t(time)),
            at(want)
        );
    }

    #[test]
    fn next_slot_is_after_now() {
        let tz = chrono_tz::Asia::Jakarta;
        assert_eq!(
            next_slot(at("2026-11-28T01:00:00Z"), tz, t("01:30")),
            at("2026-11-28T18:30:00Z")
        );
        assert_eq!(
            next_slot(at("2026-11-28T01:00:00Z"), tz, t("09:00")),
            at("2026-11-28T02:00:00Z")
        );
    }

    #[rstest]
    // Nothing yet and the schedule counts from before the slot: due.
    #[case("2026-11-20T00:00:00Z", None, true)]
    // A new schedule set after today's slot: not until tomorrow.
    #[case("2026-11-28T00:00:00Z", None, false)]
    // Backed up last night: not due.
    #[case("2026-11-20T00:00:00Z", Some("2026-11-27T18:31:00Z"), false)]
    // The PC was off for a week: due (once: the run itself becomes the last attempt).
    #[case("2026-11-01T00:00:00Z", Some("2026-11-20T18:30:05Z"), true)]
    fn due_after_a_missed_slot_only(
        #[case] since: &str,
        #[case] last: Option<&str>,
        #[case] due: bool,
    ) {
        let now = at("2026-11-28T01:00:00Z");
        assert_eq!(
            is_due(
                now,
                chrono_tz::Asia::Jakarta,
                t("01:30"),
                at(since),
                last.map(at)
            ),
            due
        );
    }
}
