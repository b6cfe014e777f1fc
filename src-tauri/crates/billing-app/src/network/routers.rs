//! Routers: CRUD, "test connection" and the periodic status refresh. The API password
//! is kept only in the OS keyring under `router-password/<id>`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::Serialize;
use uuid::Uuid;

use crate::ports::{IsolationProfile, RouterConn, RouterProbe, RouterProblem};
use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Router {
    pub id: Uuid,
    pub name: String,
    pub host: String,
    pub port: i32,
    pub tls: bool,
    /// SHA-256 (lowercase hex, as RouterOS prints it) of the api-ssl certificate the owner
    /// trusted; only that certificate is accepted. `null` until one is trusted.
    pub tls_fingerprint: Option<String>,
    pub api_user: String,
    pub isolation_profile: String,
    pub isolation_rate_limit: String,
    pub isolation_address_list: String,
    /// `unknown`, `online` or `offline`.
    pub status: String,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub identity: Option<String>,
    pub version: Option<String>,
    pub board: Option<String>,
    pub cpu_load: Option<i32>,
    pub free_memory: Option<i64>,
    pub uptime: Option<String>,
    pub last_error: Option<String>,
    /// Differences found by the last scheduled reconciliation.
    pub drift_count: Option<i32>,
    pub reconciled_at: Option<DateTime<Utc>>,
    /// Router commands waiting for delivery.
    pub pending_commands: i64,
    /// When a subscription was last put on this router (the new-subscription form proposes
    /// the last-used router).
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str =
    "select r.id, r.name, r.host, r.port, r.tls, r.tls_fingerprint, r.api_user, r.isolation_profile, \
    r.isolation_rate_limit, r.isolation_address_list, r.status, r.last_seen_at, r.identity, \
    r.version, r.board, r.cpu_load, r.free_memory, r.uptime, r.last_error, r.drift_count, \
    r.reconciled_at, (select count(*) from router_commands c where c.status = 'pending' \
    and c.router_id = r.id) as pending_commands, \
    (select max(s.created_at) from subscriptions s where s.router_id = r.id) as last_used_at, \
    r.created_at from routers r";

/// Input of create and update; `None` keeps a field (update) or takes the default (create).
#[derive(Debug, Clone, Default)]
pub struct RouterInput {
    pub name: Option<String>,
    pub host: Option<String>,
    pub port: Option<i32>,
    pub tls: Option<bool>,
    pub api_user: Option<String>,
    pub password: Option<SecretString>,
    pub isolation_profile: Option<String>,
    pub isolation_rate_limit: Option<String>,
    pub isolation_address_list: Option<String>,
}

pub fn password_key(id: Uuid) -> String {
    format!("router-password/{id}")
}

fn text(field: &'static str, value: Option<String>, max: usize) -> Result<Option<String>, Error> {
    match value.map(|v| v.trim().to_owned()) {
        Some(v) if v.is_empty() || v.len() > max => Err(Error::validation(
            field,
            format!("{field} must be 1 to {max} characters"),
        )),
        other => Ok(other),
    }
}

fn required(field: &'static str, value: Option<String>) -> Result<String, Error> {
    value.ok_or_else(|| Error::validation(field, format!("{field} is required")))
}

fn conflict_or(err: sqlx::Error) -> Error {
    if crate::is_constraint_violation(&err, "routers_name_key") {
        Error::conflict_on("name", "a router with this name already exists")
    } else {
        err.into()
    }
}

#[tracing::instrument(skip_all)]
pub async fn create(ctx: &AppContext, input: RouterInput) -> Result<Router, Error> {
    let name = required("name", text("name", input.name, 80)?)?;
    let host = required("host", text("host", input.host, 253)?)?;
    let api_user = required("api_user", text("api_user", input.api_user, 64)?)?;
    let tls = input.tls.unwrap_or(false);
    let port = input.port.unwrap_or(if tls { 8729 } else { 8728 });
    if !(1..=65535).contains(&port) {
        return Err(Error::validation("port", "the port must be 1 to 65535"));
    }
    let password = input
        .password
        .unwrap_or_else(|| SecretString::from(String::new()));
    let id = Uuid::now_v7();
    let mut tx = ctx.pool.begin().await?;
    sqlx::query(
        "insert into routers (id, name, host, port, tls, api_user, isolation_profile, \
                              isolation_rate_limit, isolation_address_list) \
         values ($1, $2, $3, $4, $5, $6, coalesce($7, 'isolir'), coalesce($8, '256k/256k'), \
                 coalesce($9, 'isolir'))",
    )
    .bind(id)
    .bind(&name)
    .bind(&host)
    .bind(port)
    .bind(tls)
    .bind(&api_user)
    .bind(text("isolation_profile", input.isolation_profile, 64)?)
    .bind(text(
        "isolation_rate_limit",
        input.isolation_rate_limit,
        64,
    )?)
    .bind(text(
        "isolation_address_list",
        input.isolation_address_list,
        64,
    )?)
    .execute(&mut *tx)
    .await
    .map_err(conflict_or)?;
    // The keyring first: if it refuses, nothing is written.
    ctx.secrets.set(&password_key(id), &password).map_err(|e| {
        Error::Unexpected(anyhow::Error::new(e).context("storing the router password"))
    })?;
    tx.commit().await?;
    get(ctx, id).await
}

pub async fn list(ctx: &AppContext) -> Result<Vec<Router>, Error> {
    Ok(sqlx::query_as(&format!("{SELECT} order by r.name"))
        .fetch_all(&ctx.pool)
        .await?)
}

pub async fn get(ctx: &AppContext, id: Uuid) -> Result<Router, Error> {
    sqlx::query_as(&format!("{SELECT} where r.id = $1"))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("router"))
}

