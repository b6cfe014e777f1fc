//! Manual transfers: proof uploaded on the pay page, confirmed or rejected by a cashier.

use super::*;

pub(crate) fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&[0u8; 64]);
    bytes
}

/// A transfer proof sent from the pay page, as the customer does.
pub(crate) async fn upload(
    app: &TestApp,
    url: &str,
    amount: &str,
    image: Vec<u8>,
) -> (StatusCode, Value) {
    let form = reqwest::multipart::Form::new()
        .text("amount", amount.to_owned())
        .text("payer_name", "Budi Santoso")
        .part(
            "proof",
            reqwest::multipart::Part::bytes(image).file_name("bukti.png"),
        );
    let res = app
        .http
        .post(format!("{url}/manual"))
        .multipart(form)
        .send()
        .await
        .expect("send");
    split(res).await
}

#[tokio::test]
async fn transfer_proof_waits_for_the_cashier_then_settles_or_fails() {
    let (app, _fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "transfer").await;

    let (status, body) = upload(&app, &url, "150.000", b"<svg onload=alert(1)>".to_vec()).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("proof"))
    );
    let (status, body) = upload(&app, &url, "0", png()).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("amount"))
    );

    let (status, first) = upload(&app, &url, "150.000", png()).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let (status, second) = upload(&app, &url, "150.000", png()).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let id = first["payment_id"].as_str().expect("id");
    let (_, inv) = app
        .call(
            "GET",
            &format!("/api/invoices/{}", invoice["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(
        inv["status"], "unpaid",
        "nothing is applied before the cashier confirms"
    );

    let token = app.token().await;
    let res = app
        .http
        .get(format!("{}/api/payments/{id}/proof", app.admin))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    assert_eq!(res.headers()["content-type"], "image/png");

    let (status, settled) = app
        .call("POST", &format!("/api/payments/{id}/confirm"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{settled}");
    assert_eq!(settled["invoice_status"], "paid");
    let (status, _) = app
        .call("POST", &format!("/api/payments/{id}/confirm"), None)
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "confirming twice does nothing"
    );

    let other = second["payment_id"].as_str().expect("id");
    let (status, _) = app
        .call(
            "POST",
            &format!("/api/payments/{other}/reject"),
            Some(json!({"reason": ""})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app
        .call(
            "POST",
            &format!("/api/payments/{other}/reject"),
            Some(json!({"reason": "dana tidak masuk"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, p) = app
        .call("GET", &format!("/api/payments/{other}"), None)
        .await;
    assert_eq!(p["status"], "failed");
    app.shutdown().await;
}
