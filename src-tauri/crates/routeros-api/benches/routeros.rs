// RouterOS client benchmark against the in-process simulator.
//
// Run: `cargo bench -p routeros-api --bench routeros` (release profile). Prints each figure and
// ends with one summary line starting with `routeros:`.
//
// - 1,000 `/ip/hotspot/user/add` with a simulated 20 ms round trip, pipelined by `.tag`, and the
//   same 1,000 one at a time (the way most tools do it), in the same run.
// - `print` of 20,000 hotspot users streamed and decoded row by row, with the process's peak
//   RSS growth (simulator included) from `/proc/self/status`.
//
// Depends only on `routeros-api`, `tokio` and std, so `tests/benches/routeros.rs` can
// `include!` it.

use std::time::{Duration, Instant};

use routeros_api::hotspot::NewHotspotUser;
use routeros_api::sim::{CostModel, Faults, SimConfig, SimHandle, Simulator};
use routeros_api::{Client, ConnectOptions};

const RTT: Duration = Duration::from_millis(20);

/// `full`, or `smoke` under `MIKROBILL_BENCH_SIZE=smoke` (CI runs the smoke size in seconds).
fn size(full: usize, smoke: usize) -> usize {
    if std::env::var("MIKROBILL_BENCH_SIZE").is_ok_and(|s| s == "smoke") {
        smoke
    } else {
        full
    }
}

/// The machine-readable line `tests/benches/all.sh` reads.
fn figure(key: &str, value: f64, unit: &str) {
    println!("bench: {key} {value:.3} {unit}");
}

fn voucher(prefix: &str, n: usize) -> NewHotspotUser {
    NewHotspotUser {
        name: format!("{prefix}-{n:05}"),
        password: format!("{:06}", n * 7919 % 1_000_000),
        profile: Some("default".into()),
        limit_uptime: Some(Duration::from_secs(86_400)),
        comment: Some("bench voucher".into()),
        ..Default::default()
    }
}

/// `VmRSS` or `VmHWM` from /proc/self/status, in bytes (0 where unavailable).
fn proc_status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(field)).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
            })
        })
        .unwrap_or(0)
        * 1024
}

/// Resets the peak-RSS counter (Linux: writing 5 to clear_refs).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn pipelined_adds(client: &Client, prefix: &str, adds: usize) -> Duration {
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(adds);
    for n in 0..adds {
        let c = client.clone();
        let user = voucher(prefix, n);
        tasks.push(tokio::spawn(
            async move { c.hotspot_users().add(&user).await },
        ));
    }
    for t in tasks {
        t.await.expect("task").expect("pipelined add");
    }
    start.elapsed()
}

async fn sequential_adds(client: &Client, prefix: &str, adds: usize) -> Duration {
    let start = Instant::now();
    for n in 0..adds {
        client
            .hotspot_users()
            .add(&voucher(prefix, n))
            .await
            .expect("sequential add");
    }
    start.elapsed()
}

/// Streams every hotspot user, decoding the fields a billing sync reads.
async fn stream_print(client: &Client) -> (Duration, usize, u64) {
    let start = Instant::now();
    let mut stream = client.hotspot_users().stream().await.expect("print");
    let (mut rows, mut checksum) = (0usize, 0u64);
    while let Some(row) = stream.next().await {
        let row = row.expect("row");
        rows += 1;
        checksum += row.get_u64("bytes-in").unwrap_or(0)
            + row.get("name").map_or(0, |n| n.len() as u64)
            + u64::from(row.get_bool("disabled").unwrap_or(false));
    }
    (start.elapsed(), rows, checksum)
}

fn start_sim(rt: &tokio::runtime::Runtime, latency: Duration) -> SimHandle {
    let config = SimConfig {
        faults: Faults {
            latency,
            ..Faults::default()
        },
        ..SimConfig::default()
    };
    rt.block_on(Simulator::start(config))
        .expect("simulator starts")
}

