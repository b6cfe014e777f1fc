//! Parsers for RouterOS value formats: durations, counters and both date formats.

use std::time::Duration;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// A value that is not in the expected RouterOS format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot parse {input:?} as {what}")]
pub struct ParseError {
    what: &'static str,
    input: String,
}

fn err(what: &'static str, input: &str) -> ParseError {
    ParseError {
        what,
        input: input.to_owned(),
    }
}

/// Parses a duration: `1w2d3h4m5s`, `1m58s660ms`, `453us`, `01:22:53`, `1d02:00:00`, `0s`, or
/// a bare number of seconds. `none` is not a duration; see [`parse_optional_duration`].
pub fn parse_duration(input: &str) -> Result<Duration, ParseError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(err("duration", input));
    }
    if s.contains(':') {
        return parse_clock_duration(s).ok_or_else(|| err("duration", input));
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<u64>()
            .map(Duration::from_secs)
            .map_err(|_| err("duration", input));
    }
    let mut total = Duration::ZERO;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(err("duration", input));
        }
        let n: u64 = rest[..digits].parse().map_err(|_| err("duration", input))?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit = match &rest[..unit_len] {
            "w" => Duration::from_secs(n.saturating_mul(7 * 86_400)),
            "d" => Duration::from_secs(n.saturating_mul(86_400)),
            "h" => Duration::from_secs(n.saturating_mul(3_600)),
            "m" => Duration::from_secs(n.saturating_mul(60)),
            "s" => Duration::from_secs(n),
            "ms" => Duration::from_millis(n),
            "us" => Duration::from_micros(n),
            "ns" => Duration::from_nanos(n),
            _ => return Err(err("duration", input)),
        };
        total = total.saturating_add(unit);
        rest = &rest[unit_len..];
    }
    Ok(total)
}

/// `HH:MM:SS` with an optional `Nd` or `Nw` prefix (`1d02:00:00`).
fn parse_clock_duration(s: &str) -> Option<Duration> {
    let (prefix, clock) = match s.rfind(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&s[..=i], &s[i + 1..]),
        None => ("", s),
    };
    let base = if prefix.is_empty() {
        Duration::ZERO
    } else {
        parse_duration(prefix).ok()?
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if parts.len() != 3 {
        return None;
    }
    let h: u64 = parts[0].parse().ok()?;
    let m: u64 = parts[1].parse().ok()?;
    let (sec, frac) = parts[2].split_once('.').unwrap_or((parts[2], ""));
    let sec: u64 = sec.parse().ok()?;
    let nanos = if frac.is_empty() {
        0
    } else {
        let digits = frac.len().min(9);
        let f: u32 = frac[..digits].parse().ok()?;
        f * 10u32.pow(9 - digits as u32)
    };
    Some(base + Duration::new(h * 3_600 + m * 60 + sec, nanos))
}

/// Like [`parse_duration`], but `none` (and an empty value) mean "no limit".
pub fn parse_optional_duration(input: &str) -> Result<Option<Duration>, ParseError> {
    match input.trim() {
        "" | "none" => Ok(None),
        s => parse_duration(s).map(Some),
    }
}

