//! Routers and PPPoE against the RouterOS simulator over real TCP, through the real
//! router adapter (`billing_router::RouterPool`).

mod before_saving;
mod certificates;
mod flows;
mod markers;
mod outage;
mod problems;
mod provisioning;
mod reconcile;
mod rights;

use std::sync::Arc;
use std::time::Duration;

use billing_router::{PoolOptions, RouterPool};
use billing_tests::*;
use chrono::{NaiveDate, TimeZone, Utc};
use routeros_api::sim::{SimConfig, SimHandle, Simulator};
use serde_json::{json, Value};

pub const PROFILE: &str = "pppoe-10M";

/// The app with the real router adapter (no fail-fast window, so tests need no sleeps).
pub async fn app_with_real_router() -> TestApp {
    let pool = RouterPool::new(PoolOptions {
        retry_after: Duration::ZERO,
        connect_timeout: Duration::from_secs(2),
        ..PoolOptions::default()
    });
    spawn_app_with_router(Arc::new(pool)).await
}

/// The app with the real router adapter, serving from the data folder of a stopped app (its
/// next process).
pub async fn app_with_real_router_in(data_dir: &std::path::Path, database_url: &str) -> TestApp {
    let pool = RouterPool::new(PoolOptions {
        retry_after: Duration::ZERO,
        connect_timeout: Duration::from_secs(2),
        ..PoolOptions::default()
    });
    spawn_app_with_router_in(data_dir, database_url, Arc::new(pool)).await
}

/// A simulator with the plan's profile.
pub async fn simulator(config: SimConfig) -> SimHandle {
    let sim = Simulator::start(config).await.expect("simulator");
    let client = routeros_api::Client::connect(sim.connect_options())
        .await
        .expect("admin login");
    client
        .ppp_profiles()
        .add(PROFILE, Some("10M/10M"))
        .await
        .expect("profile");
    client.disconnect().await;
    sim
}

/// Registers the simulator as a router; returns its id.
pub async fn register(app: &TestApp, sim: &SimHandle, user: &str, password: &str) -> String {
    let (status, router) = app
        .call(
            "POST",
            "/api/routers",
            Some(
                json!({"name": "Kantor Pusat", "host": sim.addr().ip().to_string(),
                        "port": sim.addr().port(), "api_user": user, "password": password}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{router}");
    assert!(
        router.get("password").is_none(),
        "the password is never returned"
    );
    router["id"].as_str().expect("id").to_owned()
}

pub fn set_today(app: &TestApp, date: NaiveDate) {
    let at = Utc.from_utc_datetime(&date.and_hms_opt(1, 0, 0).expect("time"));
    app.clock.set(at);
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// A PPPoE plan (created once per app) and a customer subscribed on `router_id`.
pub async fn subscribe(app: &TestApp, login: &str, router_id: &str) -> (Value, Value) {
    let (_, plans) = app.call("GET", "/api/plans", None).await;
    let plan = match plans["items"].as_array().and_then(|p| p.first()) {
        Some(plan) => plan.clone(),
        None => {
            let (status, plan) = app
                .call(
                    "POST",
                    "/api/plans",
                    Some(
                        json!({"name": "Paket 10M", "price": 150_000, "kind": "pppoe",
                                "router_profile": PROFILE, "speed_label": "10 Mbps"}),
                    ),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{plan}");
            plan
        }
    };
    let (status, customer) = app
        .call(
            "POST",
            "/api/customers",
            Some(
                json!({"name": format!("Pelanggan {login}"), "phone": "0812-3456-7890",
                        "address": "Jl. Kenanga 7"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let (status, sub) = app
        .call(
            "POST",
            "/api/subscriptions",
            Some(
                json!({"customer_id": customer["id"], "plan_id": plan["id"], "login": login,
                        "password": format!("pw-{login}"), "start_on": "2026-11-01",
                        "billing_day": 1, "due_days": 7, "grace_days": 3,
                        "router_id": router_id}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
    (customer, sub)
}

/// Delivers until no due command is left (background deliveries may hold some rows).
pub async fn settle(app: &TestApp) {
    let pool = app.pool().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        billing_app::network::outbox::deliver(&app.ctx())
            .await
            .expect("deliver");
        let due: i64 = sqlx::query_scalar(
            "select count(*) from router_commands where status = 'pending' \
             and next_attempt_at <= $1",
        )
        .bind(billing_domain::Clock::now(&app.clock))
        .fetch_one(&pool)
        .await
        .expect("count");
        if due == 0 {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "commands did not settle"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The pending commands as the dashboard shows them.
pub async fn pending(app: &TestApp) -> Vec<Value> {
    let (status, list) = app.call("GET", "/api/routers/commands", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().cloned().unwrap_or_default()
}

pub fn secret(sim: &SimHandle, login: &str) -> std::collections::BTreeMap<String, String> {
    sim.find("/ppp/secret", login)
        .unwrap_or_else(|| panic!("no secret {login} on the router"))
}
