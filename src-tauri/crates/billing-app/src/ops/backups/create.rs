//! Making a backup and checking it: the dump is taken inside an exported snapshot whose
//! census (row counts, money checksums) is recorded in the manifest; the written file is then
//! restored into a scratch database on the same server and compared with that census.

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use sqlx::{ConnectOptions, Connection};
use uuid::Uuid;

use super::archive::{self, DumpInfo, Manifest, Member};
use super::census::{self, Census};
use super::files::{blocking, busy, millis, sidecar, TempDir};
use super::retention::{apply_retention, Trigger};
use super::{pgtools, settings, Backup};
use crate::{AppContext, Error};

/// Makes a backup now (the owner's "create now").
#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppContext) -> Result<Backup, Error> {
    let _guard = ctx.ops.busy.try_lock().map_err(|_| busy())?;
    create_locked(ctx, Trigger::Manual).await
}

/// What a successful run produced.
struct Made {
    size: u64,
    sha256: String,
    census: Census,
    server_version: String,
    dump_ms: i64,
    verify_ms: i64,
    copy_path: Option<String>,
    copy_error: Option<String>,
}

pub(crate) async fn create_locked(ctx: &AppContext, trigger: Trigger) -> Result<Backup, Error> {
    let row = settings::row(ctx).await?;
    let folder = settings::folder(ctx, &row);
    let id = Uuid::now_v7();
    let started_at = ctx.clock.now();
    let local = started_at.with_timezone(&ctx.tz);
    let file_name = format!(
        "mikrobill-{}-{}.tar.gz",
        local.format("%Y%m%d-%H%M%S"),
        &id.simple().to_string()[24..]
    );
    if row.folder.is_none() && settings::prepare_folder(&folder).is_ok() {
        restrict(&folder);
    }
    let result = make(
        ctx,
        id,
        started_at,
        &folder,
        &file_name,
        row.copy_folder.as_deref(),
    )
    .await;
    let finished_at = ctx.clock.now();
    let folder_text = folder.display().to_string();
    match result {
        Ok(made) => {
            sqlx::query(
                "insert into backups (id, file_name, folder, trigger, status, size_bytes, sha256, \
                 server_version, table_count, row_count, dump_ms, verify_ms, verified_at, \
                 copy_path, copy_error, started_at, finished_at) \
                 values ($1, $2, $3, $4, 'ok', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $12)",
            )
            .bind(id)
            .bind(&file_name)
            .bind(&folder_text)
            .bind(trigger.as_str())
            .bind(i64::try_from(made.size).unwrap_or(i64::MAX))
            .bind(&made.sha256)
            .bind(&made.server_version)
            .bind(i32::try_from(made.census.tables.len()).unwrap_or(i32::MAX))
            .bind(made.census.total_rows())
            .bind(made.dump_ms)
            .bind(made.verify_ms)
            .bind(finished_at)
            .bind(&made.copy_path)
            .bind(&made.copy_error)
            .bind(started_at)
            .execute(&ctx.pool)
            .await?;
            tracing::info!(
                file = %file_name,
                size = made.size,
                dump_ms = made.dump_ms,
                verify_ms = made.verify_ms,
                "backup written and verified"
            );
            if let Err(err) = apply_retention(ctx, row.keep).await {
                tracing::warn!(error = %err, "removing old backups failed");
            }
            super::get(ctx, id).await
        }
        Err(err) => {
            tracing::error!(error = %err, "backup failed");
            sqlx::query(
                "insert into backups (id, file_name, folder, trigger, status, error, started_at, \
                 finished_at) values ($1, $2, $3, $4, 'failed', $5, $6, $7)",
            )
            .bind(id)
            .bind(&file_name)
            .bind(&folder_text)
            .bind(trigger.as_str())
            .bind(err.to_string())
            .bind(started_at)
            .bind(finished_at)
            .execute(&ctx.pool)
            .await?;
            Err(err)
        }
    }
}

