//! The outbox of router writes. Use-cases enqueue commands in their own transaction;
//! `deliver` applies them later, in order per subscription, retried with backoff while a
//! router is unreachable. A command is marked done in the same transaction that records
//! its audit row, after the router confirmed; every router write is idempotent (it sets a
//! target state), so a crash between the two only repeats a harmless write.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Duration, Utc};
use futures::StreamExt as _;
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::ports::{Applied, DesiredSecret, RouterAction, RouterCommand, RouterSubscription};
use crate::{network::routers, AppContext, Error};

/// Attempts after which a router command counts as stuck (its retries back off 30 s, 1, 2,
/// 4, 8 and 16 minutes: about half an hour).
pub const STUCK_AFTER_ATTEMPTS: i32 = 6;

/// Commands taken per delivery round (one per subscription at most).
const BATCH: i64 = 1000;
/// Commands in flight at once (they are pipelined per router connection).
const CONCURRENCY: usize = 512;

/// A command to put in the outbox.
#[derive(Debug, Clone)]
pub struct NewCommand<'a> {
    pub subscription_id: Option<Uuid>,
    /// Defaults to the subscription's router.
    pub router_id: Option<Uuid>,
    /// Defaults to the subscription's login.
    pub login: Option<&'a str>,
    pub action: RouterAction,
    pub created_by: &'a str,
    pub reason: Option<&'a str>,
}

impl<'a> NewCommand<'a> {
    pub fn for_subscription(id: Uuid, action: RouterAction, created_by: &'a str) -> Self {
        NewCommand {
            subscription_id: Some(id),
            router_id: None,
            login: None,
            action,
            created_by,
            reason: None,
        }
    }
}

/// Queues a command inside the caller's transaction.
pub async fn enqueue(
    conn: &mut PgConnection,
    cmd: NewCommand<'_>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    sqlx::query(
        "insert into router_commands (subscription_id, router_id, login, action, created_by, \
                                      reason, next_attempt_at) \
         select $1, coalesce($2, s.router_id), coalesce($3, s.login), $4, $5, $6, $7 \
         from (select 1) one left join subscriptions s on s.id = $1",
    )
    .bind(cmd.subscription_id)
    .bind(cmd.router_id)
    .bind(cmd.login)
    .bind(cmd.action.as_str())
    .bind(cmd.created_by)
    .bind(cmd.reason)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// An outbox entry as the dashboard shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OutboxEntry {
    pub id: i64,
    pub subscription_id: Option<Uuid>,
    pub router_id: Option<Uuid>,
    pub login: Option<String>,
    pub action: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_by: String,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

/// Commands of the outbox, newest first; `pending_only` hides delivered ones.
pub async fn list(
    ctx: &AppContext,
    pending_only: bool,
    limit: i64,
) -> Result<Vec<OutboxEntry>, Error> {
    Ok(sqlx::query_as(
        "select id, subscription_id, router_id, login, action, status, attempts, last_error, \
                next_attempt_at, created_by, reason, created_at, done_at \
         from router_commands where (not $1 or status = 'pending') order by id desc limit $2",
    )
    .bind(pending_only)
    .bind(limit.clamp(1, 1000))
    .fetch_all(&ctx.pool)
    .await?)
}

/// One audited router write.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub router_id: Option<Uuid>,
    pub command_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub reason: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// `ok` or `failed`.
    pub result: String,
    pub error: Option<String>,
    pub at: DateTime<Utc>,
}

