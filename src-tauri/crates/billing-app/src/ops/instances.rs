//! Which app instance uses a database. Until several PCs can share one database safely
//! (issue #25), one serving instance claims it: a session-level advisory lock held on a
//! connection of its own for as long as it runs (it dies with the connection, so a crashed PC
//! frees it by itself), plus its row in `app_instances` (PC name, data folder, version, since
//! when, last seen) kept fresh by a heartbeat, which names the holder to anyone refused.
//!
//! An installation is one data folder on one PC, with the id kept in that folder. The same
//! installation started again takes over a claim its previous run left behind (a connection
//! the server has not noticed is dead yet); the runtime makes sure only one process of an
//! installation serves at a time. The command-line tools (`mikrobill migrate`, `admin …`) are
//! not serving instances and claim nothing.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};
use uuid::Uuid;

/// The advisory lock key of the claim (the bytes of "mikrobil").
pub const LOCK_KEY: i64 = 0x6d69_6b72_6f62_696c;

/// How long a takeover waits for the ended session's lock to be released.
const TAKEOVER_WAIT: Duration = Duration::from_secs(10);

/// Who this instance is.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The installation's id (kept in its data folder).
    pub id: Uuid,
    /// The PC's host name.
    pub host: String,
    pub data_dir: String,
    pub version: String,
    pub pid: u32,
    /// Different at every start: marks this process's connections in `pg_stat_activity`.
    run: String,
}

impl Identity {
    pub fn new(id: Uuid, host: &str, data_dir: &str, version: &str) -> Identity {
        Identity {
            id,
            host: host.to_owned(),
            data_dir: data_dir.to_owned(),
            version: version.to_owned(),
            pid: std::process::id(),
            run: Uuid::new_v4().simple().to_string()[..8].to_owned(),
        }
    }

    /// The `application_name` of every connection of this process: `mikrobill <run> <host>`
    /// (printable ASCII, at most 63 bytes as PostgreSQL keeps).
    pub fn application_name(&self) -> String {
        let host: String = self
            .host
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() || c == ' ' {
                    c
                } else {
                    '?'
                }
            })
            .collect();
        let mut name = format!("{}{host}", self.prefix());
        name.truncate(63);
        name
    }

    fn prefix(&self) -> String {
        format!("mikrobill {} ", self.run)
    }

    fn same_installation(&self, holder: &Holder) -> bool {
        holder.id == Some(self.id)
            && holder.host.as_deref() == Some(self.host.as_str())
            && holder.data_dir.as_deref() == Some(self.data_dir.as_str())
    }
}

/// The session that holds a database's claim, and its instance row when there is one.
#[derive(Debug, Clone, Default)]
pub struct Holder {
    pub backend_pid: i32,
    pub client: Option<String>,
    pub application: Option<String>,
    pub id: Option<Uuid>,
    pub host: Option<String>,
    pub data_dir: Option<String>,
    pub version: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub last_seen_at: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    #[error("{}", in_use_message(.database, .holder))]
    InUse {
        database: String,
        holder: Box<Holder>,
    },
    #[error("claiming the database {database} failed: {source}")]
    Database {
        database: String,
        #[source]
        source: sqlx::Error,
    },
}

fn when(at: Option<DateTime<Utc>>) -> String {
    at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "?".into())
}

/// Indonesian first, then English; names the other PC and says what to do.
fn in_use_message(database: &str, h: &Holder) -> String {
    match (&h.host, &h.data_dir) {
        (Some(host), Some(dir)) => {
            let since = when(h.started_at);
            let seen = when(h.last_seen_at);
            let version = h.version.as_deref().unwrap_or("?");
            format!(
                "Database \"{database}\" sedang dipakai oleh mikrobill lain: PC \"{host}\", folder \
                 data {dir}, sejak {since} (versi {version}, terakhir terlihat {seen}). Dua \
                 aplikasi pada satu database belum didukung dan dapat merusak data. Tutup \
                 mikrobill di PC itu lalu coba lagi, atau pakai database lain. / The database \
                 \"{database}\" is in use by another mikrobill: PC \"{host}\", data folder {dir}, \
                 since {since} (version {version}, last seen {seen}). Two apps on one database \
                 are not supported yet and could damage data. Close mikrobill on that PC and try \
                 again, or use another database."
            )
        }
        _ => {
            let client = h.client.as_deref().unwrap_or("?");
            let app = h.application.as_deref().unwrap_or("");
            format!(
                "Database \"{database}\" sedang dipakai oleh mikrobill lain (koneksi dari \
                 {client}, \"{app}\", proses server {pid}). Dua aplikasi pada satu database \
                 belum didukung dan dapat merusak data. Tutup aplikasi itu lalu coba lagi, atau \
                 pakai database lain. / The database \"{database}\" is in use by another \
                 mikrobill (connection from {client}, \"{app}\", server process {pid}). Two apps \
                 on one database are not supported yet and could damage data. Close that app \
                 and try again, or use another database.",
                pid = h.backend_pid
            )
        }
    }
}

