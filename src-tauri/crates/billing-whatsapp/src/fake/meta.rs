//! Fake Meta Cloud API: `POST /{version}/{phone_number_id}/messages` and the token check
//! `GET /{version}/{phone_number_id}`, Bearer auth, Graph error envelopes.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{json, Value};

use super::{header, json, FakeFailure, Shared, FAKE_PHONE_NUMBER_ID, FAKE_TOKEN};

pub(super) fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .route("/{version}/{phone_id}/messages", post(send))
        .route("/{version}/{phone_id}", get(phone_number))
        .with_state(shared)
}

fn graph_error(status: u16, code: i64, message: &str, details: &str) -> Response {
    json(
        status,
        json!({"error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details},
            "fbtrace_id": "AbCdEf0123456789",
        }}),
    )
}

fn token_expired() -> Response {
    graph_error(
        401,
        190,
        "Error validating access token: Session has expired.",
        "access token expired",
    )
}

fn failure(failure: FakeFailure) -> Response {
    match failure {
        FakeFailure::ServerError => graph_error(500, 131000, "Something went wrong", "fake 500"),
        FakeFailure::RateLimited => graph_error(
            400,
            130429,
            "(#130429) Rate limit hit",
            "Cloud API message throughput has been reached.",
        ),
        FakeFailure::BadRecipient => graph_error(
            400,
            131026,
            "Message undeliverable",
            "Message Undeliverable.",
        ),
        FakeFailure::OutsideWindow => graph_error(
            400,
            131047,
            "Re-engagement message",
            "Message failed to send because more than 24 hours have passed since the customer \
             last replied to this number.",
        ),
        FakeFailure::TokenExpired | FakeFailure::QuotaExhausted => token_expired(),
    }
}

fn authorized(headers: &http::HeaderMap) -> bool {
    header(headers, "authorization") == format!("Bearer {FAKE_TOKEN}")
}

async fn send(
    State(shared): State<Arc<Shared>>,
    Path((_version, phone_id)): Path<(String, String)>,
    headers: http::HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if let Some(f) = shared.prologue().await {
        return failure(f);
    }
    if !authorized(&headers) {
        return graph_error(401, 190, "Invalid OAuth access token.", "invalid token");
    }
    if shared.is_down() {
        return token_expired();
    }
    if phone_id != FAKE_PHONE_NUMBER_ID {
        return graph_error(400, 100, "Invalid parameter", "unknown phone number id");
    }
    let to = body["to"].as_str().unwrap_or_default().to_owned();
    let text = match body["type"].as_str() {
        Some("text") => body["text"]["body"].as_str().map(str::to_owned),
        Some("template") => {
            let params: Vec<&str> = body["template"]["components"][0]["parameters"]
                .as_array()
                .map(|ps| ps.iter().filter_map(|p| p["text"].as_str()).collect())
                .unwrap_or_default();
            body["template"]["name"]
                .as_str()
                .map(|name| format!("template:{name}:{}", params.join("|")))
        }
        _ => None,
    };
    let (Some(text), false) = (
        text,
        to.is_empty() || body["messaging_product"] != "whatsapp",
    ) else {
        return graph_error(400, 100, "(#100) Invalid parameter", "bad message payload");
    };
    let id = shared.record("wamid.FAKE", to.clone(), text);
    json(
        200,
        json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": id}],
        }),
    )
}

async fn phone_number(
    State(shared): State<Arc<Shared>>,
    Path((_version, phone_id)): Path<(String, String)>,
    headers: http::HeaderMap,
) -> Response {
    if let Some(f) = shared.prologue().await {
        return failure(f);
    }
    if !authorized(&headers) || shared.is_down() {
        return token_expired();
    }
    json(
        200,
        json!({
            "id": phone_id,
            "display_phone_number": "+62 811-0000-0001",
            "verified_name": "Fake ISP",
            "quality_rating": "GREEN",
        }),
    )
}
