//! A router outage queues the writes; when it is back they are applied once, in order.

use super::*;

#[tokio::test]
async fn router_down_during_isolation_queues_and_applies_once_in_order_when_back() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let router_id = register(&app, &sim, "admin", "").await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = subscribe(&app, "sari", &router_id).await;
    settle(&app).await;

    // The router goes down (reboot with a long downtime: every connection is refused).
    sim.reboot(Duration::from_secs(3600));
    set_today(&app, d(2026, 11, 12));
    let (_, run) = app.call("POST", "/api/isolation/run", None).await;
    assert_eq!(run["isolated"].as_array().map(Vec::len), Some(1), "{run}");
    billing_app::network::outbox::deliver(&app.ctx())
        .await
        .expect("deliver");
    let queued = pending(&app).await;
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert_eq!(queued[0]["action"], "isolate");
    let error = queued[0]["last_error"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(error.contains("unreachable"), "{error}");

    // The customer pays while the router is still down: restore waits behind isolate.
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
    let (status, _) = app
        .call(
            "POST",
            "/api/payments",
            Some(
                json!({"invoice_id": invoice["id"], "amount": invoice["total"], "method": "cash"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    billing_app::network::outbox::deliver(&app.ctx())
        .await
        .expect("deliver");
    let queued = pending(&app).await;
    let actions: Vec<&str> = queued
        .iter()
        .rev()
        .map(|c| c["action"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(actions, ["isolate", "restore"]);
    let (_, routers) = app.call("GET", "/api/routers", None).await;
    assert_eq!(routers["items"][0]["pending_commands"], 2);

    // Back: after the backoff, both are applied once, isolate before restore.
    sim.reboot(Duration::ZERO);
    app.clock.advance(chrono::Duration::minutes(10));
    settle(&app).await;
    assert!(pending(&app).await.is_empty());
    assert_eq!(secret(&sim, "sari")["profile"], PROFILE);
    let (_, audit) = app
        .call("GET", "/api/routers/audit?target=sari", None)
        .await;
    let ok: Vec<&str> = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .rev()
        .filter(|a| a["result"] == "ok")
        .map(|a| a["action"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ok, ["create_secret", "isolate", "restore"], "{audit}");
    let failed = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|a| a["result"] == "failed")
        .count();
    assert!(failed >= 1, "failed attempts are audited too");

    // Nothing is applied twice: another delivery finds nothing to do.
    let again = billing_app::network::outbox::deliver(&app.ctx())
        .await
        .expect("deliver");
    assert_eq!(again, 0);
    app.shutdown().await;
}
