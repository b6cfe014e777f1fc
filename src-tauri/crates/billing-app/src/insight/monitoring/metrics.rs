//! `GET /api/monitoring/metrics`: Prometheus text. Every context has its own recorder (never
//! the process-wide one), so several apps in one process (the tests) keep their figures apart.
//! Counters and histograms are recorded as things happen (HTTP requests, job runs); figures
//! kept in the database (queues, payments) and the router round trips are read at scrape time.

use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

use crate::{AppContext, Error};

/// Seconds: from a fast API call to a slow job.
const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0,
];

pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
}

impl Default for Metrics {
    fn default() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
            .expect("the buckets are a non-empty constant")
            .build_recorder();
        let handle = recorder.handle();
        Metrics { recorder, handle }
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// Runs `f` with this context's recorder as the one `metrics::counter!` & co. write to.
    pub fn record<T>(&self, f: impl FnOnce() -> T) -> T {
        metrics::with_local_recorder(&self.recorder, f)
    }

    /// One HTTP request: `route` is the matched route template (`/api/customers/{id}`).
    pub fn http_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let (method, route, status) = (method.to_owned(), route.to_owned(), status.to_string());
        self.record(|| {
            metrics::counter!("mikrobill_http_requests_total", "method" => method.clone(),
                "route" => route.clone(), "status" => status)
            .increment(1);
            metrics::histogram!("mikrobill_http_request_duration_seconds", "method" => method,
                "route" => route)
            .record(seconds);
        });
    }

    /// One job run.
    pub fn job_run(&self, job: &str, ok: bool, seconds: f64) {
        let job = job.to_owned();
        self.record(|| {
            metrics::counter!("mikrobill_job_runs_total", "job" => job.clone(),
                "result" => if ok { "ok" } else { "failed" })
            .increment(1);
            if !ok {
                metrics::counter!("mikrobill_job_failures_total", "job" => job.clone())
                    .increment(1);
            }
            metrics::histogram!("mikrobill_job_duration_seconds", "job" => job).record(seconds);
        });
    }
}

type PaymentRow = (String, String, i64, i64);

/// The whole text: what was recorded plus the figures read now.
pub async fn render(ctx: &AppContext) -> Result<String, Error> {
    let m = &ctx.ops.metrics;
    let whatsapp: Vec<(String, i64)> =
        sqlx::query_as("select status, count(*) from whatsapp_messages where status in ('queued', 'sending') group by status")
            .fetch_all(&ctx.pool)
            .await?;
    let outbox: i64 =
        sqlx::query_scalar("select count(*) from router_commands where status = 'pending'")
            .fetch_one(&ctx.pool)
            .await?;
    let payments: Vec<PaymentRow> = sqlx::query_as(
        "select status, method, count(*), coalesce(sum(amount), 0)::bigint from payments \
         group by status, method",
    )
    .fetch_all(&ctx.pool)
    .await?;
    let routers: Vec<(uuid::Uuid, String, String)> =
        sqlx::query_as("select id, name, status from routers")
            .fetch_all(&ctx.pool)
            .await?;
    let active_alerts: Vec<(String, i64)> = sqlx::query_as(
        "select severity, count(*) from alerts where cleared_at is null group by severity",
    )
    .fetch_all(&ctx.pool)
    .await?;
    let rtts = ctx.ops.routers.round_trips();
    m.record(|| {
        for state in ["queued", "sending"] {
            let n = whatsapp.iter().find(|(s, _)| s == state).map_or(0, |(_, n)| *n);
            metrics::gauge!("mikrobill_whatsapp_queue_depth", "status" => state).set(n as f64);
        }
        metrics::gauge!("mikrobill_router_outbox_depth").set(outbox as f64);
        for (status, method, count, amount) in &payments {
            metrics::gauge!("mikrobill_payments", "status" => status.clone(), "method" => method.clone())
                .set(*count as f64);
            metrics::gauge!("mikrobill_payments_amount_rupiah", "status" => status.clone(),
                "method" => method.clone())
            .set(*amount as f64);
        }
        for (id, name, status) in &routers {
            metrics::gauge!("mikrobill_router_up", "router" => name.clone())
                .set(if status == "online" { 1.0 } else { 0.0 });
            if let Some(ms) = rtts.iter().find(|(r, _)| r == id).and_then(|(_, ms)| *ms) {
                metrics::gauge!("mikrobill_router_rtt_seconds", "router" => name.clone())
                    .set(ms as f64 / 1000.0);
            }
        }
        for severity in ["info", "warning", "critical"] {
            let n = active_alerts
                .iter()
                .find(|(s, _)| s == severity)
                .map_or(0, |(_, n)| *n);
            metrics::gauge!("mikrobill_alerts_active", "severity" => severity).set(n as f64);
        }
    });
    m.handle.run_upkeep();
    Ok(m.handle.render())
}
