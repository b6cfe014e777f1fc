//! `spawn_app()`: a real mikrobill (both listeners on port 0) on a fresh database.
//!
//! The database server comes from `MIKROBILL_TEST_DATABASE_URL` when set (a superuser or
//! a role with CREATEDB); otherwise one throwaway cluster per test binary is started
//! through the app's own embedded-Postgres code, and stopped when the binary exits.

use std::sync::{Arc, OnceLock};

use billing_app::ports::{RouterPort, RouterPortError, RouterSubscription};
use billing_domain::FixedClock;
use billing_runtime::{Application, DatabaseMode, Ports, Settings};
use chrono::{TimeZone, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::sync::Mutex;

pub use reqwest::StatusCode;

#[path = "bench.rs"]
pub mod bench;
pub mod ledger;

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
    let base = base
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .unwrap_or_else(|| base.to_owned());
    Ok(TestServer {
        options,
        url_base: base,
    })
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
            let binaries =
                billing_embedded_pg::PgBinaries::locate(&locate).map_err(|e| e.to_string())?;
            let cluster = billing_embedded_pg::start_throwaway(binaries)
                .await
                .map_err(|e| e.to_string())?;
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
    let mut conn = server
        .options
        .clone()
        .connect()
        .await
        .expect("connect to the test server");
    sqlx::query(&format!("create database {name}"))
        .execute(&mut conn)
        .await
        .expect("create db");
    conn.close().await.ok();
    format!("{}/{name}", server.url_base)
}

/// A router port that records what it was asked to do, and can be told to fail.
#[derive(Debug, Default)]
pub struct RecordingRouter {
    pub calls: Mutex<Vec<(String, String)>>,
    pub failing: std::sync::atomic::AtomicBool,
}

impl RecordingRouter {
    pub fn calls(&self) -> Vec<(String, String)> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn record(&self, action: &str, sub: &RouterSubscription) -> Result<(), RouterPortError> {
        if self.failing.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(RouterPortError::other("router unreachable (test)"));
        }
        if let Ok(mut calls) = self.calls.lock() {
            calls.push((action.to_owned(), sub.login.clone()));
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl RouterPort for RecordingRouter {
    async fn isolate(&self, sub: &RouterSubscription) -> Result<(), RouterPortError> {
        self.record("isolate", sub)
    }

    async fn restore(&self, sub: &RouterSubscription) -> Result<(), RouterPortError> {
        self.record("restore", sub)
    }
}

pub struct TestApp {
    pub app: Option<Application>,
    pub router: Arc<RecordingRouter>,
    pub token: Mutex<Option<(String, chrono::DateTime<Utc>)>>,
    pub admin: String,
    pub public: String,
    pub http: reqwest::Client,
    pub clock: FixedClock,
    pub data_dir: tempfile::TempDir,
    pub database_url: String,
    /// The router port it was started with (kept by [`TestApp::restart`]).
    router_port: Option<Arc<dyn RouterPort>>,
    /// Applied to the settings at every start (restarts too).
    settings: fn(&mut Settings),
}

pub const OWNER: &str = "pemilik";
pub const OWNER_PASSWORD: &str = "kata-sandi-aman-123";

/// Starts the app on a fresh database with a pinned clock.
pub async fn spawn_app() -> TestApp {
    let database_url = fresh_database().await;
    spawn_app_on(&database_url).await
}

pub async fn spawn_app_on(database_url: &str) -> TestApp {
    spawn_app_with(database_url, None).await
}

/// Starts the app with a real router port (e.g. `billing_router::RouterPool`) instead of
/// the recording fake; `TestApp::router` then records nothing.
pub async fn spawn_app_with_router(router: Arc<dyn RouterPort>) -> TestApp {
    let database_url = fresh_database().await;
    spawn_app_with(&database_url, Some(router)).await
}

/// Like [`spawn_app_with_router`], on an existing database that no other app serves.
pub async fn spawn_app_with_router_on(database_url: &str, router: Arc<dyn RouterPort>) -> TestApp {
    spawn_app_with(database_url, Some(router)).await
}

/// Like [`spawn_app_with_router_on`], serving from the data folder of an installation whose
/// app is stopped (its next process, e.g. one started as a child and killed). The returned
/// `TestApp::data_dir` is a placeholder; the app uses `data_dir`.
pub async fn spawn_app_with_router_in(
    data_dir: &std::path::Path,
    database_url: &str,
    router: Arc<dyn RouterPort>,
) -> TestApp {
    let placeholder = tempfile::Builder::new()
        .prefix("mikrobill-test-")
        .tempdir()
        .expect("tempdir");
    let clock = FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0)
            .single()
            .expect("date"),
    );
    try_start_in(placeholder, database_url, Some(router), clock, |s| {
        s.data_dir = data_dir.to_owned();
    })
    .await
    .unwrap_or_else(|e| panic!("the app did not start: {e}"))
}

