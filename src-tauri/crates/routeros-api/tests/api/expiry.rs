//! Calendar validity enforced by the router itself: the voucher profile's `on-login` adds a
//! per-user scheduler whose `on-event` removes the user, and it runs while the app is away.

use std::time::Duration;

use chrono::NaiveDateTime;
use routeros_api::hotspot::{NewHotspotProfile, NewHotspotUser};
use routeros_api::sim::{SimHandle, SimVersion};
use routeros_api::system::{NewScheduler, SchedulerStart};
use routeros_api::{Client, Command, TrapKind};

use super::{client, sim, sim_version};

const HOUR: Duration = Duration::from_secs(3600);
const SECOND: Duration = Duration::from_secs(1);

/// The script the app installs, for a validity such as `1d`.
fn voucher_on_login(validity: &str) -> String {
    format!(
        r#":if ([:len [/system scheduler find name="mbx-$user"]] = 0) do={{/system scheduler add name="mbx-$user" start-date=[/system clock get date] start-time=[/system clock get time] interval={validity} policy=read,write,test on-event="/ip hotspot active remove [find user=\"$user\"]; /ip hotspot user remove [find name=\"$user\"]; /system scheduler remove [find name=\"mbx-$user\"]" comment="VOUCHER_SYSTEM|expiry"}}"#
    )
}

/// A `1day` profile with the expiry script (two devices per voucher) and one voucher.
async fn voucher(c: &Client, name: &str) {
    c.hotspot_profiles()
        .add(&NewHotspotProfile {
            name: "1day".into(),
            rate_limit: Some("1M/2M".into()),
            shared_users: Some(2),
            on_login: Some(voucher_on_login("1d")),
            ..Default::default()
        })
        .await
        .expect("profile");
    c.hotspot_users()
        .add(&NewHotspotUser {
            name: name.into(),
            password: "1234".into(),
            profile: Some("1day".into()),
            comment: Some("VOUCHER_SYSTEM".into()),
            ..Default::default()
        })
        .await
        .expect("voucher");
}

fn is_on_router(sim: &SimHandle, user: &str) -> (bool, bool, bool) {
    (
        sim.find("/ip/hotspot/user", user).is_some(),
        sim.find("/ip/hotspot/active", user).is_some(),
        sim.find("/system/scheduler", &format!("mbx-{user}"))
            .is_some(),
    )
}

