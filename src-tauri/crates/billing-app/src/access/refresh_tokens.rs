use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RefreshTokenRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub replaced_by: Option<Uuid>,
}

pub struct NewRefreshToken<'a> {
    pub id: Uuid,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub token_hash: &'a [u8],
    pub expires_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut PgConnection, token: NewRefreshToken<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "insert into refresh_tokens (id, user_id, family_id, token_hash, expires_at) \
         values ($1, $2, $3, $4, $5)",
    )
    .bind(token.id)
    .bind(token.user_id)
    .bind(token.family_id)
    .bind(token.token_hash)
    .bind(token.expires_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Finds a token by hash and locks its row for the rest of the transaction, so two
/// concurrent refreshes of the same token cannot both succeed.
pub async fn find_by_hash_for_update(
    conn: &mut PgConnection,
    token_hash: &[u8],
) -> sqlx::Result<Option<RefreshTokenRow>> {
    sqlx::query_as(
        "select id, user_id, family_id, expires_at, revoked_at, replaced_by \
         from refresh_tokens where token_hash = $1 for update",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}

pub async fn mark_replaced(
    conn: &mut PgConnection,
    id: Uuid,
    replaced_by: Uuid,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("update refresh_tokens set revoked_at = $3, replaced_by = $2 where id = $1")
        .bind(id)
        .bind(replaced_by)
        .bind(at)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn revoke(conn: &mut PgConnection, id: Uuid, at: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query("update refresh_tokens set revoked_at = $2 where id = $1 and revoked_at is null")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn revoke_family(
    conn: &mut PgConnection,
    family_id: Uuid,
    at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    sqlx::query(
        "update refresh_tokens set revoked_at = $2 where family_id = $1 and revoked_at is null",
    )
    .bind(family_id)
    .bind(at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

/// Housekeeping: sessions (token families) whose every token expired before `before` are of
/// no use to anyone. A family goes as a whole, in one statement: each rotated token refers to
/// the one that replaced it (`replaced_by`), so deleting only some of them would break that
/// reference, and a family still alive keeps its rotated tokens for reuse detection.
pub async fn delete_expired(conn: &mut PgConnection, before: DateTime<Utc>) -> sqlx::Result<u64> {
    sqlx::query(
        "delete from refresh_tokens where family_id in \
           (select family_id from refresh_tokens group by family_id \
            having max(expires_at) < $1)",
    )
    .bind(before)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}

/// A login session: one refresh-token family, alive while its newest token is.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub family_id: Uuid,
    pub started_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

pub async fn active_sessions(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<SessionRow>> {
    sqlx::query_as(
        "select family_id, \
                (select min(f.created_at) from refresh_tokens f \
                  where f.family_id = t.family_id) as started_at, \
                t.created_at as last_used_at, t.expires_at \
         from refresh_tokens t \
         where t.user_id = $1 and t.revoked_at is null and t.expires_at > $2 \
         order by t.created_at desc",
    )
    .bind(user_id)
    .bind(now)
    .fetch_all(conn)
    .await
}

/// Revokes one session of a user; false when it was not theirs or already over.
pub async fn revoke_user_family(
    conn: &mut PgConnection,
    user_id: Uuid,
    family_id: Uuid,
    at: DateTime<Utc>,
) -> sqlx::Result<bool> {
    sqlx::query(
        "update refresh_tokens set revoked_at = $3 \
         where user_id = $1 and family_id = $2 and revoked_at is null",
    )
    .bind(user_id)
    .bind(family_id)
    .bind(at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() > 0)
}

/// Logout everywhere: every refresh token of the user.
pub async fn revoke_all_for_user(
    conn: &mut PgConnection,
    user_id: Uuid,
    at: DateTime<Utc>,
) -> sqlx::Result<u64> {
    sqlx::query(
        "update refresh_tokens set revoked_at = $2 where user_id = $1 and revoked_at is null",
    )
    .bind(user_id)
    .bind(at)
    .execute(conn)
    .await
    .map(|r| r.rows_affected())
}
