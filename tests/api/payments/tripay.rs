//! A second gateway end to end: Tripay's HMAC-signed JSON callbacks against its fake.

use billing_gateways::fake::FakeTripay;

use super::*;

#[tokio::test]
async fn tripay_payment_is_created_and_its_signed_callback_settles_the_invoice() {
    let app = spawn_app().await;
    let fake = FakeTripay::start("T1234", "DEV-api-key", "private-key-123").await;
    let (status, body) = app
        .call(
            "PUT",
            "/api/settings/gateways/tripay",
            Some(
                json!({"enabled": true, "environment": "sandbox", "merchant_code": "T1234",
                        "base_url": fake.base_url(), "api_key": "DEV-api-key"}),
            ),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the private key is required: {body}"
    );
    assert_eq!(body["error"]["field"], "secondary_key");
    let (status, body) = app
        .call(
            "PUT",
            "/api/settings/gateways/tripay",
            Some(
                json!({"enabled": true, "environment": "sandbox", "merchant_code": "T1234",
                        "base_url": fake.base_url(), "secondary_key": "private-key-123"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (
            body["has_api_key"].as_bool(),
            body["has_secondary_key"].as_bool()
        ),
        (Some(true), Some(true))
    );

    let (invoice, url) = invoice_with_link(&app, "tripay").await;
    let res = app
        .http
        .post(format!("{url}/payments"))
        .json(&json!({"gateway": "tripay", "method": "BRIVA"}))
        .send()
        .await
        .expect("send");
    let (status, created) = split(res).await;
    assert_eq!(status, StatusCode::OK, "{created}");
    let merchant_ref = created["merchant_ref"].as_str().expect("ref").to_owned();
    assert!(fake.mark_paid(&merchant_ref));
    let delivery = fake
        .deliver_callback(
            &merchant_ref,
            &format!("{}/api/payments/webhook/tripay", app.public),
        )
        .await
        .expect("deliver");
    assert_eq!(delivery.status, 200, "{}", delivery.body);
    let (_, state) = app
        .call(
            "GET",
            &format!("/api/invoices/{}", invoice["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(state["status"], "paid", "{state}");
    app.shutdown().await;
}
