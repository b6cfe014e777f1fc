//! Wablas v2 formats are [P/U] in gateways.md. UNVERIFIED shape.

use billing_whatsapp::fake::FakeFailure;
use billing_whatsapp::{
    AcceptedState, ProviderKind, SecretString, SendErrorKind, Wablas, WablasConfig,
    WhatsAppProvider,
};
use rstest::rstest;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{fake, kind_after, TO};

#[tokio::test]
async fn v2_send_joins_token_and_secret_with_a_dot() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v2/send-message"))
        .and(header("authorization", "tok.sec"))
        .and(body_json(serde_json::json!({
            "data": [{"phone": "6281234567890", "message": "Halo", "isGroup": false}]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "status": true, "message": "Message is pending and waiting to be processed",
            "data": {"device_id": "D", "quota": 9,
                     "messages": [{"id": "m-1", "phone": TO, "message": "Halo", "status": "pending"}]}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let wablas = Wablas::new(WablasConfig {
        base_url: server.uri(),
        token: SecretString::from("tok"),
        secret_key: SecretString::from("sec"),
        timeout: None,
    })
    .expect("config");
    let receipt = wablas.send_text(TO, "Halo").await.expect("sent");
    assert_eq!(receipt.provider_message_id.as_deref(), Some("m-1"));
    assert_eq!(receipt.accepted_state, AcceptedState::Queued);
}

#[rstest]
#[case(FakeFailure::ServerError, SendErrorKind::Retryable, false)]
#[case(FakeFailure::BadRecipient, SendErrorKind::Recipient, false)]
#[case(FakeFailure::TokenExpired, SendErrorKind::Config, true)]
#[tokio::test]
async fn fake_errors_map_to_pool_decisions(
    #[case] failure: FakeFailure,
    #[case] want: SendErrorKind,
    #[case] failover: bool,
) {
    assert_eq!(
        kind_after(ProviderKind::Wablas, failure).await,
        (want, failover)
    );
}

#[tokio::test]
async fn disconnected_device_fails_over_and_health_is_not_supported() {
    let (fake, provider) = fake(ProviderKind::Wablas).await;
    provider.send_text(TO, "x").await.expect("sent");
    fake.set_down(true);
    let err = provider.send_text(TO, "y").await.expect_err("down");
    assert!(err.is_failover(), "{err:?}");
    let err = provider.health().await.expect_err("unsupported");
    assert_eq!(err.kind(), SendErrorKind::NotSupported);
    assert_eq!(fake.sent().len(), 1);
}
