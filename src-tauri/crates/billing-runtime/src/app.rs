//! `Application::build(settings)`: the one composition root.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use billing_app::crypto::Cipher;
use billing_app::ports::RouterPort;
use billing_app::{AppContext, AuthConfig};
use billing_domain::{Clock, SystemClock};
use billing_http::{AdminOptions, HttpState};
use secrecy::ExposeSecret;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::database::{Database, DatabaseError};
use crate::demo::Demo;
use crate::jobs::Scheduler;
use crate::secrets::{SecretError, SecretStore};
use crate::Settings;

const JWT_KEY_SECRET: &str = "jwt-signing-key";
const DATA_KEY_SECRET: &str = "data-key";

/// The outside world the app talks to; tests replace parts of it.
#[derive(Debug, Clone)]
pub struct Ports {
    pub clock: Arc<dyn Clock>,
    pub router: Arc<dyn RouterPort>,
}

impl Default for Ports {
    fn default() -> Self {
        Ports {
            clock: Arc::new(SystemClock),
            router: Arc::new(billing_router::RouterPool::default()),
        }
    }
}

/// Why the app could not start, as a sentence for the person in front of it.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Settings(#[from] crate::settings::SettingsError),
    #[error("{0}")]
    Secrets(#[from] SecretError),
    #[error("{0}")]
    Database(#[from] DatabaseError),
    #[error("cannot listen on {addr} for the {listener} listener: {source}{hint}")]
    Bind {
        listener: &'static str,
        addr: SocketAddr,
        hint: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot create the data directory {dir}: {source}")]
    DataDir {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Instance(#[from] crate::instance::InstanceError),
    /// A listener bound but could not say its address.
    #[error("{0}")]
    ListenerAddress(#[source] std::io::Error),
    /// Loading what the app keeps in the database (WhatsApp sessions, gateways, time zone).
    #[error("{what}: {source}")]
    Load {
        what: &'static str,
        #[source]
        source: billing_app::Error,
    },
    #[error("the data key in the keyring is damaged: {0}")]
    DataKey(String),
    /// The data key cannot make a cipher (the message says why).
    #[error("{0}")]
    Cipher(String),
    #[error("business.timezone: {0}")]
    Timezone(String),
    /// `database-server.json` (the first-run wizard's database choice) is unreadable.
    #[error("{0}")]
    ServerChoice(String),
    #[error(
        "{} chooses a remote database server, but its address is missing from the keyring; \
         delete that file to use the local server, or choose the server again",
        .0.display()
    )]
    RemoteAddressMissing(PathBuf),
    #[error("{0}")]
    Scheduler(#[from] tokio_cron_scheduler::JobSchedulerError),
    #[error("{0}")]
    Demo(#[from] crate::demo::DemoError),
}

/// A running mikrobill: database, both listeners, the scheduler.
pub struct Application {
    ctx: AppContext,
    admin_addr: SocketAddr,
    public_addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    servers: Vec<JoinHandle<()>>,
    scheduler: Option<Scheduler>,
    database: Option<Database>,
    demo: Option<Demo>,
    secrets: SecretStore,
    /// Only one process serves from a data folder; released after everything stopped.
    instance_lock: Option<crate::instance::InstanceLock>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("admin_addr", &self.admin_addr)
            .field("public_addr", &self.public_addr)
            .finish()
    }
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        Self::build_with(settings, Ports::default()).await
    }

    pub async fn build_with(
        mut settings: Settings,
        ports: Ports,
    ) -> Result<Application, StartupError> {
        settings.validate()?;
        // The owner's alone (0700): it holds the logs, backups and the database's files.
        crate::owner_only::create_data_dir(&settings.data_dir).map_err(|source| {
            StartupError::DataDir {
                dir: settings.data_dir.clone(),
                source,
            }
        })?;
        let (instance, instance_lock) =
            crate::instance::open(&settings.data_dir, env!("CARGO_PKG_VERSION"))?;
        let secrets = SecretStore::open(&settings.data_dir, &settings.secrets)?;
        tracing::info!(backend = secrets.backend(), "secret store ready");
        apply_server_choice(&mut settings, |name| secrets.get(name))?;

        let database = Database::open(&settings, &secrets, Some(&instance)).await?;
        tracing::info!(target = %database.target, "database ready");
        apply_profile_timezone(&mut settings, &database.pool).await?;
        let signing_key = secrets.get_or_generate(JWT_KEY_SECRET, 48)?;
        // Bind both listeners before anything else is started, so a busy port fails early.
        let admin = bind("admin", settings.admin.addr).await?;
        let public = bind("public", settings.public.addr).await?;
        let admin_addr = admin.local_addr().map_err(StartupError::ListenerAddress)?;
        let public_addr = public.local_addr().map_err(StartupError::ListenerAddress)?;

        let public_url = format!("http://{public_addr}");
        let ctx = context(
            &settings,
            &secrets,
            &database,
            ports,
            signing_key,
            public_url,
        )?;
        billing_app::messaging::reload_sessions(&ctx)
            .await
            .map_err(load("loading the WhatsApp sessions"))?;
        let unknown = billing_app::messaging::recover_after_restart(&ctx)
            .await
            .map_err(load("recovering the WhatsApp queue"))?;
        if unknown > 0 {
            tracing::warn!(
                unknown,
                "WhatsApp messages were being sent when the app stopped"
            );
        }
        billing_app::online::reload_gateways(&ctx)
            .await
            .map_err(load("loading the payment gateways"))?;

        let mut state = HttpState::new(ctx.clone(), env!("CARGO_PKG_VERSION"));
        state.limits = Arc::new(billing_http::admin::limits::AdminLimits::new(
            settings.admin.limits.into(),
        ));
        let ui_dir = resolve_ui_dir(&settings);
        if ui_dir.is_none() {
            tracing::warn!(
                "the dashboard (ui/dist) was not found; the admin page explains how to build it"
            );
        }
        let admin_router = billing_http::admin_router(state.clone(), AdminOptions { ui_dir });
        let public_router = billing_http::public_router(state);

        let (shutdown, rx) = watch::channel(false);
        let servers = vec![
            serve(admin, admin_router, rx.clone()),
            // Each paid shop order's voucher, made as soon as the payment is applied.
            billing_app::vouchers::shop::spawn_delivery(&ctx, rx.clone()),
            serve(public, public_router, rx),
        ];
        let scheduler = if settings.billing.jobs {
            Some(Scheduler::start(ctx.clone()).await?)
        } else {
            None
        };

        let demo = if settings.demo {
            Some(Demo::start(&ctx, &secrets).await?)
        } else {
            None
        };

        tracing::info!(%admin_addr, %public_addr, "mikrobill is running");
        Ok(Application {
            ctx,
            admin_addr,
            public_addr,
            shutdown,
            servers,
            scheduler,
            database: Some(database),
            demo,
            secrets,
            instance_lock: Some(instance_lock),
        })
    }

    pub fn admin_addr(&self) -> SocketAddr {
        self.admin_addr
    }

    pub fn public_addr(&self) -> SocketAddr {
        self.public_addr
    }

    /// The dashboard's address, e.g. `http://127.0.0.1:7878/`.
    pub fn admin_url(&self) -> String {
        format!("http://{}/", self.admin_addr)
    }

    pub fn context(&self) -> &AppContext {
        &self.ctx
    }

    pub fn secrets(&self) -> &SecretStore {
        &self.secrets
    }

    /// What demo mode prints: the login and the simulator's address.
    pub fn demo_banner(&self) -> Option<String> {
        self.demo.as_ref().map(Demo::banner)
    }

    /// Stops the listeners (finishing requests in flight), the scheduler, the demo
    /// router and the local database cluster, in that order.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        // Requests in flight get a few seconds; long-lived streams (live pay-page status)
        // would otherwise hold the shutdown forever.
        for mut server in self.servers.drain(..) {
            if tokio::time::timeout(std::time::Duration::from_secs(5), &mut server)
                .await
                .is_err()
            {
                tracing::warn!("a listener did not stop within 5 s; closing its connections");
                server.abort();
            }
        }
        if let Some(scheduler) = self.scheduler.take() {
            scheduler.shutdown().await;
        }
        if let Some(demo) = self.demo.take() {
            demo.stop().await;
        }
        if let Some(database) = self.database.take() {
            database.close().await;
        }
        drop(self.instance_lock.take());
        tracing::info!("mikrobill stopped");
    }
}

/// Turns a failed load of `what` into a [`StartupError::Load`].
fn load(what: &'static str) -> impl FnOnce(billing_app::Error) -> StartupError {
    move |source| StartupError::Load { what, source }
}

/// The use-case context: the pool, the ports, and the keys from the keyring.
pub(crate) fn context(
    settings: &Settings,
    secrets: &SecretStore,
    database: &Database,
    ports: Ports,
    signing_key: secrecy::SecretString,
    public_fallback_url: String,
) -> Result<AppContext, StartupError> {
    use base64::Engine as _;
    let data_key = secrets.get_or_generate(DATA_KEY_SECRET, 32)?;
    let key = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(data_key.expose_secret())
        .map_err(|e| StartupError::DataKey(e.to_string()))?;
    let tz = settings
        .business
        .timezone
        .parse::<chrono_tz::Tz>()
        .map_err(|e| StartupError::Timezone(e.to_string()))?;
    let cipher = Cipher::new(&key).map_err(|e| StartupError::Cipher(format!("{e:#}")))?;
    let mut ops = billing_app::operations::Operations::new(
        settings.data_dir.clone(),
        settings_snapshot(settings, database),
        crate::database::locate_options(settings),
        database.server.clone(),
        database.switch.clone(),
        database.choice.clone(),
        settings.billing.jobs,
    );
    ops.claims = database.claims.clone();
    Ok(AppContext {
        pool: database.pool.clone(),
        clock: ports.clock,
        auth: Arc::new(AuthConfig::new(
            signing_key.expose_secret().as_bytes().to_vec(),
        )),
        cipher: Arc::new(cipher),
        router: ports.router,
        tz,
        secrets: Arc::new(secrets.clone()),
        gateways: Arc::new(billing_app::online::gateways::GatewayRegistry::default()),
        events: tokio::sync::broadcast::channel(256).0,
        whatsapp: Arc::new(billing_app::messaging::SessionPool::default()),
        public_fallback_url,
        auto_isolate: settings.billing.auto_isolate,
        voucher_batches: Default::default(),
        ops: Arc::new(ops),
        outbox_kick: Default::default(),
    })
}

/// The settings as written into every backup: everything but secrets (no database URL or
/// password; a remote server is named by host and port only).
fn settings_snapshot(settings: &Settings, database: &Database) -> serde_json::Value {
    serde_json::json!({
        "data_dir": settings.data_dir,
        "database": {
            "mode": database.server.mode,
            "server": database.server.key,
            "name": database.server.configured_name,
            "in_use": database.choice.active,
            "port": settings.database.port,
            "pg_bin": settings.database.pg_bin,
            "max_connections": settings.database.max_connections,
            "connect_timeout_secs": settings.database.connect_timeout_secs,
        },
        "admin": { "addr": settings.admin.addr.to_string() },
        "public": { "addr": settings.public.addr.to_string() },
        "business": { "timezone": settings.business.timezone },
        "billing": {
            "jobs": settings.billing.jobs,
            "auto_isolate": settings.billing.auto_isolate,
        },
        "log": { "level": settings.log.level, "file": settings.log.file },
        "secrets": { "backend": settings.secrets.backend },
    })
}

async fn bind(listener: &'static str, addr: SocketAddr) -> Result<TcpListener, StartupError> {
    TcpListener::bind(addr).await.map_err(|source| {
        let hint = if source.kind() == std::io::ErrorKind::AddrInUse {
            " (is mikrobill already running? choose another port in settings.toml)"
        } else {
            ""
        };
        StartupError::Bind {
            listener,
            addr,
            hint,
            source,
        }
    })
}

fn serve(
    listener: TcpListener,
    router: axum::Router,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        // Hyper's own error answers (a request line over 64 KB, …) get the API's JSON shape.
        let result = billing_http::listener::serve(listener, router, async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        })
        .await;
        if let Err(err) = result {
            tracing::error!(error = %err, "listener failed");
        }
    })
}

