//! The setup checklist on the home screen: each item goes from not done to done as the owner
//! does it, through the same screens (business details, public address and its check, a way
//! to pay, a WhatsApp session, a router that answers, a backup).

use std::net::{IpAddr, SocketAddr};

use billing_tests::*;
use billing_whatsapp::ProviderKind;
use routeros_api::sim::SimConfig;
use serde_json::{json, Value};

use crate::routers::{app_with_real_router, register, simulator};
use crate::whatsapp::add_session;

async fn checklist(app: &TestApp) -> Value {
    let (status, body) = app.call("GET", "/api/setup/checklist", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// The item `key`: (done, state).
async fn item(app: &TestApp, key: &str) -> (bool, String, Value) {
    let body = checklist(app).await;
    let item = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["key"] == key)
        .unwrap_or_else(|| panic!("no item {key}: {body}"))
        .clone();
    assert!(
        item["link"].as_str().is_some_and(|l| l.starts_with('/')),
        "{item}"
    );
    (
        item["done"].as_bool().expect("done"),
        item["state"].as_str().expect("state").to_owned(),
        item,
    )
}

/// This machine's address on its network (not loopback), as a tunnel's would be.
fn outward_address() -> IpAddr {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").expect("udp");
    // No packet is sent: connecting a UDP socket only picks the route and source address.
    socket
        .connect("203.0.113.1:9")
        .expect("a route off this machine");
    let ip = socket.local_addr().expect("local address").ip();
    assert!(
        !ip.is_loopback(),
        "this machine has no address but loopback"
    );
    ip
}

/// A stand-in for a tunnel: forwards connections on a non-loopback address to `target`.
async fn tunnel(target: SocketAddr) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind((outward_address(), 0))
        .await
        .expect("tunnel listener");
    let addr = listener.local_addr().expect("tunnel address");
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            tokio::spawn(async move {
                if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                }
            });
        }
    });
    addr
}

