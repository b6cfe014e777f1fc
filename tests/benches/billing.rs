//! Billing benchmark: monthly invoice generation for 10,000 subscriptions, and customer
//! search over 10,000 customers through the API.
//!
//!   keyctl session - cargo bench -p billing-tests --bench billing
//!
//! Uses MIKROBILL_TEST_DATABASE_URL when set, otherwise a throwaway cluster.

use std::time::Instant;

use billing_app::billing::monthly_run::Scope;
use billing_tests::bench::{figure, size};
use billing_tests::{spawn_app, OWNER, OWNER_PASSWORD};
use chrono::{TimeZone, Utc};

#[tokio::main]
pub async fn main() {
    run(size(10_000, 200)).await;
}

async fn run(n: i64) {
    let app = spawn_app().await;
    app.clock.set(
        Utc.with_ymd_and_hms(2026, 11, 2, 1, 0, 0)
            .single()
            .expect("date"),
    );
    let ctx = app.ctx();
    let sealed = ctx.cipher.seal("rahasia").expect("seal");

    let started = Instant::now();
    let mut tx = ctx.pool.begin().await.expect("tx");
    sqlx::query(
        "insert into plans (id, name, price, kind, router_profile) values \
         (gen_random_uuid(), 'Paket 10 Mbps', 150000, 'pppoe', 'pppoe-10M')",
    )
    .execute(&mut *tx)
    .await
    .expect("plan");
    sqlx::query(
        "insert into customers (id, name, phone, address) \
         select gen_random_uuid(), \
                (array['Budi','Siti','Agus','Dewi','Rudi','Rina','Joko','Sri','Wati','Eko'])[1 + g % 10] \
                    || ' ' || (array['Santoso','Aminah','Prasetyo','Lestari','Hartono','Wulandari', \
                                     'Susilo','Rahayu','Saputra','Nugroho'])[1 + (g / 10) % 10] \
                    || ' ' || g, \
                '628' || (1000000000 + g)::text, 'RT ' || (g % 12) \
         from generate_series(1, $1) g",
    )
    .bind(n)
    .execute(&mut *tx)
    .await
    .expect("customers");
    sqlx::query(
        "insert into subscriptions (id, customer_id, plan_id, kind, login, password_enc, start_on, \
                                    billing_day, due_days, grace_days) \
         select gen_random_uuid(), c.id, (select id from plans limit 1), 'pppoe', \
                'user' || row_number() over (), $1, date '2026-11-01', 1, 7, 3 \
         from customers c",
    )
    .bind(&sealed)
    .execute(&mut *tx)
    .await
    .expect("subscriptions");
    tx.commit().await.expect("commit");
    sqlx::query("analyze")
        .execute(&ctx.pool)
        .await
        .expect("analyze");
    println!(
        "seeded {n} customers and subscriptions in {:?}",
        started.elapsed()
    );

    // November: 10,000 fresh invoices.
    let t = Instant::now();
    let issued = billing_app::billing::monthly_run::run(
        &ctx,
        Scope::All {
            through: ctx.today(),
        },
    )
    .await
    .expect("run");
    let first_ms = t.elapsed().as_millis();
    assert_eq!(i64::try_from(issued.len()).expect("len"), n);
    println!("November run: {} invoices in {first_ms} ms", issued.len());

    // Half pay in full, a quarter pay part; then December carries the rest over and
    // uses the credit of those who paid more.
    let ids: Vec<(uuid::Uuid, i64)> = sqlx::query_as("select id, total from invoices order by id")
        .fetch_all(&ctx.pool)
        .await
        .expect("ids");
    let t = Instant::now();
    for (n, (id, total)) in ids
        .iter()
        .enumerate()
        .take(usize::try_from(n * 3 / 4).unwrap_or(0))
    {
        let amount = if n % 3 == 0 {
            total / 2
        } else if n % 3 == 1 {
            *total
        } else {
            total + 25_000
        };
        billing_app::billing::payments::record_manual(
            &ctx,
            None,
            billing_app::billing::payments::ManualPayment {
                invoice_id: (*id).into(),
                amount: billing_domain::Money::from_minor(amount),
                method: "cash".into(),
                reference: None,
                note: None,
            },
        )
        .await
        .expect("pay");
    }
    let pay_ms = t.elapsed().as_millis();
    let payments = n * 3 / 4;
    println!(
        "{payments} manual payments in {pay_ms} ms ({:.2} ms each)",
        pay_ms as f64 / payments as f64
    );

    app.clock.set(
        Utc.with_ymd_and_hms(2026, 12, 1, 1, 0, 0)
            .single()
            .expect("date"),
    );
    let t = Instant::now();
    let issued = billing_app::billing::monthly_run::run(
        &ctx,
        Scope::All {
            through: ctx.today(),
        },
    )
    .await
    .expect("run");
    let second_ms = t.elapsed().as_millis();
    println!(
        "December run (carry-over + credit): {} invoices in {second_ms} ms",
        issued.len()
    );

    // Customer search through the API.
    let (_, tokens) = app.login(OWNER, OWNER_PASSWORD).await;
    let token = match tokens["access_token"].as_str() {
        Some(t) => t.to_owned(),
        None => app.create_owner().await["access_token"]
            .as_str()
            .expect("token")
            .to_owned(),
    };
    let queries = [
        "budi",
        "siti aminah",
        "prasetyo 12",
        "0812",
        "user77",
        "wati",
        "nugroho 99",
        "lestari",
        "6281000",
        "eko",
    ];
    let mut samples = Vec::new();
    for round in 0..30 {
        for q in queries {
            let t = Instant::now();
            let res = app
                .http
                .get(format!(
                    "{}/api/customers?q={}&limit=50",
                    app.admin,
                    q.replace(' ', "%20")
                ))
                .bearer_auth(&token)
                .send()
                .await
                .expect("send");
            assert!(res.status().is_success());
            let _ = res.bytes().await.expect("body");
            if round > 0 {
                samples.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
    }
    samples.sort_by(f64::total_cmp);
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    let (p50, p95) = (pct(0.5), pct(0.95));
    println!(
        "customer search over {n}: p50 {p50:.1} ms, p95 {p95:.1} ms ({} requests)",
        samples.len()
    );
    figure("billing.generate_ms", first_ms as f64, "ms");
    figure("billing.generate_carry_credit_ms", second_ms as f64, "ms");
    figure(
        "billing.manual_payment_ms",
        pay_ms as f64 / payments as f64,
        "ms",
    );
    figure("billing.search_p50_ms", p50, "ms");
    figure("billing.search_p95_ms", p95, "ms");
    app.shutdown().await;
}