struct Held {
    database: String,
    conn: Option<PgConnection>,
}

/// The databases this instance has claimed (the one in use; during a restore that waits for
/// confirmation also the previous one), each with the connection that holds its lock.
pub struct Claims {
    me: Identity,
    options: PgConnectOptions,
    held: tokio::sync::Mutex<Vec<Held>>,
    started_at: std::sync::Mutex<Option<DateTime<Utc>>>,
    lost: std::sync::Mutex<Option<String>>,
}

impl std::fmt::Debug for Claims {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Claims")
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

impl Claims {
    /// `options` reach the server (any database; the claim picks its own).
    pub fn new(me: Identity, options: PgConnectOptions) -> Claims {
        Claims {
            me,
            options,
            held: tokio::sync::Mutex::new(Vec::new()),
            started_at: std::sync::Mutex::new(None),
            lost: std::sync::Mutex::new(None),
        }
    }

    pub fn identity(&self) -> &Identity {
        &self.me
    }

    /// Why this instance no longer holds its database, when another took it.
    pub fn lost(&self) -> Option<String> {
        self.lost.lock().ok().and_then(|l| l.clone())
    }

    fn set_lost(&self, why: Option<String>) {
        if let Ok(mut l) = self.lost.lock() {
            *l = why;
        }
    }

    /// Claims `database` (nothing to do when already held), or says who holds it.
    pub async fn claim(&self, database: &str) -> Result<(), ClaimError> {
        let mut held = self.held.lock().await;
        if held
            .iter()
            .any(|h| h.database == database && h.conn.is_some())
        {
            return Ok(());
        }
        let conn = self.take(database).await?;
        held.retain(|h| h.database != database);
        held.push(Held {
            database: database.to_owned(),
            conn: Some(conn),
        });
        Ok(())
    }

    /// Writes this instance's row into every claimed database (after the migrations made the
    /// table), and refreshes it: the heartbeat.
    pub async fn record(&self) {
        let mut held = self.held.lock().await;
        for h in held.iter_mut() {
            let Some(conn) = h.conn.as_mut() else {
                continue;
            };
            if let Err(err) = self.upsert(conn).await {
                tracing::warn!(database = %h.database, error = %err, "recording this app instance failed");
            }
        }
    }

    /// The heartbeat: refreshes the rows, and takes a claim again whose connection was lost
    /// (the server restarted, or the session was ended). If another instance took the
    /// database meanwhile this is said loudly, and [`Claims::lost`] says so until it is back.
    pub async fn heartbeat(&self) {
        let mut held = self.held.lock().await;
        let mut lost = None;
        for h in held.iter_mut() {
            if let Some(conn) = h.conn.as_mut() {
                match self.upsert(conn).await {
                    Ok(()) => continue,
                    Err(err) if conn.ping().await.is_ok() => {
                        tracing::warn!(database = %h.database, error = %err, "refreshing this app instance's row failed");
                        continue;
                    }
                    Err(err) => {
                        tracing::warn!(database = %h.database, error = %err,
                            "the connection that holds this app's claim on the database was lost; taking it again");
                        h.conn = None;
                    }
                }
            }
            match self.take(&h.database).await {
                Ok(mut conn) => {
                    if let Err(err) = self.upsert(&mut conn).await {
                        tracing::warn!(database = %h.database, error = %err, "recording this app instance failed");
                    }
                    tracing::info!(database = %h.database, "this app holds its database again");
                    h.conn = Some(conn);
                }
                Err(err @ ClaimError::InUse { .. }) => {
                    tracing::error!(database = %h.database, "{err}");
                    lost = Some(err.to_string());
                }
                Err(err) => {
                    tracing::warn!(database = %h.database, error = %err, "the database claim could not be taken again yet");
                }
            }
        }
        self.set_lost(lost);
    }

    /// Gives up the claim on `database` (its row says when this instance stopped using it).
    pub async fn release(&self, database: &str) {
        let mut held = self.held.lock().await;
        let (gone, kept): (Vec<Held>, Vec<Held>) =
            held.drain(..).partition(|h| h.database == database);
        *held = kept;
        for h in gone {
            self.close(h).await;
        }
    }

    /// Gives up every claim (at shutdown).
    pub async fn release_all(&self) {
        let mut held = self.held.lock().await;
        for h in held.drain(..) {
            self.close(h).await;
        }
    }

