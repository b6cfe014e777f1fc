//! WhatsApp: sessions, the queue and its log, templates, settings.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_app::messaging::sessions::{
    MessageView, QueueStatus, SessionInput, SessionView, WhatsAppSettings,
};
use billing_app::messaging::{DrainSummary, TemplateView};
use billing_domain::Permission as P;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;
use uuid::Uuid;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::{ApiJson, AuthUser};
use crate::extract::{Path, Query};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::WhatsappRead), routes!(status))
        .add(Staff(P::WhatsappRead), routes!(sessions))
        .add(Staff(P::WhatsappManage), routes!(create_session))
        .add(Staff(P::WhatsappManage), routes!(scan))
        .add(
            Staff(P::WhatsappManage),
            routes!(update_session, delete_session),
        )
        .add(Staff(P::WhatsappSend), routes!(send))
        .add(Staff(P::WhatsappSend), routes!(drain))
        .add(Staff(P::WhatsappRead), routes!(messages))
        .add(Staff(P::WhatsappSend), routes!(retry))
        .add(Staff(P::WhatsappSend), routes!(cancel))
        .add(Staff(P::WhatsappRead), routes!(templates))
        .add(Staff(P::WhatsappManage), routes!(set_template))
        .add(Staff(P::WhatsappRead), routes!(preview))
        .add(Staff(P::WhatsappRead), routes!(get_settings))
        .add(Staff(P::WhatsappManage), routes!(put_settings))
}

/// Sessions, their health, and the queue counts.
#[utoipa::path(get, operation_id = "whatsapp_status", path = "/whatsapp/status", tag = "whatsapp",
    security(("bearer" = [])), responses((status = 200, body = QueueStatus)))]
pub async fn status(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<QueueStatus>, ApiError> {
    Ok(Json(
        billing_app::messaging::sessions::status(&state.ctx).await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WhatsAppSessionList)]
pub struct SessionList {
    pub items: Vec<SessionView>,
}

#[utoipa::path(get, operation_id = "list_whatsapp_sessions", path = "/whatsapp/sessions", tag = "whatsapp",
    security(("bearer" = [])), responses((status = 200, body = SessionList)))]
