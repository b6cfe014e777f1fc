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

/// Until when logins for `username` from `remote_addr` are refused: once `max` failures from
/// that address fall within the window after `since` (exclusive: a failure exactly one window
/// old has left it), the lock lasts until the
/// `max`-th newest of them leaves the window (the returned instant is that failure's time;
/// the caller adds the window). `None` when not locked. Attempts refused because of the
/// lock are not failures: they neither count nor extend it. Other addresses are unaffected.
pub async fn lock_started(
    conn: &mut PgConnection,
    username: &str,
    remote_addr: Option<&str>,
    since: DateTime<Utc>,
    max: i64,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(
        "select attempted_at from login_attempts \
         where username = $1 and remote_addr is not distinct from $2 and not succeeded \
           and reason is distinct from 'locked_out' and attempted_at > $3 \
         order by attempted_at desc offset $4 limit 1",
    )
    .bind(username)
    .bind(remote_addr)
    .bind(since)
    .bind((max - 1).max(0))
    .fetch_optional(conn)
    .await
}
