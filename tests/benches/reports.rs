//! Dashboard home and reports benchmark: a database with 10,000 customers and 120,000 invoices
//! (a year of monthly invoices; 8 months paid by cash, transfer or a gateway, recorded by two
//! cashiers; 4 months open, some partly paid), 3 routers, 20,000 vouchers — then p50/p95 of
//! `GET /api/dashboard/home` and of the main reports over HTTP.
//!
//!   keyctl session - cargo bench -p billing-tests --bench reports
//!
//! Uses MIKROBILL_TEST_DATABASE_URL when set, otherwise a throwaway cluster.

use std::time::Instant;

use billing_tests::bench::{figure, pct as quantile, size};
use billing_tests::spawn_app;
use chrono::{TimeZone, Utc};

const MONTHS: i64 = 12;

#[tokio::main]
pub async fn main() {
    let customers: i64 = size(10_000, 100);
    let rounds: usize = size(200, 5);
    let app = spawn_app().await;
    app.clock.set(
        Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0)
            .single()
            .expect("time"),
    );
    let ctx = app.ctx();
    let sealed = ctx.cipher.seal("rahasia").expect("seal");
    let token = app.token().await;

    let started = Instant::now();
    let mut tx = ctx.pool.begin().await.expect("tx");
    for sql in [
        "insert into users (id, username, password_hash, role) values \
         (gen_random_uuid(), 'kasir1', 'x', 'cashier'), (gen_random_uuid(), 'kasir2', 'x', 'cashier')",
        "insert into routers (id, name, host, port, api_user, status, cpu_load) \
         select gen_random_uuid(), 'Router ' || g, '10.0.0.' || g, 8728, 'admin', \
                case when g < 3 then 'online' else 'offline' end, 10 * g \
         from generate_series(1, 3) g",
        "insert into plans (id, name, price, kind, router_profile) values \
         (gen_random_uuid(), 'Paket 10 Mbps', 150000, 'pppoe', 'pppoe-10M')",
        "insert into customers (id, name, phone, address) \
         select gen_random_uuid(), 'Pelanggan ' || g, '628' || (1000000000 + g)::text, \
                'RT ' || (g % 12) from generate_series(1, $1) g",
    ] {
        sqlx::query(sql)
            .bind(customers)
            .execute(&mut *tx)
            .await
            .expect("seed");
    }
    sqlx::query(
        "insert into subscriptions (id, customer_id, plan_id, router_id, kind, login, password_enc, \
                                    start_on, billing_day, due_days, grace_days, status) \
         select gen_random_uuid(), c.id, (select id from plans limit 1), \
                (select id from routers order by name offset (n % 3) limit 1), 'pppoe', \
                'user' || n, $1, date '2025-12-01' + (n % 300)::int, 1, 7, 3, \
                case when n % 50 = 0 then 'isolated' else 'active' end \
         from (select c.id, row_number() over () as n from customers c) c",
    )
    .bind(&sealed)
    .execute(&mut *tx)
    .await
    .expect("subscriptions");
    // A year of invoices: the first 8 months paid, the last 4 open (every 5th partly paid).
    sqlx::query(
        "insert into invoices (id, number, customer_id, subscription_id, period_start, period_end, \
                               issued_on, due_on, overdue_from, status, total, paid) \
         select gen_random_uuid(), 'INV/' || to_char(p, 'YYYYMM') || '/' || s.login, \
                s.customer_id, s.id, p::date, (p + interval '1 month' - interval '1 day')::date, \
                p::date, (p + interval '7 days')::date, (p + interval '7 days')::date, \
                case when m < 8 then 'paid' when s.login like '%5' then 'partial' else 'unpaid' end, \
                150000, case when m < 8 then 150000 when s.login like '%5' then 50000 else 0 end \
         from subscriptions s, generate_series(0, $1 - 1) m, \
              lateral (select date '2025-12-01' + make_interval(months => m::int) as p) per",
    )
    .bind(MONTHS)
    .execute(&mut *tx)
    .await
    .expect("invoices");
    for sql in [
        "insert into payments (id, customer_id, invoice_id, method, amount, status, paid_at, \
                               recorded_by, merchant_ref) \
         select gen_random_uuid(), customer_id, id, \
                (array['cash', 'transfer', 'duitku'])[1 + abs(hashtext(number)) % 3], paid, 'paid', \
                (due_on - 2)::timestamp at time zone 'Asia/Jakarta', null, null \
         from invoices where paid > 0",
        "update payments set merchant_ref = 'MB-' || id where method = 'duitku'",
        "update payments p set recorded_by = (select u.id from users u where u.username = \
            case when abs(hashtext(p.id::text)) % 2 = 0 then 'kasir1' else 'kasir2' end) \
         where p.method <> 'duitku'",
        "insert into voucher_profiles (id, name, router_profile, price) values \
         (gen_random_uuid(), 'Harian', 'harian', 5000), (gen_random_uuid(), 'Mingguan', 'mingguan', 25000)",
        "insert into voucher_batches (id, profile_id, router_id, count, code_length, charset, \
                                      price, base_price, status, created_by_name, created_at, \
                                      completed_at) \
         select gen_random_uuid(), (select id from voucher_profiles order by name offset (g % 2) limit 1), \
                (select id from routers order by name offset (g % 3) limit 1), 200, 6, 'digits', \
                5000, 5000, 'ready', 'bench', now() - make_interval(days => g), \
                now() - make_interval(days => g) \
         from generate_series(1, 100) g",
        "insert into vouchers (id, batch_id, seq, code, profile_id, router_id, status, \
                               first_login_at) \
         select gen_random_uuid(), b.id, s, 'V' || b.number || 'X' || s, b.profile_id, b.router_id, \
                case when s % 3 = 0 then 'unused' when s % 3 = 1 then 'active' else 'expired' end, \
                case when s % 3 = 0 then null \
                     else b.created_at + make_interval(hours => s) end \
         from voucher_batches b, generate_series(1, 200) s",
    ] {
        sqlx::query(sql)
            .execute(&mut *tx)
            .await
            .expect("seed money");
    }
    tx.commit().await.expect("commit");
    sqlx::query("vacuum analyze")
        .execute(&ctx.pool)
        .await
        .expect("analyze");
    let (invoices, payments, vouchers): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from invoices), (select count(*) from payments), \
                (select count(*) from vouchers)",
    )
    .fetch_one(&ctx.pool)
    .await
    .expect("count");
    println!(
        "seeded {customers} customers, {invoices} invoices, {payments} payments, {vouchers} \
         vouchers in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let mut summary = Vec::new();
    for path in [
        "/api/dashboard/home",
        "/api/dashboard/summary",
        "/api/reports/revenue",
        "/api/reports/payments-by-method",
        "/api/reports/payments-by-cashier",
        "/api/reports/arrears-aging",
        "/api/reports/subscribers",
        "/api/reports/vouchers-by-profile",
        "/api/reports/vouchers-by-reseller",
        "/api/reports/top-unpaid",
        "/api/reports/revenue?format=xlsx",
        "/api/reports/top-unpaid?format=csv&limit=1000",
    ] {
        let url = format!("{}{path}", app.admin);
        let mut samples = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let t = Instant::now();
            let res = app
                .http
                .get(&url)
                .bearer_auth(&token)
                .send()
                .await
                .expect("send");
            assert!(res.status().is_success(), "{path}: {}", res.status());
            let body = res.bytes().await.expect("body");
            assert!(!body.is_empty());
            samples.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        samples.sort_by(f64::total_cmp);
        let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "{path}: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms ({rounds} requests)",
            pct(0.5),
            pct(0.95),
            pct(0.99)
        );
        summary.push(format!("{path}={:.1}", pct(0.95)));
        let key = path
            .trim_start_matches("/api/")
            .replace(['/', '?', '=', '&'], "_")
            .replace("-", "_");
        figure(
            &format!("reports.{key}_p95_ms"),
            quantile(&samples, 0.95),
            "ms",
        );
    }
    println!(
        "reports: customers={customers} invoices={invoices} p95_ms: {}",
        summary.join(" ")
    );
    app.shutdown().await;
}
