//! The seeded data set and what it should add up to.

use std::collections::BTreeMap;

use billing_tests::*;
use chrono::NaiveDate;
use routeros_api::sim::{SimHandle, SimVersion};
use serde_json::{json, Value};

use crate::billing::{d, set_today};

pub const CASHIER_PASSWORD: &str = "kasir-rahasia-123";

/// One subscription of the seed: who, when, how much, on the router or not, what was paid
/// (date, amount, method, who recorded it) and when it was terminated.
pub struct Sub {
    pub login: &'static str,
    pub start: NaiveDate,
    pub price: i64,
    pub on_router: bool,
    pub payment: Option<(NaiveDate, i64, &'static str, &'static str)>,
    pub terminated: Option<NaiveDate>,
}

pub fn subs() -> Vec<Sub> {
    let p = |y, m, day, amount, method, who| Some((d(y, m, day), amount, method, who));
    vec![
        Sub {
            login: "gita",
            start: d(2026, 6, 1),
            price: 110_000,
            on_router: false,
            payment: p(2026, 6, 3, 110_000, "transfer", "kasir1"),
            terminated: Some(d(2026, 11, 2)),
        },
        Sub {
            login: "ani",
            start: d(2026, 7, 1),
            price: 100_000,
            on_router: true,
            payment: None,
            terminated: None,
        },
        Sub {
            login: "fajar",
            start: d(2026, 8, 1),
            price: 130_000,
            on_router: true,
            payment: p(2026, 8, 2, 130_000, "cash", OWNER),
            terminated: Some(d(2026, 10, 15)),
        },
        Sub {
            login: "budi",
            start: d(2026, 9, 1),
            price: 150_000,
            on_router: false,
            payment: p(2026, 9, 3, 50_000, "cash", "kasir1"),
            terminated: None,
        },
        Sub {
            login: "citra",
            start: d(2026, 10, 1),
            price: 200_000,
            on_router: true,
            payment: p(2026, 10, 5, 120_000, "transfer", "kasir2"),
            terminated: None,
        },
        Sub {
            login: "dedi",
            start: d(2026, 11, 1),
            price: 120_000,
            on_router: true,
            payment: None,
            terminated: None,
        },
        Sub {
            login: "hadi",
            start: d(2026, 11, 1),
            price: 100_000,
            on_router: true,
            payment: p(2026, 11, 20, 100_000, "cash", "kasir2"),
            terminated: None,
        },
        Sub {
            login: "eka",
            start: d(2026, 11, 15),
            price: 90_000,
            on_router: false,
            payment: None,
            terminated: None,
        },
    ]
}

/// Today at the end of the seed.
pub fn today() -> NaiveDate {
    d(2026, 11, 20)
}

/// Vouchers: (profile name, price, printed, used today).
pub const VOUCHERS: [(&str, i64, usize, usize); 2] =
    [("Harian 5rb", 5_000, 3, 2), ("Mingguan 25rb", 25_000, 2, 1)];

pub struct Seeded {
    pub app: TestApp,
    /// Kept so the simulated router runs as long as the app.
    pub _sim: SimHandle,
    pub router: String,
    /// login → customer id.
    pub customer_ids: BTreeMap<&'static str, String>,
}

/// A token for `username` at the current pinned time.
pub async fn login(app: &TestApp, username: &str) -> String {
    let password = if username == OWNER {
        OWNER_PASSWORD
    } else {
        CASHIER_PASSWORD
    };
    let (status, body) = app.login(username, password).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("token").to_owned()
}

async fn post_as(app: &TestApp, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let res = app
        .http
        .post(format!("{}{path}", app.admin))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("send");
    split(res).await
}

