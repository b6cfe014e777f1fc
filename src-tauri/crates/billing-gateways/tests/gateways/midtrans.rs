//! Midtrans plugin against wiremock, with the §B.2 fixture.

use billing_gateways::midtrans::signature;
use billing_gateways::{
    Environment, GatewayError, GatewayStatus, Midtrans, MidtransConfig, PaymentGateway,
};
use rstest::rstest;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const FIXTURE_SIGNATURE: &str = "5a3f60aa8acd3bf57cd7808c75003cb7ec0b4a56b4d805514ce02f7cd37e2c81c2ca393cb51a829e195641bd932b74c95a3fb20b8f9726200730a1b76fb185c9";
const NOTIFICATION: &str = r#"{"transaction_time":"2025-01-15 11:00:00","transaction_status":"settlement","transaction_id":"513f1f01-c9da-474c-9fc9-d5c64364b709","status_message":"midtrans payment notification","status_code":"200","signature_key":"5a3f60aa8acd3bf57cd7808c75003cb7ec0b4a56b4d805514ce02f7cd37e2c81c2ca393cb51a829e195641bd932b74c95a3fb20b8f9726200730a1b76fb185c9","settlement_time":"2025-01-15 11:05:00","payment_type":"bank_transfer","order_id":"INV-2025-0001","merchant_id":"G123456789","gross_amount":"150000.00","fraud_status":"accept","currency":"IDR","va_numbers":[{"va_number":"12345678901","bank":"bca"}]}"#;
/// `Basic base64("SB-Mid-server-TEST0123456789:")`.
const BASIC: &str = "Basic U0ItTWlkLXNlcnZlci1URVNUMDEyMzQ1Njc4OTo=";

fn gateway(base_url: &str) -> Midtrans {
    let config = MidtransConfig::new(Environment::Sandbox, MIDTRANS_SERVER_KEY.into())
        .with_base_url(base_url);
    Midtrans::new(config).expect("client")
}

fn offline() -> Midtrans {
    gateway("http://127.0.0.1:9")
}

/// The fixture re-signed after changing `status_code`, `transaction_status` and `gross_amount`.
fn notification(status_code: &str, status: &str, gross: serde_json::Value) -> String {
    let gross_text = match &gross {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let sig = signature::notification(ORDER, status_code, &gross_text, MIDTRANS_SERVER_KEY);
    let mut value: serde_json::Value = serde_json::from_str(NOTIFICATION).expect("fixture");
    value["status_code"] = json!(status_code);
    value["transaction_status"] = json!(status);
    value["gross_amount"] = gross;
    value["signature_key"] = json!(sig);
    value.to_string()
}

#[test]
fn should_compute_fixture_signature_byte_exactly() {
    assert_eq!(
        signature::notification(ORDER, "200", "150000.00", MIDTRANS_SERVER_KEY),
        FIXTURE_SIGNATURE
    );
}

#[tokio::test]
async fn should_create_payment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/snap/v1/transactions"))
        .and(header("authorization", BASIC))
        .and(header("x-override-notification", "https://billing.example.id/cb/duitku"))
        .and(body_partial_json(json!({
            "transaction_details": {"order_id": "INV-2025-0001", "gross_amount": 150000},
            "customer_details": {"first_name": "Budi", "last_name": "Santoso", "phone": "+6281234567890"},
            "expiry": {"unit": "minute", "duration": 1440},
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "token": "66e4fa55-fdac-4ef9-91b5-733b97d1b862",
            "redirect_url": "https://app.sandbox.midtrans.com/snap/v4/redirection/66e4fa55"})))
        .expect(1)
        .mount(&server)
        .await;
    let created = gateway(&server.uri())
        .create(&payment("snap"))
        .await
        .expect("created");
    assert_eq!(created.gateway_ref, "66e4fa55-fdac-4ef9-91b5-733b97d1b862");
    assert!(created.payment_url.is_some());
}

