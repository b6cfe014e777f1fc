use billing_tests::*;

#[tokio::test]
async fn health_reports_the_database_and_its_version() {
    let app = spawn_app().await;
    let tokens = app.create_owner().await;
    let (status, health) = app
        .get_auth(
            "/api/monitoring/health",
            tokens["access_token"].as_str().expect("t"),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["database"]["status"], "ok");
    assert!(health["database"]["server_version"]
        .as_str()
        .is_some_and(|v| v.starts_with("PostgreSQL ")));
    assert_eq!(health["app_version"], env!("CARGO_PKG_VERSION"));
    app.shutdown().await;
}

#[tokio::test]
async fn public_listener_answers_healthz_and_nothing_of_the_admin_side() {
    let app = spawn_app().await;
    let tokens = app.create_owner().await;
    let access = tokens["access_token"].as_str().expect("t");

    let res = app
        .http
        .get(format!("{}/healthz", app.public))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");

    for path in [
        "/",
        "/index.html",
        "/api/openapi.json",
        "/api/setup/status",
        "/api/monitoring/health",
        "/api/auth/me",
    ] {
        let res = app
            .http
            .get(format!("{}{path}", app.public))
            .bearer_auth(access)
            .send()
            .await
            .expect("send");
        assert_eq!(
            res.status(),
            StatusCode::NOT_FOUND,
            "GET {path} answered on the public listener"
        );
    }
    for path in ["/api/auth/login", "/api/setup/owner", "/api/auth/refresh"] {
        let res = app
            .http
            .post(format!("{}{path}", app.public))
            .json(&serde_json::json!({"username": OWNER, "password": OWNER_PASSWORD}))
            .send()
            .await
            .expect("send");
        assert_eq!(
            res.status(),
            StatusCode::NOT_FOUND,
            "POST {path} answered on the public listener"
        );
    }
    app.shutdown().await;
}

#[tokio::test]
async fn unknown_api_routes_are_json_404s_not_the_dashboard() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(format!("{}/api/tidak-ada", app.admin))
        .send()
        .await
        .expect("send");
    let (status, body) = split(res).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["kind"], "not_found");
    app.shutdown().await;
}

#[tokio::test]
async fn dashboard_routes_fall_back_to_the_single_page_app() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(format!("{}/pelanggan", app.admin))
        .send()
        .await
        .expect("send");
    let status = res.status();
    let text = res.text().await.expect("text");
    // Either the built dashboard or the page that explains how to build it — never a 404.
    assert!(
        status == StatusCode::OK || status == StatusCode::SERVICE_UNAVAILABLE,
        "{status}"
    );
    assert!(
        text.contains("<html") || text.contains("<!doctype html"),
        "{text}"
    );
    app.shutdown().await;
}
