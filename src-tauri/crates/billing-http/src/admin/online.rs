//! Admin side of online payments: pay links, gateway payments, status checks, gateway
//! settings and the public-URL check.

use billing_domain::{InvoiceId, Money, PaymentId, PaymentStatus};
use std::time::Duration;

use axum::extract::State;
use axum::Json;
use billing_app::online::{
    GatewaySettings, GatewaySettingsInput, PayLink, PaymentStatusView, PollSummary,
};
use billing_domain::Permission as P;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;
use uuid::Uuid;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::{ApiJson, AuthUser};
use crate::extract::{Path, Query};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::PaymentsRecord), routes!(methods))
        .add(Staff(P::PaymentsRecord), routes!(create))
        .add(Staff(P::PaymentsRecord), routes!(check_pending))
        .add(Staff(P::PaymentsRead), routes!(status))
        .add(Staff(P::PaymentsRecord), routes!(check))
        .add(Staff(P::PaymentsRead), routes!(proof))
        .add(Staff(P::PaymentsRecord), routes!(confirm))
        .add(Staff(P::PaymentsRecord), routes!(reject))
        .add(Staff(P::PaymentsRecord), routes!(review))
        .add(Staff(P::InvoicesRead), routes!(pay_link))
        .add(Staff(P::SettingsWrite), routes!(gateways))
        .add(Staff(P::GatewaysManage), routes!(update_gateway))
        .add(Staff(P::SettingsRead), routes!(get_public_url))
        .add(Staff(P::SettingsWrite), routes!(set_public_url))
        .add(Staff(P::SettingsWrite), routes!(check_public_url))
}

