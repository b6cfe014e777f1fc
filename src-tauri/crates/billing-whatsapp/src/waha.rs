//! WAHA (gateways.md §C.3): `POST {base}/api/sendText` with `X-Api-Key`; a session that is not
//! WORKING makes WAHA wait 5 s and answer **422** — the main failover trigger. Pairing by QR
//! (`GET /api/{session}/auth/qr`). WAHA Core only allows the session `default`, so a pool on
//! Core needs one container per session.

mod transformers;

use std::time::Duration;

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};

use self::transformers::{
    ack_status, health, message_id, AckPayload, Base64File, SendTextRequest, SessionDto,
    StatusError, Webhook,
};
use crate::client::{self, Reply};
use crate::{
    phone, AcceptedState, DeliveryUpdate, Pairing, ProviderKind, SendError, SendReceipt,
    SessionHealth, WhatsAppProvider,
};

const WAHA: ProviderKind = ProviderKind::Waha;

#[derive(Debug, Clone)]
pub struct WahaConfig {
    /// e.g. `http://127.0.0.1:3000`
    pub base_url: String,
    /// `WHATSAPP_API_KEY` of the WAHA instance, sent as `X-Api-Key` when set.
    pub api_key: Option<SecretString>,
    /// The session name (`default` on WAHA Core).
    pub session: String,
    pub timeout: Option<Duration>,
}

#[derive(Debug)]
pub struct Waha {
    config: WahaConfig,
    http: reqwest::Client,
}

impl Waha {
    pub fn new(config: WahaConfig) -> Result<Waha, SendError> {
        if config.session.trim().is_empty() {
            return Err(SendError::config(
                WAHA,
                true,
                "WAHA session name is required",
            ));
        }
        let http = client::build(WAHA, config.timeout.unwrap_or(client::DEFAULT_TIMEOUT))?;
        Ok(Waha { config, http })
    }

    fn request(&self, method: http::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(method, client::join(&self.config.base_url, path));
        if let Some(key) = &self.config.api_key {
            request = request.header("X-Api-Key", key.expose_secret());
        }
        request
    }

    fn error(reply: &Reply) -> SendError {
        match reply.status {
            422 => {
                let body = reply.json::<StatusError>();
                match body.as_ref().and_then(|b| b.status.as_deref()) {
                    Some(status) if status != "WORKING" => SendError::session_down(
                        WAHA,
                        format!("session status {status} (expected WORKING)"),
                    ),
                    _ => SendError::config(
                        WAHA,
                        false,
                        body.and_then(|b| b.error)
                            .unwrap_or_else(|| reply.excerpt()),
                    ),
                }
            }
            404 => SendError::config(WAHA, true, format!("unknown session: {}", reply.excerpt())),
            // [U] WAHA's wording for a chat id that is not on WhatsApp is engine-specific.
            400 if ["chatid", "number", "phone"]
                .iter()
                .any(|w| reply.excerpt().to_ascii_lowercase().contains(w)) =>
            {
                SendError::recipient(WAHA, crate::RecipientReason::InvalidNumber, reply.excerpt())
            }
            _ => reply.fallback_error(WAHA, reply.excerpt()),
        }
    }

    fn session_path(&self, suffix: &str) -> String {
        format!(
            "/api/sessions/{}{suffix}",
            urlencoding::encode(&self.config.session)
        )
    }
}

#[async_trait]
impl WhatsAppProvider for Waha {
    fn kind(&self) -> ProviderKind {
        WAHA
    }

    #[tracing::instrument(skip_all, fields(provider = "waha", session = %self.config.session))]
    async fn send_text(&self, to: &str, body: &str) -> Result<SendReceipt, SendError> {
        let chat_id = crate::to_chat_id(WAHA, to);
        let payload = SendTextRequest {
            session: &self.config.session,
            chat_id: &chat_id,
            text: body,
            reply_to: None,
        };
        let request = self
            .request(http::Method::POST, "/api/sendText")
            .json(&payload);
        let reply = client::send(WAHA, request).await?;
        if !reply.is_success() {
            return Err(Self::error(&reply));
        }
        let id = reply
            .json::<serde_json::Value>()
            .as_ref()
            .and_then(message_id);
        if id.is_none() {
            tracing::warn!("WAHA accepted a message without a readable id");
        }
        Ok(SendReceipt {
            provider_message_id: id,
            accepted_state: AcceptedState::Accepted,
        })
    }

    /// `GET /api/sessions/{name}` → STOPPED, STARTING, SCAN_QR_CODE, WORKING, FAILED.
    async fn health(&self) -> Result<SessionHealth, SendError> {
        let reply = client::send(
            WAHA,
            self.request(http::Method::GET, &self.session_path("")),
        )
        .await?;
        if !reply.is_success() {
            return Err(Self::error(&reply));
        }
        reply
            .json::<SessionDto>()
            .map(|s| health(&s.status))
            .ok_or_else(|| SendError::decode(WAHA, reply.excerpt()))
    }

    /// Starts the session (idempotent), then fetches the QR as base64 PNG. A session that is
    /// already WORKING gives [`Pairing::AlreadyPaired`].
    async fn start_pairing(&self) -> Result<Pairing, SendError> {
        let start = self.request(http::Method::POST, &self.session_path("/start"));
        let reply = client::send(WAHA, start).await?;
        if !reply.is_success() {
            return Err(Self::error(&reply));
        }
        if reply
            .json::<SessionDto>()
            .is_some_and(|s| s.status == "WORKING")
        {
            return Ok(Pairing::AlreadyPaired);
        }
        let qr = self
            .request(
                http::Method::GET,
                &format!(
                    "/api/{}/auth/qr?format=image",
                    urlencoding::encode(&self.config.session)
                ),
            )
            .header(http::header::ACCEPT, "application/json");
        let reply = client::send(WAHA, qr).await?;
        if !reply.is_success() {
            return Err(Self::error(&reply));
        }
        reply
            .json::<Base64File>()
            .map(|f| Pairing::QrImage {
                mimetype: f.mimetype,
                base64: f.data,
            })
            .ok_or_else(|| SendError::decode(WAHA, "QR answer is not {mimetype,data}"))
    }

    /// `message.ack` events → one update; other events → `[]`. WAHA Core does not sign
    /// webhooks: put a secret in the webhook URL path.
    fn parse_status_webhook(
        &self,
        _headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<Vec<DeliveryUpdate>, SendError> {
        let webhook: Webhook = serde_json::from_slice(raw_body)
            .map_err(|e| SendError::decode(WAHA, format!("webhook: {e}")))?;
        if webhook.event != "message.ack" {
            return Ok(Vec::new());
        }
        let ack: AckPayload = serde_json::from_value(webhook.payload)
            .map_err(|e| SendError::decode(WAHA, format!("message.ack payload: {e}")))?;
        Ok(ack_status(ack.ack_name.as_deref(), ack.ack)
            .map(|status| DeliveryUpdate {
                provider_message_id: ack.id,
                status,
                recipient: ack.to.as_deref().map(phone::from_chat_id),
                at: None,
            })
            .into_iter()
            .collect())
    }
}
