//! Duitku plugin against wiremock, with the §A.10 fixtures.

use billing_gateways::duitku::{
    signature, PATH_INQUIRY, PATH_PAYMENT_METHODS, PATH_POP_CREATE_INVOICE, PATH_STATUS,
};
use billing_gateways::{
    Duitku, DuitkuConfig, Environment, GatewayError, GatewayStatus, MethodKind, PaymentGateway,
};
use rstest::rstest;
use serde_json::json;
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const CALLBACK_FIXTURE: &str = "merchantCode=DS12345&amount=150000&merchantOrderId=INV-2025-0001&productDetail=Internet+10+Mbps+Januari+2025&additionalParam=&paymentCode=BC&resultCode=00&merchantUserId=&reference=DS1234525ABCDEFGHIJK&signature=7d469c0297a9a43b12d2717e0b05976f&publisherOrderId=BC25ABCDEFGHIJKLMN&spUserHash=&settlementDate=2025-01-16&issuerCode=";

fn gateway(base_url: &str) -> Duitku {
    let config = DuitkuConfig::new(Environment::Sandbox, DUITKU_MERCHANT, DUITKU_KEY.into())
        .with_base_url(base_url);
    Duitku::new(config, clock()).expect("client")
}

fn offline() -> Duitku {
    gateway("http://127.0.0.1:9")
}

#[test]
fn should_compute_fixture_signatures_byte_exactly() {
    let (code, key) = (DUITKU_MERCHANT, DUITKU_KEY);
    assert_eq!(
        signature::payment_methods(code, 150_000, "2025-01-15 10:00:00", key),
        "6e9513d0751e14ad73288685722d3ed2bb80c444055e4607265da5abe4c13f3d"
    );
    assert_eq!(
        signature::inquiry(code, ORDER, 150_000, key),
        "3efafbeb689e530f32ebcd8b5fbaa88a"
    );
    assert_eq!(
        signature::callback(code, "150000", ORDER, key),
        "7d469c0297a9a43b12d2717e0b05976f"
    );
    assert_eq!(
        signature::status(code, ORDER, key),
        "d7444778bee1dcacead8bca48818ea4b"
    );
    assert_eq!(
        signature::pop_header(code, 1_736_910_000_000, key),
        "d23562b53fb19a2045c0624fdbb702a498938ebd4de45700d5b505c28b8f2d8d"
    );
    // The published duitku-ts vector.
    assert_eq!(
        signature::callback(
            "D0001",
            "10000",
            "12345",
            "732B39FC61796845775D2C4FB05332AF"
        ),
        "4104f20a70c933113c66c004fe25a9f1"
    );
}

#[test]
fn should_format_datetime_in_jakarta_time() {
    assert_eq!(
        billing_gateways::duitku::jakarta_datetime(fixture_now()),
        "2025-01-15 10:00:00"
    );
}

#[tokio::test]
async fn should_list_payment_methods_with_fixture_signature() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH_PAYMENT_METHODS))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(json!({
            "merchantCode": "DS12345", "amount": 150000, "datetime": "2025-01-15 10:00:00",
            "signature": "6e9513d0751e14ad73288685722d3ed2bb80c444055e4607265da5abe4c13f3d"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"paymentFee":[
            {"paymentMethod":"BC","paymentName":"BCA VA","paymentImage":"https://images.duitku.com/hotlink-ok/BC.PNG","totalFee":"5000"},
            {"paymentMethod":"SP","paymentName":"SHOPEEPAY QRIS","paymentImage":"https://images.duitku.com/hotlink-ok/SP.PNG","totalFee":0}],
            "responseCode":"00","responseMessage":"SUCCESS"})))
        .expect(1)
        .mount(&server)
        .await;
    let methods = gateway(&server.uri())
        .methods(150_000)
        .await
        .expect("methods");
    assert_eq!(methods.len(), 2);
    assert_eq!((methods[0].code.as_str(), methods[0].fee), ("BC", 5000));
    assert_eq!(methods[0].kind, MethodKind::VirtualAccount);
    assert_eq!((methods[1].kind, methods[1].fee), (MethodKind::Qris, 0));
}

