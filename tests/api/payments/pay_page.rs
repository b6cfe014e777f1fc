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

/// The inline `<script>` elements of a page that run (not JSON data blocks), as written.
fn inline_scripts(html: &str) -> Vec<&str> {
    html.split("<script")
        .skip(1)
        .filter(|s| s.starts_with('>'))
        .filter_map(|s| s[1..].split("</script>").next())
        .collect()
}

fn csp_source(text: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[tokio::test]
async fn the_pay_page_runs_only_the_script_its_policy_names_and_no_inline_code() {
    let (app, _fake) = app_with_duitku().await;
    let (_, url) = invoice_with_link(&app, "dewi").await;
    let res = app.http.get(&url).send().await.expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let html = res.text().await.expect("html");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(!csp.contains("unsafe-eval"), "{csp}");
    let directive = |name: &str| {
        csp.split(';')
            .map(str::trim)
            .find(|d| d.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} in {csp}"))
            .to_owned()
    };
    let script_src = directive("script-src ");
    let scripts = inline_scripts(&html);
    assert_eq!(scripts.len(), 1, "one inline script: {scripts:?}");
    assert!(
        script_src.contains(&csp_source(scripts[0])),
        "the page's script is not the one {script_src} allows"
    );
    assert_eq!(
        script_src.split_whitespace().count(),
        2,
        "only that one script: {script_src}"
    );
    assert!(directive("style-src ").contains("'sha256-"), "{csp}");
    assert!(!html.contains(" style="), "no inline style attributes");
    let handler = html.match_indices(" on").any(|(i, _)| {
        let rest = &html[i + 3..];
        let name_len = rest.bytes().take_while(u8::is_ascii_lowercase).count();
        name_len > 0 && rest[name_len..].starts_with('=')
    });
    assert!(!handler, "no inline event handlers (onclick=…)");
    // The link's data travels as a JSON block that cannot end the script element.
    assert!(html.contains("<script type=application/json id=pay-data>"));

    // The return page and the not-found page obey the same policy.
    for path in [
        "/pay/return/INV-1".to_owned(),
        format!("/pay/{}", "x".repeat(32)),
    ] {
        let res = app
            .http
            .get(format!("{}{path}", app.public))
            .send()
            .await
            .expect("send");
        assert_eq!(res.headers()["content-security-policy"], csp.as_str());
        let html = res.text().await.expect("html");
        assert!(
            inline_scripts(&html).is_empty() && !html.contains(" style="),
            "{html}"
        );
    }
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

/// The shop's profile with or without bank accounts.
async fn set_profile(app: &TestApp, banks: Value) {
    let (status, body) = app
        .call(
            "PUT",
            "/api/settings/business",
            Some(
                json!({"name": "RT/RW Net Melati", "address": "Jl. Melati 4, Bogor",
                        "phone": "0812-1111-2222", "email": null, "logo_data_url": null,
                        "bank_accounts": banks, "tax_rate_bp": 0}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn without_a_gateway_the_pay_page_still_says_how_to_pay_and_whom_to_contact() {
    let app = spawn_app().await;
    set_profile(&app, json!([])).await;
    let (_, url) = invoice_with_link(&app, "tono").await;
    let html = app
        .http
        .get(&url)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("html");
    assert!(html.contains("RT/RW Net Melati") && html.contains("Jl. Melati 4, Bogor"));
    assert!(
        html.contains("https://wa.me/6281211112222?text="),
        "WhatsApp contact"
    );
    assert!(
        html.contains("bayar langsung di kantor kami"),
        "pay at the counter"
    );
    // The transfer card (with its proof form) is there for the page's script, but hidden:
    // there is no account to transfer to.
    let transfer_card = html
        .find("<form id=proof>")
        .and_then(|form| html[..form].rfind("<div class="))
        .map(|card| &html[card..card + 40])
        .unwrap_or_default();
    assert!(
        transfer_card.starts_with("<div class=\"card hidden\">"),
        "{transfer_card}"
    );

    // With bank accounts: transfer to them and upload the proof; no dead end.
    set_profile(
        &app,
        json!([{"bank": "BCA", "number": "1234567890", "holder": "Melati"}]),
    )
    .await;
    let html = app
        .http
        .get(&url)
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("Bayar dengan transfer ke rekening berikut:"),
        "{html}"
    );
    assert!(html.contains("1234567890") && html.contains("<form id=proof>"));
    assert!(!html.contains("bayar langsung di kantor kami"));
    assert!(
        html.contains("<div id=choose class=\"card hidden\">"),
        "no empty method list"
    );
    assert!(html.contains("https://wa.me/6281211112222"));
    app.shutdown().await;
}
