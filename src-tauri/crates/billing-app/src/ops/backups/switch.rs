//! Which database the app uses, kept in `DATA_DIR/database.json` so the choice survives a
//! restart, and the switch that moves the running pool to another database.
//!
//! After a restore the pool is pointed at the new database: connections opened before the
//! switch are closed instead of being handed out again (the pool's acquire/release hooks ask
//! [`PoolSwitch::is_stale`]), and every new connection checks that it reached the database
//! it was meant to. The previous database stays untouched until the owner confirms.

use std::path::{Path, PathBuf};
use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use uuid::Uuid;

const FILE: &str = "database.json";

/// The content of `database.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseChoice {
    /// `local`, or `host:port` of a remote server: the file only applies to that server…
    pub server: String,
    /// …and to that configured database name.
    pub configured: String,
    /// The database in use.
    pub active: String,
    /// The database in use before a restore; kept until the owner confirms or undoes it.
    #[serde(default)]
    pub previous: Option<String>,
    #[serde(default)]
    pub restored_backup: Option<Uuid>,
    #[serde(default)]
    pub restored_file: Option<String>,
    #[serde(default)]
    pub switched_at: Option<DateTime<Utc>>,
}

impl DatabaseChoice {
    /// No restore yet: the configured database.
    pub fn configured(server: &str, configured: &str) -> DatabaseChoice {
        DatabaseChoice {
            server: server.to_owned(),
            configured: configured.to_owned(),
            active: configured.to_owned(),
            previous: None,
            restored_backup: None,
            restored_file: None,
            switched_at: None,
        }
    }

    pub fn path(data_dir: &Path) -> PathBuf {
        data_dir.join(FILE)
    }

    /// The choice recorded for this server and configured name, or the configured database.
    /// A file that cannot be read is an error (silently using another database would be worse).
    pub fn load(data_dir: &Path, server: &str, configured: &str) -> Result<DatabaseChoice, String> {
        let path = Self::path(data_dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::configured(server, configured))
            }
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let choice: DatabaseChoice = serde_json::from_str(&text).map_err(|e| {
            format!(
                "{} is damaged ({e}); it names the database restored from a backup. Fix or \
                 delete it to use the configured database {configured:?}",
                path.display()
            )
        })?;
        if choice.server == server && choice.configured == configured {
            Ok(choice)
        } else {
            tracing::info!(
                file = %path.display(),
                "database.json is for another database server or name; using the settings"
            );
            Ok(Self::configured(server, configured))
        }
    }

    /// Writes the file atomically (a temporary file renamed over it).
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        let path = Self::path(data_dir);
        let tmp = data_dir.join(format!("{FILE}.tmp"));
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::fs::write(&tmp, text)?;
        if let Ok(file) = std::fs::File::open(&tmp) {
            let _ = file.sync_all();
        }
        std::fs::rename(&tmp, &path)
    }
}

/// Remembers when the pool was moved to another database.
#[derive(Debug, Default)]
pub struct PoolSwitch {
    switched_at: RwLock<Option<Instant>>,
    expected: RwLock<Option<String>>,
}

impl PoolSwitch {
    /// Whether a connection of this age was opened before the last switch (so it may be
    /// connected to the previous database and must be closed).
    pub fn is_stale(&self, age: Duration) -> bool {
        let Some(at) = self.switched_at.read().ok().and_then(|t| *t) else {
            return false;
        };
        match Instant::now().checked_sub(age) {
            Some(opened) => opened <= at,
            None => true,
        }
    }

    /// The database new connections must reach, once a switch happened.
    pub fn expected_database(&self) -> Option<String> {
        self.expected.read().ok().and_then(|e| e.clone())
    }

    /// Points the pool at `database`; connections to the old one are closed as they come
    /// back to the pool.
    pub fn switch(&self, pool: &PgPool, database: &str) {
        if let Ok(mut e) = self.expected.write() {
            *e = Some(database.to_owned());
        }
        let options = (*pool.connect_options()).clone().database(database);
        pool.set_connect_options(options);
        if let Ok(mut t) = self.switched_at.write() {
            *t = Some(Instant::now());
        }
        tracing::info!(database, "the app now uses another database");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_survives_a_restart_and_only_applies_to_its_server_and_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fresh = DatabaseChoice::load(dir.path(), "local", "mikrobill").expect("load");
        assert_eq!(fresh.active, "mikrobill");

        let mut choice = DatabaseChoice::configured("local", "mikrobill");
        choice.active = "mikrobill_r20261128010000".into();
        choice.previous = Some("mikrobill".into());
        choice.save(dir.path()).expect("save");
        assert_eq!(
            DatabaseChoice::load(dir.path(), "local", "mikrobill").expect("load"),
            choice
        );
        let other =
            DatabaseChoice::load(dir.path(), "db.example.id:5432", "mikrobill").expect("load");
        assert_eq!(other.active, "mikrobill");
        let renamed = DatabaseChoice::load(dir.path(), "local", "tagihan").expect("load");
        assert_eq!(renamed.active, "tagihan");
    }

    #[test]
    fn a_damaged_choice_file_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("database.json"), "{not json").expect("write");
        let err = DatabaseChoice::load(dir.path(), "local", "mikrobill").expect_err("damaged");
        assert!(err.contains("database.json is damaged"), "{err}");
    }

    #[test]
    fn connections_older_than_the_switch_are_stale() {
        let switch = PoolSwitch::default();
        assert!(!switch.is_stale(Duration::from_secs(3600)));
        *switch.switched_at.write().expect("lock") = Some(Instant::now());
        assert!(switch.is_stale(Duration::from_millis(50)));
        std::thread::sleep(Duration::from_millis(5));
        assert!(!switch.is_stale(Duration::ZERO));
    }
}
