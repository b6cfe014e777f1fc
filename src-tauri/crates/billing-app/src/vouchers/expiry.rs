//! Calendar validity enforced by the router alone, across reboots and clock jumps.
//!
//! At a voucher's first login the profile's `on-login` script writes the absolute expiry into
//! the user's comment, after our marker: `VOUCHER_SYSTEM|…|exp=2026-12-08 10:15:30` (router
//! local time, always ISO whatever the router prints). One scheduler per router,
//! [`SWEEPER_NAME`], runs [`sweeper_script`] every minute: it reads the router's clock (both
//! date formats: `jul/14/2023` up to 7.9, `2023-07-14` from 7.10), kicks every voucher whose
//! expiry has passed and disables it. Disabled, not removed: the app, when it next runs, still
//! finds the user with its stamp and records the voucher as expired (first login and expiry
//! included), then removes it. A slot missed while the router was off or
//! while its clock jumped only delays the next sweep by a minute.
//!
//! A 1970 clock (a board without a battery, before NTP) is never trusted: below year 2024
//! the sweeper does nothing, and a login then writes `|exp=+<validity seconds>`, which the
//! first sweep with a trusted clock turns into an absolute expiry (counted from then; at
//! most the time the clock was wrong is given away).
//!
//! Facts the scripts rely on, from `/work/shared/reference` and community code:
//! `:pick`, `:find`, `:tonum`, `:tostr`, `:typeof`, `:foreach` exist in 6.49 and 7.x;
//! `[:tonum "08"]` is 8 (eworm-de's `ParseDate` relies on it); `:find` gives nothing (not
//! a number) when the text is absent. UNCONFIRMED on a router: RouterOS's operator
//! precedence (every operation here is in its own parentheses, so it does not matter) and
//! the clock's month names being lower case (`jan/02/1970` in the manual).

use chrono::{NaiveDateTime, Utc};

/// Name of the router-wide expiry scheduler.
pub const SWEEPER_NAME: &str = "mikrobill-voucher-expiry";
/// How often it runs (RouterOS duration).
pub const SWEEP_INTERVAL: &str = "1m";
/// What precedes the expiry in a voucher's comment.
pub const EXPIRY_KEY: &str = "|exp=";
/// The first year the scripts trust the router's clock in.
pub const TRUSTED_YEAR: i64 = 2024;

/// The expiry a voucher's router comment carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// Expires at this router-local time.
    At(NaiveDateTime),
    /// Logged in while the router's clock was not set: expires this many seconds after the
    /// clock is trusted again.
    Pending { validity_secs: i64 },
}

