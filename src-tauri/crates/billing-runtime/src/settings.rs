//! Layered settings: compiled defaults → `settings.toml` → `MIKROBILL__SECTION__KEY`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use secrecy::SecretString;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// Where the cluster, logs and runtime files live.
    pub data_dir: PathBuf,
    /// The installer's resource folder (bundled Postgres, the dashboard); set by the shell.
    #[serde(default)]
    pub resource_dir: Option<PathBuf>,
    pub database: DatabaseSettings,
    pub admin: AdminSettings,
    pub public: PublicSettings,
    pub business: BusinessSettings,
    pub billing: BillingSettings,
    pub log: LogSettings,
    pub secrets: SecretsSettings,
    /// Seed demo data and start the built-in RouterOS simulator.
    #[serde(default)]
    pub demo: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatabaseMode {
    /// The app runs its own PostgreSQL cluster in `data_dir/pgdata`.
    Local,
    /// A server reached by `database.url` or `MIKROBILL_DATABASE_URL`.
    Remote,
}

#[derive(Clone, Deserialize)]
pub struct DatabaseSettings {
    pub mode: DatabaseMode,
    /// Connection URL in remote mode (`postgres://user:pass@host:5432/db?sslmode=require`).
    #[serde(default)]
    pub url: Option<SecretString>,
    /// Database name inside the local cluster.
    pub name: String,
    /// Fixed port for the local cluster; a free one is picked when unset.
    #[serde(default)]
    pub port: Option<u16>,
    /// Directory holding initdb/pg_ctl/postgres (also `MIKROBILL_PG_BIN`).
    #[serde(default)]
    pub pg_bin: Option<PathBuf>,
    pub max_connections: u32,
    pub connect_timeout_secs: u64,
    /// How often this instance refreshes its claim on the database (its row in
    /// `app_instances`), and notices a lost claim connection to take it again.
    pub heartbeat_secs: u64,
}

impl std::fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("mode", &self.mode)
            .field("url", &self.url.as_ref().map(|_| "[redacted]"))
            .field("name", &self.name)
            .field("port", &self.port)
            .field("pg_bin", &self.pg_bin)
            .finish()
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct AdminSettings {
    /// Must be a loopback address: the admin API is never exposed.
    pub addr: SocketAddr,
    /// The built dashboard; found next to the binary or in the source tree when unset.
    #[serde(default)]
    pub ui_dir: Option<PathBuf>,
    /// Requests per second (and burst) per signed-in account, and per address for
    /// refused tokens.
    #[serde(default)]
    pub limits: AdminLimitSettings,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default)]
pub struct AdminLimitSettings {
    pub per_account_per_second: u32,
    pub per_account_burst: u32,
    pub refused_per_second: u32,
    pub refused_burst: u32,
}

impl Default for AdminLimitSettings {
    fn default() -> Self {
        let d = billing_http::admin::limits::AdminLimitsConfig::default();
        AdminLimitSettings {
            per_account_per_second: d.per_account_per_second,
            per_account_burst: d.per_account_burst,
            refused_per_second: d.refused_per_second,
            refused_burst: d.refused_burst,
        }
    }
}

