//! Callbacks: verified, confirmed, applied exactly once; paid is final.

use super::*;

#[tokio::test]
async fn bad_signature_is_rejected_logged_and_not_recorded() {
    let (app, fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "budi").await;
    let created = choose(&app, &url, "NQ").await;
    let merchant_ref = created["merchant_ref"].as_str().expect("ref");
    fake.mark_paid(merchant_ref);
    let forged = fake
        .signed_callback_form(merchant_ref, "00")
        .replace("signature=", "signature=0");
    let delivery = fake
        .post_form(&webhook_url(&app), forged)
        .await
        .expect("post");
    assert_eq!(delivery.status, 401);
    assert_eq!(
        invoice_state(&app, &invoice["id"]).await["status"],
        "unpaid"
    );
    assert_eq!(count(&app, "select count(*) from ledger_entries").await, 0);
    assert_eq!(
        count(
            &app,
            "select count(*) from security_events where kind = 'webhook_bad_signature'"
        )
        .await,
        1
    );
    app.shutdown().await;
}

#[tokio::test]
async fn callback_is_confirmed_applied_once_and_redelivery_changes_nothing() {
    let (app, fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "siti").await;
    let created = choose(&app, &url, "NQ").await;
    assert!(
        created["qr_svg"]
            .as_str()
            .is_some_and(|s| s.starts_with("<?xml") || s.contains("<svg")),
        "{created}"
    );
    let merchant_ref = created["merchant_ref"].as_str().expect("ref").to_owned();

    // A pending notice (resultCode 01) moves no money.
    let d = fake
        .deliver_callback_with(&merchant_ref, &webhook_url(&app), "01")
        .await
        .expect("post");
    assert_eq!(d.status, 200);
    assert_eq!(
        invoice_state(&app, &invoice["id"]).await["status"],
        "unpaid"
    );

    // A forged "paid" with a valid signature but the gateway says pending: not applied,
    // because every Duitku callback is confirmed with transactionStatus first.
    let d = fake
        .deliver_callback_with(&merchant_ref, &webhook_url(&app), "00")
        .await
        .expect("post");
    assert_eq!(d.status, 200);
    assert_eq!(
        invoice_state(&app, &invoice["id"]).await["status"],
        "unpaid"
    );

    fake.mark_paid(&merchant_ref);
    for _ in 0..3 {
        let d = fake
            .deliver_callback(&merchant_ref, &webhook_url(&app))
            .await
            .expect("post");
        assert_eq!(d.status, 200);
    }
    let state = invoice_state(&app, &invoice["id"]).await;
    assert_eq!(
        (state["status"].as_str(), state["paid"].as_i64()),
        (Some("paid"), Some(150_000))
    );
    assert_eq!(
        count(&app, "select count(*) from payments where status = 'paid'").await,
        1
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from ledger_entries where reason = 'payment_received'"
        )
        .await,
        1
    );

    // A later "failed" notice for the paid payment changes nothing.
    fake.mark_failed(&merchant_ref);
    let d = fake
        .deliver_callback_with(&merchant_ref, &webhook_url(&app), "02")
        .await
        .expect("post");
    assert_eq!(d.status, 200);
    let (_, status) = app
        .call("GET", &format!("/api/payments/{merchant_ref}/status"), None)
        .await;
    assert_eq!(status["status"], "paid");
    app.shutdown().await;
}

#[tokio::test]
async fn poller_completes_a_payment_when_no_callback_arrives_and_expires_old_ones() {
    let (app, fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "agus").await;
    let created = choose(&app, &url, "BC").await;
    assert!(
        created["va_number"].as_str().is_some(),
        "BCA VA shows a number: {created}"
    );
    let merchant_ref = created["merchant_ref"].as_str().expect("ref").to_owned();
    // Choosing the same method again reuses the waiting payment.
    let again = choose(&app, &url, "BC").await;
    assert_eq!(again["merchant_ref"], merchant_ref);

    fake.mark_paid(&merchant_ref);
    let (_, summary) = app.call("POST", "/api/payments/check-pending", None).await;
    assert_eq!(summary["paid"], 1, "{summary}");
    assert_eq!(invoice_state(&app, &invoice["id"]).await["status"], "paid");

    // Another invoice's payment never gets paid and runs past its expiry.
    let (_, url2) = invoice_with_link(&app, "agus2").await;
    let other = choose(&app, &url2, "NQ").await;
    app.clock.advance(chrono::Duration::hours(25));
    let (_, summary) = app.call("POST", "/api/payments/check-pending", None).await;
    assert_eq!(summary["closed"], 1, "{summary}");
    let (_, status) = app
        .call(
            "GET",
            &format!(
                "/api/payments/{}/status",
                other["merchant_ref"].as_str().expect("ref")
            ),
            None,
        )
        .await;
    assert_eq!(status["status"], "expired");
    app.shutdown().await;
}

