//! "Test connection" sorts a failure into what the person has to fix (`problem`), which the
//! first-run wizard and the router page explain in plain Indonesian/English.

use routeros_api::sim::{SimGroup, SimUser};

use super::*;

async fn add_router(app: &TestApp, host: &str, port: u16, user: &str, password: &str) -> String {
    let (status, router) = app
        .call(
            "POST",
            "/api/routers",
            Some(json!({"name": "Router Pertama", "host": host, "port": port,
                        "api_user": user, "password": password})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{router}");
    router["id"].as_str().expect("router id").to_owned()
}

async fn test_router(app: &TestApp, id: &str) -> Value {
    let (status, report) = app
        .call("POST", &format!("/api/routers/{id}/test"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

#[tokio::test]
async fn a_working_router_has_no_problem() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let id = register(&app, &sim, "admin", "").await;
    let report = test_router(&app, &id).await;
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["problem"], Value::Null, "{report}");
    app.shutdown().await;
}

#[tokio::test]
async fn wrong_password_is_reported_as_such() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let id = register(&app, &sim, "admin", "bukan-ini").await;
    let report = test_router(&app, &id).await;
    assert_eq!(report["ok"], false);
    assert_eq!(report["problem"], "wrong_password", "{report}");
    let summary = report["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("invalid user name or password"),
        "{summary}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_closed_api_port_means_the_api_service_is_disabled() {
    let app = app_with_real_router().await;
    // A port that was just free and is now closed: the address answers, the port refuses.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let id = add_router(&app, "127.0.0.1", closed, "admin", "").await;
    let report = test_router(&app, &id).await;
    assert_eq!(report["ok"], false);
    assert_eq!(report["problem"], "api_disabled", "{report}");
    app.shutdown().await;
}

#[tokio::test]
async fn a_user_without_write_policy_lacks_rights() {
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
    let id = register(&app, &sim, "pemantau", "lihat-saja").await;
    let report = test_router(&app, &id).await;
    assert_eq!(report["ok"], false);
    assert_eq!(report["problem"], "missing_rights", "{report}");
    assert_eq!(report["probe"]["can_write"], false);
    app.shutdown().await;
}
