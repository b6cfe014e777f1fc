//! Hostile input (issue #24): numbers at the ends of i64, NUL characters, oversized text and
//! malformed requests get a 4xx in the API's JSON error shape naming what is wrong — never
//! a 500, a dropped connection, or a half-written change.

mod errors;
mod money;
mod text;

use billing_tests::{spawn_app, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Sends a raw request to one of the listeners; the status and the body (parsed as JSON
/// when it is JSON). A dropped connection fails the test.
async fn raw(
    app: &TestApp,
    method: &str,
    url: &str,
    body: Option<(&str, Vec<u8>)>,
) -> (StatusCode, Value, String) {
    let token = app.token().await;
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = app.http.request(method, url).bearer_auth(token);
    if let Some((content_type, bytes)) = body {
        req = req.header("content-type", content_type).body(bytes);
    }
    let res = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("{url}: no answer ({e})"));
    let status = res.status();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::Null),
        content_type,
    )
}

/// The documented error shape: `{"error": {"kind", "message", "field"?}}`.
fn assert_error_shape(what: &str, body: &Value) {
    assert!(
        body["error"]["kind"].is_string() && body["error"]["message"].is_string(),
        "{what}: not the JSON error shape: {body}"
    );
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(&format!("select count(*) from {table}"))
        .fetch_one(&app.pool().await)
        .await
        .expect("count")
}

#[tokio::test]
async fn page_numbers_at_the_end_of_i64_are_refused_not_a_dropped_connection() {
    let app = spawn_app().await;
    for path in [
        format!("/api/vouchers?page={}", i64::MAX),
        format!("/api/vouchers?page={}&per_page=1000", i64::MAX / 2),
        format!("/api/vouchers?page={}", i64::MIN),
        format!("/api/vouchers?per_page={}", i64::MAX),
        "/api/payments?paid_to=%2B262143-12-31".to_owned(),
    ] {
        let (status, body) = app.call("GET", &path, None).await;
        if status.is_success() {
            continue; // clamped: a page far past the end is simply empty
        }
        assert!(status.is_client_error(), "{path}: {status} {body}");
        assert_error_shape(&path, &body);
        assert!(body["error"]["field"].is_string(), "{path}: {body}");
    }
    let (status, body) = app
        .call("GET", &format!("/api/vouchers?page={}", i64::MAX), None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "page");
    for path in [
        format!("/api/audit?offset={}&limit={}", i64::MAX, i64::MAX),
        format!("/api/customers?offset={}&limit={}", i64::MAX, i64::MIN),
        format!("/api/invoices?offset={}", i64::MAX),
        format!("/api/security/events?offset={}", i64::MAX),
    ] {
        let (status, body) = app.call("GET", &path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_nul_in_a_query_parameter_is_a_400_naming_it_on_every_list() {
    let app = spawn_app().await;
    for (path, param) in [
        ("/api/customers", "q"),
        ("/api/customers", "status"),
        ("/api/invoices", "status"),
        ("/api/invoices", "q"),
        ("/api/invoices", "due"),
        ("/api/payments", "method"),
        ("/api/payments", "status"),
        ("/api/audit", "entity"),
        ("/api/audit", "user"),
        ("/api/audit", "q"),
        ("/api/security/events", "kind"),
        ("/api/security/events", "q"),
        ("/api/vouchers", "q"),
        ("/api/vouchers", "status"),
        ("/api/subscriptions", "q"),
        ("/api/whatsapp/messages", "status"),
        ("/api/routers/audit", "target"),
    ] {
        let url = format!("{path}?{param}=a%00b");
        let (status, body) = app.call("GET", &url, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}: {body}");
        assert_eq!(body["error"]["field"], param, "{url}: {body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("NUL"),
            "{url}: {body}"
        );
    }
    app.shutdown().await;
}

#[tokio::test]
async fn a_nul_in_a_json_string_is_a_422_naming_the_field_and_writes_nothing() {
    let app = spawn_app().await;
    let (status, body) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": "Budi\u{0}", "phone": "0812-3456-7890"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "name");
    assert_eq!(count(&app, "customers").await, 0);

    let (status, customer) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": "Budi", "phone": "0812-3456-7890"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let id = customer["id"].as_str().expect("id");
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/customers/{id}/balance"),
            Some(json!({"kind": "adjustment", "amount": 5000, "reason": "bonus\u{0}"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "reason");
    assert_eq!(count(&app, "ledger_entries").await, 0);

    // A NUL in a path parameter is refused the same way.
    let (status, body) = app.call("GET", "/api/jobs/a%00b/runs", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "name");
    app.shutdown().await;
}
