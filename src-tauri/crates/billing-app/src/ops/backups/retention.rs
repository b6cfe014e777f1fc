//! Which backups are kept: the newest N good ones, and failed attempts newer than the oldest kept.

use super::files::sidecar;
use super::Backup;
use crate::{AppContext, Error};

/// What started a backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    Manual,
    Scheduled,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Manual => "manual",
            Trigger::Scheduled => "scheduled",
        }
    }
}

/// Deletes the files (and their copies) and rows of all but the newest `keep` good backups,
/// and failed attempts older than the oldest one kept.
pub(crate) async fn apply_retention(ctx: &AppContext, keep: i32) -> Result<usize, Error> {
    let old: Vec<Backup> = sqlx::query_as(&format!(
        "select {} from backups where status = 'ok' order by started_at desc, id desc offset $1",
        super::COLUMNS
    ))
    .bind(i64::from(keep))
    .fetch_all(&ctx.pool)
    .await?;
    for b in &old {
        remove_with_sidecar(&b.path());
        if let Some(copy) = &b.copy_path {
            remove_with_sidecar(std::path::Path::new(copy));
        }
        sqlx::query("delete from backups where id = $1")
            .bind(b.id)
            .execute(&ctx.pool)
            .await?;
    }
    sqlx::query(
        "delete from backups where status = 'failed' and started_at < \
         (select min(started_at) from (select started_at from backups where status = 'ok' \
          order by started_at desc limit $1) kept)",
    )
    .bind(i64::from(keep))
    .execute(&ctx.pool)
    .await?;
    if !old.is_empty() {
        tracing::info!(removed = old.len(), keep, "old backups removed");
    }
    Ok(old.len())
}

fn remove_with_sidecar(path: &std::path::Path) {
    for p in [path.to_path_buf(), sidecar(path)] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::warn!(file = %p.display(), error = %e, "could not remove an old backup")
            }
        }
    }
}
