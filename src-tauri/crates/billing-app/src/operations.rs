//! What the operations use-cases (backups, the health page) need from the runtime: where the
//! data lives, how to reach the database server with its command-line programs, which
//! database is in use, and the switch that moves the pool to another database.

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};

use crate::network::reachability::RouterReachability;
use crate::ops::backups::switch::{DatabaseChoice, PoolSwitch};

/// (down since, recovered at).
pub(crate) type Outage = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// Set once by the runtime at start; shared by every clone of the context.
pub struct Operations {
    /// The data directory (cluster, logs, default backup folder).
    pub data_dir: PathBuf,
    /// The runtime settings without secrets; written into every backup as `settings.json`.
    pub settings_snapshot: serde_json::Value,
    /// Where `pg_dump` and `pg_restore` are searched (the same places as the server programs).
    pub pg_locate: billing_embedded_pg::LocateOptions,
    /// How `pg_dump`/`pg_restore` reach the database server.
    pub server: DatabaseServer,
    /// Moves the pool to another database (after a restore) without a restart.
    pub switch: std::sync::Arc<PoolSwitch>,
    /// Whether the scheduler runs (the `billing.jobs` setting).
    pub scheduler_enabled: bool,
    /// This serving instance's claim on its database(s); `None` for the command-line tools.
    pub claims: Option<std::sync::Arc<crate::ops::instances::Claims>>,
    /// One backup or restore at a time.
    pub(crate) busy: tokio::sync::Mutex<()>,
    /// Which database is active and which one a restore left for the owner to confirm.
    pub(crate) choice: Mutex<DatabaseChoice>,
    pub(crate) routers: std::sync::Arc<RouterReachability>,
    /// This app's metrics recorder (`/api/monitoring/metrics`).
    pub metrics: crate::insight::monitoring::metrics::Metrics,
    /// Tickets that open the live event stream.
    pub event_tickets: crate::insight::monitoring::EventTickets,
    /// The database outage seen by the health checks: since when, and when it came back.
    db_outage: Mutex<Outage>,
}

impl std::fmt::Debug for Operations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Operations")
            .field("data_dir", &self.data_dir)
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

impl Operations {
    pub fn new(
        data_dir: PathBuf,
        settings_snapshot: serde_json::Value,
        pg_locate: billing_embedded_pg::LocateOptions,
        server: DatabaseServer,
        switch: std::sync::Arc<PoolSwitch>,
        choice: DatabaseChoice,
        scheduler_enabled: bool,
    ) -> Operations {
        Operations {
            data_dir,
            settings_snapshot,
            pg_locate,
            server,
            switch,
            scheduler_enabled,
            claims: None,
            busy: tokio::sync::Mutex::new(()),
            choice: Mutex::new(choice),
            routers: std::sync::Arc::default(),
            metrics: Default::default(),
            event_tickets: Default::default(),
            db_outage: Mutex::new((None, None)),
        }
    }

    pub(crate) fn choice(&self) -> DatabaseChoice {
        self.choice
            .lock()
            .map(|c| c.clone())
            .unwrap_or_else(|e| e.into_inner().clone())
    }

    /// Notes a database check (`ok` or not); answers (down since, recovered at).
    pub(crate) fn database_outage(&self, ok: bool, now: DateTime<Utc>) -> Outage {
        let mut state = match self.db_outage.lock() {
            Ok(s) => s,
            Err(e) => e.into_inner(),
        };
        match (ok, state.0) {
            (true, Some(_)) => *state = (None, Some(now)),
            (false, None) => state.0 = Some(now),
            _ => {}
        }
        *state
    }

    pub(crate) fn set_choice(&self, choice: DatabaseChoice) {
        match self.choice.lock() {
            Ok(mut c) => *c = choice,
            Err(e) => *e.into_inner() = choice,
        }
    }
}

/// How the PostgreSQL programs connect: a libpq URI without password or database (the
/// password goes into the child's environment, never onto its command line).
#[derive(Clone)]
pub struct DatabaseServer {
    /// `local` (the app's own cluster) or `remote`.
    pub mode: &'static str,
    base: url::Url,
    password: Option<SecretString>,
    /// What the state file is keyed by: `local`, or `host:port` of a remote server.
    pub key: String,
    /// The database name the settings configure (`database.name` or the URL's).
    pub configured_name: String,
}

impl std::fmt::Debug for DatabaseServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DatabaseServer")
            .field("mode", &self.mode)
            .field("key", &self.key)
            .field("configured_name", &self.configured_name)
            .finish_non_exhaustive()
    }
}

