//! Xendit plugin against wiremock, with the §B.3 fixture.

use billing_gateways::{
    Environment, GatewayError, GatewayStatus, PaymentGateway, Xendit, XenditConfig,
};
use rstest::rstest;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const CALLBACK: &str = r#"{"id":"579c8d61f23fa4ca35e52da4","external_id":"INV-2025-0001","user_id":"5781d19b2e2385880609791c","is_high":false,"payment_method":"BANK_TRANSFER","status":"PAID","merchant_name":"ISP Contoh","amount":150000,"paid_amount":150000,"bank_code":"BCA","paid_at":"2025-01-15T05:00:00.000Z","payer_email":null,"description":"Internet 10 Mbps Januari 2025","currency":"IDR","payment_channel":"BCA","payment_destination":"8808999912345678","created":"2025-01-15T04:00:00.000Z","updated":"2025-01-15T05:00:01.000Z"}"#;
/// `Basic base64("xnd_development_TEST:")`.
const BASIC: &str = "Basic eG5kX2RldmVsb3BtZW50X1RFU1Q6";

fn gateway(base_url: &str) -> Xendit {
    let config = XenditConfig::new(
        Environment::Sandbox,
        XENDIT_SECRET_KEY.into(),
        XENDIT_CALLBACK_TOKEN.into(),
    )
    .with_base_url(base_url);
    Xendit::new(config).expect("client")
}

fn offline() -> Xendit {
    gateway("http://127.0.0.1:9")
}

fn invoice(status: &str, amount: serde_json::Value) -> serde_json::Value {
    json!({"id":"579c8d61f23fa4ca35e52da4","external_id":"INV-2025-0001","user_id":"5781d19b2e2385880609791c",
        "status":status,"merchant_name":"ISP Contoh","amount":amount,"description":"Internet 10 Mbps Januari 2025",
        "invoice_url":"https://checkout-staging.xendit.co/web/579c8d61f23fa4ca35e52da4",
        "expiry_date":"2025-01-16T03:00:00.000Z","currency":"IDR"})
}

#[tokio::test]
async fn should_create_payment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/invoices/"))
        .and(header("authorization", BASIC))
        .and(body_partial_json(json!({
            "external_id":"INV-2025-0001","amount":150000,"invoice_duration":86400,"currency":"IDR",
            "customer":{"given_names":"Budi Santoso","mobile_number":"+6281234567890"}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(invoice("PENDING", json!(150000))))
        .expect(1)
        .mount(&server)
        .await;
    let created = gateway(&server.uri())
        .create(&payment("invoice"))
        .await
        .expect("created");
    assert_eq!(created.gateway_ref, "579c8d61f23fa4ca35e52da4");
    assert!(created.payment_url.is_some());
    assert_eq!(
        created.expires_at,
        Some(fixture_now() + chrono::Duration::hours(24))
    );
}

#[test]
fn should_accept_callback_with_fixture_token() {
    let gw = offline();
    let h = headers(&[("x-callback-token", XENDIT_CALLBACK_TOKEN)]);
    let event = gw.parse_callback(&h, CALLBACK.as_bytes()).expect("valid");
    assert_eq!(event.merchant_ref, ORDER);
    assert_eq!(
        event.gateway_ref.as_deref(),
        Some("579c8d61f23fa4ca35e52da4")
    );
    assert_eq!((event.status, event.amount), (GatewayStatus::Paid, 150_000));
}

#[rstest]
#[case::wrong_token(Some("test-xendit-callback-tokem"))]
#[case::empty_token(Some(""))]
#[case::missing_token(None)]
fn should_reject_bad_signature(#[case] token: Option<&str>) {
    let gw = offline();
    let h = match token {
        Some(t) => headers(&[("x-callback-token", t)]),
        None => http::HeaderMap::new(),
    };
    let err = gw
        .parse_callback(&h, CALLBACK.as_bytes())
        .expect_err("rejected");
    assert!(matches!(err, GatewayError::Signature(_)), "{err:?}");
    assert_eq!(gw.callback_ack(false).0, 401);
}

#[rstest]
#[case("PENDING", GatewayStatus::Pending)]
#[case("PAID", GatewayStatus::Paid)]
#[case("SETTLED", GatewayStatus::Paid)]
#[case("EXPIRED", GatewayStatus::Expired)]
#[tokio::test]
async fn should_map_expired_status(#[case] wire: &str, #[case] expected: GatewayStatus) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices/579c8d61f23fa4ca35e52da4"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_json(invoice(wire, json!(150000))))
        .expect(1)
        .mount(&server)
        .await;
    let event = gateway(&server.uri())
        .status(ORDER, Some("579c8d61f23fa4ca35e52da4"))
        .await
        .expect("status");
    assert_eq!((event.status, event.amount), (expected, 150_000));
}

#[tokio::test]
async fn should_find_invoice_by_external_id_when_reference_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/invoices"))
        .and(query_param("external_id", ORDER))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            invoice("EXPIRED", json!(150000)),
            invoice("PAID", json!(150000))
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let event = gateway(&server.uri())
        .status(ORDER, None)
        .await
        .expect("status");
    assert_eq!(event.status, GatewayStatus::Paid);
}

#[rstest]
#[case("150000")]
#[case("\"150000\"")]
#[case("\"150000.00\"")]
#[case("150000.0")]
fn should_parse_amount_string_or_number(#[case] amount: &str) {
    let body = CALLBACK.replace("\"amount\":150000", &format!("\"amount\":{amount}"));
    let h = headers(&[("x-callback-token", XENDIT_CALLBACK_TOKEN)]);
    let event = offline()
        .parse_callback(&h, body.as_bytes())
        .expect("valid");
    assert_eq!(event.amount, 150_000);
}