#[tokio::test]
async fn should_create_payment() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH_INQUIRY))
        .and(body_partial_json(json!({
            "merchantCode": "DS12345", "paymentAmount": 150000, "paymentMethod": "BC",
            "merchantOrderId": "INV-2025-0001", "productDetails": "Internet 10 Mbps Januari 2025",
            "customerVaName": "Budi Santoso", "email": "budi@example.com", "phoneNumber": "081234567890",
            "callbackUrl": "https://billing.example.id/cb/duitku",
            "returnUrl": "https://billing.example.id/invoice/INV-2025-0001",
            "signature": "3efafbeb689e530f32ebcd8b5fbaa88a", "expiryPeriod": 1440,
            "itemDetails": [{"name": "Internet 10 Mbps Januari 2025", "price": 150000, "quantity": 1}],
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "merchantCode":"DS12345","reference":"DS1234525ABCDEFGHIJK",
            "paymentUrl":"https://sandbox.duitku.com/topup/topupdirectv2.aspx?ref=BC25ABCDEFGHIJKLMN",
            "vaNumber":"7007014001234567","qrString":"","amount":"150000",
            "statusCode":"00","statusMessage":"SUCCESS"})))
        .expect(1)
        .mount(&server)
        .await;
    let created = gateway(&server.uri())
        .create(&payment("BC"))
        .await
        .expect("created");
    assert_eq!(created.gateway_ref, "DS1234525ABCDEFGHIJK");
    assert_eq!(created.va_number.as_deref(), Some("7007014001234567"));
    assert_eq!(created.qr_string, None);
    assert!(created.payment_url.is_some());
    assert_eq!(
        created.expires_at,
        Some(fixture_now() + chrono::Duration::minutes(1440))
    );
}

#[tokio::test]
async fn should_create_qris_payment() {
    let server = MockServer::start().await;
    let qr = "00020101021226670016COM.NOBUBANK.WWW01189360050300000898740214123456789012340303UMI51440014ID.CO.QRIS.WWW0215ID20232323232320303UMI5204481253033605405150005802ID5910ISP CONTOH6007JAKARTA6105123406304ABCD";
    Mock::given(method("POST"))
        .and(path(PATH_INQUIRY))
        .and(body_partial_json(json!({"paymentMethod": "SP"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "merchantCode":"DS12345","reference":"DS1234525QRISXXXXXXX",
            "paymentUrl":"https://sandbox.duitku.com/topup/topupdirectv2.aspx?ref=SP25XXXXXXXX",
            "vaNumber":"","qrString":qr,"amount":"150000","statusCode":"00","statusMessage":"SUCCESS"})))
        .expect(1)
        .mount(&server)
        .await;
    let created = gateway(&server.uri())
        .create(&payment("SP"))
        .await
        .expect("created");
    assert_eq!(created.qr_string.as_deref(), Some(qr));
    assert_eq!(created.va_number, None);
}

#[rstest]
#[case(400, json!({"Message": "Wrong signature"}), "400", "Wrong signature")]
#[case(200, json!({"statusCode": "-100", "statusMessage": "Payment channel not available"}), "-100", "Payment channel not available")]
#[tokio::test]
async fn should_reject_create_when_duitku_refuses(
    #[case] status: u16,
    #[case] body: serde_json::Value,
    #[case] code: &str,
    #[case] message: &str,
) {
    let server = MockServer::start().await;
    Mock::given(path(PATH_INQUIRY))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .expect(1)
        .mount(&server)
        .await;
    match gateway(&server.uri()).create(&payment("BC")).await {
        Err(GatewayError::Rejected {
            code: c,
            message: m,
        }) => assert_eq!((c.as_str(), m.as_str()), (code, message)),
        other => panic!("expected Rejected, got {other:?}"),
    }
}

