//! This installation's identity: an id kept in its data folder, the PC's name, and a lock file
//! that only one serving process of the data folder holds at a time. With it, a claim on the
//! database left by an earlier run of the same installation (see `billing_app::ops::instances`) can
//! be taken over safely: if this process holds the file lock, no other process of this
//! installation is serving.

use std::fs::File;
use std::path::Path;

use billing_app::ops::instances::Identity;
use uuid::Uuid;

const ID_FILE: &str = "instance-id";
const LOCK_FILE: &str = "instance.lock";

#[derive(Debug, thiserror::Error)]
pub enum InstanceError {
    #[error(
        "mikrobill sudah berjalan dengan folder data {dir} (jendela atau `mikrobill serve` \
         lain); tutup yang itu dulu. / mikrobill is already running with the data folder {dir} \
         (another window or `mikrobill serve`); close that one first."
    )]
    AlreadyRunning { dir: String },
    #[error("cannot use {path}: {source}")]
    File {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Held while this process serves from the data folder; released when dropped (and by the
/// system when the process ends, however it ends).
#[derive(Debug)]
pub struct InstanceLock {
    _file: File,
}

/// Takes the data folder's lock file and reads (or makes) the installation's id.
pub fn open(data_dir: &Path, version: &str) -> Result<(Identity, InstanceLock), InstanceError> {
    let lock = lock(data_dir)?;
    let id = installation_id(data_dir)?;
    let host = whoami::fallible::hostname().unwrap_or_else(|_| "unknown".into());
    let dir = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_owned())
        .display()
        .to_string();
    Ok((Identity::new(id, &host, &dir, version), lock))
}

fn lock(data_dir: &Path) -> Result<InstanceLock, InstanceError> {
    let path = data_dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| InstanceError::File {
            path: path.display().to_string(),
            source,
        })?;
    // A lock just given up can still be held for a moment: by the previous run of this
    // installation while it finishes closing (the window closed and opened again at once), or
    // by a process this one is starting (between fork and exec a child shares the open lock
    // file; a large process takes a while to fork on a busy PC). So a held lock is asked for
    // again for up to 3 seconds before the start is refused.
    let mut tries = 0;
    loop {
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => return Ok(InstanceLock { _file: file }),
            Err(fs4::TryLockError::WouldBlock) if tries < 30 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(fs4::TryLockError::WouldBlock) => {
                return Err(InstanceError::AlreadyRunning {
                    dir: data_dir.display().to_string(),
                })
            }
            Err(fs4::TryLockError::Error(source)) => {
                return Err(InstanceError::File {
                    path: path.display().to_string(),
                    source,
                })
            }
        }
    }
}

fn installation_id(data_dir: &Path) -> Result<Uuid, InstanceError> {
    let path = data_dir.join(ID_FILE);
    let failed = |source| InstanceError::File {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            if let Ok(id) = text.trim().parse() {
                return Ok(id);
            }
            tracing::warn!(file = %path.display(), "the installation id was damaged; a new one is made");
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(failed(e)),
    }
    let id = Uuid::new_v4();
    let tmp = data_dir.join(format!("{ID_FILE}.tmp"));
    std::fs::write(&tmp, format!("{id}\n")).map_err(failed)?;
    std::fs::rename(&tmp, &path).map_err(failed)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_kept_and_a_second_process_of_the_folder_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (first, lock) = open(dir.path(), "0.1.0").expect("first");
        let err = open(dir.path(), "0.1.0").expect_err("the folder is in use");
        assert!(err.to_string().contains("sudah berjalan"), "{err}");
        drop(lock);
        let (again, _lock) = open(dir.path(), "0.1.0").expect("again");
        assert_eq!(again.id, first.id);
        assert_ne!(again.application_name(), first.application_name());
    }
}
