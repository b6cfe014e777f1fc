//! Credit pays open invoices: on demand (`POST /api/invoices/{id}/apply-balance`, the
//! subscription's wallet first, then the customer's own) and by itself when credit arrives
//! (a positive adjustment, a voided invoice's money coming back), oldest invoice first.

use super::*;

async fn invoice(app: &TestApp, id: &Value) -> Value {
    app.call(
        "GET",
        &format!("/api/invoices/{}", id.as_str().expect("id")),
        None,
    )
    .await
    .1
}

/// Credit already in a wallet while an invoice is open, as an import or a version before
/// credit was applied by itself leaves it (a plain ledger entry, no use-case).
async fn legacy_credit(app: &TestApp, customer: &Value, subscription: Option<&Value>, amount: i64) {
    sqlx::query(
        "insert into ledger_entries (customer_id, subscription_id, account, delta, reason, memo, created_at) \
         values ($1::text::uuid, $2::text::uuid, $3, $4, 'adjustment', 'saldo lama', now())",
    )
    .bind(customer["id"].as_str().expect("id"))
    .bind(subscription.and_then(|s| s["id"].as_str()))
    .bind(if subscription.is_some() { "subscription" } else { "customer" })
    .bind(amount)
    .execute(&app.pool().await)
    .await
    .expect("credit");
}

fn apply_path(invoice: &Value) -> String {
    format!(
        "/api/invoices/{}/apply-balance",
        invoice["id"].as_str().expect("id")
    )
}

