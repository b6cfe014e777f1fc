//! Xendit Invoice API v2: gateways.md §B.3. Callbacks are JSON authenticated by the
//! `x-callback-token` header (equal to the dashboard's verification token; no HMAC).
//! The callback URL itself is configured in the Xendit dashboard, not per request.

pub mod transformers;

use std::time::Duration;

use base64::Engine as _;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use self::transformers as wire;
use crate::client::{self, header, Reply};
use crate::crypto::constant_time_eq;
use crate::types::{phone_e164, CallbackAck};
use crate::{
    CreatePayment, CreatedPayment, Environment, GatewayError, GatewayEvent, GatewayStatus,
    MethodKind, PaymentGateway, PaymentMethod,
};

const CODE: &str = "xendit";
pub const PATH_INVOICES: &str = "/v2/invoices";
pub const HEADER_CALLBACK_TOKEN: &str = "x-callback-token";
/// The one method code: the invoice page lets the customer choose. Any other code is passed as
/// `payment_methods: [code]` (e.g. `BCA`, `QRIS`, `OVO`).
pub const METHOD_INVOICE: &str = "invoice";

/// Settings for Xendit. The key, not the host, selects test or live mode.
#[derive(Debug, Clone)]
pub struct XenditConfig {
    pub environment: Environment,
    pub base_url: String,
    pub secret_key: SecretString,
    pub callback_token: SecretString,
    pub timeout: Duration,
}

impl XenditConfig {
    pub const BASE_URL: &'static str = "https://api.xendit.co";

    pub fn new(
        environment: Environment,
        secret_key: SecretString,
        callback_token: SecretString,
    ) -> Self {
        Self {
            environment,
            base_url: Self::BASE_URL.to_owned(),
            secret_key,
            callback_token,
            timeout: client::DEFAULT_TIMEOUT,
        }
    }

    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }
}

/// The Xendit plugin.
#[derive(Debug, Clone)]
pub struct Xendit {
    config: XenditConfig,
    http: reqwest::Client,
}

impl Xendit {
    pub fn new(config: XenditConfig) -> Result<Self, GatewayError> {
        let http = client::build(config.timeout)?;
        Ok(Self { config, http })
    }

    pub fn config(&self) -> &XenditConfig {
        &self.config
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Reply, GatewayError> {
        let basic = format!("{}:", self.config.secret_key.expose_secret());
        let basic = base64::engine::general_purpose::STANDARD.encode(basic);
        let response = request
            .header(http::header::AUTHORIZATION, format!("Basic {basic}"))
            .send()
            .await?;
        Reply::read(response)
            .await?
            .ok_or_else(CODE, wire::error_message)
    }

    fn event(invoice: wire::Invoice) -> Result<GatewayEvent, GatewayError> {
        let status =
            wire::status_from_wire(&invoice.status).ok_or_else(|| GatewayError::Rejected {
                code: invoice.status.clone(),
                message: "unknown xendit invoice status".to_owned(),
            })?;
        Ok(GatewayEvent {
            merchant_ref: invoice.external_id,
            gateway_ref: Some(invoice.id),
            status,
            amount: invoice.amount,
        })
    }
}

#[async_trait::async_trait]
impl PaymentGateway for Xendit {
    fn code(&self) -> &'static str {
        CODE
    }

    fn environment(&self) -> Environment {
        self.config.environment
    }

    /// The invoice page is the one method; Xendit quotes no fees here.
    async fn methods(&self, _amount: i64) -> Result<Vec<PaymentMethod>, GatewayError> {
        Ok(vec![PaymentMethod {
            code: METHOD_INVOICE.to_owned(),
            name: "Xendit".to_owned(),
            fee: 0,
            image_url: None,
            kind: MethodKind::Redirect,
        }])
    }

