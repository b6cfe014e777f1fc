use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

pub struct NewLoginAttempt<'a> {
    pub username: &'a str,
    pub user_id: Option<Uuid>,
    pub succeeded: bool,
    pub reason: Option<&'a str>,
    pub remote_addr: Option<&'a str>,
    pub attempted_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut PgConnection, attempt: NewLoginAttempt<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into login_attempts \
         (username, user_id, succeeded, reason, remote_addr, attempted_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(attempt.username)
    .bind(attempt.user_id)
    .bind(attempt.succeeded)
    .bind(attempt.reason)
    .bind(attempt.remote_addr)
    .bind(attempt.attempted_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Failed attempts for a username since an instant (for throttling).
pub async fn count_failures_since(
    conn: &mut PgConnection,
    username: &str,
    since: DateTime<Utc>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from login_attempts \
         where username = $1 and not succeeded and attempted_at >= $2",
    )
    .bind(username)
    .bind(since)
    .fetch_one(conn)
    .await
}
