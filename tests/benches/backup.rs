//! Backup benchmark: a database with 10,000 customers and 120,000 invoices (a year of monthly
//! invoices, two thirds paid: payments, ledger entries, allocations) — backup time (pg_dump),
//! verify time (restore into a scratch database and compare), file size, restore time; and the
//! health endpoint's latency with 3 routers (one of them stopped in a second round).
//!
//!   keyctl session - cargo bench -p billing-tests --bench backup
//!
//! Uses MIKROBILL_TEST_DATABASE_URL when set, otherwise a throwaway cluster.

use std::time::{Duration, Instant};

use billing_tests::bench::{figure, size};
use billing_tests::spawn_app;
use routeros_api::sim::{SimConfig, Simulator};
use serde_json::json;

const MONTHS: i64 = 12;

#[tokio::main]
pub async fn main() {
    let customers: i64 = size(10_000, 100);
    let rounds: usize = size(500, 20);
    let app = spawn_app().await;
    let ctx = app.ctx();
    let sealed = ctx.cipher.seal("rahasia").expect("seal");

    let started = Instant::now();
    let mut tx = ctx.pool.begin().await.expect("tx");
    for sql in [
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
        "insert into subscriptions (id, customer_id, plan_id, kind, login, password_enc, start_on, \
                                    billing_day, due_days, grace_days) \
         select gen_random_uuid(), c.id, (select id from plans limit 1), 'pppoe', \
                'user' || row_number() over (), $1, date '2025-12-01', 1, 7, 3 \
         from customers c",
    )
    .bind(&sealed)
    .execute(&mut *tx)
    .await
    .expect("subscriptions");
    // A year of invoices: the first 8 months paid, the last 4 open.
    sqlx::query(
        "insert into invoices (id, number, customer_id, subscription_id, period_start, period_end, \
                               issued_on, due_on, overdue_from, status, total, paid) \
         select gen_random_uuid(), 'INV/' || to_char(p, 'YYYYMM') || '/' || s.login, \
                s.customer_id, s.id, p::date, (p + interval '1 month' - interval '1 day')::date, \
                p::date, (p + interval '7 days')::date, (p + interval '7 days')::date, \
                case when m < 8 then 'paid' else 'unpaid' end, 150000, \
                case when m < 8 then 150000 else 0 end \
         from subscriptions s, generate_series(0, $1 - 1) m, \
              lateral (select date '2025-12-01' + make_interval(months => m::int) as p) per",
    )
    .bind(MONTHS)
    .execute(&mut *tx)
    .await
    .expect("invoices");
    for sql in [
        "insert into invoice_lines (invoice_id, kind, description, amount) \
         select id, 'plan_fee', 'Paket 10 Mbps', total from invoices",
        "insert into payments (id, customer_id, invoice_id, method, amount, status, paid_at) \
         select gen_random_uuid(), customer_id, id, 'cash', total, 'paid', \
                (due_on - 2)::timestamp at time zone 'Asia/Jakarta' \
         from invoices where status = 'paid'",
        "insert into ledger_entries (customer_id, subscription_id, account, delta, reason, \
                                     payment_id, invoice_id, created_at) \
         select p.customer_id, i.subscription_id, 'subscription', p.amount, 'payment_received', \
                p.id, null, p.paid_at \
         from payments p join invoices i on i.id = p.invoice_id",
        "insert into ledger_entries (customer_id, subscription_id, account, delta, reason, \
                                     payment_id, invoice_id, created_at) \
         select p.customer_id, i.subscription_id, 'subscription', -p.amount, 'invoice_payment', \
                p.id, i.id, p.paid_at \
         from payments p join invoices i on i.id = p.invoice_id",
        "insert into allocations (invoice_id, payment_id, source, amount, ledger_entry_id, \
                                  allocated_at) \
         select l.invoice_id, l.payment_id, 'payment', -l.delta, l.id, l.created_at \
         from ledger_entries l where l.reason = 'invoice_payment'",
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
    let (invoices, rows): (i64, i64) = sqlx::query_as(
        "select (select count(*) from invoices), \
                (select sum(n_live_tup)::bigint from pg_stat_user_tables)",
    )
    .fetch_one(&ctx.pool)
    .await
    .expect("count");
    let db_size: i64 = sqlx::query_scalar("select pg_database_size(current_database())")
        .fetch_one(&ctx.pool)
        .await
        .expect("size");
    println!(
        "seeded {customers} customers, {invoices} invoices ({rows} rows in all, database {:.1} MB) \
         in {:.1} s",
        mb(db_size),
        started.elapsed().as_secs_f64()
    );

    // Backup: dump inside the snapshot, pack, then verify by a scratch restore.
    let t = Instant::now();
    let backup = billing_app::ops::backups::create(&ctx)
        .await
        .expect("backup");
    let total_ms = t.elapsed().as_millis();
    let size = backup.size_bytes.unwrap_or(0);
    let dump_ms = backup.dump_ms.unwrap_or(0);
    let verify_ms = backup.verify_ms.unwrap_or(0);
    println!(
        "backup: {total_ms} ms in all (pg_dump {dump_ms} ms, verify by restore + compare \
         {verify_ms} ms, the rest census + compression), file {:.1} MB, {} tables, {} rows",
        mb(size),
        backup.table_count.unwrap_or(0),
        backup.row_count.unwrap_or(0)
    );

    let t = Instant::now();
    let checked = billing_app::ops::backups::verify(&ctx, backup.id)
        .await
        .expect("verify");
    let reverify_ms = t.elapsed().as_millis();
    assert!(checked.verified_at.is_some());
    println!("verify again (checksum, unpack, restore, compare): {reverify_ms} ms");

    let t = Instant::now();
    let restored = billing_app::ops::backups::restore(&ctx, backup.id, None)
        .await
        .expect("restore");
    let restore_ms = t.elapsed().as_millis();
    billing_app::ops::backups::confirm_restore(&ctx, backup.id)
        .await
        .expect("confirm");
    println!(
        "restore into a new database, checked, switched: {restore_ms} ms ({} rows)",
        restored.rows
    );

    // Health with 3 routers (simulators on real TCP).
    let mut sims = Vec::new();
    for n in 0..3 {
        let sim = Simulator::start(SimConfig::default())
            .await
            .expect("simulator");
        let (status, body) = app
            .call(
                "POST",
                "/api/routers",
                Some(json!({"name": format!("Router {n}"), "host": "127.0.0.1",
                            "port": sim.addr().port(), "api_user": "admin", "password": ""})),
            )
            .await;
        assert!(status.is_success(), "{body}");
        sims.push(sim);
    }
    let token = app.token().await;
    let health = |token: String| {
        let http = app.http.clone();
        let url = format!("{}/api/monitoring/health", app.admin);
        async move {
            let t = Instant::now();
            let res = http.get(url).bearer_auth(token).send().await.expect("send");
            assert!(res.status().is_success());
            let body: serde_json::Value = res.json().await.expect("json");
            (t.elapsed().as_secs_f64() * 1000.0, body)
        }
    };
    // Until all three have been probed.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, body) = health(token.clone()).await;
        let ok = body["routers"]
            .as_array()
            .is_some_and(|r| r.len() == 3 && r.iter().all(|c| c["status"] == "ok"));
        if ok {
            break;
        }
        assert!(Instant::now() < deadline, "routers never probed: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let audit_bytes: i64 = sqlx::query_scalar("select pg_total_relation_size('audit_log')")
        .fetch_one(&ctx.pool)
        .await
        .expect("audit size");
    let (p50, p95, p99) = latencies(&health, &token, rounds).await;
    println!("health with 3 routers up: p50 {p50:.1} ms, p95 {p95:.1} ms, p99 {p99:.1} ms ({rounds} requests)");
    sims[1].reboot(Duration::from_secs(3600));
    let (d50, d95, d99) = latencies(&health, &token, rounds).await;
    println!(
        "health with 1 of 3 routers not answering: p50 {d50:.1} ms, p95 {d95:.1} ms, \
         p99 {d99:.1} ms ({rounds} requests)"
    );
    println!(
        "backup: customers={customers} invoices={invoices} backup_ms={total_ms} dump_ms={dump_ms} \
         verify_ms={verify_ms} size_mb={:.1} restore_ms={restore_ms} health_p95_ms={p95:.1} \
         health_p95_one_down_ms={d95:.1}",
        mb(size)
    );
    figure("backup.total_ms", total_ms as f64, "ms");
    figure("backup.dump_ms", dump_ms as f64, "ms");
    figure("backup.verify_ms", verify_ms as f64, "ms");
    figure("backup.size_mb", mb(size), "MB");
    figure("backup.database_mb", mb(db_size), "MB");
    figure("backup.audit_log_mb", mb(audit_bytes), "MB");
    figure("backup.restore_ms", restore_ms as f64, "ms");
    figure("backup.health_p95_ms", p95, "ms");
    figure("backup.health_p95_one_down_ms", d95, "ms");
    app.shutdown().await;
}

async fn latencies<F, Fut>(health: &F, token: &str, n: usize) -> (f64, f64, f64)
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = (f64, serde_json::Value)>,
{
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        samples.push(health(token.to_owned()).await.0);
    }
    samples.sort_by(f64::total_cmp);
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p).round() as usize];
    (pct(0.5), pct(0.95), pct(0.99))
}

fn mb(bytes: i64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
