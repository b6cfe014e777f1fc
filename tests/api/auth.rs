use billing_tests::*;
use chrono::Duration;
use serde_json::{json, Value};

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

/// A client that connects from another loopback address (Linux routes all of 127/8).
fn client_from(addr: [u8; 4]) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(addr))
        .build()
        .expect("client")
}

async fn login_from(
    app: &TestApp,
    client: &reqwest::Client,
    password: &str,
) -> (StatusCode, Option<String>, Value) {
    let res = client
        .post(format!("{}/api/auth/login", app.admin))
        .json(&json!({"username": OWNER, "password": password}))
        .send()
        .await
        .expect("send");
    let retry_after = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().expect("ascii").to_owned());
    let (status, body) = split(res).await;
    (status, retry_after, body)
}

#[tokio::test]
async fn repeated_failures_lock_the_username_from_that_address_for_the_time_left() {
    let app = spawn_app().await;
    app.create_owner().await;
    for _ in 0..10 {
        let (status, _) = app.login(OWNER, "tebakan-yang-salah").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused from this address during the lockout.
    let (status, retry_after, body) = login_from(&app, &app.http, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"]["kind"], "too_many_requests", "{body}");
    assert_eq!(retry_after.as_deref(), Some("900"));
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("900 seconds")),
        "{body}"
    );

    // Five minutes on, the answer says ten minutes are left: refused attempts did not
    // count as failures nor extend the lock.
    app.clock.advance(Duration::minutes(5));
    for _ in 0..5 {
        let (status, retry_after, _) = login_from(&app, &app.http, "tebakan-lain").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(retry_after.as_deref(), Some("600"));
    }
    app.clock.advance(Duration::minutes(10));
    let (status, _, body) = login_from(&app, &app.http, OWNER_PASSWORD).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the lock ends when the time told is up: {body}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn guessing_from_one_address_does_not_lock_the_owner_out_from_another() {
    let app = spawn_app().await;
    app.create_owner().await;
    let attacker = client_from([127, 0, 0, 2]);
    for _ in 0..12 {
        let (status, _, _) = login_from(&app, &attacker, "tebakan-yang-salah").await;
        assert!(
            matches!(
                status,
                StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS
            ),
            "{status}"
        );
    }
    let (status, retry_after, _) = login_from(&app, &attacker, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after.as_deref(), Some("900"));

    // The owner, at the shop's computer, logs in with the right password.
    let (status, _, body) = login_from(&app, &app.http, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A wrong password from the owner's address counts for that address alone.
    let (status, _, _) = login_from(&app, &app.http, "salah-ketik").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let pool = app.pool().await;
    let locked: Vec<Option<String>> = sqlx::query_scalar(
        "select remote_addr from security_events where kind = 'login_locked_out'",
    )
    .fetch_all(&pool)
    .await
    .expect("query");
    assert!(!locked.is_empty());
    assert!(
        locked.iter().all(|a| a.as_deref() == Some("127.0.0.2")),
        "{locked:?}"
    );
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
