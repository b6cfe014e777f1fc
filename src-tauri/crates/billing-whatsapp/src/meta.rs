//! Meta WhatsApp Cloud API (gateways.md §C.1): `POST {base}/{version}/{phone_number_id}/messages`
//! with a Bearer token; status webhooks signed with `X-Hub-Signature-256` (app secret).
//! Free-form text only inside the 24-hour window; outside it Meta answers 131047 and the pool
//! must use [`crate::WhatsAppProvider::send_template`].

mod transformers;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use self::transformers::{
    template_request, ErrorEnvelope, PhoneNumberInfo, SendResponse, TextRequest, Webhook,
};
use crate::client::{self, Reply};
use crate::{
    signature, AcceptedState, DeliveryStatus, DeliveryUpdate, ProviderKind, SendError, SendReceipt,
    SessionHealth, TemplateMessage, WhatsAppProvider,
};

const META: ProviderKind = ProviderKind::MetaCloud;

/// Settings of one Cloud API sender number.
#[derive(Debug, Clone)]
pub struct MetaCloudConfig {
    /// `https://graph.facebook.com` in production.
    pub base_url: String,
    /// e.g. `v21.0`
    pub api_version: String,
    pub phone_number_id: String,
    pub access_token: SecretString,
    /// Verifies `X-Hub-Signature-256` on status webhooks.
    pub app_secret: SecretString,
    pub timeout: Option<Duration>,
}

impl MetaCloudConfig {
    pub const PRODUCTION_BASE_URL: &'static str = "https://graph.facebook.com";
}

#[derive(Debug)]
pub struct MetaCloud {
    config: MetaCloudConfig,
    http: reqwest::Client,
}

impl MetaCloud {
    pub fn new(config: MetaCloudConfig) -> Result<MetaCloud, SendError> {
        if config.phone_number_id.trim().is_empty() || config.api_version.trim().is_empty() {
            return Err(SendError::config(
                META,
                true,
                "phone number id and API version are required",
            ));
        }
        let http = client::build(META, config.timeout.unwrap_or(client::DEFAULT_TIMEOUT))?;
        Ok(MetaCloud { config, http })
    }

    fn url(&self, suffix: &str) -> String {
        client::join(
            &self.config.base_url,
            &format!(
                "{}/{}{suffix}",
                urlencoding::encode(&self.config.api_version),
                urlencoding::encode(&self.config.phone_number_id)
            ),
        )
    }

    fn error(reply: &Reply) -> SendError {
        match reply.json::<ErrorEnvelope>() {
            Some(envelope) => envelope.error.into_send_error(reply.status),
            None => reply.fallback_error(META, reply.excerpt()),
        }
    }

    async fn post_message(
        &self,
        payload: &impl serde::Serialize,
    ) -> Result<SendReceipt, SendError> {
        let request = self
            .http
            .post(self.url("/messages"))
            .bearer_auth(self.config.access_token.expose_secret())
            .json(payload);
        let reply = client::send(META, request).await?;
        if !reply.is_success() {
            return Err(Self::error(&reply));
        }
        // 200 means accepted. An unreadable 200 is still accepted: never resend it.
        let message = reply
            .json::<SendResponse>()
            .and_then(|r| r.messages.into_iter().next());
        if message.is_none() {
            tracing::warn!(body = %reply.excerpt(), "Meta accepted a message without an id");
        }
        let accepted_state = match message.as_ref().and_then(|m| m.message_status.as_deref()) {
            Some("held_for_quality_assessment") => AcceptedState::Queued,
            _ => AcceptedState::Accepted,
        };
        Ok(SendReceipt {
            provider_message_id: message.map(|m| m.id),
            accepted_state,
        })
    }
}

#[async_trait]
impl WhatsAppProvider for MetaCloud {
    fn kind(&self) -> ProviderKind {
        META
    }

    #[tracing::instrument(skip_all, fields(provider = "meta_cloud"))]
    async fn send_text(&self, to: &str, body: &str) -> Result<SendReceipt, SendError> {
        let to = crate::to_chat_id(META, to);
        self.post_message(&TextRequest::new(&to, body)).await
    }

    #[tracing::instrument(skip_all, fields(provider = "meta_cloud", template = %template.name))]
    async fn send_template(
        &self,
        to: &str,
        template: &TemplateMessage,
    ) -> Result<SendReceipt, SendError> {
        let to = crate::to_chat_id(META, to);
        self.post_message(&template_request(&to, template)).await
    }

    /// The token check: `GET /{version}/{phone_number_id}`. An expired or invalid token (190,
    /// 401) is reported as `Disconnected`, so the dashboard can say "renew the token".
    async fn health(&self) -> Result<SessionHealth, SendError> {
        let request = self
            .http
            .get(self.url(""))
            .bearer_auth(self.config.access_token.expose_secret());
        let reply = client::send(META, request).await?;
        if reply.is_success() {
            return match reply.json::<PhoneNumberInfo>() {
                Some(info) if info.id.is_some() => Ok(SessionHealth::Connected),
                _ => Err(SendError::decode(META, reply.excerpt())),
            };
        }
        match Self::error(&reply) {
            SendError::SessionDown { message, .. } => {
                Ok(SessionHealth::Disconnected { reason: message })
            }
            other => Err(other),
        }
    }

    fn parse_status_webhook(
        &self,
        headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<Vec<DeliveryUpdate>, SendError> {
        signature::verify_hub_signature(META, &self.config.app_secret, headers, raw_body)?;
        let webhook: Webhook = serde_json::from_slice(raw_body)
            .map_err(|e| SendError::decode(META, format!("status webhook: {e}")))?;
        let mut updates = Vec::new();
        for status in webhook
            .entry
            .into_iter()
            .flat_map(|e| e.changes)
            .flat_map(|c| c.value.statuses)
        {
            let state = match status.status.as_str() {
                "sent" => DeliveryStatus::Sent,
                "delivered" => DeliveryStatus::Delivered,
                "read" => DeliveryStatus::Read,
                "failed" => DeliveryStatus::Failed {
                    error: status
                        .errors
                        .into_iter()
                        .next()
                        .map(|e| e.into_send_error())
                        .unwrap_or_else(|| {
                            SendError::config(META, false, "failed without errors[]")
                        }),
                },
                other => {
                    tracing::debug!(status = other, "ignoring unknown Meta status");
                    continue;
                }
            };
            updates.push(DeliveryUpdate {
                provider_message_id: status.id,
                status: state,
                recipient: status.recipient_id,
                at: status
                    .timestamp
                    .and_then(|t| t.parse::<i64>().ok())
                    .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0)),
            });
        }
        Ok(updates)
    }
}