    async fn close(&self, h: Held) {
        let Some(mut conn) = h.conn else {
            return;
        };
        let _ = sqlx::query(
            "update app_instances set stopped_at = now(), backend_pid = null \
             where id = $1 and backend_pid = pg_backend_pid()",
        )
        .bind(self.me.id)
        .execute(&mut conn)
        .await;
        let _ = conn.close().await;
    }

    /// A new connection to `database` holding its lock. A lock left by an earlier run of this
    /// same installation is taken over; anyone else's is an error naming the holder.
    async fn take(&self, database: &str) -> Result<PgConnection, ClaimError> {
        let failed = |source| ClaimError::Database {
            database: database.to_owned(),
            source,
        };
        // The server notices a PC that vanished (power cut, cable) within minutes instead of
        // the system's default of hours, so its claim ends by itself.
        let options = self.options.clone().database(database).options([
            ("tcp_keepalives_idle", "60"),
            ("tcp_keepalives_interval", "10"),
            ("tcp_keepalives_count", "6"),
        ]);
        let mut conn = options.connect().await.map_err(failed)?;
        if try_lock(&mut conn).await.map_err(failed)? {
            self.note_start(&mut conn).await;
            return Ok(conn);
        }
        let holder = holder(&mut conn).await.map_err(failed)?;
        let Some(holder) = holder else {
            // Released between the two queries.
            return self.wait_for_lock(conn, database).await;
        };
        if !self.me.same_installation(&holder) {
            let _ = conn.close().await;
            return Err(ClaimError::InUse {
                database: database.to_owned(),
                holder: Box::new(holder),
            });
        }
        tracing::warn!(
            database,
            backend_pid = holder.backend_pid,
            "an earlier run of this installation still holds the database; taking it over"
        );
        sqlx::query("select pg_terminate_backend($1)")
            .bind(holder.backend_pid)
            .execute(&mut conn)
            .await
            .map_err(failed)?;
        self.wait_for_lock(conn, database).await
    }

