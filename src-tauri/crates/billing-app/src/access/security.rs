//! The security log: failed logins, lockouts, refused tokens, forbidden requests, bad
//! webhook signatures. Tokens appear only as a short fingerprint, passwords never.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, Postgres, QueryBuilder};

use crate::access::access_log::Client;
use crate::{AppContext, Error};

/// A short, non-reversible fingerprint of a token for the log (`sha256:1a2b3c4d`).
pub fn token_fingerprint(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    format!("sha256:{}", hex::encode(&digest[..4]))
}

/// Records an event: `detail` is the English line for the log, `params` the values the
/// dashboard's sentence for `kind` uses (e.g. `{"reason": "bad_password"}`).
pub async fn record_on(
    conn: &mut PgConnection,
    at: DateTime<Utc>,
    kind: &str,
    username: Option<&str>,
    detail: &str,
    params: serde_json::Value,
    client: Client<'_>,
) -> Result<(), Error> {
    let remote_addr = client.remote_addr;
    let user_agent = client.user_agent.map(crate::access::access_log::cut);
    tracing::warn!(
        kind,
        username,
        detail,
        remote_addr,
        user_agent,
        "security event"
    );
    sqlx::query(
        "insert into security_events \
         (kind, username, detail, remote_addr, user_agent, occurred_at, params) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(kind)
    .bind(username)
    .bind(detail)
    .bind(remote_addr)
    .bind(user_agent)
    .bind(at)
    .bind(params)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records an event on its own connection (outside any request transaction).
pub async fn record(
    ctx: &AppContext,
    kind: &str,
    username: Option<&str>,
    detail: &str,
    params: serde_json::Value,
    client: Client<'_>,
) -> Result<(), Error> {
    let mut conn = ctx.pool.acquire().await?;
    record_on(
        &mut conn,
        ctx.clock.now(),
        kind,
        username,
        detail,
        params,
        client,
    )
    .await
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SecurityEvent {
    pub id: i64,
    /// `login_failed`, `login_locked_out`, `token_invalid`, `token_expired`,
    /// `token_revoked`, `refresh_token_reused`, `forbidden`, `webhook_bad_signature`,
    /// `payment_amount_mismatch`, …
    pub kind: String,
    pub username: Option<String>,
    /// The event in English (the log's line; the only text of events from before `params`).
    pub detail: String,
    /// The values of the dashboard's sentence for `kind`: `reason` (`bad_password`,
    /// `unknown_user`, `disabled`, `bad_totp`, `locked_out`) for refused sign-ins, `gateway`
    /// and `reference` for payment events, `method`, `path` and `role` for forbidden requests.
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    pub remote_addr: Option<String>,
    /// The client's user agent, when the request had one.
    pub user_agent: Option<String>,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct SecurityQuery {
    pub kind: Option<String>,
    pub q: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// The security log, newest first.
pub async fn search(
    ctx: &AppContext,
    query: SecurityQuery,
) -> Result<(Vec<SecurityEvent>, i64), Error> {
    let limit = query.limit.unwrap_or(50).clamp(1, 500);
    let offset = query.offset.unwrap_or(0).max(0);
    let filters = |b: &mut QueryBuilder<'_, Postgres>| {
        b.push(" where true");
        if let Some(kind) = query.kind.as_ref().filter(|s| !s.is_empty()) {
            b.push(" and kind = ").push_bind(kind.clone());
        }
        if let Some(q) = query.q.as_ref().filter(|s| !s.trim().is_empty()) {
            let pattern = format!("%{}%", q.trim().replace('%', "\\%").replace('_', "\\_"));
            b.push(" and (detail ilike ")
                .push_bind(pattern.clone())
                .push(" or coalesce(username, '') ilike ")
                .push_bind(pattern.clone())
                .push(" or coalesce(remote_addr, '') ilike ")
                .push_bind(pattern)
                .push(")");
        }
        if let Some(from) = query.from {
            b.push(" and occurred_at >= ").push_bind(from);
        }
        if let Some(to) = query.to {
            b.push(" and occurred_at < ").push_bind(to);
        }
    };
    let mut conn = ctx.pool.acquire().await?;
    let mut count = QueryBuilder::new("select count(*) from security_events");
    filters(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
    let mut list = QueryBuilder::new(
        "select id, kind, username, detail, params, remote_addr, user_agent, occurred_at \
         from security_events",
    );
    filters(&mut list);
    list.push(" order by id desc limit ")
        .push_bind(limit)
        .push(" offset ")
        .push_bind(offset);
    let items = list.build_query_as().fetch_all(&mut *conn).await?;
    Ok((items, total))
}
