//! Layers both listeners share so that every error keeps the API's JSON shape and no input
//! can take the connection down: a bound on the address length, a panic turned into a 500,
//! and the errors axum and tower produce themselves (405, 413, 415, 429, …) rewritten as
//! `{"error": {kind, message}}`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

use crate::error::{ErrorBody, ErrorDetail};
use crate::ApiError;

/// The longest path and query the app reads. Real addresses (filters, print lists of
/// voucher ids) stay far below; longer ones are refused with 414 before any handler runs.
pub const MAX_URI_BYTES: usize = 16 * 1024;

/// Adds the shared layers to a listener's router (call last, before the request log).
pub fn layers(router: Router) -> Router {
    router
        .layer(axum::middleware::from_fn(limit_uri))
        .layer(CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::from_fn(json_errors))
}

/// 405 for a known route with another method (the API routers' method fallback).
pub async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{} does not accept {method}", uri.path()))
}

async fn limit_uri(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if len > MAX_URI_BYTES {
        return ApiError::UriTooLong(format!(
            "the address is {len} bytes long; at most {MAX_URI_BYTES} are accepted"
        ))
        .into_response();
    }
    next.run(req).await
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::Internal(anyhow::anyhow!(
        "a request handler panicked (see the log above)"
    ))
    .into_response()
}

/// Gives an error answer without a JSON body (axum's own rejections, the rate limiter's
/// 429, an empty 404) the API's shape. HTML pages (the pay page's "not found") and JSON
/// errors pass unchanged.
async fn json_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("application/json") || content_type.starts_with("text/html") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let message = text.unwrap_or_else(|| {
        status
            .canonical_reason()
            .unwrap_or("request refused")
            .to_owned()
    });
    let body = ErrorBody {
        error: ErrorDetail {
            kind: kind_of(status),
            message,
            field: None,
        },
    };
    let Ok(json) = serde_json::to_vec(&body) else {
        return Response::from_parts(parts, Body::empty());
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(json))
}

fn kind_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::CONFLICT => "conflict",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "validation",
        StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}
