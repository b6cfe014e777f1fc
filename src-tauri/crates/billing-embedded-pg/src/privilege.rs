//! Running PostgreSQL as an unprivileged user when the app itself runs as root.
//!
//! initdb, pg_ctl and postgres all refuse to run as root. When `geteuid() == 0` the cluster
//! directory is handed to an unprivileged system user (default `postgres`) and every child is
//! spawned with that uid/gid through the safe `CommandExt::uid/gid` API. When std drops from
//! root to another uid without explicit groups it also clears the supplementary groups.

use std::path::Path;

use crate::error::Error;

/// The user name tried when running as root and nothing else is configured.
pub const DEFAULT_PG_USER: &str = "postgres";

/// The unprivileged identity that runs PostgreSQL children.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(unix), allow(dead_code))]
pub(crate) struct RunAs {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

/// `Ok(None)` unless running as root. Then: the non-root owner of an existing `pgdata` (so a
/// cluster made by a desktop user is never re-owned under it), else the configured user,
/// `MIKROBILL_PG_USER`, or `postgres`, which must exist and must not be root itself.
pub(crate) fn resolve(configured: Option<&str>, pgdata: &Path) -> Result<Option<RunAs>, Error> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if !nix::unistd::geteuid().is_root() {
            return Ok(None);
        }
        if let Ok(meta) = std::fs::metadata(pgdata) {
            if meta.uid() != 0 {
                let uid = nix::unistd::Uid::from_raw(meta.uid());
                let name = match nix::unistd::User::from_uid(uid) {
                    Ok(Some(user)) => user.name,
                    _ => meta.uid().to_string(),
                };
                tracing::info!(user = %name, "running as root: PostgreSQL runs as the owner of the existing cluster");
                return Ok(Some(RunAs {
                    name,
                    uid: meta.uid(),
                    gid: meta.gid(),
                }));
            }
        }
        let name = configured
            .map(str::to_owned)
            .or_else(|| {
                std::env::var("MIKROBILL_PG_USER")
                    .ok()
                    .filter(|v| !v.is_empty())
            })
            .unwrap_or_else(|| DEFAULT_PG_USER.to_owned());
        match nix::unistd::User::from_name(&name) {
            Ok(Some(user)) if !user.uid.is_root() => {
                let (uid, gid) = (user.uid.as_raw(), user.gid.as_raw());
                tracing::info!(user = %name, uid, gid, "running as root: PostgreSQL will run as an unprivileged user");
                Ok(Some(RunAs { name, uid, gid }))
            }
            Ok(_) => Err(Error::RootWithoutUnprivilegedUser { user: name }),
            Err(errno) => Err(Error::Io {
                context: format!("looking up user `{name}`"),
                source: errno.into(),
            }),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (configured, pgdata);
        Ok(None)
    }
}

#[cfg(unix)]
impl RunAs {
    /// Whether the top of `path` already belongs to this user.
    pub fn owns(&self, path: &Path) -> Result<bool, Error> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::symlink_metadata(path)
            .map_err(Error::io(format!("reading {}", path.display())))?;
        Ok(meta.uid() == self.uid)
    }

    /// `chown` one path (not following symlinks).
    pub fn chown(&self, path: &Path) -> Result<(), Error> {
        std::os::unix::fs::lchown(path, Some(self.uid), Some(self.gid)).map_err(Error::io(format!(
            "chown {} to {}",
            path.display(),
            self.name
        )))
    }

    /// `chown -R`, skipped when the top already belongs to the user.
    pub fn chown_tree(&self, root: &Path) -> Result<(), Error> {
        if self.owns(root)? {
            return Ok(());
        }
        tracing::info!(path = %root.display(), user = %self.name, "handing the cluster directory to the PostgreSQL user");
        let mut stack = vec![root.to_path_buf()];
        while let Some(path) = stack.pop() {
            self.chown(&path)?;
            let meta = std::fs::symlink_metadata(&path)
                .map_err(Error::io(format!("reading {}", path.display())))?;
            if meta.is_dir() {
                let entries = std::fs::read_dir(&path)
                    .map_err(Error::io(format!("listing {}", path.display())))?;
                for entry in entries {
                    let entry = entry.map_err(Error::io(format!("listing {}", path.display())))?;
                    stack.push(entry.path());
                }
            }
        }
        Ok(())
    }

    /// Every directory from `/` down to `dir` must be searchable (`x`) by this user, or
    /// PostgreSQL cannot reach its data. Reports the first blocking directory instead of
    /// silently loosening permissions (for example of `/root`).
    pub fn check_traversable(&self, dir: &Path) -> Result<(), Error> {
        use std::os::unix::fs::MetadataExt;
        let canonical = dir
            .canonicalize()
            .map_err(Error::io(format!("resolving {}", dir.display())))?;
        for ancestor in canonical.ancestors().collect::<Vec<_>>().into_iter().rev() {
            let meta = std::fs::metadata(ancestor)
                .map_err(Error::io(format!("reading {}", ancestor.display())))?;
            let mode = meta.mode();
            let searchable = (meta.uid() == self.uid && mode & 0o100 != 0)
                || (meta.gid() == self.gid && mode & 0o010 != 0)
                || mode & 0o001 != 0;
            if !searchable {
                return Err(Error::DataDirNotAccessible {
                    path: dir.to_path_buf(),
                    user: self.name.clone(),
                    reason: format!(
                        "{} (mode {:o}) is not searchable by that user. Choose a data \
                         directory outside {} (e.g. --data-dir /var/lib/mikrobill), or allow \
                         traversal with `chmod o+x {}`",
                        ancestor.display(),
                        mode & 0o7777,
                        ancestor.display(),
                        ancestor.display()
                    ),
                });
            }
        }
        Ok(())
    }
}
