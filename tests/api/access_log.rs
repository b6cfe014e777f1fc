//! The access log (seed §8): sign-ins that succeeded or were refused, sign-outs, token
//! refreshes and sign-ins from a new address, each with the client's address and user agent,
//! filterable by user; the user agent on security events too. Append-only: only the retention
//! job removes entries, once they are past the activity period.

use billing_domain::Clock as _;
use billing_tests::*;
use serde_json::{json, Value};

const PASSWORD: &str = "sandi-kasir-yang-kuat";

/// A client whose requests come from `local` (any 127.x address reaches the loopback
/// listener) with the given user agent.
fn client(local: [u8; 4], user_agent: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(local))
        .user_agent(user_agent)
        .build()
        .expect("client")
}

async fn post(
    app: &TestApp,
    http: &reqwest::Client,
    path: &str,
    body: Value,
) -> (StatusCode, Value) {
    let res = http
        .post(format!("{}{path}", app.admin))
        .json(&body)
        .send()
        .await
        .expect("send");
    split(res).await
}

async fn access_log(app: &TestApp, query: &str) -> Vec<Value> {
    let (status, body) = app
        .call("GET", &format!("/api/audit/access?{query}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let items = body["items"].as_array().expect("items").clone();
    if !query.contains("limit") {
        assert_eq!(body["total"], items.len(), "{body}");
    }
    items
}

/// (kind, reason, address, user agent) of each entry, oldest first.
fn lines(items: &[Value]) -> Vec<(String, String, String, String)> {
    let text = |v: &Value| v.as_str().unwrap_or("-").to_owned();
    items
        .iter()
        .rev()
        .map(|e| {
            (
                text(&e["kind"]),
                text(&e["reason"]),
                text(&e["remote_addr"]),
                text(&e["user_agent"]),
            )
        })
        .collect()
}

fn line(kind: &str, reason: &str, addr: &str, ua: &str) -> (String, String, String, String) {
    (kind.into(), reason.into(), addr.into(), ua.into())
}

async fn add_cashier(app: &TestApp) {
    let (status, body) = app
        .call(
            "POST",
            "/api/admin/users",
            Some(json!({"username": "kasir", "password": PASSWORD, "role": "cashier"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn sign_ins_sign_outs_refreshes_and_new_addresses_are_logged_per_user() {
    let app = spawn_app().await;
    add_cashier(&app).await;
    let office = client([127, 0, 0, 1], "Firefox/128 kantor");
    let home = client([127, 0, 0, 2], "Chrome/131 rumah");

    // Refused: a wrong password, then an unknown name.
    let login = |u: &str, p: &str| json!({"username": u, "password": p});
    let (status, _) = post(
        &app,
        &office,
        "/api/auth/login",
        login("kasir", "salah-sekali"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = post(
        &app,
        &office,
        "/api/auth/login",
        login("siapa", "salah-sekali"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Signed in at the office, the dashboard renews its tokens, then signs out.
    let (status, first) = post(&app, &office, "/api/auth/login", login("kasir", PASSWORD)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let refresh = json!({"refresh_token": first["refresh_token"]});
    let (status, renewed) = post(&app, &office, "/api/auth/refresh", refresh).await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let out = json!({"refresh_token": renewed["refresh_token"]});
    let (status, _) = post(&app, &office, "/api/auth/logout", out.clone()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // Signing out of an ended session again is no new sign-out.
    let (status, _) = post(&app, &office, "/api/auth/logout", out).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // From home: a new address, once; the second time it is known.
    for _ in 0..2 {
        let (status, body) = post(&app, &home, "/api/auth/login", login("kasir", PASSWORD)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    let kasir = access_log(&app, "user=KASIR").await;
    assert_eq!(
        lines(&kasir),
        vec![
            line(
                "login_failed",
                "bad_password",
                "127.0.0.1",
                "Firefox/128 kantor"
            ),
            line("login_succeeded", "-", "127.0.0.1", "Firefox/128 kantor"),
            line("token_refreshed", "-", "127.0.0.1", "Firefox/128 kantor"),
            line("logout", "session", "127.0.0.1", "Firefox/128 kantor"),
            line("login_new_address", "-", "127.0.0.2", "Chrome/131 rumah"),
            line("login_succeeded", "-", "127.0.0.2", "Chrome/131 rumah"),
            line("login_succeeded", "-", "127.0.0.2", "Chrome/131 rumah"),
        ]
    );
    assert!(kasir
        .iter()
        .all(|e| e["username"] == "kasir" && e["user_id"].is_string()));
    // The unknown name is logged under what was typed, with no account.
    let unknown = access_log(&app, "user=siapa").await;
    assert_eq!(
        lines(&unknown),
        vec![line(
            "login_failed",
            "unknown_user",
            "127.0.0.1",
            "Firefox/128 kantor"
        )]
    );
    assert!(unknown[0]["user_id"].is_null());
    // By kind, across users.
    let failed = access_log(&app, "kind=login_failed").await;
    assert_eq!(failed.len(), 2, "{failed:?}");

    // The refused sign-ins are security events too, with the user agent.
    let (status, events) = app
        .call("GET", "/api/security/events?kind=login_failed", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{events}");
    let items = events["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{events}");
    assert!(
        items
            .iter()
            .all(|e| e["user_agent"] == "Firefox/128 kantor"),
        "{events}"
    );

    // Logging out everywhere is a sign-out too.
    let token = token_of(&app, &home).await;
    let res = home
        .post(format!("{}/api/auth/logout-everywhere", app.admin))
        .bearer_auth(token)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let last = access_log(&app, "user=kasir&kind=logout&limit=1").await;
    assert_eq!(
        lines(&last),
        vec![line(
            "logout",
            "everywhere",
            "127.0.0.2",
            "Chrome/131 rumah"
        )]
    );

    // A cashier may not read the log.
    let (status, _) = app
        .get_auth("/api/audit/access", &token_of(&app, &home).await)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn token_of(app: &TestApp, http: &reqwest::Client) -> String {
    let body = json!({"username": "kasir", "password": PASSWORD});
    let (status, body) = post(app, http, "/api/auth/login", body).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("token").to_owned()
}

#[tokio::test]
async fn the_access_log_is_append_only_and_only_retention_removes_old_entries() {
    let app = spawn_app().await;
    add_cashier(&app).await;
    let (status, _) = app.login("kasir", PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let pool = app.pool().await;
    let now = app.clock.now();
    // Two earlier entries: one past the year the log is kept, one within it.
    sqlx::query(
        "insert into access_events (occurred_at, kind, username, remote_addr) \
         values ($1 - interval '400 days', 'login_succeeded', 'kasir', '10.0.0.9'), \
                ($1 - interval '300 days', 'login_succeeded', 'kasir', '10.0.0.8')",
    )
    .bind(now)
    .execute(&pool)
    .await
    .expect("old entries");

    for sql in [
        "update access_events set username = 'orang-lain'",
        "delete from access_events",
        "delete from access_events where occurred_at < now() - interval '1 day'",
        "truncate access_events",
    ] {
        let err = sqlx::query(sql)
            .execute(&pool)
            .await
            .expect_err(sql)
            .to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    let total = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from access_events")
            .fetch_one(&app.pool().await)
            .await
            .expect("count")
    };
    let before = total().await;
    assert!(before >= 4, "{before}");

    let (status, run) = app.call("POST", "/api/jobs/retention/run", None).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert_eq!(run["ok"], true, "{run}");
    let summary = run["summary"].as_str().expect("summary");
    assert!(summary.contains("1 access log entry(ies)"), "{summary}");
    assert_eq!(total().await, before - 1);
    let addrs: Vec<String> = sqlx::query_scalar(
        "select remote_addr from access_events where remote_addr like '10.%' order by 1",
    )
    .fetch_all(&pool)
    .await
    .expect("left");
    assert_eq!(addrs, vec!["10.0.0.8".to_owned()]);

    // Shorter keeping period: the 300-day entry goes too, today's stay.
    let (_, mut settings) = app.call("GET", "/api/monitoring/settings", None).await;
    settings["keep_activity_days"] = json!(200);
    let (status, body) = app
        .call("PUT", "/api/monitoring/settings", Some(settings))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, run) = app.call("POST", "/api/jobs/retention/run", None).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert!(
        run["summary"]
            .as_str()
            .expect("summary")
            .contains("1 access log entry(ies)"),
        "{run}"
    );
    assert_eq!(total().await, before - 2);
    let kasir = access_log(&app, "user=kasir").await;
    assert!(
        kasir.iter().any(|e| e["kind"] == "login_succeeded"),
        "today's sign-in stays: {kasir:?}"
    );
}
