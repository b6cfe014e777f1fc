//! Online payments in the reports (a row per gateway, not a cashier) and transfer proofs
//! waiting on the home screen.

use billing_tests::*;
use serde_json::Value;

use super::report;
use crate::payments::manual::{png, upload};
use crate::payments::{app_with_duitku, choose, invoice_with_link, webhook_url};

async fn upload_proof(app: &TestApp, url: &str, amount: &str) -> Value {
    let (status, body) = upload(app, url, amount, png()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

fn row<'a>(report: &'a Value, key: &str, value: &str) -> Option<&'a Value> {
    report["rows"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r[key] == value))
}

#[tokio::test]
async fn gateway_payments_get_their_own_row_and_proofs_wait_on_the_home_screen() {
    let (app, fake) = app_with_duitku().await;
    // A customer pays 150,000 online through Duitku.
    let (_, url) = invoice_with_link(&app, "siti").await;
    let created = choose(&app, &url, "NQ").await;
    let merchant_ref = created["merchant_ref"].as_str().expect("ref").to_owned();
    fake.mark_paid(&merchant_ref);
    let d = fake
        .deliver_callback(&merchant_ref, &webhook_url(&app))
        .await
        .expect("post");
    assert_eq!(d.status, 200);
    // Another pays 20,000 cash at the counter and uploads a transfer proof of 50,000.
    let (invoice, url) = invoice_with_link(&app, "rina").await;
    let (status, paid) = crate::billing::pay(&app, &invoice["id"], 20_000).await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    let proof = upload_proof(&app, &url, "50.000").await;

    let home = report(&app, "/api/dashboard/home").await;
    assert_eq!(home["pending_proofs"], 1, "{home}");
    assert_eq!(home["income_today"]["amount"], 150_000 + 20_000);
    let methods = &home["income_today"];
    let by_method = |m: &str| {
        methods["by_method"]
            .as_array()
            .and_then(|r| r.iter().find(|x| x["method"] == m))
            .map(|x| x["amount"].clone())
    };
    assert_eq!(by_method("duitku"), Some(150_000.into()));
    assert_eq!(by_method("cash"), Some(20_000.into()));

    let r = report(&app, "/api/reports/payments-by-cashier").await;
    let gateway = row(&r, "kind", "gateway").expect("a gateway row");
    assert_eq!(
        (&gateway["name"], &gateway["amount"], &gateway["count"]),
        (&"duitku".into(), &150_000.into(), &1.into())
    );
    let owner = row(&r, "name", OWNER).expect("the owner's row");
    assert_eq!(
        (&owner["kind"], &owner["amount"]),
        (&"user".into(), &20_000.into())
    );
    assert_eq!(r["amount"], 170_000);

    // The cashier confirms the proof: it leaves the home screen and counts as theirs.
    let id = proof["payment_id"].as_str().expect("id");
    let (status, body) = app
        .call("POST", &format!("/api/payments/{id}/confirm"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let home = report(&app, "/api/dashboard/home").await;
    assert_eq!(home["pending_proofs"], 0);
    let r = report(&app, "/api/reports/payments-by-cashier").await;
    let owner = row(&r, "name", OWNER).expect("the owner's row");
    assert_eq!(
        (&owner["amount"], &owner["count"]),
        (&70_000.into(), &2.into())
    );
    let r = report(&app, "/api/reports/payments-by-method").await;
    assert_eq!(
        row(&r, "method", "transfer").map(|x| x["amount"].clone()),
        Some(50_000.into())
    );
    app.shutdown().await;
}
