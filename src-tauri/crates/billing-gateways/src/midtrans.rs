//! Midtrans Snap: gateways.md §B.2. Notifications are JSON carrying
//! `signature_key = sha512(order_id + status_code + gross_amount + server_key)`.
//!
//! `CreatedPayment::gateway_ref` is the Snap token; events carry Midtrans' `transaction_id`
//! (known only once the customer picked a channel). Match events by `merchant_ref`.

pub mod transformers;

use std::time::Duration;

use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};

use self::transformers as wire;
use crate::amount::parse_amount;
use crate::client::{self, Reply};
use crate::crypto::{hex_eq, sha512_hex};
use crate::types::{phone_e164, split_name, CallbackAck};
use crate::{
    CreatePayment, CreatedPayment, Environment, GatewayError, GatewayEvent, GatewayStatus,
    MethodKind, PaymentGateway, PaymentMethod,
};

const CODE: &str = "midtrans";
pub const PATH_SNAP_CREATE: &str = "/transactions";
/// The one method code: the Snap page lets the customer choose. Any other code is passed to
/// Snap as `enabled_payments: [code]` (e.g. `bca_va`, `other_qris`, `gopay`).
pub const METHOD_SNAP: &str = "snap";

/// Settings for Midtrans. Both base URLs are settings: tests point them at a fake.
#[derive(Debug, Clone)]
pub struct MidtransConfig {
    pub environment: Environment,
    /// e.g. [`MidtransConfig::SANDBOX_SNAP_URL`].
    pub snap_base_url: String,
    /// Core API host for status checks, e.g. [`MidtransConfig::SANDBOX_API_URL`].
    pub api_base_url: String,
    pub server_key: SecretString,
    pub timeout: Duration,
}

impl MidtransConfig {
    pub const SANDBOX_SNAP_URL: &'static str = "https://app.sandbox.midtrans.com/snap/v1";
    pub const PRODUCTION_SNAP_URL: &'static str = "https://app.midtrans.com/snap/v1";
    pub const SANDBOX_API_URL: &'static str = "https://api.sandbox.midtrans.com";
    pub const PRODUCTION_API_URL: &'static str = "https://api.midtrans.com";

    pub fn new(environment: Environment, server_key: SecretString) -> Self {
        let (snap, api) = match environment {
            Environment::Sandbox => (Self::SANDBOX_SNAP_URL, Self::SANDBOX_API_URL),
            Environment::Production => (Self::PRODUCTION_SNAP_URL, Self::PRODUCTION_API_URL),
        };
        Self {
            environment,
            snap_base_url: snap.to_owned(),
            api_base_url: api.to_owned(),
            server_key,
            timeout: client::DEFAULT_TIMEOUT,
        }
    }

    /// Points both hosts at one server (a fake).
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        let base_url = base_url.into();
        self.snap_base_url = client::join(&base_url, "/snap/v1");
        self.api_base_url = base_url;
        self
    }
}

/// Midtrans' signature (lowercase hex).
pub mod signature {
    use super::sha512_hex;

    /// `sha512(order_id + status_code + gross_amount + server_key)`, `gross_amount` as sent.
    pub fn notification(
        order_id: &str,
        status_code: &str,
        gross_amount: &str,
        key: &str,
    ) -> String {
        sha512_hex(&format!("{order_id}{status_code}{gross_amount}{key}"))
    }
}

/// The Midtrans plugin.
#[derive(Debug, Clone)]
pub struct Midtrans {
    config: MidtransConfig,
    http: reqwest::Client,
}

impl Midtrans {
    pub fn new(config: MidtransConfig) -> Result<Self, GatewayError> {
        let http = client::build(config.timeout)?;
        Ok(Self { config, http })
    }

    pub fn config(&self) -> &MidtransConfig {
        &self.config
    }

    /// `Basic base64(server_key + ":")`.
    fn authorization(&self) -> String {
        let raw = format!("{}:", self.config.server_key.expose_secret());
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }

    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request
            .header(http::header::AUTHORIZATION, self.authorization())
            .header(http::header::ACCEPT, "application/json")
    }

    fn event(n: wire::Notification, fallback_ref: &str) -> Result<GatewayEvent, GatewayError> {
        let wire_status = n.transaction_status.as_deref().unwrap_or_default();
        let status = wire::status_from_wire(wire_status, n.fraud_status.as_deref())
            .unwrap_or_else(|| {
                tracing::warn!(gateway = CODE, status = %wire_status, "unknown status, treated as pending");
                GatewayStatus::Pending
            });
        let amount_text = n
            .gross_amount
            .as_ref()
            .and_then(wire::gross_amount_text)
            .ok_or_else(|| GatewayError::Decode("midtrans: no gross_amount".into()))?;
        Ok(GatewayEvent {
            merchant_ref: n.order_id.unwrap_or_else(|| fallback_ref.to_owned()),
            gateway_ref: n.transaction_id,
            status,
            amount: parse_amount(&amount_text).map_err(GatewayError::Decode)?,
        })
    }
}

