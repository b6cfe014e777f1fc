use std::os::unix::fs::{MetadataExt, PermissionsExt};

use billing_embedded_pg::{start_throwaway, Cluster, Error};
use secrecy::SecretString;
use sqlx::{Connection, PgConnection};

use crate::{binaries, config, connect, is_root, password, server_version, test_dir};

#[tokio::test]
async fn first_start_creates_the_cluster_and_accepts_the_password() {
    let tmp = test_dir();
    let cluster = Cluster::new(config(tmp.path())).expect("cluster");
    let running = cluster.start().await.expect("start");
    assert!(running.is_owned());
    let version = server_version(&running.connect_options(&password())).await;
    let major = binaries().version().major;
    assert!(
        version.starts_with(&format!("PostgreSQL {major}.")),
        "{version}"
    );
    assert_eq!(
        running.url_without_password(),
        format!("postgres://mikrobill@127.0.0.1:{}/postgres", running.port())
    );

    let data_dir = tmp.path().join("data");
    let leftovers: Vec<_> = std::fs::read_dir(&data_dir)
        .expect("ls")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !leftovers.iter().any(|n| n.contains("pw")),
        "pwfile left behind: {leftovers:?}"
    );
    if is_root() {
        assert_eq!(cluster.run_as_user(), Some("postgres"));
        let owner = std::fs::metadata(cluster.pgdata()).expect("stat").uid();
        assert_ne!(owner, 0, "pgdata must belong to the unprivileged user");
    }
    running.stop().await.expect("stop");
}

#[tokio::test]
async fn data_survives_a_stop_and_start() {
    let tmp = test_dir();
    let cluster = Cluster::new(config(tmp.path())).expect("cluster");
    let running = cluster.start().await.expect("first start");
    let mut conn = connect(&running.connect_options(&password())).await;
    sqlx::query("create table kept (note text)")
        .execute(&mut conn)
        .await
        .expect("create");
    sqlx::query("insert into kept values ('still here')")
        .execute(&mut conn)
        .await
        .expect("insert");
    conn.close().await.expect("close");
    running.stop().await.expect("stop");

    let again = Cluster::new(config(tmp.path()))
        .expect("cluster")
        .start()
        .await
        .expect("restart");
    let mut conn = connect(&again.connect_options(&password())).await;
    let (note,): (String,) = sqlx::query_as("select note from kept")
        .fetch_one(&mut conn)
        .await
        .expect("select");
    assert_eq!(note, "still here");
    conn.close().await.expect("close");
    again.stop().await.expect("stop");
}

async fn starts_despite_a_postmaster_pid_naming(pid: u32) {
    let tmp = test_dir();
    let cluster = Cluster::new(config(tmp.path())).expect("cluster");
    cluster
        .start()
        .await
        .expect("start")
        .stop()
        .await
        .expect("stop");
    let pid_file = cluster.pgdata().join("postmaster.pid");
    let fake = format!(
        "{pid}\n{}\n1700000000\n5999\n\n127.0.0.1\n",
        cluster.pgdata().display()
    );
    std::fs::write(&pid_file, fake).expect("write fake postmaster.pid");

    let running = cluster.start().await.expect("start after crash");
    assert!(running.is_owned());
    server_version(&running.connect_options(&password())).await;
    running.stop().await.expect("stop");
}

#[tokio::test]
async fn a_stale_postmaster_pid_of_a_dead_process_is_recovered() {
    let mut child = std::process::Command::new("true").spawn().expect("spawn");
    let dead_pid = child.id();
    child.wait().expect("wait");
    starts_despite_a_postmaster_pid_naming(dead_pid).await;
}

#[tokio::test]
async fn a_stale_postmaster_pid_naming_an_unrelated_live_process_is_recovered() {
    starts_despite_a_postmaster_pid_naming(std::process::id()).await;
}

#[tokio::test]
async fn a_running_cluster_is_reused_and_the_reuser_cannot_stop_it() {
    let tmp = test_dir();
    let owner = Cluster::new(config(tmp.path()))
        .expect("cluster")
        .start()
        .await
        .expect("start");
    let second = Cluster::new(config(tmp.path()))
        .expect("cluster")
        .start()
        .await
        .expect("reuse");
    assert!(!second.is_owned());
    assert_eq!(second.port(), owner.port());
    server_version(&second.connect_options(&password())).await;

    second
        .stop()
        .await
        .expect("stop from the non-owner is a no-op");
    server_version(&owner.connect_options(&password())).await;
    owner.stop().await.expect("stop");
}

