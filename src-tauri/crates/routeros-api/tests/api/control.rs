//! Driving the simulator over the API as a router with clients is driven: hotspot logins
//! and logouts, PPPoE sessions, its clock and reboots (`/ip/hotspot/active/login` and the
//! simulator-only `/sim/…` commands), with the wire sentences a non-Rust client sees.

use routeros_api::parse::parse_date_time;

use super::raw::Raw;
use super::sim;

fn trap(message: &str) -> Vec<Vec<String>> {
    vec![
        vec!["!trap".to_owned(), format!("=message={message}")],
        vec!["!done".to_owned()],
    ]
}

/// A hotspot profile whose scripts log logins and logouts, and one user.
async fn hotspot_user(r: &mut Raw) {
    r.send(&[
        "/ip/hotspot/user/profile/add",
        "=name=1jam",
        "=shared-users=1",
        "=on-login=:log info (\"in \" . $user . \"@\" . $address)",
        "=on-logout=:log info (\"out \" . $user)",
    ])
    .await;
    assert_eq!(r.until_done().await.len(), 1);
    r.send(&[
        "/ip/hotspot/user/add",
        "=name=K7P2Q9",
        "=password=rahasia",
        "=profile=1jam",
        "=limit-uptime=1h",
    ])
    .await;
    assert_eq!(r.until_done().await.len(), 1);
}

#[tokio::test]
async fn a_hotspot_login_over_the_api_checks_the_password_and_limits_and_runs_the_scripts() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    hotspot_user(&mut r).await;

    let login = |pw: &'static str, ip: &'static str| {
        [
            "/ip/hotspot/active/login",
            "=user=K7P2Q9",
            pw,
            ip,
            "=mac-address=AA:BB:CC:00:00:01",
        ]
    };
    r.send(&login("=password=salah", "=ip=10.5.50.10")).await;
    assert_eq!(r.until_done().await, trap("invalid username or password"));
    r.send(&["/ip/hotspot/active/login", "=user=nobody", "=password=x"])
        .await;
    assert_eq!(r.until_done().await, trap("invalid username or password"));
    assert!(sim.items("/ip/hotspot/active").is_empty());

    r.send(&login("=password=rahasia", "=ip=10.5.50.10")).await;
    let done = r.until_done().await;
    assert_eq!(done[0][0], "!done", "{done:?}");
    let active = sim.find("/ip/hotspot/active", "K7P2Q9").expect("logged in");
    assert_eq!(active["address"], "10.5.50.10");
    assert_eq!(active["mac-address"], "AA:BB:CC:00:00:01");
    assert_eq!(done[0][1], format!("=ret={}", active[".id"]));
    // shared-users=1: a second device is refused.
    r.send(&login("=password=rahasia", "=ip=10.5.50.11")).await;
    assert_eq!(
        r.until_done().await,
        trap("no more sessions are allowed for user K7P2Q9")
    );

    // Logout is a remove on /ip/hotspot/active, and it runs on-logout.
    r.send(&[
        "/ip/hotspot/active/remove",
        &format!("=.id={}", active[".id"]),
    ])
    .await;
    assert_eq!(r.until_done().await, vec![vec!["!done".to_owned()]]);
    assert!(sim.items("/ip/hotspot/active").is_empty());
    let log: Vec<String> = sim.log().into_iter().map(|l| l.message).collect();
    assert_eq!(log, ["in K7P2Q9@10.5.50.10", "out K7P2Q9"]);

    // limit-uptime follows the simulated clock: an hour online, then the router refuses.
    r.send(&login("=password=rahasia", "=ip=10.5.50.10")).await;
    assert_eq!(r.until_done().await[0][0], "!done");
    r.send(&["/sim/clock/advance", "=by=1h"]).await;
    assert_eq!(r.until_done().await, vec![vec!["!done".to_owned()]]);
    assert!(
        sim.items("/ip/hotspot/active").is_empty(),
        "logged out at the limit"
    );
    r.send(&login("=password=rahasia", "=ip=10.5.50.10")).await;
    assert_eq!(
        r.until_done().await,
        trap("user K7P2Q9 has reached uptime limit")
    );
}

