//! The pay page in a real browser on a phone-sized screen (Debian's Chromium through
//! playwright-core): open the link, choose QRIS, see the code; the gateway marks it paid;
//! the page shows "paid" without a reload.

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use super::*;

#[tokio::test]
async fn pay_page_is_small_and_has_no_admin_data() {
    let (app, _fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "rina").await;
    let res = app.http.get(&url).send().await.expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    let html = res.text().await.expect("html");
    assert!(html.len() < 100_000, "the pay page is {} bytes", html.len());
    assert!(html.contains(invoice["number"].as_str().expect("number")));
    assert!(html.contains("Rp 150.000"));
    assert!(html.contains("NOBU QRIS"), "enabled methods are listed");
    assert!(!html.contains("/api/customers") && !html.contains("access_token"));
    let res = app
        .http
        .get(format!("{url}?lang=en"))
        .send()
        .await
        .expect("send");
    assert!(res.text().await.expect("html").contains("Amount to pay"));
    let res = app
        .http
        .get(format!("{}/pay/{}", app.public, "x".repeat(32)))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    app.shutdown().await;
}

#[tokio::test]
async fn customer_pays_by_qris_on_a_phone_and_sees_paid_without_reloading() {
    if std::env::var_os("MIKROBILL_SKIP_BROWSER").is_some() {
        eprintln!("skipped: MIKROBILL_SKIP_BROWSER is set");
        return;
    }
    let (app, fake) = app_with_duitku().await;
    let (invoice, url) = invoice_with_link(&app, "joko").await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/e2e/paypage.test.mjs");
    let mut child = Command::new("node")
        .arg(script)
        .env("PAY_URL", &url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("node (install Node.js and run `npm ci` at the repository root)");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut ready = None;
    while let Some(line) = lines.next_line().await.expect("read") {
        println!("{line}");
        if let Some(reference) = line.strip_prefix("READY ") {
            ready = Some(reference.trim().to_owned());
            break;
        }
    }
    let merchant_ref = ready.expect("the page never showed the QRIS code");
    // The customer pays in their banking app; Duitku calls us back.
    let delivery = fake
        .mark_paid_and_notify(&merchant_ref)
        .await
        .expect("notify")
        .expect("callback url");
    assert_eq!(delivery.status, 200);
    while let Some(line) = lines.next_line().await.expect("read") {
        println!("{line}");
    }
    let status = child.wait().await.expect("wait");
    assert!(status.success(), "the browser test failed");
    let (_, state) = app
        .call(
            "GET",
            &format!("/api/invoices/{}", invoice["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(state["status"], "paid");
    app.shutdown().await;
}

#[tokio::test]
async fn an_open_live_status_stream_does_not_hold_the_shutdown() {
    let (app, _fake) = app_with_duitku().await;
    let (_, url) = invoice_with_link(&app, "sse").await;
    let res = app
        .http
        .get(format!("{url}/events"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    let mut stream = res.bytes_stream();
    use futures::StreamExt as _;
    let first = stream.next().await.expect("an event").expect("bytes");
    assert!(
        String::from_utf8_lossy(&first).contains("event: status"),
        "{first:?}"
    );
    // Without a bound on the graceful stop, this would wait for the stream forever.
    let stopped = tokio::time::timeout(std::time::Duration::from_secs(30), app.shutdown()).await;
    assert!(stopped.is_ok(), "shutdown hung on an open event stream");
    drop(stream);
}
