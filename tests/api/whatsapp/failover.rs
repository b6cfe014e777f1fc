//! 10,000 messages over 5 sessions; one dies mid-way; the app stops mid-drain and starts
//! again: nothing is lost silently and nothing is sent twice.

use std::collections::HashMap;

use super::*;

async fn queue(app: &TestApp, n: i64, offset: i64) {
    sqlx::query(
        "insert into whatsapp_messages (idempotency_key, to_phone, body, priority, next_attempt_at, queued_at) \
         select 'bulk:' || g, '628' || (1300000000 + g)::text, 'Pesan nomor ' || g, 2, $2, $2 \
         from generate_series($3 + 1, $3 + $1) g",
    )
    .bind(n)
    .bind(app.ctx().clock.now())
    .bind(offset)
    .execute(&app.pool().await)
    .await
    .expect("queue");
}

fn sent_counts(fakes: &[FakeWhatsApp]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for fake in fakes {
        for m in fake.sent() {
            *counts.entry(m.body).or_insert(0) += 1;
        }
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_thousand_messages_survive_a_dying_session_and_a_restart_without_duplicates() {
    let app = spawn_app().await;
    let mut fakes = Vec::new();
    for (name, kind, role) in [
        ("Utama 1", ProviderKind::Fonnte, "primary"),
        ("Utama 2", ProviderKind::Waha, "primary"),
        ("Utama 3", ProviderKind::Gowa, "primary"),
        ("Utama 4", ProviderKind::MetaCloud, "primary"),
        ("Cadangan", ProviderKind::Fonnte, "backup"),
    ] {
        fakes.push(add_session(&app, name, kind, role).await.0);
    }
    let (status, _) = app
        .call(
            "PUT",
            "/api/whatsapp/settings",
            Some(json!({"quiet_start": null, "quiet_end": null,
              "reminder_days": [3, 1], "owner_phone": "0811-0000-001"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    queue(&app, 10_000, 0).await;
    let ctx = app.ctx();

    // First round: stopped abruptly part-way (the app is "killed").
    let drain = tokio::spawn({
        let ctx = ctx.clone();
        async move { billing_app::messaging::drain(&ctx, 100_000).await }
    });
    // One primary session dies while the queue drains.
    let watcher = &fakes[1];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while watcher.sent().len() < 300 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    watcher.set_down(true);
    while sent_counts(&fakes).values().sum::<usize>() < 4_000
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    drain.abort();
    let _ = drain.await;

    // Restart: in-flight messages are flagged, never resent; the rest goes out.
    let unknown = billing_app::messaging::recover_after_restart(&ctx)
        .await
        .expect("recover");
    // A fast session sends through several lanes, each with at most one message in flight.
    let lanes: u32 = ctx.whatsapp.sessions().iter().map(|s| s.lanes).sum();
    assert!(
        unknown <= u64::from(lanes),
        "at most one in-flight message per lane ({lanes} lanes): {unknown}"
    );
    let summary = billing_app::messaging::drain(&ctx, 100_000)
        .await
        .expect("drain");
    assert_eq!(summary.failed, 0, "{summary:?}");

    let counts = sent_counts(&fakes);
    let twice: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "sent twice: {:?}",
        twice.iter().take(5).collect::<Vec<_>>()
    );
    let (sent, unknown_left): (i64, i64) = sqlx::query_as(
        "select count(*) filter (where status = 'sent'), count(*) filter (where status = 'unknown') \
         from whatsapp_messages where idempotency_key like 'bulk:%'",
    )
    .fetch_one(&ctx.pool)
    .await
    .expect("counts");
    assert_eq!(
        sent + unknown_left,
        10_000,
        "every message is either sent or flagged for the owner"
    );
    let delivered_bulk = counts
        .keys()
        .filter(|b| b.starts_with("Pesan nomor"))
        .count();
    assert!(
        usize::try_from(sent).expect("n") <= delivered_bulk,
        "a message marked sent never reached a provider"
    );
    assert!(
        fakes[1].sent().len() < 4_000,
        "the dead session stopped being used"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from whatsapp_sessions where status = 'failed'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from whatsapp_messages where template_key = 'owner_alert'"
        )
        .await,
        1,
        "the owner is alerted once"
    );
    assert!(
        fakes[4].sent().is_empty(),
        "the backup is not needed while primaries work"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn the_backup_takes_over_when_every_primary_is_down() {
    let app = spawn_app().await;
    let (primary, _) = add_session(&app, "Utama", ProviderKind::MetaCloud, "primary").await;
    let (backup, _) = add_session(&app, "Cadangan", ProviderKind::Waha, "backup").await;
    queue(&app, 20, 0).await;
    primary.set_down(true);
    let summary = billing_app::messaging::drain(&app.ctx(), 1_000)
        .await
        .expect("drain");
    assert_eq!(summary.sent, 20, "{summary:?}");
    assert_eq!(backup.sent().len(), 20);
    assert!(primary.sent().len() <= 1);
    app.shutdown().await;
}
