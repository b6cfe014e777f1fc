//! `GET /api/monitoring/metrics`: Prometheus text that parses, with requests per route
//! template, job runs, queue depths, router round trips and payments.

use std::collections::BTreeMap;
use std::time::Duration;

use billing_tests::*;
use routeros_api::sim::SimConfig;

use super::run_job;
use crate::billing::{customer_with_subscription, d, open_invoices, pay};
use crate::routers::{app_with_real_router, register, simulator};

#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// Parses the Prometheus text exposition format (0.0.4) strictly enough to fail on
/// anything malformed: `# HELP`/`# TYPE` lines, `name{label="value",…} value`.
fn parse(text: &str) -> Vec<Sample> {
    let mut out = vec![];
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let kind = parts.next().unwrap_or_default();
            let name = parts.next().unwrap_or_default();
            assert!(matches!(kind, "HELP" | "TYPE"), "bad comment: {line}");
            assert!(is_name(name), "bad name in: {line}");
            if kind == "TYPE" {
                let t = parts.next().unwrap_or_default();
                assert!(
                    ["counter", "gauge", "histogram", "summary", "untyped"].contains(&t),
                    "bad type: {line}"
                );
            }
            continue;
        }
        let (series, value) = line
            .rsplit_once(' ')
            .unwrap_or_else(|| panic!("no value: {line}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("bad value: {line}")),
        };
        let (name, labels) = match series.split_once('{') {
            None => (series, BTreeMap::new()),
            Some((name, rest)) => {
                let body = rest
                    .strip_suffix('}')
                    .unwrap_or_else(|| panic!("unclosed labels: {line}"));
                let mut labels = BTreeMap::new();
                let mut rest = body;
                while !rest.is_empty() {
                    let (k, after) = rest
                        .split_once("=\"")
                        .unwrap_or_else(|| panic!("bad label: {line}"));
                    assert!(is_name(k), "bad label name: {line}");
                    let mut v = String::new();
                    let mut chars = after.char_indices();
                    let mut end = None;
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '\\' => {
                                let (_, e) = chars.next().unwrap_or_else(|| panic!("{line}"));
                                v.push(match e {
                                    'n' => '\n',
                                    other => other,
                                });
                            }
                            '"' => {
                                end = Some(i);
                                break;
                            }
                            c => v.push(c),
                        }
                    }
                    let end = end.unwrap_or_else(|| panic!("unclosed value: {line}"));
                    labels.insert(k.to_owned(), v);
                    rest = after[end + 1..].trim_start_matches(',');
                }
                (name, labels)
            }
        };
        assert!(is_name(name), "bad metric name: {line}");
        out.push(Sample {
            name: name.to_owned(),
            labels,
            value,
        });
    }
    out
}

fn find<'a>(samples: &'a [Sample], name: &str, labels: &[(&str, &str)]) -> Option<&'a Sample> {
    samples.iter().find(|s| {
        s.name == name
            && labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
    })
}

#[tokio::test]
async fn metrics_parse_as_prometheus_text_and_show_requests_jobs_queues_rtt_and_payments() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    register(&app, &sim, "admin", "").await;
    let (_, sub) = customer_with_subscription(&app, 150_000, "budi", d(2026, 11, 1)).await;
    let invoice = open_invoices(&app, &sub["id"]).await[0].clone();
    let total = invoice["total"].as_i64().expect("total");
    let (status, body) = pay(&app, &invoice["id"], total).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let unknown = uuid::Uuid::new_v4();
    let (status, _) = app
        .call("GET", &format!("/api/customers/{unknown}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    run_job(&app, "retention").await;
    // The health page probes the router in the background; wait for its round trip.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (_, h) = app.call("GET", "/api/monitoring/health", None).await;
        if h["routers"][0]["status"] == "ok" {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "router never ok: {h}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    let res = app
        .http
        .get(format!("{}/api/monitoring/metrics", app.admin))
        .bearer_auth(app.token().await)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = res.text().await.expect("body");
    let samples = parse(&text);

    // Requests by route template, never by raw path.
    let not_found = find(
        &samples,
        "mikrobill_http_requests_total",
        &[
            ("method", "GET"),
            ("route", "/api/customers/{id}"),
            ("status", "404"),
        ],
    )
    .unwrap_or_else(|| panic!("no 404 series:\n{text}"));
    assert_eq!(not_found.value, 1.0);
    assert!(
        !text.contains(&unknown.to_string()),
        "a raw path leaked:\n{text}"
    );
    assert!(
        find(
            &samples,
            "mikrobill_http_requests_total",
            &[
                ("method", "POST"),
                ("route", "/api/payments"),
                ("status", "201")
            ],
        )
        .is_some(),
        "{text}"
    );
    let latency = find(
        &samples,
        "mikrobill_http_request_duration_seconds_count",
        &[("method", "GET"), ("route", "/api/monitoring/health")],
    )
    .unwrap_or_else(|| panic!("no latency histogram:\n{text}"));
    assert!(latency.value >= 1.0);
    assert!(find(
        &samples,
        "mikrobill_http_request_duration_seconds_bucket",
        &[("route", "/api/monitoring/health"), ("le", "+Inf")],
    )
    .is_some());

    // Jobs.
    let runs = find(
        &samples,
        "mikrobill_job_runs_total",
        &[("job", "retention"), ("result", "ok")],
    )
    .unwrap_or_else(|| panic!("no job series:\n{text}"));
    assert_eq!(runs.value, 1.0);
    assert!(find(
        &samples,
        "mikrobill_job_duration_seconds_count",
        &[("job", "retention")]
    )
    .is_some());

    // Queues: the payment queued a WhatsApp receipt (no session, so it waits).
    let queued: i64 =
        sqlx::query_scalar("select count(*) from whatsapp_messages where status = 'queued'")
            .fetch_one(&app.pool().await)
            .await
            .expect("count");
    let depth = find(
        &samples,
        "mikrobill_whatsapp_queue_depth",
        &[("status", "queued")],
    )
    .unwrap_or_else(|| panic!("no queue depth:\n{text}"));
    assert_eq!(depth.value, queued as f64);
    assert!(
        find(&samples, "mikrobill_router_outbox_depth", &[]).is_some(),
        "{text}"
    );

    // Router round trip and state.
    let rtt = find(
        &samples,
        "mikrobill_router_rtt_seconds",
        &[("router", "Kantor Pusat")],
    )
    .unwrap_or_else(|| panic!("no router rtt:\n{text}"));
    assert!(rtt.value >= 0.0 && rtt.value < 2.0, "{rtt:?}");

    // Payments by status and method.
    let paid = find(
        &samples,
        "mikrobill_payments",
        &[("status", "paid"), ("method", "cash")],
    )
    .unwrap_or_else(|| panic!("no payments:\n{text}"));
    assert_eq!(paid.value, 1.0);
    let amount = find(
        &samples,
        "mikrobill_payments_amount_rupiah",
        &[("status", "paid"), ("method", "cash")],
    )
    .expect("amount");
    assert_eq!(amount.value, total as f64);

    // Another app in this process keeps its own figures.
    let other = spawn_app().await;
    let (status, body) = other.call("GET", "/api/monitoring/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    let other_text = body
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| body.to_string());
    assert!(!other_text.contains("/api/customers/{id}"), "{other_text}");
    other.shutdown().await;
    app.shutdown().await;
}
