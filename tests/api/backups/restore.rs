use super::*;

#[tokio::test]
async fn backup_and_restore_round_trip_is_equal_on_every_table_and_the_old_data_waits_for_confirmation(
) {
    let app = spawn_app().await;
    seed(&app).await;
    let original_db = db_name(&app.database_url);
    let backup = create_backup(&app).await;
    let before = fingerprints(&app).await;
    assert!(
        before["invoices"].0 >= 2 && before["ledger_entries"].0 >= 2,
        "{before:?}"
    );

    // The file, its checksum next to it, and what the list says.
    let path = backup_path(&backup);
    assert!(path.is_file(), "{}", path.display());
    let sidecar = std::fs::read_to_string(format!("{}.sha256", path.display())).expect("sidecar");
    assert!(
        sidecar.starts_with(backup["sha256"].as_str().expect("sha")),
        "{sidecar}"
    );
    assert!(backup["verified_at"].is_string() && backup["verify_ms"].is_number());
    assert_eq!(backup["file_present"], true);
    assert!(backup["row_count"].as_i64().unwrap_or(0) > 10, "{backup}");

    // Life goes on after the backup: a payment and a new customer.
    let (_, invoices) = app.call("GET", "/api/invoices?status=partial", None).await;
    let (status, body) = crate::billing::pay(&app, &invoices["items"][0]["id"], 100_000).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": "Pelanggan Baru", "phone": "0813-1111-2222", "address": "Jl. Mawar 1"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let after_changes = fingerprints(&app).await;
    assert_ne!(after_changes, before);

    // Restore: a new database, checked, and the app uses it at once.
    let id = backup["id"].as_str().expect("id");
    let (status, outcome) = app
        .call("POST", &format!("/api/backups/restore/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let active = outcome["active_database"]
        .as_str()
        .expect("active")
        .to_owned();
    assert_eq!(outcome["previous_database"], original_db.as_str());
    assert!(active.starts_with(&format!("{original_db}_r")), "{active}");
    assert_eq!(current_database(&app).await, active);
    assert_eq!(
        fingerprints(&app).await,
        before,
        "the restored data differs from the backup"
    );
    let (_, customers) = app.call("GET", "/api/customers?q=Baru", None).await;
    assert_eq!(customers["total"], 0, "{customers}");

    // The old database is kept, the list still knows the backup, health says what happened.
    assert_eq!(databases_like(&original_db).await.len(), 2);
    let (_, list) = app.call("GET", "/api/backups", None).await;
    assert_eq!(
        list["pending_restore"]["previous_database"],
        original_db.as_str()
    );
    assert_eq!(list["pending_restore"]["backup_id"], id);
    assert!(list["items"]
        .as_array()
        .expect("items")
        .iter()
        .any(|b| b["id"] == id));
    let (_, health) = app.call("GET", "/api/monitoring/health", None).await;
    assert_eq!(health["database"]["status"], "warning", "{health}");
    assert_eq!(health["database"]["code"], "database_restore_pending");

    // A second restore must wait for the decision on the first.
    let (status, body) = app
        .call("POST", &format!("/api/backups/restore/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("confirm or undo"));

    // Closing and reopening the app keeps the restored database.
    let app = app.restart().await;
    assert_eq!(current_database(&app).await, active);
    assert_eq!(fingerprints(&app).await, before);

    // Confirm: the database from before the restore is dropped.
    let (status, confirmed) = app
        .call("POST", &format!("/api/backups/restore/{id}/confirm"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    assert_eq!(databases_like(&original_db).await, vec![active.clone()]);
    let (_, list) = app.call("GET", "/api/backups", None).await;
    assert!(list["pending_restore"].is_null(), "{list}");
    let app = app.restart().await;
    assert_eq!(current_database(&app).await, active);
    app.shutdown().await;
}

#[tokio::test]
async fn undo_goes_back_to_the_data_from_before_the_restore() {
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
    let latest = fingerprints(&app).await;

    let id = backup["id"].as_str().expect("id");
    let (status, outcome) = app
        .call("POST", &format!("/api/backups/restore/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let restored = outcome["active_database"].as_str().expect("db").to_owned();
    assert_ne!(fingerprints(&app).await, latest);

    let (status, undone) = app
        .call("POST", &format!("/api/backups/restore/{id}/undo"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{undone}");
    assert_eq!(current_database(&app).await, original_db);
    assert_eq!(fingerprints(&app).await, latest);
    assert_eq!(
        databases_like(&original_db).await,
        vec![original_db.clone()]
    );
    assert!(!databases_like(&restored).await.contains(&restored));
    let (status, _) = app
        .call("POST", &format!("/api/backups/restore/{id}/confirm"), None)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing is waiting any more");
    app.shutdown().await;
}

/// A call with a given access token (not the harness's cached one).
async fn call_as(app: &TestApp, token: &str, method: &str, path: &str) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    split(
        app.http
            .request(method, format!("{}{path}", app.admin))
            .bearer_auth(token)
            .send()
            .await
            .expect("send"),
    )
    .await
}

async fn new_session(app: &TestApp) -> String {
    let (status, body) = app.login(OWNER, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("token").to_owned()
}

#[tokio::test]
async fn the_owner_who_restores_stays_signed_in_though_they_signed_in_after_the_backup() {
    let app = spawn_app().await;
    seed(&app).await;
    let backup = create_backup(&app).await;
    let id = backup["id"].as_str().expect("id");
    // After the backup: "log out everywhere" (the account's token version moves on, so the
    // backup's copy of the account would refuse every token now) and a new sign-in.
    let (status, body) = app.call("POST", "/api/auth/logout-everywhere", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let token = new_session(&app).await;

    let (status, outcome) =
        call_as(&app, &token, "POST", &format!("/api/backups/restore/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    assert_eq!(outcome["signed_in_kept"], true, "{outcome}");
    assert!(
        outcome["message"]
            .as_str()
            .unwrap_or("")
            .contains("You stay signed in"),
        "{outcome}"
    );
    // Still signed in on the restored data: the list with its pending restore, then undo.
    let (status, list) = call_as(&app, &token, "GET", "/api/backups").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["pending_restore"]["backup_id"], id);

    // Undo with a session opened only on the restored data: it is carried back too.
    let later = new_session(&app).await;
    let (status, undone) = call_as(
        &app,
        &later,
        "POST",
        &format!("/api/backups/restore/{id}/undo"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{undone}");
    let (status, list) = call_as(&app, &later, "GET", "/api/backups").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(list["pending_restore"].is_null(), "{list}");
    // The session from before the restore works on the old data as it did.
    let (status, body) = call_as(&app, &token, "GET", "/api/auth/me").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // Restore again and confirm with the same session: signed in throughout.
    let (status, outcome) =
        call_as(&app, &token, "POST", &format!("/api/backups/restore/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let (status, confirmed) = call_as(
        &app,
        &token,
        "POST",
        &format!("/api/backups/restore/{id}/confirm"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    let (status, body) = call_as(&app, &token, "GET", "/api/auth/me").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.shutdown().await;
}
