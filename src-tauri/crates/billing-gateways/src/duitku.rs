//! Duitku: the "API" family (v2 inquiry, payment methods, transaction status) and, for the
//! hosted checkout page, POP `createInvoice` (gateways.md §A). Callbacks are form-encoded and
//! their `resultCode` is ambiguous, so [`Duitku`] reports `callback_is_trigger_only() == true`.

pub mod transformers;

use std::sync::Arc;
use std::time::Duration;

use billing_domain::Clock;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use self::transformers as wire;
use crate::client::{self, Reply};
use crate::crypto::{hex_eq, md5_hex, sha256_hex};
use crate::types::{phone_local, split_name, CallbackAck};
use crate::{
    CreatePayment, CreatedPayment, Environment, GatewayError, GatewayEvent, PaymentGateway,
    PaymentMethod,
};

const CODE: &str = "duitku";
pub const PATH_PAYMENT_METHODS: &str = "/webapi/api/merchant/paymentmethod/getpaymentmethod";
pub const PATH_INQUIRY: &str = "/webapi/api/merchant/v2/inquiry";
pub const PATH_STATUS: &str = "/webapi/api/merchant/transactionStatus";
/// POP Create Invoice (§A.4), on the POP host.
pub const PATH_POP_CREATE_INVOICE: &str = "/api/merchant/createInvoice";

/// Settings for Duitku. `base_url` is a setting: tests point it at a fake.
#[derive(Debug, Clone)]
pub struct DuitkuConfig {
    pub environment: Environment,
    /// API-family host, e.g. [`DuitkuConfig::SANDBOX_BASE_URL`].
    pub base_url: String,
    /// POP host (hosted checkout, `createInvoice`), e.g. [`DuitkuConfig::SANDBOX_POP_URL`].
    pub pop_base_url: String,
    /// Not a secret (it is in every callback), so a plain string.
    pub merchant_code: String,
    pub api_key: SecretString,
    pub timeout: Duration,
}

impl DuitkuConfig {
    pub const SANDBOX_BASE_URL: &'static str = "https://sandbox.duitku.com";
    pub const PRODUCTION_BASE_URL: &'static str = "https://passport.duitku.com";
    pub const SANDBOX_POP_URL: &'static str = "https://api-sandbox.duitku.com";
    pub const PRODUCTION_POP_URL: &'static str = "https://api-prod.duitku.com";

    /// A config with the environment's default base URL.
    pub fn new(
        environment: Environment,
        merchant_code: impl Into<String>,
        api_key: SecretString,
    ) -> Self {
        let (base_url, pop_base_url) = match environment {
            Environment::Sandbox => (Self::SANDBOX_BASE_URL, Self::SANDBOX_POP_URL),
            Environment::Production => (Self::PRODUCTION_BASE_URL, Self::PRODUCTION_POP_URL),
        };
        Self {
            environment,
            base_url: base_url.to_owned(),
            pop_base_url: pop_base_url.to_owned(),
            merchant_code: merchant_code.into(),
            api_key,
            timeout: client::DEFAULT_TIMEOUT,
        }
    }

    /// One host for both families (a fake, a proxy): the API and the POP paths differ.
    pub fn with_base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self.pop_base_url = self.base_url.clone();
        self
    }
}

/// Duitku's signatures (§A.9.1). Each returns lowercase hex.
pub mod signature {
    use super::{md5_hex, sha256_hex};

    /// Get Payment Method: `sha256(merchantCode + amount + datetime + apiKey)`.
    pub fn payment_methods(merchant_code: &str, amount: i64, datetime: &str, key: &str) -> String {
        sha256_hex(&format!("{merchant_code}{amount}{datetime}{key}"))
    }

    /// v2 inquiry: `md5(merchantCode + merchantOrderId + paymentAmount + apiKey)`.
    pub fn inquiry(merchant_code: &str, order_id: &str, amount: i64, key: &str) -> String {
        md5_hex(&format!("{merchant_code}{order_id}{amount}{key}"))
    }

    /// Callback: `md5(merchantCode + amount + merchantOrderId + apiKey)`, over `amount` exactly
    /// as posted.
    pub fn callback(merchant_code: &str, amount: &str, order_id: &str, key: &str) -> String {
        md5_hex(&format!("{merchant_code}{amount}{order_id}{key}"))
    }

    /// transactionStatus: `md5(merchantCode + merchantOrderId + apiKey)`.
    pub fn status(merchant_code: &str, order_id: &str, key: &str) -> String {
        md5_hex(&format!("{merchant_code}{order_id}{key}"))
    }

    /// POP `x-duitku-signature`: `sha256(merchantCode + timestamp_ms + apiKey)`.
    pub fn pop_header(merchant_code: &str, timestamp_ms: i64, key: &str) -> String {
        sha256_hex(&format!("{merchant_code}{timestamp_ms}{key}"))
    }
}