    async fn wait_for_lock(
        &self,
        mut conn: PgConnection,
        database: &str,
    ) -> Result<PgConnection, ClaimError> {
        let failed = |source| ClaimError::Database {
            database: database.to_owned(),
            source,
        };
        let deadline = tokio::time::Instant::now() + TAKEOVER_WAIT;
        loop {
            if try_lock(&mut conn).await.map_err(failed)? {
                self.note_start(&mut conn).await;
                return Ok(conn);
            }
            if tokio::time::Instant::now() >= deadline {
                let holder = holder(&mut conn).await.map_err(failed)?.unwrap_or_default();
                let _ = conn.close().await;
                return Err(ClaimError::InUse {
                    database: database.to_owned(),
                    holder: Box::new(holder),
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The first claim's server time is this instance's `started_at`.
    async fn note_start(&self, conn: &mut PgConnection) {
        let known = self.started_at.lock().ok().and_then(|s| *s).is_some();
        if known {
            return;
        }
        if let Ok(now) = sqlx::query_scalar::<_, DateTime<Utc>>("select now()")
            .fetch_one(&mut *conn)
            .await
        {
            if let Ok(mut s) = self.started_at.lock() {
                *s = Some(now);
            }
        }
    }

    async fn upsert(&self, conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        let started = self.started_at.lock().ok().and_then(|s| *s);
        sqlx::query(
            "insert into app_instances (id, host_name, data_dir, app_version, pid, backend_pid, \
                 started_at, last_seen_at) \
             values ($1, $2, $3, $4, $5, pg_backend_pid(), coalesce($6, now()), now()) \
             on conflict (id) do update set host_name = excluded.host_name, \
                 data_dir = excluded.data_dir, app_version = excluded.app_version, \
                 pid = excluded.pid, backend_pid = excluded.backend_pid, \
                 started_at = excluded.started_at, last_seen_at = now(), stopped_at = null",
        )
        .bind(self.me.id)
        .bind(&self.me.host)
        .bind(&self.me.data_dir)
        .bind(&self.me.version)
        .bind(i64::from(self.me.pid))
        .bind(started)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Sessions on `database` that are not this process's (another PC, a tool, a person),
    /// which a restore must not pull the data from under.
    pub async fn other_sessions(
        &self,
        pool: &PgPool,
        database: &str,
    ) -> Result<Vec<Session>, sqlx::Error> {
        other_sessions(pool, database, Some(&self.me.prefix())).await
    }
}

async fn try_lock(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("select pg_try_advisory_lock($1)")
        .bind(LOCK_KEY)
        .fetch_one(&mut *conn)
        .await
}

/// Who holds the claim on the connection's database, if anyone.
async fn holder(conn: &mut PgConnection) -> Result<Option<Holder>, sqlx::Error> {
    let row: Option<(i32, Option<String>, Option<String>)> = sqlx::query_as(
        "select l.pid, host(a.client_addr), a.application_name::text \
         from pg_locks l left join pg_stat_activity a on a.pid = l.pid \
         where l.locktype = 'advisory' and l.granted and l.objsubid = 1 \
           and l.database = (select oid from pg_database where datname = current_database()) \
           and l.classid::bigint = $1 and l.objid::bigint = $2 \
         limit 1",
    )
    .bind(LOCK_KEY >> 32)
    .bind(LOCK_KEY & 0xffff_ffff)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((backend_pid, client, application)) = row else {
        return Ok(None);
    };
    let mut holder = Holder {
        backend_pid,
        client: Some(client.unwrap_or_else(|| "local".into())),
        application,
        ..Holder::default()
    };
    let has_table: bool =
        sqlx::query_scalar("select to_regclass('public.app_instances') is not null")
            .fetch_one(&mut *conn)
            .await?;
    if has_table {
        let row: Option<InstanceRow> = sqlx::query_as(
            "select id, host_name, data_dir, app_version, started_at, last_seen_at \
             from app_instances where backend_pid = $1 and stopped_at is null \
             order by last_seen_at desc limit 1",
        )
        .bind(backend_pid)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(r) = row {
            holder.id = Some(r.0);
            holder.host = Some(r.1);
            holder.data_dir = Some(r.2);
            holder.version = Some(r.3);
            holder.started_at = Some(r.4);
            holder.last_seen_at = Some(r.5);
        }
    }
    Ok(Some(holder))
}

type InstanceRow = (Uuid, String, String, String, DateTime<Utc>, DateTime<Utc>);

/// A session on a database as `pg_stat_activity` shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Session {
    pub pid: i32,
    /// The client's address (`local` for a Unix socket; empty when not visible to us).
    pub client: String,
    pub application: String,
}

impl std::fmt::Display for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let app = if self.application.is_empty() {
            "tanpa nama / unnamed"
        } else {
            &self.application
        };
        write!(f, "{} \"{app}\" (pid {})", self.client, self.pid)
    }
}

/// Client sessions on `database` other than the asking connection and, when `ours` is given,
/// other than the connections whose `application_name` starts with it.
pub async fn other_sessions(
    pool: &PgPool,
    database: &str,
    ours: Option<&str>,
) -> Result<Vec<Session>, sqlx::Error> {
    sqlx::query_as(
        "select pid, coalesce(host(client_addr), case when client_port = -1 then 'local' \
             else '' end) as client, coalesce(application_name, '')::text as application \
         from pg_stat_activity \
         where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend' \
           and ($2::text is null or not starts_with(coalesce(application_name, ''), $2)) \
         order by backend_start",
    )
    .bind(database)
    .bind(ours)
    .fetch_all(pool)
    .await
}

/// Whether this app can serve (`/healthz`): its database answers one cheap query within
/// 3 s, and no other instance took its claim. The reason goes to the log.
pub async fn can_serve(ctx: &crate::AppContext) -> bool {
    let answered = tokio::time::timeout(
        Duration::from_secs(3),
        sqlx::query("select 1").execute(&ctx.pool),
    )
    .await;
    match answered {
        Ok(Ok(_)) => {}
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "healthz: the database does not answer");
            return false;
        }
        Err(_) => {
            tracing::warn!("healthz: the database did not answer within 3 s");
            return false;
        }
    }
    match ctx.ops.claims.as_ref().and_then(|c| c.lost()) {
        Some(why) => {
            tracing::warn!("healthz: {why}");
            false
        }
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_application_name_starts_with_the_run_and_fits_postgres() {
        let long = format!("Kasir-{}-é", "x".repeat(80));
        let me = Identity::new(Uuid::nil(), &long, "/data", "0.1.0");
        let name = me.application_name();
        assert!(name.starts_with(&me.prefix()), "{name}");
        assert!(name.len() <= 63, "{name}");
        assert!(name.is_ascii(), "{name}");
    }

    #[test]
    fn the_refusal_names_the_other_pc_in_both_languages() {
        let holder = Holder {
            backend_pid: 42,
            host: Some("KASIR-2".into()),
            data_dir: Some("C:\\mikrobill".into()),
            version: Some("0.1.0".into()),
            id: Some(Uuid::nil()),
            ..Holder::default()
        };
        let message = in_use_message("mikrobill", &holder);
        assert!(message.contains("sedang dipakai oleh mikrobill lain: PC \"KASIR-2\""));
        assert!(message.contains("is in use by another mikrobill: PC \"KASIR-2\""));
        assert!(message.contains("C:\\mikrobill"));
    }
}
