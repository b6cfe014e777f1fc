//! The person who restores (or undoes a restore) stays signed in: their account and their
//! open login session are carried into the database the app switches to. Without it a backup
//! made before they logged in would end their session in the middle of the restore, and they
//! would have to sign in with the backup's password (perhaps one changed since) just to
//! confirm or undo. Every other account is exactly as the backup has it.

use sqlx::PgPool;

use crate::access::current_user::CurrentUser;
use crate::{AppContext, Error};

/// Whether the acting user's session was carried over, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Carried {
    /// Signed in as before, on the other database too.
    Kept,
    /// Nobody to carry (a tool or a test calling the library without a login).
    NoSession,
    /// The other database has another account with this user's name.
    NameTaken,
}

/// Copies `user`'s account row (password, role, token version) and the open refresh tokens of
/// their session from the database in use into `target`, in one transaction there.
pub(crate) async fn carry(
    ctx: &AppContext,
    target: &PgPool,
    user: Option<&CurrentUser>,
) -> Result<Carried, Error> {
    let Some((user, session)) = user.and_then(|u| u.session.map(|s| (u, s))) else {
        return Ok(Carried::NoSession);
    };
    let account: Option<serde_json::Value> =
        sqlx::query_scalar("select to_jsonb(u) from users u where u.id = $1")
            .bind(user.id.0)
            .fetch_optional(&ctx.pool)
            .await?;
    let Some(account) = account else {
        return Ok(Carried::NoSession);
    };
    let tokens: serde_json::Value = sqlx::query_scalar(
        "select coalesce(jsonb_agg(t), '[]'::jsonb) from refresh_tokens t \
         where t.family_id = $1 and t.user_id = $2 and t.revoked_at is null",
    )
    .bind(session)
    .bind(user.id.0)
    .fetch_one(&ctx.pool)
    .await?;

    let mut tx = target.begin().await?;
    let taken: bool =
        sqlx::query_scalar("select exists (select 1 from users where username = $1 and id <> $2)")
            .bind(&user.username)
            .bind(user.id.0)
            .fetch_one(&mut *tx)
            .await?;
    if taken {
        return Ok(Carried::NameTaken);
    }
    sqlx::query(
        "insert into users select * from jsonb_populate_record(null::users, $1) \
         on conflict (id) do update set password_hash = excluded.password_hash, \
             role = excluded.role, disabled_at = excluded.disabled_at, \
             token_version = excluded.token_version \
         where (users.password_hash, users.role, users.disabled_at, users.token_version) \
             is distinct from (excluded.password_hash, excluded.role, excluded.disabled_at, \
                               excluded.token_version)",
    )
    .bind(&account)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into refresh_tokens select * from jsonb_populate_recordset(null::refresh_tokens, $1) \
         on conflict do nothing",
    )
    .bind(&tokens)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Carried::Kept)
}

/// Opens a one-connection pool on `database` of the same cluster.
pub(crate) async fn pool_on(ctx: &AppContext, database: &str) -> Result<PgPool, Error> {
    let options = (*ctx.pool.connect_options()).clone().database(database);
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .map_err(|e| Error::Failed(format!("cannot connect to {database}: {e}")))
}
