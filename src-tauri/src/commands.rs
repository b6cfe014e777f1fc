//! The few commands the dashboard may call when it runs inside the desktop window (Settings →
//! Desktop): where the data and logs are, open those folders, and the desktop preferences.
//! Only the dashboard's own origin may call them: `backend.rs` grants them at run time for
//! the exact admin URL (see [`grant_to_dashboard`]); nothing else is exposed to the webview.

use std::path::PathBuf;

use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Serialize, Serializer};
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

/// Why a desktop command failed. The webview receives `{kind, message}`: `kind` names the
/// failure (`save_prefs`, `autostart`, `create_folder`, `open_folder`), `message` says it in
/// plain words.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CommandError {
    #[error("could not save the desktop preferences: {0}")]
    SavePrefs(#[source] std::io::Error),
    #[error("could not change start with the system: {0}")]
    Autostart(#[source] tauri_plugin_autostart::Error),
    #[error("{}: {source}", dir.display())]
    CreateFolder {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not open {}: {source}", dir.display())]
    OpenFolder {
        dir: PathBuf,
        /// Boxed: the opener's error is large and this one is returned by value.
        #[source]
        source: Box<tauri_plugin_opener::Error>,
    },
}

impl CommandError {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            CommandError::SavePrefs(_) => "save_prefs",
            CommandError::Autostart(_) => "autostart",
            CommandError::CreateFolder { .. } => "create_folder",
            CommandError::OpenFolder { .. } => "open_folder",
        }
    }
}

impl Serialize for CommandError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("CommandError", 2)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.end()
    }
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
) -> Result<DesktopPrefs, CommandError> {
    apply_autostart(&app, prefs.autostart)?;
    store.set(prefs).map_err(CommandError::SavePrefs)?;
    tracing::info!(?prefs, "desktop preferences changed");
    Ok(prefs)
}

#[tauri::command]
pub(crate) fn open_folder(
    app: AppHandle,
    paths: State<'_, Paths>,
    folder: Folder,
) -> Result<(), CommandError> {
    let dir = match folder {
        Folder::Data => &paths.data_dir,
        Folder::Logs => &paths.logs_dir,
    };
    std::fs::create_dir_all(dir).map_err(|source| CommandError::CreateFolder {
        dir: dir.clone(),
        source,
    })?;
    app.opener()
        .open_path(dir.display().to_string(), None::<&str>)
        .map_err(|source| CommandError::OpenFolder {
            dir: dir.clone(),
            source: Box::new(source),
        })
}

/// Makes "start with the system" match the preference (at start and when it changes).
pub(crate) fn apply_autostart(app: &AppHandle, wanted: bool) -> Result<(), CommandError> {
    let launcher = app.autolaunch();
    let enabled = launcher.is_enabled().unwrap_or(false);
    let result = match (wanted, enabled) {
        (true, false) => launcher.enable(),
        (false, true) => launcher.disable(),
        _ => return Ok(()),
    };
    result.map_err(CommandError::Autostart)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_reach_the_webview_as_kind_and_message() {
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let expected = format!("/data/logs: {denied}");
        let err = CommandError::CreateFolder {
            dir: PathBuf::from("/data/logs"),
            source: denied,
        };
        let json = serde_json::to_value(&err).expect("json");
        assert_eq!(json["kind"], "create_folder");
        assert_eq!(json["message"], expected);
    }
}
