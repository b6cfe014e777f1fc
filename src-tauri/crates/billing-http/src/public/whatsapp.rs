//! Delivery-status webhooks from the WhatsApp providers (per session).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use uuid::Uuid;

use crate::{ApiError, HttpState};

pub async fn status(
    State(state): State<HttpState>,
    Path(session_id): Path<Uuid>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    billing_app::notify::sessions::apply_status_webhook(&state.ctx, session_id, &headers, &body)
        .await?;
    Ok(StatusCode::OK)
}
