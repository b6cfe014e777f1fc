//! The online voucher shop: a buyer chooses a voucher on `/shop`, pays through Duitku (the fake,
//! in Duitku's formats), and gets exactly one voucher on the simulator, whatever the number of
//! callbacks, polls and deliveries; a router that is down at payment gets the voucher when it
//! is back, and the owner hears about it in the meantime.

use std::time::Duration;

use billing_domain::Clock as _;
use routeros_api::sim::SimVersion;

use super::*;
use crate::payments::{count, enable_duitku, webhook_url};

/// The simulator, the app with Duitku, a day profile for sale and the shop switched on.
async fn open_shop() -> (
    TestApp,
    routeros_api::sim::SimHandle,
    billing_gateways::fake::FakeDuitku,
    Value,
) {
    let (app, sim, router) = setup(SimVersion::V7_9).await;
    let p = day_profile(&app).await;
    let (status, p) = app
        .call(
            "PATCH",
            &format!("/api/voucher-profiles/{}", p["id"].as_str().expect("id")),
            Some(json!({"for_sale": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert_eq!(p["for_sale"], true);
    let (fake, _) = enable_duitku(&app).await;
    let (status, s) = app
        .call(
            "PUT",
            "/api/shop/settings",
            Some(json!({"enabled": true, "router_id": router, "alert_minutes": 15})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["closed_reason"], Value::Null, "{s}");
    assert!(
        s["url"].as_str().is_some_and(|u| u.ends_with("/shop")),
        "{s}"
    );
    (app, sim, fake, p)
}

/// Opens an order through the shop's form, as a phone's browser does; returns the order
/// page's address.
async fn order(app: &TestApp, profile_id: &str, phone: &str) -> String {
    let res = app
        .http
        .post(format!("{}/shop/orders", app.public))
        .form(&[("profile_id", profile_id), ("phone", phone)])
        .send()
        .await
        .expect("send");
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the form ends on the order page"
    );
    let url = res.url().clone();
    assert!(url.path().starts_with("/shop/o/"), "{url}");
    format!("{}{}", app.public, url.path())
}

async fn html(app: &TestApp, url: &str) -> String {
    let res = app.http.get(url).send().await.expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    res.text().await.expect("body")
}

async fn order_status(app: &TestApp, order_url: &str) -> Value {
    let (status, s) = split(
        app.http
            .get(format!("{order_url}/status"))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{s}");
    s
}

async fn wait_delivery(app: &TestApp, order_url: &str, want: &str) -> Value {
    for _ in 0..200 {
        let s = order_status(app, order_url).await;
        if s["delivery"] == want {
            return s;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the order never reached {want}: {}",
        order_status(app, order_url).await
    );
}

/// Chooses QRIS on the order page (as its script does); returns the merchant reference.
async fn pay_with_qris(app: &TestApp, order_url: &str) -> String {
    let (status, p) = split(
        app.http
            .post(format!("{order_url}/payments"))
            .json(&json!({"gateway": "duitku", "method": "NQ"}))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{p}");
    assert!(
        p["qr_svg"].as_str().is_some_and(|s| s.contains("<svg")),
        "{p}"
    );
    p["merchant_ref"].as_str().expect("ref").to_owned()
}

#[tokio::test]
async fn a_paid_order_yields_exactly_one_voucher_that_logs_in() {
    let (app, sim, fake, profile) = open_shop().await;
    let shop = html(&app, &format!("{}/shop", app.public)).await;
    assert!(
        shop.contains("Harian 5rb") && shop.contains("Rp 5.000"),
        "{shop}"
    );
    assert!(shop.contains("name=profile_id"), "the shop has a form");
    assert!(
        shop.len() <= 10 * 1024,
        "the shop page is {} bytes",
        shop.len()
    );

    let profile_id = profile["id"].as_str().expect("id");
    let order_url = order(&app, profile_id, "0812-3456-7890").await;
    let page = html(&app, &order_url).await;
    assert!(
        page.contains("data-method=\"NQ\""),
        "methods are offered: {page}"
    );
    assert_eq!(
        order_status(&app, &order_url).await["delivery"],
        "awaiting_payment"
    );

    let merchant_ref = pay_with_qris(&app, &order_url).await;
    // Choosing the same method again opens nothing new (a double tap).
    assert_eq!(pay_with_qris(&app, &order_url).await, merchant_ref);
    assert_eq!(fake.inquiry_calls(), 1);

    // Not paid at the gateway: a callback claiming it is confirmed first, and refused.
    let d = fake
        .deliver_callback(&merchant_ref, &webhook_url(&app))
        .await
        .expect("post");
    assert_eq!(d.status, 200);
    assert_eq!(order_status(&app, &order_url).await["status"], "open");

    // Paid: three callbacks at once and the poller beside them.
    fake.mark_paid(&merchant_ref);
    let hook = webhook_url(&app);
    let (a, b, c, poll) = tokio::join!(
        fake.deliver_callback(&merchant_ref, &hook),
        fake.deliver_callback(&merchant_ref, &hook),
        fake.deliver_callback(&merchant_ref, &hook),
        app.call("POST", "/api/jobs/payments_check/run", None),
    );
    for d in [a, b, c] {
        assert_eq!(d.expect("post").status, 200);
    }
    assert_eq!(poll.0, StatusCode::OK, "{}", poll.1);
    let done = wait_delivery(&app, &order_url, "delivered").await;
    // The owner's "send now" and the job afterwards change nothing.
    let (status, again) = app
        .call(
            "POST",
            &format!(
                "/api/shop/orders/{}/deliver",
                one_order(&app).await["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["outcome"], "already_delivered");
    let (status, _) = app.call("POST", "/api/jobs/shop_delivery/run", None).await;
    assert_eq!(status, StatusCode::OK);

    let code = done["code"].as_str().expect("code").to_owned();
    assert_eq!(
        count(&app, "select count(*) from vouchers v join voucher_batches b on b.id = v.batch_id where b.shop_order_id is not null").await,
        1
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from shop_payments where status = 'paid'"
        )
        .await,
        1
    );
    let on_router: Vec<String> = router_vouchers(&sim)
        .iter()
        .filter_map(|u| u.get("name").cloned())
        .collect();
    assert_eq!(on_router, vec![code.clone()]);
    sim.hotspot_login_with_password(&code, &code, "10.5.50.10", "AA:BB:CC:00:00:01")
        .expect("the bought voucher logs in on the hotspot");

    let page = html(&app, &order_url).await;
    assert!(page.contains(&format!("id=voucher-code>{code}<")), "{page}");
    assert!(
        page.contains("username=") && page.contains("<svg"),
        "login link and its QR"
    );
    // The code goes to the buyer's WhatsApp, once.
    assert_eq!(
        count(
            &app,
            "select count(*) from whatsapp_messages where idempotency_key like 'shop_order:%:code' \
             and to_phone = '6281234567890'"
        )
        .await,
        1
    );

    // Sales: online, at the payment, in the report and on the home screen.
    let (status, home) = app.call("GET", "/api/dashboard/home", None).await;
    assert_eq!(status, StatusCode::OK, "{home}");
    assert_eq!(home["vouchers_sold_today"]["online_count"], 1, "{home}");
    assert_eq!(home["vouchers_sold_today"]["online_gross"], 5000);
    let today = app.clock.now().date_naive();
    let (status, report) = app
        .call(
            "GET",
            &format!("/api/reports/vouchers-by-reseller?from={today}&to={today}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let online: Vec<&Value> = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["channel"] == "online")
        .collect();
    assert_eq!(online.len(), 1, "{report}");
    assert_eq!(
        (online[0]["count"].as_i64(), online[0]["gross"].as_i64()),
        (Some(1), Some(5000))
    );
    app.shutdown().await;
}

async fn one_order(app: &TestApp) -> Value {
    let (status, list) = app.call("GET", "/api/shop/orders", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{list}");
    items[0].clone()
}

#[tokio::test]
async fn a_router_down_at_payment_gets_the_voucher_when_it_is_back_and_the_owner_is_told() {
    let (app, sim, fake, profile) = open_shop().await;
    let order_url = order(&app, profile["id"].as_str().expect("id"), "").await;
    let merchant_ref = pay_with_qris(&app, &order_url).await;

    sim.reboot(Duration::from_secs(3600));
    fake.mark_paid(&merchant_ref);
    let d = fake
        .deliver_callback(&merchant_ref, &webhook_url(&app))
        .await
        .expect("post");
    assert_eq!(
        d.status, 200,
        "the payment is recorded whether or not the router answers"
    );
    let s = wait_delivery(&app, &order_url, "delayed").await;
    assert_eq!(
        (s["status"].as_str(), s["code"].as_str()),
        (Some("paid"), None)
    );
    let page = html(&app, &order_url).await;
    assert!(page.contains("id=delayed"), "the buyer is told: {page}");
    let listed = one_order(&app).await;
    assert_eq!(listed["status"], "paid");
    assert!(listed["delivery_error"].as_str().is_some(), "{listed}");
    let (_, waiting) = app
        .call("GET", "/api/shop/orders?status=undelivered", None)
        .await;
    assert_eq!(waiting["items"].as_array().map(Vec::len), Some(1));

    // After the shop's alert time, the owner gets a critical alert saying what to do.
    app.clock.advance(chrono::Duration::minutes(16));
    let (status, _) = app.call("POST", "/api/jobs/alerts/run", None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, alerts) = app.call("GET", "/api/monitoring/alerts", None).await;
    let alert = alerts["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|a| a["metric"] == "shop_orders_undelivered")
        .cloned()
        .unwrap_or_else(|| panic!("no alert: {alerts}"));
    assert!(
        alert["message"]
            .as_str()
            .is_some_and(|m| m.contains("Kirim sekarang")),
        "{alert}"
    );

    // The router is back: the job delivers, once.
    sim.reboot(Duration::ZERO);
    let (status, run) = app.call("POST", "/api/jobs/shop_delivery/run", None).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    let s = wait_delivery(&app, &order_url, "delivered").await;
    let code = s["code"].as_str().expect("code");
    assert_eq!(router_vouchers(&sim).len(), 1);
    sim.hotspot_login_with_password(code, code, "10.5.50.11", "AA:BB:CC:00:00:02")
        .expect("logs in");
    assert_eq!(
        count(&app, "select count(*) from voucher_batches where shop_order_id is not null and status = 'ready'").await,
        1
    );
    let (status, _) = app.call("POST", "/api/jobs/alerts/run", None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, alerts) = app.call("GET", "/api/monitoring/alerts", None).await;
    assert!(
        !alerts["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|a| a["metric"] == "shop_orders_undelivered" && a["cleared_at"].is_null()),
        "the alert clears: {alerts}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn the_shop_without_a_gateway_shows_the_counter_and_refuses_orders() {
    let (app, _sim, router) = setup(SimVersion::V7_9).await;
    let p = day_profile(&app).await;
    let id = p["id"].as_str().expect("id");
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/voucher-profiles/{id}"),
            Some(json!({"for_sale": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Closed: says so.
    let page = html(&app, &format!("{}/shop", app.public)).await;
    assert!(page.contains("id=closed"), "{page}");
    let (status, s) = app
        .call(
            "PUT",
            "/api/shop/settings",
            Some(json!({"enabled": true, "router_id": router, "alert_minutes": 15})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s["closed_reason"], "no_gateway");
    let page = html(&app, &format!("{}/shop", app.public)).await;
    assert!(
        page.contains("id=counter") && page.contains("Harian 5rb"),
        "{page}"
    );
    assert!(
        !page.contains("name=profile_id"),
        "no form without a gateway"
    );
    let res = app
        .http
        .post(format!("{}/shop/orders", app.public))
        .form(&[("profile_id", id), ("phone", "")])
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, "select count(*) from shop_orders").await, 0);

    // Wrong input is named, in the buyer's language, and nothing is written.
    let (app2, _sim2, _fake2, profile) = open_shop().await;
    for (form, says) in [
        (
            vec![("profile_id", "not-a-uuid"), ("phone", "")],
            "Pilih voucher",
        ),
        (
            vec![
                ("profile_id", profile["id"].as_str().expect("id")),
                ("phone", "12ab"),
            ],
            "Nomor WhatsApp tidak valid",
        ),
    ] {
        let res = app2
            .http
            .post(format!("{}/shop/orders", app2.public))
            .form(&form)
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let body = res.text().await.expect("body");
        assert!(body.contains(says), "{body}");
    }
    assert_eq!(count(&app2, "select count(*) from shop_orders").await, 0);
    let res = app2
        .http
        .get(format!(
            "{}/shop/o/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            app2.public
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    app.shutdown().await;
    app2.shutdown().await;
}

#[tokio::test]
async fn a_buyer_on_a_phone_buys_a_voucher_and_sees_the_code_without_reloading_by_hand() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    if std::env::var_os("MIKROBILL_SKIP_BROWSER").is_some() {
        eprintln!("skipped: MIKROBILL_SKIP_BROWSER is set");
        return;
    }
    let (app, sim, fake, _profile) = open_shop().await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/e2e/shop.test.mjs");
    let mut child = tokio::process::Command::new("node")
        .arg(script)
        .env("SHOP_URL", format!("{}/shop", app.public))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("node (install Node.js and run `npm ci` at the repository root)");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut ready = None;
    while let Some(line) = lines.next_line().await.expect("read") {
        println!("{line}");
        if let Some(reference) = line.strip_prefix("READY ") {
            ready = Some(reference.trim().to_owned());
            break;
        }
    }
    let merchant_ref = ready.expect("the order page never showed the QRIS code");
    // The buyer pays in their banking app; Duitku calls us back.
    let delivery = fake
        .mark_paid_and_notify(&merchant_ref)
        .await
        .expect("notify")
        .expect("callback url");
    assert_eq!(delivery.status, 200);
    let mut code = None;
    while let Some(line) = lines.next_line().await.expect("read") {
        println!("{line}");
        if let Some(c) = line.strip_prefix("CODE ") {
            code = Some(c.trim().to_owned());
        }
    }
    let status = child.wait().await.expect("wait");
    assert!(status.success(), "the browser test failed");
    let code = code.expect("the page never showed the code");
    sim.hotspot_login_with_password(&code, &code, "10.5.50.12", "AA:BB:CC:00:00:03")
        .expect("the code from the phone logs in on the hotspot");
    assert_eq!(router_vouchers(&sim).len(), 1);
    app.shutdown().await;
}

#[tokio::test]
async fn another_amount_is_held_until_the_owner_accepts_and_a_second_payment_is_flagged() {
    let (app, sim, fake, profile) = open_shop().await;
    let order_url = order(&app, profile["id"].as_str().expect("id"), "").await;
    let first = pay_with_qris(&app, &order_url).await;
    // The gateway took Rp 4.000 for a Rp 5.000 voucher: held, no voucher.
    fake.mark_paid_amount(&first, 4_000);
    let d = fake
        .deliver_callback(&first, &webhook_url(&app))
        .await
        .expect("post");
    assert_eq!(d.status, 200);
    assert_eq!(order_status(&app, &order_url).await["status"], "open");
    let listed = one_order(&app).await;
    assert!(
        listed["review"]
            .as_str()
            .is_some_and(|r| r.contains("4000")),
        "{listed}"
    );
    let (_, review) = app
        .call("GET", "/api/shop/orders?status=review", None)
        .await;
    assert_eq!(review["items"].as_array().map(Vec::len), Some(1));
    app.call("POST", "/api/jobs/alerts/run", None).await;
    let (_, alerts) = app.call("GET", "/api/monitoring/alerts", None).await;
    assert!(
        alerts["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|a| a["metric"] == "payments_unapplied"),
        "{alerts}"
    );

    // The owner accepts it: the order is paid and its voucher made.
    let payment = listed["review_payment_id"].as_str().expect("payment id");
    let (status, after) = app
        .call(
            "POST",
            &format!("/api/shop/payments/{payment}/review"),
            Some(json!({"accept": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["review"], Value::Null);
    wait_delivery(&app, &order_url, "delivered").await;
    assert_eq!(router_vouchers(&sim).len(), 1);
    let (status, again) = app
        .call(
            "POST",
            &format!("/api/shop/payments/{payment}/review"),
            Some(json!({"accept": true})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");

    // A second order paid twice (two methods): one voucher, the second payment flagged.
    let order_url = order(&app, profile["id"].as_str().expect("id"), "").await;
    let qris = pay_with_qris(&app, &order_url).await;
    let (status, va) = split(
        app.http
            .post(format!("{order_url}/payments"))
            .json(&json!({"gateway": "duitku", "method": "BC"}))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{va}");
    let va = va["merchant_ref"].as_str().expect("ref").to_owned();
    assert_ne!(va, qris);
    for r in [&qris, &va] {
        fake.mark_paid(r);
        let d = fake
            .deliver_callback(r, &webhook_url(&app))
            .await
            .expect("post");
        assert_eq!(d.status, 200);
    }
    wait_delivery(&app, &order_url, "delivered").await;
    assert_eq!(router_vouchers(&sim).len(), 2, "one voucher per order");
    assert_eq!(
        count(
            &app,
            "select count(*) from security_events where kind = 'shop_order_paid_twice'"
        )
        .await,
        1
    );
    let (_, review) = app
        .call("GET", "/api/shop/orders?status=review", None)
        .await;
    let flagged = review["items"].as_array().expect("items");
    assert_eq!(flagged.len(), 1, "{review}");
    assert!(
        flagged[0]["review"]
            .as_str()
            .is_some_and(|r| r.contains("refund")),
        "{review}"
    );
    app.shutdown().await;
}
