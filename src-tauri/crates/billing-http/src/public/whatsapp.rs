//! Delivery-status webhooks from the WhatsApp providers (per session).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use uuid::Uuid;

use crate::extract::Path;
use crate::{ApiError, HttpState};

pub async fn status(
    State(state): State<HttpState>,
    Path(session_id): Path<Uuid>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    billing_app::messaging::sessions::apply_status_webhook(&state.ctx, session_id, &headers, &body)
        .await?;
    Ok(StatusCode::OK)
}

#[derive(Debug, serde::Deserialize)]
pub struct Handshake {
    #[serde(rename = "hub.mode")]
    pub mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    pub verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    pub challenge: Option<String>,
}

/// Meta's verification request when the webhook URL is registered.
pub async fn verify(
    State(state): State<HttpState>,
    Path(session_id): Path<Uuid>,
    crate::extract::Query(q): crate::extract::Query<Handshake>,
) -> Result<(StatusCode, String), ApiError> {
    let token = q.verify_token.unwrap_or_default();
    let ok = q.mode.as_deref() == Some("subscribe")
        && billing_app::messaging::sessions::webhook_token_matches(&state.ctx, session_id, &token)
            .await?;
    if ok {
        Ok((StatusCode::OK, q.challenge.unwrap_or_default()))
    } else {
        Ok((StatusCode::FORBIDDEN, "verify token mismatch".into()))
    }
}
