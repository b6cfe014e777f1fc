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