/// A new pay link for an open invoice (send it by WhatsApp).
#[utoipa::path(get, operation_id = "invoice_pay_link", path = "/invoices/{id}/pay", tag = "payments", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = PayLink), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn pay_link(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<InvoiceId>,
) -> Result<Json<PayLink>, ApiError> {
    Ok(Json(
        billing_app::online::create_pay_link(&state.ctx, id).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct MethodParams {
    /// Rupiah; fees depend on it.
    pub amount: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MethodView {
    pub gateway: String,
    pub code: String,
    pub name: String,
    pub fee: i64,
    pub kind: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MethodList {
    pub items: Vec<MethodView>,
}

/// Payment methods of every enabled gateway for an amount.
#[utoipa::path(get, operation_id = "payment_methods", path = "/payments/methods", tag = "payments",
    params(MethodParams), security(("bearer" = [])), responses((status = 200, body = MethodList)))]
pub async fn methods(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<MethodParams>,
) -> Result<Json<MethodList>, ApiError> {
    let (methods, unavailable) =
        billing_app::online::available_methods(&state.ctx, Money::from_minor(p.amount)).await?;
    if let Some((gateway, err)) = unavailable.into_iter().next() {
        return Err(ApiError::Conflict {
            field: None,
            message: format!("{gateway}: {err}"),
        });
    }
    let items = methods
        .into_iter()
        .map(|m| MethodView {
            gateway: m.gateway,
            code: m.code,
            name: m.name,
            fee: m.fee.minor(),
            kind: serde_json::to_value(m.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        })
        .collect();
    Ok(Json(MethodList { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateGatewayPayment {
    pub invoice_id: Uuid,
    pub gateway: String,
    pub method: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GatewayPaymentView {
    #[schema(value_type = Uuid)]
    pub payment_id: PaymentId,
    pub merchant_ref: String,
    pub gateway: String,
    #[schema(value_type = i64)]
    pub amount: Money,
    pub status: PaymentStatus,
    pub payment_url: Option<String>,
    pub va_number: Option<String>,
    pub qr_string: Option<String>,
}

/// Creates a gateway payment for what an invoice still owes.
#[utoipa::path(post, operation_id = "create_gateway_payment", path = "/payments/create", tag = "payments",
    request_body = CreateGatewayPayment, security(("bearer" = [])),
    responses((status = 200, body = GatewayPaymentView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<CreateGatewayPayment>,
) -> Result<Json<GatewayPaymentView>, ApiError> {
    let p = billing_app::online::start_payment_for_invoice(
        &state.ctx,
        b.invoice_id.into(),
        &b.gateway,
        &b.method,
    )
    .await?;
    Ok(Json(GatewayPaymentView {
        payment_id: p.payment_id,
        merchant_ref: p.merchant_ref,
        gateway: p.gateway,
        amount: p.amount,
        status: p.status,
        payment_url: p.payment_url,
        va_number: p.va_number,
        qr_string: p.qr_string,
    }))
}

/// A payment's state, by merchant reference or id.
#[utoipa::path(get, operation_id = "payment_status", path = "/payments/{id}/status", tag = "payments",
    security(("bearer" = [])),
    responses((status = 200, body = PaymentStatusView), (status = 404, body = ErrorBody)))]
pub async fn status(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(reference): Path<String>,
) -> Result<Json<PaymentStatusView>, ApiError> {
    Ok(Json(
        billing_app::online::payment_status(&state.ctx, &reference).await?,
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckResult {
    /// applied, already_applied, still_pending, closed, held or unknown.
    pub outcome: String,
    pub payment: PaymentStatusView,
}

/// "Check now": asks the gateway about one payment.
#[utoipa::path(post, operation_id = "check_payment", path = "/payments/{id}/check", tag = "payments", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = CheckResult), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn check(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<PaymentId>,
) -> Result<Json<CheckResult>, ApiError> {
    let outcome = billing_app::online::check_payment(&state.ctx, id).await?;
    let payment = billing_app::online::payment_status(&state.ctx, &id.to_string()).await?;
    let outcome = serde_json::to_value(outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    Ok(Json(CheckResult { outcome, payment }))
}

/// Checks every pending gateway payment now (the poller runs this every 5 minutes).
#[utoipa::path(post, operation_id = "check_pending_payments", path = "/payments/check-pending", tag = "payments",
    security(("bearer" = [])), responses((status = 200, body = PollSummary)))]
pub async fn check_pending(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<PollSummary>, ApiError> {
    Ok(Json(billing_app::online::check_pending(&state.ctx).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GatewaySettingsList {
    pub items: Vec<GatewaySettings>,
}

/// Payment gateway settings (keys are never returned).
#[utoipa::path(get, operation_id = "list_gateway_settings", path = "/settings/gateways", tag = "settings",
    security(("bearer" = [])), responses((status = 200, body = GatewaySettingsList)))]
pub async fn gateways(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<GatewaySettingsList>, ApiError> {
    Ok(Json(GatewaySettingsList {
        items: billing_app::online::gateway_settings(&state.ctx).await?,
    }))
}

/// Configures a gateway; the API key goes to the OS keyring.
#[utoipa::path(put, operation_id = "update_gateway_settings", path = "/settings/gateways/{code}", tag = "settings",
    request_body = GatewaySettingsInput, security(("bearer" = [])),
    responses((status = 200, body = GatewaySettings), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_gateway(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<GatewaySettingsInput>,
) -> Result<Json<GatewaySettings>, ApiError> {
    Ok(Json(
        billing_app::online::update_gateway_settings(&state.ctx, &code, b).await?,
    ))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct PublicUrl {
    /// The address customers and gateways use, e.g. `https://bayar.rtrwnet.id` (a tunnel).
    pub public_base_url: Option<String>,
    /// Pay without a public address: pay links are the gateway's own checkout page made for
    /// each invoice, and payments are confirmed by polling the gateway. Left out: unchanged.
    #[serde(default)]
    pub pay_without_public_address: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicUrlCheck {
    pub ok: bool,
    pub url: String,
    /// What was found, for the dashboard's translation: `reachable`, `loopback` (reaches this
    /// app, but only from this computer), `not_set`, `other_app`, `http_status`, `timeout`,
    /// `cannot_connect` or `failed`.
    pub code: String,
    /// The HTTP status, for `http_status`.
    pub http_status: Option<u16>,
    /// What is wrong, in plain words (English), and how to fix it.
    pub message: String,
}

/// The public base URL used in pay links and gateway callbacks (empty: not set yet).
#[utoipa::path(get, operation_id = "get_public_url", path = "/settings/public-url", tag = "settings",
    security(("bearer" = [])), responses((status = 200, body = PublicUrl)))]
pub async fn get_public_url(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<PublicUrl>, ApiError> {
    let public_base_url = billing_app::billing::business::public_base_url(&state.ctx).await?;
    let profile = billing_app::billing::business::get(&state.ctx).await?;
    Ok(Json(PublicUrl {
        public_base_url,
        pay_without_public_address: Some(profile.pay_without_public_address),
    }))
}

/// Sets the public base URL used in pay links and gateway callbacks, and whether customers pay
/// on the gateway's own checkout page instead (no public address needed).
#[utoipa::path(put, operation_id = "set_public_url", path = "/settings/public-url", tag = "settings",
    request_body = PublicUrl, security(("bearer" = [])),
    responses((status = 200, body = PublicUrl), (status = 422, body = ErrorBody)))]
pub async fn set_public_url(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<PublicUrl>,
) -> Result<Json<PublicUrl>, ApiError> {
    let url = billing_app::billing::business::set_public_base_url(
        &state.ctx,
        b.public_base_url.as_deref(),
    )
    .await?;
    if let Some(on) = b.pay_without_public_address {
        billing_app::billing::business::set_pay_without_public_address(&state.ctx, on).await?;
    }
    let profile = billing_app::billing::business::get(&state.ctx).await?;
    Ok(Json(PublicUrl {
        public_base_url: url,
        pay_without_public_address: Some(profile.pay_without_public_address),
    }))
}

/// Checks that the public URL reaches THIS app's public listener, with a one-time nonce.
#[utoipa::path(post, operation_id = "check_public_url", path = "/settings/public-url/check", tag = "settings",
    security(("bearer" = [])), responses((status = 200, body = PublicUrlCheck)))]
pub async fn check_public_url(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<PublicUrlCheck>, ApiError> {
    let url = billing_app::billing::business::public_base_url(&state.ctx).await?;
    let Some(url) = url else {
        return Ok(Json(PublicUrlCheck {
            ok: false,
            url: state.ctx.public_fallback_url.clone(),
            code: "not_set".into(),
            http_status: None,
            message: "No public address is set. Expose the public listener with a tunnel (cloudflared, ngrok, Tailscale Funnel) or a port forward, then enter its https address.".into(),
        }));
    };
    let nonce = billing_app::online::new_nonce();
    if let Ok(mut n) = state.nonces.lock() {
        n.insert(nonce.clone());
    }
    let probe = format!("{url}/.well-known/mikrobill-check/{nonce}");
    let client = reqwest_client();
    let result = client.get(&probe).send().await;
    if let Ok(mut n) = state.nonces.lock() {
        n.remove(&nonce);
    }
    let status = result.as_ref().ok().map(|r| r.status().as_u16());
    let (ok, code, message) = match result {
        Ok(res) if res.status().as_u16() == 204 => {
            if billing_app::billing::business::is_loopback_url(&url) {
                (false, "loopback", "The address reaches this app, but only from this computer: customers and gateways cannot use it. Enter the tunnel's or the port forward's public address.".to_owned())
            } else {
                (true, "reachable", "The public address reaches this app.".to_owned())
            }
        }
        Ok(res) if res.status().as_u16() == 404 => (false, "other_app", "The address answers, but it is not this app's public listener (another app, or the tunnel points at the wrong port).".to_owned()),
        Ok(res) => (false, "http_status", format!("The address answered with HTTP {}; check the tunnel's target port.", res.status().as_u16())),
        Err(e) if e.is_timeout() => (false, "timeout", "No answer within 10 seconds: is the tunnel running?".to_owned()),
        Err(e) if e.is_connect() => (false, "cannot_connect", "Cannot connect: the name does not resolve or nothing listens there. Start the tunnel or fix the address.".to_owned()),
        Err(e) => (false, "failed", format!("The check failed: {e}")),
    };
    billing_app::billing::business::record_public_url_check(&state.ctx, &url, ok).await?;
    Ok(Json(PublicUrlCheck {
        ok,
        url,
        code: code.to_owned(),
        http_status: status.filter(|_| code == "http_status"),
        message,
    }))
}

fn reqwest_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default()
}

/// The proof image a customer uploaded for a manual transfer.
#[utoipa::path(get, operation_id = "payment_proof", path = "/payments/{id}/proof", tag = "payments", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, description = "the image", content_type = "image/png"), (status = 404, body = ErrorBody)))]
pub async fn proof(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<PaymentId>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse as _;
    let (content_type, bytes) = billing_app::online::manual::proof(&state.ctx, id).await?;
    Ok(([(axum::http::header::CONTENT_TYPE, content_type)], bytes).into_response())
}

/// The cashier saw the transfer arrive: the payment is settled.
#[utoipa::path(post, operation_id = "confirm_payment_proof", path = "/payments/{id}/confirm", tag = "payments", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = billing_app::billing::payments::Settlement), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<PaymentId>,
) -> Result<Json<billing_app::billing::payments::Settlement>, ApiError> {
    Ok(Json(
        billing_app::online::manual::confirm_proof(&state.ctx, Some(user.id), id).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RejectRequest {
    pub reason: String,
}

/// The transfer did not arrive: the payment fails with a reason.
#[utoipa::path(post, operation_id = "reject_payment_proof", path = "/payments/{id}/reject", tag = "payments", params(("id" = Uuid, Path)),
    request_body = RejectRequest, security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reject(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<PaymentId>,
    ApiJson(b): ApiJson<RejectRequest>,
) -> Result<axum::http::StatusCode, ApiError> {
    billing_app::online::manual::reject_proof(&state.ctx, Some(user.id), id, &b.reason).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewDecision {
    /// `accept`: settle for the amount the gateway reported; `reject`: fail the payment.
    pub action: String,
}

/// Decides on a payment held because the gateway reported a different amount.
#[utoipa::path(post, operation_id = "resolve_payment_review", path = "/payments/{id}/review", tag = "payments", params(("id" = Uuid, Path)),
    request_body = ReviewDecision, security(("bearer" = [])),
    responses((status = 200, body = billing_app::billing::payments::Payment), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<PaymentId>,
    ApiJson(b): ApiJson<ReviewDecision>,
) -> Result<Json<billing_app::billing::payments::Payment>, ApiError> {
    let accept = match b.action.as_str() {
        "accept" => true,
        "reject" => false,
        _ => {
            return Err(ApiError::Validation {
                field: "action",
                message: "action must be accept or reject".into(),
            })
        }
    };
    Ok(Json(
        billing_app::online::resolve_review(&state.ctx, id, accept).await?,
    ))
}
