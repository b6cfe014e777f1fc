//! "Tes koneksi" in the add/edit router form (`POST /api/routers/test`): the typed host, port,
//! user and password are tried against the RouterOS simulator over real TCP, and nothing is
//! stored — no router row, no password in the keyring, no status change.

use super::*;

async fn test_form(app: &TestApp, body: Value) -> (StatusCode, Value) {
    app.call("POST", "/api/routers/test", Some(body)).await
}

async fn router_count(app: &TestApp) -> usize {
    let (status, list) = app.call("GET", "/api/routers", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn a_router_is_tested_before_it_is_saved_and_nothing_is_stored() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let (status, report) = test_form(
        &app,
        json!({"host": sim.addr().ip().to_string(), "port": sim.addr().port(),
               "api_user": "admin", "password": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["problem"], Value::Null, "{report}");
    assert!(
        report["probe"]["identity"]
            .as_str()
            .is_some_and(|i| !i.is_empty()),
        "{report}"
    );
    assert_eq!(report["probe"]["can_write"], true, "{report}");
    assert_eq!(router_count(&app).await, 0, "testing saved a router");
    app.shutdown().await;
}

#[tokio::test]
async fn a_wrong_password_before_saving_is_reported_as_such() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let (status, report) = test_form(
        &app,
        json!({"host": sim.addr().ip().to_string(), "port": sim.addr().port(),
               "api_user": "admin", "password": "bukan-ini"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["ok"], false, "{report}");
    assert_eq!(report["problem"], "wrong_password", "{report}");
    assert_eq!(report["probe"], Value::Null, "{report}");
    assert_eq!(router_count(&app).await, 0);
    app.shutdown().await;
}

#[tokio::test]
async fn editing_tests_with_the_stored_password_unless_another_is_typed() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let id = register(&app, &sim, "admin", "").await;
    let (_, before) = app.call("GET", &format!("/api/routers/{id}"), None).await;
    let form = |password: Option<&str>| {
        let mut body = json!({"host": sim.addr().ip().to_string(), "port": sim.addr().port(),
                              "api_user": "admin", "router_id": id});
        if let Some(p) = password {
            body["password"] = json!(p);
        }
        body
    };
    // No password typed: the one in the keyring is used, and it works.
    let (status, report) = test_form(&app, form(None)).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["ok"], true, "{report}");
    // A wrong one typed: refused, and the saved router is untouched (status, password).
    let (_, report) = test_form(&app, form(Some("salah-ketik"))).await;
    assert_eq!(report["problem"], "wrong_password", "{report}");
    let (_, after) = app.call("GET", &format!("/api/routers/{id}"), None).await;
    assert_eq!(after["status"], before["status"], "{after}");
    assert_eq!(after["last_error"], before["last_error"], "{after}");
    let (_, saved) = app
        .call("POST", &format!("/api/routers/{id}/test"), None)
        .await;
    assert_eq!(saved["ok"], true, "the stored password changed: {saved}");
    app.shutdown().await;
}

#[tokio::test]
async fn a_form_without_a_host_is_refused_naming_the_field() {
    let app = app_with_real_router().await;
    let (status, body) = test_form(&app, json!({"host": " ", "api_user": "admin"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "host", "{body}");
    let (status, body) = test_form(
        &app,
        json!({"host": "127.0.0.1", "port": 70000, "api_user": "admin"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "port", "{body}");
    app.shutdown().await;
}
