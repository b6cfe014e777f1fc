//! Commands, traps, pipelining and encodings through the client.

use std::time::Duration;

use futures::future::join_all;
use routeros_api::hotspot::NewHotspotUser;
use routeros_api::sim::{Faults, SimVersion};
use routeros_api::{Client, Command, Encoding, ErrorKind, ItemId, TrapKind};

use super::{client, sim, sim_version};

fn voucher(name: &str) -> NewHotspotUser {
    NewHotspotUser {
        name: name.into(),
        password: "pw".into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn trap_then_done_is_an_error_and_the_connection_keeps_working() {
    let sim = sim().await;
    let c = client(&sim).await;
    let users = c.hotspot_users();
    users.add(&voucher("alice")).await.expect("first add");
    let err = users.add(&voucher("alice")).await.expect_err("duplicate");
    assert_eq!(err.trap_kind(), Some(TrapKind::AlreadyExists));
    assert!(err.to_string().contains("/ip/hotspot/user/add"), "{err}");
    let bad = NewHotspotUser {
        profile: Some("missing".into()),
        ..voucher("bob")
    };
    let err = users.add(&bad).await.expect_err("bad profile");
    assert_eq!(err.trap_kind(), Some(TrapKind::InvalidValue));
    assert_eq!(err.trap().and_then(|t| t.category), Some(1));
    let err = users
        .remove(&ItemId::from("*FFFF"))
        .await
        .expect_err("missing id");
    assert_eq!(err.trap_kind(), Some(TrapKind::NoSuchItem));
    assert!(users.get_by_name("alice").await.expect("lookup").is_some());
}

#[tokio::test]
async fn pipelined_commands_interleaved_by_the_simulator_each_get_their_own_reply() {
    let sim = sim().await;
    sim.seed_hotspot_users("u", 40).expect("seed");
    sim.set_faults(Faults {
        interleave: Some(8),
        ..Faults::default()
    });
    let c = client(&sim).await;
    // Eight prints in flight at once, each selecting a different set of rows.
    let calls = (0..8).map(|i| {
        let c = c.clone();
        async move {
            let cmd = Command::new("/ip/hotspot/user/print")
                .proplist(["name"])
                .query_eq("name", format!("u{i}"))
                .query_eq("name", format!("u{}", i + 10))
                .query_eq("name", format!("u{}", i + 20))
                .query_op("||");
            (i, c.run(cmd).await)
        }
    });
    for (i, rows) in join_all(calls).await {
        let names: Vec<String> = rows
            .expect("print")
            .iter()
            .filter_map(|r| r.get_string("name"))
            .collect();
        assert_eq!(
            names,
            [
                format!("u{i}"),
                format!("u{}", i + 10),
                format!("u{}", i + 20)
            ]
        );
    }
}

#[tokio::test]
async fn many_concurrent_adds_through_a_small_window_all_complete() {
    let sim = sim().await;
    sim.set_latency(Duration::from_millis(5));
    let c = Client::connect(sim.connect_options().max_in_flight(4))
        .await
        .expect("login");
    let adds = (0..50).map(|i| {
        let c = c.clone();
        async move { c.hotspot_users().add(&voucher(&format!("w{i}"))).await }
    });
    let ids: Vec<ItemId> = join_all(adds)
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .expect("adds");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 50);
    assert_eq!(c.hotspot_users().count().await.expect("count"), 51);
}

#[tokio::test]
async fn non_utf8_names_survive_a_round_trip() {
    let sim = sim().await;
    // cp1252 text: the router stores the single byte 0xEB for 'ë'.
    let c = Client::connect(sim.connect_options().encoding(Encoding::Cp1252))
        .await
        .expect("login");
    c.hotspot_users().add(&voucher("Zoë")).await.expect("add");
    let stored = sim
        .find_bytes("/ip/hotspot/user", b"Zo\xeb")
        .expect("stored as cp1252 bytes");
    assert!(stored.iter().any(|(k, v)| k == "name" && v == b"Zo\xeb"));
    let back = c
        .hotspot_users()
        .get_by_name("Zoë")
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(back.name, "Zoë");

    // Bytes that are not valid in any text encoding pass through untouched.
    let utf8 = Client::connect(sim.connect_options().encoding(Encoding::Utf8))
        .await
        .expect("login");
    let raw_name = vec![0xFF, 0xFE, b'x', 0x80];
    utf8.run(Command::new("/ip/hotspot/user/add").attr_bytes("name", raw_name.clone()))
        .await
        .expect("add raw");
    let rows = utf8
        .run(Command::new("/ip/hotspot/user/print").query_eq_bytes("name", raw_name.clone()))
        .await
        .expect("print raw");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get_bytes("name"), Some(raw_name.as_slice()));
    assert!(rows[0]
        .get("name")
        .expect("lossy text")
        .contains('\u{fffd}'));
}

#[tokio::test]
async fn command_timeout_cancels_and_the_client_recovers() {
    let sim = sim().await;
    let c = client(&sim).await;
    sim.set_latency(Duration::from_millis(400));
    let err = c
        .run(Command::new("/system/identity/print").timeout(Duration::from_millis(50)))
        .await
        .expect_err("slow");
    assert_eq!(err.kind(), &ErrorKind::Timeout);
    sim.set_latency(Duration::ZERO);
    assert_eq!(c.identity().await.expect("still usable"), "MikroTik");
}

#[tokio::test]
async fn count_only_and_ret_come_back_through_call() {
    let sim = sim_version(SimVersion::V7_17).await;
    let c = client(&sim).await;
    let resp = c
        .call(
            Command::new("/ppp/secret/add")
                .attr("name", "pppoe1")
                .attr("password", "x"),
        )
        .await
        .expect("add");
    assert_eq!(resp.ret().as_deref(), Some("*1"));
    let resp = c
        .call(Command::new("/ppp/secret/print").flag("count-only"))
        .await
        .expect("count");
    assert_eq!(resp.ret().as_deref(), Some("1"));
    assert!(resp.rows.is_empty());
}
