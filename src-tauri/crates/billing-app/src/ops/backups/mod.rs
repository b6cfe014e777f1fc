//! Backups: `pg_dump` of the database plus the app's settings (never secrets) in one
//! compressed file with a SHA-256 checksum; each one verified by restoring it into a scratch
//! database and comparing every table's row count and the money tables' checksums with what
//! the dump's snapshot held. Restores go into a new database, are verified the same way, and
//! the app switches to it while keeping the previous database until the owner confirms.
//! A daily backup (with catch-up after the PC was off), a retention count and a copy to a
//! second folder.

pub mod archive;
pub mod census;
mod create;
mod files;
mod pgtools;
mod restore;
mod retention;
mod schedule;
mod sessions;
mod settings;
mod signed_in;
mod slots;
pub mod switch;
mod verify;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

pub use create::create;
pub use restore::{confirm_restore, restore, undo_restore, ConfirmOutcome, RestoreOutcome};
pub use retention::Trigger;
pub use schedule::run_if_due;
pub(crate) use settings::existing_ancestor;
pub use settings::{settings, update_settings, BackupSettings, BackupSettingsInput};
pub use verify::verify;

use crate::{AppContext, Error};

/// One backup attempt.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Backup {
    pub id: Uuid,
    pub file_name: String,
    /// The folder the file was written to.
    pub folder: String,
    /// `manual` or `scheduled`.
    pub trigger: String,
    /// `ok` (written and verified) or `failed` (see `error`).
    pub status: String,
    pub size_bytes: Option<i64>,
    /// SHA-256 of the whole file (also in `<file>.sha256` next to it).
    pub sha256: Option<String>,
    /// PostgreSQL version of the server that was backed up.
    pub server_version: Option<String>,
    pub table_count: Option<i32>,
    pub row_count: Option<i64>,
    /// How long pg_dump took.
    pub dump_ms: Option<i64>,
    /// How long the check (restore into a scratch database and compare) took.
    pub verify_ms: Option<i64>,
    pub verified_at: Option<DateTime<Utc>>,
    /// Where the copy in the second folder is, when it was made.
    pub copy_path: Option<String>,
    /// Why the copy to the second folder failed (the backup itself is fine).
    pub copy_error: Option<String>,
    /// Why the backup failed.
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// Whether the file is still in its folder.
    #[sqlx(skip)]
    pub file_present: bool,
}

impl Backup {
    pub fn path(&self) -> PathBuf {
        Path::new(&self.folder).join(&self.file_name)
    }

    /// The file, or its copy in the second folder when the original is gone.
    pub fn existing_file(&self) -> Option<PathBuf> {
        let main = self.path();
        if main.is_file() {
            return Some(main);
        }
        self.copy_path
            .as_ref()
            .map(PathBuf::from)
            .filter(|p| p.is_file())
    }
}

const COLUMNS: &str = "id, file_name, folder, trigger, status, size_bytes, sha256, \
    server_version, table_count, row_count, dump_ms, verify_ms, verified_at, copy_path, \
    copy_error, error, started_at, finished_at";

/// The list page: every backup (newest first), the restore waiting for confirmation, and
/// whether a backup or restore is running now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BackupList {
    pub items: Vec<Backup>,
    pub pending_restore: Option<PendingRestore>,
    pub running: bool,
}

/// A restore the owner has not confirmed yet: the app uses `active_database`, and
/// `previous_database` is kept until confirmed (then dropped) or undone (switched back).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PendingRestore {
    pub backup_id: Option<Uuid>,
    pub file_name: Option<String>,
    pub active_database: String,
    pub previous_database: String,
    pub switched_at: Option<DateTime<Utc>>,
}

pub async fn list(ctx: &AppContext) -> Result<BackupList, Error> {
    let mut items: Vec<Backup> = sqlx::query_as(&format!(
        "select {COLUMNS} from backups order by started_at desc, id desc"
    ))
    .fetch_all(&ctx.pool)
    .await?;
    for b in &mut items {
        b.file_present = b.status == "ok" && b.path().is_file();
    }
    Ok(BackupList {
        items,
        pending_restore: pending_restore(ctx),
        running: ctx.ops.busy.try_lock().is_err(),
    })
}

pub async fn get(ctx: &AppContext, id: Uuid) -> Result<Backup, Error> {
    let mut b: Backup = sqlx::query_as(&format!("select {COLUMNS} from backups where id = $1"))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("backup"))?;
    b.file_present = b.status == "ok" && b.path().is_file();
    Ok(b)
}

/// The file to download: the backup's file (or its copy), with its name.
pub async fn file(ctx: &AppContext, id: Uuid) -> Result<(PathBuf, Backup), Error> {
    let b = get(ctx, id).await?;
    if b.status != "ok" {
        return Err(Error::conflict("this backup failed; there is no file"));
    }
    let path = b.existing_file().ok_or_else(|| missing_file(&b))?;
    Ok((path, b))
}

pub(crate) fn missing_file(b: &Backup) -> Error {
    let mut where_ = b.folder.clone();
    if let Some(copy) = &b.copy_path {
        where_.push_str(&format!(" nor {copy}"));
    }
    Error::validation(
        "backup",
        format!(
            "the backup file {} is gone: it is not in {where_}",
            b.file_name
        ),
    )
}

pub fn pending_restore(ctx: &AppContext) -> Option<PendingRestore> {
    let choice = ctx.ops.choice();
    choice.previous.map(|previous| PendingRestore {
        backup_id: choice.restored_backup,
        file_name: choice.restored_file,
        active_database: choice.active,
        previous_database: previous,
        switched_at: choice.switched_at,
    })
}

/// The newest backup attempt (for the health page).
pub(crate) async fn latest(
    ctx: &AppContext,
) -> Result<(Option<Backup>, Option<Backup>), sqlx::Error> {
    let last: Option<Backup> = sqlx::query_as(&format!(
        "select {COLUMNS} from backups order by started_at desc limit 1"
    ))
    .fetch_optional(&ctx.pool)
    .await?;
    let last_ok: Option<Backup> = sqlx::query_as(&format!(
        "select {COLUMNS} from backups where status = 'ok' order by started_at desc limit 1"
    ))
    .fetch_optional(&ctx.pool)
    .await?;
    Ok((last, last_ok))
}