/// Query parameters of a connection URL that libpq understands (sqlx's own are dropped).
const LIBPQ_PARAMS: [&str; 9] = [
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcrl",
    "connect_timeout",
    "options",
    "target_session_attrs",
    "host",
];

impl DatabaseServer {
    /// The app's own cluster on 127.0.0.1.
    pub fn local(port: u16, user: &str, password: SecretString, database: &str) -> DatabaseServer {
        let mut base = url::Url::parse("postgresql://127.0.0.1/").expect("static URL");
        let _ = base.set_port(Some(port));
        let _ = base.set_username(user);
        base.set_query(Some("sslmode=disable"));
        DatabaseServer {
            mode: "local",
            base,
            password: Some(password),
            key: "local".into(),
            configured_name: database.to_owned(),
        }
    }

    /// A server by URL (`postgres://user:pass@host:port/db?sslmode=require`).
    pub fn remote(raw: &str) -> Result<DatabaseServer, String> {
        let parsed =
            url::Url::parse(raw).map_err(|e| format!("the database URL is not valid: {e}"))?;
        let password = parsed
            .password()
            .map(|p| {
                percent_decode(p)
                    .map_err(|_| "the password in the URL is not valid UTF-8".to_owned())
            })
            .transpose()?
            .map(SecretString::from);
        let configured_name = parsed.path().trim_start_matches('/').to_owned();
        let configured_name = if configured_name.is_empty() {
            parsed.username().to_owned()
        } else {
            percent_decode(&configured_name).unwrap_or(configured_name)
        };
        let mut base = parsed.clone();
        let _ = base.set_password(None);
        base.set_path("/");
        let kept: Vec<(String, String)> = parsed
            .query_pairs()
            .filter_map(|(k, v)| {
                let key = match k.as_ref() {
                    "ssl-mode" => "sslmode",
                    "ssl-root-cert" => "sslrootcert",
                    other => LIBPQ_PARAMS.iter().copied().find(|p| *p == other)?,
                };
                Some((key.to_owned(), v.into_owned()))
            })
            .collect();
        base.set_query(None);
        if !kept.is_empty() {
            base.query_pairs_mut().extend_pairs(kept);
        }
        let key = format!(
            "{}:{}",
            parsed.host_str().unwrap_or("localhost"),
            parsed.port().unwrap_or(5432)
        );
        Ok(DatabaseServer {
            mode: "remote",
            base,
            password,
            key,
            configured_name,
        })
    }

    /// The libpq URI of `database` on this server (no password in it).
    pub fn uri(&self, database: &str) -> String {
        let mut url = self.base.clone();
        url.set_path(&format!("/{database}"));
        url.to_string()
    }

    /// Gives a child process the password and a connect timeout through its environment.
    pub(crate) fn apply_env(&self, cmd: &mut tokio::process::Command) {
        if let Some(p) = &self.password {
            cmd.env("PGPASSWORD", p.expose_secret());
        }
        cmd.env("PGCONNECT_TIMEOUT", "15")
            .env("PGAPPNAME", "mikrobill-backup");
    }
}

fn percent_decode(s: &str) -> Result<String, std::string::FromUtf8Error> {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(hi * 16 + lo);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_uri_keeps_libpq_parameters_and_drops_the_password() {
        let server = DatabaseServer::remote(
            "postgres://budi:rah%40sia@db.example.id:6543/tagihan?sslmode=require&statement-cache-capacity=10",
        )
        .expect("parse");
        assert_eq!(server.key, "db.example.id:6543");
        assert_eq!(server.configured_name, "tagihan");
        let uri = server.uri("tagihan_r20261128");
        assert_eq!(
            uri,
            "postgres://budi@db.example.id:6543/tagihan_r20261128?sslmode=require"
        );
        assert!(!uri.contains("rah"));
        assert_eq!(
            server
                .password
                .as_ref()
                .map(|p| p.expose_secret().to_owned()),
            Some("rah@sia".to_owned())
        );
    }

    #[test]
    fn local_uri_points_at_loopback_without_tls() {
        let server =
            DatabaseServer::local(54321, "mikrobill", SecretString::from("x"), "mikrobill");
        assert_eq!(
            server.uri("mikrobill"),
            "postgresql://mikrobill@127.0.0.1:54321/mikrobill?sslmode=disable"
        );
        assert_eq!(server.key, "local");
    }
}
