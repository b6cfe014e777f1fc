//! First run: which PostgreSQL server the app uses. The local server (the app's own cluster in
//! the data directory) is the default and needs nothing. A remote server is tested here and, when
//! chosen, recorded for the next start: its URL (with the password) goes to the OS keyring as
//! [`URL_SECRET`], and `DATA_DIR/database-server.json` says `remote`. The running app keeps its
//! current database until it is restarted (the owner account is created after that, on the
//! chosen server). Only allowed while no owner exists (the setup rule of `/api/setup/*`).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};

use crate::{AppContext, Error};

/// The keyring entry holding the remote server's URL.
pub const URL_SECRET: &str = "database-url";
const FILE: &str = "database-server.json";
const TEST_TIMEOUT: Duration = Duration::from_secs(8);

/// The content of `database-server.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerChoice {
    /// `local` or `remote`.
    pub mode: String,
    /// `host:port/database` of a remote server (no password), for people reading the file.
    #[serde(default)]
    pub server: Option<String>,
}

impl ServerChoice {
    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE)
    }

    /// The recorded choice; `None` when there is none (the local server).
    pub fn load(data_dir: &Path) -> Result<Option<ServerChoice>, String> {
        let path = Self::path(data_dir);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("{} is not valid: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }

    pub fn is_remote(&self) -> bool {
        self.mode == "remote"
    }
}

/// Why a remote server cannot be used, for an explanation in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DatabaseProblem {
    /// No answer (wrong address, server off, firewall).
    Unreachable,
    /// The address answers but nothing listens on the port.
    Refused,
    /// The server refused the user name or password.
    WrongPassword,
    /// The server's access rules (pg_hba.conf) do not let this computer or user in.
    NotAllowed,
    /// The database named in the URL does not exist.
    NoDatabase,
    /// The encrypted connection failed (sslmode).
    Tls,
    /// Anything else; the detail says what.
    Other,
}

/// The answer of "test connection".
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DatabaseCheck {
    pub ok: bool,
    /// `host:port/database`.
    pub server: String,
    /// `PostgreSQL 16.4 …` when connected.
    pub version: Option<String>,
    pub problem: Option<DatabaseProblem>,
    /// The server's or the network's own message.
    pub detail: Option<String>,
}

fn parse(url: &str) -> Result<PgConnectOptions, Error> {
    let url = url.trim();
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(Error::validation(
            "url",
            "the address must look like postgres://user:password@host:5432/database",
        ));
    }
    PgConnectOptions::from_str(url)
        .map_err(|e| Error::validation("url", format!("the address is not valid: {e}")))
}

fn describe(options: &PgConnectOptions) -> String {
    format!(
        "{}:{}/{}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("postgres")
    )
}

/// Connects once to the server in `url` and reads its version.
pub async fn test_remote(ctx: &AppContext, url: &str) -> Result<DatabaseCheck, Error> {
    ensure_first_run(ctx).await?;
    let options = parse(url)?.disable_statement_logging();
    Ok(check(&options).await)
}

async fn check(options: &PgConnectOptions) -> DatabaseCheck {
    let server = describe(options);
    let attempt = tokio::time::timeout(TEST_TIMEOUT, async {
        let mut conn = sqlx::PgConnection::connect_with(options).await?;
        let version: String = sqlx::query_scalar("select version()")
            .fetch_one(&mut conn)
            .await?;
        let _ = conn.close().await;
        Ok::<_, sqlx::Error>(version)
    })
    .await;
    match attempt {
        Ok(Ok(version)) => DatabaseCheck {
            ok: true,
            server,
            version: Some(version),
            problem: None,
            detail: None,
        },
        Ok(Err(error)) => DatabaseCheck {
            ok: false,
            server,
            version: None,
            problem: Some(problem(&error)),
            detail: Some(error.to_string()),
        },
        Err(_) => DatabaseCheck {
            ok: false,
            server,
            version: None,
            problem: Some(DatabaseProblem::Unreachable),
            detail: Some(format!(
                "no answer within {} seconds",
                TEST_TIMEOUT.as_secs()
            )),
        },
    }
}

fn problem(error: &sqlx::Error) -> DatabaseProblem {
    match error {
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01") => DatabaseProblem::WrongPassword,
            Some("28000") => DatabaseProblem::NotAllowed,
            Some("3D000") => DatabaseProblem::NoDatabase,
            _ => DatabaseProblem::Other,
        },
        sqlx::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => DatabaseProblem::Refused,
            _ => DatabaseProblem::Unreachable,
        },
        sqlx::Error::Tls(_) => DatabaseProblem::Tls,
        sqlx::Error::PoolTimedOut => DatabaseProblem::Unreachable,
        _ => DatabaseProblem::Other,
    }
}

/// What the first-run screen chose.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum DatabaseChoiceInput {
    /// The app's own server (the default).
    Local,
    /// A server reached by `url`; it must pass the connection test.
    Remote {
        #[schema(value_type = String)]
        url: SecretString,
    },
}

/// Records the choice for the next start. A remote server is tested first and only recorded
/// when it answers; returns the test result (or a plain success for the local server).
pub async fn choose(ctx: &AppContext, input: DatabaseChoiceInput) -> Result<DatabaseCheck, Error> {
    ensure_first_run(ctx).await?;
    let data_dir = &ctx.ops.data_dir;
    let path = ServerChoice::path(data_dir);
    match input {
        DatabaseChoiceInput::Local => {
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(Error::Unexpected(anyhow::anyhow!(
                        "removing {}: {e}",
                        path.display()
                    )))
                }
            }
            ctx.secrets.delete(URL_SECRET).map_err(|e| {
                Error::Unexpected(anyhow::Error::new(e).context("removing the database address"))
            })?;
            Ok(DatabaseCheck {
                ok: true,
                server: "local".into(),
                version: None,
                problem: None,
                detail: None,
            })
        }
        DatabaseChoiceInput::Remote { url } => {
            let options = parse(url.expose_secret())?.disable_statement_logging();
            let result = check(&options).await;
            if !result.ok {
                return Ok(result);
            }
            // The keyring first: if it refuses, no file points at a URL that is not stored.
            ctx.secrets
                .set(
                    URL_SECRET,
                    &SecretString::from(url.expose_secret().trim().to_owned()),
                )
                .map_err(|e| {
                    Error::Unexpected(anyhow::Error::new(e).context("storing the database address"))
                })?;
            let choice = ServerChoice {
                mode: "remote".into(),
                server: Some(result.server.clone()),
            };
            let text =
                serde_json::to_string_pretty(&choice).map_err(|e| Error::Unexpected(e.into()))?;
            let tmp = path.with_extension("json.tmp");
            std::fs::write(&tmp, text)
                .and_then(|()| std::fs::rename(&tmp, &path))
                .map_err(|e| {
                    Error::Unexpected(anyhow::anyhow!("writing {}: {e}", path.display()))
                })?;
            tracing::info!(server = %result.server, "remote database chosen; used from the next start");
            Ok(result)
        }
    }
}

async fn ensure_first_run(ctx: &AppContext) -> Result<(), Error> {
    if crate::access::auth::needs_owner(ctx).await? {
        Ok(())
    } else {
        Err(Error::conflict(
            "setup is finished (an owner exists); the database server is changed in settings.toml",
        ))
    }
}
