//! What the backup use-cases share about files: temporary folders, checksum sidecars, file
//! work off the async threads, and the "already running" refusal.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::Error;

/// A backup or restore is running.
pub(crate) fn busy() -> Error {
    Error::conflict("a backup or restore is already running; try again when it has finished")
}

/// `<file>.sha256` in the format of `sha256sum`, so a copy can be checked anywhere.
pub(crate) fn sidecar(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".sha256");
    file.with_file_name(name)
}

/// Removes a directory when dropped (temporary dump and scratch files).
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new(parent: &Path, name: String) -> Result<TempDir, Error> {
        let path = parent.join(name);
        std::fs::create_dir_all(&path)
            .map_err(|e| Error::Failed(format!("cannot create {}: {e}", path.display())))?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Error> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Unexpected(e.into()))
}

pub(crate) fn millis(since: Instant) -> i64 {
    i64::try_from(since.elapsed().as_millis()).unwrap_or(i64::MAX)
}
