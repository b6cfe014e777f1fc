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
    // A real restart takes seconds: statements the killed app had already sent to the
    // database finish first (with eight lanes per session, a claim may still be running).
    let settle_deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let busy: i64 = sqlx::query_scalar(
            "select count(*) from pg_stat_activity where datname = current_database() \
             and state = 'active' and pid <> pg_backend_pid()",
        )
        .fetch_one(&ctx.pool)
        .await
        .expect("activity");
        if busy == 0 || std::time::Instant::now() > settle_deadline {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

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
    // A request caught by the dying session with a transient error waits for its retry
    // (30 s and more on the pinned clock): once that time has come, it goes out too.
    app.clock.advance(chrono::Duration::minutes(30));
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
    let others: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "select status, to_char(next_attempt_at, 'HH24:MI:SS'), last_error from whatsapp_messages \
         where idempotency_key like 'bulk:%' and status not in ('sent', 'unknown')",
    )
    .fetch_all(&ctx.pool)
    .await
    .expect("others");
    assert_eq!(
        sent + unknown_left,
        10_000,
        "every message is either sent or flagged for the owner: {others:?}"
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

/// The seed's `handleSessionFailure`: when the last working primary fails, the healthiest
/// backup becomes primary (recorded on both sessions, shown, the owner alerted), queued
/// messages move over without loss or duplicates, and the failed one comes back as a backup
/// once it is connected again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn when_the_primary_fails_the_healthiest_backup_is_promoted_and_the_failed_one_returns_as_backup(
) {
    let app = spawn_app().await;
    let (primary, _) = add_session(&app, "Utama", ProviderKind::MetaCloud, "primary").await;
    let (shaky, shaky_view) = add_session(&app, "Cadangan 1", ProviderKind::Waha, "backup").await;
    let (steady, _) = add_session(&app, "Cadangan 2", ProviderKind::Gowa, "backup").await;
    let fakes = [primary, shaky, steady];
    let primary = &fakes[0];
    let (status, _) = app
        .call(
            "PUT",
            "/api/whatsapp/settings",
            Some(json!({"quiet_start": null, "quiet_end": null,
              "reminder_days": [3, 1], "owner_phone": "0811-0000-001"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let ctx = app.ctx();
    billing_app::messaging::health_check(&ctx)
        .await
        .expect("health");
    // "Cadangan 1" comes first in order but failed messages today: the other is healthier.
    sqlx::query(
        "insert into whatsapp_messages (idempotency_key, to_phone, body, priority, next_attempt_at, \
                                        queued_at, status, session_id) \
         select 'lama:' || g, '6281300000' || g, 'gagal', 2, $1, $1, 'failed', $2::text::uuid \
         from generate_series(1, 3) g",
    )
    .bind(ctx.clock.now())
    .bind(shaky_view["id"].as_str().expect("id"))
    .execute(&ctx.pool)
    .await
    .expect("failed history");
    queue(&app, 30, 0).await;

    primary.set_down(true);
    let summary = billing_app::messaging::drain(&ctx, 1_000)
        .await
        .expect("drain");
    // The 30 queued, and the owner's alert about the failure.
    assert_eq!(summary.sent, 31, "{summary:?}");
    let counts = sent_counts(&fakes);
    let bulk: usize = counts
        .iter()
        .filter(|(b, _)| b.starts_with("Pesan nomor"))
        .map(|(_, n)| *n)
        .sum();
    assert_eq!(bulk, 30, "each message exactly once: {counts:?}");
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");

    let roles: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "select name, role, status, role_change || ':' || role_change_peer \
         from whatsapp_sessions order by name",
    )
    .fetch_all(&ctx.pool)
    .await
    .expect("roles");
    assert_eq!(
        roles
            .iter()
            .map(|(n, r, s, _)| (n.as_str(), r.as_str(), s.as_str()))
            .collect::<Vec<_>>(),
        [
            ("Cadangan 1", "backup", "healthy"),
            ("Cadangan 2", "primary", "healthy"),
            ("Utama", "backup", "failed"),
        ]
    );
    assert_eq!(roles[0].3, None, "{roles:?}");
    assert_eq!(roles[1].3.as_deref(), Some("promoted:Utama"), "{roles:?}");
    assert_eq!(
        roles[2].3.as_deref(),
        Some("demoted:Cadangan 2"),
        "{roles:?}"
    );
    let alert: String =
        sqlx::query_scalar("select body from whatsapp_messages where template_key = 'owner_alert'")
            .fetch_one(&ctx.pool)
            .await
            .expect("the owner is alerted once");
    assert!(
        alert.contains("Cadangan 2 sekarang menjadi sesi utama"),
        "{alert}"
    );
    let (_, list) = app.call("GET", "/api/whatsapp/sessions", None).await;
    let shown = list
        .as_array()
        .or_else(|| list["items"].as_array())
        .and_then(|s| s.iter().find(|s| s["name"] == "Cadangan 2").cloned())
        .expect("listed");
    assert_eq!(shown["role"], "primary", "{shown}");
    assert!(shown["role_changed_at"].is_string(), "{shown}");
    assert_eq!(
        (
            shown["role_change"].as_str(),
            shown["role_change_peer"].as_str()
        ),
        (Some("promoted"), Some("Utama"))
    );

    // Connected again: back, as a backup; the promoted session stays primary.
    primary.set_down(false);
    billing_app::messaging::health_check(&ctx)
        .await
        .expect("health");
    let (role, status): (String, String) =
        sqlx::query_as("select role, status from whatsapp_sessions where name = 'Utama'")
            .fetch_one(&ctx.pool)
            .await
            .expect("utama");
    assert_eq!((role.as_str(), status.as_str()), ("backup", "healthy"));
    let before = primary.sent().len();
    queue(&app, 10, 1_000).await;
    let summary = billing_app::messaging::drain(&ctx, 1_000)
        .await
        .expect("drain");
    assert_eq!(summary.sent, 10, "{summary:?}");
    assert_eq!(
        primary.sent().len(),
        before,
        "a backup is not used while a primary works"
    );
    app.shutdown().await;
}

/// Five sessions at most, even when several are added at the same moment (the database
/// counts under a lock; a check in the app alone would let two through).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sixth_session_is_refused_even_when_added_at_the_same_moment() {
    let app = spawn_app().await;
    let fake = FakeWhatsApp::start(ProviderKind::Fonnte)
        .await
        .expect("fake");
    // Signed in before the burst (the harness signs in on the first call).
    let (status, _) = app.call("GET", "/api/whatsapp/sessions", None).await;
    assert_eq!(status, StatusCode::OK);
    let attempts = (0..8).map(|i| {
        let app = &app;
        let base = fake.base_url();
        async move {
            app.call(
                "POST",
                "/api/whatsapp/sessions",
                Some(
                    json!({"name": format!("Sesi {i}"), "provider": "fonnte", "base_url": base,
                            "token": fake::FAKE_TOKEN, "per_minute": 60}),
                ),
            )
            .await
        }
    });
    let results = futures::future::join_all(attempts).await;
    let created = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CREATED)
        .count();
    let refused: Vec<_> = results
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .collect();
    assert_eq!((created, refused.len()), (5, 3), "{results:?}");
    assert!(
        refused.iter().all(|(_, b)| b["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("at most 5"))),
        "{refused:?}"
    );
    assert_eq!(
        count(&app, "select count(*) from whatsapp_sessions").await,
        5
    );
    app.shutdown().await;
}
