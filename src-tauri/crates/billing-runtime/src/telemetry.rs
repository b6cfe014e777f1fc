//! `tracing` to stderr (human) and to a daily-rolling JSON file in the data directory,
//! readable by the owner only.

use std::io::Write;
use std::path::{Path, PathBuf};

use billing_domain::{Clock, SystemClock};
use chrono::NaiveDate;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{fmt, EnvFilter, Layer as _};

use crate::{owner_only, Settings};

/// Days of log files kept.
const KEEP_DAYS: usize = 14;

/// Keeps the file writer flushing; drop it last.
#[must_use]
pub struct TracingGuard(#[allow(dead_code)] Option<WorkerGuard>);

/// Installs the global subscriber (once; later calls are no-ops). `RUST_LOG` wins over
/// `log.level`.
pub fn init_tracing(settings: &Settings) -> TracingGuard {
    let filter = || {
        EnvFilter::try_from_default_env()
            .or_else(|_| EnvFilter::try_new(format!("{},sqlx=warn", settings.log.level)))
            .unwrap_or_else(|_| EnvFilter::new("info"))
    };
    let stderr = fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(filter());

    let (file_layer, guard) = if settings.log.file {
        let dir = settings.data_dir.join("logs");
        match DailyLog::open(&settings.data_dir, &dir, KEEP_DAYS, SystemClock) {
            Ok(appender) => {
                let (writer, guard) = tracing_appender::non_blocking(appender);
                let layer = fmt::layer()
                    .json()
                    .with_writer(writer)
                    .with_filter(filter());
                (Some(layer), Some(guard))
            }
            Err(err) => {
                eprintln!("mikrobill: cannot write logs to {}: {err}", dir.display());
                (None, None)
            }
        }
    } else {
        (None, None)
    };

    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(file_layer)
        .try_init();
    TracingGuard(guard)
}

/// One JSON log file per UTC day (`logs/mikrobill.2026-12-07.log`, the names the earlier
/// tracing-appender files had), the newest `keep` kept. Every file is created 0600 and the
/// directories are 0700 (Unix); files left by older versions with looser modes are
/// tightened when it opens.
#[derive(Debug)]
pub struct DailyLog<C> {
    dir: PathBuf,
    keep: usize,
    clock: C,
    current: Option<(NaiveDate, std::fs::File)>,
}

impl<C: Clock> DailyLog<C> {
    /// Prepares `dir` inside `data_dir` (both made the owner's alone) and today's file.
    pub fn open(data_dir: &Path, dir: &Path, keep: usize, clock: C) -> std::io::Result<Self> {
        owner_only::create_data_dir(data_dir)?;
        owner_only::create_dir(dir)?;
        owner_only::restrict_files_in(dir)?;
        let mut log = Self {
            dir: dir.to_owned(),
            keep: keep.max(1),
            clock,
            current: None,
        };
        log.file()?;
        Ok(log)
    }

    fn file(&mut self) -> std::io::Result<&mut std::fs::File> {
        let today = self.clock.now().date_naive();
        let stale = self.current.as_ref().is_none_or(|(day, _)| *day != today);
        if stale {
            let file = owner_only::open_append(&self.dir.join(file_name(today)))?;
            self.current = Some((today, file));
            self.prune();
        }
        match self.current.as_mut() {
            Some((_, file)) => Ok(file),
            None => Err(std::io::Error::other("no log file open")),
        }
    }

    /// Removes the oldest files past `keep` (best effort: a failure only leaves a file).
    fn prune(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut days: Vec<(NaiveDate, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let day = name.strip_prefix("mikrobill.")?.strip_suffix(".log")?;
                Some((day.parse().ok()?, e.path()))
            })
            .collect();
        days.sort();
        let excess = days.len().saturating_sub(self.keep);
        for (_, path) in days.into_iter().take(excess) {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn file_name(day: NaiveDate) -> String {
    format!("mikrobill.{}.log", day.format("%Y-%m-%d"))
}

impl<C: Clock> Write for DailyLog<C> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file()?.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.current.as_mut() {
            Some((_, file)) => file.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use billing_domain::FixedClock;
    use chrono::{Duration, TimeZone, Utc};
    use std::os::unix::fs::PermissionsExt as _;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn log_files_and_the_data_directory_are_readable_by_the_owner_only() {
        let root = tempfile::tempdir().expect("tempdir");
        let data = root.path().join("data");
        let logs = data.join("logs");
        std::fs::create_dir_all(&logs).expect("mkdir");
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        std::fs::set_permissions(&logs, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        // A file written by an older version, world-readable.
        let old = logs.join("mikrobill.2026-11-30.log");
        std::fs::write(&old, "{}\n").expect("write");
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).expect("chmod");

        let clock = FixedClock::new(
            Utc.with_ymd_and_hms(2026, 12, 7, 23, 59, 0)
                .single()
                .expect("date"),
        );
        let mut log = DailyLog::open(&data, &logs, 14, clock.clone()).expect("open");
        writeln!(log, "{{\"msg\":\"hari ini\"}}").expect("write");
        clock.advance(Duration::minutes(2));
        writeln!(log, "{{\"msg\":\"besok\"}}").expect("write");
        log.flush().expect("flush");

        // Nobody else may list or read it (run as root: pass through to pgdata, 0711).
        assert_eq!(mode(&data) & 0o066, 0, "data directory {:o}", mode(&data));
        assert_eq!(mode(&logs), 0o700);
        assert_eq!(
            mode(&old),
            0o600,
            "files left by older versions are tightened"
        );
        for day in ["2026-12-07", "2026-12-08"] {
            let path = logs.join(format!("mikrobill.{day}.log"));
            assert_eq!(mode(&path), 0o600, "{}", path.display());
        }
        let tomorrow =
            std::fs::read_to_string(logs.join("mikrobill.2026-12-08.log")).expect("read");
        assert_eq!(
            tomorrow, "{\"msg\":\"besok\"}\n",
            "a new day starts a new file"
        );
    }

    #[test]
    fn only_the_newest_days_are_kept() {
        let root = tempfile::tempdir().expect("tempdir");
        let logs = root.path().join("logs");
        let clock = FixedClock::new(
            Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0)
                .single()
                .expect("date"),
        );
        let mut log = DailyLog::open(root.path(), &logs, 3, clock.clone()).expect("open");
        for _ in 0..5 {
            writeln!(log, "{{}}").expect("write");
            clock.advance(Duration::days(1));
        }
        let mut names: Vec<String> = std::fs::read_dir(&logs)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "mikrobill.2026-12-03.log",
                "mikrobill.2026-12-04.log",
                "mikrobill.2026-12-05.log"
            ]
        );
    }
}
