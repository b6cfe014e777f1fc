//! Reaching PostgreSQL: the app's own cluster (mode `local`) or a server by URL
//! (mode `remote`), with errors that tell the user what to do.

use std::str::FromStr;
use std::time::Duration;

use std::sync::Arc;

use billing_app::operations::DatabaseServer;
use billing_app::ops::backups::switch::{DatabaseChoice, PoolSwitch};
use billing_app::ops::instances::{ClaimError, Claims, Identity};
use secrecy::ExposeSecret;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};

use crate::secrets::{SecretError, SecretStore};
use crate::settings::{DatabaseMode, Settings};

/// PostgreSQL 13 is the oldest server we support.
pub const MIN_SERVER_VERSION_NUM: i32 = 130_000;

const LOCAL_SUPERUSER: &str = "mikrobill";
const LOCAL_PASSWORD_SECRET: &str = "postgres-password";

#[derive(Debug, thiserror::Error)]
pub enum DatabaseError {
    #[error(
        "cannot reach the database server at {target}: {reason}. Check that it runs and \
             that host and port are right"
    )]
    Unreachable { target: String, reason: String },
    #[error("the database server at {target} rejected the password for user {user:?}")]
    WrongPassword { target: String, user: String },
    #[error(
        "the database {database:?} does not exist on {target}; create it first \
             (for example `createdb {database}`) or fix the URL"
    )]
    DatabaseMissing { target: String, database: String },
    #[error("the database server at {target} refused the connection: {message}")]
    Rejected { target: String, message: String },
    #[error("PostgreSQL 13 or newer is required; {target} runs {version}")]
    ServerTooOld { target: String, version: String },
    #[error("the database URL is not valid: {0}")]
    BadUrl(String),
    #[error("the local database could not start: {0}")]
    Local(#[from] billing_embedded_pg::Error),
    #[error("{0}")]
    Secret(#[from] SecretError),
    #[error(
        "the database password of this installation is missing from the OS keyring \
             ({backend}); the cluster in {dir} cannot be opened without it"
    )]
    PasswordLost { backend: &'static str, dir: String },
    #[error("{0}")]
    Choice(String),
    #[error(
        "the database {database:?} that {file} names as the one in use (restored from a \
         backup) does not exist on {target}; delete {file} to use the configured database \
         {configured:?} again"
    )]
    ChosenMissing {
        database: String,
        configured: String,
        file: String,
        target: String,
    },
    #[error(
        "the database {configured:?} does not exist, but copies restored from backups do \
         ({found}); {file}, which names the one in use, is missing. Restore that file (e.g. \
         {{\"server\": \"local\", \"configured\": \"{configured}\", \"active\": \"<name>\"}}) \
         so no empty database is created in its place"
    )]
    OnlyRestoredCopies {
        configured: String,
        found: String,
        file: String,
    },
    #[error("{0}")]
    Claimed(#[from] ClaimError),
    #[error("applying database migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Other(#[from] sqlx::Error),
}

/// An open database: the pool, plus the local cluster when we started one.
pub struct Database {
    pub pool: PgPool,
    /// The app's own cluster, watched and restarted if it stops (mode `local`).
    pub cluster: Option<LocalCluster>,
    pub target: String,
    /// How pg_dump/pg_restore reach the server (backups).
    pub server: DatabaseServer,
    /// Which database is in use (after a restore, not the configured one).
    pub choice: DatabaseChoice,
    /// Moves the pool to another database after a restore.
    pub switch: Arc<PoolSwitch>,
    /// This serving instance's claim on the database (none for the command-line tools).
    pub claims: Option<Arc<Claims>>,
    heartbeat: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("target", &self.target)
            .finish()
    }
}

