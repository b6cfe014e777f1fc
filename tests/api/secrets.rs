//! Secrets on a machine without an OS keyring service: the encrypted file store under a
//! key the operator supplies, a visible warning, and clear refusals for a missing or wrong
//! key (the app never silently starts with an empty store next to the real one).

use billing_tests::*;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

const KEY: &str = "kunci-server-toko-2026";
const ROUTER_PASSWORD: &str = "router-sandi-Fv8q2LxT";

fn file_backend(key: Option<&str>) -> impl FnOnce(&mut billing_runtime::Settings) {
    let key = key.map(|k| SecretString::from(k.to_owned()));
    move |s| {
        s.secrets.backend = "file".into();
        s.secrets.key = key;
    }
}

fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("mikrobill-test-")
        .tempdir()
        .expect("tempdir")
}

#[tokio::test]
async fn the_encrypted_file_keeps_secrets_across_restarts_and_refuses_a_wrong_or_missing_key() {
    let database_url = fresh_database().await;
    let mut app = try_spawn_app_with_settings(tempdir(), &database_url, file_backend(Some(KEY)))
        .await
        .expect("the app starts on the encrypted file store");
    let (status, body) = app
        .call(
            "POST",
            "/api/routers",
            Some(json!({"name": "Kantor", "host": "192.0.2.1", "port": 8728,
                        "api_user": "admin", "password": ROUTER_PASSWORD})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let router_id = body["id"].as_str().expect("id").to_owned();

    // The owner sees where the secrets are and why it matters.
    let (status, health) = app.call("GET", "/api/monitoring/health", None).await;
    assert_eq!(status, StatusCode::OK, "{health}");
    assert_eq!(health["secrets"]["status"], "warning", "{health}");
    assert_eq!(health["secrets"]["code"], "secrets_in_file");
    assert_eq!(health["secrets"]["params"]["backend"], "encrypted-file");
    assert!(
        health["secrets"]["detail"]
            .as_str()
            .unwrap_or("")
            .contains("Keep its key safe"),
        "{health}"
    );

    let file = app.data_dir.path().join("secrets.enc");
    let bytes = std::fs::read(&file).expect("the secrets file exists");
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains(ROUTER_PASSWORD),
        "router password in plain text"
    );
    assert!(!text.contains(KEY), "the key is in the file");
    assert!(
        text.contains("argon2id"),
        "not the encrypted format: {text}"
    );
    let jwt_key = app
        .ctx()
        .secrets
        .get("jwt-signing-key")
        .expect("read")
        .expect("generated into the file");
    assert!(!text.contains(jwt_key.expose_secret()));

    // Keep the data directory: the same installation is started again below.
    // (Not `TestApp::shutdown`: it also removes the generated keys, as a real keyring is
    // shared by every test.)
    let data_dir = std::mem::replace(&mut app.data_dir, tempdir());
    app.app.take().expect("running").shutdown().await;

    let wrong = try_spawn_app_with_settings(
        tempdir_copy(&data_dir),
        &database_url,
        file_backend(Some("kunci-yang-salah-sekali")),
    )
    .await
    .err()
    .expect("a wrong key is refused");
    assert!(wrong.contains("key is wrong"), "{wrong}");

    // `auto` with no key: the file exists, so the app asks for its key instead of quietly
    // starting on an empty OS keyring (which would lose every secret).
    let missing = try_spawn_app_with_settings(tempdir_copy(&data_dir), &database_url, |s| {
        s.secrets.backend = "auto".into();
        s.secrets.key = None;
    })
    .await
    .err()
    .expect("a missing key is refused");
    assert!(missing.contains("supply its key"), "{missing}");
    assert!(missing.contains("MIKROBILL_SECRETS_KEY"), "{missing}");

    // The key from a file (a USB stick, a systemd credential), trailing newline and all.
    let key_dir = tempdir();
    let key_file = key_dir.path().join("mikrobill.key");
    std::fs::write(&key_file, format!("{KEY}\n")).expect("key file");
    let app = try_spawn_app_with_settings(data_dir, &database_url, move |s| {
        s.secrets.backend = "auto".into();
        s.secrets.key = None;
        s.secrets.key_file = Some(key_file);
    })
    .await
    .expect("restarts with the key from a file");
    let stored = app
        .ctx()
        .secrets
        .get(&format!("router-password/{router_id}"))
        .expect("read")
        .expect("the router password survived the restart");
    assert_eq!(stored.expose_secret(), ROUTER_PASSWORD);
    let again = app
        .ctx()
        .secrets
        .get("jwt-signing-key")
        .expect("read")
        .expect("kept");
    assert_eq!(again.expose_secret(), jwt_key.expose_secret());
    app.shutdown().await;
}

#[tokio::test]
async fn the_file_store_without_a_key_or_with_a_short_one_is_refused_with_the_reason() {
    let database_url = fresh_database().await;
    let err = try_spawn_app_with_settings(tempdir(), &database_url, file_backend(None))
        .await
        .err()
        .expect("no key");
    assert!(err.contains("supply its key"), "{err}");
    let err = try_spawn_app_with_settings(tempdir(), &database_url, file_backend(Some("pendek")))
        .await
        .err()
        .expect("short key");
    assert!(err.contains("too short"), "{err}");
}

/// A copy of a data directory (only its secrets file matters here), so a refused start
/// cannot touch the original.
fn tempdir_copy(from: &tempfile::TempDir) -> tempfile::TempDir {
    let to = tempdir();
    std::fs::copy(
        from.path().join("secrets.enc"),
        to.path().join("secrets.enc"),
    )
    .expect("copy the secrets file");
    to
}
