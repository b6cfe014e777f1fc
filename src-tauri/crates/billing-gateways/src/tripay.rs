//! Tripay closed payments: gateways.md §B.1. Callbacks are JSON signed with
//! `X-Callback-Signature: hmac_sha256(private_key, raw_body)`.

pub mod transformers;

use std::sync::Arc;
use std::time::Duration;

use billing_domain::Clock;
use chrono::{TimeZone, Utc};
use secrecy::{ExposeSecret, SecretString};

use self::transformers as wire;
use crate::client::{self, header, Reply};
use crate::crypto::{hex_eq, hmac_sha256_hex};
use crate::types::{phone_local, CallbackAck};
use crate::{
    CreatePayment, CreatedPayment, Environment, GatewayError, GatewayEvent, GatewayStatus,
    PaymentGateway, PaymentMethod,
};

const CODE: &str = "tripay";
pub const PATH_CREATE: &str = "/transaction/create";
pub const PATH_DETAIL: &str = "/transaction/detail";
pub const PATH_CHANNELS: &str = "/merchant/payment-channel";
pub const HEADER_SIGNATURE: &str = "x-callback-signature";
pub const HEADER_EVENT: &str = "x-callback-event";

/// Settings for Tripay. `base_url` is a setting: tests point it at a fake.
#[derive(Debug, Clone)]
pub struct TripayConfig {
    pub environment: Environment,
    /// e.g. [`TripayConfig::SANDBOX_BASE_URL`]; a trailing slash is optional.
    pub base_url: String,
    pub merchant_code: String,
    /// `Authorization: Bearer …` on API calls.
    pub api_key: SecretString,
    /// Signs requests and callbacks (HMAC-SHA256).
    pub private_key: SecretString,
    pub timeout: Duration,
}

impl TripayConfig {
    pub const SANDBOX_BASE_URL: &'static str = "https://tripay.co.id/api-sandbox/";
    pub const PRODUCTION_BASE_URL: &'static str = "https://tripay.co.id/api/";

    pub fn new(
        environment: Environment,
        merchant_code: impl Into<String>,
        api_key: SecretString,
        private_key: SecretString,
    ) -> Self {
        let base_url = match environment {
            Environment::Sandbox => Self::SANDBOX_BASE_URL,
            Environment::Production => Self::PRODUCTION_BASE_URL,
        };
        Self {
            environment,
            base_url: base_url.to_owned(),
            merchant_code: merchant_code.into(),
            api_key,
            private_key,
            timeout: client::DEFAULT_TIMEOUT,
        }
    }

    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }
}

/// Tripay's signatures (lowercase hex).
pub mod signature {
    use super::hmac_sha256_hex;

    /// Closed-payment create: `hmac_sha256(private_key, merchant_code + merchant_ref + amount)`.
    pub fn create(
        private_key: &str,
        merchant_code: &str,
        merchant_ref: &str,
        amount: i64,
    ) -> String {
        hmac_sha256_hex(
            private_key.as_bytes(),
            format!("{merchant_code}{merchant_ref}{amount}").as_bytes(),
        )
    }

    /// Callback: `hmac_sha256(private_key, raw_body)`.
    pub fn callback(private_key: &str, raw_body: &[u8]) -> String {
        hmac_sha256_hex(private_key.as_bytes(), raw_body)
    }
}

/// The Tripay plugin.
#[derive(Debug, Clone)]
pub struct Tripay {
    config: TripayConfig,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
}

impl Tripay {
    pub fn new(config: TripayConfig, clock: Arc<dyn Clock>) -> Result<Self, GatewayError> {
        let http = client::build(config.timeout)?;
        Ok(Self {
            config,
            http,
            clock,
        })
    }

    pub fn config(&self) -> &TripayConfig {
        &self.config
    }

    fn url(&self, path: &str) -> String {
        client::join(&self.config.base_url, path)
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, GatewayError> {
        let response = request
            .bearer_auth(self.config.api_key.expose_secret())
            .send()
            .await?;
        let envelope: wire::Envelope<T> = Reply::read(response)
            .await?
            .ok_or_else(CODE, wire::error_message)?
            .json(CODE)?;
        match envelope.data {
            Some(data) if envelope.success => Ok(data),
            _ => Err(GatewayError::Rejected {
                code: "tripay".to_owned(),
                message: envelope.message.unwrap_or_default(),
            }),
        }
    }
}

/// Our amount: what the customer paid minus the fee Tripay added for them.
fn net_amount(total: i64, fee_customer: Option<i64>) -> i64 {
    total - fee_customer.unwrap_or(0)
}

#[async_trait::async_trait]
impl PaymentGateway for Tripay {
    fn code(&self) -> &'static str {
        CODE
    }

    fn environment(&self) -> Environment {
        self.config.environment
    }

    #[tracing::instrument(skip_all, fields(gateway = CODE, amount = amount))]
    async fn methods(&self, amount: i64) -> Result<Vec<PaymentMethod>, GatewayError> {
        let channels: Vec<wire::Channel> =
            self.send(self.http.get(self.url(PATH_CHANNELS))).await?;
        Ok(channels
            .into_iter()
            .filter(|c| c.active)
            .map(|c| PaymentMethod {
                kind: wire::method_kind(&c.group, &c.code),
                fee: c
                    .total_fee
                    .as_ref()
                    .map_or(0, |f| wire::channel_fee(amount, f)),
                code: c.code,
                name: c.name,
                image_url: c.icon_url.filter(|u| !u.is_empty()),
            })
            .collect())
    }

