//! The app's event bus seen from the desktop: every [`BillingEvent`] is forwarded to the webview
//! as the Tauri event `billing-event`, and the ones worth interrupting the user for become a
//! desktop notification.

use billing_app::events::BillingEvent;
use billing_app::AppContext;
use tauri::{AppHandle, Emitter};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

/// Name of the Tauri event carrying a [`BillingEvent`] (JSON, tagged by `type`).
pub(crate) const WEBVIEW_EVENT: &str = "billing-event";

/// The desktop notification (title, body) for an event, or `None` for events that only update
/// open pages. The one place that decides what pops up.
pub(crate) fn notification_for(event: &BillingEvent) -> Option<(String, String)> {
    match event {
        BillingEvent::PaymentSettled { amount, .. } => Some((
            "Pembayaran diterima".into(),
            format!("{} sudah masuk.", billing_documents::format_rupiah(*amount)),
        )),
        BillingEvent::PaymentChanged { .. } => None,
        BillingEvent::WhatsAppSessionFailed {
            name,
            reason,
            promoted,
            ..
        } => Some((
            "Sesi WhatsApp berhenti".into(),
            match promoted {
                Some(backup) => format!(
                    "{name}: {reason}. {backup} sekarang menjadi sesi utama; {name} kembali \
                     sebagai cadangan setelah tersambung lagi."
                ),
                None => format!("{name}: {reason}. Pesan dikirim lewat sesi lain."),
            },
        )),
        BillingEvent::SubscriptionChanged { .. }
        | BillingEvent::VoucherActivated { .. }
        | BillingEvent::VoucherExpired { .. }
        | BillingEvent::VoucherRemoved { .. }
        | BillingEvent::PppoeConnected { .. }
        | BillingEvent::PppoeDisconnected { .. }
        | BillingEvent::ActiveUsers { .. }
        | BillingEvent::ShopOrderPaid { .. }
        | BillingEvent::ShopOrderChanged { .. } => None,
        BillingEvent::AlertRaised(alert) => Some((
            format!("{}: {}", severity_word(&alert.severity), alert.title),
            alert.message.clone(),
        )),
        BillingEvent::AlertCleared(alert) => Some((
            format!("Pulih: {}", alert.title),
            "Kondisinya sudah normal kembali.".into(),
        )),
    }
}

fn severity_word(severity: &str) -> &'static str {
    match severity {
        "critical" => "Kritis",
        "warning" => "Peringatan",
        _ => "Info",
    }
}

/// Runs until the bus closes (the application shut down) or the task is aborted.
pub(crate) async fn forward(app: AppHandle, ctx: AppContext) {
    let mut events = ctx.events.subscribe();
    loop {
        match events.recv().await {
            Ok(event) => {
                if let Err(error) = app.emit(WEBVIEW_EVENT, &event) {
                    tracing::debug!(%error, "could not forward an event to the window");
                }
                if let Some((title, body)) = notification_for(&event) {
                    let shown = app.notification().builder().title(title).body(body).show();
                    if let Err(error) = shown {
                        tracing::warn!(%error, "could not show a desktop notification");
                    }
                }
            }
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(
                    missed,
                    "desktop notifications fell behind; some were skipped"
                );
            }
            Err(RecvError::Closed) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn a_settled_payment_pops_up_with_its_amount_in_rupiah() {
        let event = BillingEvent::PaymentSettled {
            payment_id: Uuid::nil(),
            invoice_id: None,
            customer_id: Uuid::nil(),
            amount: 150_000,
        };
        let (title, body) = notification_for(&event).expect("a notification");
        assert_eq!(title, "Pembayaran diterima");
        assert!(body.contains("150.000"), "{body}");
    }

    #[test]
    fn a_failed_whatsapp_session_pops_up_and_a_status_change_does_not() {
        let failed = BillingEvent::WhatsAppSessionFailed {
            session_id: Uuid::nil(),
            name: "Kantor".into(),
            reason: "logged out".into(),
            promoted: None,
        };
        let (_, body) = notification_for(&failed).expect("a notification");
        assert!(body.starts_with("Kantor: logged out"), "{body}");
        let promoted = BillingEvent::WhatsAppSessionFailed {
            session_id: Uuid::nil(),
            name: "Kantor".into(),
            reason: "logged out".into(),
            promoted: Some("Cadangan".into()),
        };
        let (_, body) = notification_for(&promoted).expect("a notification");
        assert!(
            body.contains("Cadangan sekarang menjadi sesi utama"),
            "{body}"
        );
        let changed = BillingEvent::PaymentChanged {
            payment_id: Uuid::nil(),
            invoice_id: None,
            status: "expired".into(),
        };
        assert_eq!(notification_for(&changed), None);
    }

    #[test]
    fn an_alert_pops_up_with_its_severity_and_its_clearing_says_so() {
        let alert = billing_app::events::AlertEvent {
            alert_id: Uuid::nil(),
            rule_id: None,
            metric: "router_offline".into(),
            subject: String::new(),
            title: "Router Kantor mati".into(),
            message: "Tidak menjawab sejak 10.02".into(),
            severity: "critical".into(),
        };
        let (title, body) =
            notification_for(&BillingEvent::AlertRaised(alert.clone())).expect("raised");
        assert_eq!(title, "Kritis: Router Kantor mati");
        assert_eq!(body, "Tidak menjawab sejak 10.02");
        let (title, _) = notification_for(&BillingEvent::AlertCleared(alert)).expect("cleared");
        assert_eq!(title, "Pulih: Router Kantor mati");
        let isolated = BillingEvent::SubscriptionChanged {
            subscription_id: Uuid::nil(),
            status: "isolated".into(),
        };
        assert_eq!(notification_for(&isolated), None);
    }
}
