//! Overdue → isolated through the router port; paid → restored. Router outages queue.

use std::sync::atomic::Ordering;

use super::*;

#[tokio::test]
async fn overdue_subscription_is_isolated_and_restored_when_paid() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "rina", d(2026, 11, 1)).await;
    let inv = open_invoices(&app, &sub["id"]).await.remove(0);
    // Due 8 November, 3 grace days: not yet on the 11th, isolated from the 12th.
    set_today(&app, d(2026, 11, 11));
    let (_, preview) = app.call("GET", "/api/isolation/preview", None).await;
    assert_eq!(preview["items"].as_array().map(Vec::len), Some(0));
    set_today(&app, d(2026, 11, 12));
    let (_, preview) = app.call("GET", "/api/isolation/preview", None).await;
    assert_eq!(preview["items"][0]["login"], "rina", "{preview}");
    assert!(app.router.calls().is_empty(), "a preview changes nothing");

    app.router.failing.store(true, Ordering::SeqCst);
    let (_, run) = app.call("POST", "/api/isolation/run", None).await;
    assert_eq!(run["isolated"].as_array().map(Vec::len), Some(1));
    let (_, s) = app
        .call(
            "GET",
            &format!("/api/subscriptions/{}", sub["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(s["status"], "isolated");
    assert!(app.router.calls().is_empty(), "the router was down");

    // The router comes back; the queued command is delivered on the next attempt.
    app.router.failing.store(false, Ordering::SeqCst);
    app.clock.advance(chrono::Duration::minutes(5));
    billing_app::billing::isolation::deliver(&app.ctx())
        .await
        .expect("deliver");
    assert_eq!(
        app.router.calls(),
        [("isolate".to_owned(), "rina".to_owned())]
    );

    // A partial payment does not restore; the rest does.
    pay(&app, &inv["id"], 100_000).await;
    let (_, s) = app
        .call(
            "GET",
            &format!("/api/subscriptions/{}", sub["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(s["status"], "isolated");
    pay(&app, &inv["id"], 50_000).await;
    let (_, s) = app
        .call(
            "GET",
            &format!("/api/subscriptions/{}", sub["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(s["status"], "active");
    // The payment already started a delivery in the background; whichever delivery wins,
    // the restore reaches the router (poll with a deadline, no fixed sleep).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        billing_app::billing::isolation::deliver(&app.ctx())
            .await
            .expect("deliver");
        if app.router.calls().last().map(|c| c.0.as_str()) == Some("restore") {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "restore never reached the router: {:?}",
            app.router.calls()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    app.shutdown().await;
}

#[tokio::test]
async fn credit_that_covers_the_arrears_restores_an_isolated_subscription() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (customer, sub) = customer_with_subscription(&app, 100_000, "warung", d(2026, 11, 1)).await;
    set_today(&app, d(2026, 11, 15));
    app.call("POST", "/api/isolation/run", None).await;
    // The owner tops up the customer's wallet; the next invoice run uses it... but the
    // November invoice already exists, so the cashier pays it from a deposit instead:
    let cid = customer["id"].as_str().expect("id");
    app.call(
        "POST",
        &format!("/api/customers/{cid}/balance"),
        Some(json!({"kind": "adjustment", "amount": 300_000, "reason": "deposit tunai"})),
    )
    .await;
    set_today(&app, d(2026, 12, 1));
    let (_, run) = app
        .call("POST", "/api/billing/run", Some(json!({"dry_run": false})))
        .await;
    assert_eq!(run["issued"], 1);
    let invoices = open_invoices(&app, &sub["id"]).await;
    assert_eq!(
        invoices[1]["status"], "paid",
        "credit covered fee + arrears: {:?}",
        invoices[1]
    );
    let (_, s) = app
        .call(
            "GET",
            &format!("/api/subscriptions/{}", sub["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(s["status"], "active");
    let (_, c) = app
        .call("GET", &format!("/api/customers/{cid}"), None)
        .await;
    assert_eq!(c["balance"], 100_000);
    app.shutdown().await;
}
