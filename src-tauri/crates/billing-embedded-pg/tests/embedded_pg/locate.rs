use std::ffi::OsString;
use std::path::{Path, PathBuf};

use billing_embedded_pg::{Error, LocateOptions, PgBinaries, SearchSource};

use crate::{binaries, test_dir};

/// A bin dir whose programs link to the real ones.
fn linked_bin_dir(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).expect("mkdir");
    for name in ["initdb", "pg_ctl", "postgres"] {
        std::os::unix::fs::symlink(binaries().bin_dir().join(name), dir.join(name)).expect("link");
    }
    dir.to_path_buf()
}

fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

#[test]
fn nothing_found_lists_every_place_searched_and_how_to_fix_it() {
    let tmp = test_dir();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    std::fs::create_dir_all(&a).expect("mkdir");
    std::fs::write(a.join("initdb"), "").expect("write");
    let opts = LocateOptions {
        bundled_bin_dir: Some(tmp.path().join("bundle/postgres/bin")),
        env_bin: Some(OsString::new()),
        path_var: Some(std::env::join_paths([&a, &b]).expect("join")),
        system_patterns: vec![tmp.path().join("versions/*/bin")],
    };
    let err = PgBinaries::locate(&opts).expect_err("nothing to find");
    assert!(matches!(err, Error::BinariesNotFound { .. }), "{err:?}");
    let text = err.to_string();
    for needle in [
        format!(
            "bundled resources: {}/bundle/postgres/bin (not a directory)",
            tmp.path().display()
        ),
        "MIKROBILL_PG_BIN: not set".to_owned(),
        format!("PATH: {} (missing pg_ctl, postgres)", a.display()),
        format!("PATH: {} (not a directory)", b.display()),
        format!(
            "system location: {}/versions/*/bin (no match)",
            tmp.path().display()
        ),
        "set MIKROBILL_PG_BIN".to_owned(),
        "MIKROBILL_DATABASE_URL".to_owned(),
    ] {
        assert!(text.contains(&needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn the_highest_versioned_system_dir_wins() {
    let tmp = test_dir();
    linked_bin_dir(&tmp.path().join("14/bin"));
    let want = linked_bin_dir(&tmp.path().join("15/bin"));
    std::fs::create_dir_all(tmp.path().join("16/bin")).expect("empty newer dir");
    let opts = LocateOptions {
        system_patterns: vec![tmp.path().join("*/bin")],
        ..LocateOptions::default()
    };
    let found = PgBinaries::locate(&opts).expect("found");
    assert_eq!(found.bin_dir(), want);
    assert_eq!(found.source(), SearchSource::SystemDir);
    assert_eq!(found.version().major, binaries().version().major);
}

#[test]
fn bundled_binaries_beat_the_env_var_which_beats_path() {
    let tmp = test_dir();
    let bundled = linked_bin_dir(&tmp.path().join("bundle"));
    let env = linked_bin_dir(&tmp.path().join("env"));
    let path = linked_bin_dir(&tmp.path().join("path"));
    let mut opts = LocateOptions {
        bundled_bin_dir: Some(bundled.clone()),
        env_bin: Some(env.clone().into()),
        path_var: Some(path.clone().into()),
        system_patterns: Vec::new(),
    };
    let found = PgBinaries::locate(&opts).expect("found");
    assert_eq!(
        (found.bin_dir(), found.source()),
        (bundled.as_path(), SearchSource::Bundled)
    );
    opts.bundled_bin_dir = None;
    let found = PgBinaries::locate(&opts).expect("found");
    assert_eq!(
        (found.bin_dir(), found.source()),
        (env.as_path(), SearchSource::EnvVar)
    );
    opts.env_bin = None;
    let found = PgBinaries::locate(&opts).expect("found");
    assert_eq!(
        (found.bin_dir(), found.source()),
        (path.as_path(), SearchSource::PathVar)
    );
}

#[test]
fn a_server_older_than_13_is_rejected_unless_a_newer_one_is_found_later() {
    let tmp = test_dir();
    let old = tmp.path().join("pg12/bin");
    std::fs::create_dir_all(&old).expect("mkdir");
    script(&old.join("postgres"), "echo 'postgres (PostgreSQL) 12.17'");
    script(&old.join("initdb"), "exit 1");
    script(&old.join("pg_ctl"), "exit 1");
    let mut opts = LocateOptions {
        env_bin: Some(old.clone().into()),
        ..LocateOptions::default()
    };
    let err = PgBinaries::locate(&opts).expect_err("too old");
    assert!(matches!(err, Error::UnsupportedVersion { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("PostgreSQL 13 or newer is required, found 12.17"),
        "{err}"
    );
    assert!(matches!(
        PgBinaries::from_dir(&old),
        Err(Error::UnsupportedVersion { .. })
    ));

    opts.system_patterns = vec![binaries().bin_dir().to_path_buf()];
    let found = PgBinaries::locate(&opts).expect("the newer one");
    assert_eq!(found.bin_dir(), binaries().bin_dir());
}