/// The audit log of router writes, newest first.
pub async fn audit(
    ctx: &AppContext,
    router_id: Option<Uuid>,
    target: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditEntry>, Error> {
    Ok(sqlx::query_as(
        "select id, router_id, command_id, actor, action, target, reason, before, after, result, \
                error, at from router_audit \
         where ($1::uuid is null or router_id = $1) and ($2::text is null or target = $2) \
         order by id desc limit $3",
    )
    .bind(router_id)
    .bind(target)
    .bind(limit.clamp(1, 1000))
    .fetch_all(&ctx.pool)
    .await?)
}

#[derive(sqlx::FromRow)]
struct Due {
    id: i64,
    action: String,
    attempts: i32,
    created_by: String,
    reason: Option<String>,
    router_id: Option<Uuid>,
    login: Option<String>,
    subscription_id: Option<Uuid>,
    customer_id: Option<Uuid>,
    kind: Option<String>,
    sub_status: Option<String>,
    password_enc: Option<Vec<u8>>,
    sub_created_at: Option<DateTime<Utc>>,
    router_profile: Option<String>,
}

const DUE: &str = "select rc.id, rc.action, rc.attempts, rc.created_by, rc.reason, \
        coalesce(rc.router_id, s.router_id) as router_id, coalesce(rc.login, s.login) as login, \
        s.id as subscription_id, s.customer_id, s.kind, s.status as sub_status, s.password_enc, \
        s.created_at as sub_created_at, p.router_profile \
    from router_commands rc left join subscriptions s on s.id = rc.subscription_id \
    left join plans p on p.id = s.plan_id \
    where rc.status = 'pending' and rc.next_attempt_at <= $1 \
      and not exists (select 1 from router_commands e where e.status = 'pending' and e.id < rc.id \
          and (e.subscription_id = rc.subscription_id \
               or (rc.subscription_id is null and e.router_id = rc.router_id and e.login = rc.login))) \
    order by rc.id limit $2 for update of rc skip locked";

/// Delivers every due command; returns how many were applied. Failures stay queued.
#[tracing::instrument(skip_all)]
pub async fn deliver(ctx: &AppContext) -> Result<usize, Error> {
    let mut delivered = 0;
    loop {
        let mut tx = ctx.pool.begin().await?;
        let due: Vec<Due> = sqlx::query_as(DUE)
            .bind(ctx.clock.now())
            .bind(BATCH)
            .fetch_all(&mut *tx)
            .await?;
        if due.is_empty() {
            return Ok(delivered);
        }
        let conns = routers::connections(ctx).await?;
        let sole = (conns.len() == 1)
            .then(|| conns.values().next().cloned())
            .flatten();
        let jobs: Vec<(i64, Result<RouterCommand, String>)> = due
            .iter()
            .map(|d| (d.id, resolve(ctx, d, &conns, sole.as_ref())))
            .collect();
        let port = ctx.router.clone();
        let results: HashMap<i64, Result<Applied, String>> = futures::stream::iter(jobs)
            .map(move |(id, cmd)| {
                let port = port.clone();
                async move {
                    let result = match cmd {
                        Ok(cmd) => port.apply(&cmd).await.map_err(|e| e.0),
                        Err(message) => Err(message),
                    };
                    (id, result)
                }
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let now = ctx.clock.now();
        let mut ok = Vec::new();
        let mut audit = AuditRows::default();
        for d in &due {
            let Some(result) = results.get(&d.id) else {
                continue;
            };
            let target = d.login.clone().unwrap_or_default();
            match result {
                Ok(applied) => {
                    ok.push(d.id);
                    audit.push(d, target, applied, None);
                }
                Err(message) => {
                    let code = crate::failure::classify_router(message);
                    // A cause that needs someone (a missing profile, no router) is tried
                    // again hourly, in case it was fixed on the router, and shows as failed;
                    // an outage backs off from 30 s to about an hour.
                    let backoff = if crate::failure::is_permanent(code) {
                        Duration::hours(1)
                    } else {
                        Duration::seconds(
                            30 * 2i64.pow(u32::try_from(d.attempts.clamp(0, 7)).unwrap_or(7)),
                        )
                    };
                    sqlx::query(
                        "update router_commands set attempts = attempts + 1, last_error = $2, \
                                next_attempt_at = $3, error_code = $4 where id = $1",
                    )
                    .bind(d.id)
                    .bind(message)
                    .bind(now + backoff)
                    .bind(code.code)
                    .execute(&mut *tx)
                    .await?;
                    audit.push(d, target, &Applied::default(), Some(message.clone()));
                    tracing::warn!(command = d.id, error = %message, "router command failed; will retry");
                }
            }
        }
        sqlx::query(
            "update router_commands set status = 'done', done_at = $2, attempts = attempts + 1, \
                    last_error = null, error_code = null where id = any($1)",
        )
        .bind(&ok)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit.insert(&mut tx, now).await?;
        tx.commit().await?;
        delivered += ok.len();
        if ok.is_empty() {
            return Ok(delivered);
        }
    }
}

fn resolve(
    ctx: &AppContext,
    d: &Due,
    conns: &HashMap<Uuid, crate::ports::RouterConn>,
    sole: Option<&crate::ports::RouterConn>,
) -> Result<RouterCommand, String> {
    let action = RouterAction::parse(&d.action)
        .ok_or_else(|| format!("unknown router command {:?}", d.action))?;
    let router = match d.router_id {
        Some(id) => Some(
            conns
                .get(&id)
                .cloned()
                .ok_or("the subscription's router was not found (or its password is missing)")?,
        ),
        None => sole.cloned(),
    };
    if router.is_none() && !ctx.router.accepts_unrouted() {
        return Err("no router is assigned to this subscription; assign one".into());
    }
    let hotspot = d.kind.as_deref() == Some("hotspot");
    let login = d.login.clone().unwrap_or_default();
    let isolated = matches!(
        (action, d.sub_status.as_deref()),
        (RouterAction::Isolate, _) | (_, Some("isolated"))
    );
    let profile = match isolated {
        // A hotspot user keeps its plan's user profile and is disabled while isolated.
        true if !hotspot => router
            .as_ref()
            .map(|r| r.isolation.name.clone())
            .unwrap_or_else(|| "isolir".into()),
        _ => d.router_profile.clone().unwrap_or_else(|| "default".into()),
    };
    let desired = match (&d.password_enc, d.subscription_id) {
        (Some(sealed), Some(sub_id)) if action != RouterAction::RemoveSecret => {
            let password = ctx
                .cipher
                .open(sealed)
                .map_err(|e| format!("cannot decrypt the login password: {e}"))?;
            let date = d
                .sub_created_at
                .map(|t| t.with_timezone(&ctx.tz).date_naive().to_string())
                .unwrap_or_default();
            let customer = d.customer_id.map(|c| c.to_string()).unwrap_or_default();
            Some(DesiredSecret {
                login: login.clone(),
                password: password.into(),
                profile,
                comment: marker_comment(&customer, &sub_id.to_string(), &date, &d.created_by),
                disabled: hotspot && isolated,
            })
        }
        _ => None,
    };
    Ok(RouterCommand {
        id: d.id,
        action,
        subscription: RouterSubscription {
            id: d.subscription_id.unwrap_or_default(),
            router_id: router.as_ref().map(|r| r.id),
            login,
            kind: d.kind.clone().unwrap_or_else(|| "pppoe".into()),
            router_profile: d.router_profile.clone().unwrap_or_default(),
        },
        router,
        desired,
    })
}

/// The seed's marker: `PPPOE_SYSTEM|customer|subscription|vendor|date|created_by` (no vendor:
/// a subscription is the shop's own).
pub fn marker_comment(customer: &str, subscription: &str, date: &str, created_by: &str) -> String {
    crate::network::marker::Marker {
        kind: crate::network::marker::Kind::Pppoe,
        customer: Some(customer),
        subscription: Some(subscription),
        vendor: None,
        date,
        created_by,
    }
    .comment()
}

/// The subscription id in one of our markers, if the comment is ours.
pub fn marker_subscription(comment: &str) -> Option<Uuid> {
    let mut parts = comment.split('|');
    (parts.next()? == "PPPOE_SYSTEM").then_some(())?;
    parts.nth(1)?.parse().ok()
}

#[derive(Default)]
struct AuditRows {
    router: Vec<Option<Uuid>>,
    command: Vec<i64>,
    actor: Vec<String>,
    action: Vec<String>,
    target: Vec<String>,
    reason: Vec<Option<String>>,
    before: Vec<Option<serde_json::Value>>,
    after: Vec<Option<serde_json::Value>>,
    result: Vec<&'static str>,
    error: Vec<Option<String>>,
}

impl AuditRows {
    fn push(&mut self, d: &Due, target: String, applied: &Applied, error: Option<String>) {
        self.router.push(d.router_id);
        self.command.push(d.id);
        self.actor.push(d.created_by.clone());
        self.action.push(d.action.clone());
        self.target.push(target);
        self.reason.push(d.reason.clone());
        self.before.push(applied.before.clone());
        self.after.push(applied.after.clone());
        self.result
            .push(if error.is_some() { "failed" } else { "ok" });
        self.error.push(error);
    }

    async fn insert(self, conn: &mut PgConnection, at: DateTime<Utc>) -> Result<(), Error> {
        if self.command.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "insert into router_audit (router_id, command_id, actor, action, target, reason, \
                                       before, after, result, error, at) \
             select r, c, a, ac, t, re, b, af, res, e, $11 \
             from unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[], \
                         $6::text[], $7::jsonb[], $8::jsonb[], $9::text[], $10::text[]) \
                  as u(r, c, a, ac, t, re, b, af, res, e)",
        )
        .bind(&self.router)
        .bind(&self.command)
        .bind(&self.actor)
        .bind(&self.action)
        .bind(&self.target)
        .bind(&self.reason)
        .bind(&self.before)
        .bind(&self.after)
        .bind(&self.result)
        .bind(&self.error)
        .bind(at)
        .execute(conn)
        .await?;
        Ok(())
    }
}

/// The codes of causes that need someone (see [`crate::failure::is_permanent`]).
pub fn permanent_codes() -> Vec<&'static str> {
    crate::failure::CODES
        .iter()
        .filter(|c| crate::failure::is_permanent(**c))
        .map(|c| c.code)
        .collect()
}

/// "Coba lagi": the subscription's waiting commands are tried now (after the owner fixed
/// the plan's profile, the router or its password). Returns how many were due again.
pub async fn retry_subscription(ctx: &AppContext, subscription_id: Uuid) -> Result<u64, Error> {
    let exists: bool =
        sqlx::query_scalar("select exists(select 1 from subscriptions where id = $1)")
            .bind(subscription_id)
            .fetch_one(&ctx.pool)
            .await?;
    if !exists {
        return Err(Error::NotFound("subscription"));
    }
    let due = sqlx::query(
        "update router_commands set next_attempt_at = $2 \
         where subscription_id = $1 and status = 'pending'",
    )
    .bind(subscription_id)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?
    .rows_affected();
    if due == 0 {
        // Nothing waits: put the subscription on its router again as the database says.
        let mut tx = ctx.pool.begin().await?;
        enqueue(
            &mut tx,
            NewCommand {
                reason: Some("retry"),
                ..NewCommand::for_subscription(
                    subscription_id,
                    RouterAction::UpdateSecret,
                    "system",
                )
            },
            ctx.clock.now(),
        )
        .await?;
        tx.commit().await?;
    }
    deliver(ctx).await?;
    Ok(due)
}

/// Whether a subscription is on its router as the database says.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Provisioning {
    /// `provisioned` (the router confirmed the last change), `pending` (waiting to be sent,
    /// e.g. while the router is unreachable) or `failed` (a cause that needs someone, or still
    /// undelivered after its retries; `failure` says what to do), `removed` (a terminated
    /// subscription taken off its router) or `no_router`.
    pub state: String,
    pub attempts: i32,
    /// When the router confirmed it, or when the waiting command was queued.
    pub since: Option<DateTime<Utc>>,
    pub failure: Option<crate::failure::Failure>,
}