impl Database {
    /// Opens the database the settings describe and applies the migrations. A serving
    /// instance (`instance` given) first claims the database, so a second instance on it is
    /// refused before it migrates anything; the command-line tools pass `None`.
    pub async fn open(
        settings: &Settings,
        secrets: &SecretStore,
        instance: Option<&Identity>,
    ) -> Result<Database, DatabaseError> {
        let switch = Arc::new(PoolSwitch::default());
        let app_name =
            instance.map_or_else(|| "mikrobill-cli".to_owned(), |i| i.application_name());
        let db = match settings.database.mode {
            DatabaseMode::Remote => {
                let url = settings.database.url.as_ref().ok_or_else(|| {
                    DatabaseError::BadUrl("remote mode needs database.url".into())
                })?;
                let raw = url.expose_secret();
                if !(raw.starts_with("postgres://") || raw.starts_with("postgresql://")) {
                    return Err(DatabaseError::BadUrl(
                        "it must start with postgres:// or postgresql://".into(),
                    ));
                }
                let mut options = PgConnectOptions::from_str(raw)
                    .map_err(|e| DatabaseError::BadUrl(e.to_string()))?
                    .application_name(&app_name);
                let server = DatabaseServer::remote(raw).map_err(DatabaseError::BadUrl)?;
                let choice =
                    DatabaseChoice::load(&settings.data_dir, &server.key, &server.configured_name)
                        .map_err(DatabaseError::Choice)?;
                if choice.active != server.configured_name {
                    tracing::info!(database = %choice.active, "using the database restored from a backup");
                    options = options.database(&choice.active);
                }
                let pool = connect(options, settings, &switch)
                    .await
                    .map_err(|e| chosen_missing(e, &choice, settings))?;
                let target = describe(&pool);
                Database {
                    pool,
                    cluster: None,
                    target,
                    server,
                    choice,
                    switch,
                    claims: None,
                    heartbeat: None,
                }
            }
            DatabaseMode::Local => open_local(settings, secrets, switch, &app_name).await?,
        };
        let mut db = db;
        if let Some(me) = instance {
            let claims = Arc::new(Claims::new(
                me.clone(),
                (*db.pool.connect_options()).clone(),
            ));
            if let Err(err) = claims.claim(&db.choice.active).await {
                db.close().await;
                return Err(err.into());
            }
            db.claims = Some(claims);
        }
        billing_migrations::MIGRATOR.run(&db.pool).await?;
        if let Some(claims) = db.claims.clone() {
            claims.record().await;
            let every = Duration::from_secs(settings.database.heartbeat_secs.max(1));
            db.heartbeat = Some(tokio::spawn(async move {
                let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
                loop {
                    tick.tick().await;
                    claims.heartbeat().await;
                }
            }));
        }
        Ok(db)
    }

    /// Gives up the claim, closes the pool and stops the local cluster if this process
    /// started it.
    pub async fn close(mut self) {
        if let Some(heartbeat) = self.heartbeat.take() {
            heartbeat.abort();
            let _ = heartbeat.await;
        }
        if let Some(claims) = self.claims.take() {
            claims.release_all().await;
        }
        self.pool.close().await;
        if let Some(cluster) = self.cluster.take() {
            cluster.stop().await;
        }
    }
}

impl Drop for Database {
    /// A start that fails after the database was opened must not leave the heartbeat (and
    /// with it the claim) running.
    fn drop(&mut self) {
        if let Some(heartbeat) = self.heartbeat.take() {
            heartbeat.abort();
        }
    }
}

/// Where the PostgreSQL programs are searched: the installer's bundle, `database.pg_bin` or
/// `MIKROBILL_PG_BIN`, `PATH`, the system locations.
pub fn locate_options(settings: &Settings) -> billing_embedded_pg::LocateOptions {
    let bundled = settings
        .resource_dir
        .as_ref()
        .map(|r| r.join("postgres").join("bin"));
    let mut locate = billing_embedded_pg::LocateOptions::from_env(bundled);
    if let Some(dir) = &settings.database.pg_bin {
        locate.env_bin = Some(dir.clone().into_os_string());
    }
    locate
}

/// A missing restored database gets an error that names `database.json`.
fn chosen_missing(
    err: DatabaseError,
    choice: &DatabaseChoice,
    settings: &Settings,
) -> DatabaseError {
    match err {
        DatabaseError::DatabaseMissing { target, database }
            if choice.active != choice.configured && database == choice.active =>
        {
            DatabaseError::ChosenMissing {
                database,
                configured: choice.configured.clone(),
                file: DatabaseChoice::path(&settings.data_dir)
                    .display()
                    .to_string(),
                target,
            }
        }
        other => other,
    }
}

