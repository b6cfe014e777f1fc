//! `POST /api/payments/webhook/{gateway}`: raw bytes in, the gateway's expected answer out.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

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
    let reply = billing_app::online::handle_callback(
        &state.ctx,
        &gateway,
        &headers,
        &body,
        remote.as_deref(),
    )
    .await?;
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    Ok((
        status,
        [(header::CONTENT_TYPE, reply.content_type)],
        reply.body,
    )
        .into_response())
}