impl Provisioning {
    /// A subscription with no router (chosen so): nothing to put anywhere.
    pub fn no_router() -> Provisioning {
        Provisioning {
            state: "no_router".to_owned(),
            ..Provisioning::default()
        }
    }
}

/// The provisioning columns for `subscriptions s` (join with [`PROVISIONING_JOIN`]).
pub const PROVISIONING_COLS: &str = "pc.status as prov_status, pc.attempts as prov_attempts, \
     pc.error_code as prov_error_code, pc.last_error as prov_last_error, \
     coalesce(pc.done_at, pc.created_at) as prov_since";
/// The newest router command of each subscription.
pub const PROVISIONING_JOIN: &str = "left join lateral (select x.status, x.attempts, \
     x.error_code, x.last_error, x.done_at, x.created_at from router_commands x \
     where x.subscription_id = s.id order by x.id desc limit 1) pc on true";

/// The SQL condition "this subscription's provisioning failed" over [`PROVISIONING_JOIN`]
/// (`$n` is bound to [`permanent_codes`], `$m` to the stuck threshold).
pub fn provisioning_failed_sql(codes: &str, stuck: &str) -> String {
    // `coalesce`: a command not yet tried has no error code, and `null = any(…)` is null —
    // which made "not failed" null too, so a fresh pending command counted as neither.
    format!(
        "(pc.status = 'pending' and (coalesce(pc.error_code = any({codes}), false) \
          or pc.attempts >= {stuck}))"
    )
}

