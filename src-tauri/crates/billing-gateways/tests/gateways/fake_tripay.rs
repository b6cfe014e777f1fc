//! The Tripay plugin end to end against `FakeTripay` (feature `fake`).

use billing_gateways::fake::FakeTripay;
use billing_gateways::{Environment, GatewayStatus, PaymentGateway, Tripay, TripayConfig};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

async fn setup() -> (FakeTripay, Tripay) {
    let fake = FakeTripay::start(TRIPAY_MERCHANT, TRIPAY_API_KEY, TRIPAY_PRIVATE_KEY).await;
    let config = TripayConfig::new(
        Environment::Sandbox,
        TRIPAY_MERCHANT,
        TRIPAY_API_KEY.into(),
        TRIPAY_PRIVATE_KEY.into(),
    )
    .with_base_url(fake.base_url());
    (fake, Tripay::new(config, clock()).expect("client"))
}

#[tokio::test]
async fn should_create_payment_and_follow_status() {
    let (fake, gw) = setup().await;
    assert!(!gw.methods(150_000).await.expect("methods").is_empty());
    let created = gw.create(&payment("BRIVA")).await.expect("created");
    assert!(created.va_number.is_some());
    let reference = created.gateway_ref.as_str();
    let event = gw.status(ORDER, Some(reference)).await.expect("status");
    assert_eq!(
        (event.status, event.amount),
        (GatewayStatus::Pending, 150_000)
    );
    assert!(fake.mark_expired(ORDER));
    assert_eq!(
        gw.status(ORDER, Some(reference))
            .await
            .expect("status")
            .status,
        GatewayStatus::Expired
    );
    assert!(fake.mark_paid(ORDER));
    assert_eq!(
        gw.status(ORDER, Some(reference))
            .await
            .expect("status")
            .status,
        GatewayStatus::Paid
    );
}

#[tokio::test]
async fn should_reject_wrong_private_key() {
    let fake = FakeTripay::start(TRIPAY_MERCHANT, TRIPAY_API_KEY, TRIPAY_PRIVATE_KEY).await;
    let config = TripayConfig::new(
        Environment::Sandbox,
        TRIPAY_MERCHANT,
        TRIPAY_API_KEY.into(),
        "wrong".into(),
    )
    .with_base_url(fake.base_url());
    let gw = Tripay::new(config, clock()).expect("client");
    assert!(gw.create(&payment("QRIS")).await.is_err());
    assert!(fake.transactions().is_empty());
}

#[tokio::test]
async fn should_deliver_signed_callback_the_plugin_accepts() {
    let (fake, gw) = setup().await;
    gw.create(&payment("QRIS")).await.expect("created");
    fake.mark_paid(ORDER);
    let (body, sig) = fake.signed_callback(ORDER).expect("known");
    let event = gw
        .parse_callback(&headers(&[("x-callback-signature", &sig)]), body.as_bytes())
        .expect("valid");
    assert_eq!((event.status, event.amount), (GatewayStatus::Paid, 150_000));

    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cb/tripay"))
        .and(header("x-callback-signature", sig.as_str()))
        .and(header("x-callback-event", "payment_status"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"success":true}"#))
        .expect(1)
        .mount(&receiver)
        .await;
    let delivery = fake
        .deliver_callback(ORDER, &format!("{}/cb/tripay", receiver.uri()))
        .await
        .expect("delivered");
    assert_eq!(delivery.status, 200);
}
