//! `tracing` to stderr (human) and to a daily-rolling JSON file in the data directory.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;
use tracing_subscriber::{fmt, EnvFilter, Layer as _};

use crate::Settings;

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
        match std::fs::create_dir_all(&dir)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                tracing_appender::rolling::Builder::new()
                    .rotation(tracing_appender::rolling::Rotation::DAILY)
                    .filename_prefix("mikrobill")
                    .filename_suffix("log")
                    .max_log_files(14)
                    .build(&dir)
                    .map_err(|e| e.to_string())
            }) {
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
