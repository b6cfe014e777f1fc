mod bad_input;
mod credit;
pub(crate) mod invariants;
mod isolation;
mod owed;
mod story;

use billing_tests::*;
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};

/// Sets the pinned clock to 08:00 in Jakarta on `date`.
pub fn set_today(app: &TestApp, date: NaiveDate) {
    let at = Utc.from_utc_datetime(&date.and_hms_opt(1, 0, 0).expect("time"));
    app.clock.set(at);
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// A plan, a customer and a subscription starting on `start_on` (billing day 1).
pub async fn customer_with_subscription(
    app: &TestApp,
    price: i64,
    login: &str,
    start_on: NaiveDate,
) -> (Value, Value) {
    let (status, plan) = app
        .call(
            "POST",
            "/api/plans",
            Some(
                json!({"name": format!("Paket {login}"), "price": price, "kind": "pppoe",
                        "router_profile": "pppoe-10M", "speed_label": "10 Mbps"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    let (status, customer) = app
        .call(
            "POST",
            "/api/customers",
            Some(
                json!({"name": format!("Pelanggan {login}"), "phone": "0812-3456-7890",
                        "address": "Jl. Melati 4"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let (status, sub) = app
        .call(
            "POST",
            "/api/subscriptions",
            Some(
                json!({"customer_id": customer["id"], "plan_id": plan["id"], "login": login,
                        "password": "rahasia-pppoe", "start_on": start_on, "billing_day": 1,
                        "due_days": 7, "grace_days": 3}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
    (customer, sub)
}

pub async fn open_invoices(app: &TestApp, subscription_id: &Value) -> Vec<Value> {
    let sub = subscription_id.as_str().expect("id");
    let (_, list) = app
        .call("GET", &format!("/api/invoices?subscription_id={sub}"), None)
        .await;
    let mut items = list["items"].as_array().cloned().unwrap_or_default();
    items.sort_by_key(|i| i["period_start"].as_str().unwrap_or_default().to_owned());
    items
}

pub async fn pay(app: &TestApp, invoice_id: &Value, amount: i64) -> (StatusCode, Value) {
    app.call(
        "POST",
        "/api/payments",
        Some(json!({"invoice_id": invoice_id, "amount": amount, "method": "cash"})),
    )
    .await
}
