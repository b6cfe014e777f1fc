//! Hotspot vouchers against the RouterOS simulator over real TCP, through the real router
//! adapter, on a real PostgreSQL.

mod batches;
mod expiry;
mod resellers;
mod shop;
mod templates;

use std::time::Duration;

use billing_tests::*;
use routeros_api::sim::{SimConfig, SimHandle, SimVersion};
use serde_json::{json, Value};

pub use crate::routers::{app_with_real_router, register};

pub async fn setup(version: SimVersion) -> (TestApp, SimHandle, String) {
    let sim = routeros_api::sim::Simulator::start(SimConfig {
        version,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let app = app_with_real_router().await;
    let router = register(&app, &sim, "admin", "").await;
    (app, sim, router)
}

pub async fn profile(app: &TestApp, body: Value) -> Value {
    let (status, p) = app.call("POST", "/api/voucher-profiles", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    p
}

pub async fn day_profile(app: &TestApp) -> Value {
    profile(
        app,
        json!({"name": "Harian 5rb", "price": 5000, "validity_secs": 86_400,
                "rate_limit": "2M/5M"}),
    )
    .await
}

/// Starts a batch and waits until it is no longer `creating`.
pub async fn batch(app: &TestApp, body: Value) -> Value {
    let (status, b) = app.call("POST", "/api/vouchers/batch", Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{b}");
    wait_batch(app, b["id"].as_str().expect("id")).await
}

pub async fn wait_batch(app: &TestApp, id: &str) -> Value {
    for _ in 0..600 {
        let (status, b) = app
            .call("GET", &format!("/api/vouchers/batches/{id}"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{b}");
        if b["status"] != "creating" {
            return b;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("batch {id} never finished");
}

pub async fn vouchers(app: &TestApp, query: &str) -> Vec<Value> {
    let (status, page) = app
        .call("GET", &format!("/api/vouchers?per_page=1000&{query}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().expect("items").clone()
}

/// Hotspot users on the simulator that carry our marker.
pub fn router_vouchers(sim: &SimHandle) -> Vec<routeros_api::sim::SimItem> {
    sim.items("/ip/hotspot/user")
        .into_iter()
        .filter(|u| {
            u.get("comment")
                .is_some_and(|c| c.starts_with("VOUCHER_SYSTEM|"))
        })
        .collect()
}

pub async fn monitor(app: &TestApp) -> Value {
    let (status, r) = app.call("POST", "/api/vouchers/monitor", None).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    r
}
