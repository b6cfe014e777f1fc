//! A session ends at once: logout, ending one session from the list, logout everywhere, a
//! reused (stolen) refresh token, a role change, disabling and a password reset each refuse
//! the session's access token on the very next request — not when it expires 15 minutes
//! later — with the JSON error, while the user's other sessions and other users go on.

use billing_tests::*;
use secrecy::ExposeSecret as _;
use serde_json::{json, Value};

const PASSWORD: &str = "sandi-kasir-yang-kuat";
const NEW_PASSWORD: &str = "sandi-baru-yang-kuat";

struct Session {
    access: String,
    refresh: String,
}

impl Session {
    fn from(body: &Value) -> Session {
        Session {
            access: body["access_token"].as_str().expect("access").to_owned(),
            refresh: body["refresh_token"].as_str().expect("refresh").to_owned(),
        }
    }
}

async fn log_in(app: &TestApp, password: &str) -> Session {
    let (status, body) = app.login("kasir", password).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    Session::from(&body)
}

async fn refresh(app: &TestApp, refresh: &str, user_agent: &str) -> (StatusCode, Value) {
    let res = app
        .http
        .post(format!("{}/api/auth/refresh", app.admin))
        .header("user-agent", user_agent)
        .json(&json!({ "refresh_token": refresh }))
        .send()
        .await
        .expect("send");
    split(res).await
}

async fn assert_works(app: &TestApp, session: &Session, when: &str) {
    let (status, body) = app.get_auth("/api/auth/me", &session.access).await;
    assert_eq!(status, StatusCode::OK, "{when}: {body}");
}

async fn assert_ended(app: &TestApp, session: &Session, when: &str) {
    let (status, body) = app.get_auth("/api/customers", &session.access).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{when}: {body}");
    assert_eq!(body["error"]["kind"], "unauthorized", "{when}: {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{when}: {body}"
    );
}

async fn security_events(
    app: &TestApp,
    kind: &str,
) -> Vec<(Option<String>, String, Option<String>)> {
    sqlx::query_as(
        "select username, detail, remote_addr from security_events where kind = $1 order by id",
    )
    .bind(kind)
    .fetch_all(&app.pool().await)
    .await
    .expect("query")
}

