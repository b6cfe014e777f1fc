//! What people do during a day: staff sign in and keep their sessions alive, customers pay
//! (cash at the counter, or online through the gateway), hotspot customers use vouchers.

use std::collections::HashMap;
use std::time::Duration;

use billing_tests::*;
use chrono::NaiveDate;
use serde_json::json;
use uuid::Uuid;

use crate::checks::Checks;
use crate::shop::{Shop, STAFF_PASSWORD};
use crate::Day;

/// What the run did, for the summary.
#[derive(Debug, Default)]
pub struct Tally {
    pub cash_exact: u32,
    pub cash_partial: u32,
    pub cash_over: u32,
    pub gateway_callback: u32,
    pub gateway_lost: u32,
    pub voucher_batches: u32,
    pub voucher_logins: u32,
    pub staff_refreshes: u32,
    pub restarts: u32,
}

/// Morning: every staff member signs in (a new session each day).
pub async fn staff_sign_in(shop: &mut Shop, checks: &mut Checks, day: &Day) {
    for i in 0..shop.staff.len() {
        let username = shop.staff[i].username.clone();
        let (status, body) = shop.app().login(&username, STAFF_PASSWORD).await;
        if status != StatusCode::OK {
            checks.fail(
                day,
                "staff",
                format!("{username} cannot sign in: {status} {body}"),
            );
            continue;
        }
        shop.staff[i].refresh = body["refresh_token"].as_str().map(str::to_owned);
    }
}

/// During the day the dashboard refreshes each session (the refresh token rotates).
pub async fn staff_refresh(shop: &mut Shop, checks: &mut Checks, day: &Day, tally: &mut Tally) {
    for i in 0..shop.staff.len() {
        let Some(token) = shop.staff[i].refresh.clone() else {
            continue;
        };
        let (status, body) = shop
            .app()
            .post("/api/auth/refresh", json!({"refresh_token": token}))
            .await;
        if status != StatusCode::OK {
            let who = shop.staff[i].username.clone();
            checks.fail(
                day,
                "staff",
                format!("{who}'s session refresh: {status} {body}"),
            );
            shop.staff[i].refresh = None;
            continue;
        }
        tally.staff_refreshes += 1;
        shop.staff[i].refresh = body["refresh_token"].as_str().map(str::to_owned);
    }
}

/// Customers pay open invoices on their own day: cash (exact, part, too much) at the
/// counter, or online; some gateway callbacks never arrive (the poller completes those).
pub async fn customers_pay(
    shop: &mut Shop,
    checks: &mut Checks,
    day: &Day,
    pay_days: &mut HashMap<Uuid, NaiveDate>,
    tally: &mut Tally,
) {
    let open: Vec<(Uuid, i64, NaiveDate)> = sqlx::query_as(
        "select i.id, i.total - i.paid, i.issued_on from invoices i \
         where i.status in ('unpaid', 'partial') order by i.number",
    )
    .fetch_all(&shop.app().pool().await)
    .await
    .expect("open invoices");
    for (invoice, owed, issued_on) in open {
        let pay_on = match pay_days.get(&invoice) {
            Some(d) => *d,
            None => {
                // Most pay within the first days; one in ten pays late (and is isolated).
                let after = if shop.random(10) == 0 {
                    18 + shop.random(8)
                } else {
                    shop.random(9)
                };
                let d = issued_on + chrono::Duration::days(i64::from(after));
                pay_days.insert(invoice, d);
                d
            }
        };
        if pay_on > day.date {
            continue;
        }
        let roll = shop.random(100);
        let result = match roll {
            0..50 => cash(shop, invoice, owed)
                .await
                .map(|()| tally.cash_exact += 1),
            50..62 => {
                // Part now, the rest tomorrow.
                pay_days.insert(invoice, day.date + chrono::Duration::days(1));
                let part = (owed * 6 / 10 / 1000 * 1000).max(1000);
                cash(shop, invoice, part)
                    .await
                    .map(|()| tally.cash_partial += 1)
            }
            62..70 => cash(shop, invoice, owed + 25_000)
                .await
                .map(|()| tally.cash_over += 1),
            _ => {
                let lost = roll >= 88;
                pay_days.insert(invoice, day.date + chrono::Duration::days(3));
                gateway(shop, invoice, lost).await.map(|()| {
                    if lost {
                        tally.gateway_lost += 1;
                    } else {
                        tally.gateway_callback += 1;
                    }
                })
            }
        };
        if let Err(e) = result {
            checks.fail(day, "payment", e);
        }
    }
}

