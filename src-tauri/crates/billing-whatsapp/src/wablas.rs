//! Wablas (gateways.md §C.2, [P/U]): `POST {server}/api/v2/send-message` with
//! `Authorization: {token}.{secret_key}` and `{"data":[{"phone","message","isGroup"}]}`.
//! The host is per customer (`https://{server}.wablas.com`). Health and webhooks are not
//! confirmed, so they are `NotSupported`.

mod transformers;

use std::time::Duration;

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};

use self::transformers::{SendItem, SendRequest, SendResponse};
use crate::client;
use crate::{
    AcceptedState, DeliveryUpdate, ProviderKind, RecipientReason, SendError, SendReceipt,
    SessionHealth, WhatsAppProvider,
};

const WABLAS: ProviderKind = ProviderKind::Wablas;

#[derive(Debug, Clone)]
pub struct WablasConfig {
    /// e.g. `https://tegal.wablas.com`
    pub base_url: String,
    pub token: SecretString,
    pub secret_key: SecretString,
    pub timeout: Option<Duration>,
}

#[derive(Debug)]
pub struct Wablas {
    config: WablasConfig,
    http: reqwest::Client,
}

impl Wablas {
    pub fn new(config: WablasConfig) -> Result<Wablas, SendError> {
        let http = client::build(WABLAS, config.timeout.unwrap_or(client::DEFAULT_TIMEOUT))?;
        Ok(Wablas { config, http })
    }
}

fn classify(message: &str) -> SendError {
    let m = message.to_ascii_lowercase();
    if m.contains("token")
        || m.contains("secret key")
        || m.contains("quota")
        || m.contains("expired")
    {
        SendError::config(WABLAS, true, message)
    } else if m.contains("disconnect") || m.contains("not connect") {
        SendError::session_down(WABLAS, message)
    } else if m.contains("phone") || m.contains("number") {
        SendError::recipient(WABLAS, RecipientReason::InvalidNumber, message)
    } else {
        SendError::config(WABLAS, false, message)
    }
}

#[async_trait]
impl WhatsAppProvider for Wablas {
    fn kind(&self) -> ProviderKind {
        WABLAS
    }

    #[tracing::instrument(skip_all, fields(provider = "wablas"))]
    async fn send_text(&self, to: &str, body: &str) -> Result<SendReceipt, SendError> {
        let phone = crate::to_chat_id(WABLAS, to);
        let payload = SendRequest {
            data: [SendItem {
                phone: &phone,
                message: body,
                is_group: false,
            }],
        };
        let auth = format!(
            "{}.{}",
            self.config.token.expose_secret(),
            self.config.secret_key.expose_secret()
        );
        let request = self
            .http
            .post(client::join(&self.config.base_url, "/api/v2/send-message"))
            .header(http::header::AUTHORIZATION, auth)
            .json(&payload);
        let reply = client::send(WABLAS, request).await?;
        if reply.status >= 500 || reply.status == 429 || reply.status == 408 {
            return Err(reply.fallback_error(WABLAS, reply.excerpt()));
        }
        let Some(answer) = reply.json::<SendResponse>() else {
            return Err(reply.fallback_error(WABLAS, reply.excerpt()));
        };
        if !answer.status {
            return Err(classify(&answer.message.unwrap_or_else(|| reply.excerpt())));
        }
        let first = answer.data.and_then(|d| d.messages.into_iter().next());
        let queued = first
            .as_ref()
            .and_then(|m| m.status.as_deref())
            .is_some_and(|s| s.eq_ignore_ascii_case("pending"));
        Ok(SendReceipt {
            provider_message_id: first.and_then(|m| m.id),
            // Wablas queues everything ("pending and waiting to be processed").
            accepted_state: if queued {
                AcceptedState::Queued
            } else {
                AcceptedState::Accepted
            },
        })
    }

    async fn health(&self) -> Result<SessionHealth, SendError> {
        Err(SendError::not_supported(WABLAS, "health"))
    }

    fn parse_status_webhook(
        &self,
        _headers: &http::HeaderMap,
        _raw_body: &[u8],
    ) -> Result<Vec<DeliveryUpdate>, SendError> {
        Err(SendError::not_supported(WABLAS, "parse_status_webhook"))
    }
}