#[tokio::test]
async fn should_report_5xx_as_retryable() {
    let server = MockServer::start().await;
    Mock::given(path(PATH_STATUS))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let err = gateway(&server.uri())
        .status(ORDER, None)
        .await
        .expect_err("503");
    assert!(err.is_retryable(), "{err:?}");
}

#[test]
fn should_accept_callback_with_fixture_signature() {
    let gw = offline();
    let event = gw
        .parse_callback(&http::HeaderMap::new(), CALLBACK_FIXTURE.as_bytes())
        .expect("valid");
    assert_eq!(event.merchant_ref, ORDER);
    assert_eq!(event.gateway_ref.as_deref(), Some("DS1234525ABCDEFGHIJK"));
    assert_eq!((event.status, event.amount), (GatewayStatus::Paid, 150_000));
    assert!(
        gw.callback_is_trigger_only(),
        "Duitku callbacks must be confirmed with status()"
    );
    assert_eq!(gw.callback_ack(true).0, 200);
}

#[rstest]
#[case::zero_signature(CALLBACK_FIXTURE.replace("7d469c0297a9a43b12d2717e0b05976f", "00000000000000000000000000000000"))]
#[case::tampered_amount(CALLBACK_FIXTURE.replace("amount=150000", "amount=15000"))]
#[case::other_merchant(CALLBACK_FIXTURE.replace("merchantCode=DS12345", "merchantCode=DS99999"))]
#[case::no_signature(CALLBACK_FIXTURE.replace("signature=7d469c0297a9a43b12d2717e0b05976f", "signature="))]
#[case::json_instead_of_form(r#"{"merchantCode":"DS12345"}"#.to_owned())]
fn should_reject_bad_signature(#[case] body: String) {
    let gw = offline();
    let err = gw
        .parse_callback(&http::HeaderMap::new(), body.as_bytes())
        .expect_err("rejected");
    assert!(matches!(err, GatewayError::Signature(_)), "{err:?}");
    assert_eq!(gw.callback_ack(false).0, 401);
}

#[test]
fn should_pass_resigned_amount_mismatch_fixture_through_with_its_amount() {
    // §A.10: amount=15000 with a matching signature is authentic; the integrator holds it.
    let sig = signature::callback(DUITKU_MERCHANT, "15000", ORDER, DUITKU_KEY);
    let body = CALLBACK_FIXTURE
        .replace("amount=150000", "amount=15000")
        .replace("7d469c0297a9a43b12d2717e0b05976f", &sig);
    let event = offline()
        .parse_callback(&http::HeaderMap::new(), body.as_bytes())
        .expect("authentic");
    assert_eq!(event.amount, 15_000);
}

#[rstest]
#[case("00", GatewayStatus::Paid)]
#[case("01", GatewayStatus::Pending)]
#[case("02", GatewayStatus::Pending)]
fn should_treat_callback_result_code_as_a_hint(
    #[case] result: &str,
    #[case] status: GatewayStatus,
) {
    let body = CALLBACK_FIXTURE.replace("resultCode=00", &format!("resultCode={result}"));
    let event = offline()
        .parse_callback(&http::HeaderMap::new(), body.as_bytes())
        .expect("valid");
    assert_eq!(event.status, status);
}

#[rstest]
#[case::paid("00", GatewayStatus::Paid)]
#[case::pending("01", GatewayStatus::Pending)]
#[case::failed_or_expired("02", GatewayStatus::Failed)]
#[tokio::test]
async fn should_map_expired_status(#[case] code: &str, #[case] expected: GatewayStatus) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH_STATUS))
        .and(body_partial_json(json!({
            "merchantCode":"DS12345","merchantOrderId":"INV-2025-0001",
            "signature":"d7444778bee1dcacead8bca48818ea4b"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "merchantOrderId":"INV-2025-0001","reference":"DS1234525ABCDEFGHIJK","amount":"150000",
            "fee":"0.00","statusCode":code,"statusMessage":"X"})))
        .expect(1)
        .mount(&server)
        .await;
    let event = gateway(&server.uri())
        .status(ORDER, None)
        .await
        .expect("status");
    assert_eq!((event.status, event.amount), (expected, 150_000));
    assert_eq!(event.gateway_ref.as_deref(), Some("DS1234525ABCDEFGHIJK"));
}