async fn open_local(
    settings: &Settings,
    secrets: &SecretStore,
    switch: Arc<PoolSwitch>,
    app_name: &str,
) -> Result<Database, DatabaseError> {
    use billing_embedded_pg::{Cluster, ClusterConfig, PgBinaries};

    let binaries = PgBinaries::locate(&locate_options(settings))?;
    let cluster_dir = settings.data_dir.join("pgdata");
    let initialised = cluster_dir.join("PG_VERSION").is_file();
    let password = match secrets.get(LOCAL_PASSWORD_SECRET)? {
        Some(p) => p,
        None if initialised => {
            return Err(DatabaseError::PasswordLost {
                backend: secrets.backend(),
                dir: cluster_dir.display().to_string(),
            })
        }
        None => secrets.get_or_generate(LOCAL_PASSWORD_SECRET, 24)?,
    };
    let mut config = ClusterConfig::new(
        settings.data_dir.clone(),
        LOCAL_SUPERUSER,
        password.clone(),
        binaries,
    );
    config.port = settings.database.port;
    let cluster = Cluster::new(config)?;
    cluster.ensure_initialized().await?;
    let running = cluster.start().await?;

    let admin = running
        .connect_options(&password)
        .application_name(app_name);
    let mut conn = admin
        .clone()
        .connect()
        .await
        .map_err(|e| classify(e, "local cluster"))?;
    let configured = settings.database.name.clone();
    let choice = DatabaseChoice::load(&settings.data_dir, "local", &configured)
        .map_err(DatabaseError::Choice)?;
    let target = format!("local cluster 127.0.0.1:{}", running.port());
    if choice.active == configured {
        ensure_database(&mut conn, &configured, &settings.data_dir).await?;
    } else if !exists(&mut conn, &choice.active).await? {
        return Err(DatabaseError::ChosenMissing {
            database: choice.active.clone(),
            configured,
            file: DatabaseChoice::path(&settings.data_dir)
                .display()
                .to_string(),
            target,
        });
    } else {
        tracing::info!(database = %choice.active, "using the database restored from a backup");
    }
    drop(conn);

    let pool = connect(admin.database(&choice.active), settings, &switch).await?;
    let server = DatabaseServer::local(running.port(), LOCAL_SUPERUSER, password, &configured);
    // A restart must come back on the same port: the pool and pg_dump know that one.
    let mut restart = cluster.config().clone();
    restart.port = Some(running.port());
    Ok(Database {
        pool,
        cluster: Some(LocalCluster::watch(running, restart)),
        target,
        server,
        choice,
        switch,
        claims: None,
        heartbeat: None,
    })
}

/// How often the watchdog looks at the local cluster.
const WATCH_INTERVAL: Duration = Duration::from_secs(2);
/// The longest wait between restart attempts while the cluster cannot start.
const MAX_RESTART_BACKOFF: Duration = Duration::from_secs(60);

/// The app's own PostgreSQL with a watchdog: if the server stops behind the app's back (a crash,
/// the out-of-memory killer, someone ending the process), it is started again on the same port
/// and the pool reconnects by itself; the health page shows the outage and the recovery. Only
/// a server this process started is watched (one reused from another instance belongs to it).
pub struct LocalCluster {
    running: Arc<tokio::sync::Mutex<Option<billing_embedded_pg::RunningCluster>>>,
    stop: tokio_util::sync::CancellationToken,
    watchdog: Option<tokio::task::JoinHandle<()>>,
}

impl LocalCluster {
    fn watch(
        running: billing_embedded_pg::RunningCluster,
        restart: billing_embedded_pg::ClusterConfig,
    ) -> LocalCluster {
        let owned = running.is_owned();
        let running = Arc::new(tokio::sync::Mutex::new(Some(running)));
        let stop = tokio_util::sync::CancellationToken::new();
        let watchdog =
            owned.then(|| tokio::spawn(watchdog(running.clone(), restart, stop.clone())));
        LocalCluster {
            running,
            stop,
            watchdog,
        }
    }

