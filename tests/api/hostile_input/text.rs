//! Free text has length limits (`billing_app::text`), named in the error, and the database
//! enforces the same limits.

use super::*;
use crate::billing::{customer_with_subscription, d, open_invoices, set_today};

#[tokio::test]
async fn overlong_text_is_a_422_naming_the_field_and_the_database_refuses_it_too() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    for (field, len) in [("name", 121), ("address", 501), ("notes", 2_001)] {
        let mut body = json!({"name": "Budi", "phone": "0812-3456-7890"});
        body[field] = json!("x".repeat(len));
        let (status, answer) = app.call("POST", "/api/customers", Some(body)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {answer}"
        );
        assert_eq!(answer["error"]["field"], field);
    }
    assert_eq!(count(&app, "customers").await, 0);
    // At the limit is fine (multi-byte characters count as one).
    let (status, customer) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": "Budi", "phone": "0812-3456-7890",
                        "address": "é".repeat(500), "notes": "n".repeat(2_000)})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let id = customer["id"].as_str().expect("id");
    let (status, answer) = app
        .call(
            "PATCH",
            &format!("/api/customers/{id}"),
            Some(json!({"address": "y".repeat(100 * 1024)})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["field"], "address");

    let (_, sub) = customer_with_subscription(&app, 150_000, "panjang", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    for (field, body) in [
        (
            "reference",
            json!({"invoice_id": invoice["id"], "amount": 1000, "method": "transfer",
                             "reference": "r".repeat(101)}),
        ),
        (
            "note",
            json!({"invoice_id": invoice["id"], "amount": 1000, "method": "cash",
                        "note": "n".repeat(1_100_000)}),
        ),
    ] {
        let (status, answer) = app.call("POST", "/api/payments", Some(body)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {answer}"
        );
        assert_eq!(answer["error"]["field"], field);
    }
    assert_eq!(count(&app, "payments").await, 0);
    let (status, answer) = app
        .call(
            "POST",
            &format!("/api/customers/{id}/balance"),
            Some(json!({"kind": "adjustment", "amount": 1000, "reason": "r".repeat(501)})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["field"], "reason");

    // The database holds the same limits whatever path the text takes.
    let pool = app.pool().await;
    for (sql, constraint) in [
        (
            "update customers set address = repeat('x', 501)",
            "customers_address_length",
        ),
        (
            "update customers set notes = repeat('x', 2001)",
            "customers_notes_length",
        ),
        (
            "update customers set name = repeat('x', 121)",
            "customers_name_length",
        ),
    ] {
        let err = sqlx::query(sql)
            .execute(&pool)
            .await
            .expect_err("the database refuses it");
        assert!(err.to_string().contains(constraint), "{sql}: {err}");
    }
    app.shutdown().await;
}