#[async_trait::async_trait]
impl PaymentGateway for Midtrans {
    fn code(&self) -> &'static str {
        CODE
    }

    fn environment(&self) -> Environment {
        self.config.environment
    }

    /// Midtrans has no channel-list API: the Snap page is the one method.
    async fn methods(&self, _amount: i64) -> Result<Vec<PaymentMethod>, GatewayError> {
        Ok(vec![PaymentMethod {
            code: METHOD_SNAP.to_owned(),
            name: "Midtrans".to_owned(),
            fee: 0,
            image_url: None,
            kind: MethodKind::Redirect,
        }])
    }

    #[tracing::instrument(skip_all, fields(gateway = CODE, merchant_ref = %req.merchant_ref))]
    async fn create(&self, req: &CreatePayment) -> Result<CreatedPayment, GatewayError> {
        let (first_name, last_name) = split_name(&req.customer_name);
        let body = wire::SnapRequest {
            transaction_details: wire::TransactionDetails {
                order_id: req.merchant_ref.clone(),
                gross_amount: req.amount,
            },
            item_details: vec![wire::ItemDetail {
                id: req.merchant_ref.clone(),
                price: req.amount,
                quantity: 1,
                name: req.description.chars().take(50).collect(),
            }],
            customer_details: wire::CustomerDetails {
                first_name,
                last_name,
                email: req.email.clone(),
                phone: phone_e164(&req.phone),
            },
            expiry: wire::Expiry {
                unit: "minute".to_owned(),
                duration: req.expiry_minutes,
            },
            enabled_payments: (req.method != METHOD_SNAP).then(|| vec![req.method.clone()]),
            callbacks: Some(wire::Callbacks {
                finish: req.return_url.clone(),
            }),
        };
        let url = client::join(&self.config.snap_base_url, PATH_SNAP_CREATE);
        let response = self
            .authorized(self.http.post(url))
            .header("X-Override-Notification", &req.callback_url)
            .json(&body)
            .send()
            .await?;
        let answer: wire::SnapResponse = Reply::read(response)
            .await?
            .ok_or_else(CODE, wire::error_message)?
            .json(CODE)?;
        tracing::info!("midtrans snap transaction created");
        Ok(CreatedPayment {
            gateway_ref: answer.token,
            payment_url: Some(answer.redirect_url),
            va_number: None,
            qr_string: None,
            expires_at: None,
            fee: None,
        })
    }

    fn parse_callback(
        &self,
        _headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<GatewayEvent, GatewayError> {
        let n: wire::Notification = serde_json::from_slice(raw_body).map_err(|e| {
            GatewayError::Signature(format!("midtrans notification unreadable: {e}"))
        })?;
        let (Some(order_id), Some(received), Some(amount)) = (
            n.order_id.as_deref(),
            n.signature_key.as_deref(),
            n.gross_amount.as_ref().and_then(wire::gross_amount_text),
        ) else {
            return Err(GatewayError::Signature(
                "midtrans notification not signed".into(),
            ));
        };
        let expected = signature::notification(
            order_id,
            &n.status_code,
            &amount,
            self.config.server_key.expose_secret(),
        );
        if !hex_eq(&expected, received) {
            tracing::warn!(gateway = CODE, merchant_ref = %order_id, "bad notification signature");
            return Err(GatewayError::Signature(
                "midtrans signature_key mismatch".into(),
            ));
        }
        let fallback = order_id.to_owned();
        Self::event(n, &fallback)
    }

    /// `GET {api}/v2/{order_id}/status`. A Snap order where the customer has not chosen a channel
    /// yet is unknown to Midtrans (404): reported as `Pending` with amount 0.
    #[tracing::instrument(skip_all, fields(gateway = CODE, merchant_ref = %merchant_ref))]
    async fn status(
        &self,
        merchant_ref: &str,
        _gateway_ref: Option<&str>,
    ) -> Result<GatewayEvent, GatewayError> {
        let url = client::join(
            &self.config.api_base_url,
            &format!("/v2/{}/status", urlencoding::encode(merchant_ref)),
        );
        let response = self.authorized(self.http.get(url)).send().await?;
        let reply = Reply::read(response).await?;
        let not_started = || GatewayEvent {
            merchant_ref: merchant_ref.to_owned(),
            gateway_ref: None,
            status: GatewayStatus::Pending,
            amount: 0,
        };
        if reply.status == 404 {
            return Ok(not_started());
        }
        let n: wire::Notification = reply.ok_or_else(CODE, wire::error_message)?.json(CODE)?;
        match n.status_code.as_str() {
            "404" => Ok(not_started()),
            // Denied / expired transactions come with 2xx or 4xx codes (e.g. 407) and a status.
            _ if n.transaction_status.is_some() => Self::event(n, merchant_ref),
            code => Err(GatewayError::Rejected {
                code: code.to_owned(),
                message: n.status_message.unwrap_or_default(),
            }),
        }
    }

    fn callback_ack(&self, accepted: bool) -> CallbackAck {
        if accepted {
            (200, "text/plain; charset=utf-8", "OK".to_owned())
        } else {
            (
                401,
                "text/plain; charset=utf-8",
                "invalid signature".to_owned(),
            )
        }
    }
}