#[tokio::test]
async fn every_checklist_item_is_done_once_the_owner_has_done_it() {
    let app = app_with_real_router().await;
    let body = checklist(&app).await;
    let keys: Vec<&str> = body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["key"].as_str().expect("key"))
        .collect();
    assert_eq!(
        keys,
        [
            "business_profile",
            "public_address",
            "payment_method",
            "whatsapp",
            "router",
            "backup"
        ]
    );
    assert_eq!(
        (body["done"].as_u64(), body["complete"].as_bool()),
        (Some(0), Some(false)),
        "{body}"
    );

    // Business details: name, phone and address are not enough without a bank account.
    let (_, mut profile) = app.call("GET", "/api/settings/business", None).await;
    profile["name"] = json!("RT/RW Net Sejahtera");
    profile["phone"] = json!("081234567890");
    profile["address"] = json!("Jl. Merdeka 1, Bandung");
    let (status, saved) = app
        .call("PUT", "/api/settings/business", Some(profile.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (done, state, item_body) = item(&app, "business_profile").await;
    assert_eq!((done, state.as_str()), (false, "missing"), "{item_body}");
    assert_eq!(item_body["params"]["missing"], "bank_accounts");
    let (done, state, _) = item(&app, "payment_method").await;
    assert_eq!((done, state.as_str()), (false, "none"));
    profile["bank_accounts"] =
        json!([{"bank": "BCA", "number": "1234567890", "holder": "Sejahtera"}]);
    let (status, saved) = app
        .call("PUT", "/api/settings/business", Some(profile))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (done, state, _) = item(&app, "business_profile").await;
    assert_eq!((done, state.as_str()), (true, "complete"));
    // With the shop's bank account, customers can pay by transfer.
    let (done, state, _) = item(&app, "payment_method").await;
    assert_eq!((done, state.as_str()), (true, "bank_transfer"));

    // Public address: the listener's own loopback address reaches the app from here, but
    // not from a customer's phone, so it does not count even after a successful-looking check.
    let (done, state, _) = item(&app, "public_address").await;
    assert_eq!((done, state.as_str()), (false, "not_set"));
    let public: SocketAddr = app
        .public
        .trim_start_matches("http://")
        .parse()
        .expect("public address");
    let loopback = format!("http://127.0.0.1:{}", public.port());
    let (status, body) = app
        .call(
            "PUT",
            "/api/settings/public-url",
            Some(json!({"public_base_url": loopback})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, check) = app
        .call("POST", "/api/settings/public-url/check", None)
        .await;
    assert_eq!(
        (check["ok"].as_bool(), check["code"].as_str()),
        (Some(false), Some("loopback")),
        "{check}"
    );
    let (done, state, _) = item(&app, "public_address").await;
    assert_eq!((done, state.as_str()), (false, "loopback"));

    // A tunnel's address: not done until checked, done once the check reached this app.
    let tunnel = tunnel(public).await;
    let url = format!("http://{tunnel}");
    let (status, body) = app
        .call(
            "PUT",
            "/api/settings/public-url",
            Some(json!({"public_base_url": url})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (done, state, _) = item(&app, "public_address").await;
    assert_eq!((done, state.as_str()), (false, "unchecked"));
    let (_, check) = app
        .call("POST", "/api/settings/public-url/check", None)
        .await;
    assert_eq!(
        (check["ok"].as_bool(), check["code"].as_str()),
        (Some(true), Some("reachable")),
        "{check}"
    );
    let (done, state, item_body) = item(&app, "public_address").await;
    assert_eq!((done, state.as_str()), (true, "reachable"), "{item_body}");
    assert_eq!(item_body["params"]["url"], url.as_str());
    // Another address is a new question.
    let (status, _) = app
        .call(
            "PUT",
            "/api/settings/public-url",
            Some(json!({"public_base_url": "https://bayar.contoh.invalid"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (done, state, _) = item(&app, "public_address").await;
    assert_eq!((done, state.as_str()), (false, "unchecked"));
    let (status, _) = app
        .call(
            "PUT",
            "/api/settings/public-url",
            Some(json!({"public_base_url": url})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, check) = app
        .call("POST", "/api/settings/public-url/check", None)
        .await;
    assert_eq!(check["ok"], true, "{check}");

    // WhatsApp: a session that has not answered yet is not connected; the health check
    // connects it.
    let (done, state, _) = item(&app, "whatsapp").await;
    assert_eq!((done, state.as_str()), (false, "none"));
    let (_fake, _) = add_session(&app, "Utama", ProviderKind::Fonnte, "primary").await;
    let (done, state, _) = item(&app, "whatsapp").await;
    assert_eq!((done, state.as_str()), (false, "not_connected"));
    let (status, run) = app
        .call("POST", "/api/jobs/whatsapp_health/run", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{run}");
    let (done, state, _) = item(&app, "whatsapp").await;
    assert_eq!((done, state.as_str()), (true, "connected"));

    // Router: added is not enough; it must have answered.
    let (done, state, _) = item(&app, "router").await;
    assert_eq!((done, state.as_str()), (false, "none"));
    let sim = simulator(SimConfig::default()).await;
    let router_id = register(&app, &sim, "admin", "").await;
    let (done, state, _) = item(&app, "router").await;
    assert_eq!((done, state.as_str()), (false, "unreachable"));
    let (status, report) = app
        .call("POST", &format!("/api/routers/{router_id}/test"), None)
        .await;
    assert_eq!(
        (status, report["ok"].as_bool()),
        (StatusCode::OK, Some(true)),
        "{report}"
    );
    let (done, state, _) = item(&app, "router").await;
    assert_eq!((done, state.as_str()), (true, "reachable"));

    // Backup: one made and verified.
    let (done, state, _) = item(&app, "backup").await;
    assert_eq!((done, state.as_str()), (false, "none"));
    let (status, backup) = app.call("POST", "/api/backups/create", None).await;
    assert!(status.is_success(), "{status} {backup}");
    let (done, state, _) = item(&app, "backup").await;
    assert_eq!((done, state.as_str()), (true, "made"));

    let body = checklist(&app).await;
    assert_eq!(
        (body["done"].as_u64(), body["complete"].as_bool()),
        (Some(6), Some(true)),
        "{body}"
    );
}