pub async fn sessions(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<SessionList>, ApiError> {
    Ok(Json(SessionList {
        items: billing_app::messaging::sessions::list_sessions(&state.ctx).await?,
    }))
}

/// Adds a sender session (tokens go to the OS keyring).
#[utoipa::path(post, operation_id = "create_whatsapp_session", path = "/whatsapp/sessions", tag = "whatsapp",
    request_body = SessionInput, security(("bearer" = [])),
    responses((status = 201, body = SessionView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_session(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<SessionInput>,
) -> Result<(StatusCode, Json<SessionView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(billing_app::messaging::sessions::create_session(&state.ctx, b).await?),
    ))
}

#[utoipa::path(put, operation_id = "update_whatsapp_session", path = "/whatsapp/sessions/{id}", tag = "whatsapp",
    request_body = SessionInput, security(("bearer" = [])),
    responses((status = 200, body = SessionView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_session(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(b): ApiJson<SessionInput>,
) -> Result<Json<SessionView>, ApiError> {
    Ok(Json(
        billing_app::messaging::sessions::update_session(&state.ctx, id, b).await?,
    ))
}

#[utoipa::path(delete, operation_id = "delete_whatsapp_session", path = "/whatsapp/sessions/{id}", tag = "whatsapp",
    security(("bearer" = [])), responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_session(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, ApiError> {
    billing_app::messaging::sessions::delete_session(&state.ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ScanRequest {
    pub session_id: Uuid,
}

/// Starts QR (or pairing-code) login of a self-hosted gateway session.
#[utoipa::path(post, operation_id = "scan_whatsapp_session", path = "/whatsapp/sessions/scan", tag = "whatsapp",
    request_body = ScanRequest, security(("bearer" = [])),
    responses((status = 200, description = "{kind: qr_image|qr_text|code|already_paired, …}"), (status = 409, body = ErrorBody)))]
pub async fn scan(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<ScanRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let pairing = billing_app::messaging::sessions::scan(&state.ctx, b.session_id).await?;
    Ok(Json(
        serde_json::to_value(pairing).map_err(|e| ApiError::Internal(e.into()))?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SendRequest {
    /// Any usual Indonesian form; sent to `62…`.
    pub to: String,
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Queued {
    pub id: i64,
}

/// Queues a message typed by the owner (high priority).
#[utoipa::path(post, operation_id = "send_whatsapp", path = "/whatsapp/send", tag = "whatsapp",
    request_body = SendRequest, security(("bearer" = [])),
    responses((status = 202, body = Queued), (status = 422, body = ErrorBody)))]
pub async fn send(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<SendRequest>,
) -> Result<(StatusCode, Json<Queued>), ApiError> {
    let id = billing_app::messaging::sessions::send_manual(&state.ctx, &b.to, &b.body).await?;
    Ok((StatusCode::ACCEPTED, Json(Queued { id })))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MessageParams {
    pub status: Option<String>,
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageList {
    pub items: Vec<MessageView>,
}

/// The delivery log (newest first).
#[utoipa::path(get, operation_id = "list_whatsapp_messages", path = "/whatsapp/messages", tag = "whatsapp",
    params(MessageParams), security(("bearer" = [])), responses((status = 200, body = MessageList)))]
pub async fn messages(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<MessageParams>,
) -> Result<Json<MessageList>, ApiError> {
    let status = p.status.filter(|s| !s.is_empty());
    Ok(Json(MessageList {
        items: billing_app::messaging::sessions::list_messages(
            &state.ctx,
            status,
            p.limit.unwrap_or(100),
        )
        .await?,
    }))
}

/// Sends a failed or unknown message again (the owner checked it).
#[utoipa::path(post, operation_id = "retry_whatsapp_message", path = "/whatsapp/messages/{id}/retry", tag = "whatsapp",
    security(("bearer" = [])), responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn retry(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    billing_app::messaging::retry_message(&state.ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CancelRequest {
    /// Why (kept with the message in the log).
    pub reason: Option<String>,
}

/// Takes a queued message out of the queue: it stays in the log as cancelled, with who
/// cancelled it and why. A message already sending or sent is a 409.
#[utoipa::path(post, operation_id = "cancel_whatsapp_message", path = "/whatsapp/messages/{id}/cancel", tag = "whatsapp",
    request_body = CancelRequest, security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<CancelRequest>,
) -> Result<StatusCode, ApiError> {
    billing_app::messaging::cancel_message(&state.ctx, id, &user.username, b.reason.as_deref())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends what is due now (instead of waiting for the next round).
#[utoipa::path(post, operation_id = "drain_whatsapp", path = "/whatsapp/drain", tag = "whatsapp",
    security(("bearer" = [])), responses((status = 200, body = DrainSummary)))]
pub async fn drain(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<DrainSummary>, ApiError> {
    Ok(Json(billing_app::messaging::drain(&state.ctx, 1000).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    pub items: Vec<TemplateView>,
}

#[utoipa::path(get, operation_id = "list_whatsapp_templates", path = "/whatsapp/templates", tag = "whatsapp",
    security(("bearer" = [])), responses((status = 200, body = TemplateList)))]
pub async fn templates(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<TemplateList>, ApiError> {
    Ok(Json(TemplateList {
        items: billing_app::messaging::list_templates(&state.ctx).await?,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TemplateBody {
    /// Empty or null restores the Indonesian default.
    pub body: Option<String>,
}

#[utoipa::path(put, operation_id = "set_whatsapp_template", path = "/whatsapp/templates/{key}", tag = "whatsapp",
    request_body = TemplateBody, security(("bearer" = [])),
    responses((status = 200, body = TemplateView), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_template(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(key): Path<String>,
    ApiJson(b): ApiJson<TemplateBody>,
) -> Result<Json<TemplateView>, ApiError> {
    Ok(Json(
        billing_app::messaging::set_template(&state.ctx, &key, b.body.as_deref()).await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Preview {
    pub text: String,
}

/// Renders a template body with sample values.
#[utoipa::path(post, operation_id = "preview_whatsapp_template", path = "/whatsapp/templates/{key}/preview", tag = "whatsapp",
    request_body = TemplateBody, security(("bearer" = [])),
    responses((status = 200, body = Preview), (status = 422, body = ErrorBody)))]
pub async fn preview(
    _user: AuthUser,
    Path(key): Path<String>,
    ApiJson(b): ApiJson<TemplateBody>,
) -> Result<Json<Preview>, ApiError> {
    let text = billing_app::messaging::preview(&key, b.body.as_deref().unwrap_or_default()).await?;
    Ok(Json(Preview { text }))
}

#[utoipa::path(get, operation_id = "get_whatsapp_settings", path = "/whatsapp/settings", tag = "whatsapp",
    security(("bearer" = [])), responses((status = 200, body = WhatsAppSettings)))]
pub async fn get_settings(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<WhatsAppSettings>, ApiError> {
    Ok(Json(
        billing_app::messaging::sessions::settings(&state.ctx).await?,
    ))
}

#[utoipa::path(put, operation_id = "set_whatsapp_settings", path = "/whatsapp/settings", tag = "whatsapp",
    request_body = WhatsAppSettings, security(("bearer" = [])),
    responses((status = 200, body = WhatsAppSettings), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<WhatsAppSettings>,
) -> Result<Json<WhatsAppSettings>, ApiError> {
    Ok(Json(
        billing_app::messaging::sessions::update_settings(&state.ctx, b).await?,
    ))
}