#[tokio::test]
async fn credit_pays_an_open_invoice_on_demand_subscription_wallet_first() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (customer, sub) = customer_with_subscription(&app, 150_000, "saldo1", d(2026, 11, 1)).await;
    let open = open_invoices(&app, &sub["id"]).await.remove(0);

    // Nothing to use yet: a clear refusal, nothing written.
    let (status, refused) = app.call("POST", &apply_path(&open), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("no credit"),
        "{refused}"
    );

    legacy_credit(&app, &customer, Some(&sub), 100_000).await;
    legacy_credit(&app, &customer, None, 80_000).await;
    let (status, applied) = app.call("POST", &apply_path(&open), None).await;
    assert_eq!(status, StatusCode::OK, "{applied}");
    assert_eq!(applied["from_subscription"], 100_000, "{applied}");
    assert_eq!(applied["from_customer"], 50_000, "{applied}");
    assert_eq!(applied["remaining_credit"], 30_000, "{applied}");
    assert_eq!(applied["invoice"]["status"], "paid", "{applied}");
    assert_eq!(applied["invoice"]["paid"], 150_000, "{applied}");

    let entries: Vec<(String, Option<uuid::Uuid>, i64)> = sqlx::query_as(
        "select account, subscription_id, delta from ledger_entries \
         where reason = 'credit_applied' order by id",
    )
    .fetch_all(&app.pool().await)
    .await
    .expect("entries");
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(
        (entries[0].0.as_str(), entries[0].2),
        ("subscription", -100_000)
    );
    assert_eq!((entries[1].0.as_str(), entries[1].2), ("customer", -50_000));
    let sources: Vec<(String, i64)> =
        sqlx::query_as("select source, amount from allocations order by amount desc")
            .fetch_all(&app.pool().await)
            .await
            .expect("allocations");
    assert_eq!(
        sources,
        [
            ("credit".to_owned(), 100_000),
            ("credit".to_owned(), 50_000)
        ]
    );
    // No payment row: the money was received once already.
    let payments: i64 = sqlx::query_scalar("select count(*) from payments")
        .fetch_one(&app.pool().await)
        .await
        .expect("payments");
    assert_eq!(payments, 0);

    // Paid now: asking again is refused.
    let (status, again) = app.call("POST", &apply_path(&open), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert!(
        again["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("already paid"),
        "{again}"
    );
    super::invariants::check_invariants(&app.ctx()).await;

    // Not enough credit: the invoice is partly paid.
    let (customer2, sub2) =
        customer_with_subscription(&app, 150_000, "saldo2", d(2026, 11, 1)).await;
    let open2 = open_invoices(&app, &sub2["id"]).await.remove(0);
    legacy_credit(&app, &customer2, None, 40_000).await;
    let (status, applied) = app.call("POST", &apply_path(&open2), None).await;
    assert_eq!(status, StatusCode::OK, "{applied}");
    assert_eq!(
        (
            applied["invoice"]["status"].as_str(),
            applied["invoice"]["paid"].as_i64(),
            applied["remaining_credit"].as_i64()
        ),
        (Some("partial"), Some(40_000), Some(0))
    );
    super::invariants::check_invariants(&app.ctx()).await;
    app.shutdown().await;
}

#[tokio::test]
async fn a_positive_adjustment_pays_the_oldest_open_invoices_at_once() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (customer, sub) = customer_with_subscription(&app, 150_000, "tua", d(2026, 11, 1)).await;
    let (status, second) = app
        .call(
            "POST",
            "/api/subscriptions",
            Some(
                json!({"customer_id": customer["id"], "plan_id": sub["plan_id"],
                        "login": "muda", "password": "rahasia-pppoe", "start_on": "2026-11-01",
                        "billing_day": 1}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let first_invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    let second_invoice = open_invoices(&app, &second["id"]).await.remove(0);
    // Same period: the older number goes first.
    let (older, newer) = if first_invoice["number"].as_str() < second_invoice["number"].as_str() {
        (first_invoice, second_invoice)
    } else {
        (second_invoice, first_invoice)
    };
    let customer_id = customer["id"].as_str().expect("id");
    let (status, result) = app
        .call(
            "POST",
            &format!("/api/customers/{customer_id}/balance"),
            Some(json!({"kind": "adjustment", "amount": 200_000, "reason": "titipan tunai"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{result}");
    assert_eq!(
        result["balance"], 0,
        "all of it went to the invoices: {result}"
    );
    let older = invoice(&app, &older["id"]).await;
    let newer = invoice(&app, &newer["id"]).await;
    assert_eq!(
        (older["status"].as_str(), older["paid"].as_i64()),
        (Some("paid"), Some(150_000))
    );
    assert_eq!(
        (newer["status"].as_str(), newer["paid"].as_i64()),
        (Some("partial"), Some(50_000))
    );
    super::invariants::check_invariants(&app.ctx()).await;

    // More than is owed: the rest stays as credit.
    let (status, result) = app
        .call(
            "POST",
            &format!("/api/customers/{customer_id}/balance"),
            Some(json!({"kind": "adjustment", "amount": 130_000, "reason": "titipan lagi"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{result}");
    assert_eq!(result["balance"], 30_000, "{result}");
    assert_eq!(invoice(&app, &newer["id"]).await["status"], "paid");
    super::invariants::check_invariants(&app.ctx()).await;
    app.shutdown().await;
}

#[tokio::test]
async fn a_voided_invoices_money_pays_the_invoice_it_had_carried() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "batal", d(2026, 11, 1)).await;
    let november = open_invoices(&app, &sub["id"]).await.remove(0);
    let (status, _) = pay(&app, &november["id"], 50_000).await;
    assert_eq!(status, StatusCode::CREATED);
    set_today(&app, d(2026, 12, 1));
    let (status, run) = app.call("POST", "/api/billing/run", Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    let december = open_invoices(&app, &sub["id"])
        .await
        .into_iter()
        .find(|i| i["status"] != "carried_over")
        .expect("december");
    assert_eq!(december["total"], 250_000, "{december}");
    let (status, _) = pay(&app, &december["id"], 200_000).await;
    assert_eq!(status, StatusCode::CREATED);

    // Voiding December gives its 200,000 back and November is owed again (100,000): the
    // money pays November at once and 100,000 stays as credit.
    let (status, voided) = app
        .call(
            "POST",
            &format!(
                "/api/invoices/{}/void",
                december["id"].as_str().expect("id")
            ),
            Some(json!({"reason": "salah paket"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{voided}");
    let november = invoice(&app, &november["id"]).await;
    assert_eq!(
        (november["status"].as_str(), november["paid"].as_i64()),
        (Some("paid"), Some(150_000)),
        "{november}"
    );
    let left: i64 =
        sqlx::query_scalar("select coalesce(sum(delta), 0)::bigint from ledger_entries")
            .fetch_one(&app.pool().await)
            .await
            .expect("credit");
    assert_eq!(left, 100_000);
    super::invariants::check_invariants(&app.ctx()).await;
    app.shutdown().await;
}