#[tokio::test]
async fn an_amount_the_gateway_did_not_confirm_is_held_for_review_not_applied() {
    let (app, _fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "dewi").await;
    let created = choose(&app, &url, "NQ").await;
    let event = billing_gateways::GatewayEvent {
        merchant_ref: created["merchant_ref"].as_str().expect("ref").to_owned(),
        gateway_ref: None,
        status: billing_gateways::GatewayStatus::Paid,
        amount: 15_000,
    };
    // A callback amount the gateway's status check contradicted.
    let outcome = billing_app::online::apply_event(
        &app.ctx(),
        "duitku",
        &event,
        billing_app::online::AmountCheck::Unconfirmed,
    )
    .await
    .expect("apply");
    assert_eq!(outcome, billing_app::online::Outcome::Held);
    assert_eq!(
        invoice_state(&app, &invoice["id"]).await["status"],
        "unpaid"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from payments where review_reason is not null"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from security_events where kind = 'payment_amount_mismatch'"
        )
        .await,
        1
    );

    // Paid at the gateway but not applied: the owner is alerted until someone decides.
    let alerts = || async {
        let (_, run) = app.call("POST", "/api/jobs/alerts/run", None).await;
        assert_eq!(run["ok"], true, "{run}");
        let (_, list) = app
            .call("GET", "/api/monitoring/alerts?state=active", None)
            .await;
        list["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a["metric"] == "payments_unapplied")
            .collect::<Vec<_>>()
    };
    let raised = alerts().await;
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert!(
        raised[0]["title"]
            .as_str()
            .unwrap_or_default()
            .contains("belum diterapkan"),
        "{raised:?}"
    );
    let payment_id: uuid::Uuid =
        sqlx::query_scalar("select id from payments where review_reason is not null")
            .fetch_one(&app.pool().await)
            .await
            .expect("held");
    let (status, decided) = app
        .call(
            "POST",
            &format!("/api/payments/{payment_id}/review"),
            Some(json!({"action": "accept"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{decided}");
    assert!(alerts().await.is_empty(), "cleared once decided");
    app.shutdown().await;
}

#[tokio::test]
async fn a_signed_callback_whose_amount_the_status_check_contradicts_is_a_security_event() {
    let (app, fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "wati").await;
    let created = choose(&app, &url, "NQ").await;
    let merchant_ref = created["merchant_ref"].as_str().expect("ref").to_owned();
    fake.mark_paid(&merchant_ref);
    // Correctly signed, but for 15,000; Duitku's status check says 150,000 was paid.
    let form = fake.callback_form_for(&merchant_ref, "15000", "00");
    let delivery = fake
        .post_form(&webhook_url(&app), form)
        .await
        .expect("post");
    assert_eq!(delivery.status, 200);
    // The checked amount counts: the invoice is paid in full, once.
    let state = invoice_state(&app, &invoice["id"]).await;
    assert_eq!(
        (state["status"].as_str(), state["paid"].as_i64()),
        (Some("paid"), Some(150_000))
    );
    let events: Vec<(String, Option<String>)> = sqlx::query_as(
        "select detail, remote_addr from security_events \
         where kind = 'payment_amount_mismatch'",
    )
    .fetch_all(&app.pool().await)
    .await
    .expect("query");
    assert_eq!(events.len(), 1, "{events:?}");
    let (detail, address) = &events[0];
    for part in ["duitku", merchant_ref.as_str(), "15000", "150000"] {
        assert!(detail.contains(part), "{part} missing from: {detail}");
    }
    assert_eq!(address.as_deref(), Some("127.0.0.1"));

    // A callback that agrees with the check records nothing more.
    fake.deliver_callback(&merchant_ref, &webhook_url(&app))
        .await
        .expect("post");
    assert_eq!(
        count(
            &app,
            "select count(*) from security_events where kind = 'payment_amount_mismatch'"
        )
        .await,
        1
    );
    app.shutdown().await;
}

#[tokio::test]
async fn webhooks_for_unknown_gateways_and_garbage_bodies_are_refused() {
    let (app, fake) = app_with_duitku().await;
    let res = app
        .http
        .post(format!("{}/api/payments/webhook/paypal", app.public))
        .body("x")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let d = fake
        .post_form(&webhook_url(&app), "%%%garbage".into())
        .await
        .expect("post");
    assert!(
        d.status == 400 || d.status == 401 || d.status == 422,
        "{}",
        d.status
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_late_payment_for_a_carried_over_invoice_pays_the_invoice_that_carries_its_debt() {
    let (app, fake) = app_with_duitku().await;
    let (nov, url) = invoice_with_link(&app, "telat").await;
    let created = choose(&app, &url, "NQ").await;
    let merchant_ref = created["merchant_ref"].as_str().expect("ref").to_owned();
    // December is issued before the customer pays; November is carried into it.
    crate::billing::set_today(&app, crate::billing::d(2026, 12, 1));
    app.call("POST", "/api/billing/run", Some(json!({"dry_run": false})))
        .await;
    assert_eq!(
        invoice_state(&app, &nov["id"]).await["status"],
        "carried_over"
    );

    fake.mark_paid(&merchant_ref);
    let d = fake
        .deliver_callback(&merchant_ref, &webhook_url(&app))
        .await
        .expect("post");
    assert_eq!(d.status, 200);
    let nov_state = invoice_state(&app, &nov["id"]).await;
    let dec_id = nov_state["carried_into"]["invoice_id"].clone();
    let dec = invoice_state(&app, &dec_id).await;
    assert_eq!(
        (dec["total"].as_i64(), dec["paid"].as_i64()),
        (Some(300_000), Some(150_000)),
        "{dec}"
    );
    assert_eq!(dec["status"], "partial");
    crate::billing::invariants::check_invariants(&app.ctx()).await;
    app.shutdown().await;
}