/// Reads the provisioning columns of a row.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct ProvisioningRow {
    pub prov_status: Option<String>,
    pub prov_attempts: Option<i32>,
    pub prov_error_code: Option<String>,
    pub prov_last_error: Option<String>,
    pub prov_since: Option<DateTime<Utc>>,
}

impl ProvisioningRow {
    pub fn provisioning(&self, router_name: &str) -> Provisioning {
        let attempts = self.prov_attempts.unwrap_or(0);
        let failure = self.prov_last_error.as_ref().map(|e| {
            let code = self
                .prov_error_code
                .as_deref()
                .map(crate::failure::lookup)
                .unwrap_or_else(|| crate::failure::classify_router(e));
            crate::failure::explain(code, router_name, e)
        });
        let state = match self.prov_status.as_deref() {
            None | Some("done") => "provisioned",
            Some(_) => {
                let permanent = self
                    .prov_error_code
                    .as_deref()
                    .is_some_and(|c| crate::failure::is_permanent(crate::failure::lookup(c)));
                if permanent || attempts >= STUCK_AFTER_ATTEMPTS {
                    "failed"
                } else {
                    "pending"
                }
            }
        };
        Provisioning {
            state: state.to_owned(),
            attempts,
            since: self.prov_since,
            failure: if state == "provisioned" {
                None
            } else {
                failure
            },
        }
    }
}