    #[tracing::instrument(skip_all, fields(gateway = CODE, merchant_ref = %req.merchant_ref))]
    async fn create(&self, req: &CreatePayment) -> Result<CreatedPayment, GatewayError> {
        let body = wire::CreateInvoice {
            external_id: req.merchant_ref.clone(),
            amount: req.amount,
            description: req.description.clone(),
            invoice_duration: u64::from(req.expiry_minutes) * 60,
            currency: "IDR".to_owned(),
            customer: wire::Customer {
                given_names: req.customer_name.clone(),
                email: req.email.clone(),
                mobile_number: phone_e164(&req.phone),
            },
            success_redirect_url: req.return_url.clone(),
            failure_redirect_url: req.return_url.clone(),
            payment_methods: (req.method != METHOD_INVOICE).then(|| vec![req.method.clone()]),
        };
        let url = format!("{}/", client::join(&self.config.base_url, PATH_INVOICES));
        let invoice: wire::Invoice = self
            .send(self.http.post(url).json(&body))
            .await?
            .json(CODE)?;
        if invoice.amount != req.amount {
            return Err(GatewayError::AmountMismatch {
                expected: req.amount,
                actual: invoice.amount,
            });
        }
        tracing::info!(gateway_ref = %invoice.id, "xendit invoice created");
        Ok(CreatedPayment {
            expires_at: invoice
                .expiry_date
                .as_deref()
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                .map(|d| d.with_timezone(&Utc)),
            payment_url: invoice.invoice_url,
            gateway_ref: invoice.id,
            va_number: None,
            qr_string: None,
            fee: None,
        })
    }

    fn parse_callback(
        &self,
        headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<GatewayEvent, GatewayError> {
        let received = header(headers, HEADER_CALLBACK_TOKEN)
            .ok_or_else(|| GatewayError::Signature("xendit callback without token".into()))?;
        let expected = self.config.callback_token.expose_secret();
        if !constant_time_eq(expected.as_bytes(), received.as_bytes()) {
            tracing::warn!(gateway = CODE, "bad callback token");
            return Err(GatewayError::Signature(
                "xendit callback token mismatch".into(),
            ));
        }
        let cb: wire::Callback = serde_json::from_slice(raw_body)
            .map_err(|e| GatewayError::Decode(format!("xendit callback: {e}")))?;
        let status = wire::status_from_wire(&cb.status).unwrap_or_else(|| {
            tracing::warn!(gateway = CODE, status = %cb.status, "unknown status, treated as pending");
            GatewayStatus::Pending
        });
        Ok(GatewayEvent {
            merchant_ref: cb.external_id,
            gateway_ref: Some(cb.id),
            status,
            amount: cb.amount,
        })
    }

    /// `GET /v2/invoices/{id}`, or without an id `GET /v2/invoices?external_id=…` (a paid
    /// invoice wins over the others for that order).
    #[tracing::instrument(skip_all, fields(gateway = CODE, merchant_ref = %merchant_ref))]
    async fn status(
        &self,
        merchant_ref: &str,
        gateway_ref: Option<&str>,
    ) -> Result<GatewayEvent, GatewayError> {
        let invoices_url = client::join(&self.config.base_url, PATH_INVOICES);
        let invoice = match gateway_ref {
            Some(id) => {
                let url = format!("{invoices_url}/{}", urlencoding::encode(id));
                self.send(self.http.get(url))
                    .await?
                    .json::<wire::Invoice>(CODE)?
            }
            None => {
                let request = self
                    .http
                    .get(invoices_url)
                    .query(&[("external_id", merchant_ref)]);
                let mut list: Vec<wire::Invoice> = self.send(request).await?.json(CODE)?;
                let paid = list
                    .iter()
                    .position(|i| wire::status_from_wire(&i.status) == Some(GatewayStatus::Paid));
                match paid {
                    Some(index) => list.swap_remove(index),
                    None if !list.is_empty() => list.swap_remove(0),
                    None => {
                        return Err(GatewayError::Rejected {
                            code: "404".to_owned(),
                            message: "no xendit invoice for this order".to_owned(),
                        })
                    }
                }
            }
        };
        if invoice.external_id != merchant_ref {
            return Err(GatewayError::Decode(format!(
                "xendit invoice belongs to order {:?}",
                invoice.external_id
            )));
        }
        Self::event(invoice)
    }

    fn callback_ack(&self, accepted: bool) -> CallbackAck {
        if accepted {
            (200, "text/plain; charset=utf-8", "OK".to_owned())
        } else {
            (
                401,
                "text/plain; charset=utf-8",
                "invalid callback token".to_owned(),
            )
        }
    }
}