#[tokio::test]
async fn every_way_of_ending_a_session_refuses_its_access_token_on_the_next_request() {
    let app = spawn_app().await;
    let (status, cashier) = app
        .call(
            "POST",
            "/api/admin/users",
            Some(json!({"username": "kasir", "password": PASSWORD, "role": "cashier"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{cashier}");
    let user = format!("/api/admin/users/{}", cashier["id"].as_str().expect("id"));

    // Logout ends that session only: the same user's other session goes on.
    let laptop = log_in(&app, PASSWORD).await;
    let phone = log_in(&app, PASSWORD).await;
    let (status, _) = app
        .post("/api/auth/logout", json!({"refresh_token": laptop.refresh}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_ended(&app, &laptop, "after logout").await;
    assert_works(&app, &phone, "the other session after logout").await;

    // Ending one session from the sessions list.
    let tablet = log_in(&app, PASSWORD).await;
    let (status, list) = app.get_auth("/api/auth/sessions", &phone.access).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{list}");
    let other = items
        .iter()
        .find(|s| s["current"] == false)
        .expect("the tablet's session");
    let res = app
        .http
        .delete(format!(
            "{}/api/auth/sessions/{}",
            app.admin,
            other["id"].as_str().expect("id")
        ))
        .bearer_auth(&phone.access)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_ended(&app, &tablet, "after ending the session from the list").await;
    assert_works(&app, &phone, "the session that ended the other").await;

    // Theft: the refresh token is rotated by its rightful holder, then replayed by a thief.
    let stolen = log_in(&app, PASSWORD).await;
    let (status, rotated) = refresh(&app, &stolen.refresh, "mikrobill-dasbor").await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let rotated = Session::from(&rotated);
    assert_works(&app, &rotated, "the rotated pair").await;
    let (status, body) = refresh(&app, &stolen.refresh, "pencuri/1.0").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["kind"], "unauthorized");
    assert_ended(&app, &rotated, "after the spent refresh token came back").await;
    assert_ended(
        &app,
        &stolen,
        "the first access token of the stolen session",
    )
    .await;
    let (status, _) = refresh(&app, &rotated.refresh, "mikrobill-dasbor").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the whole family is over");
    assert_works(&app, &phone, "another session after the theft").await;
    let reused = security_events(&app, "refresh_token_reused").await;
    assert_eq!(reused.len(), 1, "{reused:?}");
    let (username, detail, address) = &reused[0];
    assert_eq!(username.as_deref(), Some("kasir"));
    assert_eq!(address.as_deref(), Some("127.0.0.1"));
    let agent: Option<String> = sqlx::query_scalar(
        "select user_agent from security_events where kind = 'refresh_token_reused'",
    )
    .fetch_one(&app.pool().await)
    .await
    .expect("user agent");
    assert_eq!(agent.as_deref(), Some("pencuri/1.0"), "{detail}");
    assert!(
        !detail.contains(&stolen.refresh),
        "no token in the log: {detail}"
    );

    // Logout everywhere ends every session of the user, the caller's included.
    let desktop = log_in(&app, PASSWORD).await;
    let res = app
        .http
        .post(format!("{}/api/auth/logout-everywhere", app.admin))
        .bearer_auth(&phone.access)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_ended(&app, &phone, "the caller after logout everywhere").await;
    assert_ended(&app, &desktop, "another session after logout everywhere").await;

    // An owner changes the role: the old tokens end; a new login gets the new role.
    let before = log_in(&app, PASSWORD).await;
    let (status, body) = app
        .call("PATCH", &user, Some(json!({"role": "technician"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_ended(&app, &before, "after a role change").await;
    let after = log_in(&app, PASSWORD).await;
    let (_, me) = app.get_auth("/api/auth/me", &after.access).await;
    assert_eq!(me["role"], "technician");

    // Disabled by the owner.
    let (status, body) = app
        .call("PATCH", &user, Some(json!({"disabled": true})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_ended(&app, &after, "after disabling").await;
    let (status, _) = app.login("kasir", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = app
        .call("PATCH", &user, Some(json!({"disabled": false})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The owner resets the password: the sessions with the old one end.
    let old = log_in(&app, PASSWORD).await;
    let (status, body) = app
        .call(
            "PUT",
            &format!("{user}/password"),
            Some(json!({"password": NEW_PASSWORD})),
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    assert_ended(&app, &old, "after a password reset").await;
    let new = log_in(&app, NEW_PASSWORD).await;
    assert_works(&app, &new, "a login with the new password").await;

    // The owner's own session went on through all of it.
    let (status, _) = app.call("GET", "/api/auth/me", None).await;
    assert_eq!(status, StatusCode::OK);
    app.shutdown().await;
}

/// HMAC-SHA256 (RFC 2104), to sign a token the way the app does.
fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    use sha2::{Digest as _, Sha256};
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::digest([pad(0x36), message.to_vec()].concat());
    Sha256::digest([pad(0x5c), inner.to_vec()].concat()).to_vec()
}

#[tokio::test]
async fn a_token_from_before_sessions_were_named_is_refused_cleanly_and_the_pair_renews() {
    use base64::Engine as _;
    use billing_domain::Clock as _;
    let app = spawn_app().await;
    let tokens = app.create_owner().await;
    let (_, me) = app
        .get_auth("/api/auth/me", tokens["access_token"].as_str().expect("a"))
        .await;

    // Signed with the app's key and the current token version, but without `sid`.
    let now = app.clock.now().timestamp();
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    let header = b64(br#"{"alg":"HS256","typ":"JWT"}"#);
    let claims = json!({"sub": me["id"], "username": OWNER, "role": "owner", "iat": now,
                        "exp": now + 600, "iss": "mikrobill", "ver": 0});
    let payload = b64(claims.to_string().as_bytes());
    let ctx = app.ctx();
    let signature = hmac_sha256(
        ctx.auth.signing_key.expose_secret(),
        format!("{header}.{payload}").as_bytes(),
    );
    let legacy = format!("{header}.{payload}.{}", b64(&signature));
    let (status, body) = app.get_auth("/api/auth/me", &legacy).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"]["kind"], "unauthorized");

    // The same claims with the session do work (the test signs like the app does) …
    let mut with_sid = claims.clone();
    let (_, sessions) = app
        .get_auth(
            "/api/auth/sessions",
            tokens["access_token"].as_str().expect("a"),
        )
        .await;
    with_sid["sid"] = sessions["items"][0]["id"].clone();
    let payload = b64(with_sid.to_string().as_bytes());
    let signature = hmac_sha256(
        ctx.auth.signing_key.expose_secret(),
        format!("{header}.{payload}").as_bytes(),
    );
    let (status, body) = app
        .get_auth(
            "/api/auth/me",
            &format!("{header}.{payload}.{}", b64(&signature)),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // … and the dashboard's answer to the 401, a refresh, gives a pair that works.
    let (status, renewed) = app
        .post(
            "/api/auth/refresh",
            json!({"refresh_token": tokens["refresh_token"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let (status, _) = app
        .get_auth("/api/auth/me", renewed["access_token"].as_str().expect("a"))
        .await;
    assert_eq!(status, StatusCode::OK);
    app.shutdown().await;
}
