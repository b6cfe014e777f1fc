//! What the owner reads comes with codes and values the dashboard words in Indonesian or
//! English: job results, schedules, security log reasons, activity log subjects.

use billing_tests::*;
use serde_json::json;

use crate::billing::{customer_with_subscription, d, set_today};

#[tokio::test]
async fn job_results_and_schedules_come_as_codes_with_their_values() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    customer_with_subscription(&app, 150_000, "budi", d(2026, 11, 1)).await;
    // December's invoice is due to be issued on its billing day.
    set_today(&app, d(2026, 12, 1));
    let (status, run) = app.call("POST", "/api/jobs/billing/run", None).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    assert_eq!(run["ok"], true, "{run}");
    assert_eq!(run["result"]["code"], "billing", "{run}");
    assert_eq!(run["result"]["params"]["issued"], 1, "{run}");

    let (_, list) = app.call("GET", "/api/jobs", None).await;
    let job = |name: &str| {
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|j| j["name"] == name)
            .unwrap_or_else(|| panic!("no job {name}"))
            .clone()
    };
    assert_eq!(job("billing")["last_run"]["result"]["params"]["issued"], 1);
    assert_eq!(job("payments_check")["schedule"]["kind"], "every_minutes");
    assert_eq!(job("payments_check")["schedule"]["every"], 5);
    assert_eq!(job("retention")["schedule"]["kind"], "daily");
    assert_eq!(job("retention")["schedule"]["time"], "02.00");
    assert_eq!(job("reconcile")["schedule"]["kind"], "hourly");
    for j in list["items"].as_array().expect("items") {
        assert_ne!(j["schedule"]["kind"], "cron", "every job has words: {j}");
    }
}

#[tokio::test]
async fn a_refused_sign_in_is_logged_with_its_reason_as_a_value() {
    let app = spawn_app().await;
    // The owner signs in once (the harness makes the account), then someone guesses.
    let (status, _) = app.call("GET", "/api/auth/me", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.login(OWNER, "salah-sama-sekali").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, events) = app
        .call("GET", "/api/security/events?kind=login_failed", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{events}");
    let event = &events["items"][0];
    assert_eq!(
        event["params"],
        json!({"reason": "bad_password"}),
        "{events}"
    );
    assert_eq!(event["username"], OWNER);
}

#[tokio::test]
async fn activity_log_entries_name_the_customer_they_changed() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    let (customer, sub) = customer_with_subscription(&app, 150_000, "sari", d(2026, 11, 1)).await;
    let (status, log) = app
        .call(
            "GET",
            &format!(
                "/api/audit?entity_id={}",
                customer["id"].as_str().expect("id")
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let created = &log["items"][0];
    assert_eq!(created["entity"], "customers");
    assert_eq!(created["subject"], "Pelanggan sari", "{created}");

    let (_, log) = app
        .call(
            "GET",
            &format!("/api/audit?entity_id={}", sub["id"].as_str().expect("id")),
            None,
        )
        .await;
    let entry = &log["items"][0];
    assert_eq!(entry["entity"], "subscriptions");
    assert_eq!(entry["subject"], "sari", "{entry}");
    assert_eq!(entry["customer"], "Pelanggan sari", "{entry}");

    // An update stores only the columns that changed; its line still names the row (and its
    // customer) when the name is not among them.
    let customer_id = customer["id"].as_str().expect("id");
    let (status, body) = app
        .call(
            "PATCH",
            &format!("/api/customers/{customer_id}"),
            Some(json!({"address": "Jl. Dahlia 9"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, log) = app
        .call("GET", &format!("/api/audit?entity_id={customer_id}"), None)
        .await;
    let changed = &log["items"][0];
    assert_eq!(changed["action"], "customers.update", "{changed}");
    assert!(changed["after"].get("name").is_none(), "{changed}");
    assert_eq!(changed["subject"], "Pelanggan sari", "{changed}");
    let sub_id = sub["id"].as_str().expect("id");
    let (status, body) = app
        .call(
            "POST",
            &format!("/api/subscriptions/{sub_id}/terminate"),
            Some(json!({"reason": "pindah rumah"})),
        )
        .await;
    assert!(status.is_success(), "{status} {body}");
    let (_, log) = app
        .call("GET", &format!("/api/audit?entity_id={sub_id}"), None)
        .await;
    let ended = &log["items"][0];
    assert_eq!(ended["action"], "subscriptions.update", "{ended}");
    assert_eq!(ended["subject"], "sari", "{ended}");
    assert_eq!(ended["customer"], "Pelanggan sari", "{ended}");
}