pub fn main() {
    let adds = size(1_000, 50);
    let print_users = size(20_000, 500);
    // The simulator gets its own runtime (its own thread) so that it does not compete with
    // the client's executor, as a real router would not.
    let sim_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("sim")
        .enable_all()
        .build()
        .expect("simulator runtime");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("client runtime");

    // 1. Adds with a 20 ms round trip.
    let sim = start_sim(&sim_rt, RTT);
    let opts: ConnectOptions = sim.connect_options().max_in_flight(256);
    let client = rt.block_on(Client::connect(opts)).expect("login");
    let runs: Vec<Duration> = (0..3)
        .map(|i| rt.block_on(pipelined_adds(&client, &format!("p{i}"), adds)))
        .collect();
    let pipelined = median(runs.clone());
    println!(
        "pipelined {adds} adds @ {} ms RTT: runs {:?} ms, median {:.0} ms",
        RTT.as_millis(),
        runs.iter().map(|d| ms(*d).round()).collect::<Vec<_>>(),
        ms(pipelined)
    );
    let sequential = rt.block_on(sequential_adds(&client, "s", adds));
    let ratio = sequential.as_secs_f64() / pipelined.as_secs_f64();
    println!(
        "sequential {adds} adds @ {} ms RTT: {:.0} ms",
        RTT.as_millis(),
        ms(sequential)
    );
    println!("pipelining speed-up: {ratio:.1}x");
    // The same with the router's cost model: one connection's commands one after another.
    sim.set_cost_model(Some(CostModel::default()));
    let costed = rt.block_on(pipelined_adds(&client, "c", adds));
    sim.set_cost_model(None);
    println!(
        "pipelined {adds} adds @ {} ms RTT with the cost model: {:.0} ms",
        RTT.as_millis(),
        ms(costed)
    );
    drop(client);
    sim.shutdown();

    // 2. Print of 20,000 users, no added latency: decode throughput and memory.
    let sim = start_sim(&sim_rt, Duration::ZERO);
    sim.seed_hotspot_users("user", print_users).expect("seed");
    let client = rt
        .block_on(Client::connect(sim.connect_options()))
        .expect("login");
    rt.block_on(client.identity()).expect("warm-up");
    let tracked = reset_peak_rss();
    let base = proc_status_kb("VmRSS:");
    let (first, rows, checksum) = rt.block_on(stream_print(&client));
    let peak = proc_status_kb("VmHWM:");
    let growth_mb = peak.saturating_sub(base) as f64 / (1024.0 * 1024.0);
    let mut runs = vec![first];
    for _ in 0..4 {
        runs.push(rt.block_on(stream_print(&client)).0);
    }
    let print = median(runs.clone());
    sim.set_cost_model(Some(CostModel::default()));
    let print_costed = rt.block_on(stream_print(&client)).0;
    sim.set_cost_model(None);
    let collect = {
        let start = Instant::now();
        let n = rt
            .block_on(client.hotspot_users().list())
            .expect("list")
            .len();
        assert_eq!(n, rows);
        start.elapsed()
    };
    println!(
        "print {rows} users streamed+decoded: runs {:?} ms, median {:.0} ms (checksum {checksum})",
        runs.iter().map(|d| ms(*d).round()).collect::<Vec<_>>(),
        ms(print)
    );
    println!(
        "print {rows} users into typed Vec<HotspotUser>: {:.0} ms",
        ms(collect)
    );
    println!(
        "peak RSS growth during the first streamed print: {growth_mb:.1} MB{}",
        if tracked {
            ""
        } else {
            " (peak reset unavailable; upper bound)"
        }
    );
    sim.shutdown();

    println!(
        "routeros: pipelined_1000_add={:.0}ms sequential_1000_add={:.0}ms ratio={ratio:.1}x \
         print_20000_decode={:.0}ms peak_mem_growth={growth_mb:.1}MB",
        ms(pipelined),
        ms(sequential),
        ms(print)
    );
    figure("routeros.pipelined_1000_add_ms", ms(pipelined), "ms");
    figure("routeros.sequential_1000_add_ms", ms(sequential), "ms");
    figure("routeros.pipelined_1000_add_costed_ms", ms(costed), "ms");
    figure("routeros.print_20000_ms", ms(print), "ms");
    figure("routeros.print_20000_costed_ms", ms(print_costed), "ms");
    figure("routeros.print_peak_growth_mb", growth_mb, "MB");
}
