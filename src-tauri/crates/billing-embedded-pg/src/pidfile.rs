//! Reading `postmaster.pid` and deciding whether the process it names is our postmaster.

use std::path::{Path, PathBuf};

/// The parts of `postmaster.pid` this crate uses (line 1: pid, line 4: port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PidFile {
    pub pid: u32,
    pub port: Option<u16>,
}

impl PidFile {
    pub fn parse(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        let pid = lines.next()?.trim().parse().ok().filter(|pid| *pid > 0)?;
        let port = lines
            .nth(2)
            .and_then(|l| l.trim().parse().ok())
            .filter(|p| *p > 0);
        Some(Self { pid, port })
    }
}

pub(crate) fn path(pgdata: &Path) -> PathBuf {
    pgdata.join("postmaster.pid")
}

/// What the pid in `postmaster.pid` turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    /// No such process: the file is stale (left by a crash or power loss).
    Dead,
    /// A live process that is not a postmaster of this data directory (pid reused).
    Other,
    /// A live postmaster of this data directory.
    Postmaster,
    /// Alive, or unknowable on this platform; PostgreSQL's own lock check decides.
    Unknown,
}

/// Classifies `pid` for the cluster in `pgdata`.
pub(crate) fn holder(pid: u32, pgdata: &Path) -> Holder {
    #[cfg(target_os = "linux")]
    {
        match std::fs::read(format!("/proc/{pid}/cmdline")) {
            Ok(raw) => classify_cmdline(&raw, pgdata),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Holder::Dead,
            Err(_) => Holder::Unknown,
        }
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        let _ = pgdata;
        let Ok(raw) = i32::try_from(pid) else {
            return Holder::Dead;
        };
        match nix::sys::signal::kill(nix::unistd::Pid::from_raw(raw), None) {
            Err(nix::errno::Errno::ESRCH) => Holder::Dead,
            _ => Holder::Unknown,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (pid, pgdata);
        Holder::Unknown
    }
}

/// A postmaster's command line is `<bin>/postgres -D <pgdata> ...` (as pg_ctl starts it).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) fn classify_cmdline(raw: &[u8], pgdata: &Path) -> Holder {
    let args: Vec<String> = raw
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let Some(program) = args.first() else {
        return Holder::Other;
    };
    let name = Path::new(program)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if name != "postgres" && name != "postmaster" {
        return Holder::Other;
    }
    let ours = pgdata
        .canonicalize()
        .unwrap_or_else(|_| pgdata.to_path_buf());
    let same_dir = args
        .windows(2)
        .any(|w| w[0] == "-D" && Path::new(&w[1]).canonicalize().is_ok_and(|dir| dir == ours));
    if same_dir {
        Holder::Postmaster
    } else {
        Holder::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pid_and_port() {
        let text = "4242\n/data/pgdata\n1732780000\n54321\n\n127.0.0.1\n  1234   5\nready   \n";
        assert_eq!(
            PidFile::parse(text),
            Some(PidFile {
                pid: 4242,
                port: Some(54321)
            })
        );
    }

    #[test]
    fn a_file_still_being_written_has_no_port_yet() {
        assert_eq!(
            PidFile::parse("77\n/d\n1\n"),
            Some(PidFile {
                pid: 77,
                port: None
            })
        );
    }

    #[test]
    fn garbage_is_not_a_pid_file() {
        assert_eq!(PidFile::parse(""), None);
        assert_eq!(PidFile::parse("abc\n"), None);
        assert_eq!(PidFile::parse("0\n"), None);
    }

    #[test]
    fn only_a_postmaster_of_this_dir_counts() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().to_string_lossy().into_owned();
        let ours = format!("/usr/lib/postgresql/15/bin/postgres\0-D\0{dir}\0-p\05432\0");
        assert_eq!(
            classify_cmdline(ours.as_bytes(), tmp.path()),
            Holder::Postmaster
        );
        let other_dir = "/usr/lib/postgresql/15/bin/postgres\0-D\0/elsewhere\0";
        assert_eq!(
            classify_cmdline(other_dir.as_bytes(), tmp.path()),
            Holder::Other
        );
        let not_pg = format!("/bin/sleep\0-D\0{dir}\0");
        assert_eq!(
            classify_cmdline(not_pg.as_bytes(), tmp.path()),
            Holder::Other
        );
        assert_eq!(classify_cmdline(b"", tmp.path()), Holder::Other);
    }
}
