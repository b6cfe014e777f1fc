//! Tripay plugin against wiremock, with the §B.1 fixtures.

use billing_gateways::tripay::{signature, PATH_CHANNELS, PATH_CREATE, PATH_DETAIL};
use billing_gateways::{
    Environment, GatewayError, GatewayStatus, MethodKind, PaymentGateway, Tripay, TripayConfig,
};
use chrono::{TimeZone, Utc};
use rstest::rstest;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const CALLBACK_BODY: &str = r#"{"reference":"DEV-T1234500000012345ABCDE","merchant_ref":"INV-2025-0001","payment_method":"BRI Virtual Account","payment_method_code":"BRIVA","total_amount":150000,"fee_merchant":4250,"fee_customer":0,"total_fee":4250,"amount_received":145750,"is_closed_payment":1,"status":"PAID","paid_at":1736913600,"note":null}"#;
const CALLBACK_SIGNATURE: &str = "9920012f74e1461a37aef31db0e176ef00ac2e765652053819a7a4fa9a55e635";

fn gateway(base_url: &str) -> Tripay {
    let config = TripayConfig::new(
        Environment::Sandbox,
        TRIPAY_MERCHANT,
        TRIPAY_API_KEY.into(),
        TRIPAY_PRIVATE_KEY.into(),
    )
    .with_base_url(base_url);
    Tripay::new(config, clock()).expect("client")
}

fn offline() -> Tripay {
    gateway("http://127.0.0.1:9/api-sandbox/")
}

fn transaction(status: &str, amount: serde_json::Value) -> serde_json::Value {
    json!({"success":true,"message":"","data":{"reference":"DEV-T1234500000012345ABCDE","merchant_ref":"INV-2025-0001","payment_selection_type":"static","payment_method":"BRIVA","payment_name":"BRI Virtual Account","customer_name":"Budi Santoso","customer_email":"budi@example.com","customer_phone":"081234567890","callback_url":"https://billing.example.id/cb/tripay","return_url":"https://billing.example.id/invoice/INV-2025-0001","amount":amount,"fee_merchant":4250,"fee_customer":0,"total_fee":4250,"amount_received":145750,"pay_code":"570001234567890","pay_url":null,"checkout_url":"https://tripay.co.id/checkout/DEV-T1234500000012345ABCDE","status":status,"expired_time":1737000000,"order_items":[{"sku":"PKT-10M","name":"Internet 10 Mbps Januari 2025","price":150000,"quantity":1,"subtotal":150000}],"instructions":[],"qr_string":null,"qr_url":null}})
}

#[test]
fn should_compute_fixture_signatures_byte_exactly() {
    assert_eq!(
        signature::create(TRIPAY_PRIVATE_KEY, TRIPAY_MERCHANT, ORDER, 150_000),
        "ab6a6e0c1196e0dbd30e8cc74df4f122b3190973f5528be3d4b5eccbdaf4a4e1"
    );
    assert_eq!(
        signature::callback(TRIPAY_PRIVATE_KEY, CALLBACK_BODY.as_bytes()),
        CALLBACK_SIGNATURE
    );
}

#[tokio::test]
async fn should_create_payment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api-sandbox{PATH_CREATE}")))
        .and(header(
            "authorization",
            format!("Bearer {TRIPAY_API_KEY}").as_str(),
        ))
        .and(body_partial_json(json!({
            "method":"BRIVA","merchant_ref":"INV-2025-0001","amount":150000,
            "customer_phone":"081234567890",
            "signature":"ab6a6e0c1196e0dbd30e8cc74df4f122b3190973f5528be3d4b5eccbdaf4a4e1",
            "expired_time": fixture_now().timestamp() + 1440 * 60,
        })))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(transaction("UNPAID", json!(150000))),
        )
        .expect(1)
        .mount(&server)
        .await;
    let created = gateway(&format!("{}/api-sandbox/", server.uri()))
        .create(&payment("BRIVA"))
        .await
        .expect("created");
    assert_eq!(created.gateway_ref, "DEV-T1234500000012345ABCDE");
    assert_eq!(created.va_number.as_deref(), Some("570001234567890"));
    assert_eq!(
        created.payment_url.as_deref(),
        Some("https://tripay.co.id/checkout/DEV-T1234500000012345ABCDE")
    );
    assert_eq!(
        created.expires_at,
        Utc.timestamp_opt(1_737_000_000, 0).single()
    );
    assert_eq!(created.fee, Some(4250));
}

#[tokio::test]
async fn should_reject_create_with_tripay_message() {
    let server = MockServer::start().await;
    Mock::given(path(PATH_CREATE))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"success":false,"message":"Invalid signature"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    match gateway(&server.uri()).create(&payment("BRIVA")).await {
        Err(GatewayError::Rejected { message, .. }) => assert_eq!(message, "Invalid signature"),
        other => panic!("expected Rejected, got {other:?}"),
    }
}