/// The expiry in a voucher's comment, if the router wrote one.
pub fn parse_stamp(comment: &str) -> Option<Stamp> {
    let rest = &comment[comment.rfind(EXPIRY_KEY)? + EXPIRY_KEY.len()..];
    let value = rest.split('|').next().unwrap_or_default().trim();
    if let Some(secs) = value.strip_prefix('+') {
        return secs
            .parse()
            .ok()
            .map(|validity_secs| Stamp::Pending { validity_secs });
    }
    ["%Y-%m-%d %H:%M:%S", "%b/%d/%Y %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(value, f).ok())
        .map(Stamp::At)
}

/// Reads the router's clock into `$y $mo $dd` and `$s` (seconds of the day), in either
/// date format.
const CLOCK: &str = r#":local d [/system clock get date]
:local t [:tostr [/system clock get time]]
:local y 0
:local mo 0
:local dd 0
:if ([:pick $d 3] = "/") do={
:set mo (([:find "janfebmaraprmayjunjulaugsepoctnovdec" [:pick $d 0 3]] / 3) + 1)
:set dd [:tonum [:pick $d 4 6]]
:set y [:tonum [:pick $d 7 11]]
} else={
:set y [:tonum [:pick $d 0 4]]
:set mo [:tonum [:pick $d 5 7]]
:set dd [:tonum [:pick $d 8 10]]
}
:local s ((([:tonum [:pick $t 0 2]] * 3600) + ([:tonum [:pick $t 3 5]] * 60)) + [:tonum [:pick $t 6 8]])
"#;

/// `$now`: seconds since 1970-01-01 00:00:00 of the clock read by [`CLOCK`] (days from the
/// civil date as in H. Hinnant's `days_from_civil`, integer arithmetic only).
const NOW: &str = r#":local a $y
:if ($mo <= 2) do={:set a ($a - 1)}
:local m3 ($mo + 9)
:if ($mo > 2) do={:set m3 ($mo - 3)}
:local days ((((((($a * 365) + ($a / 4)) - ($a / 100)) + ($a / 400)) + (((153 * $m3) + 2) / 5)) + ($dd - 1)) - 719468)
:local now (($days * 86400) + $s)
"#;

/// `$x`: the time `$e` (seconds since 1970) as `YYYY-MM-DD HH:MM:SS` (`civil_from_days`).
const FORMAT: &str = r#":local z (($e / 86400) + 719468)
:local r ($e - (($e / 86400) * 86400))
:local era ($z / 146097)
:local q ($z - ($era * 146097))
:local w ((((($q - ($q / 1460)) + ($q / 36524)) - ($q / 146096))) / 365)
:local ey ($w + ($era * 400))
:local yd ($q - ((($w * 365) + ($w / 4)) - ($w / 100)))
:local mp (((5 * $yd) + 2) / 153)
:local ed (($yd - (((153 * $mp) + 2) / 5)) + 1)
:local em ($mp + 3)
:if ($mp >= 10) do={:set em ($mp - 9)}
:if ($em <= 2) do={:set ey ($ey + 1)}
:local x ($ey . "-" . [:pick [:tostr (100 + $em)] 1 3] . "-" . [:pick [:tostr (100 + $ed)] 1 3] . " " . [:pick [:tostr (100 + ($r / 3600))] 1 3] . ":" . [:pick [:tostr (100 + (($r / 60) - (($r / 3600) * 60)))] 1 3] . ":" . [:pick [:tostr (100 + ($r - (($r / 60) * 60)))] 1 3])
"#;

/// The part of a voucher profile's `on-login` that stamps the expiry at the first login.
pub fn stamp_on_login(validity_secs: i64) -> String {
    format!(
        ":local u [/ip hotspot user find name=$user]\n\
         :local c [/ip hotspot user get $u comment]\n\
         :if ([:typeof [:find $c \"{EXPIRY_KEY}\"]] != \"num\") do={{\n\
         {CLOCK}{NOW}:local v {validity_secs}\n\
         :if ($y >= {TRUSTED_YEAR}) do={{\n\
         :local e ($now + $v)\n\
         {FORMAT}/ip hotspot user set $u comment=($c . \"{EXPIRY_KEY}\" . $x)\n\
         }} else={{\n\
         /ip hotspot user set $u comment=($c . \"{EXPIRY_KEY}+\" . $v)\n\
         }}\n\
         }}"
    )
}

/// The sweeper's `on-event`: with a trusted clock, disables every voucher (our marker)
/// whose stamped expiry has passed and ends its sessions; turns pending stamps into times.
pub fn sweeper_script() -> String {
    let marker = super::MARKER;
    let key_len = EXPIRY_KEY.len();
    format!(
        "{CLOCK}:if ($y >= {TRUSTED_YEAR}) do={{\n\
         {NOW}:local nk ((((($y * 10000) + ($mo * 100)) + $dd) * 1000000) + (((($s / 3600) * 10000) + ((($s / 60) - (($s / 3600) * 60)) * 100)) + ($s - (($s / 60) * 60))))\n\
         :foreach u in=[/ip hotspot user find] do={{\n\
         :local c [/ip hotspot user get $u comment]\n\
         :local p [:find $c \"{EXPIRY_KEY}\"]\n\
         :if (([:typeof $p] = \"num\") and ([:pick $c 0 {mlen}] = \"{marker}|\")) do={{\n\
         :local v [:pick $c ($p + {key_len}) [:len $c]]\n\
         :if ([:pick $v 0 1] = \"+\") do={{\n\
         :local e ($now + [:tonum [:pick $v 1 [:len $v]]])\n\
         {FORMAT}/ip hotspot user set $u comment=([:pick $c 0 $p] . \"{EXPIRY_KEY}\" . $x)\n\
         }} else={{\n\
         :local k [:tonum ([:pick $v 0 4] . [:pick $v 5 7] . [:pick $v 8 10] . [:pick $v 11 13] . [:pick $v 14 16] . [:pick $v 17 19])]\n\
         :if ([:typeof $k] = \"num\") do={{\n\
         :if (($k <= $nk) and ([/ip hotspot user get $u disabled] = false)) do={{\n\
         :local n [/ip hotspot user get $u name]\n\
         /ip hotspot user disable $u\n\
         /ip hotspot active remove [find user=$n]\n\
         :log info (\"voucher \" . $n . \" expired at \" . $v)\n\
         }}\n\
         }}\n\
         }}\n\
         }}\n\
         }}\n\
         }}",
        mlen = marker.len() + 1,
    )
}

/// How far a router's clock is from the app's, if the router's can be trusted.
pub fn trusted(router_now: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
    use chrono::Datelike;
    router_now.filter(|t| i64::from(t.year()) >= TRUSTED_YEAR)
}

/// The app time of a router-local time, given both clocks now.
pub fn to_app(
    t: NaiveDateTime,
    router_now: NaiveDateTime,
    now: chrono::DateTime<Utc>,
) -> chrono::DateTime<Utc> {
    now + (t - router_now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("a date-time")
    }

    #[test]
    fn stamps_are_read_in_both_date_formats_and_pending() {
        let c = "VOUCHER_SYSTEM|NULL|b|NULL|2026-12-07|kasir|exp=2026-12-08 10:15:30";
        assert_eq!(parse_stamp(c), Some(Stamp::At(t("2026-12-08 10:15:30"))));
        let old = "VOUCHER_SYSTEM|NULL|b|NULL|2026-12-07|kasir|exp=dec/08/2026 10:15:30";
        assert_eq!(parse_stamp(old), Some(Stamp::At(t("2026-12-08 10:15:30"))));
        let pending = "VOUCHER_SYSTEM|NULL|b|NULL|2026-12-07|kasir|exp=+86400";
        assert_eq!(
            parse_stamp(pending),
            Some(Stamp::Pending {
                validity_secs: 86_400
            })
        );
        assert_eq!(
            parse_stamp("VOUCHER_SYSTEM|NULL|b|NULL|2026-12-07|kasir"),
            None
        );
        assert_eq!(parse_stamp("VOUCHER_SYSTEM|exp=garbage"), None);
    }

    #[test]
    fn a_stamped_comment_keeps_its_batch() {
        let batch = uuid::Uuid::from_u128(7);
        let c = super::super::batches::marker_comment(batch, None, "2026-12-07", "kasir");
        let stamped = format!("{c}{EXPIRY_KEY}2026-12-08 10:15:30");
        assert_eq!(super::super::batches::marker_batch(&stamped), Some(batch));
    }

    #[test]
    fn only_clocks_from_2024_on_are_trusted() {
        assert_eq!(trusted(Some(t("1970-01-02 00:05:00"))), None);
        assert!(trusted(Some(t("2024-01-01 00:00:00"))).is_some());
        assert_eq!(trusted(None), None);
    }
}
