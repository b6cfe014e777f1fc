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

fn postmaster_pid(pidfile: &std::path::Path) -> Option<u32> {
    std::fs::read_to_string(pidfile)
        .ok()?
        .lines()
        .next()?
        .trim()
        .parse()
        .ok()
}

/// A live process (an exited one nobody has reaped yet, state Z, is gone).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let (_, after_name) = stat.rsplit_once(')')?;
            after_name
                .split_whitespace()
                .next()
                .map(|state| state != "Z")
        })
        .unwrap_or(false)
}

/// A crash of the app's own PostgreSQL (here: the postmaster killed with SIGKILL, as the
/// out-of-memory killer would) is noticed by the watchdog, the server is started again on the
/// same port, the pool reconnects by itself and nothing is lost; a quit afterwards still stops
/// the new server.
#[tokio::test]
async fn the_local_database_is_started_again_after_it_crashes() {
    let dir = tempfile::Builder::new()
        .prefix("mikrobill-crash-")
        .tempdir_in("/var/tmp")
        .expect("tmp");
    let mut settings = Settings::for_tests(dir.path());
    settings.database.heartbeat_secs = 1;
    let app = Application::build(settings)
        .await
        .unwrap_or_else(|e| panic!("start: {e}"));
    let admin = format!("http://{}", app.admin_addr());
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{admin}/api/setup/owner"))
        .json(&serde_json::json!({"username": OWNER, "password": OWNER_PASSWORD}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::CREATED);
    let token = res.json::<serde_json::Value>().await.expect("json")["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let create_customer = |name: &'static str| {
        http.post(format!("{admin}/api/customers"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"name": name, "phone": "081234567890", "address": "Jl. Mawar 1"}))
            .send()
    };
    let res = create_customer("Sebelum Mati").await.expect("send");
    assert_eq!(res.status(), StatusCode::CREATED);
    let secrets = app.secrets().clone();

    let pidfile = dir.path().join("pgdata").join("postmaster.pid");
    let crashed = postmaster_pid(&pidfile).expect("the local cluster runs");
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &crashed.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());

    // The watchdog starts a new postmaster; the API works again without a restart of the app.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let restarted = postmaster_pid(&pidfile).filter(|pid| *pid != crashed && alive(*pid));
        if restarted.is_some() {
            if let Ok(res) = create_customer("Sesudah Hidup Lagi").await {
                if res.status() == StatusCode::CREATED {
                    break;
                }
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the local database did not come back (pid file: {:?})",
            std::fs::read_to_string(&pidfile).ok()
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    // The app's claim on its database ended with the old server; it is taken again.
    let pool = app.context().pool.clone();
    loop {
        let held: Option<i64> = sqlx::query_scalar(
            "select count(*) from pg_locks where locktype = 'advisory' and granted \
             and classid::bigint = $1 and objid::bigint = $2",
        )
        .bind(billing_app::ops::instances::LOCK_KEY >> 32)
        .bind(billing_app::ops::instances::LOCK_KEY & 0xffff_ffff)
        .fetch_one(&pool)
        .await
        .ok();
        if held == Some(1) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the claim on the database was not taken again"
        );
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let restarted = postmaster_pid(&pidfile).expect("running again");
    let res = http
        .get(format!("{admin}/api/customers?q=Sebelum"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(
        body["items"].as_array().map(Vec::len),
        Some(1),
        "the data from before the crash is there: {body}"
    );

    app.shutdown().await;
    assert!(
        !pidfile.exists(),
        "the restarted server was not stopped on quit"
    );
    assert!(
        !alive(restarted),
        "postmaster {restarted} still running after quit"
    );
    for name in ["postgres-password", "jwt-signing-key", "data-key"] {
        secrets.delete(name).expect("cleanup");
    }
}

/// The app's connections never JIT-compile: compiling a report's or the home screen's plan
/// took longer than running it.
#[tokio::test]
async fn the_apps_connections_run_without_jit() {
    let app = spawn_app().await;
    let pool = app.pool().await;
    for _ in 0..3 {
        let jit: String = sqlx::query_scalar("show jit")
            .fetch_one(&pool)
            .await
            .expect("show jit");
        assert_eq!(jit, "off");
    }
    app.shutdown().await;
}
