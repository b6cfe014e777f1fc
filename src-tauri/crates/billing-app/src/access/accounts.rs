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
    pub token_version: i32,
    pub last_login_at: Option<DateTime<Utc>>,
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
        "select id, username, password_hash, role, disabled_at, token_version, \
         last_login_at, created_at from users where username = $1",
    )
    .bind(username)
    .fetch_optional(conn)
    .await
}

pub async fn find_by_id(conn: &mut PgConnection, id: UserId) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(
        "select id, username, password_hash, role, disabled_at, token_version, \
         last_login_at, created_at from users where id = $1",
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

const COLUMNS: &str = "id, username, password_hash, role, disabled_at, token_version, \
                       last_login_at, created_at";

/// Every account, staff first by role then by name.
pub async fn list(conn: &mut PgConnection) -> sqlx::Result<Vec<UserRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from users order by (role = 'reseller'), role, username"
    ))
    .fetch_all(conn)
    .await
}

/// Locks the row for a change of role or status.
pub async fn find_by_id_for_update(
    conn: &mut PgConnection,
    id: UserId,
) -> sqlx::Result<Option<UserRow>> {
    sqlx::query_as(&format!(
        "select {COLUMNS} from users where id = $1 for update"
    ))
    .bind(id.0)
    .fetch_optional(conn)
    .await
}

/// Active owners other than `except` (the last owner may not be demoted or disabled).
pub async fn count_active_owners_except(
    conn: &mut PgConnection,
    except: UserId,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from users where role = 'owner' and disabled_at is null and id <> $1",
    )
    .bind(except.0)
    .fetch_one(conn)
    .await
}

pub async fn set_role(conn: &mut PgConnection, id: UserId, role: Role) -> sqlx::Result<()> {
    sqlx::query("update users set role = $2, token_version = token_version + 1 where id = $1")
        .bind(id.0)
        .bind(role.as_str())
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_disabled(
    conn: &mut PgConnection,
    id: UserId,
    disabled_at: Option<DateTime<Utc>>,
) -> sqlx::Result<()> {
    sqlx::query(
        "update users set disabled_at = $2, token_version = token_version + 1 where id = $1",
    )
    .bind(id.0)
    .bind(disabled_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Ends every access token already issued to the user.
pub async fn bump_token_version(conn: &mut PgConnection, id: UserId) -> sqlx::Result<()> {
    sqlx::query("update users set token_version = token_version + 1 where id = $1")
        .bind(id.0)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn touch_last_login(
    conn: &mut PgConnection,
    id: UserId,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("update users set last_login_at = $2 where id = $1")
        .bind(id.0)
        .bind(at)
        .execute(conn)
        .await
        .map(|_| ())
}

/// What every authenticated request checks: the current role, status, token version and
/// whether the token's login session (refresh-token family) is still open.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserStanding {
    pub username: String,
    pub role: String,
    pub disabled_at: Option<DateTime<Utc>>,
    pub token_version: i32,
    /// The session has a token that is neither spent nor revoked: false after logout, after
    /// the session was ended from the sessions list, and after a reused refresh token ended
    /// the whole family. Always false without a session.
    pub session_open: bool,
}

impl UserStanding {
    /// Whether a token issued with `token_version` for this session may still act.
    pub fn may_act(&self, token_version: i32) -> bool {
        self.disabled_at.is_none() && self.token_version == token_version && self.session_open
    }
}

/// One primary-key lookup of the user and one index lookup of the session, in one round
/// trip; read from the database every time, so every app instance on it agrees at once.
pub async fn standing(
    conn: &mut PgConnection,
    id: UserId,
    session: Option<Uuid>,
) -> sqlx::Result<Option<UserStanding>> {
    sqlx::query_as(
        "select u.username, u.role, u.disabled_at, u.token_version, \
                exists (select 1 from refresh_tokens t \
                         where t.family_id = $2 and t.user_id = u.id \
                           and t.revoked_at is null) as session_open \
         from users u where u.id = $1",
    )
    .bind(id.0)
    .bind(session)
    .fetch_optional(conn)
    .await
}
