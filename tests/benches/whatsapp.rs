//! WhatsApp queue overhead: 5,000 queued messages drained by one session whose provider (a
//! local fake) answers at once; the time per message is dequeue + send call + log.
//!
//!   keyctl session - cargo bench -p billing-tests --bench whatsapp

use std::time::Instant;

use billing_tests::bench::{figure, size};
use billing_tests::spawn_app;
use billing_whatsapp::fake::{self, FakeWhatsApp};
use billing_whatsapp::ProviderKind;
use serde_json::json;

#[tokio::main(flavor = "multi_thread")]
pub async fn main() {
    let n: i64 = size(5_000, 200);
    let app = spawn_app().await;
    let fake = FakeWhatsApp::start(ProviderKind::Fonnte)
        .await
        .expect("fake");
    let (status, body) = app
        .call(
            "POST",
            "/api/whatsapp/sessions",
            Some(
                json!({"name": "bench", "provider": "fonnte", "base_url": fake.base_url(),
                        "token": fake::FAKE_TOKEN, "per_minute": 600000}),
            ),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let ctx = app.ctx();
    sqlx::query("update whatsapp_settings set quiet_start = null, quiet_end = null")
        .execute(&ctx.pool)
        .await
        .expect("settings");
    sqlx::query(
        "insert into whatsapp_messages (idempotency_key, to_phone, body, priority, next_attempt_at, queued_at) \
         select 'bench:' || g, '628' || (1400000000 + g)::text, 'Pesan ' || g, 1, $2, $2 \
         from generate_series(1, $1) g",
    )
    .bind(n)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await
    .expect("queue");

    let started = Instant::now();
    let summary = billing_app::messaging::drain(&ctx, usize::try_from(n).expect("n"))
        .await
        .expect("drain");
    let elapsed = started.elapsed();
    assert_eq!(summary.sent, usize::try_from(n).expect("n"), "{summary:?}");
    assert_eq!(i64::try_from(fake.sent().len()).expect("n"), n);
    let per_message = elapsed.as_secs_f64() * 1000.0 / n as f64;
    println!(
        "{n} messages through one session in {:.2} s",
        elapsed.as_secs_f64()
    );
    figure("whatsapp.per_message_ms", per_message, "ms");
    figure(
        "whatsapp.throughput",
        n as f64 / elapsed.as_secs_f64(),
        "msg/s",
    );
    app.shutdown().await;
}
