//! `spawn_app()`: a real mikrobill (both listeners on port 0) on a fresh database.
//!
//! The database server comes from `MIKROBILL_TEST_DATABASE_URL` when set (a superuser or
//! a role with CREATEDB); otherwise one throwaway cluster per test binary is started
//! through the app's own embedded-Postgres code, and stopped when the binary exits.

use std::sync::{Arc, OnceLock};

use billing_domain::FixedClock;
use billing_runtime::{Application, DatabaseMode, Settings};
use chrono::{TimeZone, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

pub use reqwest::StatusCode;

/// Where tests create their databases.
#[derive(Clone)]
pub struct TestServer {
    pub options: PgConnectOptions,
    pub url_base: String,
}

static SERVER: OnceLock<Result<TestServer, String>> = OnceLock::new();

/// The shared database server for this test binary.
pub fn test_server() -> TestServer {
    SERVER
        .get_or_init(|| match std::env::var("MIKROBILL_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => from_url(&url),
            _ => start_shared_throwaway(),
        })
        .clone()
        .unwrap_or_else(|e| panic!("no test database server: {e}"))
}

fn from_url(url: &str) -> Result<TestServer, String> {
    let options: PgConnectOptions = url.parse().map_err(|e| format!("bad URL: {e}"))?;
    let base = url.split('?').next().unwrap_or(url);
    let base = base.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap_or_else(|| base.to_owned());
    Ok(TestServer { options, url_base: base })
}

fn start_shared_throwaway() -> Result<TestServer, String> {
    // The cluster must outlive every test's runtime, so it is started on its own thread
    // and stopped by a watchdog process when this test binary exits.
    std::thread::spawn(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        rt.block_on(async {
            let locate = billing_embedded_pg::LocateOptions::from_env(None);
            let binaries = billing_embedded_pg::PgBinaries::locate(&locate).map_err(|e| e.to_string())?;
            let cluster = billing_embedded_pg::start_throwaway(binaries).await.map_err(|e| e.to_string())?;
            let port = cluster.running().port();
            let password = cluster.password().expose_secret().to_owned();
            let data_dir = cluster.data_dir().to_owned();
            watchdog(&data_dir);
            std::mem::forget(cluster);
            let url_base = format!(
                "postgres://{}:{}@127.0.0.1:{port}",
                billing_embedded_pg::THROWAWAY_SUPERUSER,
                password
            );
            from_url(&format!("{url_base}/postgres"))
        })
    })
    .join()
    .map_err(|_| "the cluster thread panicked".to_string())?
}

/// Stops the throwaway cluster and removes its directory once this process has exited.
fn watchdog(data_dir: &std::path::Path) {
    let pid = std::process::id();
    let dir = data_dir.display().to_string();
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
         pm=$(head -n1 '{dir}/pgdata/postmaster.pid' 2>/dev/null); \
         [ -n \"$pm\" ] && kill -INT \"$pm\" 2>/dev/null; \
         for i in $(seq 1 40); do [ -e '{dir}/pgdata/postmaster.pid' ] || break; sleep 0.25; done; \
         rm -rf '{dir}'"
    );
    let spawned = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(err) = spawned {
        eprintln!("could not start the cluster watchdog: {err}");
    }
}

/// Creates an empty database and returns its URL.
pub async fn fresh_database() -> String {
    let server = test_server();
    let name = format!("mb_test_{}", uuid::Uuid::new_v4().simple());
    let mut conn = server.options.clone().connect().await.expect("connect to the test server");
    sqlx::query(&format!("create database {name}")).execute(&mut conn).await.expect("create db");
    conn.close().await.ok();
    format!("{}/{name}", server.url_base)
}

pub struct TestApp {
    pub app: Option<Application>,
    pub admin: String,
    pub public: String,
    pub http: reqwest::Client,
    pub clock: FixedClock,
    pub data_dir: tempfile::TempDir,
    pub database_url: String,
}

pub const OWNER: &str = "pemilik";
pub const OWNER_PASSWORD: &str = "kata-sandi-aman-123";

/// Starts the app on a fresh database with a pinned clock.
pub async fn spawn_app() -> TestApp {
    let database_url = fresh_database().await;
    spawn_app_on(&database_url).await
}

pub async fn spawn_app_on(database_url: &str) -> TestApp {
    let data_dir = tempfile::Builder::new().prefix("mikrobill-test-").tempdir().expect("tempdir");
    let mut settings = Settings::for_tests(data_dir.path());
    settings.database.mode = DatabaseMode::Remote;
    settings.database.url = Some(SecretString::from(database_url.to_owned()));
    let clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0).single().expect("date"));
    let app = Application::build_with_clock(settings, Arc::new(clock.clone()))
        .await
        .unwrap_or_else(|e| panic!("the app did not start: {e}"));
    TestApp {
        admin: format!("http://{}", app.admin_addr()),
        public: format!("http://{}", app.public_addr()),
        app: Some(app),
        http: reqwest::Client::new(),
        clock,
        data_dir,
        database_url: database_url.to_owned(),
    }
}

impl TestApp {
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let res = self.http.post(format!("{}{path}", self.admin)).json(&body).send().await.expect("send");
        split(res).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let res = self.http.get(format!("{}{path}", self.admin)).send().await.expect("send");
        split(res).await
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .get(format!("{}{path}", self.admin))
            .bearer_auth(token)
            .send()
            .await
            .expect("send");
        split(res).await
    }

    /// Creates the first owner through the first-run endpoint; returns the token body.
    pub async fn create_owner(&self) -> Value {
        let (status, body) = self
            .post("/api/setup/owner", json!({"username": OWNER, "password": OWNER_PASSWORD}))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    pub async fn login(&self, username: &str, password: &str) -> (StatusCode, Value) {
        self.post("/api/auth/login", json!({"username": username, "password": password})).await
    }

    pub async fn pool(&self) -> sqlx::PgPool {
        self.app.as_ref().expect("running").context().pool.clone()
    }

    pub async fn shutdown(mut self) {
        if let Some(app) = self.app.take() {
            let secrets = app.secrets().clone();
            app.shutdown().await;
            let _ = secrets.delete("jwt-signing-key");
        }
    }
}

pub async fn split(res: reqwest::Response) -> (StatusCode, Value) {
    let status = res.status();
    let text = res.text().await.expect("body");
    let value = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    (status, value)
}
