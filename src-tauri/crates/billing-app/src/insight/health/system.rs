//! The scheduler, the daily backup, and disk space.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};

use super::{check, HealthCheck, HealthStatus};
use crate::AppContext;

pub(super) async fn jobs(
    ctx: &AppContext,
    now: DateTime<Utc>,
) -> Result<Vec<HealthCheck>, sqlx::Error> {
    let mut out = vec![if ctx.ops.scheduler_enabled {
        check(
            "scheduler",
            None,
            "scheduler",
            HealthStatus::Ok,
            "scheduler_ok",
            &[],
            "running: billing, payment checks, router status, WhatsApp and backups run by \
             themselves"
                .into(),
        )
    } else {
        check(
            "scheduler",
            None,
            "scheduler",
            HealthStatus::Warning,
            "scheduler_off",
            &[],
            "switched off (billing.jobs = false): nothing runs by itself".into(),
        )
    }];
    let (daily, keep): (bool, i32) =
        sqlx::query_as("select daily_enabled, keep from backup_settings")
            .fetch_one(&ctx.pool)
            .await?;
    let (last, last_ok) = crate::ops::backups::latest(ctx).await?;
    let mut c = match (&last, &last_ok) {
        (Some(l), _) if l.status == "failed" => {
            let err = l.error.clone().unwrap_or_default();
            check(
                "backup",
                Some(l.id.to_string()),
                "backup",
                HealthStatus::Down,
                "backup_failed",
                &[("error", err.clone())],
                format!("the last backup failed: {err}"),
            )
        }
        (_, Some(ok)) if daily && now - ok.started_at > Duration::hours(26) => {
            let days = (now - ok.started_at).num_days().max(1);
            check(
                "backup",
                Some(ok.id.to_string()),
                "backup",
                HealthStatus::Warning,
                "backup_old",
                &[("days", days.to_string())],
                format!("the last backup is {days} day(s) old"),
            )
        }
        (_, Some(ok)) => check(
            "backup",
            Some(ok.id.to_string()),
            "backup",
            HealthStatus::Ok,
            "backup_ok",
            &[("keep", keep.to_string())],
            format!("the last backup was made and verified; the newest {keep} are kept"),
        ),
        (_, None) => check(
            "backup",
            None,
            "backup",
            HealthStatus::Warning,
            "backup_none",
            &[],
            "no backup yet: make one on the Backups page".into(),
        ),
    };
    c.checked_at = last.map(|l| l.started_at);
    out.push(c);
    Ok(out)
}

/// Free space where the data and the backups live; a missing second folder is a warning.
pub(super) async fn disk(ctx: &AppContext) -> Vec<HealthCheck> {
    let folders: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("select folder, copy_folder from backup_settings")
            .fetch_optional(&ctx.pool)
            .await
            .ok()
            .flatten();
    let (folder, copy) = folders.unwrap_or((None, None));
    let mut out = vec![space("data", &ctx.ops.data_dir)];
    if let Some(folder) = folder {
        let path = Path::new(&folder);
        if !path.starts_with(&ctx.ops.data_dir) {
            out.push(space("backups", path));
        }
    }
    if let Some(copy) = copy {
        let path = Path::new(&copy);
        out.push(if path.is_dir() {
            space("copy", path)
        } else {
            check(
                "disk",
                Some(copy.clone()),
                "copy",
                HealthStatus::Warning,
                "disk_copy_missing",
                &[("folder", copy.clone())],
                format!("the second backup folder {copy} is not there (USB disk unplugged?)"),
            )
        });
    }
    out
}

const GIB: u64 = 1 << 30;

fn space(name: &str, path: &Path) -> HealthCheck {
    let folder = path.display().to_string();
    let probe = crate::ops::backups::existing_ancestor(path)
        .map(|p| (fs4::available_space(p), fs4::total_space(p)));
    match probe {
        Some((Ok(free), Ok(total))) => {
            let status = if free < GIB / 5 {
                HealthStatus::Down
            } else if free < GIB || free.saturating_mul(20) < total {
                HealthStatus::Warning
            } else {
                HealthStatus::Ok
            };
            let code = match status {
                HealthStatus::Ok => "disk_ok",
                _ => "disk_low",
            };
            let (f, t) = (gib(free), gib(total));
            check(
                "disk",
                Some(folder.clone()),
                name,
                status,
                code,
                &[
                    ("folder", folder.clone()),
                    ("free_gib", f.clone()),
                    ("total_gib", t.clone()),
                ],
                format!("{f} GiB free of {t} GiB at {folder}"),
            )
        }
        _ => check(
            "disk",
            Some(folder.clone()),
            name,
            HealthStatus::Warning,
            "disk_unknown",
            &[("folder", folder.clone())],
            format!("the free space of {folder} is unknown"),
        ),
    }
}

fn gib(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10) / GIB;
    format!("{}.{}", tenths / 10, tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_shown_in_gib_with_one_decimal() {
        assert_eq!(gib(0), "0.0");
        assert_eq!(gib(GIB + GIB / 2), "1.5");
        assert_eq!(gib(250 * GIB), "250.0");
    }

    #[test]
    fn the_worst_part_decides() {
        assert!(HealthStatus::Down > HealthStatus::Warning);
        assert!(HealthStatus::Warning > HealthStatus::Ok);
    }
}
