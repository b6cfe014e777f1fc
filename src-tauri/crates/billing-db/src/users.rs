use billing_domain::{Role, UserId, Username};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl UserRow {
    pub fn user_id(&self) -> UserId {
        UserId(self.id)
    }

    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role)
    }
}

pub struct NewUser<'a> {
    pub id: UserId,
    pub username: &'a Username,
    pub password_hash: &'a str,
    pub role: Role,
}

pub async fn count(conn: &mut PgConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from users")
        .fetch_one(conn)
        .await
}

/// Serialises first-owner creation between concurrent requests and processes.
pub async fn lock_for_first_owner(conn: &mut PgConnection) -> sqlx::Result<()> {
    sqlx::query("select pg_advisory_xact_lock(hashtext('mikrobill.first_owner'))")
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn insert(conn: &mut PgConnection, user: NewUser<'_>) -> sqlx::Result<()> {
    sqlx::query("insert into users (id, username, password_hash, role) values ($1, $2, $3, $4)")
        .bind(user.id.0)
        .bind(user.username.as_str())
        .bind(user.password_hash)
        .bind(user.role.as_str())
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn find_by_username(
    conn: &mut PgConnection,
    username: &str,
) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(
        "select id, username, password_hash, role, disabled_at, created_at \
         from users where username = $1",
    )
    .bind(username)
    .fetch_optional(conn)
    .await
}

pub async fn find_by_id(conn: &mut PgConnection, id: UserId) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(
        "select id, username, password_hash, role, disabled_at, created_at \
         from users where id = $1",
    )
    .bind(id.0)
    .fetch_optional(conn)
    .await
}

pub async fn update_password_hash(
    conn: &mut PgConnection,
    id: UserId,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("update users set password_hash = $2 where id = $1")
        .bind(id.0)
        .bind(password_hash)
        .execute(conn)
        .await
        .map(|_| ())
}
