//! The customer page (`/portal`) through the public listener, as a phone's browser uses it:
//! ask for a code, sign in with it, see the subscription and invoices, pay, download a
//! receipt, sign out; wrong, expired and too many codes; the staff code when WhatsApp is down.

use billing_tests::*;
use reqwest::header;
use serde_json::json;

use crate::billing::{customer_with_subscription, d, open_invoices, set_today};
use crate::payments::{count, enable_duitku};

/// A browser without cookies of its own: the test carries the session cookie by hand.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn form(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
) -> reqwest::Response {
    let mut req = browser().post(format!("{}{path}", app.public)).form(fields);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    req.send().await.expect("send")
}

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> (reqwest::StatusCode, String) {
    let mut req = browser().get(format!("{}{path}", app.public));
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = req.send().await.expect("send");
    let status = res.status();
    (status, res.text().await.expect("body"))
}

/// The last code WhatsApp was asked to send to the number.
async fn last_code(app: &TestApp, phone: &str) -> String {
    sqlx::query_scalar(
        "select vars->>'kode' from whatsapp_messages where template_key = 'portal_code' \
         and to_phone = $1 order by id desc limit 1",
    )
    .bind(phone)
    .fetch_one(&app.pool().await)
    .await
    .expect("a code message")
}

/// Signs in with a code; returns the session cookie (`mb_portal=…`).
async fn sign_in(app: &TestApp, who: &str, code: &str) -> String {
    let res = form(app, "/portal/verify", &[("who", who), ("code", code)], None).await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{:?}",
        res.text().await
    );
    let set = res.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .to_owned();
    for part in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/portal",
        "Max-Age=1800",
    ] {
        assert!(set.contains(part), "{set}");
    }
    assert!(!set.contains("Secure"), "plain http here: {set}");
    set.split(';').next().expect("pair").to_owned()
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=csrf value=\"").expect("csrf field") + 17;
    html[at..at + html[at..].find('"').expect("end")].to_owned()
}

