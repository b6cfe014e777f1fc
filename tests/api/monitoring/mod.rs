//! Monitoring: Prometheus metrics, alert rules that fire and clear, router charts, the live
//! event stream and the retention periods.

mod alerts;
mod events;
mod metrics;
mod retention;
mod samples;

use billing_app::ops::jobs::{self, Trigger};
use billing_tests::*;
use serde_json::{json, Value};

/// Runs a job of the registry as "run now" does and returns its summary.
pub async fn run_job(app: &TestApp, name: &str) -> String {
    let run = jobs::run(&app.ctx(), name, Trigger::Manual)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(run.ok, "{name} failed: {:?}", run.error);
    run.summary
}

/// The owner's WhatsApp number (where alerts and reports go).
pub async fn set_owner_phone(app: &TestApp) {
    let (status, body) = app
        .call(
            "PUT",
            "/api/whatsapp/settings",
            Some(json!({"quiet_start": null, "quiet_end": null,
                        "reminder_days": [3, 1], "owner_phone": "0811-0000-001"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

pub async fn monitoring_settings(app: &TestApp) -> Value {
    let (status, body) = app.call("GET", "/api/monitoring/settings", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}
