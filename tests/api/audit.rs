//! The activity log everywhere money or the router changes (#21.4): invoice lines, pay links,
//! allocations, carry-overs, payment proofs, vouchers, imports, backups and their settings,
//! monitoring settings and alert rules; and not a line for what changes by itself every minute.

use billing_tests::*;
use serde_json::{json, Value};

use crate::billing::{d, open_invoices, pay, set_today};
use crate::payments::{count, invoice_with_link};

/// The activity lines of `action` (e.g. `pay_links.insert`), oldest first: (actor, entity id,
/// before, after).
async fn lines(app: &TestApp, action: &str) -> Vec<(String, Option<String>, Value, Value)> {
    sqlx::query_as(
        "select actor_name, entity_id, coalesce(before, 'null'), coalesce(after, 'null') \
         from audit_log where action = $1 order by id",
    )
    .bind(action)
    .fetch_all(&app.pool().await)
    .await
    .expect("audit lines")
}

#[tokio::test]
async fn invoice_lines_pay_links_allocations_carry_overs_and_proofs_are_in_the_activity_log() {
    let app = spawn_app().await;
    let (invoice, url) = invoice_with_link(&app, "audit-uang").await;
    let invoice_id = invoice["id"].as_str().expect("id").to_owned();

    let issued = lines(&app, "invoice_lines.insert").await;
    assert_eq!(issued.len(), 1, "{issued:?}");
    assert_eq!(issued[0].3["invoice_id"], invoice_id.as_str());
    assert_eq!(issued[0].3["amount"], 150_000);
    assert!(issued[0].3.get("updated_at").is_none(), "{issued:?}");

    // The pay link: who made it, for which invoice; its token never.
    let links = lines(&app, "pay_links.insert").await;
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].0, OWNER, "made by the signed-in owner");
    assert_eq!(links[0].3["invoice_id"], invoice_id.as_str());
    assert_eq!(links[0].3["token_hash"], "[redacted]");

    // A part payment: the allocation, by the cashier who recorded it.
    let (status, body) = pay(&app, &invoice["id"], 50_000).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let allocated = lines(&app, "allocations.insert").await;
    assert_eq!(allocated.len(), 1, "{allocated:?}");
    assert_eq!(allocated[0].0, OWNER);
    assert_eq!(allocated[0].3["invoice_id"], invoice_id.as_str());
    assert_eq!(allocated[0].3["amount"], 50_000);

    // A transfer proof from the pay page: the customer's upload, its image left out.
    let (status, body) = crate::payments::manual::upload(&app, &url, "100000", big_png()).await;
    assert!(status.is_success(), "{status} {body}");
    let proofs = lines(&app, "payment_proofs.insert").await;
    assert_eq!(proofs.len(), 1, "{proofs:?}");
    assert_eq!(proofs[0].3["image"], "[omitted]", "{:?}", proofs[0].3);
    assert_eq!(proofs[0].3["payer_name"], "Budi Santoso");
    assert!(proofs[0].1.is_some(), "the proof is found by its payment");

    // December's run carries the rest over: the carry-over and the new invoice's two lines.
    set_today(&app, d(2026, 12, 1));
    let (status, run) = app
        .call("POST", "/api/billing/run", Some(json!({"dry_run": false})))
        .await;
    assert!(status.is_success(), "{run}");
    let carried = lines(&app, "carry_overs.insert").await;
    assert_eq!(carried.len(), 1, "{carried:?}");
    assert_eq!(carried[0].3["source_invoice_id"], invoice_id.as_str());
    assert_eq!(carried[0].3["amount"], 100_000);
    let kinds: Vec<String> = lines(&app, "invoice_lines.insert")
        .await
        .iter()
        .map(|l| l.3["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");
    assert!(kinds.contains(&"arrears".to_owned()), "{kinds:?}");
    let sub = invoice["subscription_id"].clone();
    assert_eq!(open_invoices(&app, &sub).await.len(), 2);
    app.shutdown().await;
}

/// A PNG over the log's 2,000-byte limit for one value.
fn big_png() -> Vec<u8> {
    let mut bytes = crate::payments::manual::png();
    bytes.extend_from_slice(&[7u8; 4_000]);
    bytes
}

