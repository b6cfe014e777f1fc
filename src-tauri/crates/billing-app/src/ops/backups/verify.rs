//! Checking a backup file: its SHA-256, its members against the manifest, and a restore into
//! a scratch database whose census must equal the one recorded when it was made.

use std::path::{Path, PathBuf};
use std::time::Instant;

use billing_embedded_pg::ClientTools;
use sqlx::{ConnectOptions, Connection};
use uuid::Uuid;

use super::archive::{self, Manifest};
use super::census;
use super::files::{blocking, busy, millis, TempDir};
use super::{pgtools, Backup};
use crate::{AppContext, Error};

/// Checks a stored backup again: checksum, contents, and a restore into a scratch database.
#[tracing::instrument(skip_all, fields(backup_id = %id))]
pub async fn verify(ctx: &AppContext, id: Uuid) -> Result<Backup, Error> {
    let _guard = ctx.ops.busy.try_lock().map_err(|_| busy())?;
    let backup = super::get(ctx, id).await?;
    if backup.status != "ok" {
        return Err(Error::conflict(
            "this backup failed; there is no file to check",
        ));
    }
    let path = backup
        .existing_file()
        .ok_or_else(|| super::missing_file(&backup))?;
    let (server_version, server_num) = pgtools::server_version(&ctx.pool).await?;
    let tools = pgtools::locate(&ctx.ops, server_num, &server_version).await?;
    let started = Instant::now();
    verify_file(ctx, &tools, &path, backup.sha256.as_deref()).await?;
    sqlx::query("update backups set verified_at = $2, verify_ms = $3 where id = $1")
        .bind(id)
        .bind(ctx.clock.now())
        .bind(millis(started))
        .execute(&ctx.pool)
        .await?;
    super::get(ctx, id).await
}

/// The file's checksum and members, then pg_restore into a scratch database whose census
/// must equal the manifest's. The scratch database is always dropped.
pub(crate) async fn verify_file(
    ctx: &AppContext,
    tools: &ClientTools,
    path: &Path,
    expected_sha: Option<&str>,
) -> Result<Manifest, Error> {
    let (manifest, tmp) = open_checked(path, expected_sha).await?;
    let scratch = format!(
        "mikrobill_check_{}",
        &Uuid::new_v4().simple().to_string()[..12]
    );
    pgtools::create_database(&ctx.pool, &scratch).await?;
    let result = restore_and_compare(ctx, tools, &scratch, &tmp.dump(), &manifest).await;
    pgtools::drop_quietly(&ctx.pool, &scratch).await;
    drop(tmp);
    result.map(|()| manifest)
}

/// Checks the file's SHA-256 (when known) and unpacks it, checking every member.
pub(crate) async fn open_checked(
    path: &Path,
    expected_sha: Option<&str>,
) -> Result<(Manifest, TempDirHandle), Error> {
    let name = path
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let parent = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let tmp = TempDir::new(&parent, format!(".check-{}", Uuid::new_v4().simple()))?;
    let (file, expected, into) = (
        path.to_path_buf(),
        expected_sha.map(str::to_owned),
        tmp.0.clone(),
    );
    let opened = blocking(move || -> Result<Manifest, String> {
        let (sha, _) = archive::file_sha256(&file).map_err(|e| format!("cannot be read: {e}"))?;
        if let Some(expected) = expected {
            if sha != expected {
                return Err(
                    "is damaged: its SHA-256 checksum does not match the one recorded \
                            when it was made"
                        .into(),
                );
            }
        }
        archive::extract(&file, &into)
            .map(|x| x.manifest)
            .map_err(|e| format!("cannot be used: {e}"))
    })
    .await?;
    match opened {
        Ok(manifest) => Ok((manifest, TempDirHandle(tmp))),
        Err(message) => Err(Error::validation(
            "backup",
            format!("the backup file {name} {message}"),
        )),
    }
}

/// Keeps the unpacked files until dropped.
pub(crate) struct TempDirHandle(TempDir);

impl TempDirHandle {
    pub(crate) fn dump(&self) -> PathBuf {
        self.0 .0.join(archive::DUMP)
    }
}

/// pg_restore into `database` (empty) and compare its census with the manifest.
pub(crate) async fn restore_and_compare(
    ctx: &AppContext,
    tools: &ClientTools,
    database: &str,
    dump: &Path,
    manifest: &Manifest,
) -> Result<(), Error> {
    if tools.version().major < manifest.database.pg_dump_major {
        return Err(Error::Failed(format!(
            "this backup was written by pg_dump {}; pg_restore {} or newer is needed, but the \
             one found is {} (in {}). Install newer PostgreSQL client programs or set \
             MIKROBILL_PG_BIN",
            manifest.database.pg_dump_version,
            manifest.database.pg_dump_major,
            tools.version(),
            tools.bin_dir().display()
        )));
    }
    pgtools::restore(&ctx.ops, tools, database, dump)
        .await
        .map_err(|e| {
            Error::Failed(format!(
                "the database dump could not be restored (it is unreadable or the server \
                 refused it): {e}"
            ))
        })?;
    let options = (*ctx.pool.connect_options()).clone().database(database);
    let mut conn = options
        .connect()
        .await
        .map_err(|e| Error::Failed(format!("cannot connect to {database}: {e}")))?;
    let mut tx = conn.begin().await?;
    census::fix_text_settings(&mut tx).await?;
    let restored = census::capture(&mut tx).await?;
    tx.commit().await?;
    let _ = conn.close().await;
    let diff = census::differences(&manifest.census, &restored);
    if diff.is_empty() {
        Ok(())
    } else {
        Err(Error::Failed(format!(
            "the restored data does not match the backup: {}",
            diff.join("; ")
        )))
    }
}
