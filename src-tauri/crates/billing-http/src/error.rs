use std::borrow::Cow;

use axum::extract::rejection::JsonRejection;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The one error type of the HTTP layer: a status and `{"error": {kind, message, field?}}`.
#[derive(Debug)]
pub enum ApiError {
    BadRequest(String),
    /// A query-string or path parameter that cannot be used (400, naming it).
    BadQuery {
        field: Cow<'static, str>,
        message: String,
    },
    Validation {
        field: &'static str,
        message: String,
    },
    /// A body field that cannot be used, named by its JSON path (`lines[0].amount`) (422).
    Invalid {
        field: String,
        message: String,
    },
    /// The body is larger than the route accepts (413).
    PayloadTooLarge(String),
    /// The body is not in a format the route reads (415).
    UnsupportedMediaType(String),
    /// The route exists but not with this method (405).
    MethodNotAllowed(String),
    /// The address (path and query) is longer than the app reads (414).
    UriTooLong(String),
    Unauthorized(String),
    /// Logged in, but the role may not do this (403).
    Forbidden(String),
    NotFound(String),
    Conflict {
        field: Option<&'static str>,
        message: String,
    },
    TooManyRequests {
        message: String,
        retry_after_secs: i64,
    },
    /// The router was unreachable or refused (502).
    BadGateway(String),
    /// An operation (backup, restore) failed for a reason the message gives (500).
    Failed(String),
    Internal(anyhow::Error),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (_, kind) = self.status_and_kind();
        write!(f, "{kind}: {}", self.public_message())
    }
}

impl std::error::Error for ApiError {}

/// Body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable: validation, unauthorized, forbidden, not_found, conflict, bad_request,
    /// method_not_allowed, payload_too_large, unsupported_media_type, uri_too_long,
    /// too_many_requests, router (502: the router was unreachable or refused),
    /// operation_failed (500: a backup or restore failed; the message says why), internal.
    pub kind: &'static str,
    /// A sentence for people.
    pub message: String,
    /// The input that is wrong: a body field (a JSON path such as `lines[0].amount` when it
    /// is nested), a query or path parameter, or the unique field of a conflict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    fn status_and_kind(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::BadRequest(_) | ApiError::BadQuery { .. } => {
                (StatusCode::BAD_REQUEST, "bad_request")
            }
            ApiError::Validation { .. } | ApiError::Invalid { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, "validation")
            }
            ApiError::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            ApiError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            ApiError::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            ApiError::UriTooLong(_) => (StatusCode::URI_TOO_LONG, "uri_too_long"),
            ApiError::Unauthorized(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Conflict { .. } => (StatusCode::CONFLICT, "conflict"),
            ApiError::TooManyRequests { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_requests")
            }
            ApiError::BadGateway(_) => (StatusCode::BAD_GATEWAY, "router"),
            ApiError::Failed(_) => (StatusCode::INTERNAL_SERVER_ERROR, "operation_failed"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    fn public_message(&self) -> String {
        match self {
            ApiError::BadRequest(m)
            | ApiError::Unauthorized(m)
            | ApiError::Forbidden(m)
            | ApiError::NotFound(m)
            | ApiError::BadGateway(m)
            | ApiError::PayloadTooLarge(m)
            | ApiError::UnsupportedMediaType(m)
            | ApiError::MethodNotAllowed(m)
            | ApiError::UriTooLong(m)
            | ApiError::Failed(m) => m.clone(),
            ApiError::Conflict { message, .. } => message.clone(),
            ApiError::Validation { message, .. } => message.clone(),
            ApiError::Invalid { field, message } => format!("{field}: {message}"),
            ApiError::BadQuery { field, message } => format!("{field}: {message}"),
            ApiError::TooManyRequests { message, .. } => message.clone(),
            ApiError::Internal(_) => "internal error; see the application log".into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, kind) = self.status_and_kind();
        if let ApiError::Internal(err) = &self {
            tracing::error!(error = ?err, "request failed");
        }
        if let ApiError::Failed(message) = &self {
            tracing::error!(error = %message, "operation failed");
        }
        let field = match &self {
            ApiError::Validation { field, .. } => Some((*field).to_owned()),
            ApiError::BadQuery { field, .. } => Some(field.to_string()),
            ApiError::Invalid { field, .. } => Some(field.clone()),
            ApiError::Conflict { field, .. } => field.map(str::to_owned),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                kind,
                message: self.public_message(),
                field,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let ApiError::TooManyRequests {
            retry_after_secs, ..
        } = &self
        {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

impl From<billing_app::Error> for ApiError {
    fn from(err: billing_app::Error) -> Self {
        use billing_app::Error as E;
        match err {
            E::NotFound(what) => ApiError::NotFound(format!("{what} not found")),
            E::Validation { field, message } => ApiError::Validation { field, message },
            E::Conflict { field, message } => ApiError::Conflict { field, message },
            E::Unauthorized(m) => ApiError::Unauthorized(m),
            E::Forbidden(m) => ApiError::Forbidden(m),
            e @ E::TooManyAttempts { retry_after_secs } => ApiError::TooManyRequests {
                message: e.to_string(),
                retry_after_secs,
            },
            E::Router(m) => ApiError::BadGateway(m),
            E::Failed(m) => ApiError::Failed(m),
            E::Unexpected(e) => ApiError::Internal(e),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        ApiError::BadRequest(format!("invalid JSON body: {}", rejection.body_text()))
    }
}
