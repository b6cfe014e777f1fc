//! Router charts: the sampling job records CPU, memory, active users and interface traffic
//! (bits per second from the counters), and the retention job prunes them after 7 days.

use billing_app::events::BillingEvent;
use billing_tests::*;
use routeros_api::sim::SimConfig;
use serde_json::json;

use super::run_job;
use crate::routers::{app_with_real_router, register, settle, simulator, subscribe};

/// Each sampling round records every PPPoE user's first connection, last seen and state
/// (seed §6 `trackUser`), shown with the PPPoE users.
#[tokio::test]
async fn the_monitor_records_each_pppoe_users_first_login_last_seen_and_state() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let id = register(&app, &sim, "admin", "").await;
    subscribe(&app, "rina", &id).await;
    subscribe(&app, "budi", &id).await;
    settle(&app).await;
    let user = |login: &'static str| {
        let app = &app;
        async move {
            let (status, list) = app.call("GET", "/api/pppoe/users", None).await;
            assert_eq!(status, StatusCode::OK, "{list}");
            list.as_array()
                .or_else(|| list["items"].as_array())
                .and_then(|items| items.iter().find(|u| u["login"] == login).cloned())
                .expect("listed")
        }
    };

    run_job(&app, "router_samples").await;
    let never = user("rina").await;
    assert_eq!(never["online"], false, "{never}");
    assert!(never["first_login_at"].is_null(), "{never}");

    // Rina dials in; a minute later the monitor sees her, online for 60 s already.
    let mut rx = app.ctx().events.subscribe();
    sim.ppp_login("rina", "AA:BB:CC:00:00:01", "10.10.0.2")
        .expect("dial in");
    app.clock.advance(chrono::Duration::seconds(60));
    assert_eq!(
        run_job(&app, "router_samples").await,
        "1 of 1 router(s) sampled, 1 PPPoE user(s) online"
    );
    let seen = user("rina").await;
    assert_eq!(seen["online"], true, "{seen}");
    assert_eq!(seen["address"], "10.10.0.2");
    assert_eq!(seen["caller_id"], "AA:BB:CC:00:00:01");
    let first = seen["first_login_at"]
        .as_str()
        .expect("first login")
        .to_owned();
    assert!(seen["last_seen_at"].is_string(), "{seen}");
    assert_eq!(user("budi").await["online"], false);
    let heard = |rx: &mut tokio::sync::broadcast::Receiver<BillingEvent>| {
        let mut out = Vec::new();
        while let Ok(e) = rx.try_recv() {
            out.push(e);
        }
        out
    };
    let events = heard(&mut rx);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, BillingEvent::PppoeConnected { login, .. } if login == "rina")),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| matches!(
            e,
            BillingEvent::ActiveUsers {
                pppoe: 1,
                hotspot: 0,
                ..
            }
        )),
        "{events:?}"
    );

    // She hangs up: offline, her first login and last sighting kept.
    sim.ppp_logout("rina");
    app.clock.advance(chrono::Duration::seconds(60));
    run_job(&app, "router_samples").await;
    let gone = user("rina").await;
    assert_eq!(gone["online"], false, "{gone}");
    let events = heard(&mut rx);
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(
                e,
                BillingEvent::PppoeConnected { .. } | BillingEvent::PppoeDisconnected { .. }
            ))
            .count(),
        1,
        "only the disconnection: {events:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, BillingEvent::PppoeDisconnected { login, .. } if login == "rina")),
        "{events:?}"
    );
    assert_eq!(gone["first_login_at"].as_str(), Some(first.as_str()));
    assert_eq!(gone["last_seen_at"], seen["last_seen_at"]);

    // Back the next day: the first login stays the first one.
    sim.ppp_login("rina", "AA:BB:CC:00:00:01", "10.10.0.9")
        .expect("dial in again");
    app.clock.advance(chrono::Duration::days(1));
    run_job(&app, "router_samples").await;
    let back = user("rina").await;
    assert_eq!(
        (back["online"].as_bool(), back["address"].as_str()),
        (Some(true), Some("10.10.0.9"))
    );
    assert_eq!(back["first_login_at"].as_str(), Some(first.as_str()));
    assert_ne!(back["last_seen_at"], seen["last_seen_at"]);
    app.shutdown().await;
}

#[tokio::test]
async fn samples_are_recorded_with_traffic_rates_and_pruned_after_seven_days() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let id = register(&app, &sim, "admin", "").await;
    subscribe(&app, "rina", &id).await;
    settle(&app).await;

    assert_eq!(
        run_job(&app, "router_samples").await,
        "1 of 1 router(s) sampled, 0 PPPoE user(s) online"
    );
    sim.ppp_login("rina", "AA:BB:CC:00:00:01", "10.10.0.2")
        .expect("dial in");
    // One minute of traffic on the uplink: 7.5 MB in, 1.5 MB out.
    assert!(sim.interface_traffic("ether1", 7_500_000, 1_500_000));
    app.clock.advance(chrono::Duration::seconds(60));
    run_job(&app, "router_samples").await;

    let (status, body) = app
        .call("GET", &format!("/api/routers/{id}/samples?hours=1"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let items = body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2, "{body}");
    let first = &items[0];
    assert_eq!(first["pppoe_active"], 0);
    assert!(first["interfaces"][0]["rx_bps"].is_null(), "{first}");
    let last = &items[1];
    assert_eq!(last["pppoe_active"], 1);
    assert_eq!(last["hotspot_active"], 0);
    assert_eq!(last["cpu_load"], 3);
    let mem = last["memory_used_percent"].as_f64().expect("memory");
    assert!((mem - 30.0).abs() < 0.1, "{mem}");
    let ether1 = last["interfaces"]
        .as_array()
        .and_then(|i| i.iter().find(|x| x["name"] == "ether1"))
        .cloned()
        .expect("ether1");
    assert_eq!(ether1["rx_bps"], 1_000_000);
    assert_eq!(ether1["tx_bps"], 200_000);
    // Per-session interfaces are not charted.
    assert!(last["interfaces"].as_array().is_some_and(|i| i
        .iter()
        .all(|x| !x["name"].as_str().unwrap_or("").starts_with('<'))));
    assert_eq!(last["rx_bps"], 1_000_000);

    let (status, body) = app
        .call("GET", &format!("/api/routers/{id}/samples?hours=0"), None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "hours");

    // Six days later they are still there; after eight they are gone.
    app.clock.advance(chrono::Duration::days(6));
    run_job(&app, "retention").await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from router_samples")
            .fetch_one(&app.pool().await)
            .await
            .expect("count")
    };
    assert_eq!(count().await, 2);
    app.clock.advance(chrono::Duration::days(2));
    let summary = run_job(&app, "retention").await;
    assert!(summary.contains("2 router sample(s)"), "{summary}");
    assert_eq!(count().await, 0);
    let (_, body) = app
        .call("GET", &format!("/api/routers/{id}/samples?hours=168"), None)
        .await;
    assert_eq!(body["items"], json!([]));
    app.shutdown().await;
}
