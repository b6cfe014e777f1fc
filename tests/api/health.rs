//! `GET /api/monitoring/health`: every part with a status and plain words; routers are
//! probed in the background, so a stopped router shows up within seconds and recovers.

use std::time::Duration;

use billing_tests::*;
use routeros_api::sim::SimConfig;
use serde_json::{json, Value};

use crate::routers::{app_with_real_router, register, simulator};

async fn health(app: &TestApp) -> Value {
    let (status, health) = app.call("GET", "/api/monitoring/health", None).await;
    assert_eq!(status, StatusCode::OK, "{health}");
    health
}

/// Polls the health page until `pred` holds (deadline 30 s).
async fn wait_for(app: &TestApp, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let h = health(app).await;
        if pred(&h) {
            return h;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "health never showed {what}: {h}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn router(h: &Value) -> Value {
    h["routers"][0].clone()
}

#[tokio::test]
async fn health_reports_a_stopped_router_and_its_return() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let id = register(&app, &sim, "admin", "").await;

    let h = wait_for(&app, "the router ok", |h| router(h)["status"] == "ok").await;
    let r = router(&h);
    assert_eq!(r["id"], id.as_str());
    assert_eq!(r["name"], "Kantor Pusat");
    assert_eq!(r["code"], "router_ok");
    assert!(
        r["detail"].as_str().unwrap_or("").contains("answers at"),
        "{r}"
    );

    // The router stops answering (a reboot that takes an hour).
    sim.reboot(Duration::from_secs(3600));
    let h = wait_for(&app, "the router down", |h| router(h)["status"] == "down").await;
    let r = router(&h);
    assert_eq!(r["code"], "router_unreachable");
    assert!(
        r["detail"]
            .as_str()
            .unwrap_or("")
            .contains("cannot be reached at"),
        "{r}"
    );
    assert_eq!(h["status"], "down");

    sim.reboot(Duration::ZERO);
    wait_for(&app, "the router back", |h| router(h)["status"] == "ok").await;
    app.shutdown().await;
}

