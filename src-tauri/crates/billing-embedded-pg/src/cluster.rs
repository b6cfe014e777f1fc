//! The cluster's configuration and its first-start initialisation (initdb).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use crate::binaries::PgBinaries;
use crate::error::{tail, Error};
use crate::privilege::{self, RunAs};

const INITDB_TIMEOUT: Duration = Duration::from_secs(300);

/// How to run the app's own cluster. The cluster lives in `<data_dir>/pgdata` and logs to
/// `<data_dir>/postgres.log`.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    pub data_dir: PathBuf,
    /// The superuser created by initdb (e.g. `mikrobill`).
    pub superuser: String,
    /// Its password. Kept by the caller (OS keyring); written only to a transient 0600 pwfile.
    pub password: SecretString,
    /// `None`: a free loopback port is picked on every start.
    pub port: Option<u16>,
    pub binaries: PgBinaries,
    /// When running as root: the unprivileged user to run a new (or root-owned) cluster as.
    /// `None`: `MIKROBILL_PG_USER`, else `postgres`. Ignored when not root, and when `pgdata`
    /// already belongs to a non-root user (that owner is kept).
    pub run_as: Option<String>,
    /// Deadline for the server to start and accept connections.
    pub start_timeout: Duration,
    /// Tests only: `initdb --no-sync`, `fsync`, `synchronous_commit` and `full_page_writes` off.
    /// A crash can lose or corrupt data.
    pub fast_unsafe: bool,
}

impl ClusterConfig {
    pub fn new(
        data_dir: impl Into<PathBuf>,
        superuser: impl Into<String>,
        password: SecretString,
        binaries: PgBinaries,
    ) -> Self {
        Self {
            data_dir: data_dir.into(),
            superuser: superuser.into(),
            password,
            port: None,
            binaries,
            run_as: None,
            start_timeout: Duration::from_secs(60),
            fast_unsafe: false,
        }
    }
}

/// Spawns PostgreSQL programs with the right identity, working directory and environment.
#[derive(Debug, Clone)]
pub(crate) struct Launcher {
    pub binaries: PgBinaries,
    pub run_as: Option<RunAs>,
    pub work_dir: PathBuf,
}

impl Launcher {
    pub fn command(&self, program: &Path) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(program);
        cmd.current_dir(&self.work_dir).stdin(Stdio::null());
        for var in [
            "PGDATA",
            "PGPORT",
            "PGHOST",
            "PGUSER",
            "PGOPTIONS",
            "PGPASSWORD",
        ] {
            cmd.env_remove(var);
        }
        #[cfg(unix)]
        if let Some(user) = &self.run_as {
            cmd.uid(user.uid).gid(user.gid);
        }
        cmd
    }

    /// A blocking command, for `Drop`.
    pub fn std_command(&self, program: &Path) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        cmd.current_dir(&self.work_dir).stdin(Stdio::null());
        #[cfg(unix)]
        if let Some(user) = &self.run_as {
            use std::os::unix::process::CommandExt;
            cmd.uid(user.uid).gid(user.gid);
        }
        cmd
    }
}

/// The app's local PostgreSQL cluster.
#[derive(Debug)]
pub struct Cluster {
    pub(crate) config: ClusterConfig,
    pub(crate) launcher: Launcher,
}

impl Cluster {
    /// Fails early with [`Error::RootWithoutUnprivilegedUser`] when running as root and the
    /// PostgreSQL user does not exist. Touches nothing on disk. As root, an existing `pgdata`
    /// owned by a non-root user keeps that owner and PostgreSQL runs as it.
    pub fn new(config: ClusterConfig) -> Result<Self, Error> {
        let run_as = privilege::resolve(config.run_as.as_deref(), &config.data_dir.join("pgdata"))?;
        let launcher = Launcher {
            binaries: config.binaries.clone(),
            run_as,
            work_dir: config.data_dir.clone(),
        };
        Ok(Self { config, launcher })
    }

    pub fn pgdata(&self) -> PathBuf {
        self.config.data_dir.join("pgdata")
    }

    /// The configuration this cluster was made from.
    pub fn config(&self) -> &ClusterConfig {
        &self.config
    }

    pub fn log_file(&self) -> PathBuf {
        self.config.data_dir.join("postgres.log")
    }

    /// The unprivileged user PostgreSQL runs as, when the app runs as root.
    pub fn run_as_user(&self) -> Option<&str> {
        self.launcher.run_as.as_ref().map(|u| u.name.as_str())
    }

