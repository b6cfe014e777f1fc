//! Reaching PostgreSQL: the app's own cluster (mode `local`) or a server by URL
//! (mode `remote`), with errors that tell the user what to do.

use std::str::FromStr;
use std::time::Duration;

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
    #[error("applying database migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Other(#[from] sqlx::Error),
}

/// An open database: the pool, plus the local cluster when we started one.
pub struct Database {
    pub pool: PgPool,
    pub cluster: Option<billing_embedded_pg::RunningCluster>,
    pub target: String,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("target", &self.target)
            .finish()
    }
}

impl Database {
    /// Opens the database the settings describe and applies the migrations.
    pub async fn open(
        settings: &Settings,
        secrets: &SecretStore,
    ) -> Result<Database, DatabaseError> {
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
                let options = PgConnectOptions::from_str(raw)
                    .map_err(|e| DatabaseError::BadUrl(e.to_string()))?;
                let pool = connect(options, settings).await?;
                let target = describe(&pool);
                Database {
                    pool,
                    cluster: None,
                    target,
                }
            }
            DatabaseMode::Local => open_local(settings, secrets).await?,
        };
        billing_db::MIGRATOR.run(&db.pool).await?;
        Ok(db)
    }

    /// Closes the pool and stops the local cluster if this process started it.
    pub async fn close(self) {
        self.pool.close().await;
        if let Some(cluster) = self.cluster {
            if let Err(err) = cluster.stop().await {
                tracing::warn!(error = %err, "stopping the local database failed");
            }
        }
    }
}

async fn open_local(settings: &Settings, secrets: &SecretStore) -> Result<Database, DatabaseError> {
    use billing_embedded_pg::{Cluster, ClusterConfig, LocateOptions, PgBinaries};

    let bundled = settings
        .resource_dir
        .as_ref()
        .map(|r| r.join("postgres").join("bin"));
    let mut locate = LocateOptions::from_env(bundled);
    if let Some(dir) = &settings.database.pg_bin {
        locate.env_bin = Some(dir.clone().into_os_string());
    }
    let binaries = PgBinaries::locate(&locate)?;
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

    let admin = running.connect_options(&password);
    let mut conn = admin
        .clone()
        .connect()
        .await
        .map_err(|e| classify(e, "local cluster"))?;
    ensure_database(&mut conn, &settings.database.name).await?;
    drop(conn);

    let pool = connect(admin.database(&settings.database.name), settings).await?;
    let target = format!("local cluster 127.0.0.1:{}", running.port());
    Ok(Database {
        pool,
        cluster: Some(running),
        target,
    })
}

async fn ensure_database(conn: &mut sqlx::PgConnection, name: &str) -> Result<(), DatabaseError> {
    let exists: bool =
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(&mut *conn)
            .await?;
    if !exists {
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

async fn connect(options: PgConnectOptions, settings: &Settings) -> Result<PgPool, DatabaseError> {
    let target = format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("postgres")
    );
    let pool = PgPoolOptions::new()
        .max_connections(settings.database.max_connections)
        .acquire_timeout(Duration::from_secs(settings.database.connect_timeout_secs))
        // The activity log's trigger learns from the connection who is acting.
        .after_connect(|conn, _| Box::pin(billing_app::audit::attribute_connection(conn)))
        .before_acquire(|conn, _| {
            Box::pin(async move {
                billing_app::audit::attribute_connection(conn).await?;
                Ok(true)
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
