//! The Duitku plugin end to end against `FakeDuitku` (feature `fake`).

use billing_gateways::fake::{FakeDuitku, FakeStatus};
use billing_gateways::{
    Duitku, DuitkuConfig, Environment, GatewayError, GatewayStatus, MethodKind, PaymentGateway,
};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

async fn setup() -> (FakeDuitku, Duitku) {
    let fake = FakeDuitku::start(DUITKU_MERCHANT, DUITKU_KEY).await;
    let config = DuitkuConfig::new(Environment::Sandbox, DUITKU_MERCHANT, DUITKU_KEY.into())
        .with_base_url(fake.base_url());
    (fake, Duitku::new(config, clock()).expect("client"))
}

#[tokio::test]
async fn should_create_payment_and_confirm_it_after_mark_paid() {
    let (fake, gw) = setup().await;
    let created = gw.create(&payment("BC")).await.expect("created");
    assert!(created.va_number.is_some());
    assert!(created
        .payment_url
        .as_deref()
        .is_some_and(|u| u.starts_with(&fake.base_url())));

    let event = gw.status(ORDER, None).await.expect("status");
    assert_eq!(
        (event.status, event.amount),
        (GatewayStatus::Pending, 150_000)
    );
    assert_eq!(
        event.gateway_ref.as_deref(),
        Some(created.gateway_ref.as_str())
    );

    assert!(fake.mark_paid(ORDER));
    let event = gw.status(ORDER, None).await.expect("status");
    assert_eq!(event.status, GatewayStatus::Paid);
    let txs = fake.transactions();
    assert_eq!(txs.len(), 1);
    assert_eq!((txs[0].status, txs[0].amount), (FakeStatus::Paid, 150_000));
    assert_eq!(fake.status_calls(), 2);
}

#[tokio::test]
async fn should_create_qris_payment_with_a_qr_string() {
    let (_fake, gw) = setup().await;
    let created = gw.create(&payment("SP")).await.expect("created");
    let qr = created.qr_string.expect("qr");
    assert!(
        qr.starts_with("000201") && qr.contains("5406150000"),
        "{qr}"
    );
    assert_eq!(created.va_number, None);
}

#[tokio::test]
async fn should_list_methods_from_fake_with_valid_signature() {
    let (_fake, gw) = setup().await;
    let methods = gw.methods(150_000).await.expect("methods");
    assert!(methods
        .iter()
        .any(|m| m.code == "BC" && m.kind == MethodKind::VirtualAccount));
    assert!(methods
        .iter()
        .any(|m| m.code == "SP" && m.kind == MethodKind::Qris));
}

#[tokio::test]
async fn should_reject_wrong_key_like_duitku() {
    let fake = FakeDuitku::start(DUITKU_MERCHANT, DUITKU_KEY).await;
    let config = DuitkuConfig::new(Environment::Sandbox, DUITKU_MERCHANT, "wrong-key".into())
        .with_base_url(fake.base_url());
    let gw = Duitku::new(config, clock()).expect("client");
    for result in [
        gw.create(&payment("BC")).await.err(),
        gw.status(ORDER, None).await.err(),
    ] {
        match result {
            Some(GatewayError::Rejected { code, message }) => {
                assert_eq!(
                    (code.as_str(), message.as_str()),
                    ("401", "Wrong signature")
                );
            }
            other => panic!("expected Rejected, got {other:?}"),
        }
    }
    assert!(gw.methods(1).await.is_err());
    assert!(fake.transactions().is_empty());
}

#[tokio::test]
async fn should_reject_duplicate_order_and_unknown_channel() {
    let (_fake, gw) = setup().await;
    gw.create(&payment("BC")).await.expect("created");
    let dup = gw.create(&payment("BC")).await.expect_err("duplicate");
    assert!(matches!(dup, GatewayError::Rejected { .. }), "{dup:?}");
    let mut other = payment("ZZ");
    other.merchant_ref = "INV-2025-0001-2".into();
    let err = gw.create(&other).await.expect_err("unknown channel");
    assert!(matches!(err, GatewayError::Rejected { .. }), "{err:?}");
}

#[tokio::test]
async fn should_map_failed_and_expired_to_failed() {
    let (fake, gw) = setup().await;
    gw.create(&payment("BC")).await.expect("created");
    assert!(fake.mark_expired(ORDER));
    assert_eq!(
        gw.status(ORDER, None).await.expect("status").status,
        GatewayStatus::Failed
    );
    assert!(fake.mark_failed(ORDER));
    assert_eq!(
        gw.status(ORDER, None).await.expect("status").status,
        GatewayStatus::Failed
    );
    assert!(!fake.mark_paid("NOPE"));
}