/// The dashboard: `admin.ui_dir`, the installer's resources, next to the binary, or the
/// source tree (development).
fn resolve_ui_dir(settings: &Settings) -> Option<PathBuf> {
    let mut candidates = Vec::new();
    if let Some(dir) = &settings.admin.ui_dir {
        candidates.push(dir.clone());
    }
    if let Some(res) = &settings.resource_dir {
        candidates.push(res.join("ui"));
    }
    if let Ok(exe) = std::env::current_exe() {
        if let Some(dir) = exe.parent() {
            candidates.push(dir.join("ui"));
        }
    }
    candidates.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../ui/dist"
    )));
    candidates
        .into_iter()
        .find(|d| d.join("index.html").is_file())
}

/// The time zone chosen in the ISP profile (first-run wizard or Settings) wins over
/// settings.toml's `business.timezone`, which stays the default until one is chosen. Read once
/// at start-up: the process keeps one zone for its dates, cron schedules and reports, so a
/// change made while running is used from the next start.
pub(crate) async fn apply_profile_timezone(
    settings: &mut Settings,
    pool: &sqlx::PgPool,
) -> Result<(), StartupError> {
    let saved = billing_app::billing::business::saved_timezone(pool)
        .await
        .map_err(load("reading the business time zone"))?;
    if let Some(tz) = saved {
        if tz.name() != settings.business.timezone {
            tracing::info!(
                timezone = tz.name(),
                settings_toml = %settings.business.timezone,
                "using the time zone chosen in the ISP profile"
            );
        }
        settings.business.timezone = tz.name().to_owned();
    }
    Ok(())
}

