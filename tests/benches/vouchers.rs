//! Vouchers benchmark, against the RouterOS simulator over real TCP through the real adapter
//! and a real PostgreSQL:
//! - a batch of 1,000 and of 10,000 vouchers end to end (codes, database, router) with a
//!   20 ms simulated round trip, and 1,000 vouchers written one call at a time (the way the
//!   tools we replace do it) for comparison;
//! - one monitor cycle over 10,000 voucher users with 2,000 online.
//!
//!   keyctl session - cargo bench -p billing-tests --bench vouchers
//!
//! Prints `vouchers: batch_1000=…ms batch_10000=…ms one_call_per_voucher_1000=…ms
//! monitor_first=…ms/…ms_cpu monitor_steady=…ms/…ms_cpu`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use billing_app::vouchers::batches::{self, Actor, BatchInput};
use billing_app::vouchers::{monitor, profiles};
use billing_router::{PoolOptions, RouterPool};
use billing_tests::bench::{figure, size};
use billing_tests::spawn_app_with_router;
use routeros_api::sim::{CostModel, SimConfig, SimHandle, Simulator};
use uuid::Uuid;

/// CPU time of this process (user + system), from /proc.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10)
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

async fn batch(
    ctx: &billing_app::AppContext,
    profile: Uuid,
    router: Uuid,
    count: u32,
) -> (u128, batches::Batch) {
    let started = Instant::now();
    let b = batches::create(
        ctx,
        Actor {
            user_id: None,
            name: "bench".into(),
        },
        BatchInput {
            profile_id: profile,
            router_id: Some(router),
            count,
            code_length: Some(8),
            charset: None,
            prefix: None,
            separate_password: false,
            reseller_id: None,
        },
    )
    .await
    .expect("batch");
    let ms = started.elapsed().as_millis();
    assert_eq!(
        b.status,
        billing_domain::BatchStatus::Ready,
        "{:?}",
        b.error
    );
    (ms, b)
}

#[tokio::main]
pub async fn main() {
    let small: u32 = size(1_000, 50);
    let large: u32 = size(10_000, 200);
    let online: usize = size(2_000, 40);
    let pool = RouterPool::new(PoolOptions {
        retry_after: Duration::ZERO,
        command_timeout: Duration::from_secs(120),
        ..PoolOptions::default()
    });
    let app = spawn_app_with_router(Arc::new(pool)).await;
    let ctx = app.ctx();
    let profile = profiles::create(
        &ctx,
        profiles::ProfileInput {
            name: Some("Harian".into()),
            price: Some(5000),
            validity_secs: Some(Some(86_400)),
            ..Default::default()
        },
    )
    .await
    .expect("profile")
    .id;

    // Batches with a 20 ms round trip.
    let sim = Simulator::start(SimConfig::default()).await.expect("sim");
    let r1 = router(&ctx, "Latensi", &sim).await;
    sim.set_latency(Duration::from_millis(20));
    let (batch_1000, _) = batch(&ctx, profile, r1, small).await;
    let (batch_10000, _) = batch(&ctx, profile, r1, large).await;
    // The same with the router's cost model (its writes one after another).
    sim.set_cost_model(Some(CostModel::default()));
    let (batch_1000_costed, _) = batch(&ctx, profile, r1, small).await;
    let (batch_10000_costed, _) = batch(&ctx, profile, r1, large).await;
    sim.set_cost_model(None);
    assert_eq!(
        sim.items("/ip/hotspot/user").len(),
        usize::try_from(2 * (small + large) + 1).expect("count")
    );

    // The same number of users one call at a time, waiting for each answer.
    let client = routeros_api::Client::connect(sim.connect_options())
        .await
        .expect("login");
    let started = Instant::now();
    for i in 0..small {
        let cmd = routeros_api::Command::new("/ip/hotspot/user/add")
            .attr("name", format!("seq{i:05}"))
            .attr("password", format!("seq{i:05}"))
            .attr("profile", "vc-harian");
        client.call(cmd).await.expect("add");
    }
    let one_by_one = started.elapsed().as_millis();
    client.disconnect().await;
    sim.shutdown();

    // The monitor: 10,000 vouchers, 2,000 of them online.
    let sim = Simulator::start(SimConfig::default()).await.expect("sim");
    let r2 = router(&ctx, "Monitor", &sim).await;
    let (_, b) = batch(&ctx, profile, r2, large).await;
    let codes: Vec<String> =
        sqlx::query_scalar("select code from vouchers where batch_id = $1 order by seq")
            .bind(b.id)
            .fetch_all(&ctx.pool)
            .await
            .expect("codes");
    for (i, code) in codes.iter().take(online).enumerate() {
        let ip = format!("10.5.{}.{}", 50 + i / 250, 1 + i % 250);
        let mac = format!("AA:BB:CC:00:{:02X}:{:02X}", i / 256, i % 256);
        sim.hotspot_login(code, &ip, &mac).expect("login");
        sim.hotspot_traffic(code, 1_000 * i as u64, 10_000 * i as u64);
    }
    // Only the second router is read (the first one's vouchers are marked gone).
    sqlx::query("update vouchers set status = 'removed' where router_id = $1")
        .bind(r1)
        .execute(&ctx.pool)
        .await
        .expect("retire");
    let (c0, t0) = (cpu(), Instant::now());
    let first = monitor::run(&ctx).await.expect("monitor");
    let (first_ms, first_cpu) = (t0.elapsed().as_millis(), (cpu() - c0).as_millis());
    assert_eq!(first.activated, online, "{first:?}");
    for code in codes.iter().take(online) {
        sim.hotspot_traffic(code, 5_000, 50_000);
    }
    let (c0, t0) = (cpu(), Instant::now());
    let steady = monitor::run(&ctx).await.expect("monitor");
    let (steady_ms, steady_cpu) = (t0.elapsed().as_millis(), (cpu() - c0).as_millis());
    assert_eq!(steady.updated, online, "{steady:?}");
    sim.shutdown();

    println!(
        "vouchers: batch_1000={batch_1000}ms batch_10000={batch_10000}ms \
         one_call_per_voucher_1000={one_by_one}ms \
         monitor_first={first_ms}ms/{first_cpu}ms_cpu monitor_steady={steady_ms}ms/{steady_cpu}ms_cpu \
         (cpu includes the in-process simulator)"
    );
    figure("vouchers.batch_1000_ms", batch_1000 as f64, "ms");
    figure("vouchers.batch_10000_ms", batch_10000 as f64, "ms");
    figure(
        "vouchers.batch_1000_costed_ms",
        batch_1000_costed as f64,
        "ms",
    );
    figure(
        "vouchers.batch_10000_costed_ms",
        batch_10000_costed as f64,
        "ms",
    );
    figure("vouchers.one_call_each_1000_ms", one_by_one as f64, "ms");
    figure("vouchers.monitor_first_ms", first_ms as f64, "ms");
    figure("vouchers.monitor_steady_ms", steady_ms as f64, "ms");
    app.shutdown().await;
}