/// Formats a duration the way RouterOS prints it: `1w2d3h4m5s`, `0s`, `1m58s660ms`.
pub fn format_duration(d: Duration) -> String {
    let mut secs = d.as_secs();
    let mut out = String::new();
    for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    if secs > 0 {
        out.push_str(&format!("{secs}s"));
    }
    let millis = d.subsec_millis();
    let micros = d.subsec_micros() % 1000;
    if millis > 0 {
        out.push_str(&format!("{millis}ms"));
    }
    if micros > 0 {
        out.push_str(&format!("{micros}us"));
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// Parses a byte or packet counter (a decimal integer string).
pub fn parse_u64(input: &str) -> Result<u64, ParseError> {
    input.trim().parse().map_err(|_| err("integer", input))
}

/// Parses a counter that may carry a `k`/`M`/`G`/`T` suffix (powers of 1024), as some inputs
/// to `limit-bytes-*` are written; plain integers are the normal case.
pub fn parse_bytes(input: &str) -> Result<u64, ParseError> {
    let s = input.trim();
    let (num, mult) = match s.as_bytes().last() {
        Some(b'k' | b'K') => (&s[..s.len() - 1], 1u64 << 10),
        Some(b'M') => (&s[..s.len() - 1], 1 << 20),
        Some(b'G') => (&s[..s.len() - 1], 1 << 30),
        Some(b'T') => (&s[..s.len() - 1], 1 << 40),
        _ => (s, 1),
    };
    let n: u64 = num.parse().map_err(|_| err("byte count", input))?;
    n.checked_mul(mult).ok_or_else(|| err("byte count", input))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Parses a date-time in either RouterOS format: `jun/26/2023 00:32:53` (before 7.10) or
/// `2023-06-26 00:32:53` (7.10 and later). The month name is case-insensitive.
pub fn parse_date_time(input: &str) -> Result<NaiveDateTime, ParseError> {
    let s = input.trim();
    let (date, time) = s.split_once(' ').ok_or_else(|| err("date-time", input))?;
    let date = parse_date(date).map_err(|_| err("date-time", input))?;
    let time =
        chrono::NaiveTime::parse_from_str(time, "%H:%M:%S").map_err(|_| err("date-time", input))?;
    Ok(date.and_time(time))
}

/// Like [`parse_date_time`], but the "never" sentinel `jan/01/1970 00:00:00` and an empty
/// value give `None`.
pub fn parse_optional_date_time(input: &str) -> Result<Option<NaiveDateTime>, ParseError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let dt = parse_date_time(s)?;
    Ok((dt.and_utc().timestamp() != 0).then_some(dt))
}

/// Parses a date in either format: `jun/26/2023` or `2023-06-26`.
pub fn parse_date(input: &str) -> Result<NaiveDate, ParseError> {
    let s = input.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d);
    }
    let mut it = s.split('/');
    let (Some(mon), Some(day), Some(year), None) = (it.next(), it.next(), it.next(), it.next())
    else {
        return Err(err("date", input));
    };
    let mon = mon.to_ascii_lowercase();
    let month = MONTHS
        .iter()
        .position(|m| *m == mon)
        .ok_or_else(|| err("date", input))?;
    let day: u32 = day.parse().map_err(|_| err("date", input))?;
    let year: i32 = year.parse().map_err(|_| err("date", input))?;
    NaiveDate::from_ymd_opt(year, month as u32 + 1, day).ok_or_else(|| err("date", input))
}

/// Formats a date in the pre-7.10 form (`jun/26/2023`) or the ISO form (`2023-06-26`).
pub fn format_date(d: NaiveDate, iso: bool) -> String {
    if iso {
        d.format("%Y-%m-%d").to_string()
    } else {
        let month = MONTHS[d.month0() as usize];
        format!("{month}/{}", d.format("%d/%Y"))
    }
}

/// Parses a time of day, `HH:MM:SS`.
pub fn parse_time_of_day(input: &str) -> Result<NaiveTime, ParseError> {
    NaiveTime::parse_from_str(input.trim(), "%H:%M:%S").map_err(|_| err("time of day", input))
}

/// Parses a moment that RouterOS may print shortened relative to `now`, as in a scheduler's
/// `next-run`: a full date-time in either format, `jun/26 00:32:53` or `06-26 00:32:53`
/// (this year, or next year if that date has passed), or `00:32:53` (today).
pub fn parse_moment(input: &str, now: NaiveDateTime) -> Result<NaiveDateTime, ParseError> {
    let s = input.trim();
    if let Ok(dt) = parse_date_time(s) {
        return Ok(dt);
    }
    let bad = || err("date-time", input);
    let Some((day, time)) = s.split_once(' ') else {
        return Ok(now
            .date()
            .and_time(parse_time_of_day(s).map_err(|_| bad())?));
    };
    let time = parse_time_of_day(time).map_err(|_| bad())?;
    let (month, day) = match day.split_once('/') {
        Some((mon, day)) => {
            let mon = mon.to_ascii_lowercase();
            let m = MONTHS.iter().position(|m| *m == mon).ok_or_else(bad)?;
            (m as u32 + 1, day)
        }
        None => {
            let (m, d) = day.split_once('-').ok_or_else(bad)?;
            (m.parse().map_err(|_| bad())?, d)
        }
    };
    let day: u32 = day.parse().map_err(|_| bad())?;
    let this_year = NaiveDate::from_ymd_opt(now.year(), month, day).ok_or_else(bad)?;
    let date = if this_year < now.date() {
        NaiveDate::from_ymd_opt(now.year() + 1, month, day).ok_or_else(bad)?
    } else {
        this_year
    };
    Ok(date.and_time(time))
}