async fn spawn_app_with(database_url: &str, port: Option<Arc<dyn RouterPort>>) -> TestApp {
    let data_dir = tempfile::Builder::new()
        .prefix("mikrobill-test-")
        .tempdir()
        .expect("tempdir");
    let clock = FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0)
            .single()
            .expect("date"),
    );
    start_in(data_dir, database_url, port, clock).await
}

/// Starts the app on a fresh database after `customise` changed its settings (e.g. the
/// secrets backend); the error, if it does not start.
pub async fn try_spawn_app_with_settings(
    data_dir: tempfile::TempDir,
    database_url: &str,
    customise: impl FnOnce(&mut Settings),
) -> Result<TestApp, String> {
    let clock = FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0)
            .single()
            .expect("date"),
    );
    try_start_in(data_dir, database_url, None, clock, customise).await
}

async fn start_in(
    data_dir: tempfile::TempDir,
    database_url: &str,
    port: Option<Arc<dyn RouterPort>>,
    clock: FixedClock,
) -> TestApp {
    start_in_with(data_dir, database_url, port, clock, |_| {}).await
}

async fn start_in_with(
    data_dir: tempfile::TempDir,
    database_url: &str,
    port: Option<Arc<dyn RouterPort>>,
    clock: FixedClock,
    settings: fn(&mut Settings),
) -> TestApp {
    let mut app = try_start_in(data_dir, database_url, port, clock, settings)
        .await
        .unwrap_or_else(|e| panic!("the app did not start: {e}"));
    app.settings = settings;
    app
}

/// Like [`spawn_app_with_router`], with `settings` applied at this and every later start
/// (e.g. the scheduler's automatic isolation, as a shop runs it).
pub async fn spawn_app_with_router_and_settings(
    router: Arc<dyn RouterPort>,
    settings: fn(&mut Settings),
) -> TestApp {
    let database_url = fresh_database().await;
    let data_dir = tempfile::Builder::new()
        .prefix("mikrobill-test-")
        .tempdir()
        .expect("tempdir");
    let clock = FixedClock::new(
        Utc.with_ymd_and_hms(2026, 11, 28, 1, 0, 0)
            .single()
            .expect("date"),
    );
    start_in_with(data_dir, &database_url, Some(router), clock, settings).await
}

async fn try_start_in(
    data_dir: tempfile::TempDir,
    database_url: &str,
    port: Option<Arc<dyn RouterPort>>,
    clock: FixedClock,
    customise: impl FnOnce(&mut Settings),
) -> Result<TestApp, String> {
    let mut settings = Settings::for_tests(data_dir.path());
    settings.database.mode = DatabaseMode::Remote;
    settings.database.url = Some(SecretString::from(database_url.to_owned()));
    let router = Arc::new(RecordingRouter::default());
    let ports = Ports {
        clock: Arc::new(clock.clone()),
        router: port.clone().unwrap_or_else(|| router.clone()),
    };
    customise(&mut settings);
    let app = Application::build_with(settings, ports)
        .await
        .map_err(|e| e.to_string())?;
    Ok(TestApp {
        router,
        token: Mutex::new(None),
        admin: format!("http://{}", app.admin_addr()),
        public: format!("http://{}", app.public_addr()),
        app: Some(app),
        http: reqwest::Client::new(),
        clock,
        data_dir,
        database_url: database_url.to_owned(),
        router_port: port,
        settings: |_| {},
    })
}