#[rstest]
#[case(json!("150000"), json!("0.00"))]
#[case(json!(150000), json!(0))]
#[case(json!("150000.00"), json!(0.0))]
#[tokio::test]
async fn should_parse_amount_string_or_number(
    #[case] amount: serde_json::Value,
    #[case] fee: serde_json::Value,
) {
    let server = MockServer::start().await;
    Mock::given(path(PATH_STATUS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "merchantOrderId":"INV-2025-0001","reference":"R","amount":amount,"fee":fee,
            "statusCode":"00","statusMessage":"SUCCESS"})))
        .expect(1)
        .mount(&server)
        .await;
    let event = gateway(&server.uri())
        .status(ORDER, None)
        .await
        .expect("status");
    assert_eq!(event.amount, 150_000);
}

#[tokio::test]
async fn should_reject_fractional_amount() {
    let server = MockServer::start().await;
    Mock::given(path(PATH_STATUS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "merchantOrderId":"INV-2025-0001","amount":"150000.50","statusCode":"00"})))
        .expect(1)
        .mount(&server)
        .await;
    let err = gateway(&server.uri())
        .status(ORDER, None)
        .await
        .expect_err("fraction");
    assert!(matches!(err, GatewayError::Decode(_)), "{err:?}");
}

#[test]
fn should_not_leak_the_key_in_debug_output() {
    let debug = format!("{:?}", offline());
    assert!(!debug.contains(DUITKU_KEY), "{debug}");
}

#[tokio::test]
async fn should_create_a_pop_checkout_with_the_documented_headers_and_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH_POP_CREATE_INVOICE))
        .and(header("x-duitku-merchantcode", DUITKU_MERCHANT))
        .and(header("x-duitku-timestamp", "1736910000000"))
        .and(header(
            "x-duitku-signature",
            "d23562b53fb19a2045c0624fdbb702a498938ebd4de45700d5b505c28b8f2d8d",
        ))
        .and(header("accept", "application/json"))
        .and(body_partial_json(json!({
            "paymentAmount": 150000, "merchantOrderId": ORDER, "expiryPeriod": 1440,
            "customerVaName": "Budi Santoso",
            "returnUrl": "https://billing.example.id/invoice/INV-2025-0001"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "merchantCode": "DS12345", "reference": "DS1234525ABCDEFGHIJK",
            "paymentUrl": "https://app-sandbox.duitku.com/redirect_checkout?reference=DS1234525ABCDEFGHIJK",
            "statusCode": "00", "statusMessage": "SUCCESS"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut request = payment("");
    request.callback_url = String::new();
    let created = gateway(&server.uri())
        .create_checkout(&request)
        .await
        .expect("checkout");
    assert_eq!(created.gateway_ref, "DS1234525ABCDEFGHIJK");
    assert_eq!(
        created.payment_url.as_deref(),
        Some("https://app-sandbox.duitku.com/redirect_checkout?reference=DS1234525ABCDEFGHIJK")
    );
    let sent = &server.received_requests().await.expect("recorded")[0];
    let body: serde_json::Value = serde_json::from_slice(&sent.body).expect("json");
    for absent in ["merchantCode", "signature", "paymentMethod", "callbackUrl"] {
        assert!(
            body.get(absent).is_none(),
            "{absent} must not be sent: {body}"
        );
    }
}

#[tokio::test]
async fn a_refused_pop_checkout_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH_POP_CREATE_INVOICE))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"Message": "Wrong signature"})),
        )
        .mount(&server)
        .await;
    let err = gateway(&server.uri())
        .create_checkout(&payment(""))
        .await
        .expect_err("refused");
    assert!(matches!(err, GatewayError::Rejected { .. }), "{err:?}");
}
