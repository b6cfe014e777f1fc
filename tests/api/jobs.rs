//! The job registry: listing, "run now", no overlapping runs, failures recorded, retention.

use billing_tests::*;
use routeros_api::sim::SimVersion;
use serde_json::json;

use crate::vouchers::{batch, day_profile, setup};

#[tokio::test]
async fn every_job_is_listed_and_runs_now_with_its_run_recorded() {
    let app = spawn_app().await;
    let (status, list) = app.call("GET", "/api/jobs", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), billing_app::ops::jobs::JOBS.len());
    let billing = items
        .iter()
        .find(|j| j["name"] == "billing")
        .expect("billing");
    assert_eq!(billing["time_zone"], "Asia/Jakarta");
    // 00:05 Jakarta after 2026-11-28 01:00 UTC (08:00 Jakarta) is the next day's 17:05 UTC.
    assert_eq!(billing["next_run"], "2026-11-28T17:05:00Z");
    assert!(billing["last_run"].is_null());

    let (status, run) = app
        .call("POST", "/api/jobs/voucher_monitor/run", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert_eq!(run["ok"], true);
    assert_eq!(run["trigger"], "manual");
    assert!(
        run["summary"]
            .as_str()
            .expect("summary")
            .contains("router(s)"),
        "{run}"
    );
    let (_, runs) = app
        .call("GET", "/api/jobs/voucher_monitor/runs", None)
        .await;
    assert_eq!(runs["items"].as_array().expect("runs").len(), 1);
    let (_, list) = app.call("GET", "/api/jobs", None).await;
    let monitor = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|j| j["name"] == "voucher_monitor")
        .expect("monitor")
        .clone();
    assert_eq!(monitor["last_run"]["id"], run["id"]);

    let (status, _) = app.call("POST", "/api/jobs/no_such_job/run", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_job_never_runs_twice_at_once() {
    let app = spawn_app().await;
    let pool = app.pool().await;
    // Another process is running the reconciliation: it holds the job's lock.
    let mut other = pool.acquire().await.expect("connection");
    sqlx::query("select pg_advisory_lock(hashtext('mikrobill-job:reconcile'))")
        .execute(&mut *other)
        .await
        .expect("lock");
    let (status, err) = app.call("POST", "/api/jobs/reconcile/run", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert!(err["error"]["message"]
        .as_str()
        .expect("message")
        .contains("already running"));
    sqlx::query("select pg_advisory_unlock(hashtext('mikrobill-job:reconcile'))")
        .execute(&mut *other)
        .await
        .expect("unlock");
    let (status, run) = app.call("POST", "/api/jobs/reconcile/run", None).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert_eq!(run["ok"], true);
}

#[tokio::test]
async fn a_failing_job_is_recorded_with_the_reason() {
    let (app, sim, _router) = setup(SimVersion::default()).await;
    let p = day_profile(&app).await;
    batch(&app, json!({"profile_id": p["id"], "count": 3})).await;
    sim.shutdown();
    let (status, run) = app
        .call("POST", "/api/jobs/voucher_monitor/run", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert_eq!(run["ok"], false, "{run}");
    assert!(
        run["error"]
            .as_str()
            .expect("error")
            .contains("Kantor Pusat"),
        "{run}"
    );
    let (_, list) = app.call("GET", "/api/jobs", None).await;
    let monitor = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|j| j["name"] == "voucher_monitor")
        .expect("monitor")
        .clone();
    assert_eq!(monitor["failures_24h"], 1);
}

#[tokio::test]
async fn retention_removes_only_what_is_past_its_time() {
    let (app, _sim, _router) = setup(SimVersion::default()).await;
    let p = day_profile(&app).await;
    let b = batch(&app, json!({"profile_id": p["id"], "count": 3})).await;
    let pool = app.pool().await;
    let now = billing_domain::Clock::now(&app.clock);
    let batch_id = uuid::Uuid::parse_str(b["id"].as_str().expect("id")).expect("uuid");
    // One voucher ended 400 days ago, one 10 days ago, one is unused.
    sqlx::query(
        "update vouchers set status = 'expired', ended_at = $2 - interval '400 days' \
         where batch_id = $1 and seq = 1",
    )
    .bind(batch_id)
    .bind(now)
    .execute(&pool)
    .await
    .expect("age");
    sqlx::query(
        "update vouchers set status = 'expired', ended_at = $2 - interval '10 days' \
         where batch_id = $1 and seq = 2",
    )
    .bind(batch_id)
    .bind(now)
    .execute(&pool)
    .await
    .expect("age");
    sqlx::query(
        "insert into job_runs (job, trigger, started_at, finished_at, duration_ms, ok) \
         values ('billing', 'schedule', $1 - interval '8 days', $1 - interval '8 days', 5, true), \
                ('billing', 'schedule', $1 - interval '1 day', $1 - interval '1 day', 5, true)",
    )
    .bind(now)
    .execute(&pool)
    .await
    .expect("runs");
    let (status, run) = app.call("POST", "/api/jobs/retention/run", None).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    let summary = run["summary"].as_str().expect("summary");
    assert!(summary.contains("1 voucher(s)"), "{summary}");
    assert!(summary.contains("1 job run(s)"), "{summary}");
    let left: i64 = sqlx::query_scalar("select count(*) from vouchers")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(left, 2);
    let runs: i64 = sqlx::query_scalar("select count(*) from job_runs where job = 'billing'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(runs, 1);
}

/// Defect: the newest token of a rotated session is referenced by the one it replaced, so
/// deleting expired tokens hit the foreign key and rolled the whole retention job back —
/// every day, for good, after ordinary use.
#[tokio::test]
async fn retention_and_session_purge_keep_working_after_sessions_were_refreshed() {
    let app = spawn_app().await;
    app.token().await;
    let (status, first) = app.login(OWNER, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let mut refresh = first["refresh_token"].as_str().expect("refresh").to_owned();
    for _ in 0..2 {
        let (status, body) = app
            .post("/api/auth/refresh", json!({ "refresh_token": refresh }))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        refresh = body["refresh_token"].as_str().expect("refresh").to_owned();
    }
    let pool = app.pool().await;
    let family: uuid::Uuid = sqlx::query_scalar(
        "select family_id from refresh_tokens where replaced_by is not null limit 1",
    )
    .fetch_one(&pool)
    .await
    .expect("family");
    // Twenty days away, then the app starts again.
    app.clock.advance(chrono::Duration::days(20));
    let app = app.restart().await;
    for job in ["retention", "sessions_purge"] {
        let (status, run) = app
            .call("POST", &format!("/api/jobs/{job}/run"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{run}");
        assert_eq!(run["ok"], true, "{job}: {run}");
    }
    let left: i64 = sqlx::query_scalar("select count(*) from refresh_tokens where family_id = $1")
        .bind(family)
        .fetch_one(&app.pool().await)
        .await
        .expect("count");
    assert_eq!(left, 0, "the expired session's three tokens are gone");
}
