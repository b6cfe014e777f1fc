//! Fake GOWA: `POST /send/message` (`X-Device-Id`, Basic auth), `GET /devices/{id}/status`,
//! `GET /devices/{id}/login` (a `qr_link` on GOWA's own host `localhost:3000`, as the real one
//! answers) and the QR image under `/statics/images/qrcode/`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde_json::{json, Value};

use super::{
    header, json, FakeFailure, Shared, FAKE_BASIC_PASSWORD, FAKE_BASIC_USER, FAKE_DEVICE_ID,
    FAKE_QR_PNG,
};

pub(super) fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .route("/send/message", post(send_message))
        .route("/devices/{id}/status", get(status))
        .route("/devices/{id}/login", get(login))
        .route("/statics/images/qrcode/{file}", get(qr_image))
        .with_state(shared)
}

fn error(status: u16, message: &str) -> Response {
    json(
        status,
        json!({"code": status.to_string(), "message": message, "results": null}),
    )
}

fn failure(failure: FakeFailure) -> Response {
    match failure {
        FakeFailure::ServerError => error(500, "internal server error"),
        FakeFailure::RateLimited => error(429, "too many requests"),
        FakeFailure::BadRecipient | FakeFailure::OutsideWindow => {
            error(400, "invalid phone number: not on whatsapp")
        }
        FakeFailure::TokenExpired | FakeFailure::QuotaExhausted => error(401, "Unauthorized"),
    }
}

async fn gate(shared: &Shared, headers: &http::HeaderMap, device: &str) -> Option<Response> {
    if let Some(f) = shared.prologue().await {
        return Some(failure(f));
    }
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD
            .encode(format!("{FAKE_BASIC_USER}:{FAKE_BASIC_PASSWORD}"))
    );
    if header(headers, "authorization") != expected {
        return Some(error(401, "Unauthorized"));
    }
    (device != FAKE_DEVICE_ID).then(|| error(404, "device not found"))
}

async fn send_message(
    State(shared): State<Arc<Shared>>,
    headers: http::HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if let Some(r) = gate(&shared, &headers, header(&headers, "x-device-id")).await {
        return r;
    }
    let (Some(phone), Some(message)) = (body["phone"].as_str(), body["message"].as_str()) else {
        return error(400, "field cannot be blank");
    };
    if shared.is_down() {
        // UNVERIFIED shape: GOWA's wording for a logged-out device.
        return error(500, "you are not logged in, please login first");
    }
    let id = shared.record("3EB0B430B6F8", phone.to_owned(), message.to_owned());
    json(
        200,
        json!({
            "code": "SUCCESS",
            "message": "Success",
            "results": {"message_id": id, "status": format!("Message sent to {phone}")},
        }),
    )
}

async fn status(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: http::HeaderMap,
) -> Response {
    if let Some(r) = gate(&shared, &headers, &id).await {
        return r;
    }
    let up = !shared.is_down();
    json(
        200,
        json!({
            "code": "SUCCESS",
            "message": "Device status",
            "status": 200,
            "results": {"device_id": id, "is_connected": up, "is_logged_in": up},
        }),
    )
}

async fn login(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: http::HeaderMap,
) -> Response {
    if let Some(r) = gate(&shared, &headers, &id).await {
        return r;
    }
    json(
        200,
        json!({
            "code": "SUCCESS",
            "message": "Login success",
            "status": 200,
            "results": {
                "device_id": id,
                "qr_link": "http://localhost:3000/statics/images/qrcode/scan-qr-fake.png",
                "qr_duration": 30,
            },
        }),
    )
}

async fn qr_image(State(shared): State<Arc<Shared>>, headers: http::HeaderMap) -> Response {
    if let Some(r) = gate(&shared, &headers, FAKE_DEVICE_ID).await {
        return r;
    }
    ([(http::header::CONTENT_TYPE, "image/png")], FAKE_QR_PNG).into_response()
}
