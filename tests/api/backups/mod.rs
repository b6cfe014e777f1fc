//! Backups against the real PostgreSQL and the real pg_dump/pg_restore: round trip, restore
//! with confirmation or undo, a damaged file, no secrets inside, the daily schedule with
//! catch-up, retention and the second folder.

mod corrupted;
mod restore;
mod schedule;
mod secrets;
mod shared;

use std::collections::BTreeMap;

use billing_tests::*;
use serde_json::{json, Value};

use crate::billing::{customer_with_subscription, d, open_invoices, pay, set_today};

/// Two customers with invoices, a partial and a full payment (money in every money table).
pub async fn seed(app: &TestApp) {
    set_today(app, d(2026, 11, 1));
    let (_, sub_a) = customer_with_subscription(app, 150_000, "budi", d(2026, 11, 1)).await;
    let (_, sub_b) = customer_with_subscription(app, 200_000, "sari", d(2026, 11, 1)).await;
    let (status, run) = app.call("POST", "/api/billing/run", Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    let a = open_invoices(app, &sub_a["id"]).await;
    let b = open_invoices(app, &sub_b["id"]).await;
    assert_eq!((a.len(), b.len()), (1, 1));
    let (status, body) = pay(app, &a[0]["id"], 50_000).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = pay(app, &b[0]["id"], 200_000).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// Row count and a checksum over all rows of every table but the backup catalog (which a
/// restore carries over on purpose) and the app instances (who uses the database and when it
/// was last seen, which changes by itself).
pub async fn fingerprints(app: &TestApp) -> BTreeMap<String, (i64, String)> {
    let pool = app.pool().await;
    let tables: Vec<String> = sqlx::query_scalar(
        "select tablename::text from pg_tables where schemaname = 'public' \
         and tablename not in ('backups', 'backup_settings', 'app_instances') order by 1",
    )
    .fetch_all(&pool)
    .await
    .expect("tables");
    let mut out = BTreeMap::new();
    for table in tables {
        // The activity log's lines about the backups' own bookkeeping are bookkeeping too.
        let filter = if table == "audit_log" {
            "where entity not in ('backups', 'backup_settings', 'app_instances')"
        } else {
            ""
        };
        let row: (i64, String) = sqlx::query_as(&format!(
            "select count(*), coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '') \
             from public.\"{table}\" t {filter}"
        ))
        .fetch_one(&pool)
        .await
        .expect("fingerprint");
        out.insert(table, row);
    }
    out
}

pub async fn create_backup(app: &TestApp) -> Value {
    let (status, backup) = app.call("POST", "/api/backups/create", None).await;
    assert_eq!(status, StatusCode::OK, "{backup}");
    assert_eq!(backup["status"], "ok", "{backup}");
    backup
}

pub fn backup_path(backup: &Value) -> std::path::PathBuf {
    std::path::Path::new(backup["folder"].as_str().expect("folder"))
        .join(backup["file_name"].as_str().expect("file"))
}

pub async fn current_database(app: &TestApp) -> String {
    sqlx::query_scalar("select current_database()::text")
        .fetch_one(&app.pool().await)
        .await
        .expect("current_database")
}

/// Databases on the test server whose name starts with `prefix`.
pub async fn databases_like(prefix: &str) -> Vec<String> {
    use sqlx::{ConnectOptions, Connection};
    let mut conn = test_server().options.connect().await.expect("connect");
    let names = sqlx::query_scalar(
        "select datname::text from pg_database where starts_with(datname, $1) order by 1",
    )
    .bind(prefix)
    .fetch_all(&mut conn)
    .await
    .expect("databases");
    conn.close().await.ok();
    names
}

pub fn db_name(url: &str) -> String {
    url.rsplit('/').next().unwrap_or_default().to_owned()
}
