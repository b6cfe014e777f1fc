//! Streaming print, listen and cancel.

use routeros_api::Command;

use super::{client, sim};

#[tokio::test]
async fn print_of_20000_users_streams_row_by_row() {
    let sim = sim().await;
    sim.seed_hotspot_users("user", 20_000).expect("seed");
    let c = client(&sim).await;
    let mut stream = c.hotspot_users().stream().await.expect("stream");
    let mut n = 0usize;
    let mut last = String::new();
    while let Some(row) = stream.next().await {
        let row = row.expect("row");
        n += 1;
        last = row.get_string("name").unwrap_or_default();
    }
    assert_eq!(n, 20_001);
    assert_eq!(last, "user19999");
    assert_eq!(c.hotspot_users().count().await.expect("count"), 20_001);
}

#[tokio::test]
async fn dropping_a_stream_cancels_it_and_the_client_carries_on() {
    let sim = sim().await;
    sim.seed_hotspot_users("user", 2_000).expect("seed");
    let c = client(&sim).await;
    let mut stream = c.hotspot_users().stream().await.expect("stream");
    for _ in 0..10 {
        stream.next().await.expect("row").expect("ok");
    }
    drop(stream);
    assert_eq!(c.identity().await.expect("still usable"), "MikroTik");
}

#[tokio::test]
async fn listen_reports_logins_and_logouts_until_cancelled() {
    let sim = sim().await;
    let c = client(&sim).await;
    c.hotspot_users()
        .add(&routeros_api::hotspot::NewHotspotUser {
            name: "carol".into(),
            password: "pw".into(),
            ..Default::default()
        })
        .await
        .expect("add");
    let mut listen = c.hotspot_active().listen().await.expect("listen");
    // The simulator handles a connection's commands in order: once this answers, the listen
    // is subscribed.
    c.identity().await.expect("barrier");
    let id = sim
        .hotspot_login("carol", "10.5.50.9", "AA:BB:CC:DD:EE:01")
        .expect("login");
    let row = listen.next().await.expect("event").expect("row");
    assert_eq!(row.get("user").as_deref(), Some("carol"));
    assert_eq!(row.id().as_deref(), Some(id.as_str()));
    assert_eq!(sim.hotspot_logout("carol"), 1);
    let row = listen.next().await.expect("event").expect("row");
    assert!(row.is_dead());
    assert_eq!(row.id().as_deref(), Some(id.as_str()));
    listen.cancel().await.expect("cancel ends cleanly");
    assert_eq!(c.identity().await.expect("usable"), "MikroTik");
}

#[tokio::test]
async fn monitor_traffic_streams_samples_and_once_gives_one() {
    let sim = sim().await;
    sim.set_interface_rate("ether1", 8_000_000, 2_000_000);
    let c = client(&sim).await;
    let sample = c.monitor_traffic_once("ether1").await.expect("once");
    assert_eq!(sample.rx_bits_per_second, 8_000_000);
    assert_eq!(sample.tx_bits_per_second, 2_000_000);
    let mut mon = c.monitor_traffic("ether1").await.expect("monitor");
    let row = mon.next().await.expect("sample").expect("row");
    assert_eq!(row.get_u64("rx-bits-per-second"), Some(8_000_000));
    mon.cancel().await.expect("cancel");
    let err = c
        .monitor_traffic_once("nope")
        .await
        .expect_err("unknown interface");
    assert_eq!(err.trap_kind(), Some(routeros_api::TrapKind::InvalidValue));
}

#[tokio::test]
async fn stream_collect_gives_the_same_rows_as_run() {
    let sim = sim().await;
    sim.seed_hotspot_users("s", 30).expect("seed");
    let c = client(&sim).await;
    let cmd = Command::new("/ip/hotspot/user/print").proplist([".id", "name"]);
    let streamed = c
        .stream(cmd.clone())
        .await
        .expect("stream")
        .collect()
        .await
        .expect("rows");
    assert_eq!(streamed, c.run(cmd).await.expect("run"));
}
