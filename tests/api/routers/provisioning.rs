//! Whether a subscription is on its router as the database says, visible and alerted:
//! a plan's profile missing on the router, monthly hotspot subscriptions, commands stuck
//! while a router is away, and scheduled jobs failing in a row — each raised in plain words
//! and cleared once fixed.

use super::*;

/// Runs the alert evaluation and returns the active alerts.
async fn active_alerts(app: &TestApp) -> Vec<Value> {
    let (status, run) = app.call("POST", "/api/jobs/alerts/run", None).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert_eq!(run["ok"], true, "{run}");
    let (status, list) = app
        .call("GET", "/api/monitoring/alerts?state=active", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["items"].as_array().cloned().unwrap_or_default()
}

fn alert_of<'a>(alerts: &'a [Value], metric: &str) -> Option<&'a Value> {
    alerts.iter().find(|a| a["metric"] == metric)
}

async fn subscription(app: &TestApp, id: &Value) -> Value {
    let (status, sub) = app
        .call(
            "GET",
            &format!("/api/subscriptions/{}", id.as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sub}");
    sub
}

async fn plan(app: &TestApp, name: &str, kind: &str, profile: &str) -> Value {
    let (status, plan) = app
        .call(
            "POST",
            "/api/plans",
            Some(json!({"name": name, "price": 100_000, "kind": kind,
                        "router_profile": profile, "speed_label": "15 Mbps"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    plan
}

async fn subscribe_on(app: &TestApp, plan: &Value, login: &str, router_id: &str) -> Value {
    let (status, customer) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": format!("Pelanggan {login}"), "phone": "0812-3456-7890"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let (status, sub) = app
        .call(
            "POST",
            "/api/subscriptions",
            Some(
                json!({"customer_id": customer["id"], "plan_id": plan["id"], "login": login,
                        "password": format!("pw-{login}"), "start_on": "2026-11-01",
                        "billing_day": 1, "due_days": 7, "grace_days": 3,
                        "router_id": router_id}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
    sub
}

/// Defect: a plan whose router profile does not exist on the router (typed by hand) gave a
/// subscription shown as active whose PPPoE secret was never created, with only an English
/// error in the router command queue.
#[tokio::test]
async fn a_plan_profile_missing_on_the_router_shows_the_subscription_failed_and_alerts_until_fixed()
{
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let router_id = register(&app, &sim, "admin", "").await;
    set_today(&app, d(2026, 11, 1));
    let typo = plan(&app, "Paket 15M", "pppoe", "pppoe-15M").await;
    let sub = subscribe_on(&app, &typo, "dewi", &router_id).await;
    settle(&app).await;

    assert!(
        sim.find("/ppp/secret", "dewi").is_none(),
        "never on the router"
    );
    let shown = subscription(&app, &sub["id"]).await;
    assert_eq!(shown["status"], "active");
    let prov = &shown["provisioning"];
    assert_eq!(prov["state"], "failed", "{shown}");
    assert_eq!(prov["failure"]["code"], "router_profile_missing", "{prov}");
    assert_eq!(prov["failure"]["category"], "high", "{prov}");
    let what = prov["failure"]["what"]["id"].as_str().unwrap_or_default();
    assert!(what.contains("Profil paket tidak ada di router"), "{what}");
    assert!(what.contains("Kantor Pusat"), "names the router: {what}");
    let todo = prov["failure"]["todo"]["id"].as_str().unwrap_or_default();
    assert!(todo.contains("Coba lagi"), "{todo}");

    // The list filter, the home screen and an alert all say so.
    let (_, failed) = app
        .call("GET", "/api/subscriptions?provisioning=failed", None)
        .await;
    assert_eq!(failed["total"], 1, "{failed}");
    assert_eq!(failed["items"][0]["login"], "dewi");
    let (_, home) = app.call("GET", "/api/dashboard/home", None).await;
    assert_eq!(home["subscriptions_unprovisioned"], 1, "{home}");
    let alerts = active_alerts(&app).await;
    let alert = alert_of(&alerts, "subscriptions_not_provisioned").expect("alerted");
    assert_eq!(alert["severity"], "critical");
    let title = alert["title"].as_str().unwrap_or_default();
    assert!(title.contains("belum terpasang di router"), "{title}");
    assert!(
        alert["message"]
            .as_str()
            .unwrap_or_default()
            .contains("dewi"),
        "{alert}"
    );
    assert!(
        alert["title_en"]
            .as_str()
            .unwrap_or_default()
            .contains("not on their router"),
        "{alert}"
    );

    // The owner creates the profile on the router and presses "Coba lagi".
    sim.add_item("/ppp/profile", &[("name", "pppoe-15M")])
        .expect("profile");
    let (status, retried) = app
        .call(
            "POST",
            &format!(
                "/api/subscriptions/{}/retry-provisioning",
                sub["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{retried}");
    assert_eq!(
        retried["subscription"]["provisioning"]["state"], "provisioned",
        "{retried}"
    );
    assert_eq!(secret(&sim, "dewi")["profile"], "pppoe-15M");
    let alerts = active_alerts(&app).await;
    assert!(
        alert_of(&alerts, "subscriptions_not_provisioned").is_none(),
        "{alerts:?}"
    );
    let (_, home) = app.call("GET", "/api/dashboard/home", None).await;
    assert_eq!(home["subscriptions_unprovisioned"], 0, "{home}");
}

/// Defect: monthly hotspot subscriptions were never set up on the router, and their
/// isolation command retried in the outbox forever.
#[tokio::test]
async fn a_monthly_hotspot_subscription_is_put_on_the_router_and_isolated_by_disabling_it() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    sim.add_item("/ip/hotspot/user/profile", &[("name", "hs-bulanan")])
        .expect("hotspot profile");
    let router_id = register(&app, &sim, "admin", "").await;
    set_today(&app, d(2026, 11, 1));
    let monthly = plan(&app, "Hotspot Bulanan", "hotspot", "hs-bulanan").await;
    let sub = subscribe_on(&app, &monthly, "warung-bu-ani", &router_id).await;
    settle(&app).await;

    let user = sim
        .find("/ip/hotspot/user", "warung-bu-ani")
        .expect("the hotspot user is on the router");
    assert_eq!(user["profile"], "hs-bulanan");
    assert_eq!(user["password"], "pw-warung-bu-ani");
    assert_ne!(user.get("disabled").map(String::as_str), Some("true"));
    assert!(user["comment"].starts_with("PPPOE_SYSTEM|"), "{user:?}");
    assert_eq!(
        subscription(&app, &sub["id"]).await["provisioning"]["state"],
        "provisioned"
    );

    // Overdue past the grace days: isolated, i.e. disabled and its session ended.
    sim.hotspot_login("warung-bu-ani", "10.5.50.9", "AA:BB:CC:00:11:22")
        .expect("online");
    set_today(&app, d(2026, 11, 12));
    let (_, run) = app.call("POST", "/api/isolation/run", None).await;
    assert_eq!(run["isolated"].as_array().map(Vec::len), Some(1), "{run}");
    settle(&app).await;
    let user = sim.find("/ip/hotspot/user", "warung-bu-ani").expect("user");
    assert_eq!(user["disabled"], "true", "{user:?}");
    assert_eq!(user["profile"], "hs-bulanan", "keeps its plan");
    assert!(sim.items("/ip/hotspot/active").is_empty(), "kicked off");
    assert!(pending(&app).await.is_empty(), "nothing left retrying");

    // Paid: enabled again.
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
    let user = sim.find("/ip/hotspot/user", "warung-bu-ani").expect("user");
    assert_eq!(user["disabled"], "false", "{user:?}");
    assert_eq!(
        subscription(&app, &sub["id"]).await["provisioning"]["state"],
        "provisioned"
    );
}

/// A router away for a long time: its commands count as stuck after their retries and
/// the owner is told; when it is back they are delivered and the alert clears. Meanwhile the
/// router jobs fail in a row with a categorised error in words, which raises its own alert.
#[tokio::test]
async fn stuck_router_commands_and_a_job_failing_twice_raise_alerts_in_words_and_clear() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let router_id = register(&app, &sim, "admin", "").await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = subscribe(&app, "sari", &router_id).await;
    settle(&app).await;

    sim.shutdown();
    set_today(&app, d(2026, 11, 12));
    let (_, run) = app.call("POST", "/api/isolation/run", None).await;
    assert_eq!(run["isolated"].as_array().map(Vec::len), Some(1), "{run}");
    for _ in 0..billing_app::network::outbox::STUCK_AFTER_ATTEMPTS {
        billing_app::network::outbox::deliver(&app.ctx())
            .await
            .expect("deliver");
        app.clock.advance(chrono::Duration::hours(2));
    }
    let shown = subscription(&app, &sub["id"]).await;
    assert_eq!(shown["provisioning"]["state"], "failed", "{shown}");
    assert_eq!(
        shown["provisioning"]["failure"]["code"],
        "router_unreachable"
    );
    // Two runs of the reconciliation fail: the router cannot be reached.
    for _ in 0..2 {
        let (_, run) = app.call("POST", "/api/jobs/reconcile/run", None).await;
        assert_eq!(run["ok"], false, "{run}");
        assert_eq!(run["error_code"], "router_unreachable", "{run}");
        assert_eq!(run["error_category"], "critical", "{run}");
        let what = run["failure"]["what"]["id"].as_str().unwrap_or_default();
        assert!(what.contains("Router tidak dapat dihubungi"), "{run}");
        assert!(what.contains("rekonsiliasi router"), "{run}");
        assert!(run["failure"]["todo"]["en"].as_str().is_some(), "{run}");
    }
    let alerts = active_alerts(&app).await;
    let stuck = alert_of(&alerts, "router_commands_stuck").expect("stuck alerted");
    assert!(
        stuck["title"]
            .as_str()
            .unwrap_or_default()
            .contains("tidak terkirim"),
        "{stuck}"
    );
    assert_eq!(stuck["subject"], router_id.as_str());
    let failing = alert_of(&alerts, "job_failures_in_a_row").expect("job alerted");
    assert_eq!(failing["subject"], "reconcile");
    assert!(
        failing["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Router tidak dapat dihubungi"),
        "{failing}"
    );

    // The router is back (on a new address): delivered, reconciled, both alerts clear.
    let back = simulator(SimConfig::default()).await;
    let (status, patched) = app
        .call(
            "PATCH",
            &format!("/api/routers/{router_id}"),
            Some(json!({"port": back.addr().port()})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    let (status, retried) = app
        .call(
            "POST",
            &format!(
                "/api/subscriptions/{}/retry-provisioning",
                sub["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{retried}");
    settle(&app).await;
    assert!(back.find("/ppp/secret", "sari").is_some());
    let (_, run) = app.call("POST", "/api/jobs/reconcile/run", None).await;
    assert_eq!(run["ok"], true, "{run}");
    let alerts = active_alerts(&app).await;
    assert!(
        alert_of(&alerts, "router_commands_stuck").is_none(),
        "{alerts:?}"
    );
    assert!(
        alert_of(&alerts, "job_failures_in_a_row").is_none(),
        "{alerts:?}"
    );
}

/// Defect: a command not yet tried (no error code) was counted neither as pending nor as failed
/// (`null = any(…)`), so the home screen and the list filter missed it.
#[tokio::test]
async fn a_command_not_yet_tried_counts_as_pending_on_the_home_screen_and_in_the_list() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let router_id = register(&app, &sim, "admin", "").await;
    set_today(&app, d(2026, 11, 1));
    let paket = plan(&app, "Paket 10M", "pppoe", PROFILE).await;
    let sub = subscribe_on(&app, &paket, "rina", &router_id).await;
    settle(&app).await;
    let (_, home) = app.call("GET", "/api/dashboard/home", None).await;
    assert_eq!(home["subscriptions_pending"], 0, "{home}");
    assert_eq!(home["subscriptions_unprovisioned"], 0, "{home}");

    // A change queued for later (not tried yet: no attempts, no error code).
    let pool = app.pool().await;
    sqlx::query(
        "insert into router_commands (subscription_id, action, next_attempt_at) \
         values ($1, 'update_secret', now() + interval '1 day')",
    )
    .bind(uuid::Uuid::parse_str(sub["id"].as_str().expect("id")).expect("uuid"))
    .execute(&pool)
    .await
    .expect("queue");
    let (_, home) = app.call("GET", "/api/dashboard/home", None).await;
    assert_eq!(home["subscriptions_pending"], 1, "{home}");
    assert_eq!(home["subscriptions_unprovisioned"], 0, "{home}");
    let (_, pending) = app
        .call("GET", "/api/subscriptions?provisioning=pending", None)
        .await;
    assert_eq!(pending["total"], 1, "{pending}");
    assert_eq!(pending["items"][0]["login"], "rina", "{pending}");
    let (_, failed) = app
        .call("GET", "/api/subscriptions?provisioning=failed", None)
        .await;
    assert_eq!(failed["total"], 0, "{failed}");
    app.shutdown().await;
}
