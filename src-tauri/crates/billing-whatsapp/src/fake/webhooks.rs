//! Correctly signed webhook bodies, as the providers would deliver them.

use serde_json::json;

use crate::signature::hub_signature;

fn signed(secret: &str, body: Vec<u8>) -> (http::HeaderMap, Vec<u8>) {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    if let Ok(value) = http::HeaderValue::from_str(&hub_signature(secret, &body)) {
        headers.insert("x-hub-signature-256", value);
    }
    (headers, body)
}

/// A Meta status webhook (`sent|delivered|read|failed`) for `wamid`, signed with `app_secret`.
/// `error_code` adds `errors[]` (e.g. 131047) — use it with `status = "failed"`.
pub fn meta_status_webhook(
    app_secret: &str,
    wamid: &str,
    status: &str,
    recipient: &str,
    error_code: Option<i64>,
) -> (http::HeaderMap, Vec<u8>) {
    let mut entry = json!({
        "id": wamid,
        "status": status,
        "timestamp": "1736913600",
        "recipient_id": recipient,
    });
    if let Some(code) = error_code {
        entry["errors"] = json!([{
            "code": code,
            "title": "Error",
            "message": "Error",
            "error_data": {"details": format!("fake error {code}")},
        }]);
    }
    let body = json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "102290129340398",
            "changes": [{
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                        "display_phone_number": "6281100000001",
                        "phone_number_id": super::FAKE_PHONE_NUMBER_ID,
                    },
                    "statuses": [entry],
                },
                "field": "messages",
            }],
        }],
    });
    signed(app_secret, body.to_string().into_bytes())
}

/// A GOWA `message.ack` webhook (`receipt_type` `delivered|read`), signed with `secret`.
pub fn gowa_ack_webhook(
    secret: &str,
    ids: &[&str],
    chat_id: &str,
    receipt_type: &str,
) -> (http::HeaderMap, Vec<u8>) {
    let body = json!({
        "event": "message.ack",
        "device_id": "6281100000001@s.whatsapp.net",
        "timestamp": "2025-01-15T04:00:05Z",
        "payload": {
            "ids": ids,
            "chat_id": chat_id,
            "from": chat_id,
            "receipt_type": receipt_type,
        },
    });
    signed(secret, body.to_string().into_bytes())
}
