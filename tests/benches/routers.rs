//! Routers benchmark, against the RouterOS simulator over real TCP through the real
//! adapter and the outbox:
//! - isolating 500 subscribers (each online, so each is kicked) with a 20 ms round trip;
//! - reconciling 5,000 secrets (the work after fetching them from the router).
//!
//!   keyctl session - cargo bench -p billing-tests --bench routers
//!
//! Prints `routers: isolate_500=…ms reconcile_5000=…ms reconcile_fetch=…ms`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use billing_router::{PoolOptions, RouterPool};
use billing_tests::bench::{figure, size};
use billing_tests::spawn_app_with_router;
use futures::StreamExt as _;
use routeros_api::sim::{CostModel, SimConfig, SimHandle, Simulator};
use uuid::Uuid;

async fn sim_with_profile() -> SimHandle {
    let sim = Simulator::start(SimConfig::default()).await.expect("sim");
    let c = routeros_api::Client::connect(sim.connect_options())
        .await
        .expect("login");
    c.ppp_profiles()
        .add("pppoe-10M", Some("10M/10M"))
        .await
        .expect("profile");
    c.disconnect().await;
    sim
}

async fn router(ctx: &billing_app::AppContext, name: &str, sim: &SimHandle) -> Uuid {
    let input = billing_app::network::routers::RouterInput {
        name: Some(name.into()),
        host: Some(sim.addr().ip().to_string()),
        port: Some(i32::from(sim.addr().port())),
        api_user: Some("admin".into()),
        password: Some(String::new().into()),
        ..Default::default()
    };
    billing_app::network::routers::create(ctx, input)
        .await
        .expect("router")
        .id
}

/// `n` PPPoE subscriptions on `router_id`, written straight into the database.
async fn subscriptions(ctx: &billing_app::AppContext, prefix: &str, n: usize, router_id: Uuid) {
    let plan: Uuid = sqlx::query_scalar(
        "insert into plans (id, name, price, kind, router_profile) values \
         (gen_random_uuid(), $1, 150000, 'pppoe', 'pppoe-10M') returning id",
    )
    .bind(format!("Paket {prefix}"))
    .fetch_one(&ctx.pool)
    .await
    .expect("plan");
    let customer: Uuid = sqlx::query_scalar(
        "insert into customers (id, name, phone, address) values \
         (gen_random_uuid(), 'Pelanggan', '6281234567890', 'Jl. Melati') returning id",
    )
    .fetch_one(&ctx.pool)
    .await
    .expect("customer");
    let logins: Vec<String> = (0..n).map(|i| format!("{prefix}{i}")).collect();
    let sealed: Vec<Vec<u8>> = logins
        .iter()
        .map(|l| ctx.cipher.seal(&format!("pw-{l}")).expect("seal"))
        .collect();
    sqlx::query(
        "insert into subscriptions (id, customer_id, plan_id, router_id, kind, login, \
                                    password_enc, start_on, billing_day, due_days, grace_days) \
         select gen_random_uuid(), $1, $2, $3, 'pppoe', l, p, date '2026-11-01', 1, 7, 3 \
         from unnest($4::text[], $5::bytea[]) as u(l, p)",
    )
    .bind(customer)
    .bind(plan)
    .bind(router_id)
    .bind(&logins)
    .bind(&sealed)
    .execute(&ctx.pool)
    .await
    .expect("subscriptions");
}

/// Queues `action` for every subscription on `router_id`, due at once by the app's clock
/// (not the database's `now()`: the harness's clock is fixed, and a command due in its future
/// would never be delivered).
async fn enqueue_all(ctx: &billing_app::AppContext, action: &str, router_id: Uuid) {
    sqlx::query(
        "insert into router_commands (subscription_id, router_id, login, action, next_attempt_at) \
         select id, router_id, login, $1, $3 from subscriptions where router_id = $2 order by login",
    )
    .bind(action)
    .bind(router_id)
    .bind(ctx.clock.now() - chrono::Duration::days(1))
    .execute(&ctx.pool)
    .await
    .expect("enqueue");
}

