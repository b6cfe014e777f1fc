//! A disposable cluster for test harnesses (used when no MIKROBILL_TEST_DATABASE_URL is set).

use std::path::Path;

use rand::distributions::{Alphanumeric, DistString};
use secrecy::SecretString;
use sqlx::postgres::PgConnectOptions;
use tempfile::TempDir;

use crate::binaries::PgBinaries;
use crate::cluster::{Cluster, ClusterConfig};
use crate::error::Error;
use crate::running::RunningCluster;

/// The superuser of a throwaway cluster.
pub const THROWAWAY_SUPERUSER: &str = "postgres";

/// A running throwaway cluster in a temporary directory. Dropping it stops the server first and
/// then deletes the directory (field order matters: `running` is dropped before `dir`).
#[derive(Debug)]
pub struct ThrowawayCluster {
    running: RunningCluster,
    password: SecretString,
    dir: TempDir,
}

impl ThrowawayCluster {
    pub fn running(&self) -> &RunningCluster {
        &self.running
    }

    pub fn password(&self) -> &SecretString {
        &self.password
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Superuser options for the `postgres` database.
    pub fn connect_options(&self) -> PgConnectOptions {
        self.running.connect_options(&self.password)
    }

    /// Stops the server and deletes the directory, reporting errors instead of ignoring them.
    pub async fn stop(self) -> Result<(), Error> {
        let Self { running, dir, .. } = self;
        running.stop().await?;
        dir.close()
            .map_err(Error::io("removing the throwaway cluster directory"))
    }
}

/// Creates and starts a cluster in a fresh temporary directory with a random password and
/// durability turned off (`fsync`, `synchronous_commit`, `full_page_writes`). Works as root
/// too: the directory is made traversable for the PostgreSQL user.
pub async fn start_throwaway(binaries: PgBinaries) -> Result<ThrowawayCluster, Error> {
    let dir = tempfile::Builder::new()
        .prefix("mikrobill-pg-")
        .tempdir()
        .map_err(Error::io("creating a temporary directory"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711))
            .map_err(Error::io(format!("chmod {}", dir.path().display())))?;
    }
    let password = SecretString::from(Alphanumeric.sample_string(&mut rand::thread_rng(), 32));
    let mut config =
        ClusterConfig::new(dir.path(), THROWAWAY_SUPERUSER, password.clone(), binaries);
    config.fast_unsafe = true;
    let running = Cluster::new(config)?.start().await?;
    Ok(ThrowawayCluster {
        running,
        password,
        dir,
    })
}
