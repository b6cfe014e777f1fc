//! go-whatsapp-web-multidevice, "GOWA" (gateways.md §C.3): one process, many devices, HTTP
//! Basic auth, device scoping with `X-Device-Id`. `POST {base}/send/message` with
//! `phone: 62…@s.whatsapp.net`; webhooks signed with `X-Hub-Signature-256` (webhook secret).

mod transformers;

use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use self::transformers::{
    classify, receipt_status, DeviceStatus, Envelope, LoginResults, SendMessageRequest,
    SendResults, Webhook,
};
use crate::client::{self, Reply};
use crate::{
    phone, signature, AcceptedState, DeliveryUpdate, Pairing, ProviderKind, SendError, SendReceipt,
    SessionHealth, WhatsAppProvider,
};

const GOWA: ProviderKind = ProviderKind::Gowa;

#[derive(Debug, Clone)]
pub struct GowaConfig {
    /// e.g. `http://127.0.0.1:3000`
    pub base_url: String,
    /// `APP_BASIC_AUTH` user and password, when set.
    pub basic_auth: Option<(String, SecretString)>,
    pub device_id: String,
    /// Verifies `X-Hub-Signature-256` on webhooks (GOWA's default is `secret`: change it).
    pub webhook_secret: SecretString,
    pub timeout: Option<Duration>,
}

#[derive(Debug)]
pub struct Gowa {
    config: GowaConfig,
    http: reqwest::Client,
}

impl Gowa {
    pub fn new(config: GowaConfig) -> Result<Gowa, SendError> {
        if config.device_id.trim().is_empty() {
            return Err(SendError::config(GOWA, true, "GOWA device id is required"));
        }
        let http = client::build(GOWA, config.timeout.unwrap_or(client::DEFAULT_TIMEOUT))?;
        Ok(Gowa { config, http })
    }

    fn request(&self, method: http::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(method, client::join(&self.config.base_url, path))
            .header("X-Device-Id", &self.config.device_id);
        if let Some((user, password)) = &self.config.basic_auth {
            request = request.basic_auth(user, Some(password.expose_secret()));
        }
        request
    }

    fn error(reply: &Reply) -> SendError {
        let message = reply
            .json::<Envelope<serde_json::Value>>()
            .and_then(|e| e.message)
            .unwrap_or_else(|| reply.excerpt());
        classify(reply.status, &message)
    }

    fn device_path(&self, suffix: &str) -> String {
        format!(
            "/devices/{}{suffix}",
            urlencoding::encode(&self.config.device_id)
        )
    }
}

#[async_trait]
impl WhatsAppProvider for Gowa {
    fn kind(&self) -> ProviderKind {
        GOWA
    }

    #[tracing::instrument(skip_all, fields(provider = "gowa", device = %self.config.device_id))]
    async fn send_text(&self, to: &str, body: &str) -> Result<SendReceipt, SendError> {
        let phone = crate::to_chat_id(GOWA, to);
        let payload = SendMessageRequest {
            phone: &phone,
            message: body,
        };
        let request = self
            .request(http::Method::POST, "/send/message")
            .json(&payload);
        let reply = client::send(GOWA, request).await?;
        if !reply.is_success() {
            return Err(Self::error(&reply));
        }
        let id = reply
            .json::<Envelope<SendResults>>()
            .and_then(|e| e.results)
            .and_then(|r| r.message_id);
        if id.is_none() {
            tracing::warn!("GOWA accepted a message without a message_id");
        }
        Ok(SendReceipt {
            provider_message_id: id,
            accepted_state: AcceptedState::Accepted,
        })
    }

    /// `GET /devices/{id}/status` → `is_logged_in=false` needs a QR scan; logged in but not
    /// connected is disconnected (reconnecting).
    async fn health(&self) -> Result<SessionHealth, SendError> {
        let request = self.request(http::Method::GET, &self.device_path("/status"));
        let reply = client::send(GOWA, request).await?;
        if !reply.is_success() {
            return Err(Self::error(&reply));
        }
        let status = reply
            .json::<Envelope<DeviceStatus>>()
            .and_then(|e| e.results)
            .ok_or_else(|| SendError::decode(GOWA, reply.excerpt()))?;
        Ok(match (status.is_logged_in, status.is_connected) {
            (false, _) => SessionHealth::NeedsPairing,
            (true, true) => SessionHealth::Connected,
            (true, false) => SessionHealth::Disconnected {
                reason: "device logged in but not connected".to_owned(),
            },
        })
    }

    /// `GET /devices/{id}/login` gives a `qr_link` (with GOWA's own host name, which may not be
    /// reachable from here); the image is fetched from the same path on `base_url`.
    async fn start_pairing(&self) -> Result<Pairing, SendError> {
        if self.health().await? == SessionHealth::Connected {
            return Ok(Pairing::AlreadyPaired);
        }
        let reply = client::send(
            GOWA,
            self.request(http::Method::GET, &self.device_path("/login")),
        )
        .await?;
        if !reply.is_success() {
            return Err(Self::error(&reply));
        }
        let link = reply
            .json::<Envelope<LoginResults>>()
            .and_then(|e| e.results)
            .map(|r| r.qr_link)
            .ok_or_else(|| SendError::decode(GOWA, reply.excerpt()))?;
        let path = reqwest::Url::parse(&link)
            .map(|u| u.path().to_owned())
            .map_err(|e| SendError::decode(GOWA, format!("qr_link: {e}")))?;
        let image = client::send(GOWA, self.request(http::Method::GET, &path)).await?;
        if !image.is_success() {
            return Err(Self::error(&image));
        }
        Ok(Pairing::QrImage {
            mimetype: "image/png".to_owned(),
            base64: base64::engine::general_purpose::STANDARD.encode(&image.body),
        })
    }

    /// Verifies `X-Hub-Signature-256`, then maps `message.ack` receipts (one update per id).
    fn parse_status_webhook(
        &self,
        headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<Vec<DeliveryUpdate>, SendError> {
        signature::verify_hub_signature(GOWA, &self.config.webhook_secret, headers, raw_body)?;
        let webhook: Webhook = serde_json::from_slice(raw_body)
            .map_err(|e| SendError::decode(GOWA, format!("webhook: {e}")))?;
        if webhook.event != "message.ack" {
            return Ok(Vec::new());
        }
        let Some(payload) = webhook.payload else {
            return Ok(Vec::new());
        };
        let Some(status) = payload.receipt_type.as_deref().and_then(receipt_status) else {
            return Ok(Vec::new());
        };
        let at = webhook
            .timestamp
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.with_timezone(&Utc));
        let recipient = payload.chat_id.as_deref().map(phone::from_chat_id);
        Ok(payload
            .ids
            .into_iter()
            .map(|id| DeliveryUpdate {
                provider_message_id: id,
                status: status.clone(),
                recipient: recipient.clone(),
                at,
            })
            .collect())
    }
}
