//! The crate's error type: one enum, each variant with a Display that says what to do.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Where [`crate::PgBinaries::locate`] looked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchSource {
    /// The bin folder shipped with the app's resources.
    Bundled,
    /// The `MIKROBILL_PG_BIN` environment variable.
    EnvVar,
    /// A directory of `PATH`.
    PathVar,
    /// A well-known system install location (e.g. `/usr/lib/postgresql/*/bin`).
    SystemDir,
}

impl fmt::Display for SearchSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Bundled => "bundled resources",
            Self::EnvVar => "MIKROBILL_PG_BIN",
            Self::PathVar => "PATH",
            Self::SystemDir => "system location",
        })
    }
}

/// One place searched for binaries and why it was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchedPlace {
    pub source: SearchSource,
    /// `None` when the source was not configured (e.g. the variable is unset).
    pub location: Option<PathBuf>,
    pub outcome: String,
}

impl fmt::Display for SearchedPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(path) => write!(f, "{}: {} ({})", self.source, path.display(), self.outcome),
            None => write!(f, "{}: {}", self.source, self.outcome),
        }
    }
}

fn list(places: &[SearchedPlace]) -> String {
    places.iter().map(|p| format!("\n  - {p}")).collect()
}

/// Everything that can go wrong while locating, initialising, starting or stopping the cluster.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(
        "PostgreSQL server programs (initdb, pg_ctl, postgres) were not found. Searched:{}\n\
         Fix: install PostgreSQL 13 or newer (e.g. `apt install postgresql`), or set \
         MIKROBILL_PG_BIN to the directory that contains initdb, pg_ctl and postgres, or use a \
         remote database by setting MIKROBILL_DATABASE_URL",
        list(.searched)
    )]
    BinariesNotFound { searched: Vec<SearchedPlace> },

    #[error("PostgreSQL 13 or newer is required, found {found} in {}", .bin_dir.display())]
    UnsupportedVersion { found: String, bin_dir: PathBuf },

    #[error(
        "the cluster in {} was created by PostgreSQL {data_major} but the binaries found are \
         PostgreSQL {binaries}; point MIKROBILL_PG_BIN at PostgreSQL {data_major} binaries or \
         upgrade the cluster with pg_upgrade",
        .pgdata.display()
    )]
    ClusterVersionMismatch {
        pgdata: PathBuf,
        data_major: String,
        binaries: String,
    },

    #[error("initdb failed ({status}):\n{stderr_tail}")]
    InitdbFailed { status: String, stderr_tail: String },

    #[error("PostgreSQL failed to start; last lines of {}:\n{log_tail}", .log_file.display())]
    StartFailed { log_file: PathBuf, log_tail: String },

    #[error("pg_ctl stop failed ({status}):\n{stderr_tail}")]
    StopFailed { status: String, stderr_tail: String },

    #[error("timed out after {}s waiting for {what}", .waited.as_secs())]
    Timeout { what: String, waited: Duration },

    #[error(
        "running as root, but PostgreSQL refuses to run as root and there is no unprivileged \
         system user `{user}` to run it as. Fix one of: create the user with \
         `useradd --system postgres` (or set MIKROBILL_PG_USER to an existing unprivileged \
         user); run the app as a normal user; or use a remote database by setting \
         MIKROBILL_DATABASE_URL"
    )]
    RootWithoutUnprivilegedUser { user: String },

    #[error(
        "the data directory {} cannot be used by the PostgreSQL user `{user}`: {reason}",
        .path.display()
    )]
    DataDirNotAccessible {
        path: PathBuf,
        user: String,
        reason: String,
    },

    #[error(
        "pg_dump and pg_restore of PostgreSQL {needed_major} or newer are needed for this \
         database server (PostgreSQL {server}), but none were found. Searched:{}\n\
         Fix: install the PostgreSQL {needed_major} client programs (e.g. \
         `apt install postgresql-client-{needed_major}`), or set MIKROBILL_PG_BIN to the \
         directory that contains pg_dump and pg_restore",
        list(.searched)
    )]
    ClientToolsNotFound {
        server: String,
        needed_major: u32,
        searched: Vec<SearchedPlace>,
    },

    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub(crate) fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let context = context.into();
        move |source| Self::Io { context, source }
    }
}

/// The last `max_lines` non-empty lines of `text` (for stderr and log excerpts).
pub(crate) fn tail(text: &str, max_lines: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let start = lines.len().saturating_sub(max_lines);
    lines[start..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_keeps_the_last_non_empty_lines() {
        assert_eq!(tail("a\n\nb\nc\n\n", 2), "b\nc");
        assert_eq!(tail("", 3), "");
    }

    #[test]
    fn not_found_lists_every_place_and_the_fixes() {
        let err = Error::BinariesNotFound {
            searched: vec![
                SearchedPlace {
                    source: SearchSource::EnvVar,
                    location: None,
                    outcome: "not set".into(),
                },
                SearchedPlace {
                    source: SearchSource::PathVar,
                    location: Some("/usr/bin".into()),
                    outcome: "missing initdb, pg_ctl".into(),
                },
            ],
        };
        let text = err.to_string();
        assert!(text.contains("MIKROBILL_PG_BIN: not set"), "{text}");
        assert!(
            text.contains("PATH: /usr/bin (missing initdb, pg_ctl)"),
            "{text}"
        );
        assert!(text.contains("MIKROBILL_DATABASE_URL"), "{text}");
    }
}
