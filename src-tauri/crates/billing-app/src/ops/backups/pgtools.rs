//! Running `pg_dump` and `pg_restore` (found like the server programs, of the server's
//! major version or newer) and creating/dropping databases on the same server.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use billing_embedded_pg::{BundledClient, ClientTools};
use sqlx::PgPool;

use super::census::ident;
use crate::operations::Operations;
use crate::Error;

/// pg_dump and pg_restore give up after this long (a hung server must not hold the lock
/// forever).
const PROGRAM_TIMEOUT: Duration = Duration::from_secs(3 * 3600);

/// The server's version as text and number (`150018`).
pub(crate) async fn server_version(pool: &PgPool) -> Result<(String, i32), Error> {
    let (text, num): (String, String) = sqlx::query_as(
        "select current_setting('server_version'), current_setting('server_version_num')",
    )
    .fetch_one(pool)
    .await?;
    let num: i32 = num.trim().parse().unwrap_or(0);
    Ok((
        text.split_whitespace().next().unwrap_or(&text).to_owned(),
        num,
    ))
}

/// pg_dump/pg_restore of at least the server's major version, or a clear error. The ones the
/// installer bundles come first for the app's own server and last for a remote one (their
/// libpq has no TLS).
pub(crate) async fn locate(
    ops: &Operations,
    server_num: i32,
    server: &str,
) -> Result<ClientTools, Error> {
    let major = u32::try_from(server_num / 10_000).unwrap_or(0);
    let opts = ops.pg_locate.clone();
    let server = server.to_owned();
    let bundled = if ops.server.mode == "local" {
        BundledClient::First
    } else {
        BundledClient::Last
    };
    tokio::task::spawn_blocking(move || ClientTools::locate(&opts, major, &server, bundled))
        .await
        .map_err(|e| Error::Unexpected(e.into()))?
        .map_err(|e| Error::Failed(e.to_string()))
}

/// `pg_dump` of `database` as of the exported `snapshot`, custom format, uncompressed (the
/// archive is compressed as a whole).
pub(crate) async fn dump(
    ops: &Operations,
    tools: &ClientTools,
    database: &str,
    snapshot: &str,
    out: &Path,
) -> Result<(), Error> {
    let mut cmd = tokio::process::Command::new(tools.pg_dump());
    cmd.arg("--format=custom")
        .arg("--compress=0")
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg(format!("--snapshot={snapshot}"))
        .arg("--file")
        .arg(out)
        .arg("--dbname")
        .arg(ops.server.uri(database));
    run(ops, cmd, "pg_dump").await
}

/// `pg_restore` of `dump` into the (empty) database `database`.
pub(crate) async fn restore(
    ops: &Operations,
    tools: &ClientTools,
    database: &str,
    dump: &Path,
) -> Result<(), Error> {
    let jobs = std::thread::available_parallelism()
        .map(|n| n.get().clamp(1, 4))
        .unwrap_or(1);
    let mut cmd = tokio::process::Command::new(tools.pg_restore());
    cmd.arg("--no-owner")
        .arg("--no-privileges")
        .arg("--exit-on-error")
        .arg(format!("--jobs={jobs}"))
        .arg("--dbname")
        .arg(ops.server.uri(database))
        .arg(dump);
    run(ops, cmd, "pg_restore").await
}

async fn run(ops: &Operations, mut cmd: tokio::process::Command, what: &str) -> Result<(), Error> {
    ops.server.apply_env(&mut cmd);
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = cmd
        .spawn()
        .map_err(|e| Error::Failed(format!("{what} could not be started: {e}")))?;
    let output = tokio::time::timeout(PROGRAM_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| Error::Failed(format!("{what} did not finish within 3 hours")))?
        .map_err(|e| Error::Failed(format!("{what} failed: {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(6)..].join("\n");
    Err(Error::Failed(format!(
        "{what} failed ({}): {}",
        output.status,
        if tail.is_empty() { "no message" } else { &tail }
    )))
}

/// Creates an empty database; a user without CREATEDB gets told what is missing.
pub(crate) async fn create_database(pool: &PgPool, name: &str) -> Result<(), Error> {
    sqlx::query(&format!(
        "create database {} encoding 'UTF8' template template0",
        ident(name)
    ))
    .execute(pool)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.code().as_deref() == Some("42501") => {
            Error::Failed(format!(
                "the database user may not create databases, which backups need for checking and \
             restoring (grant it with `alter role <user> createdb`): {}",
                db.message()
            ))
        }
        _ => Error::Failed(format!("creating the database {name} failed: {e}")),
    })?;
    Ok(())
}

/// Drops a database even if connections are left (PostgreSQL 13+).
pub(crate) async fn drop_database(pool: &PgPool, name: &str) -> Result<(), Error> {
    sqlx::query(&format!(
        "drop database if exists {} with (force)",
        ident(name)
    ))
    .execute(pool)
    .await
    .map_err(|e| Error::Failed(format!("dropping the database {name} failed: {e}")))?;
    Ok(())
}

/// Best effort, for cleaning up after a failure.
pub(crate) async fn drop_quietly(pool: &PgPool, name: &str) {
    if let Err(err) = drop_database(pool, name).await {
        tracing::warn!(database = name, error = %err, "could not drop a scratch database");
    }
}

pub(crate) async fn database_exists(pool: &PgPool, name: &str) -> Result<bool, Error> {
    Ok(
        sqlx::query_scalar("select exists (select 1 from pg_database where datname = $1)")
            .bind(name)
            .fetch_one(pool)
            .await?,
    )
}
