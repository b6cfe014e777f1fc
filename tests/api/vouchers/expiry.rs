//! Activation, usage and expiry through simulated logins and time, with the app "closed"
//! (no monitor running) while the router enforces expiry on its own.

use std::time::Duration;

use billing_app::events::BillingEvent;
use billing_domain::Clock as _;
use chrono::{DateTime, Utc};
use routeros_api::sim::SimVersion;
use serde_json::json;

use super::*;

/// The events published since the last call (what live pages hear).
fn heard(rx: &mut tokio::sync::broadcast::Receiver<BillingEvent>) -> Vec<BillingEvent> {
    let mut out = Vec::new();
    while let Ok(event) = rx.try_recv() {
        out.push(event);
    }
    out
}

fn at(v: &serde_json::Value, key: &str) -> DateTime<Utc> {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {v}"))
        .parse()
        .expect("timestamp")
}

async fn validity_survives_the_app_being_closed(version: SimVersion) {
    let (app, sim, _router) = setup(version).await;
    let p = day_profile(&app).await;
    let b = batch(&app, json!({"profile_id": p["id"], "count": 3})).await;
    let list = vouchers(
        &app,
        &format!("batch_id={}", b["id"].as_str().expect("a string")),
    )
    .await;
    let code = list[0]["code"].as_str().expect("a string").to_owned();
    let other = list[1]["code"].as_str().expect("a string").to_owned();

    // The app is closed: a customer logs in, the router's on-login script stamps the expiry
    // on the user, and the router's own sweeper will end it.
    sim.hotspot_login(&code, "10.5.50.10", "AA:BB:CC:00:00:01")
        .expect("login");
    let stamped = sim.find("/ip/hotspot/user", &code).expect("user")["comment"].clone();
    assert!(stamped.contains("|exp="), "{stamped}");
    let sweeper = sim
        .find("/system/scheduler", "mikrobill-voucher-expiry")
        .expect("the profile brought the expiry sweeper");
    assert_eq!(sweeper["interval"], "1m");
    assert_eq!(sweeper["start-time"], "startup");
    sim.advance(Duration::from_secs(2 * 3600));
    sim.hotspot_traffic(&code, 1_000_000, 9_000_000);

    // The app starts: the first login is dated from the router (2 hours ago), not now.
    let now = app.clock.now();
    let r = monitor(&app).await;
    assert_eq!(r["activated"], 1, "{r}");
    let (_, usage) = app
        .call(
            "GET",
            &format!(
                "/api/vouchers/{}/usage",
                list[0]["id"].as_str().expect("a string")
            ),
            None,
        )
        .await;
    assert_eq!(usage["status"], "active", "{usage}");
    let first = at(&usage, "first_login_at");
    assert_eq!((now - first).num_seconds(), 2 * 3600, "{usage}");
    assert_eq!((at(&usage, "expires_at") - first).num_seconds(), 86_400);
    assert_eq!(usage["bytes_in"], 1_000_000);
    assert_eq!(usage["bytes_out"], 9_000_000);
    assert_eq!(usage["uptime_secs"], 7200);

    // The app is closed again; a day passes on the router: it ends the voucher itself.
    sim.advance(Duration::from_secs(23 * 3600));
    assert_eq!(
        sim.find("/ip/hotspot/user", &code)
            .expect("kept for the app")["disabled"],
        "true",
        "disabled on the router"
    );
    assert!(sim.find("/ip/hotspot/active", &code).is_none(), "kicked");
    assert!(sim
        .find("/system/scheduler", &format!("mbx-{code}"))
        .is_none());
    assert!(sim
        .hotspot_login(&code, "10.5.50.10", "AA:BB:CC:00:00:01")
        .is_err());
    // The unused one is untouched.
    assert!(sim.find("/ip/hotspot/user", &other).is_some());

    // The app starts again and agrees.
    app.clock.set(now + chrono::Duration::hours(23));
    let r = monitor(&app).await;
    assert_eq!(r["expired"], 1, "{r}");
    let v = &vouchers(&app, &format!("q={code}")).await[0];
    assert_eq!(v["status"], "expired", "{v}");
    assert_eq!(v["end_reason"], "validity over", "{v}");
    assert!(
        sim.find("/ip/hotspot/user", &code).is_none(),
        "removed by the app"
    );
    let unused = vouchers(&app, "status=unused").await;
    assert_eq!(unused.len(), 2);
}

#[tokio::test]
async fn calendar_validity_holds_with_the_app_closed_on_routeros_6_dates() {
    validity_survives_the_app_being_closed(SimVersion::V6_49).await;
}

#[tokio::test]
async fn calendar_validity_holds_with_the_app_closed_on_routeros_7_iso_dates() {
    validity_survives_the_app_being_closed(SimVersion::V7_17).await;
}

