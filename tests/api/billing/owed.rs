//! Money where the owner looks: what each customer owes in the customer and subscription
//! lists, the cashier's name in the payments list, and the exact invoice "issue the next
//! invoice now" would issue, shown before it is issued.

use super::*;

async fn customer_row(app: &TestApp, name: &str) -> Value {
    let (status, list) = app
        .call("GET", &format!("/api/customers?q={name}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1, "{list}");
    list["items"][0].clone()
}

async fn subscription_row(app: &TestApp, login: &str) -> Value {
    let (status, list) = app
        .call("GET", &format!("/api/subscriptions?q={login}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["total"], 1, "{list}");
    list["items"][0].clone()
}

#[tokio::test]
async fn the_lists_show_what_each_customer_owes_and_their_credit() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 250_000, "budi", d(2026, 11, 1)).await;
    // Someone else owes nothing and is not counted in.
    let (_, other) = customer_with_subscription(&app, 100_000, "siti", d(2026, 11, 1)).await;
    let other_invoice = open_invoices(&app, &other["id"]).await.remove(0);
    pay(&app, &other_invoice["id"], 100_000).await;

    let row = customer_row(&app, "budi").await;
    assert_eq!(
        (row["owed"].as_i64(), row["total_credit"].as_i64()),
        (Some(250_000), Some(0)),
        "{row}"
    );
    assert_eq!(subscription_row(&app, "budi").await["owed"], 250_000);
    assert_eq!(customer_row(&app, "siti").await["owed"], 0);

    // Part paid: the rest is owed.
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    let (status, paid) = pay(&app, &invoice["id"], 100_000).await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    assert_eq!(customer_row(&app, "budi").await["owed"], 150_000);
    assert_eq!(subscription_row(&app, "budi").await["owed"], 150_000);

    // Over-paid: nothing owed, the rest is credit.
    pay(&app, &invoice["id"], 200_000).await;
    let row = customer_row(&app, "budi").await;
    assert_eq!(
        (row["owed"].as_i64(), row["total_credit"].as_i64()),
        (Some(0), Some(50_000)),
        "{row}"
    );
    let sub_row = subscription_row(&app, "budi").await;
    assert_eq!(
        (sub_row["owed"].as_i64(), sub_row["balance"].as_i64()),
        (Some(0), Some(50_000)),
        "{sub_row}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn the_payments_list_names_the_cashier() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "agus", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    pay(&app, &invoice["id"], 150_000).await;
    let (status, list) = app.call("GET", "/api/payments", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let payment = &list["items"][0];
    assert_eq!(payment["recorded_by_name"], OWNER, "{payment}");
    assert!(payment["recorded_by"].is_string(), "{payment}");
    app.shutdown().await;
}

#[tokio::test]
async fn issuing_ahead_shows_the_period_and_amount_first_and_writes_nothing_until_confirmed() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "dewi", d(2026, 11, 1)).await;
    let sid = sub["id"].as_str().expect("id").to_owned();
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    // 100,000 of November paid: 50,000 is carried into December.
    pay(&app, &invoice["id"], 100_000).await;
    set_today(&app, d(2026, 11, 20));

    let (status, preview) = app
        .call("GET", &format!("/api/subscriptions/{sid}/renew"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(
        preview,
        json!({"issues": true, "count": 1, "period_start": "2026-12-01",
               "period_end": "2027-01-01", "total": 200_000, "owed": 200_000,
               "number": null})
    );
    // Nothing was written: still one invoice, November still open.
    let invoices = open_invoices(&app, &sub["id"]).await;
    assert_eq!(invoices.len(), 1, "{invoices:?}");
    assert_eq!(invoices[0]["status"], "partial");

    // Confirmed: exactly what the preview said, and the first number of the series (the
    // preview's rolled-back number was not used up).
    let (status, issued) = app
        .call("POST", &format!("/api/subscriptions/{sid}/renew"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    assert_eq!(
        (
            issued["period_start"].as_str(),
            issued["period_end"].as_str(),
            issued["total"].as_i64()
        ),
        (Some("2026-12-01"), Some("2027-01-01"), Some(200_000))
    );
    assert_eq!(issued["number"], "INV/2026/11/00002", "{issued}");

    // Asked again: nothing more to issue, and it says which invoice is already there.
    let (_, again) = app
        .call("GET", &format!("/api/subscriptions/{sid}/renew"), None)
        .await;
    assert_eq!(again["issues"], false, "{again}");
    assert_eq!(again["number"], issued["number"], "{again}");
    app.shutdown().await;
}