async fn make(
    ctx: &AppContext,
    id: Uuid,
    created_at: DateTime<Utc>,
    folder: &Path,
    file_name: &str,
    copy_folder: Option<&str>,
) -> Result<Made, Error> {
    let ops = &ctx.ops;
    settings::prepare_folder(folder)
        .map_err(|m| Error::Failed(format!("the backup folder cannot be used: {m}")))?;
    let (server_version, server_num) = pgtools::server_version(&ctx.pool).await?;
    let tools = pgtools::locate(ops, server_num, &server_version).await?;
    let tmp = TempDir::new(folder, format!(".tmp-{}", id.simple()))?;
    let dump_path = tmp.0.join(archive::DUMP);

    // The snapshot: census and pg_dump see exactly the same data.
    let options = (*ctx.pool.connect_options()).clone();
    let database = options.get_database().unwrap_or("postgres").to_owned();
    let mut conn = options
        .connect()
        .await
        .map_err(|e| Error::Failed(format!("cannot open a connection for the backup: {e}")))?;
    sqlx::query("begin isolation level repeatable read read only")
        .execute(&mut conn)
        .await?;
    census::fix_text_settings(&mut conn).await?;
    let snapshot: String = sqlx::query_scalar("select pg_export_snapshot()")
        .fetch_one(&mut conn)
        .await?;
    let census = census::capture(&mut conn).await?;
    let started = Instant::now();
    let dumped = pgtools::dump(ops, &tools, &database, &snapshot, &dump_path).await;
    let dump_ms = millis(started);
    let _ = sqlx::query("commit").execute(&mut conn).await;
    let _ = conn.close().await;
    dumped?;

    let settings_json = serde_json::to_vec_pretty(&serde_json::json!({
        "runtime": ops.settings_snapshot,
        "backup": settings::settings(ctx).await?,
    }))
    .map_err(|e| Error::Unexpected(e.into()))?;
    let dest = folder.join(file_name);
    let partial = folder.join(format!("{file_name}.partial"));
    let manifest = Manifest {
        format: archive::FORMAT.into(),
        format_version: archive::FORMAT_VERSION,
        backup_id: id,
        created_at,
        app_version: env!("CARGO_PKG_VERSION").into(),
        database: DumpInfo {
            name: database,
            server_version: server_version.clone(),
            server_version_num: server_num,
            pg_dump_version: tools.version().text.clone(),
            pg_dump_major: tools.version().major,
        },
        files: Vec::new(),
        census: census.clone(),
    };
    let written = {
        let (partial, dest, dump_path) = (partial.clone(), dest.clone(), dump_path.clone());
        blocking(move || -> std::io::Result<(u64, String)> {
            let (dump_sha, dump_size) = archive::file_sha256(&dump_path)?;
            let mut manifest = manifest;
            manifest.files = vec![
                member(archive::SETTINGS, &settings_json),
                Member {
                    name: archive::DUMP.into(),
                    size: dump_size,
                    sha256: dump_sha,
                },
            ];
            let _ = std::fs::remove_file(&partial);
            let (size, sha) = archive::write(&partial, &manifest, &settings_json, &dump_path)?;
            restrict_file(&partial);
            std::fs::rename(&partial, &dest)?;
            write_sidecar(&dest, &sha)?;
            Ok((size, sha))
        })
        .await?
    };
    drop(tmp);
    let (size, sha256) = match written {
        Ok(w) => w,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(Error::Failed(format!(
                "writing the backup file {} failed: {e}",
                dest.display()
            )));
        }
    };

    let started = Instant::now();
    if let Err(err) = super::verify::verify_file(ctx, &tools, &dest, Some(&sha256)).await {
        remove_quietly(&dest);
        return Err(match err {
            Error::Validation { message, .. } | Error::Failed(message) => {
                Error::Failed(format!("the new backup did not pass its check: {message}"))
            }
            other => other,
        });
    }
    let verify_ms = millis(started);
    let (copy_path, copy_error) = match copy_folder {
        Some(copy) => match copy_to(&dest, Path::new(copy), &sha256).await {
            Ok(path) => (Some(path.display().to_string()), None),
            Err(message) => {
                tracing::warn!(error = %message, "copy to the second folder failed");
                (None, Some(message))
            }
        },
        None => (None, None),
    };
    Ok(Made {
        size,
        sha256,
        census,
        server_version,
        dump_ms,
        verify_ms,
        copy_path,
        copy_error,
    })
}

fn member(name: &str, data: &[u8]) -> Member {
    use sha2::Digest as _;
    Member {
        name: name.into(),
        size: data.len() as u64,
        sha256: hex::encode(sha2::Sha256::digest(data)),
    }
}

fn write_sidecar(file: &Path, sha: &str) -> std::io::Result<()> {
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    std::fs::write(sidecar(file), format!("{sha}  {name}\n"))
}

/// Copies the file to the second folder and checks the copy's checksum.
async fn copy_to(file: &Path, folder: &Path, sha: &str) -> Result<PathBuf, String> {
    let (file, folder, sha) = (file.to_path_buf(), folder.to_path_buf(), sha.to_owned());
    blocking(move || {
        if !folder.is_dir() {
            return Err(format!(
                "the second folder {} is not there (is the USB disk plugged in?)",
                folder.display()
            ));
        }
        let dest = folder.join(file.file_name().unwrap_or_default());
        let partial = folder.join(format!(
            "{}.partial",
            file.file_name().unwrap_or_default().to_string_lossy()
        ));
        let fail = |e: std::io::Error| format!("copying to {} failed: {e}", folder.display());
        std::fs::copy(&file, &partial).map_err(fail)?;
        let (copied, _) = archive::file_sha256(&partial).map_err(fail)?;
        if copied != sha {
            let _ = std::fs::remove_file(&partial);
            return Err(format!(
                "the copy in {} does not match the original (the disk may be failing)",
                folder.display()
            ));
        }
        std::fs::rename(&partial, &dest).map_err(fail)?;
        write_sidecar(&dest, &sha).map_err(fail)?;
        Ok(dest)
    })
    .await
    .map_err(|e| e.to_string())?
}

fn remove_quietly(file: &Path) {
    let _ = std::fs::remove_file(file);
    let _ = std::fs::remove_file(sidecar(file));
}

/// Backups hold every customer's data: only the app's user may read the default folder.
fn restrict(folder: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(folder) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                let _ = std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = folder;
}

fn restrict_file(file: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = file;
}