pub async fn update(ctx: &AppContext, id: Uuid, input: RouterInput) -> Result<Router, Error> {
    if let Some(port) = input.port {
        if !(1..=65535).contains(&port) {
            return Err(Error::validation("port", "the port must be 1 to 65535"));
        }
    }
    let updated = sqlx::query(
        "update routers set name = coalesce($2, name), \
                tls_fingerprint = case when coalesce($3, host) is distinct from host \
                    or coalesce($4, port) is distinct from port \
                    or coalesce($5, tls) is distinct from tls then null \
                    else tls_fingerprint end, \
                host = coalesce($3, host), \
                port = coalesce($4, port), tls = coalesce($5, tls), \
                api_user = coalesce($6, api_user), \
                isolation_profile = coalesce($7, isolation_profile), \
                isolation_rate_limit = coalesce($8, isolation_rate_limit), \
                isolation_address_list = coalesce($9, isolation_address_list) where id = $1",
    )
    .bind(id)
    .bind(text("name", input.name, 80)?)
    .bind(text("host", input.host, 253)?)
    .bind(input.port)
    .bind(input.tls)
    .bind(text("api_user", input.api_user, 64)?)
    .bind(text("isolation_profile", input.isolation_profile, 64)?)
    .bind(text(
        "isolation_rate_limit",
        input.isolation_rate_limit,
        64,
    )?)
    .bind(text(
        "isolation_address_list",
        input.isolation_address_list,
        64,
    )?)
    .execute(&ctx.pool)
    .await
    .map_err(conflict_or)?;
    if updated.rows_affected() == 0 {
        return Err(Error::NotFound("router"));
    }
    if let Some(password) = &input.password {
        ctx.secrets.set(&password_key(id), password).map_err(|e| {
            Error::Unexpected(anyhow::Error::new(e).context("storing the router password"))
        })?;
    }
    ctx.router.forget(id).await;
    get(ctx, id).await
}

