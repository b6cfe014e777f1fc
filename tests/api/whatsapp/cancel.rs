//! The owner cancels a queued message: it stays in the log as cancelled (who, why) and is
//! never sent; a message already sent cannot be cancelled.

use super::*;

async fn queue(app: &TestApp, to: &str, body: &str) -> i64 {
    let (status, queued) = app
        .call(
            "POST",
            "/api/whatsapp/send",
            Some(json!({"to": to, "body": body})),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    queued["id"].as_i64().expect("id")
}

async fn message(app: &TestApp, id: i64) -> Value {
    let (status, list) = app
        .call("GET", "/api/whatsapp/messages?limit=50", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"]
        .as_array()
        .and_then(|items| items.iter().find(|m| m["id"] == id).cloned())
        .unwrap_or_else(|| panic!("message {id} not in the log: {list}"))
}

#[tokio::test]
async fn a_cancelled_message_stays_in_the_log_with_its_reason_and_is_never_sent() {
    let app = spawn_app().await;
    let (fonnte, _) = add_session(&app, "Fonnte", ProviderKind::Fonnte, "primary").await;
    let keep = queue(&app, "081111111111", "Tagihan bulan ini").await;
    let drop = queue(&app, "082222222222", "Pesan salah ketik").await;

    let (status, body) = app
        .call(
            "POST",
            &format!("/api/whatsapp/messages/{drop}/cancel"),
            Some(json!({"reason": "salah nomor"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let cancelled = message(&app, drop).await;
    assert_eq!(cancelled["status"], "cancelled", "{cancelled}");
    assert_eq!(
        cancelled["last_error"], "cancelled by pemilik: salah nomor",
        "{cancelled}"
    );
    // Kept, not deleted: both rows are still there.
    assert_eq!(
        count(&app, "select count(*) from whatsapp_messages").await,
        2
    );

    // Draining sends the other one only.
    let (_, drained) = app.call("POST", "/api/whatsapp/drain", None).await;
    assert_eq!(drained["sent"], 1, "{drained}");
    let sent: Vec<String> = fonnte.sent().into_iter().map(|s| s.to).collect();
    assert_eq!(sent, ["6281111111111"]);
    assert_eq!(message(&app, drop).await["status"], "cancelled");

    // Sent already: a conflict that says why, and the row is unchanged.
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/whatsapp/messages/{keep}/cancel"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(
        body["error"]["message"],
        "only queued messages can be cancelled; this one is sent"
    );
    assert_eq!(message(&app, keep).await["status"], "sent");
    // Cancelled already: also a conflict. Unknown id: not found.
    let (status, _) = app
        .call(
            "POST",
            &format!("/api/whatsapp/messages/{drop}/cancel"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = app
        .call(
            "POST",
            "/api/whatsapp/messages/999999/cancel",
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    app.shutdown().await;
}

#[tokio::test]
async fn a_message_being_sent_cannot_be_cancelled_and_no_reason_names_the_user() {
    let app = spawn_app().await;
    let sending = queue(&app, "081111111111", "Sedang dikirim").await;
    let plain = queue(&app, "082222222222", "Batal tanpa alasan").await;
    // A worker claimed it (no session here sends it).
    sqlx::query("update whatsapp_messages set status = 'sending' where id = $1")
        .bind(sending)
        .execute(&app.pool().await)
        .await
        .expect("claim");
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/whatsapp/messages/{sending}/cancel"),
            Some(json!({"reason": "terlambat"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(message(&app, sending).await["status"], "sending");

    let (status, body) = app
        .call(
            "POST",
            &format!("/api/whatsapp/messages/{plain}/cancel"),
            Some(json!({"reason": "  "})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let cancelled = message(&app, plain).await;
    assert_eq!(
        (
            cancelled["status"].as_str(),
            cancelled["last_error"].as_str()
        ),
        (Some("cancelled"), Some("cancelled by pemilik"))
    );
    app.shutdown().await;
}