fn no_script_errors(sim: &SimHandle) {
    let errors: Vec<_> = sim
        .log()
        .into_iter()
        .filter(|l| l.topics.contains("error"))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[tokio::test]
async fn voucher_is_removed_by_the_router_one_day_after_first_login() {
    for (version, raw_date) in [
        (SimVersion::V7_9, "jan/05/2026"),
        (SimVersion::V7_17, "2026-01-05"),
    ] {
        let sim = sim_version(version).await;
        let c = client(&sim).await;
        voucher(&c, "v-1001").await;
        sim.advance(Duration::from_secs(90 * 60));
        let login_at = sim.clock();
        sim.hotspot_login("v-1001", "10.5.50.20", "AA:BB:CC:00:10:01")
            .expect("first login");
        assert_eq!(c.clock().await.expect("clock"), login_at, "{version}");

        let items = c.scheduler().list().await.expect("schedulers");
        assert_eq!(items.len(), 1, "{version}");
        let s = &items[0];
        assert_eq!(s.name, "mbx-v-1001");
        assert_eq!(s.start_date, Some(login_at.date()), "{version}");
        assert_eq!(s.start_time, Some(login_at.time()), "{version}");
        assert_eq!(s.interval, Duration::from_secs(86_400));
        assert_eq!(
            s.next_run,
            Some(login_at + chrono::Duration::days(1)),
            "{version}"
        );
        assert_eq!(s.comment.as_deref(), Some("VOUCHER_SYSTEM|expiry"));
        assert!(
            s.on_event.contains("[find name=\"v-1001\"]"),
            "{}",
            s.on_event
        );
        let stored = sim.find("/system/scheduler", "mbx-v-1001").expect("stored");
        assert_eq!(stored["start-date"], raw_date, "{version}");
        assert_eq!(stored["start-time"], "09:30:00", "{version}");

        // A second device an hour later adds no second scheduler and moves nothing.
        sim.advance(HOUR);
        sim.hotspot_login("v-1001", "10.5.50.21", "AA:BB:CC:00:10:02")
            .expect("second device");
        let items = c.scheduler().list().await.expect("schedulers");
        assert_eq!(items.len(), 1, "{version}");
        assert_eq!(items[0].next_run, s.next_run, "{version}");

        // The app goes away; the router keeps time alone.
        drop(c);
        sim.advance(22 * HOUR);
        assert_eq!(
            is_on_router(&sim, "v-1001"),
            (true, true, true),
            "{version}"
        );
        sim.advance(HOUR - SECOND);
        assert_eq!(
            is_on_router(&sim, "v-1001"),
            (true, true, true),
            "{version}"
        );
        sim.advance(SECOND);
        assert_eq!(
            is_on_router(&sim, "v-1001"),
            (false, false, false),
            "{version}: gone exactly one day after the first login"
        );
        no_script_errors(&sim);

        // The app comes back and sees the router's view.
        let c = client(&sim).await;
        assert!(c
            .hotspot_users()
            .get_by_name("v-1001")
            .await
            .expect("get")
            .is_none());
        assert!(c.hotspot_active().list().await.expect("active").is_empty());
        assert!(c.scheduler().list().await.expect("list").is_empty());
        sim.shutdown();
    }
}

#[tokio::test]
async fn nothing_runs_while_the_router_is_off_and_expiry_waits_for_the_next_slot() {
    let sim = sim_version(SimVersion::V7_9).await;
    let c = client(&sim).await;
    voucher(&c, "v-2002").await;
    let login_at = sim.clock();
    sim.hotspot_login("v-2002", "10.5.50.30", "AA:BB:CC:00:20:02")
        .expect("login");
    sim.advance(20 * HOUR);
    sim.power_off_for(10 * HOUR);
    assert_eq!(sim.clock(), login_at + chrono::Duration::hours(30));
    assert_eq!(
        is_on_router(&sim, "v-2002"),
        (true, false, true),
        "the expiry slot passed while off: nothing ran, only the session is gone"
    );
    let stored = sim.find("/system/scheduler", "mbx-v-2002").expect("stored");
    assert_eq!(stored["run-count"], "0");
    assert_eq!(
        stored["next-run"], "jan/07/2026 08:00:00",
        "next slot after boot"
    );

    let c2 = client(&sim).await;
    let s = c2
        .scheduler()
        .get_by_name("mbx-v-2002")
        .await
        .expect("get")
        .expect("exists");
    let next: Option<NaiveDateTime> = Some(login_at + chrono::Duration::days(2));
    assert_eq!(s.next_run, next);
    drop((c, c2));
    sim.advance(18 * HOUR - SECOND);
    assert_eq!(is_on_router(&sim, "v-2002"), (true, false, true));
    sim.advance(SECOND);
    assert_eq!(is_on_router(&sim, "v-2002"), (false, false, false));
    no_script_errors(&sim);
}

#[tokio::test]
async fn startup_schedulers_run_at_each_boot_and_repeating_ones_keep_their_rhythm() {
    let sim = sim().await;
    let c = client(&sim).await;
    let s = c.scheduler();
    s.add(&NewScheduler {
        name: "boot".into(),
        start: SchedulerStart::Startup,
        on_event: ":log info \"booted\"".into(),
        ..Default::default()
    })
    .await
    .expect("startup item");
    s.add(&NewScheduler {
        name: "tick".into(),
        interval: 3 * HOUR,
        on_event: ":log info (\"tick \" . [/system clock get time])".into(),
        ..Default::default()
    })
    .await
    .expect("every 3h");
    let dup = s
        .add(&NewScheduler {
            name: "tick".into(),
            ..Default::default()
        })
        .await
        .expect_err("duplicate");
    assert_eq!(dup.trap_kind(), Some(TrapKind::AlreadyExists));
    assert_eq!(
        dup.trap().map(|t| t.message.as_str()),
        Some("failure: item with such name already exists")
    );

    sim.advance(7 * HOUR);
    sim.power_off_for(HOUR);
    sim.advance(3 * HOUR);
    sim.reboot(Duration::ZERO);
    let lines: Vec<String> = sim.log().into_iter().map(|l| l.message).collect();
    // Added 08:00; ticks at 11:00 and 14:00; off 15:00–16:00, boot; tick at 17:00 (the
    // rhythm counts from the start, not from the boot); the reboot at 19:00 boots again.
    assert_eq!(
        lines,
        [
            "tick 11:00:00",
            "tick 14:00:00",
            "booted",
            "tick 17:00:00",
            "booted"
        ]
    );
    let c = client(&sim).await;
    let items = c.scheduler().list().await.expect("list");
    let boot = items.iter().find(|i| i.name == "boot").expect("boot");
    assert!(boot.at_startup && boot.next_run.is_none());
    // run-count lives in RAM: the last boot started it again.
    assert_eq!(boot.run_count, 1);
    let tick = items.iter().find(|i| i.name == "tick").expect("tick");
    assert_eq!(
        tick.next_run.map(|t| t.to_string()).as_deref(),
        Some("2026-01-05 20:00:00")
    );
    c.scheduler().remove(&tick.id).await.expect("remove");
    assert!(sim.find("/system/scheduler", "tick").is_none());
}

#[tokio::test]
async fn clock_reads_in_both_formats_and_schedulers_take_the_router_date_format() {
    for (version, date) in [
        (SimVersion::V6_49, "jan/05/2026"),
        (SimVersion::V7_17, "2026-01-05"),
    ] {
        let sim = sim_version(version).await;
        let c = client(&sim).await;
        let clock = c.system_clock().await.expect("clock");
        assert_eq!(clock.now, sim.clock(), "{version}");
        assert_eq!(clock.iso_dates, version >= SimVersion::V7_17);
        assert_eq!(clock.time_zone_name.as_deref(), Some("Asia/Jakarta"));
        let got = c
            .call(Command::new("/system/clock/get").attr("value-name", "date"))
            .await
            .expect("get date");
        assert_eq!(got.ret().as_deref(), Some(date), "{version}");
        let at = sim.clock() + chrono::Duration::days(2);
        c.scheduler()
            .add(&NewScheduler {
                name: "later".into(),
                start: SchedulerStart::At(at),
                on_event: ":log info later".into(),
                ..Default::default()
            })
            .await
            .expect("add at a date");
        let stored = sim.find("/system/scheduler", "later").expect("stored");
        assert!(
            stored["next-run"].starts_with(&date.replace("05", "07")),
            "{stored:?}"
        );
        let got = c
            .scheduler()
            .get_by_name("later")
            .await
            .expect("get")
            .expect("exists");
        assert_eq!(got.next_run, Some(at), "{version}");
        // An ISO date is refused before 7.10, as by RouterOS.
        let iso = c
            .call(
                Command::new("/system/scheduler/add")
                    .attr("name", "iso")
                    .attr("start-date", "2026-01-09"),
            )
            .await;
        assert_eq!(
            iso.is_err(),
            version < SimVersion::new(7, 10, 0),
            "{version}"
        );
        sim.advance(Duration::from_secs(2 * 86_400));
        assert!(sim.log().iter().any(|l| l.message == "later"), "{version}");
        assert_eq!(
            sim.find("/system/scheduler", "later").expect("kept")["run-count"],
            "1"
        );
    }
}

#[tokio::test]
async fn hotspot_refuses_used_up_vouchers_and_extra_devices() {
    let sim = sim().await;
    let c = client(&sim).await;
    let users = c.hotspot_users();
    for (name, uptime, bytes) in [
        ("u-time", Some(HOUR), None),
        ("u-bytes", None, Some(1_000)),
        ("u-one", None, None),
    ] {
        users
            .add(&NewHotspotUser {
                name: name.into(),
                password: "p".into(),
                limit_uptime: uptime,
                limit_bytes_total: bytes,
                ..Default::default()
            })
            .await
            .expect("user");
    }
    sim.hotspot_login("u-time", "10.5.50.2", "AA:00:00:00:00:02")
        .expect("login");
    sim.advance(HOUR);
    let err = sim
        .hotspot_login("u-time", "10.5.50.2", "AA:00:00:00:00:02")
        .expect_err("uptime used up");
    assert_eq!(
        err.to_string(),
        "simulator: user u-time has reached uptime limit"
    );

    sim.hotspot_login("u-bytes", "10.5.50.3", "AA:00:00:00:00:03")
        .expect("login");
    sim.hotspot_traffic("u-bytes", 400, 600);
    assert!(sim.find("/ip/hotspot/active", "u-bytes").is_none());
    let err = sim
        .hotspot_login("u-bytes", "10.5.50.3", "AA:00:00:00:00:03")
        .expect_err("bytes used up");
    assert_eq!(
        err.to_string(),
        "simulator: user u-bytes has reached traffic limit"
    );

    // The default profile allows one session per user.
    sim.hotspot_login("u-one", "10.5.50.4", "AA:00:00:00:00:04")
        .expect("first device");
    let err = sim
        .hotspot_login("u-one", "10.5.50.5", "AA:00:00:00:00:05")
        .expect_err("second device");
    assert_eq!(
        err.to_string(),
        "simulator: no more sessions are allowed for user u-one"
    );
    assert_eq!(sim.hotspot_logout("u-one"), 1);
    sim.hotspot_login("u-one", "10.5.50.5", "AA:00:00:00:00:05")
        .expect("after logout");
}

#[tokio::test]
async fn a_broken_on_login_script_is_logged_and_the_login_stands() {
    let sim = sim().await;
    let c = client(&sim).await;
    c.hotspot_profiles()
        .add(&NewHotspotProfile {
            name: "broken".into(),
            on_login: Some(":while (true) do={ :log info x }".into()),
            ..Default::default()
        })
        .await
        .expect("profile");
    let p = c
        .hotspot_profiles()
        .get_by_name("broken")
        .await
        .expect("get")
        .expect("exists");
    assert!(p
        .on_login
        .as_deref()
        .is_some_and(|s| s.starts_with(":while")));
    users_add(&c, "b1", "broken").await;
    sim.hotspot_login("b1", "10.5.50.9", "AA:00:00:00:00:09")
        .expect("login stands");
    let log = sim.log();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].topics, "script,error");
    assert!(
        log[0]
            .message
            .starts_with("executing script from hotspot on-login (b1) failed: syntax error"),
        "{}",
        log[0].message
    );
    let rows = c.run("/log/print").await.expect("log over the API");
    assert_eq!(rows[0].get("topics").as_deref(), Some("script,error"));
}

async fn users_add(c: &Client, name: &str, profile: &str) {
    c.hotspot_users()
        .add(&NewHotspotUser {
            name: name.into(),
            password: "p".into(),
            profile: Some(profile.into()),
            ..Default::default()
        })
        .await
        .expect("user");
}
