//! Finding `initdb`, `pg_ctl` and `postgres` and checking their version.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use crate::error::{Error, SearchSource, SearchedPlace};
use crate::version::{dir_version_key, PgVersion};

const PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "postgres"];

/// Inputs of the binary search, injectable so tests need not touch the process environment.
#[derive(Debug, Clone, Default)]
pub struct LocateOptions {
    /// The bin folder bundled with the app, e.g. `<resource_dir>/postgres/bin`. Searched first.
    pub bundled_bin_dir: Option<PathBuf>,
    /// The value of `MIKROBILL_PG_BIN` (a bin directory). Empty counts as unset.
    pub env_bin: Option<OsString>,
    /// The value of `PATH`.
    pub path_var: Option<OsString>,
    /// Install locations with at most one `*` component, e.g. `/usr/lib/postgresql/*/bin`;
    /// the matches of one pattern are tried highest version first.
    pub system_patterns: Vec<PathBuf>,
}

impl LocateOptions {
    /// The production search: the given bundle, then `MIKROBILL_PG_BIN`, `PATH` and the
    /// platform's usual install locations.
    pub fn from_env(bundled_bin_dir: Option<PathBuf>) -> Self {
        Self {
            bundled_bin_dir,
            env_bin: std::env::var_os("MIKROBILL_PG_BIN"),
            path_var: std::env::var_os("PATH"),
            system_patterns: Self::default_system_patterns(),
        }
    }

    /// Debian/Ubuntu, RHEL (PGDG), Homebrew, Postgres.app and the EDB Windows installer.
    pub fn default_system_patterns() -> Vec<PathBuf> {
        let patterns: &[&str] = if cfg!(windows) {
            &[r"C:\Program Files\PostgreSQL\*\bin"]
        } else if cfg!(target_os = "macos") {
            &[
                "/opt/homebrew/opt/postgresql@*/bin",
                "/usr/local/opt/postgresql@*/bin",
                "/Applications/Postgres.app/Contents/Versions/*/bin",
            ]
        } else {
            &["/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin"]
        };
        patterns.iter().map(PathBuf::from).collect()
    }
}

/// A usable set of PostgreSQL server programs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    bin_dir: PathBuf,
    version: PgVersion,
    source: SearchSource,
}

impl PgBinaries {
    /// Searches, in order: the bundled bin dir, `MIKROBILL_PG_BIN`, `PATH`, then the system
    /// patterns. The first directory holding all three programs with version 13+ wins; if only
    /// older ones are found, the first of them is reported as [`Error::UnsupportedVersion`].
    pub fn locate(opts: &LocateOptions) -> Result<Self, Error> {
        let mut searched = Vec::new();
        let mut too_old = None;
        for (source, dir) in candidates(opts, &mut searched) {
            match probe(&dir) {
                Ok(version) if version.is_supported() => {
                    tracing::info!(dir = %dir.display(), %version, %source, "found PostgreSQL");
                    return Ok(Self {
                        bin_dir: dir,
                        version,
                        source,
                    });
                }
                Ok(version) => {
                    let outcome = format!("PostgreSQL {version} is older than 13");
                    too_old.get_or_insert((version, dir.clone()));
                    searched.push(SearchedPlace {
                        source,
                        location: Some(dir),
                        outcome,
                    });
                }
                Err(outcome) => searched.push(SearchedPlace {
                    source,
                    location: Some(dir),
                    outcome,
                }),
            }
        }
        match too_old {
            Some((version, bin_dir)) => Err(Error::UnsupportedVersion {
                found: version.text,
                bin_dir,
            }),
            None => Err(Error::BinariesNotFound { searched }),
        }
    }

    /// Uses one specific bin directory, checking its programs and version.
    pub fn from_dir(bin_dir: impl Into<PathBuf>) -> Result<Self, Error> {
        let bin_dir = bin_dir.into();
        let version = probe(&bin_dir).map_err(|outcome| Error::BinariesNotFound {
            searched: vec![SearchedPlace {
                source: SearchSource::EnvVar,
                location: Some(bin_dir.clone()),
                outcome,
            }],
        })?;
        if !version.is_supported() {
            return Err(Error::UnsupportedVersion {
                found: version.text,
                bin_dir,
            });
        }
        Ok(Self {
            bin_dir,
            version,
            source: SearchSource::EnvVar,
        })
    }

