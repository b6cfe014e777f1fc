//! The app's own `Query`, `Path`, `Json` and `Form` extractors. They answer bad input in the API's
//! error shape (`{"error": {kind, message, field}}`) instead of axum's plain-text rejections,
//! name the parameter or JSON field that is wrong, and refuse text containing a NUL
//! character (PostgreSQL cannot store it in `text`, so it would otherwise fail as a 500
//! deep inside a use-case). Handlers import these in place of axum's.

use std::borrow::Cow;

use axum::body::Bytes;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::ApiError;

/// What a refused NUL says.
pub(crate) const NUL_MESSAGE: &str =
    "contains a NUL character (byte 0), which text may not contain";

/// Query-string parameters, deserialised like `axum::extract::Query`; a value that does not
/// fit (a letter in a number, a number too large) is a 400 naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default().as_bytes();
        if let Some((key, _)) = form_urlencoded::parse(raw)
            .find(|(key, value)| key.contains('\0') || value.contains('\0'))
        {
            return Err(ApiError::BadQuery {
                field: printable(&key).into(),
                message: NUL_MESSAGE.into(),
            });
        }
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw));
        serde_path_to_error::deserialize(deserializer)
            .map(Query)
            .map_err(|e| {
                let message = e.inner().to_string();
                ApiError::BadQuery {
                    field: field_name(&e.path().to_string(), &message, "query"),
                    message,
                }
            })
    }
}

/// A form body (`application/x-www-form-urlencoded`, as a page's `<form method=post>` sends
/// it): a value with NUL or one that does not fit is a 422 naming the field, a missing field a
/// 422, a body over the route's limit a 413, another content type a 415.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiForm<T>(pub T);

impl<T, S> FromRequest<S> for ApiForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form {
            return Err(ApiError::UnsupportedMediaType(
                "send the form as application/x-www-form-urlencoded".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        if let Some((key, _)) = form_urlencoded::parse(&bytes)
            .find(|(key, value)| key.contains('\0') || value.contains('\0'))
        {
            return Err(ApiError::Invalid {
                field: printable(&key),
                message: NUL_MESSAGE.into(),
            });
        }
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&bytes));
        serde_path_to_error::deserialize(deserializer)
            .map(ApiForm)
            .map_err(|e| {
                let message = e.inner().to_string();
                ApiError::Invalid {
                    field: field_name(&e.path().to_string(), &message, "body").into_owned(),
                    message,
                }
            })
    }
}

/// Path parameters, deserialised like `axum::extract::Path`; a value that does not fit (not
/// a UUID, a number out of range, invalid UTF-8, a NUL) is a 400 naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let mut first_key = None;
        if let Ok(raw) = RawPathParams::from_request_parts(parts, state).await {
            for (key, value) in &raw {
                first_key.get_or_insert_with(|| key.to_owned());
                if value.contains('\0') {
                    return Err(ApiError::BadQuery {
                        field: key.to_owned().into(),
                        message: NUL_MESSAGE.into(),
                    });
                }
            }
        }
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                let field: Cow<'static, str> = match e.kind() {
                    ErrorKind::ParseErrorAtKey { key, .. }
                    | ErrorKind::InvalidUtf8InPathParam { key }
                    | ErrorKind::DeserializeError { key, .. } => key.clone().into(),
                    _ => first_key.map_or("path".into(), Cow::Owned),
                };
                Err(ApiError::BadQuery {
                    field,
                    message: e.body_text(),
                })
            }
            Err(other) => Err(ApiError::BadRequest(other.body_text())),
        }
    }
}

/// A JSON body (`Content-Type: application/json`). A body that is not JSON is a 400, a
/// value of the wrong type or a missing field a 422 naming the field (a JSON path such as
/// `lines[0].amount`), a string with NUL a 422 naming it, a body over the route's limit a
/// 413, another content type a 415.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !json_content_type(req.headers()) {
            return Err(ApiError::UnsupportedMediaType(
                "send the body as JSON (Content-Type: application/json)".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_rejection)?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// The body could not be read: over the size limit (413) or cut off.
pub(crate) fn body_rejection(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge("the request body is larger than this route accepts".into())
    } else {
        ApiError::BadRequest(format!(
            "unreadable request body: {}",
            rejection.body_text()
        ))
    }
}

