//! A restore never pulls a database from under someone else: it does not start while other
//! sessions use the database in use, and a database is only dropped (confirm, undo) when no
//! session but this app's own is connected to it.

use crate::ops::instances::{self, Session};
use crate::{AppContext, Error};

use super::census::ident;

/// Client sessions on `database` that are not this app's (another PC, a tool, a person).
pub(crate) async fn others(ctx: &AppContext, database: &str) -> Result<Vec<Session>, Error> {
    Ok(match &ctx.ops.claims {
        Some(claims) => claims.other_sessions(&ctx.pool, database).await?,
        // Not a serving instance: every other session counts.
        None => instances::other_sessions(&ctx.pool, database, None).await?,
    })
}

/// The refusal, naming who is connected: in Indonesian, then English.
pub(crate) fn in_use(database: &str, sessions: &[Session], id: &str, en: &str) -> Error {
    let list = sessions
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    Error::conflict(format!(
        "Database {database} masih dipakai koneksi lain: {list}. {id} Tutup mikrobill di PC \
         lain (atau aplikasi itu) lalu coba lagi. / The database {database} is still used by \
         other connections: {list}. {en} Close mikrobill on the other PC (or that app) and try \
         again."
    ))
}

/// Refuses when anyone but this app uses `database`.
pub(crate) async fn refuse_if_used(
    ctx: &AppContext,
    database: &str,
    id: &str,
    en: &str,
) -> Result<(), Error> {
    let sessions = others(ctx, database).await?;
    if sessions.is_empty() {
        Ok(())
    } else {
        Err(in_use(database, &sessions, id, en))
    }
}

/// Closes `database` to new connections and checks that only this app's remain (they are
/// ended by the drop); if anyone else is connected it is opened again and the refusal names
/// them. Afterwards the caller drops it with [`drop_closed`] or opens it with [`reopen`].
pub(crate) async fn close_for_drop(
    ctx: &AppContext,
    database: &str,
    id: &str,
    en: &str,
) -> Result<(), Error> {
    sqlx::query(&format!(
        "alter database {} with allow_connections false",
        ident(database)
    ))
    .execute(&ctx.pool)
    .await
    .map_err(|e| Error::Failed(format!("closing the database {database} failed: {e}")))?;
    let sessions = match others(ctx, database).await {
        Ok(s) => s,
        Err(err) => {
            reopen(ctx, database).await;
            return Err(err);
        }
    };
    if sessions.is_empty() {
        return Ok(());
    }
    reopen(ctx, database).await;
    tracing::warn!(database, sessions = ?sessions, "not dropping a database other sessions use");
    Err(in_use(database, &sessions, id, en))
}

/// Opens a database closed by [`close_for_drop`] again (best effort).
pub(crate) async fn reopen(ctx: &AppContext, database: &str) {
    let result = sqlx::query(&format!(
        "alter database {} with allow_connections true",
        ident(database)
    ))
    .execute(&ctx.pool)
    .await;
    if let Err(err) = result {
        tracing::warn!(database, error = %err, "could not open a database for connections again");
    }
}