    #[tracing::instrument(skip_all, fields(gateway = CODE, merchant_ref = %req.merchant_ref))]
    async fn create(&self, req: &CreatePayment) -> Result<CreatedPayment, GatewayError> {
        let config = &self.config;
        let expires = self.clock.now() + chrono::Duration::minutes(i64::from(req.expiry_minutes));
        let body = wire::CreateRequest {
            method: req.method.clone(),
            merchant_ref: req.merchant_ref.clone(),
            amount: req.amount,
            customer_name: req.customer_name.clone(),
            customer_email: req.email.clone().unwrap_or_default(),
            customer_phone: phone_local(&req.phone),
            order_items: vec![wire::OrderItem {
                sku: req.merchant_ref.clone(),
                name: req.description.clone(),
                price: req.amount,
                quantity: 1,
            }],
            return_url: req.return_url.clone(),
            callback_url: req.callback_url.clone(),
            expired_time: expires.timestamp(),
            signature: signature::create(
                config.private_key.expose_secret(),
                &config.merchant_code,
                &req.merchant_ref,
                req.amount,
            ),
        };
        let tx: wire::Transaction = self
            .send(self.http.post(self.url(PATH_CREATE)).json(&body))
            .await?;
        let actual = net_amount(tx.amount, tx.fee_customer);
        if actual != req.amount {
            return Err(GatewayError::AmountMismatch {
                expected: req.amount,
                actual,
            });
        }
        tracing::info!(gateway_ref = %tx.reference, "tripay payment created");
        let non_empty = |v: Option<String>| v.filter(|s| !s.is_empty());
        Ok(CreatedPayment {
            payment_url: non_empty(tx.checkout_url).or(non_empty(tx.pay_url)),
            va_number: non_empty(tx.pay_code),
            qr_string: non_empty(tx.qr_string),
            expires_at: tx
                .expired_time
                .and_then(|t| Utc.timestamp_opt(t, 0).single())
                .or(Some(expires)),
            fee: tx.total_fee,
            gateway_ref: tx.reference,
        })
    }

    fn parse_callback(
        &self,
        headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<GatewayEvent, GatewayError> {
        let received = header(headers, HEADER_SIGNATURE)
            .ok_or_else(|| GatewayError::Signature("tripay callback without signature".into()))?;
        let expected = signature::callback(self.config.private_key.expose_secret(), raw_body);
        if !hex_eq(&expected, received) {
            tracing::warn!(gateway = CODE, "bad callback signature");
            return Err(GatewayError::Signature(
                "tripay callback signature mismatch".into(),
            ));
        }
        if let Some(event) = header(headers, HEADER_EVENT).filter(|e| *e != "payment_status") {
            return Err(GatewayError::Decode(format!(
                "tripay callback event {event:?}"
            )));
        }
        let cb: wire::Callback = serde_json::from_slice(raw_body)
            .map_err(|e| GatewayError::Decode(format!("tripay callback: {e}")))?;
        let status = wire::status_from_wire(&cb.status).unwrap_or_else(|| {
            tracing::warn!(gateway = CODE, status = %cb.status, "unknown status, treated as pending");
            GatewayStatus::Pending
        });
        Ok(GatewayEvent {
            merchant_ref: cb.merchant_ref,
            gateway_ref: Some(cb.reference),
            status,
            amount: net_amount(cb.total_amount, cb.fee_customer),
        })
    }

    #[tracing::instrument(skip_all, fields(gateway = CODE, merchant_ref = %merchant_ref))]
    async fn status(
        &self,
        merchant_ref: &str,
        gateway_ref: Option<&str>,
    ) -> Result<GatewayEvent, GatewayError> {
        let reference = gateway_ref.ok_or(GatewayError::NotSupported(
            "tripay status needs the gateway reference",
        ))?;
        let request = self
            .http
            .get(self.url(PATH_DETAIL))
            .query(&[("reference", reference)]);
        let tx: wire::Transaction = self.send(request).await?;
        let status = wire::status_from_wire(&tx.status).ok_or_else(|| GatewayError::Rejected {
            code: tx.status.clone(),
            message: "unknown tripay status".to_owned(),
        })?;
        if tx.merchant_ref != merchant_ref {
            return Err(GatewayError::Decode(format!(
                "tripay reference belongs to order {:?}",
                tx.merchant_ref
            )));
        }
        Ok(GatewayEvent {
            amount: net_amount(tx.amount, tx.fee_customer),
            merchant_ref: tx.merchant_ref,
            gateway_ref: Some(tx.reference),
            status,
        })
    }

    fn callback_ack(&self, accepted: bool) -> CallbackAck {
        if accepted {
            (200, "application/json", r#"{"success":true}"#.to_owned())
        } else {
            (
                401,
                "application/json",
                r#"{"success":false,"message":"Invalid signature"}"#.to_owned(),
            )
        }
    }
}
