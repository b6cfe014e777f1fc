//! The public listener: the only surface the owner exposes to the internet. It serves
//! what customers and gateways need — pay pages, the voucher shop, the customer page, gateway
//! webhooks, `/healthz` — with a rate limit per client address, and nothing of the admin side.

mod page;
mod pay;
mod portal;
mod shop;
mod webhook;
mod whatsapp;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::extract::Path;
use crate::{ApiError, HttpState};

pub fn router(state: HttpState) -> Router {
    // Customers: a person clicking around; gateways: bursts of callbacks.
    let pages = GovernorConfigBuilder::default()
        .per_millisecond(100)
        .burst_size(60)
        .finish();
    let hooks = GovernorConfigBuilder::default()
        .per_nanosecond(500_000)
        .burst_size(2_000)
        .finish();
    let (Some(pages), Some(hooks)) = (pages, hooks) else {
        unreachable!("rate limit quotas are non-zero constants")
    };
    let csp = HeaderValue::from_str(&page::content_security_policy())
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"));
    let pay = Router::new()
        .route("/pay/{token}", get(pay::page))
        .route("/pay/{token}/payments", post(pay::start))
        .route(
            "/pay/{token}/manual",
            post(pay::manual).layer(axum::extract::DefaultBodyLimit::max(3 * 1024 * 1024)),
        )
        .route("/pay/{token}/status", get(pay::status))
        .route("/pay/{token}/events", get(pay::events))
        .route("/pay/return/{reference}", get(pay::returned))
        .route("/portal", get(portal::start))
        .route("/portal/code", post(portal::ask))
        .route("/portal/verify", post(portal::verify))
        .route("/portal/pay", post(portal::pay))
        .route("/portal/logout", post(portal::logout))
        .route("/portal/receipt/{id}", get(portal::receipt))
        .route("/shop", get(shop::shop_page))
        .route("/shop/orders", post(shop::create_order))
        .route("/shop/o/{token}", get(shop::order_page))
        .route("/shop/o/{token}/payments", post(shop::start))
        .route("/shop/o/{token}/status", get(shop::status))
        .route("/shop/o/{token}/events", get(shop::events))
        .route("/healthz", get(healthz))
        .route("/.well-known/mikrobill-check/{nonce}", get(check_nonce))
        .layer(GovernorLayer::new(Arc::new(pages)));
    let webhooks = Router::new()
        .route("/api/payments/webhook/{gateway}", post(webhook::receive))
        .route(
            "/api/whatsapp/webhook/{session}",
            post(whatsapp::status).get(whatsapp::verify),
        )
        .layer(GovernorLayer::new(Arc::new(hooks)));
    let router = Router::new()
        .merge(pay)
        .merge(webhooks)
        .method_not_allowed_fallback(crate::guard::method_not_allowed)
        .fallback(not_found)
        .with_state(state);
    crate::guard::layers(router)
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        // The pay page is one self-contained document; only its own script and style sheet
        // run (by hash), it talks only to this listener and may not be framed.
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            axum::http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        // Webhook and upload bodies are small; the proof upload route sets its own limit.
        .layer(axum::extract::DefaultBodyLimit::max(1024 * 1024))
        .layer(crate::request_log::layer())
}

/// Whether this app can serve, for the tunnel and for monitors: 200 when its database
/// answers (one cheap query) and is still this instance's, else 503. Says nothing about the
/// business; the reason stays in the log and on the health page.
async fn healthz(State(state): State<HttpState>) -> (StatusCode, Json<serde_json::Value>) {
    if billing_app::ops::instances::can_serve(&state.ctx).await {
        (StatusCode::OK, Json(json!({ "status": "ok" })))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable" })),
        )
    }
}

/// Answers only for a nonce the admin side just issued: proves that the configured public
/// URL really reaches this app's public listener.
async fn check_nonce(State(state): State<HttpState>, Path(nonce): Path<String>) -> StatusCode {
    let known = state
        .nonces
        .lock()
        .map(|n| n.contains(&nonce))
        .unwrap_or(false);
    if known {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(format!("no route {}", uri.path()))
}
