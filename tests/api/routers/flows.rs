//! Create → isolate → pay → restore, end to end through the router adapter.

use super::*;

#[tokio::test]
async fn subscription_gets_its_secret_is_isolated_when_overdue_and_restored_when_paid() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let router_id = register(&app, &sim, "admin", "").await;
    set_today(&app, d(2026, 11, 1));

    let (status, report) = app
        .call("POST", &format!("/api/routers/{router_id}/test"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["probe"]["can_write"], true);
    assert!(
        report["summary"]
            .as_str()
            .unwrap_or_default()
            .contains("can read and write"),
        "{report}"
    );

    let (customer, sub) = subscribe(&app, "rina", &router_id).await;
    settle(&app).await;
    let s = secret(&sim, "rina");
    assert_eq!(s["profile"], PROFILE);
    assert_eq!(s["service"], "pppoe");
    assert_eq!(s["password"], "pw-rina");
    let comment = format!(
        "PPPOE_SYSTEM|{}|{}|NULL|2026-11-01|{OWNER}",
        customer["id"].as_str().expect("id"),
        sub["id"].as_str().expect("id")
    );
    assert_eq!(s["comment"], comment);

    // Online, then overdue past the grace days: isolated and kicked off.
    sim.ppp_login("rina", "AA:BB:CC:00:00:01", "10.10.0.2")
        .expect("dial in");
    set_today(&app, d(2026, 11, 12));
    let (_, run) = app.call("POST", "/api/isolation/run", None).await;
    assert_eq!(run["isolated"].as_array().map(Vec::len), Some(1), "{run}");
    settle(&app).await;
    assert_eq!(secret(&sim, "rina")["profile"], "isolir");
    let iso = sim
        .find("/ppp/profile", "isolir")
        .expect("isolation profile created");
    assert_eq!(iso["rate-limit"], "256k/256k");
    assert_eq!(iso["address-list"], "isolir");
    assert!(
        sim.items("/ppp/active").is_empty(),
        "the session was kicked"
    );

    // Paid: the plan's profile is back and the session is kicked again.
    sim.ppp_login("rina", "AA:BB:CC:00:00:01", "10.10.0.2")
        .expect("dial in isolated");
    let (_, invoices) = app
        .call(
            "GET",
            &format!(
                "/api/invoices?subscription_id={}",
                sub["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    let invoice = &invoices["items"][0];
    let (status, paid) = app
        .call(
            "POST",
            "/api/payments",
            Some(
                json!({"invoice_id": invoice["id"], "amount": invoice["total"], "method": "cash"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    settle(&app).await;
    assert_eq!(secret(&sim, "rina")["profile"], PROFILE);
    assert!(
        sim.items("/ppp/active").is_empty(),
        "kicked to pick up the plan again"
    );

    // Every write is in the audit log, in order, with before and after.
    let (_, audit) = app
        .call("GET", "/api/routers/audit?target=rina", None)
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .rev()
        .map(|a| a["action"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(actions, ["create_secret", "isolate", "restore"], "{audit}");
    let isolate = &audit["items"][1];
    assert_eq!(isolate["before"]["profile"], PROFILE);
    assert_eq!(isolate["after"]["profile"], "isolir");
    assert_eq!(isolate["result"], "ok");
    assert!(
        !audit.to_string().contains("pw-rina"),
        "no password in the audit log"
    );

    // Terminated: the secret leaves the router.
    let (status, _) = app
        .call(
            "POST",
            &format!(
                "/api/subscriptions/{}/terminate",
                sub["id"].as_str().expect("id")
            ),
            Some(json!({"reason": "moved away"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    settle(&app).await;
    assert!(sim.find("/ppp/secret", "rina").is_none());
    app.shutdown().await;
}

#[tokio::test]
async fn manual_isolation_needs_a_reason_and_kick_ends_a_live_session() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let router_id = register(&app, &sim, "admin", "").await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = subscribe(&app, "budi", &router_id).await;
    settle(&app).await;
    let id = sub["id"].as_str().expect("id");

    let (status, err) = app
        .call(
            "POST",
            &format!("/api/pppoe/users/{id}/isolate"),
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["field"], "reason");

    let (status, user) = app
        .call(
            "POST",
            &format!("/api/pppoe/users/{id}/isolate"),
            Some(json!({"reason": "router stolen from the house"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["status"], "isolated");
    settle(&app).await;
    assert_eq!(secret(&sim, "budi")["profile"], "isolir");
    let (_, audit) = app
        .call("GET", "/api/routers/audit?target=budi", None)
        .await;
    assert_eq!(audit["items"][0]["reason"], "router stolen from the house");

    let (status, _) = app
        .call(
            "POST",
            &format!("/api/pppoe/users/{id}/restore"),
            Some(json!({"reason": "found"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    settle(&app).await;
    assert_eq!(secret(&sim, "budi")["profile"], PROFILE);

    // Live sessions and kick.
    sim.ppp_login("budi", "AA:BB:CC:00:00:02", "10.10.0.3")
        .expect("dial in");
    let (_, live) = app
        .call("GET", &format!("/api/routers/{router_id}/sessions"), None)
        .await;
    assert_eq!(live["items"][0]["name"], "budi", "{live}");
    let (_, kicked) = app
        .call(
            "POST",
            &format!("/api/routers/{router_id}/sessions/kick"),
            Some(json!({"login": "budi"})),
        )
        .await;
    assert_eq!(kicked["sessions_ended"], 1);
    assert!(sim.items("/ppp/active").is_empty());

    // Profiles sync keeps a local copy and shows which plans use them.
    let (status, profiles) = app.call("POST", "/api/pppoe/profiles/sync", None).await;
    assert_eq!(status, StatusCode::OK, "{profiles}");
    let items = profiles["items"].as_array().expect("items");
    let ten = items
        .iter()
        .find(|p| p["name"] == PROFILE)
        .expect("plan profile synced");
    assert_eq!(ten["plans"][0], "Paket 10M");
    let iso = items
        .iter()
        .find(|p| p["name"] == "isolir")
        .expect("isolir");
    assert_eq!(
        iso["marked"], true,
        "our isolation profile carries the marker"
    );

    // Removing the secret with its subscription.
    let (status, _) = app
        .call("DELETE", &format!("/api/pppoe/users/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    settle(&app).await;
    assert!(sim.find("/ppp/secret", "budi").is_none());
    app.shutdown().await;
}
