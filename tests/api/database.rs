use billing_runtime::{Application, DatabaseMode, Settings};
use billing_tests::*;
use secrecy::SecretString;
use sqlx::ConnectOptions;

async fn start_with_url(url: String) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = Settings::for_tests(dir.path());
    settings.database.mode = DatabaseMode::Remote;
    settings.database.url = Some(SecretString::from(url));
    settings.database.connect_timeout_secs = 3;
    match Application::build(settings).await {
        Ok(app) => {
            app.shutdown().await;
            panic!("the app started although the database is unusable")
        }
        Err(err) => err.to_string(),
    }
}

#[tokio::test]
async fn unreachable_server_is_reported_with_its_address() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = free.local_addr().expect("addr").port();
    drop(free);
    let message =
        start_with_url(format!("postgres://mikrobill:x@127.0.0.1:{port}/mikrobill")).await;
    assert!(
        message.starts_with("cannot reach the database server at 127.0.0.1:"),
        "{message}"
    );
    assert!(message.contains(&port.to_string()), "{message}");
}

#[tokio::test]
async fn wrong_password_is_reported_as_such() {
    let server = test_server();
    let role = format!("mb_role_{}", uuid::Uuid::new_v4().simple());
    let mut conn = server.options.clone().connect().await.expect("connect");
    sqlx::query(&format!(
        "create role {role} login password 'yang-benar-123'"
    ))
    .execute(&mut conn)
    .await
    .expect("create role");
    let url = fresh_database().await;
    let (_, rest) = url.split_once('@').expect("url has credentials");
    let message = start_with_url(format!("postgres://{role}:yang-salah@{rest}")).await;
    assert!(
        message.contains("rejected the password for user"),
        "{message}"
    );
    assert!(message.contains(&role), "{message}");
}

#[tokio::test]
async fn missing_database_is_named_with_a_fix() {
    let url = fresh_database().await;
    let (base, _) = url.rsplit_once('/').expect("url has a database");
    let message = start_with_url(format!("{base}/tidak_ada_db")).await;
    assert!(
        message.contains("the database \"tidak_ada_db\" does not exist"),
        "{message}"
    );
    assert!(message.contains("createdb"), "{message}");
}

#[tokio::test]
async fn malformed_url_is_named() {
    let message = start_with_url("mysql://localhost/mikrobill".into()).await;
    assert!(message.contains("database URL is not valid"), "{message}");
}

#[tokio::test]
async fn migrations_are_applied_once_and_a_restart_keeps_the_data() {
    let app = spawn_app().await;
    app.create_owner().await;
    let url = app.database_url.clone();
    app.shutdown().await;

    let again = spawn_app_on(&url).await;
    let (status, _) = again.login(OWNER, OWNER_PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
    let pool = again.pool().await;
    let applied: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
        .fetch_one(&pool)
        .await
        .expect("query");
    assert_eq!(
        usize::try_from(applied).expect("count"),
        billing_db_migrations()
    );
    again.shutdown().await;
}

fn billing_db_migrations() -> usize {
    std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations"))
        .expect("migrations dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
        })
        .count()
}