/// Deletes a router that no subscription uses any more, with its password.
pub async fn delete(ctx: &AppContext, id: Uuid) -> Result<(), Error> {
    let deleted = sqlx::query("delete from routers where id = $1")
        .bind(id)
        .execute(&ctx.pool)
        .await;
    match deleted {
        Err(err) if crate::is_constraint_violation(&err, "subscriptions_router_id_fkey") => {
            return Err(Error::conflict(
                "subscriptions still use this router; move or remove them first",
            ))
        }
        Err(err)
            if crate::is_constraint_violation(&err, "vouchers_router_id_fkey")
                || crate::is_constraint_violation(&err, "voucher_batches_router_id_fkey") =>
        {
            return Err(Error::conflict(
                "vouchers were made on this router; it keeps their history and cannot be deleted",
            ))
        }
        Err(err) => return Err(err.into()),
        Ok(done) if done.rows_affected() == 0 => return Err(Error::NotFound("router")),
        Ok(_) => {}
    }
    ctx.router.forget(id).await;
    if let Err(err) = ctx.secrets.delete(&password_key(id)) {
        tracing::warn!(error = %err, "removing the router password from the keyring failed");
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ConnRow {
    id: Uuid,
    name: String,
    host: String,
    port: i32,
    tls: bool,
    tls_fingerprint: Option<String>,
    api_user: String,
    isolation_profile: String,
    isolation_rate_limit: String,
    isolation_address_list: String,
}

fn to_conn(ctx: &AppContext, r: ConnRow) -> Result<Option<RouterConn>, Error> {
    let password = ctx.secrets.get(&password_key(r.id)).map_err(|e| {
        Error::Unexpected(anyhow::Error::new(e).context("reading the router password"))
    })?;
    Ok(password.map(|password| RouterConn {
        id: r.id,
        name: r.name,
        host: r.host,
        port: u16::try_from(r.port).unwrap_or(8728),
        tls: r.tls,
        tls_fingerprint: r.tls_fingerprint,
        username: r.api_user,
        password,
        isolation: IsolationProfile {
            name: r.isolation_profile,
            rate_limit: r.isolation_rate_limit,
            address_list: r.isolation_address_list,
            marker: crate::network::marker::Marker::system(
                crate::network::marker::Kind::Pppoe,
                &ctx.today().to_string(),
            )
            .comment(),
        },
    }))
}

const CONN: &str =
    "select id, name, host, port, tls, tls_fingerprint, api_user, isolation_profile, \
    isolation_rate_limit, isolation_address_list from routers";

/// Every router with its password (routers whose password is missing are left out).
pub async fn connections(ctx: &AppContext) -> Result<HashMap<Uuid, RouterConn>, Error> {
    let rows: Vec<ConnRow> = sqlx::query_as(CONN).fetch_all(&ctx.pool).await?;
    let mut out = HashMap::new();
    for row in rows {
        if let Some(conn) = to_conn(ctx, row)? {
            out.insert(conn.id, conn);
        }
    }
    Ok(out)
}

/// One router with its password.
pub async fn connection(ctx: &AppContext, id: Uuid) -> Result<RouterConn, Error> {
    let row: ConnRow = sqlx::query_as(&format!("{CONN} where id = $1"))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("router"))?;
    to_conn(ctx, row)?.ok_or_else(|| {
        Error::Router("the router's password is missing from the keyring; set it again".into())
    })
}

/// The answer of "test connection", in plain words.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConnectionReport {
    pub ok: bool,
    pub summary: String,
    pub probe: Option<RouterProbe>,
    /// What is wrong when `ok` is false (the UI explains each kind in plain words).
    pub problem: Option<RouterProblem>,
    /// With `certificate_untrusted`/`certificate_changed`: the SHA-256 (lowercase hex) of the
    /// certificate the router presented, to compare with the router's and trust.
    pub certificate_sha256: Option<String>,
}

/// Connects, reads identity/version/board and checks the API user's rights.
#[tracing::instrument(skip_all, fields(router_id = %id))]
pub async fn test_connection(ctx: &AppContext, id: Uuid) -> Result<ConnectionReport, Error> {
    let conn = connection(ctx, id).await?;
    let result = ctx.router.diagnose(&conn).await;
    let status = result.clone().map_err(|d| d.error);
    record_status(ctx, id, &status).await?;
    Ok(report(&conn, result))
}