#[tokio::test]
async fn should_reject_create_with_midtrans_messages() {
    let server = MockServer::start().await;
    Mock::given(path("/snap/v1/transactions"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error_messages": ["transaction_details.order_id sudah digunakan"]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    match gateway(&server.uri()).create(&payment("snap")).await {
        Err(GatewayError::Rejected { code, message }) => {
            assert_eq!(code, "400");
            assert!(message.contains("sudah digunakan"));
        }
        other => panic!("expected Rejected, got {other:?}"),
    }
}

#[test]
fn should_accept_callback_with_fixture_signature() {
    let gw = offline();
    let event = gw
        .parse_callback(&http::HeaderMap::new(), NOTIFICATION.as_bytes())
        .expect("valid");
    assert_eq!(event.merchant_ref, ORDER);
    assert_eq!(
        event.gateway_ref.as_deref(),
        Some("513f1f01-c9da-474c-9fc9-d5c64364b709")
    );
    assert_eq!((event.status, event.amount), (GatewayStatus::Paid, 150_000));
    assert_eq!(gw.callback_ack(true).0, 200);
}

#[rstest]
#[case::zero_signature(NOTIFICATION.replace(FIXTURE_SIGNATURE, &"0".repeat(128)))]
#[case::tampered_amount(NOTIFICATION.replace("\"150000.00\"", "\"15000.00\""))]
#[case::tampered_status_code(NOTIFICATION.replace("\"status_code\":\"200\"", "\"status_code\":\"201\""))]
#[case::no_signature(NOTIFICATION.replace("signature_key", "signature"))]
fn should_reject_bad_signature(#[case] body: String) {
    let err = offline()
        .parse_callback(&http::HeaderMap::new(), body.as_bytes())
        .expect_err("rejected");
    assert!(matches!(err, GatewayError::Signature(_)), "{err:?}");
}

#[rstest]
#[case("201", "pending", GatewayStatus::Pending)]
#[case("200", "capture", GatewayStatus::Paid)]
#[case("202", "deny", GatewayStatus::Failed)]
#[case("200", "cancel", GatewayStatus::Failed)]
#[case("407", "expire", GatewayStatus::Expired)]
fn should_map_expired_status(
    #[case] code: &str,
    #[case] wire: &str,
    #[case] expected: GatewayStatus,
) {
    let body = notification(code, wire, json!("150000.00"));
    let event = offline()
        .parse_callback(&http::HeaderMap::new(), body.as_bytes())
        .expect("valid");
    assert_eq!(event.status, expected);
}

#[rstest]
#[case(json!("150000.00"))]
#[case(json!("150000"))]
#[case(json!(150000))]
fn should_parse_amount_string_or_number(#[case] gross: serde_json::Value) {
    let body = notification("200", "settlement", gross);
    let event = offline()
        .parse_callback(&http::HeaderMap::new(), body.as_bytes())
        .expect("valid");
    assert_eq!(event.amount, 150_000);
}

#[test]
fn should_reject_fractional_amount_even_if_signed() {
    let body = notification("200", "settlement", json!("150000.50"));
    let err = offline()
        .parse_callback(&http::HeaderMap::new(), body.as_bytes())
        .expect_err("fraction");
    assert!(matches!(err, GatewayError::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn should_check_status_by_order_id() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v2/INV-2025-0001/status"))
        .and(header("authorization", BASIC))
        .respond_with(ResponseTemplate::new(200).set_body_string(notification(
            "407",
            "expire",
            json!("150000.00"),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let event = gateway(&server.uri())
        .status(ORDER, None)
        .await
        .expect("status");
    assert_eq!(
        (event.status, event.amount),
        (GatewayStatus::Expired, 150_000)
    );
}

#[tokio::test]
async fn should_report_unstarted_snap_order_as_pending() {
    let server = MockServer::start().await;
    Mock::given(path("/v2/INV-2025-0001/status"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"status_code": "404", "status_message": "Transaction doesn't exist."}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let event = gateway(&server.uri())
        .status(ORDER, None)
        .await
        .expect("status");
    assert_eq!((event.status, event.amount), (GatewayStatus::Pending, 0));
}