#[tokio::test]
async fn a_voucher_the_router_ended_while_the_app_was_stopped_is_recorded_as_ended_after_restart() {
    let (app, sim, _router) = setup(SimVersion::V7_17).await;
    let p = day_profile(&app).await;
    let b = batch(&app, json!({"profile_id": p["id"], "count": 2})).await;
    let list = vouchers(
        &app,
        &format!("batch_id={}", b["id"].as_str().expect("a string")),
    )
    .await;
    let code = list[0]["code"].as_str().expect("a string").to_owned();
    let spare = list[1]["code"].as_str().expect("a string").to_owned();
    // The PC is off (the app stopped; restarted below). A customer logs in over the router's
    // API (as a captive portal's server-side login does); an hour later the router reboots
    // without a clock battery, and NTP brings its clock back a day and a half on, past the
    // expiry. The router's sweeper ends the voucher on its own.
    let mut app = app;
    app.stop().await;
    sim.hotspot_login_with_password(&code, &code, "10.5.50.10", "AA:BB:CC:00:00:01")
        .expect("login");
    sim.advance(Duration::from_secs(3600));
    sim.reboot_without_rtc(Duration::from_secs(600));
    assert_eq!(sim.clock().format("%Y").to_string(), "1970");
    sim.advance(Duration::from_secs(300));
    assert!(
        sim.find("/ip/hotspot/user", &code).is_some(),
        "not with a 1970 clock"
    );
    sim.set_clock(
        chrono::NaiveDateTime::parse_from_str("2026-01-07 12:00:00", "%Y-%m-%d %H:%M:%S")
            .expect("a date"),
    );
    sim.advance(Duration::from_secs(60));
    let u = sim
        .find("/ip/hotspot/user", &code)
        .expect("kept for the app");
    assert_eq!(u["disabled"], "true", "the router ended it");
    assert!(sim.find("/ip/hotspot/active", &code).is_none());
    let pool = billing_router::RouterPool::new(billing_router::PoolOptions {
        retry_after: Duration::ZERO,
        connect_timeout: Duration::from_secs(2),
        ..billing_router::PoolOptions::default()
    });
    let app = app.restart_with_router(std::sync::Arc::new(pool)).await;
    app.clock.set(app.clock.now() + chrono::Duration::hours(36));
    // The cycle the app runs at start (and every 30 s, here run once more) records the end.
    monitor(&app).await;
    let v = &vouchers(&app, &format!("q={code}")).await[0];
    assert_eq!(v["status"], "expired", "{v}");
    assert_eq!(v["end_reason"], "validity over", "{v}");
    // First login and expiry come from the router's stamp (a day and a half ago).
    assert_eq!(
        (at(v, "expires_at") - at(v, "first_login_at")).num_seconds(),
        86_400,
        "{v}"
    );
    assert!(
        sim.find("/ip/hotspot/user", &code).is_none(),
        "removed by the app"
    );
    let s = &vouchers(&app, &format!("q={spare}")).await[0];
    assert_eq!(s["status"], "unused", "{s}");
}

#[tokio::test]
async fn the_monitor_ends_vouchers_whose_validity_passed_while_the_router_was_off() {
    let (app, sim, _router) = setup(SimVersion::default()).await;
    let p = profile(
        &app,
        json!({"name": "3 Jam", "price": 2000, "validity_secs": 3 * 3600}),
    )
    .await;
    let b = batch(&app, json!({"profile_id": p["id"], "count": 1})).await;
    let code = vouchers(
        &app,
        &format!("batch_id={}", b["id"].as_str().expect("a string")),
    )
    .await[0]["code"]
        .as_str()
        .expect("a string")
        .to_owned();
    sim.hotspot_login(&code, "10.5.50.11", "AA:BB:CC:00:00:02")
        .expect("it works");
    monitor(&app).await;
    // A power cut spans the expiry moment: the router's scheduler never ran for it.
    sim.power_off_for(Duration::from_secs(4 * 3600));
    assert!(
        sim.find("/ip/hotspot/user", &code).is_some(),
        "missed on the router"
    );
    app.clock.set(app.clock.now() + chrono::Duration::hours(4));
    let r = monitor(&app).await;
    assert_eq!(r["expired"], 1, "{r}");
    assert!(
        sim.find("/ip/hotspot/user", &code).is_none(),
        "the app removed it"
    );
    let v = &vouchers(&app, &format!("q={code}")).await[0];
    assert_eq!(v["status"], "expired");
    assert_eq!(v["end_reason"], "validity over");
}

