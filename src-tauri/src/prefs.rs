//! Desktop-only preferences (close to tray, start with the system), kept in
//! `<data dir>/desktop.json` next to the rest of the user's data. Missing or unreadable files give
//! the defaults: closing hides the window to the tray, no autostart.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesktopPrefs {
    /// Closing the window hides it; the app keeps running in the tray (Quit from the tray).
    #[serde(default = "yes")]
    pub close_to_tray: bool,
    /// Start mikrobill when the user logs in.
    #[serde(default)]
    pub autostart: bool,
}

fn yes() -> bool {
    true
}

impl Default for DesktopPrefs {
    fn default() -> Self {
        Self {
            close_to_tray: true,
            autostart: false,
        }
    }
}

/// The preferences file and its current content (managed Tauri state).
#[derive(Debug)]
pub struct PrefsStore {
    path: PathBuf,
    current: Mutex<DesktopPrefs>,
}

impl PrefsStore {
    pub fn open(data_dir: &Path) -> Self {
        let path = data_dir.join("desktop.json");
        let current = load(&path);
        Self {
            path,
            current: Mutex::new(current),
        }
    }

    pub fn get(&self) -> DesktopPrefs {
        *self.current.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes the file (through a temporary file, so a crash never leaves half of it) and
    /// then updates the in-memory copy.
    pub fn set(&self, prefs: DesktopPrefs) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = self.path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(&prefs).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &self.path)?;
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = prefs;
        Ok(())
    }
}

fn load(path: &Path) -> DesktopPrefs {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|error| {
            tracing::warn!(%error, path = %path.display(), "unreadable desktop preferences; using the defaults");
            DesktopPrefs::default()
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => DesktopPrefs::default(),
        Err(error) => {
            tracing::warn!(%error, path = %path.display(), "cannot read the desktop preferences; using the defaults");
            DesktopPrefs::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_keep_the_app_in_the_tray_without_autostart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = PrefsStore::open(dir.path());
        assert_eq!(
            store.get(),
            DesktopPrefs {
                close_to_tray: true,
                autostart: false
            }
        );
    }

    #[test]
    fn saved_preferences_survive_a_restart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let wanted = DesktopPrefs {
            close_to_tray: false,
            autostart: true,
        };
        PrefsStore::open(dir.path()).set(wanted).expect("save");
        assert_eq!(PrefsStore::open(dir.path()).get(), wanted);
    }

    #[test]
    fn a_broken_or_partial_file_falls_back_field_by_field() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("desktop.json"), "{\"autostart\": true}").expect("write");
        let got = PrefsStore::open(dir.path()).get();
        assert!(got.autostart && got.close_to_tray, "{got:?}");
        std::fs::write(dir.path().join("desktop.json"), "not json").expect("write");
        assert_eq!(PrefsStore::open(dir.path()).get(), DesktopPrefs::default());
    }
}