    /// Ends the watchdog, then stops the server (if this process started it).
    pub async fn stop(mut self) {
        self.stop.cancel();
        if let Some(watchdog) = self.watchdog.take() {
            let _ = watchdog.await;
        }
        if let Some(running) = self.running.lock().await.take() {
            if let Err(err) = running.stop().await {
                tracing::warn!(error = %err, "stopping the local database failed");
            }
        }
    }
}

async fn watchdog(
    running: Arc<tokio::sync::Mutex<Option<billing_embedded_pg::RunningCluster>>>,
    restart: billing_embedded_pg::ClusterConfig,
    stop: tokio_util::sync::CancellationToken,
) {
    let mut wait = WATCH_INTERVAL;
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(wait) => {}
        }
        let mut slot = running.lock().await;
        if stop.is_cancelled() {
            return;
        }
        let alive = match slot.as_ref() {
            Some(current) => current.is_running().await,
            None => false,
        };
        if alive {
            wait = WATCH_INTERVAL;
            continue;
        }
        if let Some(gone) = slot.take() {
            tracing::error!(
                port = gone.port(),
                "the local database stopped unexpectedly; starting it again"
            );
            // Marks the handle stopped (pg_ctl finds nothing to stop).
            let _ = gone.stop().await;
        }
        let started = match billing_embedded_pg::Cluster::new(restart.clone()) {
            Ok(cluster) => cluster.start().await,
            Err(err) => Err(err),
        };
        match started {
            Ok(again) => {
                tracing::info!(port = again.port(), "the local database is running again");
                *slot = Some(again);
                wait = WATCH_INTERVAL;
            }
            Err(err) => {
                wait = (wait * 2).min(MAX_RESTART_BACKOFF);
                tracing::error!(error = %err, retry_in = ?wait, "the local database could not be started again");
            }
        }
    }
}

async fn exists(conn: &mut sqlx::PgConnection, name: &str) -> Result<bool, DatabaseError> {
    Ok(
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(&mut *conn)
            .await?,
    )
}

async fn ensure_database(
    conn: &mut sqlx::PgConnection,
    name: &str,
    data_dir: &std::path::Path,
) -> Result<(), DatabaseError> {
    if !exists(conn, name).await? {
        // Never create an empty database where restored copies show the data lives on.
        let restored: Vec<String> = sqlx::query_scalar(
            "select datname::text from pg_database where datname like $1 || '\\_r%' order by 1",
        )
        .bind(
            name.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_"),
        )
        .fetch_all(&mut *conn)
        .await?;
        if !restored.is_empty() {
            return Err(DatabaseError::OnlyRestoredCopies {
                configured: name.to_owned(),
                found: restored.join(", "),
                file: DatabaseChoice::path(data_dir).display().to_string(),
            });
        }
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        sqlx::query(&format!(
            "create database {quoted} encoding 'UTF8' template template0"
        ))
        .execute(&mut *conn)
        .await?;
        tracing::info!(database = name, "created database");
    }
    Ok(())
}

