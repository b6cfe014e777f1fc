use super::*;
use crate::billing::{customer_with_subscription, d, open_invoices, pay, set_today};

#[tokio::test]
async fn events_queue_one_message_each_and_a_session_sends_them() {
    let app = spawn_app().await;
    let (fonnte, _) = add_session(&app, "Toko utama", ProviderKind::Fonnte, "primary").await;
    set_today(&app, d(2026, 11, 1));
    let (customer, sub) = customer_with_subscription(&app, 150_000, "wa1", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);

    // The invoice notice (with a pay link) is queued once, however often it is asked for.
    let ctx = app.ctx();
    assert_eq!(
        billing_app::messaging::pending_invoice_notices(&ctx)
            .await
            .expect("notices"),
        1
    );
    assert_eq!(
        billing_app::messaging::pending_invoice_notices(&ctx)
            .await
            .expect("notices"),
        0
    );
    // A partial payment queues its confirmation in the same transaction.
    pay(&app, &invoice["id"], 100_000).await;

    let (_, summary) = app.call("POST", "/api/whatsapp/drain", None).await;
    assert_eq!(summary["sent"], 2, "{summary}");
    let sent = fonnte.sent();
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter().all(|m| m.to.contains("81234567890")),
        "{sent:?}"
    );
    // The payment confirmation is urgent and goes first; the invoice notice follows.
    assert!(
        sent[0].body.contains("Sisa tagihan: Rp 50.000"),
        "{}",
        sent[0].body
    );
    assert!(
        sent[1].body.contains("/pay/") && sent[1].body.contains("Rp 150.000"),
        "{}",
        sent[1].body
    );

    let (_, again) = app.call("POST", "/api/whatsapp/drain", None).await;
    assert_eq!(again["sent"], 0, "nothing is sent twice");
    let (_, log) = app.call("GET", "/api/whatsapp/messages", None).await;
    assert!(log["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|m| m["status"] == "sent"));

    // A customer who opted out gets nothing.
    let cid = customer["id"].as_str().expect("id");
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/customers/{cid}"),
            Some(json!({"whatsapp_opt_out": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    pay(&app, &invoice["id"], 50_000).await;
    assert_eq!(
        count(&app, "select count(*) from whatsapp_messages").await,
        2
    );
    app.shutdown().await;
}

#[tokio::test]
async fn provider_errors_are_mapped_recipient_fails_server_error_retries_later() {
    let app = spawn_app().await;
    let (meta, _) = add_session(&app, "Meta", ProviderKind::MetaCloud, "primary").await;
    for to in ["081111111111", "082222222222"] {
        let (status, _) = app
            .call(
                "POST",
                "/api/whatsapp/send",
                Some(json!({"to": to, "body": "Tes"})),
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED);
    }
    let (status, body) = app
        .call(
            "POST",
            "/api/whatsapp/send",
            Some(json!({"to": "021-5551234", "body": "x"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("phone"))
    );

    meta.fail_next(1, fake::FakeFailure::BadRecipient);
    let (_, first) = app.call("POST", "/api/whatsapp/drain", None).await;
    assert_eq!(first["failed"], 1, "{first}");
    assert_eq!(first["sent"], 1, "{first}");
    meta.fail_next(1, fake::FakeFailure::ServerError);
    app.call(
        "POST",
        "/api/whatsapp/send",
        Some(json!({"to": "083333333333", "body": "Tes lagi"})),
    )
    .await;
    let (_, second) = app.call("POST", "/api/whatsapp/drain", None).await;
    assert_eq!(second["retried"], 1, "{second}");
    assert_eq!(
        count(
            &app,
            "select count(*) from whatsapp_messages where status = 'queued' and attempts = 1"
        )
        .await,
        1
    );
    let (_, status) = app.call("GET", "/api/whatsapp/status", None).await;
    assert_eq!(status["failed"], 1);
    assert_eq!(
        status["sessions"][0]["status"], "unknown",
        "a server error is not the session's fault"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn templates_are_editable_with_a_preview_and_unknown_variables_are_refused() {
    let app = spawn_app().await;
    let (_, list) = app.call("GET", "/api/whatsapp/templates", None).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(10));
    let (status, body) = app
        .call(
            "POST",
            "/api/whatsapp/templates/payment_received_full/preview",
            Some(json!({"body": "Halo {nama}, {jumlah} diterima"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["text"], "Halo Budi Santoso, Rp 150.000 diterima");
    let (status, body) = app
        .call(
            "PUT",
            "/api/whatsapp/templates/payment_received_full",
            Some(json!({"body": "Halo {pelanggan}"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("pelanggan"));
    let (status, body) = app
        .call(
            "PUT",
            "/api/whatsapp/templates/payment_received_full",
            Some(json!({"body": "Terima kasih {nama}!"})),
        )
        .await;
    assert_eq!(
        (status, body["is_default"].as_bool()),
        (StatusCode::OK, Some(false))
    );
    let (_, body) = app
        .call(
            "PUT",
            "/api/whatsapp/templates/payment_received_full",
            Some(json!({"body": null})),
        )
        .await;
    assert_eq!(body["is_default"], true);
    app.shutdown().await;
}

#[tokio::test]
async fn signed_status_webhooks_move_the_delivery_log_forward_and_forged_ones_are_refused() {
    let app = spawn_app().await;
    let (meta, session) = add_session(&app, "Meta", ProviderKind::MetaCloud, "primary").await;
    app.call(
        "POST",
        "/api/whatsapp/send",
        Some(json!({"to": "081234567890", "body": "Halo"})),
    )
    .await;
    app.call("POST", "/api/whatsapp/drain", None).await;
    let wamid = meta.sent()[0].id.clone();
    let url = format!(
        "{}/api/whatsapp/webhook/{}",
        app.public,
        session["id"].as_str().expect("id")
    );

    let (headers, body) =
        fake::meta_status_webhook("not-the-secret", &wamid, "read", "6281234567890", None);
    let res = app
        .http
        .post(&url)
        .headers(headers)
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(
        res.status(),
        StatusCode::UNAUTHORIZED,
        "a forged signature is refused"
    );

    for status in ["delivered", "read"] {
        let (headers, body) =
            fake::meta_status_webhook(fake::FAKE_APP_SECRET, &wamid, status, "6281234567890", None);
        let res = app
            .http
            .post(&url)
            .headers(headers)
            .body(body)
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), StatusCode::OK);
    }
    // A late "delivered" after "read" does not move it back.
    let (headers, body) = fake::meta_status_webhook(
        fake::FAKE_APP_SECRET,
        &wamid,
        "delivered",
        "6281234567890",
        None,
    );
    app.http
        .post(&url)
        .headers(headers)
        .body(body)
        .send()
        .await
        .expect("send");
    let (_, log) = app.call("GET", "/api/whatsapp/messages", None).await;
    assert_eq!(log["items"][0]["status"], "read", "{log}");
    assert!(log["items"][0]["delivered_at"].is_string());
    app.shutdown().await;
}

#[tokio::test]
async fn outside_the_24_hour_window_an_approved_template_goes_out_instead() {
    let app = spawn_app().await;
    let fake = FakeWhatsApp::start(ProviderKind::MetaCloud)
        .await
        .expect("fake");
    let (status, session) = app
        .call(
            "POST",
            "/api/whatsapp/sessions",
            Some(json!({"name": "Meta", "provider": "meta_cloud", "base_url": fake.base_url(),
                        "settings": {"api_version": fake::FAKE_API_VERSION,
                                     "phone_number_id": fake::FAKE_PHONE_NUMBER_ID,
                                     "verify_token": "rahasia-verifikasi",
                                     "templates": {"payment_received_full": "pembayaran_diterima"}},
                        "token": fake::FAKE_TOKEN, "secret": fake::FAKE_APP_SECRET, "per_minute": 60000})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let url = format!(
        "{}/api/whatsapp/webhook/{}",
        app.public,
        session["id"].as_str().expect("id")
    );
    let res = app
        .http
        .get(format!(
            "{url}?hub.mode=subscribe&hub.verify_token=rahasia-verifikasi&hub.challenge=12345"
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.expect("text"), "12345");
    let res = app
        .http
        .get(format!(
            "{url}?hub.mode=subscribe&hub.verify_token=salah&hub.challenge=1"
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "wa24", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    fake.fail_next(1, fake::FakeFailure::OutsideWindow);
    pay(&app, &invoice["id"], 150_000).await;
    let (_, summary) = app.call("POST", "/api/whatsapp/drain", None).await;
    assert_eq!(summary["sent"], 1, "{summary}");
    let sent = fake.sent();
    assert!(
        sent.iter().any(|m| m
            .body
            .starts_with("template:pembayaran_diterima:Pelanggan wa24|")),
        "{sent:?}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn messages_that_could_not_go_out_for_days_are_cancelled_not_sent_late() {
    let app = spawn_app().await;
    app.call(
        "POST",
        "/api/whatsapp/send",
        Some(json!({"to": "081234567890", "body": "Lama"})),
    )
    .await;
    app.clock.advance(chrono::Duration::days(4));
    let (fonnte, _) = add_session(&app, "Baru", ProviderKind::Fonnte, "primary").await;
    app.call(
        "POST",
        "/api/whatsapp/send",
        Some(json!({"to": "081234567890", "body": "Baru"})),
    )
    .await;
    let (_, summary) = app.call("POST", "/api/whatsapp/drain", None).await;
    assert_eq!(summary["sent"], 1, "{summary}");
    assert_eq!(
        fonnte
            .sent()
            .iter()
            .map(|m| m.body.as_str())
            .collect::<Vec<_>>(),
        ["Baru"]
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from whatsapp_messages where status = 'cancelled'"
        )
        .await,
        1
    );
    app.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_fast_session_sends_several_at_once_and_each_number_still_gets_its_messages_in_order() {
    let app = spawn_app().await;
    // 60,000 a minute: the session sends through 8 lanes at once.
    let (fonnte, _) = add_session(&app, "Cepat", ProviderKind::Fonnte, "primary").await;
    let ctx = app.ctx();
    sqlx::query("update whatsapp_settings set quiet_start = null, quiet_end = null")
        .execute(&ctx.pool)
        .await
        .expect("settings");
    // 400 messages to 20 numbers, interleaved, queued in order (ids ascending).
    sqlx::query(
        "insert into whatsapp_messages (idempotency_key, to_phone, body, priority, next_attempt_at, queued_at) \
         select 'urut:' || g, '62812000000' || lpad((g % 20)::text, 2, '0'), \
                'nomor ' || (g % 20) || ' pesan ' || lpad(g::text, 4, '0'), 1, $1, $1 \
         from generate_series(1, 400) g order by g",
    )
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await
    .expect("queue");

    let summary = billing_app::messaging::drain(&ctx, 1_000)
        .await
        .expect("drain");
    assert_eq!(summary.sent, 400, "{summary:?}");
    let sent = fonnte.sent();
    assert_eq!(sent.len(), 400, "each message exactly once");
    let mut last: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for m in &sent {
        if let Some(before) = last.get(&m.to) {
            assert!(
                *before < m.body,
                "{} got '{}' after '{}'",
                m.to,
                m.body,
                before
            );
        }
        last.insert(m.to.clone(), m.body.clone());
    }
    assert_eq!(last.len(), 20);
    assert_eq!(
        count(
            &app,
            "select count(*) from whatsapp_messages where status = 'sent'"
        )
        .await,
        400
    );
}

/// The drain's budget is shared by the lanes: a lane whose claim finds nothing gives its unit
/// back, and the lane holding the last message must not stop because the others held the
/// last units at that moment (seen once in CI: 199 of 200 sent with a budget of 200).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_drain_with_a_budget_of_exactly_the_queue_sends_every_message() {
    let app = spawn_app().await;
    let (fonnte, _) = add_session(&app, "Cepat", ProviderKind::Fonnte, "primary").await;
    let ctx = app.ctx();
    sqlx::query("update whatsapp_settings set quiet_start = null, quiet_end = null")
        .execute(&ctx.pool)
        .await
        .expect("settings");
    for round in 0..40 {
        // A handful of messages over 8 lanes, so most lanes find nothing at the end.
        let n = 3 + round % 9;
        sqlx::query(
            "insert into whatsapp_messages (idempotency_key, to_phone, body, priority, next_attempt_at, queued_at) \
             select 'budget:' || $3 || ':' || g, '6281300' || lpad(($3 * 100 + g)::text, 6, '0'), \
                    'pesan ' || g, 1, $1, $1 \
             from generate_series(1, $2) g",
        )
        .bind(ctx.clock.now())
        .bind(n)
        .bind(round)
        .execute(&ctx.pool)
        .await
        .expect("queue");
        let summary = billing_app::messaging::drain(&ctx, usize::try_from(n).expect("n"))
            .await
            .expect("drain");
        assert_eq!(
            summary.sent,
            usize::try_from(n).expect("n"),
            "round {round}: {summary:?}"
        );
        assert_eq!(
            count(
                &app,
                "select count(*) from whatsapp_messages where status = 'queued'"
            )
            .await,
            0,
            "round {round}"
        );
    }
    assert_eq!(
        fonnte.sent().len(),
        (0..40).map(|r| 3 + r % 9).sum::<usize>()
    );
    app.shutdown().await;
}
