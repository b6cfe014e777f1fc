//! Alert rules: a built-in rule fires after its duration and clears, once; the owner's
//! rules are validated field by field; built-in rules cannot be deleted.

use std::time::Duration;

use billing_app::events::BillingEvent;
use billing_app::insight::monitoring::alerts;
use billing_tests::*;
use routeros_api::sim::SimConfig;
use serde_json::{json, Value};

use super::{run_job, set_owner_phone};
use crate::routers::{app_with_real_router, register, simulator};

async fn active(app: &TestApp) -> Vec<Value> {
    let (status, body) = app
        .call("GET", "/api/monitoring/alerts?state=active", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["items"].as_array().cloned().unwrap_or_default()
}

async fn owner_alert_messages(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as(
        "select to_phone, body from whatsapp_messages where idempotency_key like 'alert:%' \
         order by id",
    )
    .fetch_all(&app.pool().await)
    .await
    .expect("messages")
}

/// Switches off every built-in rule but `keep`, so the host (its disk, say) plays no part.
async fn only_builtin(app: &TestApp, keep: Option<&str>) {
    let (_, rules) = app.call("GET", "/api/monitoring/alerts/rules", None).await;
    for r in rules["items"].as_array().cloned().unwrap_or_default() {
        if r["builtin"].is_null() || r["builtin"].as_str() == keep {
            continue;
        }
        let mut off = r.clone();
        off["enabled"] = json!(false);
        let (status, body) = app
            .call(
                "PUT",
                &format!(
                    "/api/monitoring/alerts/rules/{}",
                    r["id"].as_str().unwrap_or_default()
                ),
                Some(off),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

fn alert_events(rx: &mut tokio::sync::broadcast::Receiver<BillingEvent>) -> Vec<BillingEvent> {
    let mut out = vec![];
    while let Ok(e) = rx.try_recv() {
        if matches!(
            e,
            BillingEvent::AlertRaised(_) | BillingEvent::AlertCleared(_)
        ) {
            out.push(e);
        }
    }
    out
}

#[tokio::test]
async fn router_offline_fires_after_five_minutes_once_and_clears_when_the_router_returns() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let id = register(&app, &sim, "admin", "").await;
    set_owner_phone(&app).await;
    only_builtin(&app, Some("router_offline")).await;
    let ctx = app.ctx();
    let mut rx = ctx.events.subscribe();

    run_job(&app, "router_status").await;
    let e = alerts::evaluate(&ctx).await.expect("evaluate");
    assert_eq!((e.raised, e.pending), (0, 0), "{e}");

    // The router stops answering: the condition holds, but not yet for 5 minutes.
    sim.reboot(Duration::from_secs(3600));
    run_job(&app, "router_status").await;
    let e = alerts::evaluate(&ctx).await.expect("evaluate");
    assert_eq!((e.raised, e.pending), (0, 1), "{e}");
    assert!(active(&app).await.is_empty());
    assert!(owner_alert_messages(&app).await.is_empty());

    app.clock.advance(chrono::Duration::minutes(4));
    let e = alerts::evaluate(&ctx).await.expect("evaluate");
    assert_eq!((e.raised, e.pending), (0, 1), "{e}");

    app.clock.advance(chrono::Duration::minutes(2));
    run_job(&app, "router_status").await;
    let e = alerts::evaluate(&ctx).await.expect("evaluate");
    assert_eq!(e.raised, 1, "{e}");
    let list = active(&app).await;
    assert_eq!(list.len(), 1, "{list:?}");
    let alert = &list[0];
    assert_eq!(alert["title"], "Router Kantor Pusat offline");
    assert_eq!(alert["severity"], "critical");
    assert_eq!(alert["subject"], id.as_str());
    assert!(alert["cleared_at"].is_null());
    assert!(
        alert["message"]
            .as_str()
            .is_some_and(|m| m.contains("tidak menjawab selama 6 menit")),
        "{alert}"
    );
    assert!(
        alert["message_en"]
            .as_str()
            .is_some_and(|m| m.contains("has not answered for 6 minute(s)")),
        "{alert}"
    );

    let events = alert_events(&mut rx);
    assert_eq!(events.len(), 1, "{events:?}");
    let BillingEvent::AlertRaised(raised) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(raised.title, "Router Kantor Pusat offline");
    assert_eq!(raised.severity, "critical");
    assert_eq!(
        raised.message,
        alert["message"].as_str().unwrap_or_default()
    );

    // Still down a minute later: no second alert, no second message.
    app.clock.advance(chrono::Duration::minutes(1));
    let e = alerts::evaluate(&ctx).await.expect("evaluate");
    assert_eq!(e.raised, 0, "{e}");
    assert!(alert_events(&mut rx).is_empty());
    let messages = owner_alert_messages(&app).await;
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert_eq!(messages[0].0, "628110000001");
    assert!(
        messages[0].1.contains("Router Kantor Pusat offline"),
        "{messages:?}"
    );

    // Back: cleared, in the history, and the event says so.
    sim.reboot(Duration::ZERO);
    run_job(&app, "router_status").await;
    let e = alerts::evaluate(&ctx).await.expect("evaluate");
    assert_eq!(e.cleared, 1, "{e}");
    assert!(active(&app).await.is_empty());
    let (_, past) = app
        .call("GET", "/api/monitoring/alerts?state=past", None)
        .await;
    let past = past["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(past.len(), 1, "{past:?}");
    assert_eq!(past[0]["id"], alert["id"]);
    assert!(past[0]["cleared_at"].is_string());
    let events = alert_events(&mut rx);
    assert!(
        matches!(events.as_slice(), [BillingEvent::AlertCleared(c)] if c.alert_id.to_string() == alert["id"].as_str().unwrap_or_default()),
        "{events:?}"
    );
    assert_eq!(owner_alert_messages(&app).await.len(), 1);

    // The health page tells the story: online since, recovered at.
    let (_, health) = app.call("GET", "/api/monitoring/health", None).await;
    let r = &health["routers"][0];
    assert!(r["recovered_at"].is_string(), "{r}");
    assert!(r["since"].is_string(), "{r}");
    app.shutdown().await;
}

fn rule(overrides: Value) -> Value {
    let mut base = json!({"name": "Antrean WhatsApp", "metric": "whatsapp_queue",
        "comparison": "gt", "threshold": 100, "duration_seconds": 600, "severity": "warning"});
    if let (Some(b), Some(o)) = (base.as_object_mut(), overrides.as_object()) {
        for (k, v) in o {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

#[tokio::test]
async fn rules_are_validated_field_by_field_and_built_in_ones_stay() {
    let app = spawn_app().await;
    for (bad, field) in [
        (json!({"metric": "cpu_temperature"}), "metric"),
        (json!({"comparison": ">>"}), "comparison"),
        (json!({"duration_seconds": -5}), "duration_seconds"),
        (json!({"duration_seconds": 700_000}), "duration_seconds"),
        (json!({"severity": "panic"}), "severity"),
        (json!({"name": "  "}), "name"),
    ] {
        let (status, body) = app
            .call(
                "POST",
                "/api/monitoring/alerts/rules",
                Some(rule(bad.clone())),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(body["error"]["field"], field, "{bad}: {body}");
    }

    let (status, created) = app
        .call(
            "POST",
            "/api/monitoring/alerts/rules",
            Some(rule(json!({}))),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(created["builtin"].is_null());
    let id = created["id"].as_str().expect("id").to_owned();
    let (status, updated) = app
        .call(
            "PUT",
            &format!("/api/monitoring/alerts/rules/{id}"),
            Some(rule(json!({"threshold": 50, "severity": "critical"}))),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["threshold"], 50.0);

    let (_, rules) = app.call("GET", "/api/monitoring/alerts/rules", None).await;
    let items = rules["items"].as_array().cloned().unwrap_or_default();
    let builtins: Vec<&str> = items.iter().filter_map(|r| r["builtin"].as_str()).collect();
    assert_eq!(
        builtins,
        [
            "backup_failed",
            "disk_low",
            "subscription_not_provisioned",
            "payment_failures",
            "payment_unapplied",
            "router_command_stuck",
            "router_offline",
            "job_failing",
            "shop_orders_undelivered",
            "whatsapp_session_down"
        ]
    );
    assert!(rules["metrics"]
        .as_array()
        .is_some_and(|m| m.iter().any(|x| x["name"] == "router_offline")));

    // A built-in rule: disabled yes, deleted or moved to another metric no.
    let offline = items
        .iter()
        .find(|r| r["builtin"] == "router_offline")
        .expect("built-in")
        .clone();
    let oid = offline["id"].as_str().expect("id");
    let (status, body) = app
        .call(
            "DELETE",
            &format!("/api/monitoring/alerts/rules/{oid}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let mut off = offline.clone();
    off["enabled"] = json!(false);
    let (status, body) = app
        .call(
            "PUT",
            &format!("/api/monitoring/alerts/rules/{oid}"),
            Some(off.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["enabled"], false);
    off["metric"] = json!("whatsapp_queue");
    let (status, body) = app
        .call(
            "PUT",
            &format!("/api/monitoring/alerts/rules/{oid}"),
            Some(off),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "metric");

    let (status, _) = app
        .call(
            "DELETE",
            &format!("/api/monitoring/alerts/rules/{id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .call("GET", &format!("/api/monitoring/alerts/rules/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .call("GET", "/api/monitoring/alerts?state=sometimes", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "state");
    app.shutdown().await;
}

#[tokio::test]
async fn an_owner_rule_with_no_duration_fires_at_once_and_a_disabled_rule_clears() {
    let app = spawn_app().await;
    set_owner_phone(&app).await;
    only_builtin(&app, None).await;
    // Something in the WhatsApp queue (no session is configured, so it stays there).
    let (status, body) = app
        .call(
            "POST",
            "/api/whatsapp/send",
            Some(json!({"to": "0812-1111-2222", "body": "Tes"})),
        )
        .await;
    assert!(status.is_success(), "{body}");
    let (status, created) = app
        .call(
            "POST",
            "/api/monitoring/alerts/rules",
            Some(rule(
                json!({"threshold": 0, "duration_seconds": 0, "severity": "info"}),
            )),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, summary) = app.call("POST", "/api/jobs/alerts/run", None).await;
    assert_eq!(summary["ok"], true, "{summary}");
    assert!(
        summary["summary"]
            .as_str()
            .is_some_and(|s| s.contains("1 raised")),
        "{summary}"
    );
    let list = active(&app).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["severity"], "info");
    assert_eq!(list[0]["metric"], "whatsapp_queue");

    // The home screen shows it to those who see monitoring, not to a cashier.
    let (status, home) = app.call("GET", "/api/dashboard/home", None).await;
    assert_eq!(status, StatusCode::OK, "{home}");
    assert_eq!(home["alerts_active"], 1, "{home}");
    assert_eq!(home["alerts"][0]["id"], list[0]["id"]);
    assert_eq!(home["alerts"][0]["severity"], "info");
    let (status, body) = app
        .call(
            "POST",
            "/api/admin/users",
            Some(json!({"username": "kasir", "password": "sandi-kasir-kuat-1", "role": "cashier"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, login) = app.login("kasir", "sandi-kasir-kuat-1").await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let (status, home) = app
        .get_auth(
            "/api/dashboard/home",
            login["access_token"].as_str().expect("token"),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{home}");
    assert_eq!(home["alerts_active"], 0, "{home}");
    assert_eq!(home["alerts"], json!([]));

    let mut off = created.clone();
    off["enabled"] = json!(false);
    let id = created["id"].as_str().expect("id");
    let (status, _) = app
        .call(
            "PUT",
            &format!("/api/monitoring/alerts/rules/{id}"),
            Some(off),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let e = alerts::evaluate(&app.ctx()).await.expect("evaluate");
    assert_eq!(e.cleared, 1, "{e}");
    assert!(active(&app).await.is_empty());
    app.shutdown().await;
}