#[tokio::test]
async fn pppoe_sessions_come_and_go_over_the_api_and_are_checked_like_a_dial_in() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/ppp/profile/add", "=name=10M", "=rate-limit=10M/10M"])
        .await;
    assert_eq!(r.until_done().await.len(), 1);
    r.send(&[
        "/ppp/secret/add",
        "=name=rina",
        "=password=rahasia",
        "=profile=10M",
        "=service=pppoe",
    ])
    .await;
    assert_eq!(r.until_done().await.len(), 1);
    let connect = |pw: &'static str| {
        [
            "/sim/ppp/connect",
            "=name=rina",
            pw,
            "=caller-id=AA:BB:CC:00:00:01",
            "=address=10.10.0.2",
        ]
    };
    r.send(&connect("=password=salah")).await;
    assert_eq!(
        r.until_done().await,
        trap("user rina authentication failed")
    );
    r.send(&["/sim/ppp/connect", "=name=budi", "=password=x"])
        .await;
    assert_eq!(r.until_done().await, trap("no such secret"));
    r.send(&["/ppp/secret/disable", "=numbers=rina"]).await;
    r.until_done().await;
    r.send(&connect("=password=rahasia")).await;
    assert_eq!(r.until_done().await, trap("secret is disabled"));
    r.send(&["/ppp/secret/enable", "=numbers=rina"]).await;
    r.until_done().await;

    r.send(&connect("=password=rahasia")).await;
    assert_eq!(r.until_done().await[0][0], "!done");
    r.send(&["/ppp/active/print", "=.proplist=name,address,caller-id"])
        .await;
    assert_eq!(
        r.until_done().await[0],
        [
            "!re",
            "=name=rina",
            "=caller-id=AA:BB:CC:00:00:01",
            "=address=10.10.0.2"
        ]
    );
    r.send(&["/sim/ppp/traffic", "=name=rina", "=rx=1000", "=tx=9000"])
        .await;
    assert_eq!(r.until_done().await, vec![vec!["!done".to_owned()]]);
    let iface = sim.find("/interface", "<pppoe-rina>").expect("interface");
    assert_eq!(
        (iface["rx-byte"].as_str(), iface["tx-byte"].as_str()),
        ("1000", "9000")
    );
    r.send(&["/sim/clock/advance", "=by=1d2h"]).await;
    r.until_done().await;
    assert_eq!(
        sim.find("/ppp/active", "rina").expect("up")["uptime"],
        "1d2h"
    );

    // The app ends a session with /ppp/active/remove; a client hang-up is /sim/ppp/disconnect.
    let id = sim.find("/ppp/active", "rina").expect("up")[".id"].clone();
    r.send(&["/ppp/active/remove", &format!("=.id={id}")]).await;
    assert_eq!(r.until_done().await, vec![vec!["!done".to_owned()]]);
    assert!(sim.items("/ppp/active").is_empty());
    r.send(&connect("=password=rahasia")).await;
    r.until_done().await;
    r.send(&["/sim/ppp/disconnect", "=name=rina"]).await;
    assert_eq!(
        r.until_done().await,
        vec![vec!["!done".to_owned(), "=ret=1".to_owned()]]
    );
    assert!(sim.items("/ppp/active").is_empty());
    let secret = sim.find("/ppp/secret", "rina").expect("secret");
    assert_eq!(secret["last-caller-id"], "AA:BB:CC:00:00:01");
}

#[tokio::test]
async fn secrets_and_hotspot_users_naming_a_missing_profile_are_refused() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    let refused = vec![
        vec![
            "!trap".to_owned(),
            "=category=1".to_owned(),
            "=message=input does not match any value of profile".to_owned(),
        ],
        vec!["!done".to_owned()],
    ];
    r.send(&["/ppp/secret/add", "=name=rina", "=profile=pppoe-15M"])
        .await;
    assert_eq!(r.until_done().await, refused);
    assert!(sim.find("/ppp/secret", "rina").is_none());
    r.send(&["/ppp/secret/add", "=name=rina"]).await;
    r.until_done().await;
    r.send(&["/ppp/secret/set", "=numbers=rina", "=profile=pppoe-15M"])
        .await;
    assert_eq!(r.until_done().await, refused);
    assert_eq!(
        sim.find("/ppp/secret", "rina").expect("kept")["profile"],
        "default"
    );
    r.send(&["/ip/hotspot/user/add", "=name=u1"]).await;
    r.until_done().await;
    r.send(&["/ip/hotspot/user/set", "=numbers=u1", "=profile=1hari"])
        .await;
    assert_eq!(r.until_done().await, refused);
}