impl TestApp {
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let res = self
            .http
            .post(format!("{}{path}", self.admin))
            .json(&body)
            .send()
            .await
            .expect("send");
        split(res).await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .get(format!("{}{path}", self.admin))
            .send()
            .await
            .expect("send");
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
            .post(
                "/api/setup/owner",
                json!({"username": OWNER, "password": OWNER_PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body
    }

    pub async fn login(&self, username: &str, password: &str) -> (StatusCode, Value) {
        self.post(
            "/api/auth/login",
            json!({"username": username, "password": password}),
        )
        .await
    }

    /// Creates the owner (once) and returns an access token for authenticated calls.
    pub async fn token(&self) -> String {
        use billing_domain::Clock as _;
        let now = self.clock.now();
        let cached = self.token.lock().ok().and_then(|t| t.clone());
        let body = match cached {
            // Access tokens live 15 minutes of the pinned clock, which tests move by months.
            Some((token, at)) if (now - at).num_minutes().abs() < 10 => return token,
            Some(_) => self.login(OWNER, OWNER_PASSWORD).await.1,
            None => self.create_owner().await,
        };
        let token = body["access_token"].as_str().expect("token").to_owned();
        if let Ok(mut slot) = self.token.lock() {
            *slot = Some((token.clone(), now));
        }
        token
    }

    /// Authenticated JSON call; `body` is sent for POST/PUT/PATCH.
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let token = self.token().await;
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.admin))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        split(req.send().await.expect("send")).await
    }

    pub fn ctx(&self) -> billing_app::AppContext {
        self.app.as_ref().expect("running").context().clone()
    }

    pub async fn pool(&self) -> sqlx::PgPool {
        self.app.as_ref().expect("running").context().pool.clone()
    }

    /// Stops the app but keeps its data directory (and keyring secrets), as when the owner
    /// closes it; [`TestApp::restart`] opens it again.
    pub async fn stop(&mut self) {
        if let Some(app) = self.app.take() {
            app.shutdown().await;
        }
    }

    /// Stops the app (if running) and starts it again on the same data directory, database
    /// URL and router port (the keyring secrets are kept), as when the owner closes and
    /// reopens it: the same installation.
    pub async fn restart(mut self) -> TestApp {
        self.stop().await;
        let token = self.token.lock().ok().and_then(|t| t.clone());
        // The data directory moves into the restarted app; a placeholder stays behind.
        let data_dir = std::mem::replace(
            &mut self.data_dir,
            tempfile::Builder::new()
                .prefix("mikrobill-test-")
                .tempdir()
                .expect("tempdir"),
        );
        let restarted = start_in_with(
            data_dir,
            &self.database_url,
            self.router_port.clone(),
            self.clock.clone(),
            self.settings,
        )
        .await;
        if let Ok(mut slot) = restarted.token.lock() {
            *slot = token;
        }
        restarted
    }

    /// Stops the app, keeping what a later start needs (data directory, database, clock, the
    /// cached token, the settings): the shop PC switched off for a while.
    pub async fn power_off(mut self) -> StoppedApp {
        self.stop().await;
        let token = self.token.lock().ok().and_then(|t| t.clone());
        let data_dir = std::mem::replace(
            &mut self.data_dir,
            tempfile::Builder::new()
                .prefix("mikrobill-test-")
                .tempdir()
                .expect("tempdir"),
        );
        StoppedApp {
            data_dir,
            database_url: self.database_url.clone(),
            clock: self.clock.clone(),
            token,
            settings: self.settings,
        }
    }

    /// [`TestApp::restart`] with this router port from now on, e.g. the real adapter talking
    /// to a simulator that lived on meanwhile.
    pub async fn restart_with_router(mut self, router: Arc<dyn RouterPort>) -> TestApp {
        self.router_port = Some(router);
        self.restart().await
    }

    pub async fn shutdown(mut self) {
        if let Some(app) = self.app.take() {
            let secrets = app.secrets().clone();
            app.shutdown().await;
            for name in ["jwt-signing-key", "data-key"] {
                let _ = secrets.delete(name);
            }
        }
    }
}

pub async fn split(res: reqwest::Response) -> (StatusCode, Value) {
    let status = res.status();
    let text = res.text().await.expect("body");
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, value)
}

/// An app that was powered off ([`TestApp::power_off`]): the same installation, not running.
pub struct StoppedApp {
    data_dir: tempfile::TempDir,
    database_url: String,
    pub clock: FixedClock,
    token: Option<(String, chrono::DateTime<Utc>)>,
    settings: fn(&mut Settings),
}

impl StoppedApp {
    /// Starts the app again, with `router` as its router port (a fresh
    /// `billing_router::RouterPool`, as a new process has) or the recording fake.
    pub async fn start(self, router: Option<Arc<dyn RouterPort>>) -> TestApp {
        let started = start_in_with(
            self.data_dir,
            &self.database_url,
            router,
            self.clock,
            self.settings,
        )
        .await;
        if let Ok(mut slot) = started.token.lock() {
            *slot = self.token;
        }
        started
    }
}