impl From<AdminLimitSettings> for billing_http::admin::limits::AdminLimitsConfig {
    fn from(s: AdminLimitSettings) -> Self {
        billing_http::admin::limits::AdminLimitsConfig {
            per_account_per_second: s.per_account_per_second,
            per_account_burst: s.per_account_burst,
            refused_per_second: s.refused_per_second,
            refused_burst: s.refused_burst,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct PublicSettings {
    pub addr: SocketAddr,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BusinessSettings {
    pub timezone: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BillingSettings {
    /// Run the scheduler (daily billing, payment polling, router delivery and status, with a
    /// catch-up at start). Off only in tests that drive every step themselves.
    pub jobs: bool,
    /// Isolate overdue subscriptions automatically in the daily run (otherwise only on
    /// the operator's command).
    pub auto_isolate: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    /// `tracing` filter, e.g. `info` or `billing_http=debug,info`.
    pub level: String,
    /// Also write JSON lines to `data_dir/logs/mikrobill.log.YYYY-MM-DD`.
    pub file: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SecretsSettings {
    /// `auto` (an existing secrets file, the Secret Service, then the encrypted file when a
    /// key is supplied, else the kernel keyring), `file`, `secret-service` or `keyutils`.
    pub backend: String,
    /// A file holding the key of the encrypted secrets file (e.g. on a USB stick or a
    /// systemd credential); `MIKROBILL_SECRETS_KEY` gives the key directly instead.
    #[serde(default)]
    pub key_file: Option<PathBuf>,
    /// From `MIKROBILL_SECRETS_KEY`; never read from a settings file.
    #[serde(skip)]
    pub key: Option<SecretString>,
}

impl Default for SecretsSettings {
    fn default() -> Self {
        SecretsSettings {
            backend: "auto".into(),
            key_file: None,
            key: None,
        }
    }
}

impl SecretsSettings {
    /// The key of the encrypted secrets file, if the operator supplied one.
    pub fn passphrase(&self) -> Result<Option<SecretString>, crate::secrets::SecretError> {
        if let Some(key) = &self.key {
            return Ok(Some(key.clone()));
        }
        let Some(path) = &self.key_file else {
            return Ok(None);
        };
        let raw = std::fs::read_to_string(path).map_err(|source| {
            crate::secrets::SecretError::KeyFile {
                path: path.display().to_string(),
                source,
            }
        })?;
        // A trailing newline from `echo` is not part of the key.
        let key = raw.trim_end_matches(['\r', '\n']).to_owned();
        Ok(Some(SecretString::from(key)))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("could not read the settings: {0}")]
    Load(#[from] config::ConfigError),
    #[error("invalid setting {key}: {message}")]
    Invalid { key: &'static str, message: String },
    #[error("could not determine a data directory for this user; pass --data-dir")]
    NoDataDir,
}

/// What the command line says before settings are read.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub admin_addr: Option<SocketAddr>,
    pub public_addr: Option<SocketAddr>,
    pub demo: bool,
}

pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("id", "mikrobill", "mikrobill").map(|d| d.data_dir().to_owned())
}

fn default_config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("id", "mikrobill", "mikrobill")
        .map(|d| d.config_dir().to_owned())
}

impl Settings {
    /// Loads the layers. `settings.toml` is read from the data directory when one is given
    /// on the command line, otherwise from the platform config directory.
    pub fn load(overrides: &Overrides) -> Result<Settings, SettingsError> {
        let env_data_dir = std::env::var_os("MIKROBILL__DATA_DIR").map(PathBuf::from);
        let (data_dir, config_dir) = match overrides.data_dir.clone().or(env_data_dir) {
            Some(dir) => (dir.clone(), dir),
            None => {
                let data = default_data_dir().ok_or(SettingsError::NoDataDir)?;
                (data, default_config_dir().ok_or(SettingsError::NoDataDir)?)
            }
        };
        Self::load_from(&data_dir, &config_dir.join("settings.toml"), overrides)
    }

    pub fn load_from(
        data_dir: &Path,
        settings_file: &Path,
        overrides: &Overrides,
    ) -> Result<Settings, SettingsError> {
        let builder = config::Config::builder()
            .set_default("data_dir", data_dir.to_string_lossy().to_string())?
            .set_default("database.mode", "local")?
            .set_default("database.name", "mikrobill")?
            .set_default("database.max_connections", 10)?
            .set_default("database.connect_timeout_secs", 10)?
            .set_default("database.heartbeat_secs", 15)?
            .set_default("admin.addr", "127.0.0.1:7878")?
            .set_default("public.addr", "127.0.0.1:7879")?
            .set_default("business.timezone", "Asia/Jakarta")?
            .set_default("billing.auto_isolate", true)?
            .set_default("billing.jobs", true)?
            .set_default("log.level", "info")?
            .set_default("log.file", true)?
            .set_default("secrets.backend", "auto")?
            .set_default("demo", false)?
            .add_source(config::File::from(settings_file).required(false))
            .add_source(
                config::Environment::with_prefix("MIKROBILL")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true),
            );
        let mut settings: Settings = builder.build()?.try_deserialize()?;

        if let Some(url) = overrides.database_url.clone().or_else(|| {
            std::env::var("MIKROBILL_DATABASE_URL")
                .ok()
                .filter(|u| !u.is_empty())
        }) {
            settings.database.mode = DatabaseMode::Remote;
            settings.database.url = Some(SecretString::from(url));
        }
        if let Some(key) = std::env::var("MIKROBILL_SECRETS_KEY")
            .ok()
            .filter(|k| !k.is_empty())
        {
            settings.secrets.key = Some(SecretString::from(key));
        }
        if let Some(addr) = overrides.admin_addr {
            settings.admin.addr = addr;
        }
        if let Some(addr) = overrides.public_addr {
            settings.public.addr = addr;
        }
        settings.demo |= overrides.demo;
        if overrides.data_dir.is_some() {
            settings.data_dir = data_dir.to_owned();
        }
        settings.validate()?;
        Ok(settings)
    }

    /// Settings for tests: a given data dir, both listeners on port 0.
    pub fn for_tests(data_dir: &Path) -> Settings {
        Settings {
            data_dir: data_dir.to_owned(),
            resource_dir: None,
            database: DatabaseSettings {
                mode: DatabaseMode::Local,
                url: None,
                name: "mikrobill".into(),
                port: None,
                pg_bin: None,
                max_connections: 5,
                connect_timeout_secs: 10,
                heartbeat_secs: 15,
            },
            admin: AdminSettings {
                addr: ([127, 0, 0, 1], 0).into(),
                ui_dir: None,
                // Route walks send hundreds of forged tokens in a row; the limits have
                // their own tests with the production values.
                limits: AdminLimitSettings {
                    refused_burst: 100_000,
                    per_account_burst: 100_000,
                    ..AdminLimitSettings::default()
                },
            },
            public: PublicSettings {
                addr: ([127, 0, 0, 1], 0).into(),
            },
            business: BusinessSettings {
                timezone: "Asia/Jakarta".into(),
            },
            // Tests drive every step themselves, against a pinned clock.
            billing: BillingSettings {
                auto_isolate: false,
                jobs: false,
            },
            log: LogSettings {
                level: "warn".into(),
                file: false,
            },
            secrets: SecretsSettings::default(),
            demo: false,
        }
    }

    pub fn validate(&self) -> Result<(), SettingsError> {
        if !self.admin.addr.ip().is_loopback() {
            return Err(SettingsError::Invalid {
                key: "admin.addr",
                message: format!(
                    "{} is not a loopback address; the admin listener only binds to 127.0.0.1 \
                     or ::1 (expose customers through the public listener instead)",
                    self.admin.addr
                ),
            });
        }
        if self.business.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(SettingsError::Invalid {
                key: "business.timezone",
                message: format!(
                    "unknown time zone {:?} (e.g. Asia/Jakarta)",
                    self.business.timezone
                ),
            });
        }
        if self.database.mode == DatabaseMode::Remote && self.database.url.is_none() {
            return Err(SettingsError::Invalid {
                key: "database.url",
                message: "remote mode needs a connection URL (database.url or \
                          MIKROBILL_DATABASE_URL)"
                    .into(),
            });
        }
        if !matches!(
            self.secrets.backend.as_str(),
            "auto" | "file" | "secret-service" | "keyutils"
        ) {
            return Err(SettingsError::Invalid {
                key: "secrets.backend",
                message: "must be auto, file, secret-service or keyutils".into(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_layer_overrides_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("settings.toml");
        std::fs::write(
            &file,
            "[admin]\naddr = \"127.0.0.1:9000\"\n[business]\ntimezone = \"Asia/Makassar\"\n",
        )
        .expect("write");
        let s = Settings::load_from(dir.path(), &file, &Overrides::default()).expect("load");
        assert_eq!(s.admin.addr.port(), 9000);
        assert_eq!(s.public.addr.port(), 7879);
        assert_eq!(s.business.timezone, "Asia/Makassar");
        assert_eq!(s.database.mode, DatabaseMode::Local);
    }

    #[test]
    fn admin_listener_refuses_a_public_address() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("settings.toml");
        std::fs::write(&file, "[admin]\naddr = \"0.0.0.0:7878\"\n").expect("write");
        let err = Settings::load_from(dir.path(), &file, &Overrides::default()).expect_err("bad");
        assert!(err.to_string().contains("admin.addr"), "{err}");
    }

    #[test]
    fn unknown_time_zone_is_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("settings.toml");
        std::fs::write(&file, "[business]\ntimezone = \"Mars/Olympus\"\n").expect("write");
        let err = Settings::load_from(dir.path(), &file, &Overrides::default()).expect_err("bad");
        assert!(err.to_string().contains("business.timezone"), "{err}");
    }
}
