//! Starting (or reusing) the cluster and the handle to a running server.

use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use tokio::time::Instant;

use crate::cluster::{Cluster, Launcher};
use crate::error::{tail, Error};
use crate::pidfile::{self, Holder, PidFile};

const POLL: Duration = Duration::from_millis(50);
/// How long an unverifiable live pid gets to prove it is a postmaster by accepting connections.
const UNKNOWN_HOLDER_GRACE: Duration = Duration::from_secs(3);

impl Cluster {
    /// Initialises if needed, then starts the server on 127.0.0.1 (TCP only) and waits until it
    /// accepts connections. A stale `postmaster.pid` is removed; a live postmaster of this data
    /// directory (another process of the app) is reused and returned with `is_owned() == false`.
    pub async fn start(&self) -> Result<RunningCluster, Error> {
        self.ensure_initialized().await?;
        if let Some(reused) = self.try_reuse().await? {
            return Ok(reused);
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            let port = match self.config.port {
                Some(port) => port,
                None => free_port()?,
            };
            match self.pg_ctl_start(port).await {
                Ok(()) => {
                    tracing::info!(port, "PostgreSQL started");
                    return Ok(self.handle(port, true));
                }
                Err(err @ Error::StartFailed { .. }) => {
                    // Another process of the app may have won a start race.
                    if let Some(reused) = self.try_reuse().await? {
                        return Ok(reused);
                    }
                    if self.config.port.is_none() && attempt < 3 && is_port_clash(&err) {
                        tracing::warn!(port, "port was taken meanwhile; trying another");
                        continue;
                    }
                    return Err(err);
                }
                Err(err) => return Err(err),
            }
        }
    }

    fn handle(&self, port: u16, owned: bool) -> RunningCluster {
        RunningCluster {
            port,
            owned,
            stopped: false,
            superuser: self.config.superuser.clone(),
            pgdata: self.pgdata(),
            log_file: self.log_file(),
            launcher: self.launcher.clone(),
        }
    }

    /// Looks at `postmaster.pid`: reuses a live postmaster, removes a stale file.
    async fn try_reuse(&self) -> Result<Option<RunningCluster>, Error> {
        let path = pidfile::path(&self.pgdata());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(format!("reading {}", path.display()))(e)),
        };
        let Some(file) = PidFile::parse(&text) else {
            tracing::warn!(file = %path.display(), "removing an unreadable postmaster.pid");
            return remove_stale(&path).map(|()| None);
        };
        let holder = pidfile::holder(file.pid, &self.pgdata());
        let grace = match holder {
            Holder::Dead | Holder::Other => {
                tracing::warn!(
                    pid = file.pid,
                    ?holder,
                    "removing stale postmaster.pid left by a crash"
                );
                return remove_stale(&path).map(|()| None);
            }
            Holder::Postmaster => self.config.start_timeout,
            Holder::Unknown => UNKNOWN_HOLDER_GRACE,
        };
        let deadline = Instant::now() + grace;
        loop {
            // Re-read: a postmaster that is still starting writes its port a moment later.
            let current = std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| PidFile::parse(&t));
            match current {
                Some(PidFile {
                    pid,
                    port: Some(port),
                }) if pid == file.pid => {
                    if accepts(port).await {
                        tracing::info!(
                            pid,
                            port,
                            "reusing the PostgreSQL already running for this data directory"
                        );
                        return Ok(Some(self.handle(port, false)));
                    }
                }
                Some(PidFile { pid, .. }) if pid == file.pid => {}
                _ => return Ok(None),
            }
            if Instant::now() >= deadline {
                return match holder {
                    // Leave the file: PostgreSQL's own lock check decides on start.
                    Holder::Unknown => Ok(None),
                    _ => Err(Error::Timeout {
                        what: format!(
                            "the running postmaster (pid {}) to accept connections",
                            file.pid
                        ),
                        waited: grace,
                    }),
                };
            }
            tokio::time::sleep(POLL).await;
        }
    }

    async fn pg_ctl_start(&self, port: u16) -> Result<(), Error> {
        let log_file = self.log_file();
        let log_start = std::fs::metadata(&log_file).map_or(0, |m| m.len());
        let mut options = format!("-p {port} -c listen_addresses=127.0.0.1");
        if cfg!(unix) {
            // TCP only: no socket path length limit, nothing in /tmp or /var/run.
            options.push_str(" -c unix_socket_directories=''");
        }
        if self.config.fast_unsafe {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let timeout = self.config.start_timeout;
        let mut cmd = self.launcher.command(&self.config.binaries.pg_ctl());
        cmd.arg("start")
            .arg("-D")
            .arg(self.pgdata())
            .arg("-l")
            .arg(&log_file)
            .args([
                "-w",
                "-s",
                "-t",
                &timeout.as_secs().max(1).to_string(),
                "-o",
                &options,
            ]);
        let output = tokio::time::timeout(timeout + Duration::from_secs(10), cmd.output())
            .await
            .map_err(|_| Error::Timeout {
                what: "pg_ctl start".into(),
                waited: timeout,
            })?
            .map_err(Error::io(format!(
                "running {}",
                self.config.binaries.pg_ctl().display()
            )))?;
        if !output.status.success() {
            let log = read_from(&log_file, log_start);
            let text = format!("{log}\n{}", String::from_utf8_lossy(&output.stderr));
            return Err(Error::StartFailed {
                log_file,
                log_tail: tail(&text, 20),
            });
        }
        let deadline = Instant::now() + timeout;
        while !accepts(port).await {
            if Instant::now() >= deadline {
                return Err(Error::Timeout {
                    what: format!("PostgreSQL to accept connections on 127.0.0.1:{port}"),
                    waited: timeout,
                });
            }
            tokio::time::sleep(POLL).await;
        }
        Ok(())
    }
}

