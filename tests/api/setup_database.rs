//! First run, database step: a remote PostgreSQL server is tested with each failure named, and
//! the choice is recorded for the next start (file + keyring) only while no owner exists.

use billing_tests::*;
use serde_json::json;

/// An unauthenticated PUT (the setup routes are public until the owner exists).
async fn put(
    app: &TestApp,
    path: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let res = app
        .http
        .put(format!("{}{path}", app.admin))
        .json(&body)
        .send()
        .await
        .expect("send");
    split(res).await
}

fn with(url: &str, edit: impl FnOnce(&mut url::Url)) -> String {
    let mut parsed = url::Url::parse(url).expect("test database URL");
    edit(&mut parsed);
    parsed.to_string()
}

#[tokio::test]
async fn a_remote_server_test_names_what_is_wrong() {
    let app = spawn_app().await;
    let test = |url: String| {
        let app = &app;
        async move {
            app.post("/api/setup/database/test", json!({ "url": url }))
                .await
        }
    };

    let (status, ok) = test(app.database_url.clone()).await;
    assert_eq!(status, StatusCode::OK, "{ok}");
    assert_eq!(ok["ok"], true, "{ok}");
    assert!(
        ok["version"]
            .as_str()
            .is_some_and(|v| v.starts_with("PostgreSQL")),
        "{ok}"
    );
    assert_eq!(ok["problem"], serde_json::Value::Null);

    let (_, bad) = test(with(&app.database_url, |u| {
        u.set_password(Some("bukan-ini")).expect("password");
    }))
    .await;
    assert_eq!(
        (bad["ok"].clone(), bad["problem"].clone()),
        (json!(false), json!("wrong_password")),
        "{bad}"
    );

    let (_, missing) = test(with(&app.database_url, |u| u.set_path("/tidak_ada"))).await;
    assert_eq!(missing["problem"], "no_database", "{missing}");

    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let (_, refused) = test(with(&app.database_url, |u| {
        u.set_port(Some(closed)).expect("port");
    }))
    .await;
    assert_eq!(refused["problem"], "refused", "{refused}");

    let (status, invalid) = test("mysql://root@127.0.0.1/isp".into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{invalid}");
    assert_eq!(invalid["error"]["field"], "url", "{invalid}");
    app.shutdown().await;
}

#[tokio::test]
async fn choosing_a_server_is_recorded_for_the_next_start_only_when_it_answers() {
    let app = spawn_app().await;
    let file = app.data_dir.path().join("database-server.json");
    let secret = |app: &TestApp| {
        app.ctx()
            .secrets
            .get(billing_app::ops::setup::URL_SECRET)
            .expect("keyring")
            .is_some()
    };

    // A failing server records nothing.
    let wrong = with(&app.database_url, |u| {
        u.set_password(Some("bukan-ini")).expect("password");
    });
    let (status, body) = put(
        &app,
        "/api/setup/database",
        json!({"mode": "remote", "url": wrong}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ok"], false);
    assert!(!file.exists());
    assert!(!secret(&app));

    // A working one: the file says remote (no password in it), the URL is in the keyring.
    let (_, body) = put(
        &app,
        "/api/setup/database",
        json!({"mode": "remote", "url": app.database_url}),
    )
    .await;
    assert_eq!(body["ok"], true, "{body}");
    let written = std::fs::read_to_string(&file).expect("database-server.json");
    let choice: serde_json::Value = serde_json::from_str(&written).expect("json");
    assert_eq!(choice["mode"], "remote");
    let password = url::Url::parse(&app.database_url)
        .expect("url")
        .password()
        .map(str::to_owned)
        .unwrap_or_default();
    assert!(
        password.is_empty() || !written.contains(&password),
        "{written}"
    );
    assert!(secret(&app));

    // Back to the local server: both are gone.
    let (_, body) = put(&app, "/api/setup/database", json!({"mode": "local"})).await;
    assert_eq!(body["ok"], true, "{body}");
    assert!(!file.exists());
    assert!(!secret(&app));
    app.shutdown().await;
}

#[tokio::test]
async fn the_database_step_closes_once_the_owner_exists() {
    let app = spawn_app().await;
    app.create_owner().await;
    let (status, body) = app
        .post("/api/setup/database/test", json!({"url": app.database_url}))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, body) = put(&app, "/api/setup/database", json!({"mode": "local"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    app.shutdown().await;
}
