use billing_whatsapp::fake::{meta_status_webhook, FakeFailure, FAKE_APP_SECRET};
use billing_whatsapp::{
    AcceptedState, DeliveryStatus, MetaCloud, MetaCloudConfig, ProviderKind, RecipientReason,
    SecretString, SendError, SendErrorKind, SessionHealth, TemplateMessage, WhatsAppProvider,
};
use rstest::rstest;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{fake, kind_after, TO};

fn meta(base_url: String) -> MetaCloud {
    MetaCloud::new(MetaCloudConfig {
        base_url,
        api_version: "v21.0".to_owned(),
        phone_number_id: "106540352242922".to_owned(),
        access_token: SecretString::from("tok"),
        app_secret: SecretString::from("test_app_secret"),
        timeout: None,
    })
    .expect("config")
}

#[tokio::test]
async fn text_is_posted_with_bearer_token_and_bare_digits() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v21.0/106540352242922/messages"))
        .and(header("authorization", "Bearer tok"))
        .and(body_json(serde_json::json!({
            "messaging_product": "whatsapp", "recipient_type": "individual",
            "to": "6281234567890", "type": "text",
            "text": {"preview_url": false, "body": "Tagihan Rp150.000"}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": "6281234567890", "wa_id": "6281234567890"}],
            "messages": [{"id": "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ3QjFGRkI3MTdCRkE4NjlBAA=="}]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let receipt = meta(server.uri())
        .send_text(TO, "Tagihan Rp150.000")
        .await
        .expect("sent");
    assert_eq!(
        receipt.provider_message_id.as_deref(),
        Some("wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ3QjFGRkI3MTdCRkE4NjlBAA==")
    );
    assert_eq!(receipt.accepted_state, AcceptedState::Accepted);
}

#[tokio::test]
async fn template_follows_the_sdk_shape() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v21.0/106540352242922/messages"))
        .and(body_json(serde_json::json!({
            "messaging_product": "whatsapp", "to": "6281234567890", "type": "template",
            "template": {"name": "tagihan_jatuh_tempo", "language": {"code": "id"},
              "components": [{"type": "body", "parameters": [
                {"type": "text", "text": "Budi"}, {"type": "text", "text": "Rp150.000"}]}]}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"messages": [{"id": "wamid.T", "message_status": "accepted"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let template = TemplateMessage {
        name: "tagihan_jatuh_tempo".to_owned(),
        language: "id".to_owned(),
        body_parameters: vec!["Budi".to_owned(), "Rp150.000".to_owned()],
    };
    let receipt = meta(server.uri())
        .send_template(TO, &template)
        .await
        .expect("sent");
    assert_eq!(receipt.provider_message_id.as_deref(), Some("wamid.T"));
}

#[tokio::test]
async fn documented_throttling_fixture_is_retryable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_raw(
            r#"{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,"error_data":{"messaging_product":"whatsapp","details":"Cloud API message throughput has been reached."},"fbtrace_id":"AbCdEf0123456789"}}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = meta(server.uri())
        .send_text(TO, "x")
        .await
        .expect_err("throttled");
    assert!(err.is_retryable() && !err.is_failover(), "{err:?}");
}

#[rstest]
#[case(131056, SendErrorKind::Retryable)]
#[case(4, SendErrorKind::Retryable)]
#[case(131048, SendErrorKind::SessionDown)]
#[case(131049, SendErrorKind::Recipient)]
#[case(132001, SendErrorKind::Config)]
#[case(133010, SendErrorKind::Config)]
#[tokio::test]
async fn graph_error_codes_are_classified(#[case] code: i64, #[case] want: SendErrorKind) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            serde_json::json!({"error": {"message": "x", "type": "OAuthException", "code": code}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = meta(server.uri())
        .send_text(TO, "x")
        .await
        .expect_err("error");
    assert_eq!(err.kind(), want, "{err:?}");
}

#[rstest]
#[case(FakeFailure::ServerError, SendErrorKind::Retryable, false)]
#[case(FakeFailure::RateLimited, SendErrorKind::Retryable, false)]
#[case(FakeFailure::BadRecipient, SendErrorKind::Recipient, false)]
#[case(FakeFailure::OutsideWindow, SendErrorKind::Recipient, false)]
#[case(FakeFailure::TokenExpired, SendErrorKind::SessionDown, true)]
#[tokio::test]
async fn fake_errors_map_to_pool_decisions(
    #[case] failure: FakeFailure,
    #[case] want: SendErrorKind,
    #[case] failover: bool,
) {
    assert_eq!(
        kind_after(ProviderKind::MetaCloud, failure).await,
        (want, failover)
    );
}

#[tokio::test]
async fn outside_the_window_asks_for_a_template_which_then_goes_out() {
    let (fake, provider) = fake(ProviderKind::MetaCloud).await;
    fake.fail_next(1, FakeFailure::OutsideWindow);
    let err = provider.send_text(TO, "Halo").await.expect_err("131047");
    assert!(err.needs_template() && err.is_final() && !err.is_failover());
    let template = TemplateMessage {
        name: "tagihan".to_owned(),
        language: "id".to_owned(),
        body_parameters: vec!["Budi".to_owned()],
    };
    let receipt = provider
        .send_template(TO, &template)
        .await
        .expect("template");
    let sent = fake.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].to.as_str(), sent[0].body.as_str()),
        (TO, "template:tagihan:Budi")
    );
    assert_eq!(
        receipt.provider_message_id.as_deref(),
        Some(sent[0].id.as_str())
    );
}

#[tokio::test]
async fn health_is_the_token_check() {
    let (fake, provider) = fake(ProviderKind::MetaCloud).await;
    assert_eq!(
        provider.health().await.expect("health"),
        SessionHealth::Connected
    );
    fake.set_down(true);
    let health = provider.health().await.expect("health");
    assert!(matches!(health, SessionHealth::Disconnected { ref reason } if reason.contains("190")));
    let err = provider.send_text(TO, "x").await.expect_err("expired");
    assert!(err.is_failover() && err.alerts_owner());
}

#[tokio::test]
async fn documented_webhook_fixture_verifies_and_maps_131047() {
    let provider = meta("http://127.0.0.1:9".to_owned());
    let body = include_bytes!("../fixtures/meta_status_failed.json");
    let body = body.strip_suffix(b"\n").unwrap_or(body);
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "x-hub-signature-256",
        http::HeaderValue::from_static(
            "sha256=da3ebe40f61825c253afa2012ab7534c436d4fde97821e1bf58f5bcb34f7cae6",
        ),
    );
    let updates = provider
        .parse_status_webhook(&headers, body)
        .expect("valid");
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].recipient.as_deref(), Some(TO));
    assert_eq!(updates[0].at.map(|t| t.timestamp()), Some(1_736_913_600));
    match &updates[0].status {
        DeliveryStatus::Failed {
            error: SendError::Recipient { reason, .. },
        } => assert_eq!(*reason, RecipientReason::OutsideWindow),
        other => panic!("unexpected {other:?}"),
    }
}

#[rstest]
#[case("sent", DeliveryStatus::Sent)]
#[case("delivered", DeliveryStatus::Delivered)]
#[case("read", DeliveryStatus::Read)]
#[tokio::test]
async fn signed_status_webhooks_parse(#[case] status: &str, #[case] want: DeliveryStatus) {
    let (_fake, provider) = fake(ProviderKind::MetaCloud).await;
    let (headers, body) = meta_status_webhook(FAKE_APP_SECRET, "wamid.X", status, TO, None);
    let updates = provider
        .parse_status_webhook(&headers, &body)
        .expect("valid");
    assert_eq!(updates[0].provider_message_id, "wamid.X");
    assert_eq!(updates[0].status, want);
}

#[tokio::test]
async fn webhook_with_bad_signature_is_rejected() {
    let (_fake, provider) = fake(ProviderKind::MetaCloud).await;
    let (headers, body) = meta_status_webhook("wrong_secret", "wamid.X", "read", TO, None);
    let err = provider
        .parse_status_webhook(&headers, &body)
        .expect_err("bad sig");
    assert_eq!(err.kind(), SendErrorKind::Signature);
    let err = provider
        .parse_status_webhook(&http::HeaderMap::new(), &body)
        .expect_err("missing");
    assert_eq!(err.kind(), SendErrorKind::Signature);
}

#[tokio::test]
async fn connection_refused_is_retryable() {
    // A port that was free a moment ago: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let uri = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let err = meta(uri).send_text(TO, "x").await.expect_err("down");
    assert_eq!(err.kind(), SendErrorKind::Retryable);
}
