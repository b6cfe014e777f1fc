//! Fonnte (gateways.md §C.2): `POST {base}/send` with header `Authorization: {device token}`
//! (no `Bearer`), form fields `target`, `message`, `countryCode`; `POST {base}/device` for the
//! device status. `process:"pending"` means the phone is offline and Fonnte re-sends by itself:
//! that is a *queued* receipt, never a failure (a resend would double-send).

mod transformers;

use std::time::Duration;

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use self::transformers::{classify_reason, delivery_status, first_id, status_ok, text};
use crate::client::{self, Reply};
use crate::{
    AcceptedState, DeliveryUpdate, ProviderKind, SendError, SendReceipt, SessionHealth,
    WhatsAppProvider,
};

const FONNTE: ProviderKind = ProviderKind::Fonnte;

#[derive(Debug, Clone)]
pub struct FonnteConfig {
    /// `https://api.fonnte.com` in production.
    pub base_url: String,
    pub device_token: SecretString,
    pub timeout: Option<Duration>,
}

impl FonnteConfig {
    pub const PRODUCTION_BASE_URL: &'static str = "https://api.fonnte.com";
}

#[derive(Debug)]
pub struct Fonnte {
    config: FonnteConfig,
    http: reqwest::Client,
}

impl Fonnte {
    pub fn new(config: FonnteConfig) -> Result<Fonnte, SendError> {
        let http = client::build(FONNTE, config.timeout.unwrap_or(client::DEFAULT_TIMEOUT))?;
        Ok(Fonnte { config, http })
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Result<(Reply, Value), SendError> {
        let request = self
            .http
            .post(client::join(&self.config.base_url, path))
            .header(
                http::header::AUTHORIZATION,
                self.config.device_token.expose_secret(),
            )
            .form(form);
        let reply = client::send(FONNTE, request).await?;
        match reply.json::<Value>() {
            Some(value) if value.is_object() => Ok((reply, value)),
            _ => Err(reply.fallback_error(FONNTE, reply.excerpt())),
        }
    }
}

#[async_trait]
impl WhatsAppProvider for Fonnte {
    fn kind(&self) -> ProviderKind {
        FONNTE
    }

    #[tracing::instrument(skip_all, fields(provider = "fonnte"))]
    async fn send_text(&self, to: &str, body: &str) -> Result<SendReceipt, SendError> {
        let target = crate::to_chat_id(FONNTE, to);
        // The number is already canonical: `countryCode=0` stops Fonnte from rewriting it.
        let form = [
            ("target", target.as_str()),
            ("message", body),
            ("countryCode", "0"),
        ];
        let (reply, value) = self.post("/send", &form).await?;
        if !status_ok(&value) {
            if reply.status >= 500 || reply.status == 429 {
                return Err(reply.fallback_error(FONNTE, reply.excerpt()));
            }
            let reason = text(&value, "reason").unwrap_or_else(|| reply.excerpt());
            return Err(classify_reason(&reason));
        }
        let queued = text(&value, "process")
            .is_some_and(|p| matches!(p.to_ascii_lowercase().as_str(), "pending" | "waiting"));
        Ok(SendReceipt {
            provider_message_id: first_id(&value),
            accepted_state: if queued {
                AcceptedState::Queued
            } else {
                AcceptedState::Accepted
            },
        })
    }

    /// `POST /device`: `device_status` `connect|disconnect`. Rate-limited by Fonnte: poll sparingly.
    async fn health(&self) -> Result<SessionHealth, SendError> {
        let (reply, value) = self.post("/device", &[]).await?;
        if !status_ok(&value) {
            let reason = text(&value, "reason").unwrap_or_else(|| reply.excerpt());
            return Err(classify_reason(&reason));
        }
        match text(&value, "device_status").as_deref() {
            Some("connect") => Ok(SessionHealth::Connected),
            Some(other) => Ok(SessionHealth::Disconnected {
                reason: format!("device_status {other}"),
            }),
            None => Err(SendError::decode(
                FONNTE,
                "device answer without device_status",
            )),
        }
    }

    /// Message-status webhook: `{id, stateid?, status|state, …}` (JSON). Device-status
    /// webhooks (`{device, status: connect|disconnect}`) carry no message and give `[]`.
    /// Fonnte does not sign webhooks: put a secret in the webhook URL path.
    fn parse_status_webhook(
        &self,
        _headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<Vec<DeliveryUpdate>, SendError> {
        let value: Value = serde_json::from_slice(raw_body)
            .map_err(|e| SendError::decode(FONNTE, format!("status webhook: {e}")))?;
        let Some(id) = text(&value, "id") else {
            return Ok(Vec::new());
        };
        // `state` (delivered/read) is more specific than `status` (sent/pending/…).
        let status = ["state", "message_status", "status"]
            .iter()
            .filter_map(|k| text(&value, k))
            .find_map(|s| delivery_status(&s));
        Ok(status
            .map(|status| DeliveryUpdate {
                provider_message_id: id,
                status,
                recipient: text(&value, "target").or_else(|| text(&value, "phone")),
                at: None,
            })
            .into_iter()
            .collect())
    }
}
