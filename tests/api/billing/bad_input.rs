//! Bad input gets a 4xx naming what is wrong, and nothing is written.

use super::*;

#[tokio::test]
async fn bad_payments_name_the_problem_and_write_nothing() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "rudi", d(2026, 11, 1)).await;
    let inv = open_invoices(&app, &sub["id"]).await.remove(0);

    for amount in [0, -5_000] {
        let (status, body) = pay(&app, &inv["id"], amount).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["error"]["field"], "amount");
    }
    let (status, body) = app
        .call(
            "POST",
            "/api/payments",
            Some(json!({"invoice_id": inv["id"], "amount": 1000, "method": "bitcoin"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("method"))
    );
    let (status, _) = pay(&app, &json!(uuid::Uuid::new_v4()), 10_000).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .call(
            "POST",
            "/api/payments",
            Some(json!({"invoice_id": "bukan-uuid", "amount": 1000, "method": "cash"})),
        )
        .await;
    assert!(status.is_client_error(), "{body}");

    let (_, payments) = app.call("GET", "/api/payments", None).await;
    assert_eq!(payments["total"], 0, "nothing was recorded");

    pay(&app, &inv["id"], 150_000).await;
    let (status, body) = pay(&app, &inv["id"], 1_000).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("already paid"));
    app.shutdown().await;
}

#[tokio::test]
async fn bad_customers_subscriptions_and_plans_are_refused() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (status, body) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": "Kantor Desa", "phone": "021-5551234"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "phone");
    let (status, body) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": " ", "phone": "0812345678"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("name"))
    );

    let (customer, sub) = customer_with_subscription(&app, 100_000, "dewi", d(2026, 11, 1)).await;
    let (status, body) = app
        .call(
            "POST",
            "/api/subscriptions",
            Some(
                json!({"customer_id": customer["id"], "plan_id": sub["plan_id"], "login": "dewi",
                        "password": "lain-lagi", "start_on": "2026-11-01"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["field"], "login");

    let (status, body) = app
        .call(
            "POST",
            "/api/plans",
            Some(json!({"name": "Gratis", "price": 0, "kind": "pppoe", "router_profile": "x"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("price"))
    );
    let (status, body) = app
        .call(
            "DELETE",
            &format!("/api/plans/{}", sub["plan_id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");

    let cid = customer["id"].as_str().expect("id");
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/customers/{cid}/balance"),
            Some(json!({"kind": "refund", "amount": 5000, "reason": "kembalian"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a wallet never goes negative: {body}"
    );
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/customers/{cid}/balance"),
            Some(json!({"kind": "adjustment", "amount": 5000, "reason": ""})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason"))
    );
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/customers/{cid}/balance"),
            Some(json!({"kind": "adjustment", "amount": 5000, "reason": "kompensasi gangguan"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The customer owes an open invoice: the credit pays it at once.
    assert_eq!(body["balance"], 0, "{body}");
    let (_, balance) = app
        .call("GET", &format!("/api/customers/{cid}/balance"), None)
        .await;
    let reasons: Vec<&str> = balance["entries"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["reason"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        reasons,
        ["credit_applied", "adjustment"],
        "only the valid adjustment, and its use"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn customer_search_finds_by_name_phone_and_login() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    customer_with_subscription(&app, 100_000, "joko9", d(2026, 11, 1)).await;
    for q in ["pelanggan joko", "0812-3456", "+62 812 3456", "JOKO9"] {
        let (status, body) = app
            .call(
                "GET",
                &format!("/api/customers?q={}", urlencoding::encode(q)),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["total"], 1, "search {q:?}: {body}");
    }
    let (_, body) = app.call("GET", "/api/customers?q=tidak-ada", None).await;
    assert_eq!(body["total"], 0);
    app.shutdown().await;
}

#[tokio::test]
async fn customer_search_pages_count_every_match_even_past_the_last_page() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    for login in ["sari1", "sari2", "sari3"] {
        customer_with_subscription(&app, 100_000, login, d(2026, 11, 1)).await;
    }
    for (offset, items) in [(0, 2), (2, 1), (5, 0)] {
        let (status, body) = app
            .call(
                "GET",
                &format!("/api/customers?q=sari&limit=2&offset={offset}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["total"], 3, "offset {offset}: {body}");
        assert_eq!(
            body["items"].as_array().map(Vec::len),
            Some(items),
            "offset {offset}: {body}"
        );
    }
    app.shutdown().await;
}

#[tokio::test]
async fn discounts_reduce_what_is_owed_and_terminated_subscriptions_get_no_invoices() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "eko", d(2026, 11, 1)).await;
    let inv = open_invoices(&app, &sub["id"]).await.remove(0);
    let id = inv["id"].as_str().expect("id");
    pay(&app, &inv["id"], 100_000).await;

    let (status, body) = app
        .call(
            "POST",
            &format!("/api/invoices/{id}/discount"),
            Some(json!({"amount": 60_000, "reason": "gangguan 4 hari"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "more than owed: {body}"
    );
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/invoices/{id}/discount"),
            Some(json!({"amount": 50_000, "reason": "gangguan 4 hari"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        (body["total"].as_i64(), body["status"].as_str()),
        (Some(100_000), Some("paid"))
    );
    assert_eq!(body["lines"][1]["kind"], "discount");

    let sid = sub["id"].as_str().expect("id");
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/subscriptions/{sid}/terminate"),
            Some(json!({"reason": "pindah rumah"})),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("terminated"))
    );
    set_today(&app, d(2026, 12, 1));
    let (_, run) = app
        .call("POST", "/api/billing/run", Some(json!({"dry_run": false})))
        .await;
    assert_eq!(run["issued"], 0, "a terminated subscription is not billed");
    app.shutdown().await;
}
