//! The customer-facing pages of issue #20, through the public listener over loopback, the
//! RouterOS simulator over real TCP and the Duitku fake:
//! - the voucher shop page: size and time per request (p50, p99), 500 requests one after another;
//! - from the confirming callback to the voucher code on the order's page (the page follows the
//!   order's live status; here its status endpoint is polled every 2 ms), for 40 orders;
//! - the customer page: code checked and the first page served (sign-in to first page), for 100
//!   sign-ins.
//!
//! Times are measured at the client on loopback, so they include the HTTP round trip.

use std::sync::Arc;
use std::time::{Duration, Instant};

use billing_gateways::fake::FakeDuitku;
use billing_router::{PoolOptions, RouterPool};
use billing_tests::bench::{figure, pct, size};
use billing_tests::{spawn_app_with_router, TestApp};
use routeros_api::sim::{SimConfig, Simulator};
use serde_json::json;

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let (status, value) = app.call(method, path, Some(body)).await;
    assert!(status.is_success(), "{method} {path}: {value}");
    value
}

#[tokio::main]
pub async fn main() {
    let pages: usize = size(500, 20);
    let orders: usize = size(40, 3);
    let sign_ins: usize = size(100, 5);
    let pool = RouterPool::new(PoolOptions {
        retry_after: Duration::ZERO,
        ..PoolOptions::default()
    });
    let app = spawn_app_with_router(Arc::new(pool)).await;
    let sim = Simulator::start(SimConfig::default()).await.expect("sim");
    let router = call(
        &app,
        "POST",
        "/api/routers",
        json!({"name": "Toko", "host": sim.addr().ip().to_string(), "port": sim.addr().port(),
               "api_user": "admin", "password": ""}),
    )
    .await;
    for (name, price, days) in [("Harian 5rb", 5_000, 1), ("Mingguan 25rb", 25_000, 7)] {
        call(
            &app,
            "POST",
            "/api/voucher-profiles",
            json!({"name": name, "price": price, "validity_secs": days * 86_400,
                   "rate_limit": "2M/5M", "for_sale": true}),
        )
        .await;
    }
    let fake = FakeDuitku::start("DS12345", "0123456789abcdef0123456789abcdef").await;
    call(
        &app,
        "PUT",
        "/api/settings/gateways/duitku",
        json!({"enabled": true, "environment": "sandbox", "merchant_code": "DS12345",
               "base_url": fake.base_url(), "api_key": "0123456789abcdef0123456789abcdef"}),
    )
    .await;
    call(
        &app,
        "PUT",
        "/api/shop/settings",
        json!({"enabled": true, "router_id": router["id"], "alert_minutes": 15}),
    )
    .await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");

    // The shop page.
    let mut page_ms = Vec::with_capacity(pages);
    let mut bytes = 0;
    for _ in 0..pages {
        let started = Instant::now();
        let body = http
            .get(format!("{}/shop", app.public))
            .send()
            .await
            .expect("shop")
            .bytes()
            .await
            .expect("body");
        page_ms.push(ms(started));
        bytes = body.len();
    }
    let page_ms = sorted(page_ms);
    figure("shop.page_bytes", bytes as f64, "B");
    figure("shop.page_p50_ms", pct(&page_ms, 0.5), "ms");
    figure("shop.page_p99_ms", pct(&page_ms, 0.99), "ms");

    // From the confirming callback to the code.
    let profile: String =
        sqlx::query_scalar("select id::text from voucher_profiles where name = 'Harian 5rb'")
            .fetch_one(&app.pool().await)
            .await
            .expect("profile");
    let hook = format!("{}/api/payments/webhook/duitku", app.public);
    let mut code_ms = Vec::with_capacity(orders);
    for _ in 0..orders {
        let res = http
            .post(format!("{}/shop/orders", app.public))
            .form(&[("profile_id", profile.as_str()), ("phone", "")])
            .send()
            .await
            .expect("order");
        let order = format!(
            "{}{}",
            app.public,
            res.headers()["location"]
                .to_str()
                .expect("location")
                .split('?')
                .next()
                .expect("path")
        );
        let p: serde_json::Value = http
            .post(format!("{order}/payments"))
            .json(&json!({"gateway": "duitku", "method": "NQ"}))
            .send()
            .await
            .expect("pay")
            .json()
            .await
            .expect("json");
        let reference = p["merchant_ref"].as_str().expect("ref").to_owned();
        fake.mark_paid(&reference);
        let started = Instant::now();
        let d = fake
            .deliver_callback(&reference, &hook)
            .await
            .expect("callback");
        assert_eq!(d.status, 200);
        loop {
            let s: serde_json::Value = http
                .get(format!("{order}/status"))
                .send()
                .await
                .expect("status")
                .json()
                .await
                .expect("json");
            if s["code"].is_string() {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "never delivered: {s}"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        code_ms.push(ms(started));
    }
    let code_ms = sorted(code_ms);
    figure("shop.code_after_callback_p50_ms", pct(&code_ms, 0.5), "ms");
    figure("shop.code_after_callback_max_ms", pct(&code_ms, 1.0), "ms");

    // The customer page: sign-in to first page.
    let ctx = app.ctx();
    sqlx::query(
        "insert into customers (id, name, phone, address) \
         select gen_random_uuid(), 'Pelanggan ' || g, '62813' || lpad(g::text, 8, '0'), 'Jl. ' || g \
         from generate_series(1, $1) g",
    )
    .bind(i64::try_from(sign_ins).expect("n"))
    .execute(&ctx.pool)
    .await
    .expect("customers");
    let mut sign_in_ms = Vec::with_capacity(sign_ins);
    for i in 1..=sign_ins {
        let phone = format!("62813{i:08}");
        // Codes made as staff make them (no WhatsApp and no per-address limit in the way).
        let customer: uuid::Uuid = sqlx::query_scalar("select id from customers where phone = $1")
            .bind(&phone)
            .fetch_one(&ctx.pool)
            .await
            .expect("customer");
        let code = billing_app::portal::issue_code(&ctx, customer, "bench")
            .await
            .expect("code")
            .code;
        let started = Instant::now();
        let res = http
            .post(format!("{}/portal/verify", app.public))
            .form(&[("who", phone.as_str()), ("code", code.as_str())])
            .send()
            .await
            .expect("verify");
        assert_eq!(res.status(), 303);
        let cookie = res.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .split(';')
            .next()
            .expect("pair")
            .to_owned();
        let home = http
            .get(format!("{}/portal", app.public))
            .header("cookie", cookie)
            .send()
            .await
            .expect("home")
            .text()
            .await
            .expect("body");
        sign_in_ms.push(ms(started));
        assert!(home.contains(&format!("Pelanggan {i}")), "{home}");
    }
    let sign_in_ms = sorted(sign_in_ms);
    figure("shop.portal_sign_in_p50_ms", pct(&sign_in_ms, 0.5), "ms");
    figure("shop.portal_sign_in_p99_ms", pct(&sign_in_ms, 0.99), "ms");
    sim.shutdown();
    app.shutdown().await;
}