    pub fn bin_dir(&self) -> &Path {
        &self.bin_dir
    }
    pub fn version(&self) -> &PgVersion {
        &self.version
    }
    pub fn source(&self) -> SearchSource {
        self.source
    }
    pub fn initdb(&self) -> PathBuf {
        program(&self.bin_dir, "initdb")
    }
    pub fn pg_ctl(&self) -> PathBuf {
        program(&self.bin_dir, "pg_ctl")
    }
    pub fn postgres(&self) -> PathBuf {
        program(&self.bin_dir, "postgres")
    }
}

pub(crate) fn program(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// All directories to try, in order, without duplicates; unset sources are noted in `searched`.
pub(crate) fn candidates(
    opts: &LocateOptions,
    searched: &mut Vec<SearchedPlace>,
) -> Vec<(SearchSource, PathBuf)> {
    let mut out: Vec<(SearchSource, PathBuf)> = Vec::new();
    let mut unset = |source, outcome: &str| {
        searched.push(SearchedPlace {
            source,
            location: None,
            outcome: outcome.into(),
        });
    };
    match &opts.bundled_bin_dir {
        Some(dir) => out.push((SearchSource::Bundled, dir.clone())),
        None => unset(SearchSource::Bundled, "no bundled PostgreSQL in this build"),
    }
    match opts.env_bin.as_ref().filter(|v| !v.is_empty()) {
        Some(dir) => out.push((SearchSource::EnvVar, PathBuf::from(dir))),
        None => unset(SearchSource::EnvVar, "not set"),
    }
    match opts.path_var.as_ref().filter(|v| !v.is_empty()) {
        Some(path) => out.extend(
            std::env::split_paths(path)
                .filter(|d| !d.as_os_str().is_empty())
                .map(|d| (SearchSource::PathVar, d)),
        ),
        None => unset(SearchSource::PathVar, "not set"),
    }
    for pattern in &opts.system_patterns {
        let matches = expand_pattern(pattern);
        if matches.is_empty() {
            searched.push(SearchedPlace {
                source: SearchSource::SystemDir,
                location: Some(pattern.clone()),
                outcome: "no match".into(),
            });
        }
        out.extend(matches.into_iter().map(|d| (SearchSource::SystemDir, d)));
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|(_, dir)| seen.insert(dir.clone()));
    out
}

/// Expands one `*` inside a single path component; matches are sorted highest version first.
fn expand_pattern(pattern: &Path) -> Vec<PathBuf> {
    let components: Vec<Component<'_>> = pattern.components().collect();
    let Some(star) = components
        .iter()
        .position(|c| c.as_os_str().to_string_lossy().contains('*'))
    else {
        return if pattern.is_dir() {
            vec![pattern.to_path_buf()]
        } else {
            Vec::new()
        };
    };
    let parent: PathBuf = components[..star].iter().collect();
    let rest: PathBuf = components[star + 1..].iter().collect();
    let wild = components[star].as_os_str().to_string_lossy().into_owned();
    let (prefix, suffix) = wild.split_once('*').unwrap_or((wild.as_str(), ""));
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return Vec::new();
    };
    let mut found: Vec<(Vec<u32>, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let middle = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
            let dir = parent.join(&name).join(&rest);
            dir.is_dir().then(|| (dir_version_key(middle), dir))
        })
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    found.into_iter().map(|(_, dir)| dir).collect()
}

