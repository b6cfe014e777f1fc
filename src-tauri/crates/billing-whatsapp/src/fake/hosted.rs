//! Fake Fonnte (`POST /send`, `POST /device`; `Authorization: {token}`, no Bearer; answers
//! decided by `status`) and Wablas v2 (`POST /api/v2/send-message`, `{token}.{secret}`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde_json::{json, Value};

use super::{header, json, FakeFailure, Shared, FAKE_TOKEN, FAKE_WABLAS_SECRET};

pub(super) fn fonnte_router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .route("/send", post(fonnte_send))
        .route("/device", post(fonnte_device))
        .with_state(shared)
}

pub(super) fn wablas_router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .route("/api/v2/send-message", post(wablas_send))
        .with_state(shared)
}

fn fonnte_reason(reason: &str) -> Response {
    json(200, json!({"reason": reason, "status": false}))
}

fn fonnte_failure(failure: FakeFailure) -> Response {
    match failure {
        FakeFailure::ServerError => json(500, json!({"reason": "server error", "status": false})),
        FakeFailure::RateLimited => {
            json(429, json!({"reason": "too many request", "status": false}))
        }
        FakeFailure::BadRecipient | FakeFailure::OutsideWindow => fonnte_reason("target invalid"),
        FakeFailure::TokenExpired => fonnte_reason("token invalid"),
        FakeFailure::QuotaExhausted => fonnte_reason("insufficient quota"),
    }
}

async fn fonnte_send(
    State(shared): State<Arc<Shared>>,
    headers: http::HeaderMap,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    if let Some(f) = shared.prologue().await {
        return fonnte_failure(f);
    }
    if header(&headers, "authorization") != FAKE_TOKEN {
        return fonnte_reason("token invalid");
    }
    let (Some(target), Some(message)) = (form.get("target"), form.get("message")) else {
        return fonnte_reason("input invalid");
    };
    if target.is_empty() || !target.chars().all(|c| c.is_ascii_digit()) {
        return fonnte_reason("target invalid");
    }
    let id = shared.record("", target.clone(), message.clone());
    let id = u64::from_str_radix(&id, 16).unwrap_or_default() + 80_367_169;
    // `pending` = the device is offline and Fonnte re-sends by itself (docs.fonnte.com).
    let process = if shared.is_down() {
        "pending"
    } else {
        "processing"
    };
    json(
        200,
        json!({
            "detail": "success! message in queue",
            "id": [id.to_string()],
            "process": process,
            "requestid": 2_937_124,
            "status": true,
            "target": [target],
        }),
    )
}

async fn fonnte_device(State(shared): State<Arc<Shared>>, headers: http::HeaderMap) -> Response {
    if let Some(f) = shared.prologue().await {
        return fonnte_failure(f);
    }
    if header(&headers, "authorization") != FAKE_TOKEN {
        return fonnte_reason("token invalid");
    }
    let device_status = if shared.is_down() {
        "disconnect"
    } else {
        "connect"
    };
    json(
        200,
        json!({
            "device": "6281100000001",
            "device_status": device_status,
            "expired": "18 November 2029",
            "messages": 16785,
            "name": "Fake ISP",
            "package": "Reguler",
            "quota": "78",
            "status": true,
        }),
    )
}

fn wablas_error(message: &str) -> Response {
    json(200, json!({"status": false, "message": message}))
}

async fn wablas_send(
    State(shared): State<Arc<Shared>>,
    headers: http::HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    match shared.prologue().await {
        Some(FakeFailure::ServerError) => return wablas_error_status(500),
        Some(FakeFailure::RateLimited) => return wablas_error_status(429),
        Some(FakeFailure::BadRecipient | FakeFailure::OutsideWindow) => {
            return wablas_error("invalid phone number")
        }
        Some(FakeFailure::TokenExpired | FakeFailure::QuotaExhausted) => {
            return wablas_error("token invalid")
        }
        None => {}
    }
    if header(&headers, "authorization") != format!("{FAKE_TOKEN}.{FAKE_WABLAS_SECRET}") {
        return wablas_error("secret key invalid");
    }
    if shared.is_down() {
        return wablas_error("device disconnected");
    }
    let item = &body["data"][0];
    let (Some(phone), Some(message)) = (item["phone"].as_str(), item["message"].as_str()) else {
        return wablas_error("data invalid");
    };
    let id = shared.record("wablas-", phone.to_owned(), message.to_owned());
    json(
        200,
        json!({
            "status": true,
            "message": "Message is pending and waiting to be processed",
            "data": {
                "device_id": "FAKEDEVICE",
                "quota": 100,
                "messages": [{"id": id, "phone": phone, "message": message, "status": "pending"}],
            },
        }),
    )
}

fn wablas_error_status(status: u16) -> Response {
    json(status, json!({"status": false, "message": "server busy"}))
}