/// The first-run wizard's database choice (`DATA_DIR/database-server.json` plus the URL in the
/// keyring, see `billing_app::ops::setup`) applies when nothing else chose a remote server
/// (`database.url`, `MIKROBILL_DATABASE_URL`, `--database-url` win).
pub(crate) fn apply_server_choice(
    settings: &mut Settings,
    secret: impl Fn(&str) -> Result<Option<secrecy::SecretString>, SecretError>,
) -> Result<(), StartupError> {
    use billing_app::ops::setup::{ServerChoice, URL_SECRET};
    if settings.database.mode != crate::settings::DatabaseMode::Local {
        return Ok(());
    }
    let Some(choice) =
        ServerChoice::load(&settings.data_dir).map_err(StartupError::ServerChoice)?
    else {
        return Ok(());
    };
    if !choice.is_remote() {
        return Ok(());
    }
    let url = secret(URL_SECRET)?.ok_or_else(|| {
        StartupError::RemoteAddressMissing(ServerChoice::path(&settings.data_dir))
    })?;
    tracing::info!(server = ?choice.server, "using the remote database chosen at first run");
    settings.database.mode = crate::settings::DatabaseMode::Remote;
    settings.database.url = Some(url);
    Ok(())
}

#[cfg(test)]
mod server_choice_tests {
    use super::*;
    use crate::settings::DatabaseMode;
    use secrecy::{ExposeSecret, SecretString};

