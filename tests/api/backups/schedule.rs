use super::*;
use chrono::Duration;

#[tokio::test]
async fn the_daily_backup_catches_up_once_after_a_week_off_keeps_n_and_copies_to_the_second_folder()
{
    let app = spawn_app().await;
    seed(&app).await;
    let ctx = app.ctx();
    let copy = tempfile::Builder::new()
        .prefix("mikrobill-usb-")
        .tempdir_in("/var/tmp")
        .expect("tempdir");
    let (status, settings) = app
        .call(
            "PUT",
            "/api/backups/settings",
            Some(
                json!({"folder": null, "copy_folder": copy.path(), "keep": 2,
                        "daily_time": "01:30", "daily_enabled": true}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{settings}");
    assert_eq!(settings["folder_is_default"], true);
    assert!(settings["next_run_at"].is_string(), "{settings}");

    // 2026-11-01 08:00 WIB: the schedule was just set, so nothing is due until 01:30.
    assert!(billing_app::ops::backups::run_if_due(&ctx)
        .await
        .expect("run")
        .is_none());
    app.clock.advance(Duration::days(1));
    let first = billing_app::ops::backups::run_if_due(&ctx)
        .await
        .expect("run")
        .expect("a backup after the first 01:30");
    assert_eq!(first.trigger, "scheduled");
    let copy_path = std::path::PathBuf::from(first.copy_path.clone().expect("copied"));
    assert!(copy_path.starts_with(copy.path()) && copy_path.is_file());
    assert!(std::path::Path::new(&format!("{}.sha256", copy_path.display())).is_file());
    assert!(billing_app::ops::backups::run_if_due(&ctx)
        .await
        .expect("run")
        .is_none());

    // The PC was off for a week: one backup at start, not seven.
    app.clock.advance(Duration::days(7));
    let second = billing_app::ops::backups::run_if_due(&ctx)
        .await
        .expect("run");
    assert!(second.is_some());
    assert!(billing_app::ops::backups::run_if_due(&ctx)
        .await
        .expect("run")
        .is_none());

    // The third one pushes the first out, in both folders.
    app.clock.advance(Duration::days(1));
    assert!(billing_app::ops::backups::run_if_due(&ctx)
        .await
        .expect("run")
        .is_some());
    let (_, list) = app.call("GET", "/api/backups", None).await;
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{list}");
    assert!(items.iter().all(|b| b["id"] != first.id.to_string()));
    assert!(!first.path().exists(), "the oldest file was not removed");
    assert!(!copy_path.exists(), "the oldest copy was not removed");
    let copies = std::fs::read_dir(copy.path())
        .expect("dir")
        .filter(|e| {
            e.as_ref()
                .map(|e| e.file_name().to_string_lossy().ends_with(".tar.gz"))
                .unwrap_or(false)
        })
        .count();
    assert_eq!(copies, 2);

    // The second folder unplugged: the backup is still made, the copy's failure is noted.
    drop(copy);
    let (status, made) = app.call("POST", "/api/backups/create", None).await;
    assert_eq!(status, StatusCode::OK, "{made}");
    assert!(made["copy_path"].is_null());
    assert!(
        made["copy_error"]
            .as_str()
            .unwrap_or("")
            .contains("is not there"),
        "{made}"
    );
    let (_, health) = app.call("GET", "/api/monitoring/health", None).await;
    let disk = health["disk"].as_array().expect("disk");
    assert!(
        disk.iter().any(|c| c["code"] == "disk_copy_missing"),
        "{health}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn backup_settings_name_the_field_that_is_wrong() {
    let app = spawn_app().await;
    for (body, field) in [
        (
            json!({"keep": 0, "daily_time": "01:30", "daily_enabled": true}),
            "keep",
        ),
        (
            json!({"keep": 7, "daily_time": "25:00", "daily_enabled": true}),
            "daily_time",
        ),
        (
            json!({"folder": "cadangan", "keep": 7, "daily_time": "01:30", "daily_enabled": true}),
            "folder",
        ),
        (
            json!({"copy_folder": "/proc/mikrobill-no", "keep": 7, "daily_time": "01:30",
                   "daily_enabled": true}),
            "copy_folder",
        ),
    ] {
        let (status, err) = app.call("PUT", "/api/backups/settings", Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    app.shutdown().await;
}