/// Checks that `dir` holds all programs and returns the server version, or why not.
fn probe(dir: &Path) -> Result<PgVersion, String> {
    if !dir.is_dir() {
        return Err("not a directory".into());
    }
    let missing: Vec<&str> = PROGRAMS
        .into_iter()
        .filter(|name| !program(dir, name).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing {}", missing.join(", ")));
    }
    let output = Command::new(program(dir, "postgres"))
        .arg("--version")
        .output()
        .map_err(|e| format!("cannot run postgres --version: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match PgVersion::parse(&stdout) {
        Some(version) if output.status.success() => Ok(version),
        _ => Err(format!(
            "postgres --version gave unexpected output ({}): {}",
            output.status,
            stdout.trim()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_without_star_matches_an_existing_dir_only() {
        let tmp = tempfile::tempdir().expect("tempdir");
        assert_eq!(expand_pattern(tmp.path()), vec![tmp.path().to_path_buf()]);
        assert!(expand_pattern(&tmp.path().join("nope")).is_empty());
    }

    #[test]
    fn pattern_matches_are_highest_version_first() {
        let tmp = tempfile::tempdir().expect("tempdir");
        for name in ["postgresql@9.6", "postgresql@16", "postgresql@14", "other"] {
            std::fs::create_dir_all(tmp.path().join(name).join("bin")).expect("mkdir");
        }
        std::fs::create_dir_all(tmp.path().join("postgresql@17")).expect("mkdir (no bin)");
        let got = expand_pattern(&tmp.path().join("postgresql@*").join("bin"));
        let want: Vec<PathBuf> = ["postgresql@16", "postgresql@14", "postgresql@9.6"]
            .iter()
            .map(|n| tmp.path().join(n).join("bin"))
            .collect();
        assert_eq!(got, want);
    }

    /// A bin dir whose `postgres --version` prints `version` (shell scripts stand in for the
    /// real programs, so the search runs its real probe).
    #[cfg(unix)]
    fn fake_bin(root: &Path, name: &str, version: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let dir = root.join(name).join("bin");
        std::fs::create_dir_all(&dir).expect("mkdir");
        for program in PROGRAMS {
            let path = dir.join(program);
            let script = format!("#!/bin/sh\necho \"{program} (PostgreSQL) {version}\"\n");
            std::fs::write(&path, script).expect("write fake program");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        dir
    }

    #[cfg(unix)]
    fn options(
        bundled: Option<PathBuf>,
        env: Option<&Path>,
        path: &[&Path],
        system: &Path,
    ) -> LocateOptions {
        LocateOptions {
            bundled_bin_dir: bundled,
            env_bin: env.map(|d| d.as_os_str().to_owned()),
            path_var: Some(std::env::join_paths(path).expect("join PATH")),
            system_patterns: vec![system.join("postgresql").join("*").join("bin")],
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_bundled_server_wins_over_every_system_postgres() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let bundled = fake_bin(tmp.path(), "bundle", "18.4");
        let env = fake_bin(tmp.path(), "env", "17.2");
        let on_path = fake_bin(tmp.path(), "path", "16.1");
        fake_bin(&tmp.path().join("postgresql"), "15", "15.18");
        let opts = options(Some(bundled.clone()), Some(&env), &[&on_path], tmp.path());

        let found = PgBinaries::locate(&opts).expect("bundled binaries found");
        assert_eq!(found.bin_dir(), bundled);
        assert_eq!(found.source(), SearchSource::Bundled);
        assert_eq!(found.version().major, 18);
        assert_eq!(found.postgres(), bundled.join("postgres"));
    }

    #[cfg(unix)]
    #[test]
    fn without_a_bundle_the_search_falls_back_in_order() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let env = fake_bin(tmp.path(), "env", "17.2");
        let on_path = fake_bin(tmp.path(), "path", "16.1");
        let system = fake_bin(&tmp.path().join("postgresql"), "15", "15.18");
        let missing_bundle = tmp.path().join("no-bundle").join("bin");

        let found = PgBinaries::locate(&options(
            Some(missing_bundle.clone()),
            Some(&env),
            &[&on_path],
            tmp.path(),
        ))
        .expect("env dir");
        assert_eq!(
            (found.source(), found.bin_dir()),
            (SearchSource::EnvVar, env.as_path())
        );

        let found = PgBinaries::locate(&options(
            Some(missing_bundle),
            None,
            &[&on_path],
            tmp.path(),
        ))
        .expect("PATH dir");
        assert_eq!(
            (found.source(), found.bin_dir()),
            (SearchSource::PathVar, on_path.as_path())
        );

        let found = PgBinaries::locate(&options(None, None, &[], tmp.path())).expect("system dir");
        assert_eq!(
            (found.source(), found.bin_dir()),
            (SearchSource::SystemDir, system.as_path())
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_incomplete_or_too_old_bundle_is_skipped_and_reported() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let bundled = fake_bin(tmp.path(), "bundle", "18.4");
        std::fs::remove_file(bundled.join("initdb")).expect("remove initdb");
        let old = fake_bin(tmp.path(), "old", "12.9");
        let system = fake_bin(&tmp.path().join("postgresql"), "16", "16.4");

        let found =
            PgBinaries::locate(&options(Some(bundled.clone()), Some(&old), &[], tmp.path()))
                .expect("falls back to the system server");
        assert_eq!(found.bin_dir(), system);

        let err = PgBinaries::locate(&options(
            Some(bundled),
            Some(&old),
            &[],
            &tmp.path().join("none"),
        ))
        .expect_err("nothing usable");
        assert!(
            matches!(&err, Error::UnsupportedVersion { found, .. } if found.starts_with("12.9")),
            "{err:?}"
        );
    }
}