    /// Runs initdb on the first start only. A `pgdata` without `PG_VERSION` (an interrupted
    /// first start) is removed and initialised again.
    pub async fn ensure_initialized(&self) -> Result<(), Error> {
        let pgdata = self.pgdata();
        self.prepare_dirs()?;
        let version_file = pgdata.join("PG_VERSION");
        if version_file.is_file() {
            return self.check_data_version(&version_file);
        }
        let leftovers = std::fs::read_dir(&pgdata)
            .map_err(Error::io(format!("listing {}", pgdata.display())))?
            .next()
            .is_some();
        if leftovers {
            tracing::warn!(
                pgdata = %pgdata.display(),
                "found a half-initialised cluster (no PG_VERSION, probably an interrupted first \
                 start); removing it and running initdb again"
            );
            std::fs::remove_dir_all(&pgdata)
                .map_err(Error::io(format!("removing {}", pgdata.display())))?;
            self.prepare_dirs()?;
        }
        self.initdb(&pgdata).await
    }

    /// Creates `data_dir`, `pgdata` (0700) and the log file, owned by the PostgreSQL user.
    pub(crate) fn prepare_dirs(&self) -> Result<(), Error> {
        let data_dir = &self.config.data_dir;
        std::fs::create_dir_all(data_dir)
            .map_err(Error::io(format!("creating {}", data_dir.display())))?;
        let pgdata = self.pgdata();
        if !pgdata.exists() {
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder
                .create(&pgdata)
                .map_err(Error::io(format!("creating {}", pgdata.display())))?;
        }
        let log = self.log_file();
        if !log.exists() {
            std::fs::File::create(&log)
                .map_err(Error::io(format!("creating {}", log.display())))?;
        }
        #[cfg(unix)]
        if let Some(user) = &self.launcher.run_as {
            user.check_traversable(data_dir)?;
            user.chown_tree(&pgdata)?;
            if !user.owns(&log)? {
                user.chown(&log)?;
            }
        }
        Ok(())
    }

    fn check_data_version(&self, version_file: &Path) -> Result<(), Error> {
        let data_major = std::fs::read_to_string(version_file)
            .map_err(Error::io(format!("reading {}", version_file.display())))?
            .trim()
            .to_owned();
        let binaries = self.config.binaries.version();
        if data_major == binaries.major.to_string() {
            Ok(())
        } else {
            Err(Error::ClusterVersionMismatch {
                pgdata: self.pgdata(),
                data_major,
                binaries: binaries.text.clone(),
            })
        }
    }

    async fn initdb(&self, pgdata: &Path) -> Result<(), Error> {
        tracing::info!(pgdata = %pgdata.display(), "first start: creating the PostgreSQL cluster");
        // tempfile creates the file 0600; it is deleted right after initdb, even on failure.
        let mut pwfile = tempfile::Builder::new()
            .prefix(".initdb-pw-")
            .tempfile_in(&self.config.data_dir)
            .map_err(Error::io("creating the initdb password file"))?;
        writeln!(pwfile, "{}", self.config.password.expose_secret())
            .and_then(|()| pwfile.flush())
            .map_err(Error::io("writing the initdb password file"))?;
        #[cfg(unix)]
        if let Some(user) = &self.launcher.run_as {
            user.chown(pwfile.path())?;
        }
        let mut cmd = self.launcher.command(&self.config.binaries.initdb());
        cmd.arg("-D")
            .arg(pgdata)
            .arg("-U")
            .arg(&self.config.superuser)
            .arg("--pwfile")
            .arg(pwfile.path())
            .args(["-A", "scram-sha-256", "-E", "UTF8", "--no-instructions"]);
        cmd.arg(if cfg!(windows) {
            "--no-locale"
        } else {
            "--locale=C.UTF-8"
        });
        if self.config.fast_unsafe {
            cmd.arg("--no-sync");
        }
        let run = tokio::time::timeout(INITDB_TIMEOUT, cmd.output()).await;
        pwfile
            .close()
            .map_err(Error::io("deleting the initdb password file"))?;
        let output = run
            .map_err(|_| Error::Timeout {
                what: "initdb".into(),
                waited: INITDB_TIMEOUT,
            })?
            .map_err(Error::io(format!(
                "running {}",
                self.config.binaries.initdb().display()
            )))?;
        if output.status.success() {
            return Ok(());
        }
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Err(Error::InitdbFailed {
            status: output.status.to_string(),
            stderr_tail: tail(&text, 20),
        })
    }
}