#[tokio::test]
async fn a_wrong_password_is_rejected_by_the_server() {
    let tmp = test_dir();
    let running = Cluster::new(config(tmp.path()))
        .expect("cluster")
        .start()
        .await
        .expect("start");
    let wrong = running.connect_options(&SecretString::from("not the password"));
    let err = PgConnection::connect_with(&wrong)
        .await
        .expect_err("must be rejected");
    let code = err
        .as_database_error()
        .and_then(|e| e.code())
        .map(|c| c.into_owned());
    assert_eq!(code.as_deref(), Some("28P01"), "{err}");
    running.stop().await.expect("stop");
}

#[tokio::test]
async fn a_half_finished_initdb_is_cleaned_up_and_redone() {
    let tmp = test_dir();
    let cluster = Cluster::new(config(tmp.path())).expect("cluster");
    std::fs::create_dir_all(cluster.pgdata().join("base")).expect("mkdir");
    std::fs::write(cluster.pgdata().join("postgresql.conf"), "# interrupted").expect("write");
    cluster
        .ensure_initialized()
        .await
        .expect("initdb after cleanup");
    assert!(cluster.pgdata().join("PG_VERSION").is_file());
    cluster.ensure_initialized().await.expect("idempotent");
    let running = cluster.start().await.expect("start");
    server_version(&running.connect_options(&password())).await;
    running.stop().await.expect("stop");
}

#[tokio::test]
async fn dropping_an_owned_handle_stops_the_server() {
    let tmp = test_dir();
    let cluster = Cluster::new(config(tmp.path())).expect("cluster");
    let running = cluster.start().await.expect("start");
    assert!(cluster.pgdata().join("postmaster.pid").exists());
    drop(running);
    assert!(
        !cluster.pgdata().join("postmaster.pid").exists(),
        "server still running"
    );
}

#[tokio::test]
async fn a_throwaway_cluster_works_and_cleans_up() {
    let throwaway = start_throwaway(binaries()).await.expect("throwaway");
    let dir = throwaway.data_dir().to_path_buf();
    server_version(&throwaway.connect_options()).await;
    let mut conn = connect(&throwaway.connect_options()).await;
    let (fsync,): (String,) = sqlx::query_as("show fsync")
        .fetch_one(&mut conn)
        .await
        .expect("show");
    assert_eq!(fsync, "off");
    conn.close().await.expect("close");
    throwaway.stop().await.expect("stop");
    assert!(!dir.exists());
}

#[tokio::test]
async fn as_root_a_data_dir_behind_an_untraversable_parent_is_refused_with_a_fix() {
    if !is_root() {
        return;
    }
    let locked = tempfile::Builder::new()
        .prefix("mikrobill-locked-")
        .tempdir_in("/var/tmp");
    let locked = locked.expect("tempdir");
    std::fs::set_permissions(locked.path(), std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let cluster = Cluster::new(config(locked.path())).expect("cluster");
    let err = cluster
        .ensure_initialized()
        .await
        .expect_err("postgres cannot reach it");
    assert!(matches!(err, Error::DataDirNotAccessible { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains(&format!("chmod o+x {}", locked.path().display())),
        "{text}"
    );
}

#[tokio::test]
async fn as_root_without_the_unprivileged_user_the_error_says_what_to_do() {
    if !is_root() {
        return;
    }
    let tmp = test_dir();
    let mut config = config(tmp.path());
    config.run_as = Some("no-such-user-mikrobill".into());
    let err = Cluster::new(config).expect_err("no such user");
    assert!(
        matches!(err, Error::RootWithoutUnprivilegedUser { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("useradd --system postgres"), "{text}");
    assert!(text.contains("MIKROBILL_DATABASE_URL"), "{text}");
}

#[tokio::test]
async fn as_root_an_existing_cluster_keeps_its_non_root_owner() {
    if !is_root() {
        return;
    }
    let tmp = test_dir();
    let cluster = Cluster::new(config(tmp.path())).expect("cluster");
    cluster.ensure_initialized().await.expect("initdb");
    let mut other = config(tmp.path());
    other.run_as = Some("nobody".into());
    let again = Cluster::new(other).expect("cluster");
    assert_eq!(again.run_as_user(), cluster.run_as_user());
    let running = again.start().await.expect("start as the existing owner");
    server_version(&running.connect_options(&password())).await;
    running.stop().await.expect("stop");
}
