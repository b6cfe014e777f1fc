//! Integration tests with real PostgreSQL processes (needs PostgreSQL 13+ installed, e.g.
//! /usr/lib/postgresql/15/bin). Works as root: then the uid-drop path is exercised.
#![cfg(unix)]

mod cluster;
mod locate;

use std::path::Path;

use billing_embedded_pg::{ClusterConfig, LocateOptions, PgBinaries};
use secrecy::SecretString;
use sqlx::postgres::PgConnectOptions;
use sqlx::{Connection, PgConnection};
use tempfile::TempDir;

pub fn binaries() -> PgBinaries {
    PgBinaries::locate(&LocateOptions::from_env(None))
        .expect("these tests need PostgreSQL 13+ installed (or MIKROBILL_PG_BIN set)")
}

/// A directory under /var/tmp (never /root) that the PostgreSQL user can traverse.
pub fn test_dir() -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix("mikrobill-pg-test-")
        .tempdir_in("/var/tmp")
        .expect("tempdir");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711))
            .expect("chmod");
    }
    dir
}

pub fn password() -> SecretString {
    SecretString::from("correct horse battery staple")
}

pub fn config(root: &Path) -> ClusterConfig {
    ClusterConfig::new(root.join("data"), "mikrobill", password(), binaries())
}

pub async fn connect(options: &PgConnectOptions) -> PgConnection {
    PgConnection::connect_with(options).await.expect("connect")
}

pub async fn server_version(options: &PgConnectOptions) -> String {
    let mut conn = connect(options).await;
    let (version,): (String,) = sqlx::query_as("select version()")
        .fetch_one(&mut conn)
        .await
        .expect("select version()");
    version
}

pub fn is_root() -> bool {
    #[cfg(unix)]
    {
        nix::unistd::geteuid().is_root()
    }
    #[cfg(not(unix))]
    {
        false
    }
}
