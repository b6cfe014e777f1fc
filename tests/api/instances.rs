//! One serving app per database (issue #25, step 0): a second installation (another data
//! folder, as another PC has) on a database that an app uses is refused at start with a
//! message naming the first; a PC that went away frees the database with its connection; the
//! same installation started again takes over what its previous run left.

use billing_app::ops::instances::LOCK_KEY;
use billing_tests::*;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};

fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("mikrobill-test-")
        .tempdir()
        .expect("tempdir")
}

/// A connection of its own to the app's database (another PC, a tool, an administrator).
async fn connect_as(app: &TestApp, application: &str) -> PgConnection {
    let options: PgConnectOptions = app.database_url.parse().expect("url");
    options
        .application_name(application)
        .connect()
        .await
        .expect("connect")
}

/// The server process of the session holding the database's claim.
async fn claim_holder(conn: &mut PgConnection) -> Option<i32> {
    sqlx::query_scalar(
        "select pid from pg_locks where locktype = 'advisory' and granted and objsubid = 1 \
         and database = (select oid from pg_database where datname = current_database()) \
         and classid::bigint = $1 and objid::bigint = $2",
    )
    .bind(LOCK_KEY >> 32)
    .bind(LOCK_KEY & 0xffff_ffff)
    .fetch_optional(conn)
    .await
    .expect("pg_locks")
}

async fn healthz(app: &TestApp) -> StatusCode {
    app.http
        .get(format!("{}/healthz", app.public))
        .send()
        .await
        .expect("healthz")
        .status()
}

#[tokio::test]
async fn a_second_pc_on_the_same_database_is_refused_with_the_first_ones_name_until_it_stops() {
    let mut first = spawn_app().await;
    first.create_owner().await;
    let mut conn = connect_as(&first, "test").await;
    let (host, dir): (String, String) =
        sqlx::query_as("select host_name, data_dir from app_instances where stopped_at is null")
            .fetch_one(&mut conn)
            .await
            .expect("the first app's row");
    assert_eq!(
        std::path::Path::new(&dir),
        first.data_dir.path().canonicalize().expect("dir")
    );

    let refused = try_spawn_app_with_settings(tempdir(), &first.database_url, |_| {})
        .await
        .err()
        .expect("a second installation on the database is refused");
    for part in [
        "sedang dipakai oleh mikrobill lain",
        "is in use by another mikrobill",
        &format!("PC \"{host}\""),
        &dir,
        "Close mikrobill on that PC",
    ] {
        assert!(refused.contains(part), "{part:?} missing from: {refused}");
    }
    // The first app carries on untouched.
    let (status, _) = first.login(OWNER, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(healthz(&first).await, StatusCode::OK);

    // Closed, it leaves the database to the other PC, which finds the same data.
    first.stop().await;
    let second = try_spawn_app_with_settings(tempdir(), &first.database_url, |_| {})
        .await
        .expect("the second PC starts once the first stopped");
    let (status, _) = second.login(OWNER, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let rows: Vec<(String, bool)> = sqlx::query_as(
        "select data_dir, stopped_at is null from app_instances order by started_at",
    )
    .fetch_all(&mut conn)
    .await
    .expect("rows");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0], (dir, false), "the first says it stopped");
    assert!(rows[1].1, "the second is the one in use: {rows:?}");
    conn.close().await.ok();
    second.shutdown().await;
}

#[tokio::test]
async fn a_pc_that_went_away_frees_the_database_and_learns_on_its_return_that_it_was_taken() {
    // A long heartbeat: the first app must not notice on its own during the test.
    let first = try_spawn_app_with_settings(tempdir(), &fresh_database().await, |s| {
        s.database.heartbeat_secs = 3600;
    })
    .await
    .expect("first");
    first.create_owner().await;
    // The PC vanished (power cut): the server ends its session, by itself after the TCP
    // keepalives or at once by an administrator.
    let mut admin = connect_as(&first, "admin").await;
    let held = claim_holder(&mut admin)
        .await
        .expect("the first app holds the claim");
    let ended: bool = sqlx::query_scalar("select pg_terminate_backend($1)")
        .bind(held)
        .fetch_one(&mut admin)
        .await
        .expect("terminate");
    assert!(ended);

    let second = try_spawn_app_with_settings(tempdir(), &first.database_url, |_| {})
        .await
        .expect("another PC starts once the first one's session is gone");
    assert_eq!(healthz(&second).await, StatusCode::OK);
    let (status, _) = second.login(OWNER, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);

    // The first app's next heartbeat finds its claim taken: it says so (log, /healthz) rather
    // than carrying on as if the database were its own.
    let claims = first
        .ctx()
        .ops
        .claims
        .clone()
        .expect("a serving app claims");
    assert!(claims.lost().is_none());
    claims.heartbeat().await;
    let lost = claims.lost().expect("the claim is lost");
    let second_dir = second.data_dir.path().canonicalize().expect("dir");
    assert!(
        lost.contains(&second_dir.display().to_string()),
        "the message names who has it: {lost}"
    );
    assert_eq!(healthz(&first).await, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(healthz(&second).await, StatusCode::OK);
    admin.close().await.ok();
    second.shutdown().await;
    first.shutdown().await;
}

#[tokio::test]
async fn the_same_installation_started_again_takes_over_the_claim_its_previous_run_left() {
    let mut app = spawn_app().await;
    app.create_owner().await;
    let id: uuid::Uuid = std::fs::read_to_string(app.data_dir.path().join("instance-id"))
        .expect("the installation id is kept in the data folder")
        .trim()
        .parse()
        .expect("uuid");
    app.stop().await;

    // What a run that ended without closing its connection leaves behind (the PC lost power
    // and the server has not noticed yet): the claim held by a session its row points at.
    let mut leftover = connect_as(&app, "mikrobill 00000000 previous-run").await;
    let locked: bool = sqlx::query_scalar("select pg_try_advisory_lock($1)")
        .bind(LOCK_KEY)
        .fetch_one(&mut leftover)
        .await
        .expect("lock");
    assert!(locked, "the stopped app released its claim");
    let updated = sqlx::query(
        "update app_instances set backend_pid = pg_backend_pid(), stopped_at = null where id = $1",
    )
    .bind(id)
    .execute(&mut leftover)
    .await
    .expect("row");
    assert_eq!(updated.rows_affected(), 1);

    let app = app.restart().await;
    let (status, _) = app.login(OWNER, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        sqlx::query("select 1")
            .execute(&mut leftover)
            .await
            .is_err(),
        "the leftover session was ended"
    );
    let mut conn = connect_as(&app, "test").await;
    let holder = claim_holder(&mut conn).await.expect("held again");
    let row_pid: Option<i32> =
        sqlx::query_scalar("select backend_pid from app_instances where id = $1")
            .bind(id)
            .fetch_one(&mut conn)
            .await
            .expect("row");
    assert_eq!(row_pid, Some(holder), "the row names the new session");
    conn.close().await.ok();
    app.shutdown().await;
}

#[tokio::test]
async fn healthz_is_unavailable_when_the_database_is_gone() {
    let app = spawn_app().await;
    assert_eq!(healthz(&app).await, StatusCode::OK);
    // What PC2 saw when PC1's restore dropped its database.
    let name = app
        .database_url
        .rsplit('/')
        .next()
        .expect("name")
        .to_owned();
    let mut server = test_server().options.connect().await.expect("server");
    sqlx::query(&format!("drop database {name} with (force)"))
        .execute(&mut server)
        .await
        .expect("drop");
    server.close().await.ok();
    assert_eq!(healthz(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    app.shutdown().await;
}