async fn cash(shop: &Shop, invoice: Uuid, amount: i64) -> Result<(), String> {
    let (status, body) = shop
        .app()
        .call(
            "POST",
            "/api/payments",
            Some(json!({"invoice_id": invoice, "amount": amount, "method": "cash"})),
        )
        .await;
    if status == StatusCode::CREATED {
        Ok(())
    } else {
        Err(format!(
            "cash payment of {amount} for invoice {invoice}: {status} {body}"
        ))
    }
}

/// The customer opens the pay link, chooses QRIS and pays in their banking app.
async fn gateway(shop: &Shop, invoice: Uuid, callback_lost: bool) -> Result<(), String> {
    let app = shop.app();
    let (status, link) = app
        .call("GET", &format!("/api/invoices/{invoice}/pay"), None)
        .await;
    let url = match (status, link["url"].as_str()) {
        (StatusCode::OK, Some(url)) => url.to_owned(),
        _ => return Err(format!("pay link for invoice {invoice}: {status} {link}")),
    };
    let res = app
        .http
        .post(format!("{url}/payments"))
        .json(&json!({"gateway": "duitku", "method": "NQ"}))
        .send()
        .await
        .map_err(|e| format!("pay page: {e}"))?;
    let (status, created) = split(res).await;
    let Some(merchant_ref) = created["merchant_ref"]
        .as_str()
        .filter(|_| status.is_success())
    else {
        return Err(format!(
            "online payment for invoice {invoice}: {status} {created}"
        ));
    };
    if callback_lost {
        shop.duitku.mark_paid(merchant_ref);
        return Ok(());
    }
    match shop.duitku.mark_paid_and_notify(merchant_ref).await {
        Ok(Some(delivery)) if delivery.status == 200 => Ok(()),
        other => Err(format!("gateway callback for {merchant_ref}: {other:?}")),
    }
}

/// Now and then the technician prints a batch of day vouchers (the router must be up).
pub async fn voucher_batch(shop: &mut Shop, checks: &mut Checks, day: &Day, tally: &mut Tally) {
    let app = shop.app();
    let (status, batch) = app
        .call(
            "POST",
            "/api/vouchers/batch",
            Some(json!({"profile_id": shop.voucher_profile, "count": 10})),
        )
        .await;
    if status != StatusCode::ACCEPTED {
        checks.fail(day, "vouchers", format!("batch refused: {status} {batch}"));
        return;
    }
    let id = batch["id"].as_str().unwrap_or_default().to_owned();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (_, b) = app
            .call("GET", &format!("/api/vouchers/batches/{id}"), None)
            .await;
        if b["status"] != "creating" {
            if b["status"] != "ready" {
                checks.fail(day, "vouchers", format!("batch ended as {b}"));
            }
            tally.voucher_batches += 1;
            return;
        }
        if tokio::time::Instant::now() > deadline {
            checks.fail(day, "vouchers", format!("batch {id} never finished"));
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Hotspot customers log in with vouchers they bought; the router starts their validity.
/// Each day two unused vouchers are logged in as a customer's phone would (the code is the password:
/// the batch has no separate passwords), running the profile's on-login script like the
/// router's `/ip/hotspot/active/login`, then use some data.
pub async fn voucher_logins(shop: &mut Shop, day: u32, tally: &mut Tally) {
    let codes: Vec<String> = sqlx::query_scalar(
        "select code from vouchers where status = 'unused' order by created_at, seq limit 2",
    )
    .fetch_all(&shop.app().pool().await)
    .await
    .expect("vouchers");
    for (k, code) in codes.iter().enumerate() {
        let address = format!("10.5.50.{}", 10 + (day as usize * 2 + k) % 200);
        let mac = format!("AA:BB:CC:00:{:02X}:{:02X}", day % 256, k);
        let login = shop
            .sim
            .hotspot_login_with_password(code, code, &address, &mac);
        assert!(
            login.is_ok(),
            "day {day}: voucher {code} could not log in: {login:?}"
        );
        shop.sim.hotspot_traffic(code, 2_000_000, 30_000_000);
        tally.voucher_logins += 1;
    }
}