/// What the add/edit router form holds, to test before anything is saved.
#[derive(Debug, Clone, Default)]
pub struct UnsavedRouter {
    pub host: Option<String>,
    pub port: Option<i32>,
    pub tls: Option<bool>,
    pub api_user: Option<String>,
    /// `None` while editing keeps the stored password of `router_id`.
    pub password: Option<SecretString>,
    /// The router being edited, if any: its stored password (when none is typed) and its
    /// trusted certificate (while host, port and TLS are unchanged) are used for the test.
    pub router_id: Option<Uuid>,
}

/// "Tes koneksi" from the add/edit form: connects with what is typed, changes nothing (no row,
/// no keyring entry, no status). Same report as [`test_connection`].
#[tracing::instrument(skip_all)]
pub async fn test_unsaved(
    ctx: &AppContext,
    input: UnsavedRouter,
) -> Result<ConnectionReport, Error> {
    let host = required("host", text("host", input.host, 253)?)?;
    let api_user = required("api_user", text("api_user", input.api_user, 64)?)?;
    let tls = input.tls.unwrap_or(false);
    let port = input.port.unwrap_or(if tls { 8729 } else { 8728 });
    let port = u16::try_from(port)
        .ok()
        .filter(|p| *p >= 1)
        .ok_or_else(|| Error::validation("port", "the port must be 1 to 65535"))?;
    let saved = match input.router_id {
        Some(id) => Some(connection(ctx, id).await?),
        None => None,
    };
    let password = match (input.password, &saved) {
        (Some(password), _) => password,
        (None, Some(saved)) => saved.password.clone(),
        (None, None) => SecretString::from(String::new()),
    };
    let tls_fingerprint = saved
        .as_ref()
        .filter(|s| s.host == host && s.port == port && s.tls == tls)
        .and_then(|s| s.tls_fingerprint.clone());
    // A connection of its own under a fresh id, forgotten afterwards: the saved router's cached
    // session (if any) is neither used nor disturbed.
    let conn = RouterConn {
        id: Uuid::now_v7(),
        name: host.clone(),
        host,
        port,
        tls,
        tls_fingerprint,
        username: api_user,
        password,
        isolation: IsolationProfile {
            name: String::new(),
            rate_limit: String::new(),
            address_list: String::new(),
            marker: String::new(),
        },
    };
    let result = ctx.router.diagnose(&conn).await;
    ctx.router.forget(conn.id).await;
    Ok(report(&conn, result))
}

fn report(
    conn: &RouterConn,
    result: Result<RouterProbe, crate::ports::RouterDiagnosis>,
) -> ConnectionReport {
    match result {
        Ok(p) => {
            let ok = p.can_read && p.can_write;
            ConnectionReport {
                ok,
                summary: describe(conn, &p),
                problem: (!ok).then_some(RouterProblem::MissingRights),
                probe: Some(p),
                certificate_sha256: None,
            }
        }
        Err(d) => ConnectionReport {
            ok: false,
            summary: d.error.0,
            probe: None,
            problem: Some(d.problem),
            certificate_sha256: d.presented_certificate,
        },
    }
}

