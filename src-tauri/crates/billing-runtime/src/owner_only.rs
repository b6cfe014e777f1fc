//! What only the account that runs mikrobill may read: the data directory (0700) and the
//! log files in it (0600). The logs name customers, phone numbers and addresses; other
//! accounts on the same machine must not read them. On Windows the data directory lives
//! in the user's profile, whose access list already keeps other accounts out.

use std::io;
use std::path::Path;

/// Creates `dir` (and its parents) if needed and makes it the owner's alone, also when it
/// already existed with looser permissions.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    restrict(dir, 0o700)
}

/// Prepares the data directory: the owner's alone (0700). Run as root, the embedded
/// PostgreSQL (which refuses root) runs as an unprivileged account in `pgdata/` inside it, so
/// a root-owned data directory is 0711: others may pass through to a path they know, but not
/// list or read it; the logs stay 0700/0600 and pgdata is that account's own 0700.
pub fn create_data_dir(dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    restrict(dir, data_dir_mode(dir)?)
}

#[cfg(unix)]
fn data_dir_mode(dir: &Path) -> io::Result<u32> {
    use std::os::unix::fs::MetadataExt as _;
    Ok(if std::fs::metadata(dir)?.uid() == 0 {
        0o711
    } else {
        0o700
    })
}

#[cfg(not(unix))]
fn data_dir_mode(_dir: &Path) -> io::Result<u32> {
    Ok(0o700)
}

/// Makes an existing file readable and writable by its owner only.
pub fn restrict_file(path: &Path) -> io::Result<()> {
    restrict(path, 0o600)
}

/// Makes every file directly in `dir` the owner's alone (log files left by older versions).
pub fn restrict_files_in(dir: &Path) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            restrict_file(&entry.path())?;
        }
    }
    Ok(())
}

/// Opens `path` for appending, creating it readable by the owner only.
pub fn open_append(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    // The mode above applies only to a new file.
    restrict_file(path)?;
    Ok(file)
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let current = std::fs::metadata(path)?.permissions().mode() & 0o777;
    if current == mode {
        return Ok(());
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn restrict(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}
