//! Manages the app's own local PostgreSQL cluster: finds the server programs, runs initdb on
//! first start, starts the server on 127.0.0.1 (TCP only) with a scram-sha-256 password,
//! recovers from a stale `postmaster.pid`, reuses a server another process of the app already
//! started, and stops it again. It knows nothing about the app's schema.
//!
//! ```no_run
//! # async fn demo(password: secrecy::SecretString) -> Result<(), billing_embedded_pg::Error> {
//! use billing_embedded_pg::{Cluster, ClusterConfig, LocateOptions, PgBinaries};
//!
//! let binaries = PgBinaries::locate(&LocateOptions::from_env(None))?;
//! let config = ClusterConfig::new("/var/lib/mikrobill", "mikrobill", password.clone(), binaries);
//! let running = Cluster::new(config)?.start().await?;
//! let options = running.connect_options(&password);
//! # let _ = options;
//! running.stop().await?;
//! # Ok(())
//! # }
//! ```
//!
//! When the app runs as root, PostgreSQL is run as an unprivileged user (see [`DEFAULT_PG_USER`]).

mod binaries;
mod client;
mod cluster;
mod error;
mod pidfile;
mod privilege;
mod running;
mod throwaway;
mod version;

pub use binaries::{LocateOptions, PgBinaries};
pub use client::{bundled_client_bin_dir, BundledClient, ClientTools, BUNDLED_CLIENT_SUBDIR};
pub use cluster::{Cluster, ClusterConfig};
pub use error::{Error, SearchSource, SearchedPlace};
pub use privilege::DEFAULT_PG_USER;
pub use running::RunningCluster;
pub use throwaway::{start_throwaway, ThrowawayCluster, THROWAWAY_SUPERUSER};
pub use version::{PgVersion, MIN_SUPPORTED_MAJOR};
