//! `GET /api/events`: a single-use ticket opens the stream; a settled payment reaches staff
//! who may see payments, not a technician; without a ticket there is nothing.

use std::time::Duration;

use billing_app::events::{publish, AlertEvent, BillingEvent};
use billing_tests::*;
use futures::StreamExt;
use serde_json::{json, Value};

use crate::billing::{customer_with_subscription, d, open_invoices, pay};

const PASSWORD: &str = "sandi-staf-yang-kuat";

struct SseReader {
    body: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<Vec<u8>>> + Send>>,
    buf: String,
}

impl SseReader {
    /// The next event other than the periodic `metrics` snapshot: (name, data).
    async fn next(&mut self) -> (String, Value) {
        loop {
            let (name, data) = self.next_any().await;
            if name != "metrics" {
                return (name, data);
            }
        }
    }

    /// Reads until the server ends the stream (events before the end are skipped).
    async fn ends(&mut self) {
        loop {
            let chunk = tokio::time::timeout(Duration::from_secs(60), self.body.next())
                .await
                .expect("the stream ends within a minute");
            match chunk {
                None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            }
        }
    }

    async fn next_any(&mut self) -> (String, Value) {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let mut name = String::from("message");
                let mut data = String::new();
                for line in block.lines() {
                    if let Some(n) = line.strip_prefix("event:") {
                        name = n.trim().to_owned();
                    } else if let Some(d) = line.strip_prefix("data:") {
                        data.push_str(d.trim_start());
                    }
                }
                if data.is_empty() {
                    continue; // a keep-alive comment
                }
                return (name, serde_json::from_str(&data).expect("json data"));
            }
            // A guard against a hang, not a timed assertion: events come at once.
            let chunk = tokio::time::timeout(Duration::from_secs(60), self.body.next())
                .await
                .expect("an event within a minute")
                .expect("the stream is open")
                .expect("chunk");
            self.buf.push_str(&String::from_utf8_lossy(&chunk));
        }
    }
}

async fn ticket(app: &TestApp, token: &str) -> String {
    let res = app
        .http
        .post(format!("{}/api/events/ticket", app.admin))
        .bearer_auth(token)
        .send()
        .await
        .expect("send");
    let (status, body) = split(res).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["expires_in_secs"], 30);
    body["ticket"].as_str().expect("ticket").to_owned()
}

async fn open(app: &TestApp, query: &str) -> reqwest::Response {
    app.http
        .get(format!("{}/api/events{query}", app.admin))
        .send()
        .await
        .expect("send")
}

async fn subscribe(app: &TestApp, token: &str) -> SseReader {
    let t = ticket(app, token).await;
    let res = open(app, &format!("?ticket={t}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res
        .headers()
        .get("content-type")
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream")));
    let mut reader = SseReader {
        body: Box::pin(res.bytes_stream().map(|r| r.map(|b| b.to_vec()))),
        buf: String::new(),
    };
    let (name, data) = reader.next().await;
    assert_eq!(name, "ready", "{data}");
    // The same ticket does not open a second stream.
    let again = open(app, &format!("?ticket={t}")).await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    reader
}

async fn staff(app: &TestApp, name: &str, role: &str) -> (String, String) {
    let (status, body) = app
        .call(
            "POST",
            "/api/admin/users",
            Some(json!({"username": name, "password": PASSWORD, "role": role})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = body["id"].as_str().expect("id").to_owned();
    let (status, body) = app.login(name, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    (id, body["access_token"].as_str().expect("token").to_owned())
}

#[tokio::test]
async fn a_settled_payment_reaches_authorised_staff_only_and_nothing_flows_without_a_ticket() {
    let app = spawn_app().await;
    let owner = app.token().await;
    let (_, cashier) = staff(&app, "kasir-satu", "cashier").await;
    let (technician_id, technician) = staff(&app, "teknisi-satu", "technician").await;

    // No ticket, a made-up ticket, a ticket in the wrong place: refused before any event.
    let res = open(&app, "").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = open(&app, "?ticket=0123456789abcdef").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let (status, _) = split(
        app.http
            .post(format!("{}/api/events/ticket", app.admin))
            .send()
            .await
            .expect("send"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let mut as_owner = subscribe(&app, &owner).await;
    let mut as_cashier = subscribe(&app, &cashier).await;
    let mut as_technician = subscribe(&app, &technician).await;

    let (_, sub) = customer_with_subscription(&app, 150_000, "sari", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await[0].clone();
    let (status, payment) = pay(
        &app,
        &invoice["id"],
        invoice["total"].as_i64().expect("total"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");

    for reader in [&mut as_owner, &mut as_cashier] {
        let (name, data) = reader.next().await;
        assert_eq!(name, "payment_settled", "{data}");
        assert_eq!(data["type"], "payment_settled");
        assert_eq!(data["invoice_id"], invoice["id"]);
        assert_eq!(data["amount"], invoice["total"]);
    }

    // The technician may not see payments: the next thing they get is a router alert (a
    // warning; critical alerts reach every staff member).
    let alert = AlertEvent {
        alert_id: uuid::Uuid::now_v7(),
        rule_id: None,
        metric: "router_offline".into(),
        subject: String::new(),
        title: "Router Kantor Pusat offline".into(),
        message: "Router Kantor Pusat has not answered for 6 minute(s).".into(),
        severity: "warning".into(),
    };
    publish(&app.ctx(), BillingEvent::AlertRaised(alert.clone()));
    let (name, data) = as_technician.next().await;
    assert_eq!(name, "alert_raised", "{data}");
    assert_eq!(data["title"], alert.title);
    assert_eq!(data["severity"], "warning");
    // …which the cashier does not get: their next event is the following payment.
    let (_, sub) = customer_with_subscription(&app, 100_000, "tono", d(2026, 11, 1)).await;
    let second = open_invoices(&app, &sub["id"]).await[0].clone();
    let (status, _) = pay(
        &app,
        &second["id"],
        second["total"].as_i64().expect("total"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (name, data) = as_cashier.next().await;
    assert_eq!(
        (name.as_str(), &data["invoice_id"]),
        ("payment_settled", &second["id"])
    );
    let (name, _) = as_owner.next().await;
    assert_eq!(name, "alert_raised");

    // The metrics snapshot comes too.
    let (name, data) = loop {
        let e = as_owner.next_any().await;
        if e.0 == "metrics" {
            break e;
        }
    };
    assert_eq!(name, "metrics");
    assert!(data["payments_pending"].is_i64(), "{data}");

    // A disabled account's stream ends (at the next snapshot), though its ticket was good.
    let (status, body) = app
        .call(
            "PATCH",
            &format!("/api/admin/users/{technician_id}"),
            Some(json!({"disabled": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    as_technician.ends().await;
    app.shutdown().await;
}
