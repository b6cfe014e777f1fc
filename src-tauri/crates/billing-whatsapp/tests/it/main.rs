//! One integration-test binary: every provider against wiremock (exact requests, `expect(n)`)
//! and against its fake (behaviour: errors, health, pairing, webhooks).

mod fonnte;
mod gowa;
mod meta;
mod wablas;
mod waha;

use billing_whatsapp::fake::{FakeFailure, FakeWhatsApp};
use billing_whatsapp::{ProviderKind, SendErrorKind, WhatsAppProvider};

pub const TO: &str = "6281234567890";

pub async fn fake(kind: ProviderKind) -> (FakeWhatsApp, Box<dyn WhatsAppProvider>) {
    let fake = FakeWhatsApp::start(kind).await.expect("fake starts");
    let provider = fake.provider().expect("provider builds");
    (fake, provider)
}

/// Sends once after scripting `failure` and returns the error kind (and whether the pool
/// should fail over).
pub async fn kind_after(kind: ProviderKind, failure: FakeFailure) -> (SendErrorKind, bool) {
    let (fake, provider) = fake(kind).await;
    fake.fail_next(1, failure);
    let err = provider
        .send_text(TO, "Halo")
        .await
        .expect_err("scripted failure");
    assert!(fake.sent().is_empty(), "a failed send must not be recorded");
    (err.kind(), err.is_failover())
}
