//! `/api/backups*`: backups (list, create now, check again, download), restore with the
//! owner's confirmation, and the backup settings.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use billing_app::ops::backups::{
    Backup, BackupList, BackupSettings, BackupSettingsInput, ConfirmOutcome, RestoreOutcome,
};
use billing_domain::Permission as P;
use tower::ServiceExt as _;
use utoipa_axum::routes;
use uuid::Uuid;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::Path;
use crate::extract::{ApiJson, AuthUser};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::BackupsManage), routes!(list))
        .add(Staff(P::BackupsManage), routes!(create))
        .add(Staff(P::BackupsManage), routes!(get_settings, put_settings))
        .add(Staff(P::BackupsManage), routes!(download))
        .add(Staff(P::BackupsManage), routes!(verify))
        .add(Staff(P::BackupsRestore), routes!(restore))
        .add(Staff(P::BackupsRestore), routes!(confirm))
        .add(Staff(P::BackupsRestore), routes!(undo))
}

/// Every backup, newest first; the restore waiting for confirmation; whether one runs now.
#[utoipa::path(get, operation_id = "list_backups", path = "/backups", tag = "backups",
    security(("bearer" = [])), responses((status = 200, body = BackupList)))]
pub async fn list(State(s): State<HttpState>, _u: AuthUser) -> Result<Json<BackupList>, ApiError> {
    Ok(Json(billing_app::ops::backups::list(&s.ctx).await?))
}

/// Makes a backup now and checks it (restored into a scratch database and compared). Takes
/// seconds to minutes; a failure is recorded in the list and answered with its reason.
#[utoipa::path(post, operation_id = "create_backup", path = "/backups/create", tag = "backups",
    security(("bearer" = [])),
    responses((status = 200, body = Backup), (status = 409, body = ErrorBody),
              (status = 500, description = "the backup failed; the message says why", body = ErrorBody)))]
pub async fn create(State(s): State<HttpState>, _u: AuthUser) -> Result<Json<Backup>, ApiError> {
    Ok(Json(billing_app::ops::backups::create(&s.ctx).await?))
}

/// Checks a stored backup again: its checksum, its contents, and a restore into a scratch
/// database compared with what it should hold.
#[utoipa::path(post, operation_id = "verify_backup", path = "/backups/{id}/verify", tag = "backups",
    params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = Backup), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody),
              (status = 422, description = "the file is damaged or missing", body = ErrorBody),
              (status = 500, body = ErrorBody)))]
pub async fn verify(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<Backup>, ApiError> {
    Ok(Json(billing_app::ops::backups::verify(&s.ctx, id).await?))
}

/// The backup file (`.tar.gz`), with its SHA-256 in `X-Checksum-Sha256`.
#[utoipa::path(get, operation_id = "download_backup", path = "/backups/{id}/download", tag = "backups",
    params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, description = "the backup file", content_type = "application/gzip"),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn download(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
    req: Request,
) -> Result<Response, ApiError> {
    let (path, backup) = billing_app::ops::backups::file(&s.ctx, id).await?;
    let served = tower_http::services::ServeFile::new_with_mime(
        &path,
        &"application/gzip"
            .parse()
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?,
    )
    .oneshot(req)
    .await
    .map_err(|e| ApiError::Internal(anyhow::anyhow!("reading the backup file: {e}")))?;
    let mut response = served.into_response();
    let name = backup.file_name.replace(['"', '\\', '/'], "_");
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    if let Some(sha) = backup
        .sha256
        .as_deref()
        .and_then(|v| HeaderValue::from_str(v).ok())
    {
        response.headers_mut().insert("x-checksum-sha256", sha);
    }
    Ok(response)
}

/// Restores a backup into a new database, checks it, and switches the app to it at once.
/// The data from before is kept until `confirm` (deletes it) or `undo` (goes back to it).
#[utoipa::path(post, operation_id = "restore_backup", path = "/backups/restore/{id}", tag = "backups",
    params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = RestoreOutcome), (status = 404, body = ErrorBody),
              (status = 409, description = "a restore waits for confirmation, or one runs", body = ErrorBody),
              (status = 422, description = "the file is damaged or missing", body = ErrorBody),
              (status = 500, body = ErrorBody)))]

pub async fn restore(
    State(s): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<RestoreOutcome>, ApiError> {
    Ok(Json(
        billing_app::ops::backups::restore(&s.ctx, id, Some(&user)).await?,
    ))
}

/// Keeps the restored data: the database from before the restore is deleted.
#[utoipa::path(post, operation_id = "confirm_restore", path = "/backups/restore/{id}/confirm", tag = "backups",
    params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConfirmOutcome), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(s): State<HttpState>,
    _u: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<ConfirmOutcome>, ApiError> {
    Ok(Json(
        billing_app::ops::backups::confirm_restore(&s.ctx, id).await?,
    ))
}

/// Goes back to the data from before the restore; the restored copy is deleted.
#[utoipa::path(post, operation_id = "undo_restore", path = "/backups/restore/{id}/undo", tag = "backups",
    params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConfirmOutcome), (status = 409, body = ErrorBody),
              (status = 500, body = ErrorBody)))]
pub async fn undo(
    State(s): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<ConfirmOutcome>, ApiError> {
    Ok(Json(
        billing_app::ops::backups::undo_restore(&s.ctx, id, Some(&user)).await?,
    ))
}

/// Backup folder, second folder, how many are kept, daily time.
#[utoipa::path(get, operation_id = "get_backup_settings", path = "/backups/settings", tag = "backups",
    security(("bearer" = [])), responses((status = 200, body = BackupSettings)))]
pub async fn get_settings(
    State(s): State<HttpState>,
    _u: AuthUser,
) -> Result<Json<BackupSettings>, ApiError> {
    Ok(Json(billing_app::ops::backups::settings(&s.ctx).await?))
}

/// Changes the backup settings; the folders must be writable.
#[utoipa::path(put, operation_id = "put_backup_settings", path = "/backups/settings", tag = "backups",
    request_body = BackupSettingsInput, security(("bearer" = [])),
    responses((status = 200, body = BackupSettings), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    State(s): State<HttpState>,
    _u: AuthUser,
    ApiJson(input): ApiJson<BackupSettingsInput>,
) -> Result<Json<BackupSettings>, ApiError> {
    Ok(Json(
        billing_app::ops::backups::update_settings(&s.ctx, input).await?,
    ))
}
