use super::*;

#[tokio::test]
async fn a_damaged_backup_file_is_detected_and_nothing_is_restored() {
    let app = spawn_app().await;
    seed(&app).await;
    let original_db = db_name(&app.database_url);
    let backup = create_backup(&app).await;
    let id = backup["id"].as_str().expect("id").to_owned();
    let before = fingerprints(&app).await;

    // One flipped byte in the middle of the file.
    let path = backup_path(&backup);
    let mut bytes = std::fs::read(&path).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&path, &bytes).expect("write");

    for route in [
        format!("/api/backups/{id}/verify"),
        format!("/api/backups/restore/{id}"),
    ] {
        let (status, body) = app.call("POST", &route, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{route}: {body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(backup["file_name"].as_str().expect("name"))
                && message.contains("damaged")
                && message.contains("checksum"),
            "{route}: {message}"
        );
    }
    assert_eq!(
        databases_like(&original_db).await,
        vec![original_db.clone()]
    );
    assert_eq!(current_database(&app).await, original_db);
    assert_eq!(fingerprints(&app).await, before);

    // A file that is gone is named with the folder it should be in.
    std::fs::remove_file(&path).expect("remove");
    let (status, body) = app
        .call("POST", &format!("/api/backups/restore/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("is gone"),
        "{body}"
    );
    let (status, _) = app
        .http
        .get(format!("{}/api/backups/{id}/download", app.admin))
        .bearer_auth(app.token().await)
        .send()
        .await
        .map(|r| (r.status(), ()))
        .expect("send");
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    app.shutdown().await;
}

#[tokio::test]
async fn a_backup_whose_dump_is_unreadable_is_reported_and_its_scratch_database_dropped() {
    use billing_app::ops::backups::archive;
    let app = spawn_app().await;
    seed(&app).await;
    let original_db = db_name(&app.database_url);
    let backup = create_backup(&app).await;
    let id = backup["id"].as_str().expect("id").to_owned();
    let path = backup_path(&backup);

    // A well-formed archive with matching checksums whose dump is garbage.
    let manifest = archive::read_manifest(&path).expect("manifest");
    let dir = tempfile::tempdir().expect("tempdir");
    let dump = dir.path().join("garbage.dump");
    let garbage: Vec<u8> = b"PGDMP"
        .iter()
        .copied()
        .chain((0..50_000u32).map(|i| (i * 7 % 251) as u8))
        .collect();
    std::fs::write(&dump, &garbage).expect("write");
    let settings = b"{}".to_vec();
    let mut forged = manifest.clone();
    forged.files = vec![
        member(archive::SETTINGS, &settings),
        member(archive::DUMP, &garbage),
    ];
    std::fs::remove_file(&path).expect("remove");
    let (_, sha) = archive::write(&path, &forged, &settings, &dump).expect("write");
    sqlx::query("update backups set sha256 = $2 where id = $1::uuid")
        .bind(&id)
        .bind(&sha)
        .execute(&app.pool().await)
        .await
        .expect("record the new checksum");

    let (status, body) = app
        .call("POST", &format!("/api/backups/restore/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(body["error"]["kind"], "operation_failed");
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("could not be restored") && message.contains("pg_restore"),
        "{message}"
    );
    assert_eq!(
        databases_like(&original_db).await,
        vec![original_db.clone()]
    );
    // No scratch database is left behind. Other tests' backups verify in scratch databases of
    // their own on the same server meanwhile, for a few seconds each: a leak of ours never goes.
    let mut left = databases_like("mikrobill_check_").await;
    for _ in 0..300 {
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        left = databases_like("mikrobill_check_").await;
    }
    assert!(left.is_empty(), "{left:?}");
    assert_eq!(current_database(&app).await, original_db);
    app.shutdown().await;
}

fn member(name: &str, data: &[u8]) -> billing_app::ops::backups::archive::Member {
    use sha2::Digest as _;
    billing_app::ops::backups::archive::Member {
        name: name.into(),
        size: data.len() as u64,
        sha256: hex::encode(sha2::Sha256::digest(data)),
    }
}
