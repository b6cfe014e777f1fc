//! Quiet hours in the business's local time, possibly crossing midnight (21:00–07:00).

use chrono::{DateTime, Days, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// `[start, end)` in local wall-clock time; `start > end` crosses midnight; `start == end`
/// means no quiet hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// Is this local time inside the quiet window?
    pub fn contains(&self, local: NaiveTime) -> bool {
        if self.start == self.end {
            false
        } else if self.start < self.end {
            self.start <= local && local < self.end
        } else {
            local >= self.start || local < self.end
        }
    }

    pub fn is_quiet(&self, at: DateTime<Utc>, tz: Tz) -> bool {
        self.contains(at.with_timezone(&tz).time())
    }

    /// `at` itself when sending is allowed, otherwise the moment the quiet window ends.
    pub fn next_allowed(&self, at: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        if !self.is_quiet(at, tz) {
            return at;
        }
        let local = at.with_timezone(&tz);
        let mut day = local.date_naive();
        if local.time() >= self.end {
            day = day.checked_add_days(Days::new(1)).unwrap_or(day);
        }
        tz.from_local_datetime(&day.and_time(self.end))
            .earliest()
            .map_or(at, |end| end.with_timezone(&Utc))
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid")
    }

    #[rstest]
    #[case::evening_inside((21, 0), (7, 0), (22, 30), true)]
    #[case::at_start((21, 0), (7, 0), (21, 0), true)]
    #[case::after_midnight((21, 0), (7, 0), (3, 15), true)]
    #[case::at_end_is_allowed((21, 0), (7, 0), (7, 0), false)]
    #[case::midday((21, 0), (7, 0), (12, 0), false)]
    #[case::same_day_window((12, 0), (13, 0), (12, 30), true)]
    #[case::same_day_outside((12, 0), (13, 0), (13, 30), false)]
    #[case::empty_window((8, 0), (8, 0), (8, 0), false)]
    fn quiet_window_table(
        #[case] start: (u32, u32),
        #[case] end: (u32, u32),
        #[case] at: (u32, u32),
        #[case] quiet: bool,
    ) {
        let q = QuietHours {
            start: hm(start.0, start.1),
            end: hm(end.0, end.1),
        };
        assert_eq!(q.contains(hm(at.0, at.1)), quiet);
    }

    #[rstest]
    // 15:30 UTC = 22:30 WIB → next 07:00 WIB = 00:00 UTC next day.
    #[case("2025-01-15T15:30:00Z", "2025-01-16T00:00:00Z")]
    // 20:00 UTC = 03:00 WIB next day → 07:00 WIB that day.
    #[case("2025-01-15T20:00:00Z", "2025-01-16T00:00:00Z")]
    // 05:00 UTC = 12:00 WIB → allowed now.
    #[case("2025-01-15T05:00:00Z", "2025-01-15T05:00:00Z")]
    fn next_allowed_in_jakarta(#[case] at: &str, #[case] want: &str) {
        let q = QuietHours {
            start: hm(21, 0),
            end: hm(7, 0),
        };
        let at: DateTime<Utc> = at.parse().expect("rfc3339");
        let want: DateTime<Utc> = want.parse().expect("rfc3339");
        assert_eq!(q.next_allowed(at, chrono_tz::Asia::Jakarta), want);
    }
}
