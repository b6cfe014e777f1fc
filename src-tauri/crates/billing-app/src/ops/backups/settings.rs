//! Where backups go, the second folder, how many are kept, and the daily time.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BackupSettings {
    /// Where backups are written.
    pub folder: String,
    /// Whether `folder` is the default one (`DATA_DIR/backups`).
    pub folder_is_default: bool,
    pub default_folder: String,
    /// A second folder (a USB disk, a synced folder) every backup is copied to.
    pub copy_folder: Option<String>,
    /// How many backups are kept; older files are deleted (also from the second folder).
    pub keep: i32,
    /// The daily backup time, `HH:MM` in the business time zone.
    pub daily_time: String,
    pub daily_enabled: bool,
    /// When the next daily backup is due.
    pub next_run_at: Option<DateTime<Utc>>,
    /// Free space where backups are written, in bytes.
    pub free_bytes: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct BackupSettingsInput {
    /// An absolute folder; empty or null for the default (`DATA_DIR/backups`).
    pub folder: Option<String>,
    /// An absolute folder for a second copy; empty or null for none.
    pub copy_folder: Option<String>,
    /// 1 to 365.
    pub keep: i32,
    /// `HH:MM`.
    pub daily_time: String,
    pub daily_enabled: bool,
}

/// The settings row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct Row {
    pub folder: Option<String>,
    pub copy_folder: Option<String>,
    pub keep: i32,
    pub daily_time: NaiveTime,
    pub daily_enabled: bool,
    pub scheduled_since: Option<DateTime<Utc>>,
}

pub(crate) async fn row(ctx: &AppContext) -> Result<Row, Error> {
    Ok(sqlx::query_as(
        "select folder, copy_folder, keep, daily_time, daily_enabled, scheduled_since \
         from backup_settings",
    )
    .fetch_one(&ctx.pool)
    .await?)
}

pub(crate) fn default_folder(ctx: &AppContext) -> PathBuf {
    ctx.ops.data_dir.join("backups")
}

pub(crate) fn folder(ctx: &AppContext, row: &Row) -> PathBuf {
    row.folder
        .as_ref()
        .map(PathBuf::from)
        .unwrap_or_else(|| default_folder(ctx))
}

pub async fn settings(ctx: &AppContext) -> Result<BackupSettings, Error> {
    let row = row(ctx).await?;
    let folder = folder(ctx, &row);
    let free = existing_ancestor(&folder).and_then(|p| fs4::available_space(p).ok());
    let next = row
        .daily_enabled
        .then(|| super::slots::next_slot(ctx.clock.now(), ctx.tz, row.daily_time));
    Ok(BackupSettings {
        folder: folder.display().to_string(),
        folder_is_default: row.folder.is_none(),
        default_folder: default_folder(ctx).display().to_string(),
        copy_folder: row.copy_folder,
        keep: row.keep,
        daily_time: row.daily_time.format("%H:%M").to_string(),
        daily_enabled: row.daily_enabled,
        next_run_at: next,
        free_bytes: free,
    })
}

pub async fn update_settings(
    ctx: &AppContext,
    input: BackupSettingsInput,
) -> Result<BackupSettings, Error> {
    let folder = optional_folder("folder", input.folder)?;
    let copy_folder = optional_folder("copy_folder", input.copy_folder)?;
    if !(1..=365).contains(&input.keep) {
        return Err(Error::validation(
            "keep",
            "keep must be between 1 and 365 backups",
        ));
    }
    let daily_time = NaiveTime::parse_from_str(input.daily_time.trim(), "%H:%M").map_err(|_| {
        Error::validation("daily_time", "daily_time must be a time like 01:30 (HH:MM)")
    })?;
    let target = folder.clone().unwrap_or_else(|| default_folder(ctx));
    prepare_folder(&target).map_err(|m| Error::validation("folder", m))?;
    if let Some(copy) = &copy_folder {
        if same_dir(copy, &target) {
            return Err(Error::validation(
                "copy_folder",
                "the second folder must be another folder than the backup folder",
            ));
        }
        prepare_folder(copy).map_err(|m| Error::validation("copy_folder", m))?;
    }
    // A new time or a newly enabled schedule counts from now: no backup at once.
    sqlx::query(
        "update backup_settings set folder = $1, copy_folder = $2, keep = $3, daily_time = $4, \
         daily_enabled = $5, scheduled_since = case when daily_time <> $4 \
         or (daily_enabled is distinct from $5) then $6 else scheduled_since end",
    )
    .bind(folder.as_ref().map(|p| p.display().to_string()))
    .bind(copy_folder.as_ref().map(|p| p.display().to_string()))
    .bind(input.keep)
    .bind(daily_time)
    .bind(input.daily_enabled)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?;
    settings(ctx).await
}

fn optional_folder(field: &'static str, value: Option<String>) -> Result<Option<PathBuf>, Error> {
    match value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => {
            let path = PathBuf::from(&v);
            if !path.is_absolute() {
                return Err(Error::validation(
                    field,
                    format!("{field} must be a full path (e.g. /media/usb/cadangan or D:\\cadangan), not {v:?}"),
                ));
            }
            Ok(Some(path))
        }
    }
}

/// Creates the folder if needed and checks that files can be written there.
pub(crate) fn prepare_folder(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the folder {}: {e}", dir.display()))?;
    let probe = dir.join(format!(".mikrobill-write-test-{}", std::process::id()));
    std::fs::write(&probe, b"ok")
        .map_err(|e| format!("cannot write to the folder {}: {e}", dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The folder itself or its nearest existing parent (for free-space figures).
pub(crate) fn existing_ancestor(path: &Path) -> Option<&Path> {
    path.ancestors().find(|p| p.exists())
}
