//! Fake WAHA: `POST /api/sendText` (201; 422 when the session is not WORKING — answered at
//! once, where real WAHA first waits 5 s), `GET /api/sessions/{name}`,
//! `POST /api/sessions/{name}/start`, `GET /api/{session}/auth/qr`, `X-Api-Key` auth.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine as _;
use serde_json::{json, Value};

use super::{header, json, FakeFailure, Shared, FAKE_API_KEY, FAKE_QR_PNG, FAKE_SESSION};

pub(super) fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new()
        .route("/api/sendText", post(send_text))
        .route("/api/sessions/{name}", get(session))
        .route("/api/sessions/{name}/start", post(start))
        .route("/api/{session}/auth/qr", get(qr))
        .with_state(shared)
}

fn status(shared: &Shared) -> &'static str {
    if shared.is_down() {
        "SCAN_QR_CODE"
    } else {
        "WORKING"
    }
}

fn failure(failure: FakeFailure) -> Response {
    match failure {
        FakeFailure::ServerError => json(
            500,
            json!({"statusCode": 500, "message": "Internal server error"}),
        ),
        FakeFailure::RateLimited => json(
            429,
            json!({"statusCode": 429, "message": "Too Many Requests"}),
        ),
        FakeFailure::BadRecipient | FakeFailure::OutsideWindow => json(
            400,
            json!({"statusCode": 400, "message": "chatId is not a registered WhatsApp number"}),
        ),
        FakeFailure::TokenExpired | FakeFailure::QuotaExhausted => unauthorized(),
    }
}

fn unauthorized() -> Response {
    json(401, json!({"message": "Unauthorized", "statusCode": 401}))
}

fn unknown_session(name: &str) -> Response {
    json(
        404,
        json!({"statusCode": 404, "message": format!("We didn't find a session with name '{name}'")}),
    )
}

/// Auth and scripted failures shared by every route.
async fn gate(shared: &Shared, headers: &http::HeaderMap) -> Option<Response> {
    if let Some(f) = shared.prologue().await {
        return Some(failure(f));
    }
    (header(headers, "x-api-key") != FAKE_API_KEY).then(unauthorized)
}

async fn send_text(
    State(shared): State<Arc<Shared>>,
    headers: http::HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> Response {
    if let Some(r) = gate(&shared, &headers).await {
        return r;
    }
    let session = body["session"].as_str().unwrap_or_default();
    if session != FAKE_SESSION {
        return unknown_session(session);
    }
    let (Some(chat_id), Some(text)) = (body["chatId"].as_str(), body["text"].as_str()) else {
        return json(
            400,
            json!({"statusCode": 400, "message": "chatId and text are required"}),
        );
    };
    if shared.is_down() {
        return json(
            422,
            json!({
                "error": "Session status is not as expected. Try again later or restart the session",
                "session": session,
                "status": status(&shared),
                "expected": ["WORKING"],
            }),
        );
    }
    let id = shared.record("3EB0", chat_id.to_owned(), text.to_owned());
    json(
        201,
        json!({
            "id": {
                "fromMe": true,
                "remote": chat_id,
                "id": id,
                "_serialized": format!("true_{chat_id}_{id}"),
            },
            "body": text,
            "fromMe": true,
            "to": chat_id,
            "ack": 0,
        }),
    )
}

async fn session(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    headers: http::HeaderMap,
) -> Response {
    if let Some(r) = gate(&shared, &headers).await {
        return r;
    }
    if name != FAKE_SESSION {
        return unknown_session(&name);
    }
    json(
        200,
        json!({"name": name, "status": status(&shared), "config": null}),
    )
}

async fn start(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    headers: http::HeaderMap,
) -> Response {
    session(State(shared), Path(name), headers).await
}

async fn qr(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    Query(query): Query<std::collections::HashMap<String, String>>,
    headers: http::HeaderMap,
) -> Response {
    if let Some(r) = gate(&shared, &headers).await {
        return r;
    }
    if name != FAKE_SESSION {
        return unknown_session(&name);
    }
    if query.get("format").map(String::as_str) == Some("raw") {
        return json(200, json!({"value": "2@FAKEQRVALUE,abc=,def=,ghi="}));
    }
    json(
        200,
        json!({
            "mimetype": "image/png",
            "data": base64::engine::general_purpose::STANDARD.encode(FAKE_QR_PNG),
        }),
    )
}
