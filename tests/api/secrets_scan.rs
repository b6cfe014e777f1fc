//! After a whole scenario — a router with a password (the simulator over TCP), Duitku with
//! its key and a paid callback, a WhatsApp session with its token and a message sent, PPPoE
//! passwords, staff logins, a backup — every secret the app was given or made is searched for
//! in everything it wrote: its logs (every level, every crate, TRACE included), every row of
//! every table, the backup archive and what is inside it, the files in its data directory,
//! and the API's answers. None may be found, in plain text, hex or base64.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use billing_tests::*;
use billing_whatsapp::ProviderKind;
use routeros_api::sim::SimConfig;
use secrecy::ExposeSecret;
use serde_json::{json, Value};

use crate::backups::{backup_path, create_backup};
use crate::billing::{customer_with_subscription, d, open_invoices, set_today};
use crate::payments::{choose, enable_duitku, webhook_url, API_KEY};
use crate::routers::{app_with_real_router, register, simulator};
use crate::whatsapp::add_session;

const ROUTER_PASSWORD: &str = "sandi-Router-7bQx2Lm9";
const STAFF_PASSWORD: &str = "Kasir-sandi-Hj83kq";

/// Everything written through `tracing` (and the `log` crate) on this test's thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

// A current-thread runtime: the app's tasks run on this thread, so the thread's
// subscriber sees all of them.
#[tokio::test(flavor = "current_thread")]
async fn no_secret_appears_in_logs_database_backups_files_or_answers() {
    let logs = Captured::default();
    // Libraries that log through `log` (reqwest, sqlx) reach the subscriber too.
    let _ = tracing_log::LogTracer::init();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::info!("capture works");

    let app = app_with_real_router().await;
    let mut answers: Vec<String> = Vec::new();
    let mut record = |v: &Value| answers.push(v.to_string());

    // A router with a password, over the RouterOS API.
    let sim = simulator(SimConfig {
        password: ROUTER_PASSWORD.into(),
        ..SimConfig::default()
    })
    .await;
    let router_id = register(&app, &sim, "admin", ROUTER_PASSWORD).await;
    let (status, tested) = app
        .call("POST", &format!("/api/routers/{router_id}/test"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "the router answers: {tested}");
    record(&tested);

    // Duitku with its key, against the fake that follows Duitku's formats.
    let (duitku, gw) = enable_duitku(&app).await;
    record(&gw);

    // A WhatsApp session with its token.
    let (wa, session) = add_session(&app, "Toko", ProviderKind::Fonnte, "primary").await;
    record(&session);

    // A staff account.
    let (status, staff) = app
        .call(
            "POST",
            "/api/admin/users",
            Some(json!({"username": "kasir", "password": STAFF_PASSWORD, "role": "cashier"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{staff}");
    let (status, login) = app.login("kasir", STAFF_PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{login}");
    let (status, wrong) = app.login("kasir", "Kasir-sandi-SALAH-1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{wrong}");

    // A subscriber with a PPPoE password pushed to the router; an invoice paid online.
    set_today(&app, d(2026, 11, 1));
    let (_, sub) = customer_with_subscription(&app, 150_000, "budi", d(2026, 11, 1)).await;
    app.call("POST", "/api/routers/commands/deliver", None)
        .await;
    let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
    let (status, link) = app
        .call(
            "GET",
            &format!("/api/invoices/{}/pay", invoice["id"].as_str().expect("id")),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{link}");
    let url = link["url"].as_str().expect("url").to_owned();
    let created = choose(&app, &url, "NQ").await;
    let merchant_ref = created["merchant_ref"].as_str().expect("ref");
    duitku.mark_paid(merchant_ref);
    let delivery = duitku
        .post_form(
            &webhook_url(&app),
            duitku.signed_callback_form(merchant_ref, "00"),
        )
        .await
        .expect("callback");
    assert_eq!(delivery.status, 200, "the paid callback is accepted");
    // A forged one too: logged as a security event, with no key in it.
    let forged = duitku
        .signed_callback_form(merchant_ref, "00")
        .replace("signature=", "signature=0");
    let refused = duitku
        .post_form(&webhook_url(&app), forged)
        .await
        .expect("forged");
    assert_eq!(refused.status, 401);
    let (_, drained) = app.call("POST", "/api/whatsapp/drain", None).await;
    record(&drained);
    assert!(
        !wa.sent().is_empty(),
        "the payment confirmation went out through the session: {drained}"
    );

    // The live event stream, opened with a single-use ticket in its URL (EventSource cannot
    // send headers): the ticket is a credential for 30 seconds and must not reach the logs.
    let (status, ticket) = app.call("POST", "/api/events/ticket", None).await;
    assert_eq!(status, StatusCode::OK, "{ticket}");
    let ticket = ticket["ticket"].as_str().expect("ticket").to_owned();
    let stream = app
        .http
        .get(format!("{}/api/events?ticket={ticket}", app.admin))
        .send()
        .await
        .expect("event stream");
    assert_eq!(stream.status(), StatusCode::OK);
    drop(stream);

    // A backup.
    let backup = create_backup(&app).await;
    record(&backup);

    for path in [
        "/api/routers",
        &format!("/api/routers/{router_id}"),
        "/api/settings/gateways",
        "/api/whatsapp/sessions",
        "/api/admin/users",
        "/api/audit?limit=500",
        "/api/security/events?limit=500",
        "/api/monitoring/health",
        "/api/subscriptions",
    ] {
        let (status, body) = app.call("GET", path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        record(&body);
    }

    // Every secret the app was given or made.
    let ctx = app.ctx();
    let mut secrets: Vec<(String, String)> = vec![
        ("router password".into(), ROUTER_PASSWORD.into()),
        ("Duitku API key".into(), API_KEY.into()),
        (
            "WhatsApp token".into(),
            billing_whatsapp::fake::FAKE_TOKEN.into(),
        ),
        ("PPPoE password".into(), "rahasia-pppoe".into()),
        ("owner password".into(), OWNER_PASSWORD.into()),
        ("staff password".into(), STAFF_PASSWORD.into()),
        ("mistyped password".into(), "Kasir-sandi-SALAH-1".into()),
        (
            "access token".into(),
            login["access_token"].as_str().expect("access").into(),
        ),
        (
            "refresh token".into(),
            login["refresh_token"].as_str().expect("refresh").into(),
        ),
    ];
    secrets.push(("event stream ticket".into(), ticket));
    // The customer's pay link is a capability (whoever has it sees the invoice and can pay).
    let pay_token = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .expect("a token at the end of the pay link")
        .to_owned();
    assert!(pay_token.len() >= 16, "pay link token: {url}");
    secrets.push(("pay link token".into(), pay_token));
    for name in ["jwt-signing-key", "data-key"] {
        let value = ctx.secrets.get(name).expect("keyring").expect("present");
        secrets.push((name.into(), value.expose_secret().to_owned()));
    }
    let db_url = url::Url::parse(&app.database_url).expect("url");
    if let Some(p) = db_url.password().filter(|p| p.len() >= 6) {
        secrets.push(("database password".into(), p.to_owned()));
    }

    // Where to look.
    let mut places: Vec<(String, Vec<u8>)> = Vec::new();
    let log_text = logs
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    assert!(
        String::from_utf8_lossy(&log_text).contains("capture works") && log_text.len() > 10_000,
        "the log capture saw nothing, so the search below would prove nothing"
    );
    places.push(("the logs".into(), log_text));
    places.push(("every row of every table".into(), all_rows(&app).await));
    places.push(("the API's answers".into(), answers.join("\n").into_bytes()));

    let archive = backup_path(&backup);
    let unpacked = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("tar")
        .arg("-xzf")
        .arg(&archive)
        .arg("-C")
        .arg(unpacked.path())
        .status()
        .expect("tar");
    assert!(status.success());
    let mut files = vec![archive.clone()];
    collect_files(unpacked.path(), &mut files);
    collect_files(app.data_dir.path(), &mut files);
    assert!(
        files.iter().any(|f| f.ends_with("database.dump")),
        "{files:?}"
    );
    for file in files {
        let bytes = std::fs::read(&file).expect("read");
        places.push((file.display().to_string(), bytes));
    }

    let mut found = Vec::new();
    for (what, secret) in &secrets {
        let forms = [
            secret.clone(),
            hex::encode(secret.as_bytes()),
            base64::engine::general_purpose::STANDARD.encode(secret.as_bytes()),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret.as_bytes()),
        ];
        for (place, bytes) in &places {
            for form in &forms {
                if contains(bytes, form.as_bytes()) {
                    found.push(format!("the {what} is in {place}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "secrets found:\n{}", found.join("\n"));

    app.shutdown().await;
}

/// Every row of every table, as text (bytea as hex).
async fn all_rows(app: &TestApp) -> Vec<u8> {
    let pool = app.pool().await;
    let tables: Vec<(String, String)> = sqlx::query_as(
        "select table_schema::text, table_name::text from information_schema.tables \
         where table_type = 'BASE TABLE' \
           and table_schema not in ('pg_catalog', 'information_schema')",
    )
    .fetch_all(&pool)
    .await
    .expect("tables");
    assert!(tables.len() > 20, "{tables:?}");
    let mut out = Vec::new();
    for (schema, table) in tables {
        let text: String = sqlx::query_scalar(&format!(
            "select coalesce(string_agg(t::text, E'\\n'), '') from \"{schema}\".\"{table}\" t"
        ))
        .fetch_one(&pool)
        .await
        .expect("rows");
        out.extend_from_slice(text.as_bytes());
        out.push(b'\n');
    }
    assert!(
        contains(&out, b"Pelanggan budi"),
        "the rows were not read as text"
    );
    out
}

fn collect_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}