/// Delivers in the background after a use-case committed.
pub(crate) fn spawn_delivery(ctx: &AppContext) {
    let kick = ctx.outbox_kick.clone();
    // A delivery that has not started yet will also see what the caller just committed.
    if kick.requested.swap(true, Ordering::AcqRel) {
        return;
    }
    let ctx = ctx.clone();
    tokio::spawn(async move {
        let _one_at_a_time = kick.running.lock().await;
        kick.requested.store(false, Ordering::Release);
        if let Err(err) = deliver(&ctx).await {
            tracing::warn!(error = %err, "delivering router commands failed");
        }
    });
}

/// Requests for a background delivery, coalesced: at most one delivery runs and one waits,
/// however many payments settle at once (each used to start its own delivery, every one
/// holding a database connection the payments needed).
#[derive(Debug, Default)]
pub struct DeliveryKick {
    requested: AtomicBool,
    running: tokio::sync::Mutex<()>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_round_trips_the_subscription_id() {
        let sub = Uuid::now_v7();
        let c = marker_comment("c1", &sub.to_string(), "2026-11-28", "");
        assert_eq!(c, format!("PPPOE_SYSTEM|c1|{sub}|NULL|2026-11-28|system"));
        assert_eq!(marker_subscription(&c), Some(sub));
        assert_eq!(marker_subscription("VOUCHER_SYSTEM|x|y"), None);
        assert_eq!(marker_subscription("hand made"), None);
    }
}
