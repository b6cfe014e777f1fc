//! Meta Cloud API wire types and the error-code classification (gateways.md §C.1, §C.5).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::{ProviderKind, RecipientReason, SendError, TemplateMessage};

const META: ProviderKind = ProviderKind::MetaCloud;

#[derive(Debug, Serialize)]
pub(crate) struct TextRequest<'a> {
    pub messaging_product: &'static str,
    pub recipient_type: &'static str,
    pub to: &'a str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: TextBody<'a>,
}

#[derive(Debug, Serialize)]
pub(crate) struct TextBody<'a> {
    pub preview_url: bool,
    pub body: &'a str,
}

impl<'a> TextRequest<'a> {
    pub(crate) fn new(to: &'a str, body: &'a str) -> Self {
        TextRequest {
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to,
            kind: "text",
            text: TextBody {
                preview_url: false,
                body,
            },
        }
    }
}

/// The template request of the official SDK docs example.
pub(crate) fn template_request(to: &str, template: &TemplateMessage) -> serde_json::Value {
    let parameters: Vec<serde_json::Value> = template
        .body_parameters
        .iter()
        .map(|p| serde_json::json!({"type": "text", "text": p}))
        .collect();
    let mut tpl = serde_json::json!({
        "name": template.name,
        "language": {"code": template.language},
    });
    if !parameters.is_empty() {
        tpl["components"] = serde_json::json!([{"type": "body", "parameters": parameters}]);
    }
    serde_json::json!({
        "messaging_product": "whatsapp",
        "to": to,
        "type": "template",
        "template": tpl,
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct SendResponse {
    #[serde(default)]
    pub messages: Vec<SentMessage>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SentMessage {
    pub id: String,
    #[serde(default)]
    pub message_status: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ErrorEnvelope {
    pub error: GraphError,
}

#[derive(Debug, Deserialize)]
pub(crate) struct GraphError {
    #[serde(default)]
    pub message: String,
    pub code: i64,
    #[serde(default)]
    pub error_data: Option<ErrorData>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ErrorData {
    #[serde(default)]
    pub details: Option<String>,
}

/// Classifies a Meta error code (synchronous or from a status webhook). `http_status` is 0
/// for webhook errors.
pub(crate) fn classify(code: i64, message: &str, http_status: u16) -> SendError {
    let msg = format!("({code}) {message}");
    match code {
        131047 => SendError::recipient(META, RecipientReason::OutsideWindow, msg),
        131026 => SendError::recipient(META, RecipientReason::Undeliverable, msg),
        131049 => SendError::recipient(META, RecipientReason::Declined, msg),
        130429 | 4 | 80007 => SendError::retryable(META, msg),
        131056 => SendError::Retryable {
            provider: META,
            message: msg,
            retry_after: Some(Duration::from_secs(6)),
        },
        // Spam rate limit: pause this number, use another one.
        131048 => SendError::session_down(META, msg),
        // Access token expired / invalid.
        190 => SendError::session_down(META, msg),
        133010 => SendError::config(META, true, msg),
        131030 | 132000 | 132001 => SendError::config(META, false, msg),
        // 131000 "Something went wrong", 1/2 unknown/temporary API errors.
        131000 | 1 | 2 => SendError::retryable(META, msg),
        _ if http_status >= 500 => SendError::retryable(META, msg),
        _ if http_status == 401 => SendError::session_down(META, msg),
        _ => SendError::config(META, false, msg),
    }
}

impl GraphError {
    pub(crate) fn into_send_error(self, http_status: u16) -> SendError {
        let details = self.error_data.and_then(|d| d.details);
        let text = match details {
            Some(d) if !d.is_empty() => format!("{}: {d}", self.message),
            _ => self.message,
        };
        classify(self.code, &text, http_status)
    }
}

/// `GET /{version}/{phone_number_id}` answer used as the token check.
#[derive(Debug, Deserialize)]
pub(crate) struct PhoneNumberInfo {
    #[serde(default)]
    pub id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Webhook {
    #[serde(default)]
    pub entry: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Entry {
    #[serde(default)]
    pub changes: Vec<Change>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Change {
    pub value: ChangeValue,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ChangeValue {
    #[serde(default)]
    pub statuses: Vec<Status>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Status {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub recipient_id: Option<String>,
    #[serde(default)]
    pub errors: Vec<StatusError>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct StatusError {
    pub code: i64,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub error_data: Option<ErrorData>,
}

impl StatusError {
    pub(crate) fn into_send_error(self) -> SendError {
        let text = self
            .error_data
            .and_then(|d| d.details)
            .or(self.message)
            .or(self.title)
            .unwrap_or_default();
        classify(self.code, &text, 0)
    }
}
