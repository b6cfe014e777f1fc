//! The daily backup. Called every minute by the scheduler and once at start: a backup runs
//! when a daily slot has passed since the last one, so a PC that was off at the time backs up
//! once when it starts again (never once per missed day). Retention keeps the newest N.

use chrono::{DateTime, Utc};

use super::retention::Trigger;
use super::slots::is_due;
use super::Backup;
use crate::{AppContext, Error};

/// Runs the daily backup if it is due (and no backup or restore is running).
#[tracing::instrument(skip_all)]
pub async fn run_if_due(ctx: &AppContext) -> Result<Option<Backup>, Error> {
    let row = super::settings::row(ctx).await?;
    if !row.daily_enabled {
        return Ok(None);
    }
    let now = ctx.clock.now();
    let Some(since) = row.scheduled_since else {
        // The first look at the schedule: it counts from now.
        sqlx::query(
            "update backup_settings set scheduled_since = $1 where scheduled_since is null",
        )
        .bind(now)
        .execute(&ctx.pool)
        .await?;
        return Ok(None);
    };
    // Successful backups of any kind count; failed ones only when the schedule made them
    // (a failed "create now" must not cancel tonight's backup).
    let last: Option<DateTime<Utc>> = sqlx::query_scalar(
        "select max(started_at) from backups where status = 'ok' or trigger = 'scheduled'",
    )
    .fetch_one(&ctx.pool)
    .await?;
    if !is_due(now, ctx.tz, row.daily_time, since, last) {
        return Ok(None);
    }
    let Ok(guard) = ctx.ops.busy.try_lock() else {
        return Ok(None);
    };
    tracing::info!("daily backup");
    let result = super::create::create_locked(ctx, Trigger::Scheduled).await;
    drop(guard);
    result.map(Some)
}