#[tokio::test]
async fn the_clock_advances_and_jumps_over_the_api_and_schedulers_follow_it() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/sim/clock/set", "=date=2026-12-07", "=time=09:00:00"])
        .await;
    assert_eq!(r.until_done().await, vec![vec!["!done".to_owned()]]);
    assert_eq!(
        sim.clock(),
        parse_date_time("2026-12-07 09:00:00").expect("t")
    );
    r.send(&[
        "/system/scheduler/add",
        "=name=tick",
        "=interval=1h",
        "=on-event=:global n ($n + 1)",
    ])
    .await;
    r.until_done().await;
    sim.run_script(":global n 0", &[]).expect("init");
    r.send(&["/sim/clock/advance", "=by=3h"]).await;
    r.until_done().await;
    assert_eq!(
        sim.find("/system/scheduler", "tick").expect("s")["run-count"],
        "3"
    );
    // A jump (NTP, or someone setting the clock) skips what fell due in between.
    r.send(&["/sim/clock/set", "=date=dec/09/2026", "=time=12:30:00"])
        .await;
    r.until_done().await;
    let s = sim.find("/system/scheduler", "tick").expect("s");
    assert_eq!(s["run-count"], "3");
    assert_eq!(s["next-run"], "2026-12-09 13:00:00");
    r.send(&["/sim/clock/advance", "=by=soon"]).await;
    assert_eq!(r.until_done().await[0][0], "!trap");
    r.send(&["/sim/warp"]).await;
    assert_eq!(
        r.until_done().await,
        vec![
            vec![
                "!trap".to_owned(),
                "=category=0".to_owned(),
                "=message=no such command".to_owned()
            ],
            vec!["!done".to_owned()]
        ]
    );
}

#[tokio::test]
async fn a_reboot_over_the_api_forgets_ram_state_and_without_a_battery_starts_in_1970() {
    let sim = sim().await;
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/sim/clock/set", "=date=2026-12-07", "=time=09:00:00"])
        .await;
    r.until_done().await;
    hotspot_user(&mut r).await;
    for (name, start, interval, event) in [
        ("boot", "startup", "0s", ":global booted yes"),
        ("every", "startup", "1m", ":global ticks 1"),
        ("hourly", "09:30:00", "1h", ""),
    ] {
        r.send(&[
            "/system/scheduler/add",
            &format!("=name={name}"),
            &format!("=start-time={start}"),
            &format!("=interval={interval}"),
            &format!("=on-event={event}"),
        ])
        .await;
        r.until_done().await;
    }
    r.send(&["/sim/clock/advance", "=by=2h"]).await;
    r.until_done().await;
    assert_eq!(
        sim.find("/system/scheduler", "hourly").expect("s")["run-count"],
        "2"
    );
    sim.hotspot_login("K7P2Q9", "10.5.50.10", "AA:BB:CC:00:00:01")
        .expect("login");
    sim.run_script(":global keep 1", &[]).expect("a global");

    // With a clock battery: the clock ran on while the router was off.
    r.send(&["/sim/reboot", "=rtc=yes", "=off-for=30m"]).await;
    assert_eq!(r.recv().await, ["!done"]);
    let mut r = Raw::login(sim.addr()).await;
    assert_eq!(
        sim.clock(),
        parse_date_time("2026-12-07 11:30:00").expect("t")
    );
    assert!(
        sim.items("/ip/hotspot/active").is_empty(),
        "sessions are gone"
    );
    let hourly = sim.find("/system/scheduler", "hourly").expect("s");
    assert_eq!(hourly["run-count"], "0", "run-count restarts");
    assert_eq!(hourly["next-run"], "2026-12-07 12:30:00");
    sim.run_script(":global y $keep", &[])
        .expect_err("globals are gone with the reboot");
    sim.run_script(":global y $booted", &[])
        .expect("the startup scheduler ran");

    // Without one: jan/02/1970 until NTP sets the clock; interval schedulers from startup
    // keep their rhythm from the boot.
    r.send(&["/sim/reboot"]).await;
    assert_eq!(r.recv().await, ["!done"]);
    let mut r = Raw::login(sim.addr()).await;
    r.send(&["/system/clock/print", "=.proplist=date,time"])
        .await;
    assert_eq!(
        r.until_done().await[0],
        ["!re", "=time=00:00:00", "=date=1970-01-02"]
    );
    r.send(&["/sim/clock/advance", "=by=5m"]).await;
    r.until_done().await;
    assert_eq!(
        sim.find("/system/scheduler", "every").expect("s")["run-count"],
        "5"
    );
    r.send(&["/sim/clock/set", "=date=2026-12-08", "=time=10:00:00"])
        .await;
    r.until_done().await;
    let hourly = sim.find("/system/scheduler", "hourly").expect("s");
    assert_eq!(hourly["next-run"], "2026-12-08 10:30:00");
}