/// Formats a date-time in the pre-7.10 form (`jun/26/2023 00:32:53`) or the ISO form.
pub fn format_date_time(dt: NaiveDateTime, iso: bool) -> String {
    if iso {
        dt.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        let month = MONTHS[dt.format("%m").to_string().parse::<usize>().unwrap_or(1) - 1];
        format!("{month}/{}", dt.format("%d/%Y %H:%M:%S"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("1w2d3h4m5s", 7 * 86_400 + 2 * 86_400 + 3 * 3_600 + 4 * 60 + 5, 0)]
    #[case("0s", 0, 0)]
    #[case("5h30m", 5 * 3600 + 30 * 60, 0)]
    #[case("23h28m14s", 23 * 3600 + 28 * 60 + 14, 0)]
    #[case("1m58s660ms", 118, 660_000_000)]
    #[case("453us", 0, 453_000)]
    #[case("01:22:53", 3600 + 22 * 60 + 53, 0)]
    #[case("1d02:00:00", 86_400 + 7200, 0)]
    #[case("30d", 30 * 86_400, 0)]
    #[case("3600", 3600, 0)]
    fn durations_parse(#[case] input: &str, #[case] secs: u64, #[case] nanos: u32) {
        assert_eq!(parse_duration(input), Ok(Duration::new(secs, nanos)));
    }

    #[rstest]
    #[case("")]
    #[case("5x")]
    #[case("h")]
    #[case("1:2")]
    #[case("none")]
    fn bad_durations_are_errors(#[case] input: &str) {
        assert!(parse_duration(input).is_err());
    }

    #[test]
    fn none_is_an_absent_duration() {
        assert_eq!(parse_optional_duration("none"), Ok(None));
        assert_eq!(
            parse_optional_duration("1h"),
            Ok(Some(Duration::from_secs(3600)))
        );
    }

    #[rstest]
    #[case(Duration::ZERO, "0s")]
    #[case(Duration::from_secs(9 * 86_400 + 3 * 3600 + 4 * 60 + 5), "1w2d3h4m5s")]
    #[case(Duration::from_millis(118_660), "1m58s660ms")]
    #[case(Duration::from_micros(453), "453us")]
    fn durations_format_like_routeros(#[case] d: Duration, #[case] want: &str) {
        assert_eq!(format_duration(d), want);
        assert_eq!(parse_duration(want), Ok(d));
    }

    #[test]
    fn both_date_formats_parse_to_the_same_instant() {
        let old = parse_date_time("jun/26/2023 00:32:53").expect("pre-7.10");
        let new = parse_date_time("2023-06-26 00:32:53").expect("7.10+");
        assert_eq!(old, new);
        assert_eq!(
            parse_date_time("Dec/04/2020 14:19:51")
                .map(|d| d.to_string())
                .as_deref(),
            Ok("2020-12-04 14:19:51")
        );
        assert_eq!(format_date_time(old, false), "jun/26/2023 00:32:53");
        assert_eq!(format_date_time(old, true), "2023-06-26 00:32:53");
        assert_eq!(parse_optional_date_time("jan/01/1970 00:00:00"), Ok(None));
        assert!(parse_date_time("2023-13-01 00:00:00").is_err());
    }

    #[test]
    fn dates_format_and_shortened_moments_parse() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 8).expect("date");
        assert_eq!(format_date(d, false), "nov/08/2026");
        assert_eq!(format_date(d, true), "2026-11-08");
        assert_eq!(parse_date("nov/08/2026"), Ok(d));
        let now = parse_date_time("2026-12-30 10:00:00").expect("now");
        let at = |s: &str| parse_moment(s, now).map(|d| d.to_string());
        assert_eq!(
            at("nov/28/2026 01:02:03").as_deref(),
            Ok("2026-11-28 01:02:03")
        );
        assert_eq!(
            at("2027-01-02 01:02:03").as_deref(),
            Ok("2027-01-02 01:02:03")
        );
        assert_eq!(at("dec/31 01:02:03").as_deref(), Ok("2026-12-31 01:02:03"));
        assert_eq!(at("jan/02 01:02:03").as_deref(), Ok("2027-01-02 01:02:03"));
        assert_eq!(at("01-02 01:02:03").as_deref(), Ok("2027-01-02 01:02:03"));
        assert_eq!(at("23:00:00").as_deref(), Ok("2026-12-30 23:00:00"));
        assert!(at("tomorrow").is_err());
        assert!(parse_time_of_day("25:00:00").is_err());
    }

    #[test]
    fn counters_parse() {
        assert_eq!(parse_u64("123456"), Ok(123_456));
        assert_eq!(parse_bytes("1G"), Ok(1 << 30));
        assert_eq!(parse_bytes("500k"), Ok(500 * 1024));
        assert!(parse_u64("-1").is_err());
    }
}
