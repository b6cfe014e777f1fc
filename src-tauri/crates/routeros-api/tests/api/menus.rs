//! Typed helpers for the billing menus against the simulator's state.

use std::time::Duration;

use routeros_api::hotspot::{HotspotUserUpdate, NewHotspotProfile, NewHotspotUser};
use routeros_api::ppp::{NewPppSecret, PppSecretUpdate};
use routeros_api::sim::SimVersion;
use routeros_api::TrapKind;

use super::{client, sim, sim_version};

#[tokio::test]
async fn hotspot_vouchers_are_created_updated_limited_and_removed() {
    let sim = sim().await;
    let c = client(&sim).await;
    c.hotspot_profiles()
        .add(&NewHotspotProfile {
            name: "1day".into(),
            rate_limit: Some("512k/2M".into()),
            shared_users: Some(1),
            ..Default::default()
        })
        .await
        .expect("profile");
    let profiles = c.hotspot_profiles().list().await.expect("profiles");
    assert_eq!(
        profiles.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
        ["default", "1day"]
    );
    assert_eq!(profiles[1].rate_limit.as_deref(), Some("512k/2M"));

    let users = c.hotspot_users();
    let id = users
        .add(&NewHotspotUser {
            name: "v-1001".into(),
            password: "8812".into(),
            profile: Some("1day".into()),
            limit_uptime: Some(Duration::from_secs(3600)),
            comment: Some("batch 7".into()),
            ..Default::default()
        })
        .await
        .expect("add voucher");
    let u = users
        .get_by_name("v-1001")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!((u.id.clone(), u.profile.as_str()), (id.clone(), "1day"));
    assert_eq!(u.limit_uptime, Some(Duration::from_secs(3600)));
    assert_eq!(
        sim.find("/ip/hotspot/user", "v-1001").expect("stored")["limit-uptime"],
        "1h"
    );

    // A session: traffic and time accumulate, the uptime limit logs the user out.
    sim.hotspot_login("v-1001", "10.5.50.20", "AA:BB:CC:00:10:01")
        .expect("portal login");
    sim.hotspot_traffic("v-1001", 1_000, 50_000);
    sim.advance(Duration::from_secs(1800));
    let active = c.hotspot_active().list().await.expect("active");
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].uptime, Duration::from_secs(1800));
    assert_eq!(active[0].bytes_out, 50_000);
    assert_eq!(active[0].session_time_left, Some(Duration::from_secs(1800)));
    sim.advance(Duration::from_secs(1800));
    assert!(c.hotspot_active().list().await.expect("active").is_empty());
    let u = users
        .get_by_name("v-1001")
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(
        (u.uptime, u.bytes_in, u.bytes_out),
        (Duration::from_secs(3600), 1_000, 50_000)
    );

    users.reset_counters(&id).await.expect("reset");
    users
        .update(
            &id,
            &HotspotUserUpdate {
                comment: Some("sold".into()),
                ..Default::default()
            },
        )
        .await
        .expect("update");
    users.set_disabled(&id, true).await.expect("disable");
    let u = users
        .get_by_name("v-1001")
        .await
        .expect("get")
        .expect("exists");
    assert!(u.disabled);
    assert_eq!(
        (u.uptime, u.comment.as_deref()),
        (Duration::ZERO, Some("sold"))
    );
    users.remove(&id).await.expect("remove");
    assert!(users.get_by_name("v-1001").await.expect("get").is_none());
}

#[tokio::test]
async fn active_hotspot_session_is_logged_out_by_remove() {
    let sim = sim().await;
    sim.seed_hotspot_users("h", 2).expect("seed");
    sim.hotspot_login("h1", "10.5.50.3", "AA:BB:CC:00:00:03")
        .expect("login");
    let c = client(&sim).await;
    let active = c.hotspot_active().list().await.expect("list");
    assert_eq!(active[0].user, "h1");
    c.hotspot_active()
        .remove(&active[0].id)
        .await
        .expect("kick");
    assert!(sim.items("/ip/hotspot/active").is_empty());
}

