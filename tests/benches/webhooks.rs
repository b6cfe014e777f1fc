//! Webhook throughput: Duitku callbacks (each confirmed with a status check against the local
//! fake, then applied in one transaction) sent by 50 concurrent clients to the running app's
//! public listener on real PostgreSQL.
//!
//!   keyctl session - cargo bench -p billing-tests --bench webhooks
//!
//! Prints callbacks/s and latency percentiles; ends with one summary line.

use std::time::Instant;

use billing_gateways::fake::FakeDuitku;
use billing_tests::bench::{figure, pct, size};
use billing_tests::spawn_app;
use chrono::{TimeZone, Utc};
use futures::stream::{self, StreamExt};
use serde_json::json;

/// The sustained rate the target is stated for.
const RATE: u64 = 1_000;
const CONCURRENCY: usize = 50;

#[tokio::main(flavor = "multi_thread")]
pub async fn main() {
    let n: usize = size(3_000, 60);
    let app = spawn_app().await;
    app.clock.set(
        Utc.with_ymd_and_hms(2026, 11, 1, 1, 0, 0)
            .single()
            .expect("date"),
    );
    let fake = FakeDuitku::start("DS12345", "0123456789abcdef0123456789abcdef").await;
    let (status, body) = app
        .call(
            "PUT",
            "/api/settings/gateways/duitku",
            Some(json!({"enabled": true, "environment": "sandbox", "merchant_code": "DS12345",
                        "base_url": fake.base_url(), "api_key": "0123456789abcdef0123456789abcdef"})),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let ctx = app.ctx();
    let sealed = ctx.cipher.seal("rahasia").expect("seal");
    sqlx::query(
        "with p as (insert into plans (id, name, price, kind, router_profile) \
                    values (gen_random_uuid(), 'Paket 10', 150000, 'pppoe', 'p10') returning id), \
              c as (insert into customers (id, name, phone) \
                    select gen_random_uuid(), 'Pelanggan ' || g, '628' || (1200000000 + g)::text \
                    from generate_series(1, 2 * $1) g returning id) \
         insert into subscriptions (id, customer_id, plan_id, kind, login, password_enc, start_on, \
                                    billing_day, due_days, grace_days) \
         select gen_random_uuid(), c.id, (select id from p), 'pppoe', 'u' || row_number() over (), \
                $2, date '2026-11-01', 1, 7, 3 from c",
    )
    .bind(i64::try_from(n).expect("n"))
    .bind(&sealed)
    .execute(&ctx.pool)
    .await
    .expect("seed");
    let issued = billing_app::billing::monthly_run::run(
        &ctx,
        billing_app::billing::monthly_run::Scope::All {
            through: ctx.today(),
        },
    )
    .await
    .expect("invoices");
    let refs: Vec<String> = stream::iter(issued)
        .map(|invoice| {
            let ctx = ctx.clone();
            async move {
                billing_app::online::start_payment_for_invoice(&ctx, invoice, "duitku", "NQ")
                    .await
                    .expect("create")
                    .merchant_ref
            }
        })
        .buffer_unordered(20)
        .collect()
        .await;
    let bodies: Vec<String> = refs
        .iter()
        .map(|r| {
            fake.mark_paid(r);
            fake.signed_callback_form(r, "00")
        })
        .collect();
    println!("prepared {n} paid payments");

    let url = format!("{}/api/payments/webhook/duitku", app.public);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .expect("client");
    let (paced, saturated) = bodies.split_at(n);

    // 1. Sustained: 1,000 callbacks per second, open loop (each sent on schedule).
    let started = Instant::now();
    let mut tick = tokio::time::interval(std::time::Duration::from_micros(1_000_000 / RATE));
    let mut tasks = Vec::with_capacity(n);
    for body in paced.iter().cloned() {
        tick.tick().await;
        let (client, url) = (client.clone(), url.clone());
        tasks.push(tokio::spawn(async move { post(&client, &url, body).await }));
    }
    let mut sustained = Vec::with_capacity(n);
    for task in tasks {
        sustained.push(task.await.expect("task"));
    }
    let sustained_rate = n as f64 / started.elapsed().as_secs_f64();
    sustained.sort_by(f64::total_cmp);
    let (s50, s99) = (pct(&sustained, 0.5), pct(&sustained, 0.99));
    println!("sustained {sustained_rate:.0}/s for {n} callbacks: p50 {s50:.1} ms, p99 {s99:.1} ms");

    // 2. Saturated: as fast as 50 concurrent clients can go.
    let started = Instant::now();
    let mut latencies: Vec<f64> = stream::iter(saturated.iter().cloned())
        .map(|body| {
            let (client, url) = (&client, &url);
            async move { post(client, url, body).await }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let rate = saturated.len() as f64 / started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let paid: i64 = sqlx::query_scalar("select count(*) from payments where status = 'paid'")
        .fetch_one(&ctx.pool)
        .await
        .expect("q");
    assert_eq!(
        usize::try_from(paid).expect("paid"),
        2 * n,
        "every callback applied once"
    );
    println!(
        "saturated, {CONCURRENCY} concurrent: {rate:.0}/s, p50 {:.1} ms, p99 {:.1} ms",
        pct(&latencies, 0.5),
        pct(&latencies, 0.99)
    );

    // The pay page: bytes and server time for a first render.
    let (_, link) = app
        .call(
            "GET",
            &format!("/api/invoices/{}/pay", first_open(&ctx).await),
            None,
        )
        .await;
    let url = link["url"].as_str().expect("url").to_owned();
    let mut page_ms = Vec::new();
    let mut bytes = 0;
    for _ in 0..20 {
        let t = Instant::now();
        let html = client
            .get(&url)
            .send()
            .await
            .expect("send")
            .text()
            .await
            .expect("text");
        page_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        bytes = html.len();
    }
    page_ms.sort_by(f64::total_cmp);
    figure("webhooks.sustained_rate", sustained_rate, "/s");
    figure("webhooks.sustained_p99_ms", s99, "ms");
    figure("webhooks.saturated_rate", rate, "/s");
    figure("webhooks.saturated_p99_ms", pct(&latencies, 0.99), "ms");
    figure("webhooks.pay_page_bytes", bytes as f64, "B");
    figure("webhooks.pay_page_p50_ms", pct(&page_ms, 0.5), "ms");
    app.shutdown().await;
}

async fn post(client: &reqwest::Client, url: &str, body: String) -> f64 {
    let t = Instant::now();
    let res = client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status().as_u16(), 200);
    t.elapsed().as_secs_f64() * 1000.0
}

async fn first_open(ctx: &billing_app::AppContext) -> String {
    // A fresh open invoice for the pay-page measurement.
    let sub: billing_domain::SubscriptionId =
        sqlx::query_scalar("select id from subscriptions limit 1")
            .fetch_one(&ctx.pool)
            .await
            .expect("sub");
    let invoice = billing_app::billing::subscriptions::renew(ctx, sub)
        .await
        .expect("renew");
    invoice.summary.id.to_string()
}
