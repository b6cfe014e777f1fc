//! The main window: reveal it, point it at the dashboard, or show a startup error.

use tauri::{AppHandle, Manager, Url, WebviewWindow};

/// Label of the window declared in `tauri.conf.json`.
pub(crate) const MAIN: &str = "main";

fn main_window(app: &AppHandle) -> Option<WebviewWindow> {
    let window = app.get_webview_window(MAIN);
    if window.is_none() {
        tracing::warn!("the main window is gone");
    }
    window
}

/// Shows, un-minimises and focuses the main window (tray "Buka", a second launch).
pub(crate) fn reveal(app: &AppHandle) {
    let Some(window) = main_window(app) else {
        return;
    };
    let result = window
        .show()
        .and_then(|()| window.unminimize())
        .and_then(|()| window.set_focus());
    if let Err(error) = result {
        tracing::warn!(%error, "could not bring the main window to the front");
    }
}

/// Replaces the loading page with the dashboard served by the admin listener.
pub(crate) fn show_dashboard(app: &AppHandle, admin_url: &str) {
    let url = match Url::parse(admin_url) {
        Ok(url) => url,
        Err(error) => {
            tracing::error!(%error, admin_url, "the admin URL is not a valid URL");
            return show_startup_error(app, &format!("Alamat dasbor tidak valid: {admin_url}"));
        }
    };
    let Some(window) = main_window(app) else {
        return;
    };
    if let Err(error) = window.navigate(url) {
        tracing::error!(%error, admin_url, "could not open the dashboard");
    }
}

/// Reloads the bundled loading page with the error sentence in its query string; the page shows
/// it instead of the spinner. (Navigating rather than `eval` cannot race the first page load.)
pub(crate) fn show_startup_error(app: &AppHandle, message: &str) {
    let Some(window) = main_window(app) else {
        return;
    };
    let result = window.url().and_then(|mut url| {
        url.set_query(None);
        url.query_pairs_mut().append_pair("error", message);
        window.navigate(url)
    });
    if let Err(error) = result {
        tracing::error!(%error, "could not show the startup error in the window");
    }
}
