mod checkout;
mod concurrency;
mod gateway_amount;
pub(crate) mod manual;
mod pay_page;
mod tripay;
mod webhooks;

use billing_gateways::fake::FakeDuitku;
use billing_tests::*;
use serde_json::{json, Value};

use crate::billing::{customer_with_subscription, d, open_invoices, set_today};

pub const MERCHANT: &str = "DS12345";
pub const API_KEY: &str = "0123456789abcdef0123456789abcdef";

/// An app with Duitku enabled against a local fake that follows Duitku's formats.
pub async fn app_with_duitku() -> (TestApp, FakeDuitku) {
    let app = spawn_app().await;
    let (fake, _) = enable_duitku(&app).await;
    (app, fake)
}

/// Enables Duitku on `app` against a fresh fake; returns it and the gateway's settings.
pub async fn enable_duitku(app: &TestApp) -> (FakeDuitku, Value) {
    let fake = FakeDuitku::start(MERCHANT, API_KEY).await;
    let (status, body) = app
        .call(
            "PUT",
            "/api/settings/gateways/duitku",
            Some(
                json!({"enabled": true, "environment": "sandbox", "merchant_code": MERCHANT,
                        "base_url": fake.base_url(), "api_key": API_KEY}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["has_api_key"], true);
    assert!(body.get("api_key").is_none(), "keys are never returned");
    (fake, body)
}

/// An open invoice of 150,000 and a pay link for it (token, public URL).
pub async fn invoice_with_link(app: &TestApp, login: &str) -> (Value, String) {
    set_today(app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(app, 150_000, login, d(2026, 11, 1)).await;
    let invoice = open_invoices(app, &sub["id"]).await.remove(0);
    let (status, link) = app
        .call(
            "GET",
            &format!("/api/invoices/{}/pay", invoice["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{link}");
    let url = link["url"].as_str().expect("url").to_owned();
    assert!(
        url.starts_with(&app.public),
        "pay links point at the public listener: {url}"
    );
    (invoice, url)
}

/// Chooses a method on the pay page (as the page's script does).
pub async fn choose(app: &TestApp, url: &str, method: &str) -> Value {
    let res = app
        .http
        .post(format!("{url}/payments"))
        .json(&json!({"gateway": "duitku", "method": method}))
        .send()
        .await
        .expect("send");
    let (status, body) = split(res).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

pub fn webhook_url(app: &TestApp) -> String {
    format!("{}/api/payments/webhook/duitku", app.public)
}

/// The invoice as the API shows it.
pub async fn invoice_state(app: &TestApp, id: &Value) -> Value {
    app.call(
        "GET",
        &format!("/api/invoices/{}", id.as_str().expect("id")),
        None,
    )
    .await
    .1
}

/// A count from the database.
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool().await)
        .await
        .expect("count")
}
