//! The seed's carry-over story, end to end over HTTP.

use super::*;

#[tokio::test]
async fn partial_payment_carries_over_overpayment_becomes_credit_and_credit_is_used_next_month() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (customer, sub) = customer_with_subscription(&app, 150_000, "budi", d(2026, 11, 1)).await;
    let cid = customer["id"].as_str().expect("id").to_owned();
    assert_eq!(customer["phone"], "6281234567890");

    // November: 150,000, pay 100,000 → partial.
    let invoices = open_invoices(&app, &sub["id"]).await;
    assert_eq!(invoices.len(), 1);
    let nov = &invoices[0];
    assert_eq!(nov["total"], 150_000);
    assert!(
        nov["number"]
            .as_str()
            .is_some_and(|n| n.starts_with("INV/2026/11/")),
        "{nov}"
    );
    let (status, paid) = pay(&app, &nov["id"], 100_000).await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    assert_eq!(
        (paid["applied"].as_i64(), paid["credit"].as_i64()),
        (Some(100_000), Some(0))
    );
    assert_eq!(paid["invoice_status"], "partial");

    // December: 150,000 fee + 50,000 arrears = 200,000; November is closed as carried over.
    set_today(&app, d(2026, 12, 1));
    let (_, run) = app
        .call("POST", "/api/billing/run", Some(json!({"dry_run": false})))
        .await;
    assert_eq!(run["issued"], 1, "{run}");
    let invoices = open_invoices(&app, &sub["id"]).await;
    let (nov, dec) = (&invoices[0], &invoices[1]);
    assert_eq!(nov["status"], "carried_over");
    assert_eq!(nov["owed"], 0);
    assert_eq!(dec["total"], 200_000);
    let (_, dec_detail) = app
        .call(
            "GET",
            &format!("/api/invoices/{}", dec["id"].as_str().expect("id")),
            None,
        )
        .await;
    let kinds: Vec<&str> = dec_detail["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .filter_map(|l| l["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["plan_fee", "arrears"]);
    assert_eq!(dec_detail["carried_from"][0]["amount"], 50_000);

    // Pay 250,000 → paid, 50,000 credit.
    let (_, paid) = pay(&app, &dec["id"], 250_000).await;
    assert_eq!(
        (paid["applied"].as_i64(), paid["credit"].as_i64()),
        (Some(200_000), Some(50_000))
    );
    assert_eq!(paid["invoice_status"], "paid");
    let (_, balance) = app
        .call("GET", &format!("/api/customers/{cid}/balance"), None)
        .await;
    assert_eq!(balance["total_credit"], 50_000, "{balance}");

    // January: 150,000 with the 50,000 credit applied automatically → 100,000 owed.
    set_today(&app, d(2027, 1, 1));
    let (_, run) = app
        .call("POST", "/api/billing/run", Some(json!({"dry_run": false})))
        .await;
    assert_eq!(run["issued"], 1);
    let invoices = open_invoices(&app, &sub["id"]).await;
    let jan = &invoices[2];
    assert_eq!(
        (
            jan["total"].as_i64(),
            jan["paid"].as_i64(),
            jan["owed"].as_i64()
        ),
        (Some(150_000), Some(50_000), Some(100_000))
    );
    assert_eq!(jan["status"], "partial");
    let (_, balance) = app
        .call("GET", &format!("/api/customers/{cid}/balance"), None)
        .await;
    assert_eq!(balance["total_credit"], 0);
    let reasons: Vec<&str> = balance["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["reason"].as_str())
        .collect();
    assert_eq!(
        reasons,
        [
            "credit_applied",
            "invoice_payment",
            "payment_received",
            "invoice_payment",
            "payment_received"
        ]
    );

    // The printable receipt of December (paid) and the invoice of January.
    let token = app.token().await;
    let res = app
        .http
        .get(format!(
            "{}/api/invoices/{}/receipt",
            app.admin,
            dec["id"].as_str().expect("id")
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let pdf = res.bytes().await.expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
    let res = app
        .http
        .get(format!(
            "{}/api/invoices/{}/receipt?format=html",
            app.admin,
            jan["id"].as_str().expect("id")
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    let html = res.text().await.expect("html");
    assert!(html.contains(jan["number"].as_str().expect("number")));
    assert!(
        html.contains("Rp 100.000"),
        "the owed amount is on the invoice"
    );
    assert!(html.contains("@page{size:A4"), "A4 unless asked otherwise");
    // The same invoice for a 58 mm receipt printer, and a 58 mm PDF refused by name.
    let receipt = |query: &str| {
        app.http
            .get(format!(
                "{}/api/invoices/{}/receipt?{query}",
                app.admin,
                jan["id"].as_str().expect("id")
            ))
            .bearer_auth(&token)
            .send()
    };
    let res = receipt("format=html&paper=58mm").await.expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    let thermal = res.text().await.expect("html");
    assert!(thermal.contains("@page{size:58mm "), "58 mm wide paper");
    assert!(thermal.contains(jan["number"].as_str().expect("number")));
    assert!(thermal.contains("Rp 100.000"));
    let res = receipt("paper=58mm").await.expect("send");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["field"], "paper", "{body}");
    app.shutdown().await;
}

#[tokio::test]
async fn monthly_run_catches_up_missed_periods_once_and_prorates_the_first() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 9, 16));
    let (_, sub) = customer_with_subscription(&app, 150_000, "siti", d(2026, 9, 16)).await;
    let first = open_invoices(&app, &sub["id"]).await;
    assert_eq!(
        first[0]["total"], 75_000,
        "16–30 September is half of the month"
    );

    // The shop PC was off from September to late November.
    set_today(&app, d(2026, 11, 20));
    let (_, preview) = app
        .call("POST", "/api/billing/run", Some(json!({"dry_run": true})))
        .await;
    assert_eq!(preview["issued"], 2);
    assert_eq!(
        open_invoices(&app, &sub["id"]).await.len(),
        1,
        "a dry run writes nothing"
    );
    let (_, run) = app
        .call("POST", "/api/billing/run", Some(json!({"dry_run": false})))
        .await;
    assert_eq!(run["issued"], 2, "October and November, once each");
    let (_, again) = app
        .call("POST", "/api/billing/run", Some(json!({"dry_run": false})))
        .await;
    assert_eq!(again["issued"], 0);
    let invoices = open_invoices(&app, &sub["id"]).await;
    let periods: Vec<&str> = invoices
        .iter()
        .filter_map(|i| i["period_start"].as_str())
        .collect();
    assert_eq!(periods, ["2026-09-01", "2026-10-01", "2026-11-01"]);
    // Each unpaid month was carried into the next: November owes everything.
    assert_eq!(invoices[2]["total"], 75_000 + 150_000 + 150_000);
    // Late invoices are due `due_days` after they were issued, not in the past.
    assert_eq!(invoices[2]["due_on"], "2026-11-27");

    // Renew issues December ahead of time, and only once.
    let (status, dec) = app
        .call(
            "POST",
            &format!(
                "/api/subscriptions/{}/renew",
                sub["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{dec}");
    assert_eq!(dec["period_start"], "2026-12-01");
    let (_, again) = app
        .call(
            "POST",
            &format!(
                "/api/subscriptions/{}/renew",
                sub["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(again["id"], dec["id"]);
    app.shutdown().await;
}

#[tokio::test]
async fn voiding_returns_payments_as_credit_and_reopens_carried_invoices() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (customer, sub) = customer_with_subscription(&app, 100_000, "agus", d(2026, 11, 1)).await;
    let nov = open_invoices(&app, &sub["id"]).await.remove(0);
    pay(&app, &nov["id"], 40_000).await;
    set_today(&app, d(2026, 12, 1));
    app.call("POST", "/api/billing/run", Some(json!({"dry_run": false})))
        .await;
    let dec = open_invoices(&app, &sub["id"]).await.remove(1);
    pay(&app, &dec["id"], 30_000).await;

    let (status, body) = app
        .call(
            "POST",
            &format!("/api/invoices/{}/void", dec["id"].as_str().expect("id")),
            Some(json!({"reason": ""})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "reason");
    let (status, voided) = app
        .call(
            "POST",
            &format!("/api/invoices/{}/void", dec["id"].as_str().expect("id")),
            Some(json!({"reason": "salah paket"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{voided}");
    assert_eq!(voided["status"], "void");
    // November is owed again (60,000), and the 30,000 paid into the void invoice came back
    // as credit, which pays it at once: 30,000 still owed, no credit idle.
    let invoices = open_invoices(&app, &sub["id"]).await;
    assert_eq!(invoices[0]["status"], "partial", "November is owed again");
    assert_eq!(invoices[0]["owed"], 30_000);
    let (_, balance) = app
        .call(
            "GET",
            &format!(
                "/api/customers/{}/balance",
                customer["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(balance["total_credit"], 0, "{balance}");
    let reasons: Vec<&str> = balance["entries"]
        .as_array()
        .map(|e| e.iter().filter_map(|e| e["reason"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        &reasons[..2],
        ["credit_applied", "void_reversal"],
        "the void invoice's 30,000 came back and paid November"
    );

    let (status, _) = pay(&app, &dec["id"], 10_000).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a void invoice cannot be paid"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn dashboard_summary_counts_customers_debt_and_this_months_revenue() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "ringkas", d(2026, 11, 1)).await;
    customer_with_subscription(&app, 100_000, "ringkas2", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    set_today(&app, d(2026, 11, 5));
    pay(&app, &invoice["id"], 60_000).await;
    let (status, s) = app.call("GET", "/api/dashboard/summary", None).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["active_customers"], 2);
    assert_eq!(s["open_invoices"], 2);
    assert_eq!(s["owed_total"], 90_000 + 100_000);
    assert_eq!(
        (
            s["revenue_this_month"].as_i64(),
            s["payments_this_month"].as_i64()
        ),
        (Some(60_000), Some(1))
    );
    // Next month starts from zero.
    set_today(&app, d(2026, 12, 2));
    let (_, s) = app.call("GET", "/api/dashboard/summary", None).await;
    assert_eq!(s["revenue_this_month"], 0);
    app.shutdown().await;
}

/// Tax is computed on the plan fee (pro-rated too) when the shop sets a rate, shown as its own
/// line and counted in the total; what is carried over includes it.
#[tokio::test]
async fn a_tax_rate_adds_a_tax_line_on_the_fee_and_is_carried_with_the_debt() {
    let app = spawn_app().await;
    sqlx::query("update business_profile set tax_rate_bp = 1100")
        .execute(&app.pool().await)
        .await
        .expect("tax rate");
    set_today(&app, d(2026, 11, 16));
    let (_, sub) = customer_with_subscription(&app, 150_000, "pajak", d(2026, 11, 16)).await;
    let first = open_invoices(&app, &sub["id"]).await;
    // 16–30 November is half the month: 75,000 and 11% of it.
    assert_eq!(first[0]["total"], 75_000 + 8_250, "{}", first[0]);

    set_today(&app, d(2026, 12, 1));
    let (_, run) = app
        .call("POST", "/api/billing/run", Some(json!({"dry_run": false})))
        .await;
    assert_eq!(run["issued"], 1, "{run}");
    let open = open_invoices(&app, &sub["id"]).await;
    let december = open.last().expect("december");
    let id = december["id"].as_str().expect("id");
    let (_, detail) = app.call("GET", &format!("/api/invoices/{id}"), None).await;
    let lines: Vec<(String, i64)> = detail["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            (
                l["kind"].as_str().unwrap_or_default().to_owned(),
                l["amount"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("plan_fee".to_owned(), 150_000),
            ("tax".to_owned(), 16_500),
            ("arrears".to_owned(), 83_250),
        ],
        "{detail}"
    );
    assert_eq!(detail["total"], 150_000 + 16_500 + 83_250, "{detail}");
    let tax = detail["lines"][1]["description"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(tax, "Pajak 11%", "{detail}");
    app.shutdown().await;
}