#[tokio::test]
async fn should_list_active_channels_with_fees() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PATH_CHANNELS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"success":true,"message":"Success","data":[
            {"group":"Virtual Account","code":"BRIVA","name":"BRI Virtual Account","total_fee":{"flat":4250,"percent":"0.00"},"icon_url":"https://x/briva.png","active":true},
            {"group":"E-Wallet","code":"QRIS","name":"QRIS","total_fee":{"flat":750,"percent":"0.70"},"active":true},
            {"group":"E-Wallet","code":"OVO","name":"OVO","total_fee":{"flat":0,"percent":3},"active":false}]})))
        .expect(1)
        .mount(&server)
        .await;
    let methods = gateway(&server.uri())
        .methods(150_000)
        .await
        .expect("methods");
    assert_eq!(methods.len(), 2);
    assert_eq!(
        (methods[0].kind, methods[0].fee),
        (MethodKind::VirtualAccount, 4250)
    );
    assert_eq!(
        (methods[1].kind, methods[1].fee),
        (MethodKind::Qris, 750 + 1050)
    );
}

#[test]
fn should_accept_callback_with_fixture_signature() {
    let gw = offline();
    let h = headers(&[
        ("x-callback-signature", CALLBACK_SIGNATURE),
        ("x-callback-event", "payment_status"),
    ]);
    let event = gw
        .parse_callback(&h, CALLBACK_BODY.as_bytes())
        .expect("valid");
    assert_eq!(event.merchant_ref, ORDER);
    assert_eq!(
        event.gateway_ref.as_deref(),
        Some("DEV-T1234500000012345ABCDE")
    );
    assert_eq!((event.status, event.amount), (GatewayStatus::Paid, 150_000));
    assert!(!gw.callback_is_trigger_only());
    assert_eq!(
        gw.callback_ack(true),
        (200, "application/json", r#"{"success":true}"#.to_owned())
    );
}

#[rstest]
#[case::zero_signature(CALLBACK_BODY.to_owned(), Some("0".repeat(64)))]
#[case::missing_header(CALLBACK_BODY.to_owned(), None)]
#[case::tampered_amount(CALLBACK_BODY.replace("150000", "15000"), Some(CALLBACK_SIGNATURE.to_owned()))]
#[case::reserialized_body(CALLBACK_BODY.replace(",", ", "), Some(CALLBACK_SIGNATURE.to_owned()))]
fn should_reject_bad_signature(#[case] body: String, #[case] sig: Option<String>) {
    let gw = offline();
    let h = match &sig {
        Some(s) => headers(&[("x-callback-signature", s)]),
        None => http::HeaderMap::new(),
    };
    let err = gw
        .parse_callback(&h, body.as_bytes())
        .expect_err("rejected");
    assert!(matches!(err, GatewayError::Signature(_)), "{err:?}");
    assert_eq!(gw.callback_ack(false).0, 401);
}

#[rstest]
#[case("UNPAID", GatewayStatus::Pending)]
#[case("PAID", GatewayStatus::Paid)]
#[case("EXPIRED", GatewayStatus::Expired)]
#[case("FAILED", GatewayStatus::Failed)]
#[tokio::test]
async fn should_map_expired_status(#[case] wire: &str, #[case] expected: GatewayStatus) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(PATH_DETAIL))
        .and(query_param("reference", "DEV-T1234500000012345ABCDE"))
        .and(header(
            "authorization",
            format!("Bearer {TRIPAY_API_KEY}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(transaction(wire, json!(150000))))
        .expect(1)
        .mount(&server)
        .await;
    let event = gateway(&server.uri())
        .status(ORDER, Some("DEV-T1234500000012345ABCDE"))
        .await
        .expect("status");
    assert_eq!((event.status, event.amount), (expected, 150_000));
}

#[rstest]
#[case(json!(150000))]
#[case(json!("150000"))]
#[case(json!("150000.00"))]
#[tokio::test]
async fn should_parse_amount_string_or_number(#[case] amount: serde_json::Value) {
    let server = MockServer::start().await;
    Mock::given(path(PATH_DETAIL))
        .respond_with(ResponseTemplate::new(200).set_body_json(transaction("PAID", amount)))
        .expect(1)
        .mount(&server)
        .await;
    let event = gateway(&server.uri())
        .status(ORDER, Some("R"))
        .await
        .expect("status");
    assert_eq!(event.amount, 150_000);
}

#[test]
fn should_parse_callback_amount_given_as_string() {
    let body = CALLBACK_BODY.replace("\"total_amount\":150000", "\"total_amount\":\"150000.00\"");
    let sig = signature::callback(TRIPAY_PRIVATE_KEY, body.as_bytes());
    let event = offline()
        .parse_callback(&headers(&[("x-callback-signature", &sig)]), body.as_bytes())
        .expect("valid");
    assert_eq!(event.amount, 150_000);
}

#[tokio::test]
async fn should_need_the_reference_for_status() {
    let err = offline()
        .status(ORDER, None)
        .await
        .expect_err("no reference");
    assert!(matches!(err, GatewayError::NotSupported(_)), "{err:?}");
}