#[tokio::main]
pub async fn main() {
    let isolate: usize = size(500, 20);
    let reconcile: usize = size(5_000, 100);
    let pool = RouterPool::new(PoolOptions {
        retry_after: Duration::ZERO,
        ..PoolOptions::default()
    });
    let app = spawn_app_with_router(Arc::new(pool)).await;
    let ctx = app.ctx();

    // Isolation: 500 online subscribers, 20 ms round trip.
    let sim = sim_with_profile().await;
    let r1 = router(&ctx, "Isolasi", &sim).await;
    subscriptions(&ctx, "iso", isolate, r1).await;
    enqueue_all(&ctx, "create_secret", r1).await;
    let created = billing_app::network::outbox::deliver(&ctx)
        .await
        .expect("create secrets");
    assert_eq!(created, isolate, "every secret created");
    for i in 0..isolate {
        sim.ppp_login(&format!("iso{i}"), "AA:BB:CC:00:00:01", "10.10.0.2")
            .expect("login");
    }
    sim.set_latency(Duration::from_millis(20));
    sqlx::query("update subscriptions set status = 'isolated' where router_id = $1")
        .bind(r1)
        .execute(&ctx.pool)
        .await
        .expect("isolate");
    enqueue_all(&ctx, "isolate", r1).await;
    let started = Instant::now();
    let delivered = billing_app::network::outbox::deliver(&ctx)
        .await
        .expect("deliver");
    let isolate_ms = started.elapsed().as_millis();
    assert_eq!(delivered, isolate);
    assert!(
        sim.items("/ppp/active").is_empty(),
        "every session was kicked"
    );
    assert!(sim
        .items("/ppp/secret")
        .iter()
        .all(|s| s["profile"] == "isolir"));

    // The same isolation again (the subscribers back online) with the router's cost model on:
    // its writes and kicks one after another.
    for i in 0..isolate {
        sim.ppp_login(&format!("iso{i}"), "AA:BB:CC:00:00:01", "10.10.0.2")
            .expect("login");
    }
    sim.set_cost_model(Some(CostModel::default()));
    enqueue_all(&ctx, "isolate", r1).await;
    let started = Instant::now();
    let delivered = billing_app::network::outbox::deliver(&ctx)
        .await
        .expect("deliver");
    let isolate_costed_ms = started.elapsed().as_millis();
    assert_eq!(delivered, isolate);
    sim.set_cost_model(None);
    sim.shutdown();

    // Reconciliation: 5,000 secrets, two of them drifting.
    let sim = sim_with_profile().await;
    let r2 = router(&ctx, "Rekonsiliasi", &sim).await;
    subscriptions(&ctx, "rec", reconcile, r2).await;
    let client = routeros_api::Client::connect(sim.connect_options())
        .await
        .expect("login");
    futures::stream::iter(0..reconcile)
        .map(|i| {
            let client = client.clone();
            async move {
                let profile = if i == 7 { "default" } else { "pppoe-10M" };
                let cmd = routeros_api::Command::new("/ppp/secret/add")
                    .attr("name", format!("rec{i}"))
                    .attr("password", format!("pw-rec{i}"))
                    .attr("service", "pppoe")
                    .attr("profile", profile);
                client.call(cmd).await.expect("add")
            }
        })
        .buffer_unordered(128)
        .collect::<Vec<_>>()
        .await;
    let report = billing_app::network::reconcile::check(&ctx, r2)
        .await
        .expect("reconcile");
    assert_eq!(report.router_secrets, reconcile);
    assert_eq!(report.drifts.len(), 1, "{:?}", report.drifts);
    sim.shutdown();

    println!(
        "routers: isolate_{isolate}={isolate_ms}ms reconcile_{reconcile}={}ms reconcile_fetch={}ms",
        report.work_ms, report.fetch_ms
    );
    figure("routers.isolate_500_ms", isolate_ms as f64, "ms");
    figure(
        "routers.isolate_500_costed_ms",
        isolate_costed_ms as f64,
        "ms",
    );
    figure("routers.reconcile_5000_ms", report.work_ms as f64, "ms");
    figure("routers.reconcile_fetch_ms", report.fetch_ms as f64, "ms");
    app.shutdown().await;
}
