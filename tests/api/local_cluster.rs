//! The default mode: the app runs its own PostgreSQL cluster in its data directory.

use billing_runtime::{Application, Settings};
use billing_tests::*;
use secrecy::ExposeSecret;

#[tokio::test]
async fn local_mode_initialises_its_cluster_keeps_data_and_stops_it_on_shutdown() {
    // Under /var/tmp, not /root: when the tests run as root the cluster runs as `postgres`.
    let dir = tempfile::Builder::new()
        .prefix("mikrobill-local-")
        .tempdir_in("/var/tmp")
        .expect("tmp");
    let settings = Settings::for_tests(dir.path());

    let app = Application::build(settings.clone())
        .await
        .unwrap_or_else(|e| panic!("start: {e}"));
    let pidfile = dir.path().join("pgdata").join("postmaster.pid");
    assert!(pidfile.is_file(), "the local cluster is not running");
    let admin = format!("http://{}", app.admin_addr());
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{admin}/api/setup/owner"))
        .json(&serde_json::json!({"username": OWNER, "password": OWNER_PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::CREATED);

    // The cluster password lives in the OS keyring, never in the data directory.
    let secrets = app.secrets().clone();
    let password = secrets
        .get("postgres-password")
        .expect("keyring")
        .expect("stored");
    assert!(!contains_anywhere(
        dir.path(),
        password.expose_secret().as_bytes()
    ));

    app.shutdown().await;
    assert!(!pidfile.exists(), "postgres still running after shutdown");

    // Second start: the same cluster, the same owner.
    let app = Application::build(settings)
        .await
        .unwrap_or_else(|e| panic!("restart: {e}"));
    let res = http
        .post(format!("http://{}/api/auth/login", app.admin_addr()))
        .json(&serde_json::json!({"username": OWNER, "password": OWNER_PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    app.shutdown().await;
    assert!(!pidfile.exists());
    for name in ["postgres-password", "jwt-signing-key", "data-key"] {
        secrets.delete(name).expect("cleanup");
    }
}

fn contains_anywhere(dir: &std::path::Path, needle: &[u8]) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        if path.is_dir() {
            contains_anywhere(&path, needle)
        } else {
            std::fs::read(&path).is_ok_and(|bytes| bytes.windows(needle.len()).any(|w| w == needle))
        }
    })
}
