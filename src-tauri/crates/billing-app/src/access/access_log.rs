//! The access log (seed §8): sign-ins that succeeded or were refused, sign-outs, token
//! refreshes and sign-ins from an address the account never signed in from before, each with
//! the client's address and user agent. Append-only (database triggers); only the retention
//! job removes rows, once they are past the keeping period ([`prune`]).

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgConnection, Postgres, QueryBuilder};
use uuid::Uuid;

use crate::{AppContext, Error};

/// Who presented a credential or a token: the client's address and user agent.
#[derive(Debug, Clone, Copy, Default)]
pub struct Client<'a> {
    pub remote_addr: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessKind {
    LoginSucceeded,
    LoginFailed,
    /// A sign-in from an address this account never signed in from before (recorded next to
    /// its `LoginSucceeded`; not on the account's very first sign-in).
    LoginNewAddress,
    Logout,
    TokenRefreshed,
}

impl AccessKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccessKind::LoginSucceeded => "login_succeeded",
            AccessKind::LoginFailed => "login_failed",
            AccessKind::LoginNewAddress => "login_new_address",
            AccessKind::Logout => "logout",
            AccessKind::TokenRefreshed => "token_refreshed",
        }
    }
}

pub(crate) struct NewAccessEvent<'a> {
    pub at: DateTime<Utc>,
    pub kind: AccessKind,
    pub user_id: Option<Uuid>,
    pub username: &'a str,
    pub reason: Option<&'a str>,
    pub client: Client<'a>,
}

/// Longest username and user agent kept (characters); longer ones are cut.
const MAX_TEXT: usize = 200;

pub(crate) fn cut(text: &str) -> &str {
    text.char_indices()
        .nth(MAX_TEXT)
        .map_or(text, |(i, _)| &text[..i])
}

pub(crate) async fn record_on(
    conn: &mut PgConnection,
    event: NewAccessEvent<'_>,
) -> Result<(), Error> {
    sqlx::query(
        "insert into access_events \
         (occurred_at, kind, user_id, username, reason, remote_addr, user_agent) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(event.at)
    .bind(event.kind.as_str())
    .bind(event.user_id)
    .bind(cut(event.username))
    .bind(event.reason)
    .bind(event.client.remote_addr)
    .bind(event.client.user_agent.map(cut))
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether a sign-in of `user_id` from `remote_addr` is from a new address: the account
/// signed in from a known address before, but never from this one. Unknown addresses are
/// never "new", and neither is the account's first address.
pub(crate) async fn is_new_address(
    conn: &mut PgConnection,
    user_id: Uuid,
    remote_addr: Option<&str>,
) -> Result<bool, Error> {
    let Some(addr) = remote_addr else {
        return Ok(false);
    };
    let (before, from_here): (bool, bool) = sqlx::query_as(
        "select exists (select 1 from access_events \
                        where user_id = $1 and kind = 'login_succeeded' \
                          and remote_addr is not null), \
                exists (select 1 from access_events \
                        where user_id = $1 and kind = 'login_succeeded' and remote_addr = $2)",
    )
    .bind(user_id)
    .bind(addr)
    .fetch_one(conn)
    .await?;
    Ok(before && !from_here)
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AccessEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    /// `login_succeeded`, `login_failed`, `login_new_address`, `logout`, `token_refreshed`.
    pub kind: String,
    pub user_id: Option<Uuid>,
    /// The account, or what was typed as the username of a refused sign-in.
    pub username: String,
    /// Why a sign-in was refused (`bad_password`, `unknown_user`, `disabled`, `bad_totp`,
    /// `locked_out`); how a sign-out happened (`session`, `everywhere`).
    pub reason: Option<String>,
    pub remote_addr: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AccessQuery {
    /// Username (exact, case-insensitive).
    pub user: Option<String>,
    pub kind: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The access log, newest first.
pub async fn search(
    ctx: &AppContext,
    query: AccessQuery,
) -> Result<(Vec<AccessEvent>, i64), Error> {
    let limit = query.limit.unwrap_or(50).clamp(1, 500);
    let offset = query.offset.unwrap_or(0).max(0);
    let filters = |b: &mut QueryBuilder<'_, Postgres>| {
        b.push(" where true");
        if let Some(user) = query.user.as_ref().filter(|s| !s.trim().is_empty()) {
            b.push(" and username = ")
                .push_bind(user.trim().to_ascii_lowercase());
        }
        if let Some(kind) = query.kind.as_ref().filter(|s| !s.is_empty()) {
            b.push(" and kind = ").push_bind(kind.clone());
        }
        if let Some(from) = query.from {
            b.push(" and occurred_at >= ").push_bind(from);
        }
        if let Some(to) = query.to {
            b.push(" and occurred_at < ").push_bind(to);
        }
    };
    let mut conn = ctx.pool.acquire().await?;
    let mut count = QueryBuilder::new("select count(*) from access_events");
    filters(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut list = QueryBuilder::new(
        "select id, occurred_at, kind, user_id, username, reason, remote_addr, user_agent \
         from access_events",
    );
    filters(&mut list);
    list.push(" order by id desc limit ")
        .push_bind(limit)
        .push(" offset ")
        .push_bind(offset);
    let items = list.build_query_as().fetch_all(&mut *conn).await?;
    Ok((items, total))
}

/// Removes the entries that occurred before `before` (the retention job). The table refuses
/// every other delete: this transaction names the cut-off the trigger checks each row against.
pub async fn prune(ctx: &AppContext, before: DateTime<Utc>) -> Result<u64, Error> {
    let mut tx = ctx.pool.begin().await?;
    sqlx::query("select set_config('mikrobill.prune_access_before', $1, true)")
        .bind(before.to_rfc3339())
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("delete from access_events where occurred_at < $1")
        .bind(before)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected())
}
