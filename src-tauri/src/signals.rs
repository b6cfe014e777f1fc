//! SIGTERM / SIGINT (Ctrl-C on Windows) take the same graceful path as the tray's "Keluar":
//! `AppHandle::exit` → `RunEvent::Exit` → `Application::shutdown`.

use tauri::AppHandle;

pub(crate) fn exit_on_termination(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let signal = termination().await;
        tracing::info!(signal, "termination signal received; quitting");
        app.exit(0);
    });
}

#[cfg(unix)]
async fn termination() -> &'static str {
    use tokio::signal::unix::{signal, SignalKind};

    let (mut terminate, mut interrupt) = match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(terminate), Ok(interrupt)) => (terminate, interrupt),
        (Err(error), _) | (_, Err(error)) => {
            tracing::warn!(%error, "cannot listen for SIGTERM/SIGINT");
            return std::future::pending().await;
        }
    };
    tokio::select! {
        _ = terminate.recv() => "SIGTERM",
        _ = interrupt.recv() => "SIGINT",
    }
}

#[cfg(not(unix))]
async fn termination() -> &'static str {
    if let Err(error) = tokio::signal::ctrl_c().await {
        tracing::warn!(%error, "cannot listen for Ctrl-C");
        return std::future::pending().await;
    }
    "Ctrl-C"
}