/// Parses a JSON document into `T` with the error rules of [`ApiJson`].
pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // An escaped NUL is the only way JSON text carries one (a raw 0 byte is not valid JSON).
    if bytes.windows(6).any(|w| w == b"\\u0000") {
        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
            if let Some(field) = nul_at(&value, String::new()) {
                return Err(ApiError::Invalid {
                    field: if field.is_empty() {
                        "body".into()
                    } else {
                        field
                    },
                    message: NUL_MESSAGE.into(),
                });
            }
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let message = e.inner().to_string();
        if e.inner().classify() == serde_json::error::Category::Data {
            ApiError::Invalid {
                field: field_name(&e.path().to_string(), &message, "body").into_owned(),
                message,
            }
        } else {
            ApiError::BadRequest(format!("invalid JSON body: {message}"))
        }
    })?;
    deserializer
        .end()
        .map_err(|e| ApiError::BadRequest(format!("invalid JSON body: {e}")))?;
    Ok(value)
}

/// The JSON path of the first string (or object key) holding a NUL, if any.
fn nul_at(value: &serde_json::Value, path: String) -> Option<String> {
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(path),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_at(item, format!("{path}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(key, item)| {
            let here = if path.is_empty() {
                printable(key)
            } else {
                format!("{path}.{}", printable(key))
            };
            if key.contains('\0') {
                Some(here)
            } else {
                nul_at(item, here)
            }
        }),
        _ => None,
    }
}

fn json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// The field an error names: serde's path, or for a missing field (reported at the parent)
/// the field named in the message.
fn field_name(path: &str, message: &str, whole: &'static str) -> Cow<'static, str> {
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some(name) = rest.split('`').next() {
            return if path == "." {
                name.to_owned().into()
            } else {
                format!("{path}.{name}").into()
            };
        }
    }
    if path == "." || path.is_empty() {
        whole.into()
    } else {
        path.to_owned().into()
    }
}

/// A name fit to echo back: NUL and other control characters shown as `?`.
fn printable(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        lines: Vec<Line>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Line {
        amount: i64,
        note: Option<String>,
    }

    fn refused_field(json: &str) -> (String, String) {
        match parse_json::<Body>(json.as_bytes()) {
            Err(ApiError::Invalid { field, message }) => (field, message),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn nul_in_a_nested_string_names_its_path() {
        let (field, message) =
            refused_field(r#"{"name":"a","lines":[{"amount":1},{"amount":2,"note":"x\u0000"}]}"#);
        assert_eq!(field, "lines[1].note");
        assert!(message.contains("NUL"), "{message}");
    }

    #[test]
    fn an_escaped_backslash_before_u0000_is_not_a_nul() {
        let body = parse_json::<Body>(br#"{"name":"a\\u0000","lines":[]}"#);
        assert_eq!(body.map(|b| b.name).ok().as_deref(), Some("a\\u0000"));
    }

    #[test]
    fn wrong_type_and_missing_field_name_the_field() {
        assert_eq!(
            refused_field(r#"{"name":"a","lines":[{"amount":"x"}]}"#).0,
            "lines[0].amount"
        );
        assert_eq!(
            refused_field(r#"{"name":"a","lines":[{"note":"x"}]}"#).0,
            "lines[0].amount"
        );
        assert_eq!(refused_field(r#"{"lines":[]}"#).0, "name");
        assert_eq!(
            refused_field(r#"{"name":"a","lines":[{"amount":9223372036854775808}]}"#).0,
            "lines[0].amount"
        );
    }

    #[test]
    fn malformed_json_and_trailing_text_are_bad_requests() {
        for body in [r#"{"name":"#, r#"{"name":"a","lines":[]} x"#] {
            assert!(
                matches!(
                    parse_json::<Body>(body.as_bytes()),
                    Err(ApiError::BadRequest(_))
                ),
                "{body}"
            );
        }
    }
}