/// A started (or reused) server. Stops it on [`RunningCluster::stop`] or, best effort, on drop,
/// but only if this handle started it.
#[derive(Debug)]
pub struct RunningCluster {
    port: u16,
    owned: bool,
    stopped: bool,
    superuser: String,
    pgdata: PathBuf,
    log_file: PathBuf,
    launcher: Launcher,
}

impl RunningCluster {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `false` when another process started the server and this handle merely reuses it.
    pub fn is_owned(&self) -> bool {
        self.owned
    }

    pub fn superuser(&self) -> &str {
        &self.superuser
    }

    pub fn log_file(&self) -> &Path {
        &self.log_file
    }

    /// `postgres://<superuser>@127.0.0.1:<port>/postgres`, safe to log.
    pub fn url_without_password(&self) -> String {
        format!(
            "postgres://{}@127.0.0.1:{}/postgres",
            urlencoding::encode(&self.superuser),
            self.port
        )
    }

    /// Options for the `postgres` database as the superuser over loopback TCP.
    pub fn connect_options(&self, password: &SecretString) -> PgConnectOptions {
        PgConnectOptions::new()
            .host("127.0.0.1")
            .port(self.port)
            .username(&self.superuser)
            .password(password.expose_secret())
            .database("postgres")
            .ssl_mode(PgSslMode::Disable)
    }

    /// Whether the server is still there: its `postmaster.pid` names a live postmaster of this
    /// data directory (where the platform cannot tell, whether the port accepts connections).
    /// `false` after a crash, a kill or someone stopping it behind the app's back.
    pub async fn is_running(&self) -> bool {
        let path = pidfile::path(&self.pgdata);
        let Some(file) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| PidFile::parse(&t))
        else {
            return false;
        };
        match pidfile::holder(file.pid, &self.pgdata) {
            Holder::Postmaster => true,
            Holder::Dead | Holder::Other => false,
            Holder::Unknown => accepts(self.port).await,
        }
    }

    /// `pg_ctl -m fast stop` if this handle owns the server; a no-op otherwise.
    pub async fn stop(mut self) -> Result<(), Error> {
        self.stopped = true;
        if !self.owned {
            tracing::debug!("not stopping PostgreSQL: another process of the app owns it");
            return Ok(());
        }
        let pg_ctl = self.launcher.binaries.pg_ctl();
        let mut cmd = self.launcher.command(&pg_ctl);
        cmd.arg("stop")
            .arg("-D")
            .arg(&self.pgdata)
            .args(["-m", "fast", "-w", "-s"]);
        let output = cmd
            .output()
            .await
            .map_err(Error::io(format!("running {}", pg_ctl.display())))?;
        if output.status.success() {
            tracing::info!(port = self.port, "PostgreSQL stopped");
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("Is server running?") {
            tracing::warn!("PostgreSQL was already stopped");
            return Ok(());
        }
        Err(Error::StopFailed {
            status: output.status.to_string(),
            stderr_tail: tail(&stderr, 20),
        })
    }
}

impl Drop for RunningCluster {
    fn drop(&mut self) {
        if self.owned && !self.stopped {
            tracing::info!(port = self.port, "stopping PostgreSQL (handle dropped)");
            let result = self
                .launcher
                .std_command(&self.launcher.binaries.pg_ctl())
                .arg("stop")
                .arg("-D")
                .arg(&self.pgdata)
                .args(["-m", "fast", "-w", "-s"])
                .output();
            if let Err(e) = result {
                tracing::warn!(error = %e, "could not stop PostgreSQL on drop");
            }
        }
    }
}

fn remove_stale(path: &Path) -> Result<(), Error> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(Error::io(format!("removing {}", path.display()))(e))
        }
        _ => Ok(()),
    }
}

fn free_port() -> Result<u16, Error> {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0))
        .map_err(Error::io("finding a free port on 127.0.0.1"))?;
    let addr = listener
        .local_addr()
        .map_err(Error::io("finding a free port on 127.0.0.1"))?;
    Ok(addr.port())
}

async fn accepts(port: u16) -> bool {
    let connect = tokio::net::TcpStream::connect(("127.0.0.1", port));
    matches!(
        tokio::time::timeout(Duration::from_secs(1), connect).await,
        Ok(Ok(_))
    )
}

fn is_port_clash(err: &Error) -> bool {
    matches!(err, Error::StartFailed { log_tail, .. }
        if log_tail.contains("could not bind") || log_tail.contains("Address already in use"))
}

/// The part of the log written since `offset` (this start attempt only).
fn read_from(path: &Path, offset: u64) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    let start = usize::try_from(offset).unwrap_or(0).min(bytes.len());
    String::from_utf8_lossy(&bytes[start..]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_failures_are_port_clashes() {
        let err = Error::StartFailed {
            log_file: "x".into(),
            log_tail: "LOG:  could not bind IPv4 address \"127.0.0.1\": Address already in use"
                .into(),
        };
        assert!(is_port_clash(&err));
    }
}
