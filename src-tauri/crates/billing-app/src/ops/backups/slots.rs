//! The daily backup's time slots, in the business time zone.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

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
