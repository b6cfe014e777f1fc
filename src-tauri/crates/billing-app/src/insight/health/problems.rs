//! The problems at the top of the health page: every part that is not `ok`, worst first, each
//! with what to do and where. The page's overall status is the worst of these, so the headline,
//! the list and the panels below always agree.

use serde::Serialize;

use super::{Health, HealthCheck, HealthStatus};

/// A part that needs attention, with what to do about it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HealthProblem {
    /// The check that found it (its `kind`, `name`, `status`, `code`, `params` and `detail`).
    #[serde(flatten)]
    pub check: HealthCheck,
    /// What to do, in plain English (the dashboard translates `health.fix.<code>`).
    pub fix: String,
    /// Where in the dashboard it is fixed, e.g. `/routers/<id>` or `/backups`.
    pub link: Option<String>,
}

/// What to do about a finding, and where.
fn remedy(check: &HealthCheck) -> (&'static str, Option<String>) {
    let router = check.id.as_ref().map(|id| format!("/routers/{id}"));
    match check.code.as_str() {
        "database_restore_pending" => (
            "Check the restored data, then confirm or undo the restore on the Backups page.",
            Some("/backups".into()),
        ),
        "database_down" => (
            "Start the database server or check its address; the app reconnects by itself.",
            None,
        ),
        "router_login_failed" => (
            "Check the router's API user and password (Edit on the router's page), then test \
             the connection.",
            router,
        ),
        "router_unreachable" | "router_offline" => (
            "Check that the router is switched on and connected, and that its API service is \
             enabled on the port entered here.",
            router,
        ),
        "router_unchecked" => ("Test the connection on the router's page.", router),
        "whatsapp_pairing" => (
            "Scan the QR code on the WhatsApp page with the shop's phone.",
            Some("/whatsapp".into()),
        ),
        "whatsapp_failed" => (
            "Open the session on the WhatsApp page, check its settings and connect it again.",
            Some("/whatsapp".into()),
        ),
        "whatsapp_unchecked" => (
            "Wait a minute for the check, or test the session on the WhatsApp page.",
            Some("/whatsapp".into()),
        ),
        "gateway_no_key" => (
            "Enter the gateway's key again under Settings, Online payment.",
            Some("/settings?tab=online".into()),
        ),
        "gateway_error" | "gateway_bad_signatures" => (
            "Check that the gateway's keys and environment under Settings match the gateway's \
             own dashboard.",
            Some("/settings?tab=online".into()),
        ),
        "scheduler_off" => (
            "Turn the scheduler on (billing.jobs = true in settings.toml) and restart the app.",
            None,
        ),
        "backup_failed" | "backup_old" | "backup_none" => (
            "Make a backup now on the Backups page.",
            Some("/backups".into()),
        ),
        "disk_low" => (
            "Free up space on this disk, or keep fewer backups.",
            Some("/backups".into()),
        ),
        "disk_copy_missing" => (
            "Plug the second backup drive back in, or choose another folder on the Backups page.",
            Some("/backups".into()),
        ),
        "secrets_in_file" => (
            "Keep the secrets key safe, away from this computer: without it the saved passwords \
             and keys cannot be read.",
            None,
        ),
        "secrets_not_persistent" => (
            "Give a secrets key (MIKROBILL_SECRETS_KEY or secrets.key_file) so the saved \
             passwords and keys survive a restart.",
            None,
        ),
        _ => ("Reload the page; if it stays, see the detail below.", None),
    }
}

/// Every part of `health` that is not `ok`, worst first (then in page order).
pub(super) fn collect(health: &Health) -> Vec<HealthProblem> {
    let database = super::check(
        "database",
        None,
        health
            .database
            .name
            .clone()
            .unwrap_or_else(|| "database".into()),
        health.database.status,
        &health.database.code,
        &[],
        health.database.detail.clone(),
    );
    let database = HealthCheck {
        params: health.database.params.clone(),
        since: health.database.down_since,
        ..database
    };
    let mut problems: Vec<HealthProblem> = std::iter::once(&database)
        .chain(&health.routers)
        .chain(&health.whatsapp)
        .chain(&health.gateways)
        .chain(&health.jobs)
        .chain(&health.disk)
        .chain(std::iter::once(&health.secrets))
        .filter(|c| c.status != HealthStatus::Ok)
        .map(|c| {
            let (fix, link) = remedy(c);
            HealthProblem {
                check: c.clone(),
                fix: fix.to_owned(),
                link,
            }
        })
        .collect();
    // Stable: the page order is kept within a status.
    problems.sort_by_key(|p| std::cmp::Reverse(p.check.status));
    problems
}
