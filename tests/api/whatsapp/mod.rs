//! WhatsApp notifications end to end: events queue messages once, sessions drain them at
//! their pace, a failing session is replaced, and nothing is sent twice.

mod cancel;
mod failover;
mod flows;

use billing_tests::*;
use billing_whatsapp::fake::{self, FakeWhatsApp};
use billing_whatsapp::ProviderKind;
use serde_json::{json, Value};

/// Registers a session backed by a fake of `kind`.
pub async fn add_session(
    app: &TestApp,
    name: &str,
    kind: ProviderKind,
    role: &str,
) -> (FakeWhatsApp, Value) {
    let fake = FakeWhatsApp::start(kind).await.expect("fake");
    let (provider, settings, token, secret) = match kind {
        ProviderKind::MetaCloud => (
            "meta_cloud",
            json!({"api_version": fake::FAKE_API_VERSION, "phone_number_id": fake::FAKE_PHONE_NUMBER_ID}),
            fake::FAKE_TOKEN,
            Some(fake::FAKE_APP_SECRET),
        ),
        ProviderKind::Fonnte => ("fonnte", json!({}), fake::FAKE_TOKEN, None),
        ProviderKind::Wablas => (
            "wablas",
            json!({}),
            fake::FAKE_TOKEN,
            Some(fake::FAKE_WABLAS_SECRET),
        ),
        ProviderKind::Waha => (
            "waha",
            json!({"session": fake::FAKE_SESSION}),
            fake::FAKE_API_KEY,
            None,
        ),
        ProviderKind::Gowa => (
            "gowa",
            json!({"device_id": fake::FAKE_DEVICE_ID, "basic_user": fake::FAKE_BASIC_USER}),
            fake::FAKE_BASIC_PASSWORD,
            Some(fake::FAKE_WEBHOOK_SECRET),
        ),
    };
    let (status, session) = app
        .call(
            "POST",
            "/api/whatsapp/sessions",
            Some(json!({"name": name, "provider": provider, "role": role, "base_url": fake.base_url(),
                        "settings": settings, "token": token, "secret": secret, "per_minute": 60000})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    (fake, session)
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool().await)
        .await
        .expect("count")
}
