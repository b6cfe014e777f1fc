//! Dropped connections, reboots, session limits and random traps.

use std::time::Duration;

use routeros_api::sim::{Faults, SimConfig};
use routeros_api::{Client, ErrorKind, ReconnectPolicy};

use super::{client, sim, sim_with};

#[tokio::test]
async fn reconnects_after_a_dropped_connection() {
    let sim = sim().await;
    let c = client(&sim).await;
    assert_eq!(c.identity().await.expect("before"), "MikroTik");
    // The router drops the connection instead of sending the next sentence.
    sim.drop_after_sentences(0);
    let err = c.identity().await.expect_err("connection dropped");
    assert_eq!(err.kind(), &ErrorKind::Io);
    assert!(err.is_connection_error());
    // The next command reconnects by itself.
    assert_eq!(c.identity().await.expect("after reconnect"), "MikroTik");
    assert_eq!(sim.connections_total(), 2);
}

#[tokio::test]
async fn a_drop_in_the_middle_of_a_print_fails_only_that_command() {
    let sim = sim().await;
    sim.seed_hotspot_users("d", 100).expect("seed");
    let c = client(&sim).await;
    sim.drop_after_sentences(30);
    let err = c.hotspot_users().list().await.expect_err("cut off");
    assert_eq!(err.kind(), &ErrorKind::Io);
    assert_eq!(
        c.hotspot_users()
            .list()
            .await
            .expect("after reconnect")
            .len(),
        101
    );
}

#[tokio::test]
async fn reboot_cuts_sessions_and_the_client_reconnects_with_backoff() {
    let sim = sim().await;
    sim.hotspot_login("nobody", "10.5.50.2", "AA:BB:CC:00:00:01")
        .expect_err("no such user");
    let mut opts = sim.connect_options();
    opts.reconnect = ReconnectPolicy {
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
        max_attempts: 20,
    };
    let c = Client::connect(opts).await.expect("login");
    sim.advance(Duration::from_secs(3600));
    assert!(c.system_resource().await.expect("uptime").uptime >= Duration::from_secs(3600));
    sim.reboot(Duration::from_millis(300));
    // In-flight or next command sees the cut; the one after waits out the downtime.
    let _ = c.identity().await;
    let res = c.system_resource().await.expect("back after reboot");
    assert!(res.uptime < Duration::from_secs(60));
}

#[tokio::test]
async fn session_limit_closes_extra_connections() {
    let sim = sim_with(SimConfig {
        faults: Faults {
            max_sessions: 1,
            ..Faults::default()
        },
        ..SimConfig::default()
    })
    .await;
    let first = client(&sim).await;
    let mut opts = sim.connect_options();
    opts.reconnect.max_attempts = 1;
    let err = Client::connect(opts).await.expect_err("limit reached");
    assert_eq!(err.kind(), &ErrorKind::Io);
    assert_eq!(
        first.identity().await.expect("first still works"),
        "MikroTik"
    );
    assert_eq!(sim.session_count(), 1);
}

#[tokio::test]
async fn random_traps_surface_as_trap_errors() {
    let sim = sim().await;
    let c = client(&sim).await;
    sim.set_faults(Faults {
        random_trap_rate: 1.0,
        ..Faults::default()
    });
    let err = c.identity().await.expect_err("trapped");
    assert!(matches!(err.kind(), ErrorKind::Trap(t) if t.message.contains("simulated")));
    sim.set_faults(Faults::default());
    assert!(c.identity().await.is_ok());
}

#[tokio::test]
async fn latency_overlaps_instead_of_queueing() {
    let sim = sim().await;
    let c = client(&sim).await;
    sim.set_latency(Duration::from_millis(100));
    let start = std::time::Instant::now();
    let calls = (0..20).map(|_| {
        let c = c.clone();
        async move { c.identity().await }
    });
    for r in futures::future::join_all(calls).await {
        r.expect("identity");
    }
    let took = start.elapsed();
    // 20 sequential round trips would be 2 s; overlapping ones cost about one.
    assert!(took < Duration::from_millis(1000), "{took:?}");
    assert!(took >= Duration::from_millis(100), "{took:?}");
}

#[tokio::test]
async fn with_a_cost_model_one_connections_commands_queue_behind_each_other() {
    let sim = sim().await;
    let c = client(&sim).await;
    sim.set_latency(Duration::from_millis(20));
    sim.set_cost_model(Some(routeros_api::sim::CostModel {
        per_command: Duration::ZERO,
        per_write: Duration::from_millis(10),
        per_add_per_1000_rows: Duration::ZERO,
        per_row_printed: Duration::ZERO,
    }));
    let start = std::time::Instant::now();
    let adds = (0..20).map(|n| {
        let c = c.clone();
        async move {
            c.call(
                routeros_api::Command::new("/ip/hotspot/user/add")
                    .attr("name", format!("biaya{n}"))
                    .attr("password", "x"),
            )
            .await
        }
    });
    for r in futures::future::join_all(adds).await {
        r.expect("add");
    }
    // Pipelined, the round trips overlap, but the router writes one after another:
    // 20 writes of 10 ms each plus one round trip at least.
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(220), "{took:?}");
    let added = sim
        .items("/ip/hotspot/user")
        .iter()
        .filter(|u| u["name"].starts_with("biaya"))
        .count();
    assert_eq!(added, 20);

    // The service time grows with the table for adds and with the rows for prints.
    let model = routeros_api::sim::CostModel::default();
    assert!(
        model.service("/ip/hotspot/user/add", 20_000, 0)
            > model.service("/ip/hotspot/user/add", 0, 0)
    );
    assert!(
        model.service("/ip/hotspot/user/print", 20_000, 20_000)
            > model.service("/ip/hotspot/user/print", 20_000, 1)
    );
    assert_eq!(
        model.service("/system/identity/print", 1, 1),
        model.per_command + model.per_row_printed
    );
}

#[tokio::test]
async fn keepalive_closes_a_connection_that_stopped_answering() {
    let sim = sim().await;
    let mut opts = sim.connect_options();
    opts.keepalive = Some(Duration::from_millis(100));
    opts.login_timeout = Duration::from_millis(200); // also the keepalive deadline
    let c = Client::connect(opts).await.expect("login");
    assert!(c.is_connected().await);
    sim.set_latency(Duration::from_secs(5)); // the router goes silent
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while c.is_connected().await {
        assert!(
            std::time::Instant::now() < deadline,
            "keepalive never fired"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    sim.set_latency(Duration::ZERO);
    assert_eq!(c.identity().await.expect("reconnected"), "MikroTik");
}

#[tokio::test]
async fn an_abandoned_command_is_cancelled_and_the_client_carries_on() {
    let sim = sim().await;
    let c = client(&sim).await;
    sim.set_latency(Duration::from_millis(300));
    let abandoned = tokio::time::timeout(Duration::from_millis(20), c.identity()).await;
    assert!(abandoned.is_err(), "gave up before the reply");
    sim.set_latency(Duration::ZERO);
    assert_eq!(c.identity().await.expect("usable"), "MikroTik");
}
