use billing_tests::*;
use chrono::Duration;
use serde_json::json;

#[tokio::test]
async fn owner_logs_in_and_reaches_the_api_with_the_access_token() {
    let app = spawn_app().await;
    app.create_owner().await;

    let (status, tokens) = app.login("Pemilik", OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let access = tokens["access_token"].as_str().expect("token");

    let (status, me) = app.get_auth("/api/auth/me", access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["username"], OWNER);
    assert_eq!(me["role"], "owner");
    app.shutdown().await;
}

#[tokio::test]
async fn wrong_password_is_refused_and_recorded() {
    let app = spawn_app().await;
    app.create_owner().await;

    let (status, body) = app.login(OWNER, "bukan-kata-sandinya").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["kind"], "unauthorized");
    let (status, _) = app.login("tidak-ada", "bukan-kata-sandinya").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let pool = app.pool().await;
    let failures: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "select username, reason, remote_addr from login_attempts where not succeeded order by id",
    )
    .fetch_all(&pool)
    .await
    .expect("query");
    assert_eq!(failures.len(), 2);
    assert_eq!(failures[0].0, OWNER);
    assert_eq!(failures[0].1.as_deref(), Some("bad_password"));
    assert_eq!(failures[0].2.as_deref(), Some("127.0.0.1"));
    assert_eq!(failures[1].1.as_deref(), Some("unknown_user"));
    app.shutdown().await;
}

#[tokio::test]
async fn repeated_failures_lock_the_username_for_a_while() {
    let app = spawn_app().await;
    app.create_owner().await;
    for _ in 0..10 {
        let (status, _) = app.login(OWNER, "tebakan-yang-salah").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused during the lockout.
    let (status, body) = app.login(OWNER, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");

    app.clock.advance(Duration::minutes(16));
    let (status, _) = app.login(OWNER, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    app.shutdown().await;
}

#[tokio::test]
async fn api_refuses_missing_forged_and_expired_access_tokens() {
    let app = spawn_app().await;
    let tokens = app.create_owner().await;
    let access = tokens["access_token"].as_str().expect("token").to_owned();

    let res = app
        .http
        .get(format!("{}/api/monitoring/health", app.admin))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let mut forged = access.clone();
    forged.pop();
    forged.push(if access.ends_with('A') { 'B' } else { 'A' });
    let (status, _) = app.get_auth("/api/auth/me", &forged).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, _) = app.get_auth("/api/auth/me", &access).await;
    assert_eq!(status, StatusCode::OK);
    app.clock.advance(Duration::minutes(16));
    let (status, body) = app.get_auth("/api/auth/me", &access).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("expired"));
    app.shutdown().await;
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_refresh_token_ends_the_whole_session() {
    let app = spawn_app().await;
    let first = app.create_owner().await;
    let r1 = first["refresh_token"].as_str().expect("r1").to_owned();

    let (status, second) = app
        .post("/api/auth/refresh", json!({"refresh_token": r1}))
        .await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let r2 = second["refresh_token"].as_str().expect("r2").to_owned();
    assert_ne!(r1, r2);
    let (status, _) = app
        .get_auth("/api/auth/me", second["access_token"].as_str().expect("a"))
        .await;
    assert_eq!(status, StatusCode::OK);

    // Someone replays the spent token: refused, and the legitimate successor dies too.
    let (status, _) = app
        .post("/api/auth/refresh", json!({"refresh_token": r1}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = app
        .post("/api/auth/refresh", json!({"refresh_token": r2}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    app.shutdown().await;
}

#[tokio::test]
async fn logout_revokes_the_refresh_token_and_tokens_are_stored_hashed() {
    let app = spawn_app().await;
    app.create_owner().await;
    let (_, tokens) = app.login(OWNER, OWNER_PASSWORD).await;
    let refresh = tokens["refresh_token"]
        .as_str()
        .expect("refresh")
        .to_owned();

    let pool = app.pool().await;
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from refresh_tokens where position(convert_to($1, 'UTF8') in token_hash) > 0",
    )
    .bind(&refresh)
    .fetch_one(&pool)
    .await
    .expect("query");
    assert_eq!(stored, 0, "refresh tokens must not be stored in plain text");

    let (status, _) = app
        .post("/api/auth/logout", json!({"refresh_token": refresh}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .post("/api/auth/refresh", json!({"refresh_token": refresh}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let hash: String = sqlx::query_scalar("select password_hash from users")
        .fetch_one(&pool)
        .await
        .expect("query");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    app.shutdown().await;
}
