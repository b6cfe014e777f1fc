//! `POST /api/payments/webhook/{gateway}`: raw bytes in, the gateway's expected answer out.
//! The use-case says what became of the callback; the status code and body are chosen
//! here, with the gateway adapter's own acknowledgement where the gateway expects one.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use billing_app::online::{Callback, CallbackOutcome};

use crate::extract::ClientAddr;
use crate::extract::Path;
use crate::{ApiError, HttpState};

pub async fn receive(
    State(state): State<HttpState>,
    Path(gateway): Path<String>,
    ClientAddr(remote): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let callback = billing_app::online::handle_callback(
        &state.ctx,
        &gateway,
        &headers,
        &body,
        remote.as_deref(),
    )
    .await?;
    Ok(answer(&callback))
}

/// The answer a gateway gets for a callback.
fn answer(callback: &Callback) -> Response {
    let (status, content_type, body) = match callback.outcome {
        // Applied, already applied, pending, closed, held or unknown: the callback was
        // received and verified, so the gateway must not send it again.
        CallbackOutcome::Processed(_) => callback.gateway.callback_ack(true),
        CallbackOutcome::RejectedSignature => callback.gateway.callback_ack(false),
        // Retry later (the poller will also catch the payment).
        CallbackOutcome::ConfirmationFailed => (
            503,
            "text/plain",
            "status check failed; retry later".to_owned(),
        ),
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}
