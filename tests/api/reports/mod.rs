//! The dashboard home and the reports against a data set seeded through the app's own API
//! (customers, plans, subscriptions over months, payments by several cashiers and methods,
//! terminations, vouchers sold through simulated hotspot logins). Every expected figure is
//! computed here from the seed list, not by asking the database.

mod figures;
mod online;
mod seed;

use billing_tests::*;
use serde_json::Value;

pub use seed::seeded;

/// GET with a token, returning the raw response.
pub async fn raw(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.http
        .get(format!("{}{path}", app.admin))
        .bearer_auth(token)
        .send()
        .await
        .expect("send")
}

pub async fn report(app: &TestApp, path: &str) -> Value {
    let (status, body) = app.call("GET", path, None).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}
