//! Restoring a backup into a new database, checking it, and switching the app to it; the
//! previous database is kept until the owner confirms (then dropped) or undoes the restore
//! (the app switches back and the restored copy is dropped).

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::files::busy;
use super::sessions::{close_for_drop, refuse_if_used, reopen};
use super::signed_in::{carry, pool_on, Carried};
use super::switch::DatabaseChoice;
use super::verify::{open_checked, restore_and_compare};
use super::{pgtools, Backup};
use crate::access::current_user::CurrentUser;
use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RestoreOutcome {
    pub backup_id: Uuid,
    /// The database the app uses now.
    pub active_database: String,
    /// The database used before; kept until the restore is confirmed.
    pub previous_database: String,
    pub tables: usize,
    pub rows: i64,
    /// When the restored data was backed up.
    pub backed_up_at: DateTime<Utc>,
    /// Whether the person who restored stays signed in (their account and session were
    /// carried into the restored data); every other account is as the backup has it.
    pub signed_in_kept: bool,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConfirmOutcome {
    /// The database now in use.
    pub active_database: String,
    /// The database that was dropped (confirm) or switched back to (undo).
    pub previous_database: String,
    pub message: String,
}

/// Restores backup `id` into a new database, checks it against the backup's census, brings
/// its schema up to date and switches the app to it. `by`, the signed-in user who asked,
/// keeps their account and session in the restored data.
#[tracing::instrument(skip_all, fields(backup_id = %id))]
pub async fn restore(
    ctx: &AppContext,
    id: Uuid,
    by: Option<&CurrentUser>,
) -> Result<RestoreOutcome, Error> {
    let _guard = ctx.ops.busy.try_lock().map_err(|_| busy())?;
    let choice = ctx.ops.choice();
    if let Some(previous) = &choice.previous {
        return Err(Error::conflict(format!(
            "an earlier restore is waiting for your confirmation (the previous data is kept in \
             database {previous}); confirm or undo it first"
        )));
    }
    refuse_if_used(
        ctx,
        &choice.active,
        "Memulihkan sekarang akan meninggalkannya pada data lama sementara PC ini pindah ke data \
         cadangan.",
        "A restore now would leave it on the old data while this PC moves to the backup's.",
    )
    .await?;
    let backup: Backup = super::get(ctx, id).await?;
    if backup.status != "ok" {
        return Err(Error::conflict(
            "this backup failed; there is no file to restore",
        ));
    }
    let path = backup
        .existing_file()
        .ok_or_else(|| super::missing_file(&backup))?;
    let (server_version, server_num) = pgtools::server_version(&ctx.pool).await?;
    let tools = pgtools::locate(&ctx.ops, server_num, &server_version).await?;
    let (manifest, unpacked) = open_checked(&path, backup.sha256.as_deref()).await?;

    let now = ctx.clock.now();
    let target = restored_name(&choice.configured, now);
    pgtools::create_database(&ctx.pool, &target).await?;
    let prepared = prepare(ctx, &tools, &target, &unpacked.dump(), &manifest, by).await;
    drop(unpacked);
    let carried = match prepared {
        Ok(carried) => carried,
        Err(err) => {
            pgtools::drop_quietly(&ctx.pool, &target).await;
            return Err(err);
        }
    };

    // This instance claims the restored database before it uses it (and keeps its claim on
    // the previous one until the restore is confirmed or undone).
    if let Some(claims) = &ctx.ops.claims {
        if let Err(err) = claims.claim(&target).await {
            pgtools::drop_quietly(&ctx.pool, &target).await;
            return Err(Error::Failed(err.to_string()));
        }
    }
    let previous = choice.active.clone();
    let next = DatabaseChoice {
        active: target.clone(),
        previous: Some(previous.clone()),
        restored_backup: Some(id),
        restored_file: Some(backup.file_name.clone()),
        switched_at: Some(now),
        ..choice
    };
    if let Err(e) = next.save(&ctx.ops.data_dir) {
        pgtools::drop_quietly(&ctx.pool, &target).await;
        return Err(Error::Failed(format!(
            "the restored database could not be recorded in {}: {e}",
            DatabaseChoice::path(&ctx.ops.data_dir).display()
        )));
    }
    let old_routers = router_ids(ctx).await;
    ctx.ops.set_choice(next);
    ctx.ops.switch.switch(&ctx.pool, &target);
    if let Some(claims) = &ctx.ops.claims {
        claims.record().await;
    }
    after_switch(ctx, old_routers).await;
    let local = manifest.created_at.with_timezone(&ctx.tz);
    tracing::warn!(backup = %backup.file_name, database = %target, previous = %previous,
        "restored a backup; the previous database is kept until the owner confirms");
    Ok(RestoreOutcome {
        backup_id: id,
        active_database: target.clone(),
        previous_database: previous.clone(),
        tables: manifest.census.tables.len(),
        rows: manifest.census.total_rows(),
        backed_up_at: manifest.created_at,
        signed_in_kept: carried == Carried::Kept,
        message: format!(
            "The data of {} is now in use (database {target}). The data from before the \
             restore is kept in database {previous} until you confirm; undo to go back to it.{}",
            local.format("%Y-%m-%d %H:%M"),
            match carried {
                Carried::Kept => " You stay signed in; the other accounts are as in the backup.",
                Carried::NameTaken =>
                    " The backup has another account with your user name: \
                     sign in with that account's password to confirm or undo.",
                Carried::NoSession => "",
            }
        ),
    })
}

/// The owner keeps the restored data: the previous database is dropped.
#[tracing::instrument(skip_all, fields(backup_id = %id))]
pub async fn confirm_restore(ctx: &AppContext, id: Uuid) -> Result<ConfirmOutcome, Error> {
    let _guard = ctx.ops.busy.try_lock().map_err(|_| busy())?;
    let choice = pending_for(ctx, id)?;
    let previous = choice.previous.clone().unwrap_or_default();
    // Only this app's own connections may be left on it (the pool's older ones, the claim):
    // never drop a database someone else uses.
    close_for_drop(
        ctx,
        &previous,
        "Database itu tidak dihapus; pemulihan masih menunggu konfirmasi.",
        "It was not deleted; the restore still waits for confirmation.",
    )
    .await?;
    let next = DatabaseChoice {
        previous: None,
        ..choice.clone()
    };
    if let Err(e) = next.save(&ctx.ops.data_dir) {
        reopen(ctx, &previous).await;
        return Err(Error::Failed(format!(
            "recording the confirmation failed: {e}"
        )));
    }
    ctx.ops.set_choice(next);
    if let Some(claims) = &ctx.ops.claims {
        claims.release(&previous).await;
    }
    if let Err(err) = pgtools::drop_database(&ctx.pool, &previous).await {
        reopen(ctx, &previous).await;
        return Err(err);
    }
    tracing::warn!(dropped = %previous, "restore confirmed; the previous database was dropped");
    Ok(ConfirmOutcome {
        active_database: choice.active.clone(),
        previous_database: previous.clone(),
        message: format!(
            "Restore confirmed. The data from before the restore (database {previous}) was deleted."
        ),
    })
}

/// The owner goes back to the data from before the restore; the restored copy is dropped.
#[tracing::instrument(skip_all, fields(backup_id = %id))]
pub async fn undo_restore(
    ctx: &AppContext,
    id: Uuid,
    by: Option<&CurrentUser>,
) -> Result<ConfirmOutcome, Error> {
    let _guard = ctx.ops.busy.try_lock().map_err(|_| busy())?;
    let choice = pending_for(ctx, id)?;
    let previous = choice.previous.clone().unwrap_or_default();
    if !pgtools::database_exists(&ctx.pool, &previous).await? {
        return Err(Error::Failed(format!(
            "the previous database {previous} no longer exists; the restored data stays in use"
        )));
    }
    let restored = choice.active.clone();
    if let Some(claims) = &ctx.ops.claims {
        claims
            .claim(&previous)
            .await
            .map_err(|e| Error::conflict(e.to_string()))?;
    }
    refuse_if_used(
        ctx,
        &restored,
        "Pemulihan tidak dibatalkan; data cadangan tetap dipakai.",
        "The restore was not undone; the backup's data stays in use.",
    )
    .await?;
    let next = DatabaseChoice {
        active: previous.clone(),
        previous: None,
        restored_backup: None,
        restored_file: None,
        switched_at: Some(ctx.clock.now()),
        ..choice
    };
    // The one undoing stays signed in on the data from before, even if they signed in
    // only after the restore.
    let previous_pool = pool_on(ctx, &previous).await?;
    let carried = carry(ctx, &previous_pool, by).await;
    previous_pool.close().await;
    carried?;
    next.save(&ctx.ops.data_dir)
        .map_err(|e| Error::Failed(format!("recording the undo failed: {e}")))?;
    let old_routers = router_ids(ctx).await;
    ctx.ops.set_choice(next);
    ctx.ops.switch.switch(&ctx.pool, &previous);
    after_switch(ctx, old_routers).await;
    if let Some(claims) = &ctx.ops.claims {
        claims.release(&restored).await;
        claims.record().await;
    }
    // The restored copy goes only if no one else connected to it meanwhile.
    match close_for_drop(
        ctx,
        &restored,
        "Salinan pulihan disimpan.",
        "The restored copy was kept.",
    )
    .await
    {
        Ok(()) => pgtools::drop_quietly(&ctx.pool, &restored).await,
        Err(err) => {
            tracing::warn!(database = %restored, error = %err, "the restored copy was kept")
        }
    }
    tracing::warn!(database = %previous, dropped = %restored, "restore undone");
    Ok(ConfirmOutcome {
        active_database: previous.clone(),
        previous_database: restored,
        message: format!(
            "Restore undone: the data from before the restore (database {previous}) is in use again."
        ),
    })
}

fn pending_for(ctx: &AppContext, id: Uuid) -> Result<DatabaseChoice, Error> {
    let choice = ctx.ops.choice();
    if choice.previous.is_none() {
        return Err(Error::conflict("no restore is waiting for confirmation"));
    }
    if choice.restored_backup != Some(id) {
        return Err(Error::conflict(
            "the restore waiting for confirmation is of another backup",
        ));
    }
    Ok(choice)
}

async fn prepare(
    ctx: &AppContext,
    tools: &billing_embedded_pg::ClientTools,
    target: &str,
    dump: &std::path::Path,
    manifest: &super::archive::Manifest,
    by: Option<&CurrentUser>,
) -> Result<Carried, Error> {
    restore_and_compare(ctx, tools, target, dump, manifest).await?;
    migrate_and_carry_over(ctx, target, by).await
}

/// `<configured>_r<yyyymmddhhmmss><4 hex>`, at most 63 bytes.
fn restored_name(configured: &str, now: DateTime<Utc>) -> String {
    let base: String = configured.chars().take(40).collect();
    let suffix = &Uuid::new_v4().simple().to_string()[..4];
    format!("{base}_r{}{suffix}", now.format("%Y%m%d%H%M%S"))
}

/// Brings the restored schema up to date and carries over the backup catalog and settings
/// (the restored copy's are as old as the backup; the backups made since must stay listed),
/// and the account and session of the one restoring.
async fn migrate_and_carry_over(
    ctx: &AppContext,
    database: &str,
    by: Option<&CurrentUser>,
) -> Result<Carried, Error> {
    let catalog: serde_json::Value =
        sqlx::query_scalar("select coalesce(json_agg(b), '[]'::json) from backups b")
            .fetch_one(&ctx.pool)
            .await?;
    let settings: serde_json::Value =
        sqlx::query_scalar("select row_to_json(s) from backup_settings s")
            .fetch_one(&ctx.pool)
            .await?;
    let pool = pool_on(ctx, database).await?;
    billing_migrations::MIGRATOR.run(&pool).await.map_err(|e| {
        Error::Failed(format!(
            "the restored database could not be brought up to date: {e}"
        ))
    })?;
    let mut tx = pool.begin().await?;
    sqlx::query("delete from backups").execute(&mut *tx).await?;
    sqlx::query("insert into backups select * from jsonb_populate_recordset(null::backups, $1)")
        .bind(&catalog)
        .execute(&mut *tx)
        .await?;
    sqlx::query("delete from backup_settings")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "insert into backup_settings select * from jsonb_populate_record(null::backup_settings, $1)",
    )
    .bind(&settings)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let carried = carry(ctx, &pool, by).await;
    pool.close().await;
    carried
}

async fn router_ids(ctx: &AppContext) -> Vec<Uuid> {
    sqlx::query_scalar("select id from routers")
        .fetch_all(&ctx.pool)
        .await
        .unwrap_or_default()
}

/// What is cached from the database is loaded again: WhatsApp sessions, gateways, router
/// connections and their reachability.
async fn after_switch(ctx: &AppContext, old_routers: Vec<Uuid>) {
    if let Err(err) = crate::messaging::reload_sessions(ctx).await {
        tracing::warn!(error = %err, "reloading WhatsApp sessions after the switch failed");
    }
    if let Err(err) = crate::online::reload_gateways(ctx).await {
        tracing::warn!(error = %err, "reloading gateways after the switch failed");
    }
    for id in old_routers.into_iter().chain(router_ids(ctx).await) {
        ctx.router.forget(id).await;
    }
    ctx.ops.routers.clear();
}