async fn connect(
    options: PgConnectOptions,
    settings: &Settings,
    switch: &Arc<PoolSwitch>,
) -> Result<PgPool, DatabaseError> {
    let target = format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("postgres")
    );
    // After a restore the pool is moved to another database: connections opened before that
    // are closed instead of reused, and a new one must reach the database it was meant for.
    let (on_acquire, on_release, on_connect) = (switch.clone(), switch.clone(), switch.clone());
    // No JIT compilation: the home screen's and reports' aggregates over 100,000+ invoices
    // cost more than `jit_above_cost`, and compiling them took 10–50 ms a query, more than
    // running them (a customer search: 51 ms with JIT, 6.5 ms without).
    let options = options.options([("jit", "off")]);
    let pool = PgPoolOptions::new()
        .max_connections(settings.database.max_connections)
        .acquire_timeout(Duration::from_secs(settings.database.connect_timeout_secs))
        // The activity log's trigger learns from the connection who is acting; a connection
        // older than a database switch (restore) is not handed out again.
        .before_acquire(move |conn, meta| {
            let keep = !on_acquire.is_stale(meta.age);
            Box::pin(async move {
                if keep {
                    billing_app::access::audit::attribute_connection(conn).await?;
                }
                Ok(keep)
            })
        })
        .after_release(move |_conn, meta| {
            let keep = !on_release.is_stale(meta.age);
            Box::pin(async move { Ok(keep) })
        })
        .after_connect(move |conn, _meta| {
            let expected = on_connect.expected_database();
            Box::pin(async move {
                if let Some(expected) = expected {
                    let current: String = sqlx::query_scalar("select current_database()::text")
                        .fetch_one(&mut *conn)
                        .await?;
                    if current != expected {
                        return Err(sqlx::Error::Protocol(format!(
                            "connected to {current} while the app switched to {expected}"
                        )));
                    }
                }
                billing_app::access::audit::attribute_connection(conn).await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await
        .map_err(|e| classify(e, &target))?;
    let version_num: String = sqlx::query_scalar("show server_version_num")
        .fetch_one(&pool)
        .await?;
    let version: String = sqlx::query_scalar("show server_version")
        .fetch_one(&pool)
        .await?;
    check_server_version(&target, &version_num, &version)?;
    Ok(pool)
}

/// Refuses servers older than 13.
pub fn check_server_version(
    target: &str,
    version_num: &str,
    version: &str,
) -> Result<(), DatabaseError> {
    let num: i32 = version_num.trim().parse().unwrap_or(0);
    if num < MIN_SERVER_VERSION_NUM {
        return Err(DatabaseError::ServerTooOld {
            target: target.into(),
            version: version.into(),
        });
    }
    Ok(())
}

fn describe(pool: &PgPool) -> String {
    let o = pool.connect_options();
    format!(
        "{}:{}/{}",
        o.get_host(),
        o.get_port(),
        o.get_database().unwrap_or("postgres")
    )
}

/// Turns a connection failure into a sentence a shop owner can act on.
pub fn classify(err: sqlx::Error, target: &str) -> DatabaseError {
    match &err {
        sqlx::Error::Io(io) => DatabaseError::Unreachable {
            target: target.into(),
            reason: io.to_string(),
        },
        sqlx::Error::PoolTimedOut => DatabaseError::Unreachable {
            target: target.into(),
            reason: "timed out while connecting".into(),
        },
        sqlx::Error::Tls(e) => DatabaseError::Unreachable {
            target: target.into(),
            reason: format!("TLS: {e}"),
        },
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01") => DatabaseError::WrongPassword {
                target: target.into(),
                user: user_from_message(db.message()),
            },
            Some("3D000") => DatabaseError::DatabaseMissing {
                target: target.into(),
                database: quoted_name(db.message()).unwrap_or_default(),
            },
            _ => DatabaseError::Rejected {
                target: target.into(),
                message: db.message().into(),
            },
        },
        _ => DatabaseError::Other(err),
    }
}

fn quoted_name(message: &str) -> Option<String> {
    let start = message.find('"')? + 1;
    let end = message[start..].find('"')? + start;
    Some(message[start..end].to_owned())
}

fn user_from_message(message: &str) -> String {
    quoted_name(message).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_older_than_13_are_refused_with_their_version() {
        let err = check_server_version("db:5432/x", "120017", "12.17").expect_err("too old");
        assert_eq!(
            err.to_string(),
            "PostgreSQL 13 or newer is required; db:5432/x runs 12.17"
        );
        assert!(check_server_version("db", "130000", "13.0").is_ok());
        assert!(check_server_version("db", "150018", "15.18").is_ok());
    }

    #[test]
    fn names_are_taken_from_server_messages() {
        assert_eq!(
            quoted_name("database \"tagihan\" does not exist").as_deref(),
            Some("tagihan")
        );
        assert_eq!(
            user_from_message("password authentication failed for user \"budi\""),
            "budi"
        );
    }
}
