//! Calendar days in the business time zone.

use chrono::{Datelike, NaiveDate, TimeZone};

/// The start of `day` in the business time zone, as an instant.
pub fn day_start(tz: chrono_tz::Tz, day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&midnight)
        .earliest()
        .unwrap_or_else(|| tz.from_utc_datetime(&midnight))
        .with_timezone(&chrono::Utc)
}

/// The first day of the month `day` is in.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(day.year(), day.month(), 1).unwrap_or(day)
}
