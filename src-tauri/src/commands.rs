//! The few commands the dashboard may call when it runs inside the desktop window (Settings →
//! Desktop): where the data and logs are, open those folders, and the desktop preferences.
//! Only the dashboard's own origin may call them: `backend.rs` grants them at run time for
//! the exact admin URL (see [`grant_to_dashboard`]); nothing else is exposed to the webview.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use tauri::ipc::CapabilityBuilder;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_autostart::ManagerExt as _;
use tauri_plugin_opener::OpenerExt as _;

use crate::prefs::{DesktopPrefs, PrefsStore};

/// The app commands, as listed in `build.rs`'s app manifest.
pub(crate) const COMMANDS: [&str; 3] = ["desktop_info", "set_desktop_prefs", "open_folder"];

/// Where the user's data lives (managed state).
#[derive(Debug, Clone)]
pub(crate) struct Paths {
    pub data_dir: PathBuf,
    pub logs_dir: PathBuf,
}

#[derive(Debug, Serialize)]
pub(crate) struct DesktopInfo {
    data_dir: String,
    logs_dir: String,
    prefs: DesktopPrefs,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Folder {
    Data,
    Logs,
}

#[tauri::command]
pub(crate) fn desktop_info(paths: State<'_, Paths>, prefs: State<'_, PrefsStore>) -> DesktopInfo {
    DesktopInfo {
        data_dir: paths.data_dir.display().to_string(),
        logs_dir: paths.logs_dir.display().to_string(),
        prefs: prefs.get(),
    }
}

#[tauri::command]
pub(crate) fn set_desktop_prefs(
    app: AppHandle,
    store: State<'_, PrefsStore>,
    prefs: DesktopPrefs,
) -> Result<DesktopPrefs, String> {
    apply_autostart(&app, prefs.autostart)?;
    store
        .set(prefs)
        .map_err(|e| format!("could not save the desktop preferences: {e}"))?;
    tracing::info!(?prefs, "desktop preferences changed");
    Ok(prefs)
}

#[tauri::command]
pub(crate) fn open_folder(
    app: AppHandle,
    paths: State<'_, Paths>,
    folder: Folder,
) -> Result<(), String> {
    let dir = match folder {
        Folder::Data => &paths.data_dir,
        Folder::Logs => &paths.logs_dir,
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|e| format!("could not open {}: {e}", dir.display()))
}

/// Makes "start with the system" match the preference (at start and when it changes).
pub(crate) fn apply_autostart(app: &AppHandle, wanted: bool) -> Result<(), String> {
    let launcher = app.autolaunch();
    let enabled = launcher.is_enabled().unwrap_or(false);
    let result = match (wanted, enabled) {
        (true, false) => launcher.enable(),
        (false, true) => launcher.disable(),
        _ => return Ok(()),
    };
    result.map_err(|e| format!("could not change start with the system: {e}"))
}

/// Lets the dashboard at `admin_url` (and only it) call [`COMMANDS`] and listen to events.
pub(crate) fn grant_to_dashboard(app: &AppHandle, admin_url: &str) {
    let mut capability = CapabilityBuilder::new("dashboard")
        .remote(admin_url.trim_end_matches('/').to_owned())
        .window(crate::window::MAIN)
        .permission("core:event:allow-listen")
        .permission("core:event:allow-unlisten");
    for command in COMMANDS {
        capability = capability.permission(format!("allow-{}", command.replace('_', "-")));
    }
    if let Err(error) = app.add_capability(capability) {
        tracing::warn!(%error, "the dashboard gets no desktop commands");
    }
}
