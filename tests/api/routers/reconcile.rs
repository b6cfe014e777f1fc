//! Reconciliation finds each kind of drift and repairs it.

use routeros_api::Command;

use super::*;

#[tokio::test]
async fn reconciliation_finds_and_repairs_each_kind_of_drift() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let router_id = register(&app, &sim, "admin", "").await;
    set_today(&app, d(2026, 11, 1));
    for login in ["ani", "bayu", "citra", "dodi", "eka"] {
        subscribe(&app, login, &router_id).await;
    }
    settle(&app).await;
    let (_, clean) = app
        .call("GET", &format!("/api/reconcile/{router_id}"), None)
        .await;
    assert_eq!(clean["drifts"], json!([]), "{clean}");
    assert_eq!(clean["passwords_compared"], true);

    // Someone changes the router by hand.
    let c = routeros_api::Client::connect(sim.connect_options())
        .await
        .expect("login");
    let id = |login: &str| secret(&sim, login)[".id"].clone();
    c.call(Command::new("/ppp/secret/remove").id(id("ani")))
        .await
        .expect("remove");
    c.call(
        Command::new("/ppp/secret/set")
            .id(id("bayu"))
            .attr("profile", "default"),
    )
    .await
    .expect("profile");
    c.call(Command::new("/ppp/secret/disable").id(id("citra")))
        .await
        .expect("disable");
    c.call(
        Command::new("/ppp/secret/set")
            .id(id("dodi"))
            .attr("password", "ganti"),
    )
    .await
    .expect("password");
    let orphan = format!(
        "PPPOE_SYSTEM|NULL|{}|NULL|2026-01-01|system",
        uuid::Uuid::new_v4()
    );
    for (name, comment) in [("hantu", orphan.as_str()), ("tamu-manual", "made by hand")] {
        c.call(
            Command::new("/ppp/secret/add")
                .attr("name", name)
                .attr("password", "x")
                .attr("comment", comment),
        )
        .await
        .expect("add");
    }
    c.disconnect().await;

    let (status, report) = app
        .call("GET", &format!("/api/reconcile/{router_id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let mut found: Vec<(String, String)> = report["drifts"]
        .as_array()
        .expect("drifts")
        .iter()
        .map(|d| {
            (
                d["kind"].as_str().unwrap_or("").to_owned(),
                d["login"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    found.sort();
    let expected: Vec<(String, String)> = [
        ("disabled", "citra"),
        ("extra", "hantu"),
        ("missing", "ani"),
        ("password", "dodi"),
        ("profile", "bayu"),
    ]
    .iter()
    .map(|(k, l)| ((*k).to_owned(), (*l).to_owned()))
    .collect();
    assert_eq!(found, expected, "{report}");
    assert!(
        !report.to_string().contains("ganti"),
        "passwords are never shown"
    );

    let (status, repaired) = app
        .call("POST", &format!("/api/reconcile/{router_id}/repair"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{repaired}");
    assert_eq!(repaired["queued"], 5);
    settle(&app).await;
    let (_, after) = app
        .call("GET", &format!("/api/reconcile/{router_id}"), None)
        .await;
    assert_eq!(after["drifts"], json!([]), "{after}");
    assert_eq!(secret(&sim, "ani")["profile"], PROFILE);
    assert_eq!(secret(&sim, "citra")["disabled"], "false");
    assert_eq!(secret(&sim, "dodi")["password"], "pw-dodi");
    assert!(
        sim.find("/ppp/secret", "hantu").is_none(),
        "the orphan with our marker is gone"
    );
    assert!(
        sim.find("/ppp/secret", "tamu-manual").is_some(),
        "hand-made secrets stay"
    );
    let (_, audit) = app
        .call(
            "GET",
            &format!("/api/routers/audit?router_id={router_id}&limit=5"),
            None,
        )
        .await;
    assert!(audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|a| a["actor"] == OWNER && a["result"] == "ok"));
    app.shutdown().await;
}