#[tokio::test]
async fn online_time_and_quota_vouchers_end_when_used_up_and_never_look_active() {
    let (app, sim, _router) = setup(SimVersion::default()).await;
    let up = profile(
        &app,
        json!({"name": "2 Jam Online", "price": 3000, "uptime_limit_secs": 7200}),
    )
    .await;
    let quota = profile(
        &app,
        json!({"name": "1 GB", "price": 10000, "quota_bytes": 1_000_000_000}),
    )
    .await;
    let b1 = batch(&app, json!({"profile_id": up["id"], "count": 1})).await;
    let b2 = batch(&app, json!({"profile_id": quota["id"], "count": 1})).await;
    let c1 = vouchers(
        &app,
        &format!("batch_id={}", b1["id"].as_str().expect("a string")),
    )
    .await[0]["code"]
        .as_str()
        .expect("a string")
        .to_owned();
    let c2 = vouchers(
        &app,
        &format!("batch_id={}", b2["id"].as_str().expect("a string")),
    )
    .await[0]["code"]
        .as_str()
        .expect("a string")
        .to_owned();
    let u = sim.find("/ip/hotspot/user", &c2).expect("it works");
    assert_eq!(u["limit-bytes-total"], "1000000000");
    assert!(
        u.get("limit-uptime")
            .is_none_or(|l| l.is_empty() || l == "0s"),
        "{u:?}"
    );

    let mut rx = app.ctx().events.subscribe();
    sim.hotspot_login(&c1, "10.5.50.12", "AA:BB:CC:00:00:03")
        .expect("it works");
    sim.hotspot_login(&c2, "10.5.50.13", "AA:BB:CC:00:00:04")
        .expect("it works");
    monitor(&app).await;
    assert_eq!(vouchers(&app, "status=active").await.len(), 2);
    let activated = heard(&mut rx)
        .into_iter()
        .filter(|e| matches!(e, BillingEvent::VoucherActivated { .. }))
        .count();
    assert_eq!(activated, 2, "live pages hear of both activations");

    // The router logs them out at their limits; the monitor then ends them there too.
    sim.advance(Duration::from_secs(7200));
    sim.hotspot_traffic(&c2, 400_000_000, 700_000_000);
    assert!(sim.find("/ip/hotspot/active", &c1).is_none());
    assert!(sim.find("/ip/hotspot/active", &c2).is_none());
    let r = monitor(&app).await;
    assert_eq!(r["expired"], 2, "{r}");
    let mut expired: Vec<(String, Option<String>)> = heard(&mut rx)
        .into_iter()
        .filter_map(|e| match e {
            BillingEvent::VoucherExpired { code, reason, .. } => Some((code, reason)),
            _ => None,
        })
        .collect();
    expired.sort();
    let mut want = vec![
        (c1.clone(), Some("online time used up".to_owned())),
        (c2.clone(), Some("data quota used up".to_owned())),
    ];
    want.sort();
    assert_eq!(expired, want);
    assert!(sim.find("/ip/hotspot/user", &c1).is_none());
    assert!(sim.find("/ip/hotspot/user", &c2).is_none());
    let v1 = &vouchers(&app, &format!("q={c1}")).await[0];
    assert_eq!(v1["status"], "expired");
    assert_eq!(v1["end_reason"], "online time used up");
    assert_eq!(v1["uptime_secs"], 7200);
    let v2 = &vouchers(&app, &format!("q={c2}")).await[0];
    assert_eq!(v2["end_reason"], "data quota used up");
    assert_eq!(vouchers(&app, "status=active").await.len(), 0);
}

#[tokio::test]
async fn a_voucher_disabled_or_deleted_on_the_router_is_not_shown_active() {
    let (app, sim, _router) = setup(SimVersion::default()).await;
    let p = day_profile(&app).await;
    let b = batch(&app, json!({"profile_id": p["id"], "count": 2})).await;
    let list = vouchers(
        &app,
        &format!("batch_id={}", b["id"].as_str().expect("a string")),
    )
    .await;
    let (c1, c2) = (
        list[0]["code"].as_str().expect("a string").to_owned(),
        list[1]["code"].as_str().expect("a string").to_owned(),
    );
    sim.hotspot_login(&c1, "10.5.50.14", "AA:BB:CC:00:00:05")
        .expect("it works");
    monitor(&app).await;
    // Someone disables one in Winbox and deletes the other.
    let client = routeros_api::Client::connect(sim.connect_options())
        .await
        .expect("it works");
    let u1 = client
        .hotspot_users()
        .get_by_name(&c1)
        .await
        .expect("it works")
        .expect("it works");
    client
        .hotspot_users()
        .set_disabled(&u1.id, true)
        .await
        .expect("it works");
    let u2 = client
        .hotspot_users()
        .get_by_name(&c2)
        .await
        .expect("it works")
        .expect("it works");
    client
        .hotspot_users()
        .remove(&u2.id)
        .await
        .expect("it works");
    let mut rx = app.ctx().events.subscribe();
    monitor(&app).await;
    assert!(
        heard(&mut rx)
            .iter()
            .any(|e| matches!(e, BillingEvent::VoucherRemoved { code, .. } if *code == c2)),
        "live pages hear of the removal"
    );
    assert_eq!(
        vouchers(&app, &format!("q={c1}")).await[0]["status"],
        "disabled"
    );
    let v2 = &vouchers(&app, &format!("q={c2}")).await[0];
    assert_eq!(v2["status"], "removed");
    assert_eq!(v2["end_reason"], "missing on the router");
    client
        .hotspot_users()
        .set_disabled(&u1.id, false)
        .await
        .expect("it works");
    monitor(&app).await;
    assert_eq!(
        vouchers(&app, &format!("q={c1}")).await[0]["status"],
        "active"
    );
}
