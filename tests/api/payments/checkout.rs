//! Paying without a public address: the shop chose the gateway's own checkout page, so invoice
//! messages and the pay-link dialog carry a Duitku POP checkout made for the invoice, and the
//! status poller (`payments_check`) settles it: no callback reaches the shop.

use billing_gateways::fake::FakeStatus;

use super::*;

/// Duitku enabled, no public address, the gateway's checkout page chosen, and the shop's
/// WhatsApp number (where the customer lands after paying).
async fn shop_without_public_address() -> (TestApp, FakeDuitku) {
    let (app, fake) = app_with_duitku().await;
    let (status, body) = app
        .call(
            "PUT",
            "/api/settings/public-url",
            Some(json!({"public_base_url": null, "pay_without_public_address": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["pay_without_public_address"], true);
    let (status, profile) = app
        .call(
            "PUT",
            "/api/settings/business",
            Some(json!({"name": "RT/RW Net Melati", "address": "Jl. Melati 4", "phone": "0812-1111-2222",
                        "email": null, "logo_data_url": null, "bank_accounts": [], "tax_rate_bp": 0})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{profile}");
    (app, fake)
}

async fn message_body(app: &TestApp, key: &str) -> String {
    sqlx::query_scalar("select body from whatsapp_messages where idempotency_key = $1")
        .bind(key)
        .fetch_one(&app.pool().await)
        .await
        .expect("message queued")
}

async fn payments_check(app: &TestApp) {
    let (status, run) = app.call("POST", "/api/jobs/payments_check/run", None).await;
    assert_eq!(status, StatusCode::OK, "{run}");
}

#[tokio::test]
async fn without_a_public_address_the_invoice_message_carries_the_gateways_checkout_and_polling_settles_it_once(
) {
    let (app, fake) = shop_without_public_address().await;
    let (_, checklist) = app.call("GET", "/api/setup/checklist", None).await;
    let item = checklist["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["key"] == "public_address")
        .expect("public_address item")
        .clone();
    assert_eq!(item["done"], true, "{item}");
    assert_eq!(item["state"], "gateway_checkout");
    assert!(
        item["detail"]
            .as_str()
            .expect("detail")
            .contains("confirmed by checking"),
        "{item}"
    );

    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "cgnat1", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    let id = invoice["id"].as_str().expect("id").to_owned();
    let ctx = app.ctx();
    billing_app::messaging::invoice_issued(&ctx, id.parse().expect("uuid"))
        .await
        .expect("queued");
    let body = message_body(&app, &format!("invoice:{id}:issued")).await;

    let checkouts: Vec<_> = fake
        .transactions()
        .into_iter()
        .filter(|t| t.checkout)
        .collect();
    assert_eq!(checkouts.len(), 1, "one checkout for the invoice");
    let checkout = &checkouts[0];
    assert_eq!(checkout.amount, 150_000);
    assert!(body.contains(&checkout.payment_url), "{body}");
    assert!(!body.contains("/pay/"), "no link to this computer: {body}");
    assert!(
        checkout.callback_url.is_empty(),
        "no callback address to send"
    );
    assert!(
        checkout
            .return_url
            .starts_with("https://wa.me/6281211112222"),
        "the customer lands in the shop's WhatsApp: {}",
        checkout.return_url
    );
    // The message is one percent-encoded query value (spaces and the invoice number's
    // slashes included).
    let text = checkout
        .return_url
        .split_once("?text=")
        .map(|(_, t)| t)
        .unwrap_or("");
    assert!(
        text.starts_with("Saya%20sudah%20membayar%20tagihan%20INV%2F") && !text.contains(' '),
        "{}",
        checkout.return_url
    );

    // The pay-link dialog offers the same checkout, and a reminder reuses it.
    let (status, link) = app
        .call("GET", &format!("/api/invoices/{id}/pay"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{link}");
    assert_eq!(link["checkout_url"], checkout.payment_url.as_str());
    assert_eq!(link["pay_without_public_address"], true);
    assert_eq!(link["public_address"], "not_set");
    assert_eq!(link["online_payment"], true);
    let days: i32 = sqlx::query_scalar(
        "select (due_on - date '2026-11-01')::int from invoices where id = $1::uuid",
    )
    .bind(&id)
    .fetch_one(&ctx.pool)
    .await
    .expect("days");
    let (status, body) = app
        .call(
            "PUT",
            "/api/whatsapp/settings",
            Some(
                json!({"quiet_start": null, "quiet_end": null, "reminder_days": [days],
                        "owner_phone": null}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        billing_app::messaging::reminders(&ctx)
            .await
            .expect("reminders"),
        1
    );
    let reminder = message_body(&app, &format!("invoice:{id}:reminder:{days}")).await;
    assert!(reminder.contains(&checkout.payment_url), "{reminder}");
    assert_eq!(
        fake.checkout_calls(),
        1,
        "the checkout is reused, not made again"
    );

    // The customer pays on Duitku's page; no callback comes. The poller settles it once,
    // however often and however concurrently it runs.
    assert!(fake.mark_paid(&checkout.merchant_order_id));
    payments_check(&app).await;
    payments_check(&app).await;
    let (a, b) = tokio::join!(
        billing_app::online::check_pending(&ctx),
        billing_app::online::check_pending(&ctx)
    );
    a.expect("poll");
    b.expect("poll");
    let state = invoice_state(&app, &invoice["id"]).await;
    assert_eq!(state["status"], "paid", "{state}");
    assert_eq!(state["paid"], 150_000, "{state}");
    assert_eq!(
        count(&app, "select count(*) from payments where status = 'paid'").await,
        1
    );
    assert_eq!(
        count(&app, "select count(*) from allocations").await,
        1,
        "allocated exactly once"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from ledger_entries where reason = 'payment_received'"
        )
        .await,
        1,
        "the money is received once"
    );
    assert_eq!(
        count(
            &app,
            "select coalesce(sum(delta), 0)::bigint from ledger_entries"
        )
        .await,
        0,
        "the customer owes nothing and has no credit"
    );
    // Paid is final: a later failure report changes nothing.
    assert!(fake.mark_failed(&checkout.merchant_order_id));
    payments_check(&app).await;
    assert_eq!(invoice_state(&app, &invoice["id"]).await["status"], "paid");
    assert_eq!(
        count(&app, "select count(*) from payments where status = 'paid'").await,
        1
    );
}

#[tokio::test]
async fn a_changed_amount_gets_a_new_checkout_and_the_old_one_is_not_handed_out_again() {
    let (app, fake) = shop_without_public_address().await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "cgnat2", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    let id = invoice["id"].as_str().expect("id").to_owned();
    let (_, first) = app
        .call("GET", &format!("/api/invoices/{id}/pay"), None)
        .await;
    let first_url = first["checkout_url"].as_str().expect("checkout").to_owned();
    let (_, again) = app
        .call("GET", &format!("/api/invoices/{id}/pay"), None)
        .await;
    assert_eq!(
        again["checkout_url"],
        first_url.as_str(),
        "reused while valid"
    );

    let (status, paid) = app
        .call(
            "POST",
            "/api/payments",
            Some(json!({"invoice_id": id, "amount": 50_000, "method": "cash"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    let (_, second) = app
        .call("GET", &format!("/api/invoices/{id}/pay"), None)
        .await;
    let second_url = second["checkout_url"]
        .as_str()
        .expect("checkout")
        .to_owned();
    assert_ne!(second_url, first_url, "a new checkout for the new amount");
    let amounts: Vec<i64> = fake
        .transactions()
        .iter()
        .filter(|t| t.checkout)
        .map(|t| t.amount)
        .collect();
    assert_eq!(amounts, [150_000, 100_000]);

    // Past its expiry a checkout is not handed out again: a new one is made.
    sqlx::query("update payments set expires_at = $2 where payment_url = $1")
        .bind(&second_url)
        .bind(app.ctx().clock.now())
        .execute(&app.pool().await)
        .await
        .expect("expire");
    let (_, third) = app
        .call("GET", &format!("/api/invoices/{id}/pay"), None)
        .await;
    assert_ne!(third["checkout_url"], second_url.as_str());
    assert_eq!(fake.checkout_calls(), 3);

    // Paying the stale first checkout (its full amount) still counts, once: the customer
    // paid money, the excess becomes credit.
    let stale = fake.transactions().remove(0);
    assert_eq!(stale.status, FakeStatus::Pending);
    assert!(fake.mark_paid(&stale.merchant_order_id));
    let ctx = app.ctx();
    billing_app::online::check_pending(&ctx)
        .await
        .expect("poll");
    billing_app::online::check_pending(&ctx)
        .await
        .expect("poll");
    let state = invoice_state(&app, &invoice["id"]).await;
    assert_eq!(state["status"], "paid", "{state}");
    assert_eq!(
        count(
            &app,
            "select count(*) from payments where status = 'paid' and checkout"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn without_the_choice_pay_links_stay_the_pay_page_and_the_dialog_warns() {
    let (app, fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "cgnat3").await;
    let (_, link) = app
        .call(
            "GET",
            &format!("/api/invoices/{}/pay", invoice["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert!(url.contains("/pay/"));
    assert_eq!(link["checkout_url"], Value::Null);
    assert_eq!(link["public_address"], "not_set");
    assert_eq!(link["online_payment"], true);
    assert_eq!(fake.checkout_calls(), 0);
    let (_, checklist) = app.call("GET", "/api/setup/checklist", None).await;
    let item = checklist["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["key"] == "public_address")
        .expect("item")
        .clone();
    assert_eq!(
        (item["done"].clone(), item["state"].clone()),
        (json!(false), json!("not_set"))
    );
}
