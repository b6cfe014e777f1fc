use billing_tests::*;
use serde_json::json;

#[tokio::test]
async fn fresh_installation_asks_for_an_owner_and_creates_exactly_one() {
    let app = spawn_app().await;

    let (status, body) = app.get("/api/setup/status").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"needs_owner": true}));

    let tokens = app.create_owner().await;
    assert!(tokens["access_token"]
        .as_str()
        .is_some_and(|t| t.split('.').count() == 3));
    assert!(tokens["refresh_token"]
        .as_str()
        .is_some_and(|t| t.len() >= 40));
    assert_eq!(tokens["expires_in"], 900);
    assert_eq!(tokens["token_type"], "Bearer");

    let (_, body) = app.get("/api/setup/status").await;
    assert_eq!(body, json!({"needs_owner": false}));

    // A second first-run attempt (another browser tab, an attacker) is refused.
    let (status, body) = app
        .post(
            "/api/setup/owner",
            json!({"username": "penyusup", "password": "penyusup-123456"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["kind"], "conflict");
    let (status, _) = app.login("penyusup", "penyusup-123456").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.shutdown().await;
}

#[tokio::test]
async fn owner_with_bad_username_or_short_password_is_rejected_naming_the_field() {
    let app = spawn_app().await;

    let (status, body) = app
        .post(
            "/api/setup/owner",
            json!({"username": "budi santoso", "password": "panjang-sekali-1"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["kind"], "validation");
    assert_eq!(body["error"]["field"], "username");

    let (status, body) = app
        .post(
            "/api/setup/owner",
            json!({"username": "budi", "password": "pendek"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "password");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("10"));

    // Nothing was written.
    let (_, body) = app.get("/api/setup/status").await;
    assert_eq!(body, json!({"needs_owner": true}));
    app.shutdown().await;
}

#[tokio::test]
async fn malformed_json_gets_a_bad_request_in_the_error_shape() {
    let app = spawn_app().await;
    let res = app
        .http
        .post(format!("{}/api/auth/login", app.admin))
        .header("content-type", "application/json")
        .body("{\"username\": \"budi\"")
        .send()
        .await
        .expect("send");
    let (status, body) = split(res).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["kind"], "bad_request");

    let (status, body) = app
        .post("/api/auth/login", json!({"username": "budi"}))
        .await;
    assert!(status.is_client_error());
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("password"),
        "{body}"
    );
    app.shutdown().await;
}

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_is_made_the_owners_alone_at_start() {
    use std::os::unix::fs::PermissionsExt as _;
    let database_url = fresh_database().await;
    let dir = tempfile::Builder::new()
        .prefix("mikrobill-test-")
        .tempdir()
        .expect("tempdir");
    // As an older version or a careless copy left it: readable by everyone.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = dir.path().to_owned();
    let app = try_spawn_app_with_settings(dir, &database_url, |_| {})
        .await
        .expect("starts");
    let mode = std::fs::metadata(&path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777;
    // Nobody else may list or read it; run as root it stays passable (0711) for the
    // embedded PostgreSQL's own account, otherwise it is 0700.
    assert_eq!(mode & 0o066, 0, "data directory mode {mode:o}");
    let root =
        std::os::unix::fs::MetadataExt::uid(&std::fs::metadata(&path).expect("metadata")) == 0;
    assert_eq!(
        mode,
        if root { 0o711 } else { 0o700 },
        "data directory mode {mode:o}"
    );
    app.shutdown().await;
}
