//! Refreshes the tray's status line (routers online, pending payments, WhatsApp sessions) from
//! the running application every [`REFRESH`].

use std::time::Duration;

use billing_app::insight::home::TrayStatus;
use billing_app::AppContext;
use tauri::menu::MenuItem;
use tauri::{AppHandle, Manager, Wry};

use crate::tray;

const REFRESH: Duration = Duration::from_secs(30);

/// The status line, in the tray menu's language (Indonesian).
pub(crate) fn describe(s: &TrayStatus) -> String {
    format!(
        "Router online {}/{} · Menunggu bayar {} · WhatsApp {}/{}",
        s.routers_online,
        s.routers_total,
        s.pending_payments,
        s.whatsapp_healthy,
        s.whatsapp_sessions
    )
}

/// Runs until aborted (on shutdown).
pub(crate) async fn refresh(app: AppHandle, ctx: AppContext) {
    let mut tick = tokio::time::interval(REFRESH);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match billing_app::insight::home::tray_status(&ctx).await {
            Ok(status) => show(&app, &describe(&status)),
            Err(error) => tracing::debug!(%error, "tray status not refreshed"),
        }
    }
}

fn show(app: &AppHandle, line: &str) {
    if let Some(item) = app.try_state::<tray::StatusItem>() {
        let item: &MenuItem<Wry> = &item.0;
        if let Err(error) = item.set_text(line) {
            tracing::debug!(%error, "could not update the tray status");
        }
    }
    if let Some(icon) = app.tray_by_id(tray::ID) {
        let _ = icon.set_tooltip(Some(format!("mikrobill — {line}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_line_names_each_figure() {
        let line = describe(&TrayStatus {
            routers_online: 2,
            routers_total: 3,
            pending_payments: 4,
            whatsapp_healthy: 1,
            whatsapp_sessions: 2,
        });
        assert_eq!(line, "Router online 2/3 · Menunggu bayar 4 · WhatsApp 1/2");
    }
}