#[tokio::test]
async fn health_reports_sessions_gateways_jobs_backups_and_disk_in_plain_words() {
    let app = spawn_app().await;
    let (status, body) = app
        .call(
            "POST",
            "/api/whatsapp/sessions",
            Some(
                json!({"name": "Toko", "provider": "fonnte", "base_url": "http://127.0.0.1:9",
                        "token": "tkn-123456"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app
        .call(
            "PUT",
            "/api/settings/gateways/duitku",
            Some(
                json!({"enabled": true, "environment": "sandbox", "merchant_code": "D0001",
                        "api_key": "kunci-duitku-1"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let h = health(&app).await;
    assert_eq!(h["database"]["status"], "ok", "{h}");
    assert!(h["database"]["server_version"]
        .as_str()
        .is_some_and(|v| v.starts_with("PostgreSQL ")));
    assert_eq!(h["database"]["mode"], "remote");
    let wa = &h["whatsapp"][0];
    assert_eq!(
        (wa["name"].as_str(), wa["status"].as_str()),
        (Some("Toko"), Some("warning"))
    );
    assert_eq!(wa["code"], "whatsapp_unchecked");
    let gw = &h["gateways"][0];
    assert_eq!(
        (gw["id"].as_str(), gw["status"].as_str()),
        (Some("duitku"), Some("ok"))
    );
    assert!(
        gw["detail"].as_str().unwrap_or("").contains("sandbox"),
        "{gw}"
    );
    let jobs = h["jobs"].as_array().expect("jobs");
    let scheduler = jobs
        .iter()
        .find(|c| c["kind"] == "scheduler")
        .expect("scheduler");
    assert_eq!(
        scheduler["code"], "scheduler_off",
        "the tests run without the scheduler"
    );
    let backup = jobs.iter().find(|c| c["kind"] == "backup").expect("backup");
    assert_eq!(backup["code"], "backup_none");
    let disk = &h["disk"][0];
    assert_eq!(disk["name"], "data");
    assert!(
        disk["detail"].as_str().unwrap_or("").contains("GiB free"),
        "{disk}"
    );
    assert_eq!(h["status"], "warning");

    // A session that failed is down, with its error.
    sqlx::query("update whatsapp_sessions set status = 'failed', last_error = 'token ditolak'")
        .execute(&app.pool().await)
        .await
        .expect("update");
    let h = health(&app).await;
    assert_eq!(h["whatsapp"][0]["status"], "down");
    assert!(h["whatsapp"][0]["detail"]
        .as_str()
        .unwrap_or("")
        .contains("token ditolak"));
    assert_eq!(h["status"], "down");

    // After a backup the backup line is fine.
    let (status, made) = app.call("POST", "/api/backups/create", None).await;
    assert_eq!(status, StatusCode::OK, "{made}");
    let h = health(&app).await;
    let backup = h["jobs"]
        .as_array()
        .expect("jobs")
        .iter()
        .find(|c| c["kind"] == "backup")
        .cloned()
        .expect("backup");
    assert_eq!(
        (backup["status"].as_str(), backup["code"].as_str()),
        (Some("ok"), Some("backup_ok"))
    );
    app.shutdown().await;
}

/// Every part of the answer that is not `ok`: (kind, name, code).
fn parts_not_ok(h: &Value) -> Vec<(String, String, String)> {
    let mut parts: Vec<&Value> = ["routers", "whatsapp", "gateways", "jobs", "disk"]
        .iter()
        .flat_map(|k| h[*k].as_array().expect("a list").iter())
        .collect();
    parts.push(&h["secrets"]);
    let mut found: Vec<(String, String, String)> = parts
        .into_iter()
        .filter(|c| c["status"] != "ok")
        .map(|c| {
            (
                c["kind"].as_str().expect("kind").to_owned(),
                c["name"].as_str().expect("name").to_owned(),
                c["code"].as_str().expect("code").to_owned(),
            )
        })
        .collect();
    if h["database"]["status"] != "ok" {
        found.push((
            "database".into(),
            h["database"]["name"]
                .as_str()
                .unwrap_or("database")
                .to_owned(),
            h["database"]["code"].as_str().expect("code").to_owned(),
        ));
    }
    found.sort();
    found
}

fn problems(h: &Value) -> Vec<Value> {
    h["problems"].as_array().expect("problems").clone()
}

#[tokio::test]
async fn the_headline_the_problems_and_the_panels_agree_and_each_problem_says_what_to_do() {
    let app = spawn_app().await;
    let (status, _) = app
        .call(
            "POST",
            "/api/whatsapp/sessions",
            Some(
                json!({"name": "Utama", "provider": "fonnte", "role": "primary",
                        "base_url": "http://127.0.0.1:9", "settings": {}, "token": "t"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let h = health(&app).await;
    // A fresh shop: no backup yet, a session never checked, the scheduler off in tests.
    let listed: Vec<(String, String, String)> = {
        let mut l: Vec<_> = problems(&h)
            .iter()
            .map(|p| {
                (
                    p["kind"].as_str().expect("kind").to_owned(),
                    p["name"].as_str().expect("name").to_owned(),
                    p["code"].as_str().expect("code").to_owned(),
                )
            })
            .collect();
        l.sort();
        l
    };
    assert_eq!(
        listed,
        parts_not_ok(&h),
        "the problems are exactly the parts not ok: {h}"
    );
    let codes: Vec<&str> = listed.iter().map(|(_, _, c)| c.as_str()).collect();
    assert!(
        codes.contains(&"backup_none") && codes.contains(&"whatsapp_unchecked"),
        "{codes:?}"
    );
    assert_eq!(
        h["status"], "warning",
        "the headline is the worst problem: {h}"
    );
    for p in problems(&h) {
        assert!(
            p["fix"].as_str().is_some_and(|f| f.len() > 10),
            "every problem says what to do: {p}"
        );
    }
    let backup = problems(&h)
        .into_iter()
        .find(|p| p["code"] == "backup_none")
        .expect("backup problem");
    assert_eq!(backup["link"], "/backups");
    assert!(
        backup["fix"]
            .as_str()
            .unwrap_or("")
            .contains("Make a backup"),
        "{backup}"
    );

    // A session that failed: the headline goes to down and its problem comes first.
    sqlx::query("update whatsapp_sessions set status = 'failed', last_error = 'token ditolak'")
        .execute(&app.pool().await)
        .await
        .expect("update");
    let h = health(&app).await;
    assert_eq!(h["status"], "down");
    let first = &problems(&h)[0];
    assert_eq!(
        (
            first["kind"].as_str(),
            first["status"].as_str(),
            first["code"].as_str()
        ),
        (Some("whatsapp"), Some("down"), Some("whatsapp_failed")),
        "{h}"
    );
    assert_eq!(first["link"], "/whatsapp");
    assert_eq!(first["params"]["error"], "token ditolak");

    // Fixed: the problems go, and the headline with them.
    let (status, made) = app.call("POST", "/api/backups/create", None).await;
    assert_eq!(status, StatusCode::OK, "{made}");
    sqlx::query("update whatsapp_sessions set status = 'healthy', last_error = null")
        .execute(&app.pool().await)
        .await
        .expect("update");
    let h = health(&app).await;
    let codes: Vec<String> = problems(&h)
        .iter()
        .map(|p| p["code"].as_str().expect("code").to_owned())
        .collect();
    assert!(
        !codes
            .iter()
            .any(|c| c == "backup_none" || c.starts_with("whatsapp")),
        "{codes:?}"
    );
    assert_eq!(listed_len(&h), parts_not_ok(&h).len());
    let worst = problems(&h)
        .iter()
        .map(|p| p["status"].as_str().expect("status").to_owned())
        .max_by_key(|s| ["ok", "warning", "down"].iter().position(|x| x == s))
        .unwrap_or_else(|| "ok".to_owned());
    assert_eq!(h["status"], worst.as_str(), "{h}");
    app.shutdown().await;
}

fn listed_len(h: &Value) -> usize {
    problems(h).len()
}