#[tokio::test]
async fn settings_alert_rules_and_backups_are_in_the_activity_log() {
    let app = spawn_app().await;

    // Monitoring settings: the one row, only what changed (it has no text column at all).
    let (_, mut settings) = app.call("GET", "/api/monitoring/settings", None).await;
    settings["keep_notifications_days"] = json!(14);
    let (status, body) = app
        .call("PUT", "/api/monitoring/settings", Some(settings))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let changed = lines(&app, "monitoring_settings.update").await;
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].2, json!({"keep_notifications_days": 30}));
    assert_eq!(changed[0].3, json!({"keep_notifications_days": 14}));
    assert_eq!(changed[0].0, OWNER);

    // An alert rule switched off.
    let (_, rules) = app.call("GET", "/api/monitoring/alerts/rules", None).await;
    let rule = rules["items"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["builtin"] == "disk_low"))
        .cloned()
        .unwrap_or_else(|| panic!("{rules}"));
    let mut off = rule.clone();
    off["enabled"] = json!(false);
    let (status, body) = app
        .call(
            "PUT",
            &format!(
                "/api/monitoring/alerts/rules/{}",
                rule["id"].as_str().expect("id")
            ),
            Some(off),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let switched = lines(&app, "alert_rules.update").await;
    assert_eq!(switched.len(), 1, "{switched:?}");
    assert_eq!(switched[0].3, json!({"enabled": false}));

    // Backup settings, then a backup: both in the log.
    let (status, body) = app
        .call(
            "PUT",
            "/api/backups/settings",
            Some(json!({"folder": null, "copy_folder": null, "keep": 5,
                        "daily_time": "02:00", "daily_enabled": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let set = lines(&app, "backup_settings.update").await;
    assert_eq!(set.len(), 1, "{set:?}");
    assert_eq!(set[0].3["keep"], 5);
    assert!(
        set[0].3.get("scheduled_since").is_none(),
        "the scheduler's own bookkeeping is not a decision: {set:?}"
    );
    // An import: the file's record, who brought it in.
    let csv = "nama,telepon\nSari,081234567891\n";
    let import =
        crate::imports::upload(&app, "/api/imports/file", "pelanggan.csv", csv.as_bytes()).await;
    let imported = lines(&app, "imports.insert").await;
    assert_eq!(imported.len(), 1, "{imported:?}");
    assert_eq!(imported[0].1.as_deref(), import["id"].as_str());
    assert_eq!(imported[0].0, OWNER);

    let backup = crate::backups::create_backup(&app).await;
    let made = lines(&app, "backups.insert").await;
    assert!(
        made.iter().any(|l| l.1.as_deref() == backup["id"].as_str()),
        "{made:?}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn vouchers_are_logged_per_batch_and_status_but_not_per_minute_of_use() {
    let (app, sim, router) = crate::vouchers::setup(routeros_api::sim::SimVersion::default()).await;
    let profile = crate::vouchers::day_profile(&app).await;
    let batch =
        crate::vouchers::batch(&app, json!({"profile_id": profile["id"], "count": 20})).await;
    assert_eq!(batch["status"], "ready", "{batch}");

    // Twenty vouchers, twenty lines, each with its code and never its password.
    let made = lines(&app, "vouchers.insert").await;
    assert_eq!(made.len(), 20, "{made:?}");
    for line in &made {
        assert!(line.3["code"].is_string(), "{line:?}");
        assert_eq!(line.3["password"], "[redacted]", "{line:?}");
        assert!(line.3.get("uptime_secs").is_none(), "{line:?}");
    }

    // One is used: the monitor sees it logged in, then sees its uptime grow minute by minute.
    let code = made[0].3["code"].as_str().expect("code").to_owned();
    sim.hotspot_login(&code, "10.5.50.10", "AA:BB:CC:00:00:01")
        .expect("login");
    crate::vouchers::monitor(&app).await;
    let activated = lines(&app, "vouchers.update").await;
    assert_eq!(activated.len(), 1, "{activated:?}");
    assert_eq!(activated[0].3["status"], "active", "{activated:?}");
    assert!(activated[0].3.get("uptime_secs").is_none(), "{activated:?}");
    for minute in 1..=3 {
        app.clock.advance(chrono::Duration::minutes(1));
        sim.advance(std::time::Duration::from_secs(60));
        sim.hotspot_traffic(&code, minute * 1_000_000, minute * 9_000_000);
        crate::vouchers::monitor(&app).await;
    }
    let after = lines(&app, "vouchers.update").await;
    assert_eq!(
        after.len(),
        1,
        "uptime and traffic are not decisions: {after:?}"
    );

    // The router's checks write no line either, while its status stays the same (the first
    // check may find it online for the first time: that is a line).
    let check = || async {
        let (status, body) = app
            .call("POST", &format!("/api/routers/{router}/test"), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    };
    check().await;
    let before = count(
        &app,
        "select count(*) from audit_log where entity = 'routers'",
    )
    .await;
    for _ in 0..3 {
        sim.advance(std::time::Duration::from_secs(60));
        check().await;
    }
    let lines: Vec<(String, Value)> = sqlx::query_as(
        "select action, coalesce(after, 'null') from audit_log where entity = 'routers' \
         order by id offset $1",
    )
    .bind(before)
    .fetch_all(&app.pool().await)
    .await
    .expect("lines");
    assert!(lines.is_empty(), "{lines:?}");
    app.shutdown().await;
}
