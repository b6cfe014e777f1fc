//! Retention: periods are settings with minimums; the daily job honours them, reports to
//! the owner when asked, and never removes anything an invoice or a payment refers to.

use billing_domain::Clock as _;
use billing_tests::*;
use serde_json::json;

use super::{monitoring_settings, run_job, set_owner_phone};
use crate::billing::{customer_with_subscription, d, open_invoices, pay};

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool().await)
        .await
        .expect("count")
}

#[tokio::test]
async fn periods_are_validated_configurable_reported_and_money_is_never_removed() {
    let app = spawn_app().await;
    let defaults = monitoring_settings(&app).await;
    assert_eq!(defaults["keep_notifications_days"], 30);
    assert_eq!(defaults["keep_activity_days"], 365);
    assert_eq!(defaults["keep_temp_files_days"], 7);
    assert_eq!(defaults["keep_expired_vouchers_days"], 365);
    assert_eq!(defaults["keep_sessions_hours"], 24);
    assert_eq!(defaults["keep_performance_days"], 7);

    for (field, value) in [
        ("keep_notifications_days", 3),
        ("keep_activity_days", 30),
        ("keep_temp_files_days", 0),
        ("keep_expired_vouchers_days", 10),
        ("keep_sessions_hours", 0),
        ("keep_performance_days", 365),
    ] {
        let mut bad = defaults.clone();
        bad[field] = json!(value);
        let (status, body) = app.call("PUT", "/api/monitoring/settings", Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }

    // Money: a customer, an invoice and its payment, and the receipt message.
    let (customer, sub) = customer_with_subscription(&app, 150_000, "dewi", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await[0].clone();
    let (status, body) = pay(
        &app,
        &invoice["id"],
        invoice["total"].as_i64().expect("total"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // A sent message 20 days old.
    let now = app.clock.now();
    sqlx::query(
        "insert into whatsapp_messages (idempotency_key, to_phone, body, status, next_attempt_at, \
         queued_at, created_at) values ('old:1', '6281234567890', 'lama', 'sent', $1, $1, $1)",
    )
    .bind(now - chrono::Duration::days(20))
    .execute(&app.pool().await)
    .await
    .expect("old message");

    // 30 days by default: kept.
    run_job(&app, "retention").await;
    let old = "select count(*) from whatsapp_messages where idempotency_key = 'old:1'";
    assert_eq!(count(&app, old).await, 1);

    // 14 days, and the owner wants the report.
    set_owner_phone(&app).await;
    let mut s = defaults.clone();
    s["keep_notifications_days"] = json!(14);
    s["retention_report_whatsapp"] = json!(true);
    let (status, body) = app.call("PUT", "/api/monitoring/settings", Some(s)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["keep_notifications_days"], 14);
    let summary = run_job(&app, "retention").await;
    assert!(
        summary.starts_with("removed: 1 notification(s)"),
        "{summary}"
    );
    assert_eq!(count(&app, old).await, 0);
    let report: Vec<(String, String)> = sqlx::query_as(
        "select to_phone, body from whatsapp_messages where idempotency_key like 'retention:%'",
    )
    .fetch_all(&app.pool().await)
    .await
    .expect("report");
    assert_eq!(report.len(), 1, "{report:?}");
    assert_eq!(report[0].0, "628110000001");
    assert!(report[0].1.contains("1 notification(s)"), "{report:?}");

    // Five years on, with every period at its minimum: the money is all there.
    let money = "select (select count(*) from customers) + (select count(*) from invoices) \
                 + (select count(*) from payments) + (select count(*) from ledger_entries) \
                 + (select count(*) from subscriptions)";
    let before = count(&app, money).await;
    assert!(before >= 5, "{before}");
    let mut s = monitoring_settings(&app).await;
    for (field, min) in [
        ("keep_notifications_days", 7),
        ("keep_activity_days", 90),
        ("keep_temp_files_days", 1),
        ("keep_expired_vouchers_days", 30),
        ("keep_sessions_hours", 1),
        ("keep_performance_days", 1),
    ] {
        s[field] = json!(min);
    }
    let (status, body) = app.call("PUT", "/api/monitoring/settings", Some(s)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.clock.advance(chrono::Duration::days(5 * 365));
    run_job(&app, "retention").await;
    assert_eq!(count(&app, money).await, before);
    let (status, _) = app
        .call(
            "GET",
            &format!(
                "/api/customers/{}",
                customer["id"].as_str().unwrap_or_default()
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The receipt sent for the payment went after the notification period; the payment stayed.
    let (status, p) = app
        .call(
            "GET",
            &format!(
                "/api/invoices/{}",
                invoice["id"].as_str().unwrap_or_default()
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["status"], "paid", "{p}");
    app.shutdown().await;
}

/// Seed §9: the daily report is on the health page as well as on WhatsApp — the same figures.
#[tokio::test]
async fn the_retention_report_is_on_the_health_page_and_on_whatsapp() {
    let app = spawn_app().await;
    let health = || async {
        let (status, h) = app.call("GET", "/api/monitoring/health", None).await;
        assert_eq!(status, StatusCode::OK, "{h}");
        h
    };
    assert!(health().await["retention"].is_null(), "no run yet");

    set_owner_phone(&app).await;
    let mut s = monitoring_settings(&app).await;
    s["retention_report_whatsapp"] = json!(true);
    s["keep_notifications_days"] = json!(14);
    let (status, body) = app.call("PUT", "/api/monitoring/settings", Some(s)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let now = app.clock.now();
    sqlx::query(
        "insert into whatsapp_messages (idempotency_key, to_phone, body, status, next_attempt_at, \
         queued_at, created_at) values ('old:1', '6281234567890', 'lama', 'sent', $1, $1, $1), \
         ('old:2', '6281234567890', 'lama', 'sent', $1, $1, $1)",
    )
    .bind(now - chrono::Duration::days(20))
    .execute(&app.pool().await)
    .await
    .expect("old messages");
    sqlx::query(
        "insert into job_runs (job, trigger, started_at, finished_at, duration_ms, ok) \
         values ('billing', 'schedule', $1 - interval '8 days', $1 - interval '8 days', 5, true)",
    )
    .bind(now)
    .execute(&app.pool().await)
    .await
    .expect("old run");

    let summary = run_job(&app, "retention").await;
    let h = health().await;
    let r = &h["retention"];
    assert_eq!(r["ran_at"], json!(now), "{r}");
    assert_eq!(r["removed"]["notifications"], 2, "{r}");
    assert_eq!(r["removed"]["job_runs"], 1, "{r}");
    assert_eq!(r["removed"]["vouchers"], 0, "{r}");
    assert_eq!(r["removed"]["failed"], json!([]), "{r}");
    assert_eq!(r["kept"]["keep_notifications_days"], 14, "{r}");
    assert_eq!(r["kept"]["keep_activity_days"], 365, "{r}");
    assert_eq!(r["kept"]["keep_performance_days"], 7, "{r}");
    // The same run's report went to the owner.
    let body: String = sqlx::query_scalar(
        "select body from whatsapp_messages where idempotency_key like 'retention:%'",
    )
    .fetch_one(&app.pool().await)
    .await
    .expect("report message");
    assert!(body.contains("2 notification(s)"), "{body}");
    assert!(body.contains(&summary), "{body} / {summary}");

    // A day later the next run's report replaces it on the page.
    app.clock.advance(chrono::Duration::days(1));
    run_job(&app, "retention").await;
    let r = health().await["retention"].clone();
    assert_eq!(r["ran_at"], json!(now + chrono::Duration::days(1)), "{r}");
    assert_eq!(r["removed"]["notifications"], 0, "{r}");
    app.shutdown().await;
}