/// Runs the whole seed in date order, through the API.
pub async fn seeded() -> Seeded {
    let (app, sim, router) = crate::vouchers::setup(SimVersion::default()).await;
    for (name, role) in [
        ("kasir1", "cashier"),
        ("kasir2", "cashier"),
        ("teknisi", "technician"),
    ] {
        let (status, body) = app
            .call(
                "POST",
                "/api/admin/users",
                Some(json!({"username": name, "password": CASHIER_PASSWORD, "role": role})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let subs = subs();
    // Every dated event, in order: (date, kind, index).
    let mut events: Vec<(NaiveDate, u8, usize)> = Vec::new();
    for (n, s) in subs.iter().enumerate() {
        events.push((s.start, 0, n));
        if let Some((on, ..)) = s.payment {
            events.push((on, 1, n));
        }
        if let Some(on) = s.terminated {
            events.push((on, 2, n));
        }
    }
    events.sort();
    let mut customer_ids = BTreeMap::new();
    let mut invoice_ids: BTreeMap<&str, Value> = BTreeMap::new();
    for (on, kind, n) in events {
        set_today(&app, on);
        let s = &subs[n];
        match kind {
            0 => {
                let (_, plan) = app
                    .call(
                        "POST",
                        "/api/plans",
                        Some(json!({"name": format!("Paket {}", s.login),
                        "price": s.price, "kind": "pppoe", "router_profile": "pppoe-10M"})),
                    )
                    .await;
                let (status, customer) = app
                    .call(
                        "POST",
                        "/api/customers",
                        Some(json!({
                        "name": format!("Pelanggan {}", s.login), "phone": "0812-3456-7890"})),
                    )
                    .await;
                assert_eq!(status, StatusCode::CREATED, "{customer}");
                let (status, sub) = app
                    .call(
                        "POST",
                        "/api/subscriptions",
                        Some(json!({
                        "customer_id": customer["id"], "plan_id": plan["id"], "login": s.login,
                        "password": "rahasia-pppoe", "start_on": s.start,
                        "billing_day": chrono::Datelike::day(&s.start), "due_days": 7,
                        "grace_days": 3,
                        "router_id": if s.on_router { json!(router) } else { Value::Null }})),
                    )
                    .await;
                assert_eq!(status, StatusCode::CREATED, "{sub}");
                let invoices = crate::billing::open_invoices(&app, &sub["id"]).await;
                assert_eq!(invoices.len(), 1, "one invoice on creation: {invoices:?}");
                assert_eq!(invoices[0]["total"], s.price, "a full first month");
                invoice_ids.insert(s.login, invoices[0]["id"].clone());
                customer_ids.insert(s.login, customer["id"].as_str().expect("id").to_owned());
            }
            1 => {
                let (_, amount, method, who) = s.payment.expect("payment");
                let token = login(&app, who).await;
                let (status, paid) = post_as(
                    &app,
                    &token,
                    "/api/payments",
                    json!({
                    "invoice_id": invoice_ids[s.login], "amount": amount, "method": method}),
                )
                .await;
                assert_eq!(status, StatusCode::CREATED, "{paid}");
            }
            _ => {
                let (_, list) = app
                    .call("GET", &format!("/api/subscriptions?q={}", s.login), None)
                    .await;
                let id = list["items"][0]["id"].as_str().expect("sub id").to_owned();
                let (status, body) = app
                    .call(
                        "POST",
                        &format!("/api/subscriptions/{id}/terminate"),
                        Some(json!({"reason": "pindah rumah"})),
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "{body}");
            }
        }
    }
    // Today: vouchers printed and some used (a hotspot login the monitor then sees).
    set_today(&app, today());
    for (name, price, printed, used) in VOUCHERS {
        let p = crate::vouchers::profile(
            &app,
            json!({"name": name, "price": price,
            "validity_secs": 86_400}),
        )
        .await;
        let b = crate::vouchers::batch(
            &app,
            json!({"profile_id": p["id"], "count": printed,
            "router_id": router}),
        )
        .await;
        assert_eq!(b["status"], "ready", "{b}");
        let list =
            crate::vouchers::vouchers(&app, &format!("batch_id={}", b["id"].as_str().expect("id")))
                .await;
        for (k, v) in list.iter().take(used).enumerate() {
            sim.hotspot_login(
                v["code"].as_str().expect("code"),
                &format!("10.5.50.{}", 10 + k),
                &format!("AA:BB:CC:00:00:{k:02}"),
            )
            .expect("login");
        }
    }
    let r = crate::vouchers::monitor(&app).await;
    assert_eq!(r["activated"], 3, "{r}");
    Seeded {
        app,
        _sim: sim,
        router,
        customer_ids,
    }
}