/// `datetime` for Get Payment Method: `Y-m-d H:i:s` in Asia/Jakarta (UTC+7, no DST).
pub fn jakarta_datetime(at: DateTime<Utc>) -> String {
    // WIB is a fixed UTC+7 with no daylight saving.
    (at + chrono::Duration::hours(7))
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The Duitku plugin.
#[derive(Debug, Clone)]
pub struct Duitku {
    config: DuitkuConfig,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
}

impl Duitku {
    pub fn new(config: DuitkuConfig, clock: Arc<dyn Clock>) -> Result<Self, GatewayError> {
        let http = client::build(config.timeout)?;
        Ok(Self {
            config,
            http,
            clock,
        })
    }

    pub fn config(&self) -> &DuitkuConfig {
        &self.config
    }

    fn key(&self) -> &str {
        self.config.api_key.expose_secret()
    }

    async fn post<T: serde::Serialize>(&self, path: &str, body: &T) -> Result<Reply, GatewayError> {
        let url = client::join(&self.config.base_url, path);
        let response = self.http.post(url).json(body).send().await?;
        Reply::read(response)
            .await?
            .ok_or_else(CODE, wire::error_message)
    }

    fn inquiry_request(&self, req: &CreatePayment) -> wire::InquiryRequest {
        let code = &self.config.merchant_code;
        let email = req.email.clone().unwrap_or_default();
        let phone = phone_local(&req.phone);
        let (first_name, last_name) = split_name(&req.customer_name);
        wire::InquiryRequest {
            merchant_code: code.clone(),
            payment_method: req.method.clone(),
            order: wire::Order {
                payment_amount: req.amount,
                merchant_order_id: req.merchant_ref.clone(),
                product_details: req.description.clone(),
                additional_param: String::new(),
                merchant_user_info: String::new(),
                customer_va_name: req.customer_name.clone(),
                email: email.clone(),
                phone_number: phone.clone(),
                item_details: vec![wire::ItemDetail {
                    name: req.description.clone(),
                    price: req.amount,
                    quantity: 1,
                }],
                customer_detail: Some(wire::CustomerDetail {
                    first_name,
                    last_name,
                    email,
                    phone_number: phone,
                }),
                return_url: req.return_url.clone(),
                expiry_period: Some(req.expiry_minutes),
            },
            callback_url: req.callback_url.clone(),
            signature: signature::inquiry(code, &req.merchant_ref, req.amount, self.key()),
        }
    }

    /// The POP body: the inquiry's fields minus `merchantCode`, `signature` and (so the
    /// customer chooses on Duitku's page) `paymentMethod` (§A.4).
    fn pop_request(&self, req: &CreatePayment) -> wire::PopInvoiceRequest {
        let inquiry = self.inquiry_request(req);
        wire::PopInvoiceRequest {
            order: inquiry.order,
            callback_url: inquiry.callback_url,
        }
    }
}

#[async_trait::async_trait]
impl PaymentGateway for Duitku {
    fn code(&self) -> &'static str {
        CODE
    }

    fn environment(&self) -> Environment {
        self.config.environment
    }

    #[tracing::instrument(skip_all, fields(gateway = CODE, amount = amount))]
    async fn methods(&self, amount: i64) -> Result<Vec<PaymentMethod>, GatewayError> {
        let code = &self.config.merchant_code;
        let datetime = jakarta_datetime(self.clock.now());
        let body = wire::MethodsRequest {
            merchant_code: code.clone(),
            amount,
            signature: signature::payment_methods(code, amount, &datetime, self.key()),
            datetime,
        };
        let answer: wire::MethodsResponse =
            self.post(PATH_PAYMENT_METHODS, &body).await?.json(CODE)?;
        if let Some(code) = answer.response_code.filter(|c| c != "00") {
            return Err(GatewayError::Rejected {
                code,
                message: answer.response_message.unwrap_or_default(),
            });
        }
        Ok(answer
            .payment_fee
            .into_iter()
            .map(|m| PaymentMethod {
                kind: wire::method_kind(&m.payment_method),
                code: m.payment_method,
                name: m.payment_name,
                fee: m.total_fee.unwrap_or(0),
                image_url: wire::non_empty(m.payment_image),
            })
            .collect())
    }

    #[tracing::instrument(skip_all, fields(gateway = CODE, merchant_ref = %req.merchant_ref))]
    async fn create(&self, req: &CreatePayment) -> Result<CreatedPayment, GatewayError> {
        let body = self.inquiry_request(req);
        let answer: wire::InquiryResponse = self.post(PATH_INQUIRY, &body).await?.json(CODE)?;
        let status_code = answer.status_code.clone().unwrap_or_default();
        if status_code != "00" {
            return Err(GatewayError::Rejected {
                code: status_code,
                message: answer.status_message.unwrap_or_default(),
            });
        }
        if let Some(actual) = answer.amount.filter(|a| *a != req.amount) {
            return Err(GatewayError::AmountMismatch {
                expected: req.amount,
                actual,
            });
        }
        let gateway_ref = wire::non_empty(answer.reference).ok_or_else(|| {
            GatewayError::Decode("duitku: inquiry answer without reference".into())
        })?;
        tracing::info!(%gateway_ref, "duitku payment created");
        let expires_at =
            self.clock.now() + chrono::Duration::minutes(i64::from(req.expiry_minutes));
        Ok(CreatedPayment {
            gateway_ref,
            payment_url: wire::non_empty(answer.payment_url),
            va_number: wire::non_empty(answer.va_number),
            qr_string: wire::non_empty(answer.qr_string),
            expires_at: Some(expires_at),
            fee: None,
        })
    }

    #[tracing::instrument(skip_all, fields(gateway = CODE, merchant_ref = %req.merchant_ref))]
    async fn create_checkout(&self, req: &CreatePayment) -> Result<CreatedPayment, GatewayError> {
        let code = &self.config.merchant_code;
        let timestamp = self.clock.now().timestamp_millis();
        let body = self.pop_request(req);
        let url = client::join(&self.config.pop_base_url, PATH_POP_CREATE_INVOICE);
        let response = self
            .http
            .post(url)
            .header(http::header::ACCEPT, "application/json")
            .header(
                "x-duitku-signature",
                signature::pop_header(code, timestamp, self.key()),
            )
            .header("x-duitku-timestamp", timestamp.to_string())
            .header("x-duitku-merchantcode", code.as_str())
            .json(&body)
            .send()
            .await?;
        let answer: wire::PopInvoiceResponse = Reply::read(response)
            .await?
            .ok_or_else(CODE, wire::error_message)?
            .json(CODE)?;
        let status_code = answer.status_code.clone().unwrap_or_default();
        if status_code != "00" {
            return Err(GatewayError::Rejected {
                code: status_code,
                message: answer.status_message.unwrap_or_default(),
            });
        }
        let gateway_ref = wire::non_empty(answer.reference).ok_or_else(|| {
            GatewayError::Decode("duitku: createInvoice answer without reference".into())
        })?;
        let payment_url = wire::non_empty(answer.payment_url).ok_or_else(|| {
            GatewayError::Decode("duitku: createInvoice answer without paymentUrl".into())
        })?;
        tracing::info!(%gateway_ref, "duitku checkout created");
        Ok(CreatedPayment {
            gateway_ref,
            payment_url: Some(payment_url),
            va_number: None,
            qr_string: None,
            expires_at: Some(
                self.clock.now() + chrono::Duration::minutes(i64::from(req.expiry_minutes)),
            ),
            fee: None,
        })
    }

    fn supports_checkout(&self) -> bool {
        true
    }

    fn parse_callback(
        &self,
        _headers: &http::HeaderMap,
        raw_body: &[u8],
    ) -> Result<GatewayEvent, GatewayError> {
        let form: wire::CallbackForm = serde_urlencoded::from_bytes(raw_body)
            .map_err(|e| GatewayError::Signature(format!("duitku callback is not a form: {e}")))?;
        if form.signature.is_empty() {
            return Err(GatewayError::Signature(
                "duitku callback without signature".into(),
            ));
        }
        if form.merchant_code != self.config.merchant_code {
            return Err(GatewayError::Signature(
                "duitku callback for another merchant".into(),
            ));
        }
        let expected = signature::callback(
            &form.merchant_code,
            &form.amount,
            &form.merchant_order_id,
            self.key(),
        );
        if !hex_eq(&expected, &form.signature) {
            tracing::warn!(gateway = CODE, merchant_ref = %form.merchant_order_id, "bad callback signature");
            return Err(GatewayError::Signature(
                "duitku callback signature mismatch".into(),
            ));
        }
        let amount = crate::amount::parse_amount(&form.amount).map_err(GatewayError::Decode)?;
        Ok(GatewayEvent {
            status: wire::callback_status(&form.result_code),
            gateway_ref: wire::non_empty(Some(form.reference)),
            merchant_ref: form.merchant_order_id,
            amount,
        })
    }

    fn callback_is_trigger_only(&self) -> bool {
        true
    }

    #[tracing::instrument(skip_all, fields(gateway = CODE, merchant_ref = %merchant_ref))]
    async fn status(
        &self,
        merchant_ref: &str,
        gateway_ref: Option<&str>,
    ) -> Result<GatewayEvent, GatewayError> {
        let code = &self.config.merchant_code;
        let body = wire::StatusRequest {
            merchant_code: code.clone(),
            merchant_order_id: merchant_ref.to_owned(),
            signature: signature::status(code, merchant_ref, self.key()),
        };
        let answer: wire::StatusResponse = self.post(PATH_STATUS, &body).await?.json(CODE)?;
        let status =
            wire::status_from_code(&answer.status_code).ok_or_else(|| GatewayError::Rejected {
                code: answer.status_code.clone(),
                message: answer.status_message.clone().unwrap_or_default(),
            })?;
        let amount = answer
            .amount
            .ok_or_else(|| GatewayError::Decode("duitku: status answer without amount".into()))?;
        Ok(GatewayEvent {
            merchant_ref: answer
                .merchant_order_id
                .filter(|id| !id.is_empty())
                .unwrap_or_else(|| merchant_ref.to_owned()),
            gateway_ref: wire::non_empty(answer.reference).or(gateway_ref.map(str::to_owned)),
            status,
            amount,
        })
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
