//! A gateway payment confirmed for another amount than it asked for (an open-amount VA, a
//! transfer of another sum): applied for what came in when the gateway's status check says
//! so (less: the invoice is partly paid and the rest carried over; more: credit), held for
//! a cashier when the shop switched that off or the gateway's own reports disagree.

use super::*;

/// The one gateway payment, as the payments list shows it.
async fn gateway_payment(app: &TestApp) -> Value {
    let (_, list) = app.call("GET", "/api/payments?limit=50", None).await;
    list["items"]
        .as_array()
        .and_then(|items| items.iter().find(|p| p["method"] == "duitku").cloned())
        .expect("payment listed")
}

#[tokio::test]
async fn less_than_asked_pays_the_invoice_in_part_and_the_rest_is_carried_over() {
    let (app, fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "kurang").await;
    let created = choose(&app, &url, "BC").await;
    let merchant_ref = created["merchant_ref"].as_str().expect("ref").to_owned();
    // The customer transferred 100,000 to the VA; Duitku's callback and status agree.
    fake.mark_paid_amount(&merchant_ref, 100_000);
    let delivery = fake
        .deliver_callback(&merchant_ref, &webhook_url(&app))
        .await
        .expect("post");
    assert_eq!(delivery.status, 200);

    let state = invoice_state(&app, &invoice["id"]).await;
    assert_eq!(
        (state["status"].as_str(), state["paid"].as_i64()),
        (Some("partial"), Some(100_000)),
        "{state}"
    );
    let (amount, requested, status): (i64, Option<i64>, String) = sqlx::query_as(
        "select amount, requested_amount, status::text from payments where merchant_ref = $1",
    )
    .bind(&merchant_ref)
    .fetch_one(&app.pool().await)
    .await
    .expect("payment");
    assert_eq!(
        (amount, requested, status.as_str()),
        (100_000, Some(150_000), "paid")
    );
    let listed = gateway_payment(&app).await;
    assert_eq!(
        (
            listed["amount"].as_i64(),
            listed["requested_amount"].as_i64()
        ),
        (Some(100_000), Some(150_000)),
        "{listed}"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from payments where review_reason is not null"
        )
        .await,
        0,
        "nothing waits for a cashier"
    );
    // A re-delivery changes nothing.
    fake.deliver_callback(&merchant_ref, &webhook_url(&app))
        .await
        .expect("post");
    assert_eq!(invoice_state(&app, &invoice["id"]).await["paid"], 100_000);

    // The next month carries the 50,000 still owed into the new invoice.
    crate::billing::set_today(&app, crate::billing::d(2026, 12, 1));
    let (status, run) = app.call("POST", "/api/billing/run", Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    let state = invoice_state(&app, &invoice["id"]).await;
    assert_eq!(state["status"], "carried_over", "{state}");
    let carried: i64 = sqlx::query_scalar(
        "select amount from carry_overs where source_invoice_id = $1::text::uuid",
    )
    .bind(invoice["id"].as_str().expect("id"))
    .fetch_one(&app.pool().await)
    .await
    .expect("carry-over");
    assert_eq!(carried, 50_000);
    crate::billing::invariants::check_invariants(&app.ctx()).await;
    app.shutdown().await;
}

#[tokio::test]
async fn more_than_asked_pays_the_invoice_and_leaves_the_rest_as_credit() {
    let (app, fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "lebih").await;
    let created = choose(&app, &url, "BC").await;
    let merchant_ref = created["merchant_ref"].as_str().expect("ref").to_owned();
    fake.mark_paid_amount(&merchant_ref, 200_000);
    // No callback reaches the shop: the poller's status check is the gateway's own word.
    let (_, summary) = app.call("POST", "/api/payments/check-pending", None).await;
    assert_eq!(summary["paid"], 1, "{summary}");
    let state = invoice_state(&app, &invoice["id"]).await;
    assert_eq!(
        (state["status"].as_str(), state["paid"].as_i64()),
        (Some("paid"), Some(150_000))
    );
    let customer = state["customer_id"].as_str().expect("customer").to_owned();
    let (_, balance) = app
        .call("GET", &format!("/api/customers/{customer}/balance"), None)
        .await;
    assert_eq!(balance["total_credit"], 50_000, "{balance}");
    crate::billing::invariants::check_invariants(&app.ctx()).await;
    app.shutdown().await;
}

#[tokio::test]
async fn with_gateway_amounts_switched_off_another_amount_waits_for_a_cashier() {
    let (app, fake) = app_with_duitku().await;
    let (_, profile) = app.call("GET", "/api/settings/business", None).await;
    assert_eq!(profile["accept_gateway_amount"], true, "on by default");
    let mut changed = profile.clone();
    changed["accept_gateway_amount"] = json!(false);
    if changed["name"].as_str().unwrap_or_default().is_empty() {
        changed["name"] = json!("Net Contoh");
    }
    let (status, saved) = app
        .call("PUT", "/api/settings/business", Some(changed))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["accept_gateway_amount"], false);

    let (invoice, url) = invoice_with_link(&app, "tahan").await;
    let created = choose(&app, &url, "BC").await;
    let merchant_ref = created["merchant_ref"].as_str().expect("ref").to_owned();
    fake.mark_paid_amount(&merchant_ref, 100_000);
    fake.deliver_callback(&merchant_ref, &webhook_url(&app))
        .await
        .expect("post");
    assert_eq!(
        invoice_state(&app, &invoice["id"]).await["status"],
        "unpaid"
    );
    let reason: String =
        sqlx::query_scalar("select review_reason from payments where merchant_ref = $1")
            .bind(&merchant_ref)
            .fetch_one(&app.pool().await)
            .await
            .expect("held");
    assert!(reason.contains("switched off"), "{reason}");
    app.shutdown().await;
}

#[tokio::test]
async fn when_the_gateways_own_reports_disagree_on_another_amount_the_payment_is_held() {
    let (app, fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "beda").await;
    let created = choose(&app, &url, "BC").await;
    let merchant_ref = created["merchant_ref"].as_str().expect("ref").to_owned();
    // The status check says 120,000 came in; a correctly signed callback says 100,000.
    fake.mark_paid_amount(&merchant_ref, 120_000);
    let form = fake.callback_form_for(&merchant_ref, "100000", "00");
    let delivery = fake
        .post_form(&webhook_url(&app), form)
        .await
        .expect("post");
    assert_eq!(delivery.status, 200);
    assert_eq!(
        invoice_state(&app, &invoice["id"]).await["status"],
        "unpaid"
    );
    let (reason, review_amount): (String, i64) =
        sqlx::query_as("select review_reason, review_amount from payments where merchant_ref = $1")
            .bind(&merchant_ref)
            .fetch_one(&app.pool().await)
            .await
            .expect("held");
    assert!(reason.contains("did not confirm"), "{reason}");
    assert_eq!(review_amount, 120_000);
    assert!(
        count(
            &app,
            "select count(*) from security_events where kind = 'payment_amount_mismatch'"
        )
        .await
            >= 1
    );
    // The cashier accepts what the gateway's status check reported.
    let payment_id: uuid::Uuid =
        sqlx::query_scalar("select id from payments where merchant_ref = $1")
            .bind(&merchant_ref)
            .fetch_one(&app.pool().await)
            .await
            .expect("id");
    let (status, decided) = app
        .call(
            "POST",
            &format!("/api/payments/{payment_id}/review"),
            Some(json!({"action": "accept"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert_eq!(invoice_state(&app, &invoice["id"]).await["paid"], 120_000);
    crate::billing::invariants::check_invariants(&app.ctx()).await;
    app.shutdown().await;
}