#[tokio::test]
async fn a_subscriber_signs_in_with_a_whatsapp_code_sees_their_invoices_and_pays() {
    let app = spawn_app().await;
    let _ = enable_duitku(&app).await;
    set_today(&app, d(2026, 11, 1));
    let (customer, sub) =
        customer_with_subscription(&app, 150_000, "budi-portal", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    let invoice_id = invoice["id"].as_str().expect("id");

    let (status, html) = page(&app, "/portal", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("id=ask") && !html.contains("Pelanggan budi-portal"),
        "{html}"
    );

    // An unknown number gets the same answer and no code.
    let res = form(&app, "/portal/code", &[("who", "0899-1111-2222")], None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let unknown = res.text().await.expect("body");
    assert_eq!(count(&app, "select count(*) from portal_codes").await, 0);

    // Known (by the subscription's login): a code goes to the customer's WhatsApp number.
    let res = form(&app, "/portal/code", &[("who", "budi-portal")], None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let known = res.text().await.expect("body");
    assert!(known.contains("id=verify"), "{known}");
    let strip = |s: &str| s.replace("budi-portal", "").replace("0899-1111-2222", "");
    assert_eq!(
        strip(&known),
        strip(&unknown),
        "the page does not tell who is a customer"
    );
    // No WhatsApp session here: the page says to ask the office.
    assert!(known.contains("petugas dapat memberi Anda kode"), "{known}");
    let code = last_code(&app, "6281234567890").await;
    assert_eq!(code.len(), 6);
    let stored: i64 = count(
        &app,
        &format!("select count(*) from portal_codes where code_hash = sha256('6281234567890:{code}'::bytea)"),
    )
    .await;
    assert_eq!(stored, 1, "only a hash of the code is kept");

    // A wrong code is refused and named.
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let res = form(
        &app,
        "/portal/verify",
        &[("who", "budi-portal"), ("code", wrong)],
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .expect("body")
        .contains("Kode salah atau sudah kedaluwarsa"));

    let cookie = sign_in(&app, "0812 3456 7890", &code).await;
    assert_eq!(
        count(
            &app,
            &format!("select count(*) from whatsapp_messages where body like '%{code}%' or vars ? 'kode'")
        )
        .await,
        0,
        "a used code leaves the message queue"
    );
    // The code is used up.
    let res = form(
        &app,
        "/portal/verify",
        &[("who", "budi-portal"), ("code", &code)],
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let (status, home) = page(&app, "/portal", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    let number = invoice["number"].as_str().expect("number");
    assert!(
        home.contains("Pelanggan budi-portal") && home.contains(number),
        "{home}"
    );
    assert!(
        home.contains("Rp 150.000") && home.contains("Bayar Rp 150.000"),
        "{home}"
    );

    // Paying: a pay page for the invoice, on this listener.
    let csrf = csrf_of(&home);
    let res = form(
        &app,
        "/portal/pay",
        &[("csrf", "forged"), ("invoice_id", invoice_id)],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "a form without the session's token"
    );
    let res = form(
        &app,
        "/portal/pay",
        &[("csrf", &csrf), ("invoice_id", invoice_id)],
        Some(&cookie),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()[header::LOCATION]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(to.starts_with("/pay/"), "{to}");
    let (status, pay) = page(&app, &to, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(pay.contains(number), "{pay}");

    // The receipt (PDF) of their own invoice only.
    let res = browser()
        .get(format!("{}/portal/receipt/{invoice_id}", app.public))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
    let (_, other_sub) = customer_with_subscription(&app, 90_000, "tetangga", d(2026, 11, 1)).await;
    // Same helper number: make the neighbour someone else.
    let pool = app.pool().await;
    sqlx::query("update customers set phone = '6281299998888' where id = (select customer_id from subscriptions where login = 'tetangga')")
        .execute(&pool)
        .await
        .expect("phone");
    let other = open_invoices(&app, &other_sub["id"]).await.remove(0);
    let res = browser()
        .get(format!(
            "{}/portal/receipt/{}",
            app.public,
            other["id"].as_str().expect("id")
        ))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "not their invoice");

    // Signing out ends the session on the server.
    let res = form(&app, "/portal/logout", &[("csrf", &csrf)], Some(&cookie)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, after) = page(&app, "/portal", Some(&cookie)).await;
    assert!(after.contains("id=ask"), "signed out: {after}");

    // Staff give a code when WhatsApp is down.
    let (status, staff) = app
        .call(
            "POST",
            &format!(
                "/api/customers/{}/portal-code",
                customer["id"].as_str().expect("id")
            ),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{staff}");
    assert_eq!(staff["phone"], "6281234567890");
    let cookie = sign_in(&app, "081234567890", staff["code"].as_str().expect("code")).await;
    let (_, home) = page(&app, "/portal", Some(&cookie)).await;
    assert!(home.contains("Pelanggan budi-portal"));
    app.shutdown().await;
}

#[tokio::test]
async fn codes_expire_allow_five_tries_and_are_limited_per_number_and_address() {
    let app = spawn_app().await;
    set_today(&app, d(2026, 11, 1));
    customer_with_subscription(&app, 150_000, "sari-portal", d(2026, 11, 1)).await;
    let phone = "6281234567890";

    // Expired after 5 minutes.
    form(&app, "/portal/code", &[("who", phone)], None).await;
    let code = last_code(&app, phone).await;
    app.clock.advance(chrono::Duration::minutes(6));
    let res = form(
        &app,
        "/portal/verify",
        &[("who", phone), ("code", &code)],
        None,
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The expired code leaves the message queue at the next purge; unsent, it is not sent.
    let (status, _) = app.call("POST", "/api/jobs/sessions_purge/run", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        count(
            &app,
            &format!("select count(*) from whatsapp_messages where body like '%{code}%' or vars ? 'kode' or status <> 'cancelled'")
        )
        .await,
        0
    );

    // Five wrong tries use the code up.
    app.clock.advance(chrono::Duration::minutes(20));
    form(&app, "/portal/code", &[("who", phone)], None).await;
    let code = last_code(&app, phone).await;
    let wrong = if code == "123456" { "654321" } else { "123456" };
    for _ in 0..5 {
        let res = form(
            &app,
            "/portal/verify",
            &[("who", phone), ("code", wrong)],
            None,
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = form(
        &app,
        "/portal/verify",
        &[("who", phone), ("code", &code)],
        None,
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no sixth try"
    );

    // Three codes per number per 15 minutes: the fourth is not sent (same page though).
    app.clock.advance(chrono::Duration::minutes(20));
    for _ in 0..4 {
        let res = form(&app, "/portal/code", &[("who", phone)], None).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    assert_eq!(
        count(
            &app,
            "select count(*) from portal_codes where created_at = '2026-11-01 01:46:00+00'"
        )
        .await,
        3
    );

    // Ten codes per address per hour, whichever customers they are for.
    let mut refused = 0;
    for i in 0..10 {
        let (status, c) = app
            .call(
                "POST",
                "/api/customers",
                Some(
                    json!({"name": format!("Tetangga {i}"), "phone": format!("0813000000{i:02}"),
                            "address": "Gg. Mawar"}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{c}");
        let res = form(
            &app,
            "/portal/code",
            &[("who", &format!("0813000000{i:02}"))],
            None,
        )
        .await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(res
                .text()
                .await
                .expect("body")
                .contains("Terlalu banyak permintaan kode"));
            refused += 1;
        }
    }
    // Five codes were made from this address in the last hour before these.
    assert_eq!(refused, 5);
    app.shutdown().await;
}

#[tokio::test]
async fn a_subscriber_on_a_phone_signs_in_and_opens_the_pay_page() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    if std::env::var_os("MIKROBILL_SKIP_BROWSER").is_some() {
        eprintln!("skipped: MIKROBILL_SKIP_BROWSER is set");
        return;
    }
    let app = spawn_app().await;
    let _ = enable_duitku(&app).await;
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "rina-hp", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/e2e/portal.test.mjs");
    let mut child = tokio::process::Command::new("node")
        .arg(script)
        .env("PORTAL_URL", format!("{}/portal", app.public))
        .env("PORTAL_PHONE", "0812-3456-7890")
        .env(
            "PORTAL_INVOICE",
            invoice["number"].as_str().expect("number"),
        )
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("node (install Node.js and run `npm ci` at the repository root)");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    while let Some(line) = lines.next_line().await.expect("read") {
        println!("{line}");
        if line.trim() == "READY" {
            // What WhatsApp was asked to send to the customer's phone.
            let code = last_code(&app, "6281234567890").await;
            stdin
                .write_all(format!("{code}\n").as_bytes())
                .await
                .expect("send the code");
        }
    }
    let status = child.wait().await.expect("wait");
    assert!(status.success(), "the browser test failed");
    assert_eq!(
        count(&app, "select count(*) from portal_sessions").await,
        0,
        "signed out"
    );
    app.shutdown().await;
}