    fn settings(dir: &std::path::Path) -> Settings {
        Settings::for_tests(dir)
    }

    fn url(_: &str) -> Result<Option<SecretString>, SecretError> {
        Ok(Some(SecretString::from(
            "postgres://u:p@db.example:5432/isp".to_owned(),
        )))
    }

    #[test]
    fn no_file_keeps_the_local_server() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = settings(dir.path());
        apply_server_choice(&mut s, url).expect("apply");
        assert_eq!(s.database.mode, DatabaseMode::Local);
    }

    #[test]
    fn a_remote_choice_switches_to_the_stored_url() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("database-server.json"),
            r#"{"mode":"remote","server":"db.example:5432/isp"}"#,
        )
        .expect("write");
        let mut s = settings(dir.path());
        apply_server_choice(&mut s, url).expect("apply");
        assert_eq!(s.database.mode, DatabaseMode::Remote);
        let got = s
            .database
            .url
            .as_ref()
            .map(|u| u.expose_secret().to_owned());
        assert_eq!(got.as_deref(), Some("postgres://u:p@db.example:5432/isp"));
    }

    #[test]
    fn a_remote_choice_without_its_url_stops_with_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("database-server.json"),
            r#"{"mode":"remote"}"#,
        )
        .expect("write");
        let mut s = settings(dir.path());
        let err = apply_server_choice(&mut s, |_| Ok(None)).expect_err("missing url");
        assert!(
            err.to_string().contains("missing from the keyring"),
            "{err}"
        );
    }

    #[test]
    fn an_explicit_remote_setting_wins_over_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("database-server.json"),
            r#"{"mode":"remote"}"#,
        )
        .expect("write");
        let mut s = settings(dir.path());
        s.database.mode = DatabaseMode::Remote;
        s.database.url = Some(SecretString::from("postgres://other/db".to_owned()));
        apply_server_choice(&mut s, |_| Ok(None)).expect("untouched");
        let got = s
            .database
            .url
            .as_ref()
            .map(|u| u.expose_secret().to_owned());
        assert_eq!(got.as_deref(), Some("postgres://other/db"));
    }
}