/// Trusts the router's api-ssl certificate by its SHA-256 fingerprint, as the owner read it
/// off the connection test (and ideally compared with `/certificate print detail` on the
/// router). The router must present exactly that certificate now; then it is the only one
/// accepted, and the connection is tested again.
#[tracing::instrument(skip_all, fields(router_id = %id))]
pub async fn trust_certificate(
    ctx: &AppContext,
    id: Uuid,
    sha256: &str,
) -> Result<ConnectionReport, Error> {
    let wanted = normalise_fingerprint(sha256).ok_or_else(|| {
        Error::validation(
            "sha256",
            "a SHA-256 fingerprint is 64 hexadecimal digits (colons and spaces are ignored)",
        )
    })?;
    let mut conn = connection(ctx, id).await?;
    if !conn.tls {
        return Err(Error::validation(
            "tls",
            "this router is reached without TLS; switch TLS on first",
        ));
    }
    // What the router presents now, judged against no trusted certificate.
    conn.tls_fingerprint = None;
    let presented = match ctx.router.diagnose(&conn).await {
        Err(d) => d.presented_certificate.ok_or(Error::Router(d.error.0))?,
        Ok(_) => {
            return Err(Error::Router(
                "the router accepted a TLS connection without a trusted certificate".into(),
            ))
        }
    };
    if presented != wanted {
        return Err(Error::conflict_on(
            "sha256",
            format!(
                "the router presents the certificate {presented}, not {wanted}; check the \
                 fingerprint again"
            ),
        ));
    }
    sqlx::query("update routers set tls_fingerprint = $2 where id = $1")
        .bind(id)
        .bind(&wanted)
        .execute(&ctx.pool)
        .await?;
    ctx.router.forget(id).await;
    test_connection(ctx, id).await
}

/// 64 lowercase hex digits from any usual spelling (`AB:CD:…`, spaces), or `None`.
fn normalise_fingerprint(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (digits.len() == 64 && digits.chars().all(|c| c.is_ascii_hexdigit())).then_some(digits)
}

fn describe(conn: &RouterConn, p: &RouterProbe) -> String {
    let mut s = format!(
        "Connected to {} (RouterOS {}, {}).",
        p.identity, p.version, p.board
    );
    let user = &conn.username;
    match (p.can_read, p.can_write) {
        (true, true) => s.push_str(&format!(" The API user {user:?} can read and write.")),
        (true, false) => s.push_str(&format!(
            " The API user {user:?} can read but cannot write: give its group the 'write' \
             policy (System → Users → Groups). Secrets, isolation and restore will fail until then."
        )),
        _ => s.push_str(&format!(
            " The API user {user:?} cannot read: give its group the 'read' and 'api' policies."
        )),
    }
    if p.can_read_sensitive == Some(false) {
        s.push_str(
            " It cannot see passwords (no 'sensitive' policy), so reconciliation skips them.",
        );
    }
    s
}

async fn record_status(
    ctx: &AppContext,
    id: Uuid,
    result: &Result<RouterProbe, crate::ports::RouterPortError>,
) -> Result<(), Error> {
    let now = ctx.clock.now();
    match result {
        Ok(p) => {
            sqlx::query(
                "update routers set status = 'online', last_seen_at = $2, identity = $3, \
                        version = $4, board = $5, cpu_load = $6, free_memory = $7, uptime = $8, \
                        last_error = null, \
                        status_since = case when status = 'online' then coalesce(status_since, $2) else $2 end, \
                        recovered_at = case when status = 'offline' then $2 else recovered_at end \
                 where id = $1",
            )
            .bind(id)
            .bind(now)
            .bind(&p.identity)
            .bind(&p.version)
            .bind(&p.board)
            .bind(p.cpu_load)
            .bind(p.free_memory)
            .bind(&p.uptime)
            .execute(&ctx.pool)
            .await?
        }
        Err(e) => {
            sqlx::query(
                "update routers set status = 'offline', last_error = $2, \
                 status_since = case when status = 'offline' then coalesce(status_since, $3) else $3 end \
                 where id = $1",
            )
            .bind(id)
            .bind(&e.0)
            .bind(now)
                .execute(&ctx.pool)
                .await?
        }
    };
    Ok(())
}

/// Refreshes status, CPU, memory and uptime of every router (the periodic job).
#[tracing::instrument(skip_all)]
pub async fn refresh_status(ctx: &AppContext) -> Result<Vec<Router>, Error> {
    let conns = connections(ctx).await?;
    let probes = futures::future::join_all(
        conns
            .values()
            .map(|c| async move { (c.id, ctx.router.probe(c, false).await) }),
    )
    .await;
    for (id, result) in &probes {
        record_status(ctx, *id, result).await?;
    }
    list(ctx).await
}