#[tokio::test]
async fn ppp_secrets_sessions_and_isolation() {
    let sim = sim().await;
    let c = client(&sim).await;
    c.ppp_profiles()
        .add("10M", Some("10M/10M"))
        .await
        .expect("profile");
    let secrets = c.ppp_secrets();
    let id = secrets
        .add(&NewPppSecret {
            name: "cust-042".into(),
            password: "pw".into(),
            service: Some("pppoe".into()),
            profile: Some("10M".into()),
            remote_address: Some("10.10.0.42".into()),
            ..Default::default()
        })
        .await
        .expect("add");
    let dup = NewPppSecret {
        name: "cust-042".into(),
        ..Default::default()
    };
    let err = secrets.add(&dup).await.expect_err("duplicate");
    assert_eq!(
        err.trap().map(|t| t.message.as_str()),
        Some("failure: secret with the same name already exists")
    );
    let bad = NewPppSecret {
        name: "x".into(),
        remote_address: Some("nope".into()),
        ..Default::default()
    };
    assert_eq!(
        secrets.add(&bad).await.expect_err("bad ip").trap_kind(),
        Some(TrapKind::InvalidValue)
    );

    sim.ppp_login("cust-042", "AA:BB:CC:00:42:42", "10.10.0.42")
        .expect("dial in");
    sim.ppp_traffic("cust-042", 5_000, 70_000);
    let active = c.ppp_active().list().await.expect("active");
    assert_eq!(active.len(), 1);
    assert_eq!(active[0].service.as_deref(), Some("pppoe"));
    let ifaces = c.interfaces().await.expect("interfaces");
    let dynamic = ifaces
        .iter()
        .find(|i| i.name == "<pppoe-cust-042>")
        .expect("dynamic interface");
    assert_eq!((dynamic.rx_byte, dynamic.tx_byte), (5_000, 70_000));

    // Isolation: disable the secret and kick the session.
    secrets.set_disabled(&id, true).await.expect("disable");
    c.ppp_active().remove(&active[0].id).await.expect("kick");
    assert!(c.ppp_active().list().await.expect("active").is_empty());
    let s = secrets
        .get_by_name("cust-042")
        .await
        .expect("get")
        .expect("exists");
    assert!(s.disabled);
    assert_eq!(s.profile, "10M");
    assert!(s.last_logged_out_at.is_some(), "{:?}", s.last_logged_out);
    secrets
        .update(
            &id,
            &PppSecretUpdate {
                profile: Some("default".into()),
                ..Default::default()
            },
        )
        .await
        .expect("update");
    assert!(
        sim.ppp_login("cust-042", "x", "10.10.0.42").is_err(),
        "disabled secret cannot dial in"
    );
}

#[tokio::test]
async fn dates_parse_in_both_version_formats() {
    for (version, prefix) in [
        (SimVersion::V6_49, "jan/05/2026"),
        (SimVersion::V7_18, "2026-01-05"),
    ] {
        let sim = sim_version(version).await;
        let c = client(&sim).await;
        c.ppp_secrets()
            .add(&NewPppSecret {
                name: "d".into(),
                password: "p".into(),
                ..Default::default()
            })
            .await
            .expect("add");
        sim.ppp_login("d", "cid", "10.0.0.2").expect("login");
        sim.ppp_logout("d");
        let s = c
            .ppp_secrets()
            .get_by_name("d")
            .await
            .expect("get")
            .expect("exists");
        let raw = s.last_logged_out.clone().expect("raw date");
        assert!(raw.starts_with(prefix), "{version}: {raw}");
        assert_eq!(
            s.last_logged_out_at.map(|d| d.to_string()).as_deref(),
            Some("2026-01-05 08:00:00"),
            "{version}"
        );
    }
}

#[tokio::test]
async fn system_resource_and_identity() {
    let sim = sim().await;
    let c = client(&sim).await;
    let r = c.system_resource().await.expect("resource");
    assert_eq!(r.version_numbers(), Some((7, 18)));
    assert!(r.total_memory > r.free_memory && r.free_memory > 0);
    c.set_identity("Warnet-Sukamaju")
        .await
        .expect("set identity");
    assert_eq!(c.identity().await.expect("identity"), "Warnet-Sukamaju");
    assert_eq!(sim.identity(), "Warnet-Sukamaju");
}
