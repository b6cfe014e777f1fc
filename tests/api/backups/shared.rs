//! A restore never pulls a database from under another session (issue #25, step 0): it does
//! not start while someone else uses the database, and confirming it does not drop the
//! previous database while someone is still connected to it.

use super::*;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

async fn connect_to(app: &TestApp, database: &str, application: &str) -> PgConnection {
    let options: PgConnectOptions = app.database_url.parse().expect("url");
    options
        .database(database)
        .application_name(application)
        .connect()
        .await
        .expect("connect")
}

fn message(body: &serde_json::Value) -> String {
    body["error"]["message"].as_str().unwrap_or("").to_owned()
}

#[tokio::test]
async fn a_restore_does_not_start_while_another_session_uses_the_database() {
    let app = spawn_app().await;
    seed(&app).await;
    let original_db = db_name(&app.database_url);
    let backup = create_backup(&app).await;
    let before = fingerprints(&app).await;

    let other = connect_to(&app, &original_db, "mikrobill KASIR-2").await;
    let id = backup["id"].as_str().expect("id");
    let (status, body) = app
        .call("POST", &format!("/api/backups/restore/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["kind"], "conflict", "{body}");
    let text = message(&body);
    assert!(text.contains("mikrobill KASIR-2"), "names who: {text}");
    assert!(text.contains("masih dipakai koneksi lain"), "{text}");
    assert!(text.contains("still used by other connections"), "{text}");
    // Nothing was restored or switched.
    assert_eq!(
        databases_like(&original_db).await,
        vec![original_db.clone()]
    );
    assert_eq!(current_database(&app).await, original_db);
    assert_eq!(fingerprints(&app).await, before);

    // Once the other session is gone the restore goes through.
    other.close().await.ok();
    let (status, body) = app
        .call("POST", &format!("/api/backups/restore/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.shutdown().await;
}

#[tokio::test]
async fn confirming_a_restore_keeps_the_previous_database_while_another_session_uses_it() {
    let app = spawn_app().await;
    seed(&app).await;
    let original_db = db_name(&app.database_url);
    let backup = create_backup(&app).await;
    let (status, _) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": "Sesudah Cadangan", "phone": "0813-1111-3333", "address": "Jl. Anggrek"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = backup["id"].as_str().expect("id");
    let (status, outcome) = app
        .call("POST", &format!("/api/backups/restore/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let active = outcome["active_database"].as_str().expect("db").to_owned();

    // Another PC still works on the previous database (e.g. started with the old settings).
    let mut other = connect_to(&app, &original_db, "mikrobill KASIR-2").await;
    let (status, body) = app
        .call("POST", &format!("/api/backups/restore/{id}/confirm"), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let text = message(&body);
    assert!(text.contains("mikrobill KASIR-2"), "{text}");
    assert!(text.contains("It was not deleted"), "{text}");
    // Nothing dropped, its data intact, its session alive, the restore still waiting.
    assert_eq!(
        databases_like(&original_db).await,
        vec![original_db.clone(), active.clone()]
    );
    let kept: i64 =
        sqlx::query_scalar("select count(*) from customers where name = 'Sesudah Cadangan'")
            .fetch_one(&mut other)
            .await
            .expect("the other session still works");
    assert_eq!(kept, 1);
    let (_, list) = app.call("GET", "/api/backups", None).await;
    assert_eq!(
        list["pending_restore"]["previous_database"],
        original_db.as_str()
    );
    // The previous database still takes new connections.
    let again = connect_to(&app, &original_db, "test").await;
    again.close().await.ok();

    // When the other PC has gone, confirming drops it.
    other.close().await.ok();
    let (status, body) = app
        .call("POST", &format!("/api/backups/restore/{id}/confirm"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(databases_like(&original_db).await, vec![active]);
    app.shutdown().await;
}
