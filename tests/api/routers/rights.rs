//! Permissions and credentials are reported in plain words.

use routeros_api::sim::{SimGroup, SimUser};

use super::*;

#[tokio::test]
async fn api_user_without_write_rights_gets_a_clear_error() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig {
        users: vec![SimUser {
            name: "pemantau".into(),
            password: "lihat-saja".into(),
            group: SimGroup::Read,
        }],
        ..SimConfig::default()
    })
    .await;
    let router_id = register(&app, &sim, "pemantau", "lihat-saja").await;
    let (status, report) = app
        .call("POST", &format!("/api/routers/{router_id}/test"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["ok"], false);
    assert_eq!(report["probe"]["can_read"], true);
    assert_eq!(report["probe"]["can_write"], false);
    let summary = report["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("can read but cannot write"), "{summary}");
    assert!(summary.contains("'write' policy"), "{summary}");

    // A secret cannot be created: the queued command says why, in plain words.
    set_today(&app, d(2026, 11, 1));
    subscribe(&app, "dewi", &router_id).await;
    settle(&app).await;
    let queued = pending(&app).await;
    let error = queued[0]["last_error"].as_str().unwrap_or_default();
    assert!(error.contains("not allowed"), "{error}");
    assert!(error.contains("'write' policy"), "{error}");
    assert!(sim.find("/ppp/secret", "dewi").is_none());
    app.shutdown().await;
}

#[tokio::test]
async fn wrong_password_and_unreachable_router_are_explained() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let router_id = register(&app, &sim, "admin", "salah").await;
    let (_, report) = app
        .call("POST", &format!("/api/routers/{router_id}/test"), None)
        .await;
    assert_eq!(report["ok"], false);
    let summary = report["summary"].as_str().unwrap_or_default();
    assert!(summary.contains("refused the login"), "{summary}");

    // Fixing the password through PATCH reconnects.
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/routers/{router_id}"),
            Some(json!({"password": ""})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, report) = app
        .call("POST", &format!("/api/routers/{router_id}/test"), None)
        .await;
    assert_eq!(report["ok"], true, "{report}");
    let (_, router) = app
        .call("GET", &format!("/api/routers/{router_id}"), None)
        .await;
    assert_eq!(router["status"], "online");
    assert!(router["version"].as_str().is_some());

    sim.shutdown();
    let (_, routers) = app.call("POST", "/api/routers/refresh", None).await;
    assert_eq!(routers["items"][0]["status"], "offline", "{routers}");
    let error = routers["items"][0]["last_error"]
        .as_str()
        .unwrap_or_default();
    assert!(error.contains("unreachable"), "{error}");
    app.shutdown().await;
}
