use billing_whatsapp::fake::{FakeFailure, FAKE_QR_PNG};
use billing_whatsapp::{
    DeliveryStatus, Pairing, ProviderKind, SecretString, SendErrorKind, SessionHealth, Waha,
    WahaConfig, WhatsAppProvider,
};
use rstest::rstest;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::{fake, kind_after, TO};

fn waha(base_url: String) -> Waha {
    Waha::new(WahaConfig {
        base_url,
        api_key: Some(SecretString::from("k")),
        session: "s1".to_owned(),
        timeout: None,
    })
    .expect("config")
}

#[tokio::test]
async fn send_text_uses_c_us_chat_id_and_api_key() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/sendText"))
        .and(header("x-api-key", "k"))
        .and(body_json(serde_json::json!({
            "session": "s1", "chatId": "6281234567890@c.us", "text": "Halo", "reply_to": null
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "id": {"fromMe": true, "id": "3EB0X", "_serialized": "true_6281234567890@c.us_3EB0X"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let receipt = waha(server.uri())
        .send_text(TO, "Halo")
        .await
        .expect("sent");
    assert_eq!(
        receipt.provider_message_id.as_deref(),
        Some("true_6281234567890@c.us_3EB0X")
    );
}

#[tokio::test]
async fn documented_422_session_not_working_fails_over() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/sendText"))
        .respond_with(ResponseTemplate::new(422).set_body_raw(
            r#"{"error":"Session status is not as expected. Try again later or restart the session","session":"s1","status":"SCAN_QR_CODE","expected":["WORKING"]}"#,
            "application/json",
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = waha(server.uri())
        .send_text(TO, "x")
        .await
        .expect_err("422");
    assert_eq!(err.kind(), SendErrorKind::SessionDown);
    assert!(err.is_failover() && err.to_string().contains("SCAN_QR_CODE"));
}

#[rstest]
#[case(FakeFailure::ServerError, SendErrorKind::Retryable, false)]
#[case(FakeFailure::RateLimited, SendErrorKind::Retryable, false)]
#[case(FakeFailure::BadRecipient, SendErrorKind::Recipient, false)]
#[case(FakeFailure::TokenExpired, SendErrorKind::Config, true)]
#[tokio::test]
async fn fake_errors_map_to_pool_decisions(
    #[case] failure: FakeFailure,
    #[case] want: SendErrorKind,
    #[case] failover: bool,
) {
    assert_eq!(
        kind_after(ProviderKind::Waha, failure).await,
        (want, failover)
    );
}

#[tokio::test]
async fn session_states_health_and_qr_pairing() {
    let (fake, provider) = fake(ProviderKind::Waha).await;
    assert_eq!(
        provider.health().await.expect("health"),
        SessionHealth::Connected
    );
    assert_eq!(
        provider.start_pairing().await.expect("pair"),
        Pairing::AlreadyPaired
    );
    provider.send_text(TO, "ok").await.expect("sent");
    fake.set_down(true);
    assert_eq!(
        provider.health().await.expect("health"),
        SessionHealth::NeedsPairing
    );
    let err = provider.send_text(TO, "down").await.expect_err("422");
    assert_eq!(err.kind(), SendErrorKind::SessionDown);
    match provider.start_pairing().await.expect("qr") {
        Pairing::QrImage { mimetype, base64 } => {
            use base64::Engine as _;
            assert_eq!(mimetype, "image/png");
            let png = base64::engine::general_purpose::STANDARD
                .decode(base64)
                .expect("b64");
            assert_eq!(png, FAKE_QR_PNG);
        }
        other => panic!("unexpected {other:?}"),
    }
    let sent = fake.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].to, "6281234567890@c.us");
}

#[rstest]
#[case("ERROR", -1, true)]
#[case("PENDING", 0, false)]
#[case("SERVER", 1, false)]
#[case("DEVICE", 2, false)]
#[case("READ", 3, false)]
#[case("PLAYED", 4, false)]
fn ack_names_map_to_delivery_states(#[case] name: &str, #[case] ack: i64, #[case] failed: bool) {
    let provider = waha("http://127.0.0.1:9".to_owned());
    let body = serde_json::json!({
        "session": "s1", "engine": "WEBJS", "event": "message.ack",
        "payload": {"id": "true_6281234567890@c.us_3EB0X", "from": "6281100000001@c.us",
                    "to": "6281234567890@c.us", "fromMe": true, "ack": ack, "ackName": name}
    })
    .to_string();
    let updates = provider
        .parse_status_webhook(&http::HeaderMap::new(), body.as_bytes())
        .expect("parses");
    assert_eq!(updates.len(), 1);
    assert_eq!(
        updates[0].provider_message_id,
        "true_6281234567890@c.us_3EB0X"
    );
    assert_eq!(updates[0].recipient.as_deref(), Some(TO));
    let want = match ack {
        0 => Some(DeliveryStatus::Pending),
        1 => Some(DeliveryStatus::Sent),
        2 => Some(DeliveryStatus::Delivered),
        3 | 4 => Some(DeliveryStatus::Read),
        _ => None,
    };
    match want {
        Some(status) => assert_eq!(updates[0].status, status),
        None => assert!(failed && matches!(updates[0].status, DeliveryStatus::Failed { .. })),
    }
}

#[test]
fn other_events_carry_no_delivery_status() {
    let provider = waha("http://127.0.0.1:9".to_owned());
    let body =
        br#"{"session":"s1","event":"session.status","payload":{"name":"s1","status":"WORKING"}}"#;
    let updates = provider
        .parse_status_webhook(&http::HeaderMap::new(), body)
        .expect("parses");
    assert!(updates.is_empty());
}
