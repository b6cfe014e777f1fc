//! Calendar validity on the router alone, with the app's real scripts in the RouterOS
//! simulator: the profile's `on-login` stamps the expiry on the user, the router's sweeper
//! ends the voucher, across reboots without a clock battery, power cuts, clock jumps and
//! both date formats (6.x/7.9 `dec/08/2026`, 7.10+ `2026-12-08`).

use std::time::Duration;

use billing_app::vouchers::batches::marker_comment;
use billing_app::vouchers::expiry::{sweeper_script, SWEEPER_NAME, SWEEP_INTERVAL};
use billing_app::vouchers::profiles::on_login_script;
use chrono::NaiveDateTime;
use routeros_api::sim::{SimConfig, SimHandle, SimVersion, Simulator};

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);
const VERSIONS: [SimVersion; 2] = [SimVersion::V6_49, SimVersion::V7_17];
const SOLD: &str = "K7P2Q9";
const SPARE: &str = "M3X8W4";

fn t(s: &str) -> NaiveDateTime {
    routeros_api::parse::parse_date_time(s).expect("a date-time")
}

/// A router with a one-day voucher profile (validity 1 d), the sweeper, and two vouchers
/// sold; the clock shows 2026-12-07 08:00:00.
async fn router(version: SimVersion, validity_secs: i64) -> SimHandle {
    let sim = Simulator::start(SimConfig {
        version,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    sim.set_clock(t("2026-12-07 08:00:00"));
    let script = on_login_script(
        "VOUCHER_SYSTEM|NULL|p1|NULL|2026-12-07|system",
        Some(validity_secs),
    );
    sim.add_item(
        "/ip/hotspot/user/profile",
        &[
            ("name", "1hari"),
            ("shared-users", "1"),
            ("on-login", &script),
        ],
    )
    .expect("profile");
    let sweeper = sweeper_script();
    sim.add_item(
        "/system/scheduler",
        &[
            ("name", SWEEPER_NAME),
            ("start-time", "startup"),
            ("interval", SWEEP_INTERVAL),
            ("policy", "read,write,test"),
            ("on-event", &sweeper),
        ],
    )
    .expect("sweeper");
    let comment = marker_comment(uuid::Uuid::from_u128(2), None, "2026-12-07", "kasir");
    for code in [SOLD, SPARE] {
        sim.add_item(
            "/ip/hotspot/user",
            &[
                ("name", code),
                ("password", code),
                ("profile", "1hari"),
                ("comment", &comment),
            ],
        )
        .expect("voucher");
    }
    sim
}

fn comment(sim: &SimHandle, code: &str) -> String {
    sim.find("/ip/hotspot/user", code)
        .and_then(|u| u.get("comment").cloned())
        .unwrap_or_default()
}

/// The voucher can still get online (the sweeper disables an expired one; the app removes
/// it when it next runs).
fn works(sim: &SimHandle, code: &str) -> bool {
    sim.find("/ip/hotspot/user", code)
        .is_some_and(|u| u.get("disabled").map(String::as_str) != Some("true"))
}

fn online(sim: &SimHandle, code: &str) -> bool {
    sim.find("/ip/hotspot/active", code).is_some()
}

fn no_script_errors(sim: &SimHandle) {
    let errors: Vec<_> = sim
        .log()
        .into_iter()
        .filter(|l| l.topics == "script,error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// The sold voucher logs in at 08:00 and gets its expiry, one day later, in ISO form.
async fn sold_and_logged_in(version: SimVersion) -> SimHandle {
    let sim = router(version, 86_400).await;
    sim.hotspot_login_with_password(SOLD, SOLD, "10.5.50.10", "AA:BB:CC:00:00:01")
        .expect("login");
    assert!(
        comment(&sim, SOLD).ends_with("|kasir|exp=2026-12-08 08:00:00"),
        "{version}: {} {:?}",
        comment(&sim, SOLD),
        sim.log()
    );
    // A second login (another day, another device) keeps the first stamp.
    sim.hotspot_logout(SOLD);
    sim.advance(HOUR);
    sim.hotspot_login_with_password(SOLD, SOLD, "10.5.50.10", "AA:BB:CC:00:00:01")
        .expect("login again");
    assert_eq!(comment(&sim, SOLD).matches("|exp=").count(), 1);
    sim
}

#[tokio::test]
async fn after_a_reboot_without_a_clock_battery_the_voucher_ends_at_the_first_sweep_once_ntp_sets_the_clock(
) {
    for version in VERSIONS {
        let sim = sold_and_logged_in(version).await;
        sim.advance(HOUR);
        sim.reboot_without_rtc(10 * MINUTE);
        assert!(!online(&sim, SOLD), "sessions are gone with the reboot");
        // NTP comes back after the expiry moment: the jump skips every missed run.
        sim.advance(3 * MINUTE);
        sim.set_clock(t("2026-12-08 09:30:00"));
        assert!(works(&sim, SOLD), "{version}: no sweep yet");
        sim.advance(MINUTE);
        assert!(!works(&sim, SOLD), "{version}: ended within one sweep");
        assert!(works(&sim, SPARE), "{version}: the unused one stays");
        assert!(comment(&sim, SPARE).ends_with("|kasir"));
        no_script_errors(&sim);
    }
}

#[tokio::test]
async fn a_router_that_is_off_across_the_expiry_ends_the_voucher_at_the_first_sweep_after_boot() {
    for version in VERSIONS {
        let sim = sold_and_logged_in(version).await;
        // Off from 09:00 on the 7th to 15:00 on the 8th (the battery keeps the clock).
        sim.power_off_for(30 * HOUR);
        assert!(works(&sim, SOLD), "{version}: nothing ran while off");
        sim.advance(MINUTE);
        assert!(!works(&sim, SOLD), "{version}: ended within one sweep");
        assert!(
            sim.hotspot_login_with_password(SOLD, SOLD, "10.5.50.10", "AA:BB:CC:00:00:01")
                .is_err(),
            "{version}"
        );
        assert!(works(&sim, SPARE));
        no_script_errors(&sim);
    }
}

#[tokio::test]
async fn a_clock_jump_shorter_than_the_validity_does_not_end_the_voucher_early() {
    for version in VERSIONS {
        let sim = sold_and_logged_in(version).await;
        // 09:00 on the 7th → 04:00 on the 8th: 19 hours skipped, 4 still to go.
        sim.set_clock(t("2026-12-08 04:00:00"));
        sim.advance(3 * HOUR + 59 * MINUTE);
        assert!(works(&sim, SOLD), "{version}: 07:59, still valid");
        assert!(online(&sim, SOLD), "{version}: still online");
        sim.advance(2 * MINUTE);
        assert!(!works(&sim, SOLD), "{version}: 08:01, ended");
        assert!(!online(&sim, SOLD), "{version}: and kicked");
        let ended: Vec<String> = sim
            .log()
            .into_iter()
            .filter(|l| l.topics == "script,info")
            .map(|l| l.message)
            .collect();
        assert_eq!(
            ended,
            [format!("voucher {SOLD} expired at 2026-12-08 08:00:00")],
            "{version}"
        );
        no_script_errors(&sim);
    }
}

#[tokio::test]
async fn a_1970_clock_before_ntp_neither_ends_vouchers_nor_stamps_a_1970_expiry() {
    for version in VERSIONS {
        let sim = sold_and_logged_in(version).await;
        sim.reboot_without_rtc(MINUTE);
        // Two days pass with the clock in January 1970 (no NTP server reachable).
        sim.advance(48 * HOUR);
        assert!(works(&sim, SOLD), "{version}: a 1970 clock ends nothing");
        // Someone uses the spare voucher meanwhile: its validity waits for a real clock.
        sim.hotspot_login_with_password(SPARE, SPARE, "10.5.50.11", "AA:BB:CC:00:00:02")
            .expect("login");
        assert!(
            comment(&sim, SPARE).ends_with("|kasir|exp=+86400"),
            "{version}"
        );
        sim.advance(10 * MINUTE);
        assert!(comment(&sim, SPARE).ends_with("|exp=+86400"), "{version}");

        // NTP syncs at 10:00: at the first sweep (10:01, a minute from the last 1970 one)
        // the sold one (expired 08:00 on the 8th) ends, and the spare one's day starts.
        sim.set_clock(t("2026-12-09 10:00:00"));
        sim.advance(MINUTE);
        assert!(!works(&sim, SOLD), "{version}");
        assert!(
            comment(&sim, SPARE).ends_with("|kasir|exp=2026-12-10 10:01:00"),
            "{version}: {}",
            comment(&sim, SPARE)
        );
        sim.advance(24 * HOUR - 2 * MINUTE);
        assert!(works(&sim, SPARE), "{version}");
        sim.advance(2 * MINUTE);
        assert!(!works(&sim, SPARE), "{version}");
        no_script_errors(&sim);
    }
}

#[tokio::test]
async fn the_router_computes_expiries_across_month_year_and_leap_day() {
    for version in VERSIONS {
        for (login, validity, expiry) in [
            ("2026-12-31 23:30:00", 3600, "2027-01-01 00:30:00"),
            ("2028-02-28 12:00:00", 86_400, "2028-02-29 12:00:00"),
            ("2027-02-28 12:00:00", 86_400, "2027-03-01 12:00:00"),
            ("2026-01-31 00:00:05", 30 * 86_400, "2026-03-02 00:00:05"),
            ("2026-06-15 09:08:07", 59, "2026-06-15 09:09:06"),
        ] {
            let sim = router(version, validity).await;
            sim.set_clock(t(login));
            sim.hotspot_login_with_password(SOLD, SOLD, "10.5.50.10", "AA:BB:CC:00:00:01")
                .expect("login");
            assert!(
                comment(&sim, SOLD).ends_with(&format!("|exp={expiry}")),
                "{version} {login} + {validity}s: {}",
                comment(&sim, SOLD)
            );
            no_script_errors(&sim);
        }
    }
}