#[tokio::test]
async fn should_sign_callbacks_the_plugin_accepts() {
    let (fake, gw) = setup().await;
    gw.create(&payment("BC")).await.expect("created");
    let form = fake.signed_callback_form(ORDER, "00");
    assert!(form.starts_with("merchantCode=DS12345&amount=150000&merchantOrderId=INV-2025-0001&"));
    assert!(
        form.contains("&signature=7d469c0297a9a43b12d2717e0b05976f&"),
        "{form}"
    );
    let event = gw
        .parse_callback(&http::HeaderMap::new(), form.as_bytes())
        .expect("valid");
    assert_eq!((event.status, event.amount), (GatewayStatus::Paid, 150_000));

    let mismatch = fake.callback_form_for(ORDER, "15000", "00");
    let event = gw
        .parse_callback(&http::HeaderMap::new(), mismatch.as_bytes())
        .expect("authentic");
    assert_eq!(event.amount, 15_000);
}

#[tokio::test]
async fn should_deliver_form_encoded_callback() {
    let (fake, gw) = setup().await;
    let receiver = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/cb/duitku"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("resultCode=00"))
        .and(body_string_contains(
            "signature=7d469c0297a9a43b12d2717e0b05976f",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string("OK"))
        .expect(2)
        .mount(&receiver)
        .await;
    let mut req = payment("BC");
    req.callback_url = format!("{}/cb/duitku", receiver.uri());
    gw.create(&req).await.expect("created");

    let delivery = fake
        .mark_paid_and_notify(ORDER)
        .await
        .expect("delivered")
        .expect("has url");
    assert_eq!((delivery.status, delivery.body.as_str()), (200, "OK"));
    let again = fake
        .deliver_callback(ORDER, &req.callback_url)
        .await
        .expect("delivered");
    assert_eq!(again.status, 200);
}

#[tokio::test]
async fn should_answer_503_while_unavailable() {
    let (fake, gw) = setup().await;
    fake.set_unavailable(true);
    let err = gw.create(&payment("BC")).await.expect_err("down");
    assert!(err.is_retryable(), "{err:?}");
    fake.set_unavailable(false);
    gw.create(&payment("BC"))
        .await
        .expect("created after recovery");
    assert_eq!(fake.inquiry_calls(), 2);
}

#[tokio::test]
async fn should_serve_the_payment_page() {
    let (_fake, gw) = setup().await;
    let created = gw.create(&payment("BC")).await.expect("created");
    let url = created.payment_url.expect("url");
    let page = reqwest::get(url)
        .await
        .expect("page")
        .text()
        .await
        .expect("text");
    assert!(
        page.contains(&created.gateway_ref) && page.contains("150000"),
        "{page}"
    );
}

#[tokio::test]
async fn should_create_a_checkout_on_the_fake_and_confirm_it_by_status() {
    let (fake, gw) = setup().await;
    assert!(gw.supports_checkout());
    let mut request = payment("");
    request.callback_url = String::new();
    let created = gw.create_checkout(&request).await.expect("checkout");
    let url = created.payment_url.expect("payment url");
    assert!(
        url.starts_with(&format!("{}/redirect_checkout?reference=", fake.base_url())),
        "{url}"
    );
    let page = reqwest::get(&url)
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(page.contains(&created.gateway_ref), "{page}");
    let tx = fake.transaction(ORDER).expect("stored");
    assert!(tx.checkout && tx.callback_url.is_empty() && tx.payment_method.is_empty());
    assert_eq!(fake.checkout_calls(), 1);

    assert_eq!(
        gw.status(ORDER, None).await.expect("status").status,
        GatewayStatus::Pending
    );
    assert!(fake.mark_paid(ORDER));
    let event = gw.status(ORDER, None).await.expect("status");
    assert_eq!((event.status, event.amount), (GatewayStatus::Paid, 150_000));
    // The same order id twice is refused, as Duitku does.
    assert!(gw.create_checkout(&request).await.is_err());
}

#[tokio::test]
async fn the_fake_refuses_a_checkout_signed_with_another_key() {
    let fake = FakeDuitku::start(DUITKU_MERCHANT, DUITKU_KEY).await;
    let config = DuitkuConfig::new(Environment::Sandbox, DUITKU_MERCHANT, "wrong-key".into())
        .with_base_url(fake.base_url());
    let gw = Duitku::new(config, clock()).expect("client");
    let err = gw.create_checkout(&payment("")).await.expect_err("refused");
    assert!(matches!(err, GatewayError::Rejected { .. }), "{err:?}");
    assert!(fake.transactions().is_empty());
}
