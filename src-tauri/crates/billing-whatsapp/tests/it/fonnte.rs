use billing_whatsapp::fake::FakeFailure;
use billing_whatsapp::{
    AcceptedState, DeliveryStatus, Fonnte, FonnteConfig, ProviderKind, SecretString, SendErrorKind,
    SessionHealth, WhatsAppProvider,
};
use rstest::rstest;
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{fake, kind_after, TO};

fn fonnte(base_url: String) -> Fonnte {
    Fonnte::new(FonnteConfig {
        base_url,
        device_token: SecretString::from("devtok"),
        timeout: None,
    })
    .expect("config")
}

#[tokio::test]
async fn send_uses_plain_authorization_and_form_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/send"))
        .and(header("authorization", "devtok"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("target=6281234567890"))
        .and(body_string_contains("message=Halo+Budi"))
        .and(body_string_contains("countryCode=0"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"detail":"success! message in queue","id":["80367170"],"process":"pending","requestid":2937124,"status":true,"target":["6282227097005"]}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let receipt = fonnte(server.uri())
        .send_text(TO, "Halo Budi")
        .await
        .expect("queued");
    assert_eq!(receipt.provider_message_id.as_deref(), Some("80367170"));
    // `pending`: the provider re-sends by itself; the pool must not.
    assert_eq!(receipt.accepted_state, AcceptedState::Queued);
}

#[tokio::test]
async fn status_false_is_decided_on_the_body_with_case_insensitive_keys() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/send"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"Reason":"token invalid","Status":false}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = fonnte(server.uri())
        .send_text(TO, "x")
        .await
        .expect_err("bad token");
    assert_eq!(err.kind(), SendErrorKind::Config);
    assert!(err.is_failover() && err.alerts_owner());
}

#[rstest]
#[case(FakeFailure::ServerError, SendErrorKind::Retryable, false)]
#[case(FakeFailure::RateLimited, SendErrorKind::Retryable, false)]
#[case(FakeFailure::BadRecipient, SendErrorKind::Recipient, false)]
#[case(FakeFailure::TokenExpired, SendErrorKind::Config, true)]
#[case(FakeFailure::QuotaExhausted, SendErrorKind::Config, true)]
#[tokio::test]
async fn fake_errors_map_to_pool_decisions(
    #[case] failure: FakeFailure,
    #[case] want: SendErrorKind,
    #[case] failover: bool,
) {
    assert_eq!(
        kind_after(ProviderKind::Fonnte, failure).await,
        (want, failover)
    );
}

#[tokio::test]
async fn disconnected_device_still_accepts_as_queued_and_health_says_so() {
    let (fake, provider) = fake(ProviderKind::Fonnte).await;
    let receipt = provider.send_text(TO, "satu").await.expect("sent");
    assert_eq!(receipt.accepted_state, AcceptedState::Accepted);
    assert_eq!(
        provider.health().await.expect("health"),
        SessionHealth::Connected
    );
    fake.set_down(true);
    assert!(matches!(
        provider.health().await.expect("health"),
        SessionHealth::Disconnected { .. }
    ));
    let receipt = provider
        .send_text(TO, "dua")
        .await
        .expect("queued, not an error");
    assert_eq!(receipt.accepted_state, AcceptedState::Queued);
    let sent = fake.sent();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].to, TO);
    assert_eq!(
        receipt.provider_message_id.as_deref().map(str::len),
        Some(8)
    );
}

#[rstest]
#[case(
    r#"{"id":"80367170","stateid":"x1","status":"sent"}"#,
    Some(DeliveryStatus::Sent)
)]
#[case(
    r#"{"id":"80367170","status":"sent","state":"read"}"#,
    Some(DeliveryStatus::Read)
)]
#[case(
    r#"{"id":"80367170","status":"pending"}"#,
    Some(DeliveryStatus::Pending)
)]
#[case(r#"{"id":"80367170","status":"invalid"}"#, None)]
#[case(
    r#"{"device":"6281100000001","status":"disconnect","timestamp":1}"#,
    None
)]
#[tokio::test]
async fn status_webhooks_parse(#[case] body: &str, #[case] want: Option<DeliveryStatus>) {
    let provider = fonnte("http://127.0.0.1:9".to_owned());
    let updates = provider
        .parse_status_webhook(&http::HeaderMap::new(), body.as_bytes())
        .expect("parses");
    match want {
        Some(status) => assert_eq!(updates[0].status, status),
        None if body.contains("invalid") => {
            assert!(matches!(updates[0].status, DeliveryStatus::Failed { .. }));
        }
        None => assert!(updates.is_empty()),
    }
}

#[tokio::test]
async fn a_slow_provider_times_out_as_retryable() {
    let fake = billing_whatsapp::fake::FakeWhatsApp::start(ProviderKind::Fonnte)
        .await
        .expect("fake");
    fake.set_latency(2_000);
    let provider = Fonnte::new(FonnteConfig {
        base_url: fake.base_url().to_owned(),
        device_token: SecretString::from(billing_whatsapp::fake::FAKE_TOKEN),
        timeout: Some(std::time::Duration::from_millis(100)),
    })
    .expect("config");
    let err = provider.send_text(TO, "x").await.expect_err("timeout");
    assert!(
        err.is_retryable() && err.to_string().contains("timeout"),
        "{err}"
    );
}
