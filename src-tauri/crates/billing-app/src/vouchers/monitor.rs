//! The voucher monitor (every 30 s, and once at start): reads each router's hotspot users,
//! sessions and expiry schedulers, records first logins and usage, ends vouchers whose
//! validity, online time or quota is used up (kicked and removed on the router first), and
//! removes what failed batches left behind.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::batches::marker_batch;
use super::expiry::{self, Stamp};
use super::profiles::SCHEDULER_PREFIX;
use crate::ports::{HotspotEnd, HotspotSnapshot, RouterConn};
use crate::{network::routers, AppContext, Error};

/// A voucher as the database knows it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Known {
    pub id: Uuid,
    pub code: String,
    pub status: String,
    pub first_login_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub uptime_secs: i64,
    pub bytes_in: i64,
    pub bytes_out: i64,
    pub validity_secs: Option<i64>,
    pub uptime_limit_secs: Option<i64>,
    pub quota_bytes: Option<i64>,
}

/// The new state of one voucher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: Uuid,
    pub status: String,
    pub first_login_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub uptime_secs: i64,
    pub bytes_in: i64,
    pub bytes_out: i64,
    pub online: bool,
    pub end_reason: Option<String>,
}

/// What one cycle decided for one router.
#[derive(Debug, Default)]
pub struct Plan {
    pub changes: Vec<Change>,
    /// Router items to remove for vouchers that end now.
    pub ends: Vec<HotspotEnd>,
    /// Users of failed batches still on the router.
    pub leftovers: Vec<String>,
    /// Failed batches whose users are all gone.
    pub cleaned_batches: Vec<Uuid>,
    /// Router comments to rewrite: a used voucher's activation time (`|act=`, seed §4.2),
    /// as (router user id, new comment).
    pub stamps: Vec<(String, String)>,
}

/// Where a voucher's activation goes in its router comment: after the marker and before the
/// expiry stamp (the router's sweeper reads `|exp=` to the end of the comment).
pub const ACTIVATION_KEY: &str = "|act=";

/// The comment with the activation time (router-local) added, or `None` when it has one, is
/// not ours, or still waits for its expiry to be fixed by the router (`|exp=+…`: the router
/// rewrites it within a minute, and a write now could undo that).
pub fn stamp_activation(comment: &str, at_router: NaiveDateTime) -> Option<String> {
    if comment.contains(ACTIVATION_KEY)
        || crate::network::marker::fields(comment).is_none()
        || comment.contains(&format!("{}+", expiry::EXPIRY_KEY))
    {
        return None;
    }
    let at = format!("{ACTIVATION_KEY}{}", at_router.format("%Y-%m-%d %H:%M:%S"));
    Some(match comment.find(expiry::EXPIRY_KEY) {
        Some(p) => format!("{}{at}{}", &comment[..p], &comment[p..]),
        None => format!("{comment}{at}"),
    })
}

/// Decides, without side effects, what a cycle does. `now` is the app's time; `router_now`
/// the router's clock (its local time) for translating scheduler times.
pub fn plan(
    known: &[Known],
    snap: &HotspotSnapshot,
    now: DateTime<Utc>,
    failed_batches: &HashSet<Uuid>,
) -> Plan {
    let users: HashMap<&str, _> = snap.users.iter().map(|u| (u.name.as_str(), u)).collect();
    let mut sessions: HashMap<&str, Vec<&crate::ports::RemoteHotspotActive>> = HashMap::new();
    for a in &snap.active {
        sessions.entry(a.user.as_str()).or_default().push(a);
    }
    let schedulers: HashMap<&str, _> = snap
        .schedulers
        .iter()
        .filter_map(|s| s.name.strip_prefix(SCHEDULER_PREFIX).map(|code| (code, s)))
        .collect();
    let to_app = |t: NaiveDateTime| -> DateTime<Utc> {
        match snap.clock {
            Some(router_now) => now + (t - router_now),
            None => t.and_utc(),
        }
    };

    let mut out = Plan::default();
    for v in known {
        let user = users.get(v.code.as_str()).copied();
        let active = sessions.get(v.code.as_str());
        let sched = schedulers.get(v.code.as_str()).copied();
        let online = active.is_some_and(|a| !a.is_empty());
        let Some(user) = user else {
            // Gone from the router: it cannot get online any more.
            let (status, reason) = if v.status == "unused" {
                ("removed", "missing on the router")
            } else {
                ("expired", "removed on the router (expired there)")
            };
            out.changes.push(Change {
                id: v.id,
                status: status.into(),
                first_login_at: v.first_login_at,
                expires_at: v.expires_at,
                uptime_secs: v.uptime_secs,
                bytes_in: v.bytes_in,
                bytes_out: v.bytes_out,
                online: false,
                end_reason: Some(reason.into()),
            });
            continue;
        };
        let uptime = i64::try_from(user.uptime_secs).unwrap_or(i64::MAX);
        let bytes_in = i64::try_from(user.bytes_in).unwrap_or(i64::MAX);
        let bytes_out = i64::try_from(user.bytes_out).unwrap_or(i64::MAX);
        // The expiry the router stamped at the first login, in app time (only while the
        // router's clock can be trusted: a 1970 clock after a reboot says nothing).
        let stamp = user.comment.as_deref().and_then(expiry::parse_stamp);
        let stamped_expiry = match (stamp, expiry::trusted(snap.clock)) {
            (Some(Stamp::At(t)), Some(router_now)) => Some(expiry::to_app(t, router_now, now)),
            _ => None,
        };
        let used =
            uptime > 0 || online || sched.is_some() || stamp.is_some() || bytes_in + bytes_out > 0;
        let mut first = v.first_login_at;
        if first.is_none() && used {
            first = Some(
                sched
                    .and_then(|s| s.start)
                    .map(to_app)
                    .or_else(|| {
                        let validity = Duration::seconds(v.validity_secs?);
                        stamped_expiry.map(|e| e - validity)
                    })
                    .or_else(|| {
                        active
                            .and_then(|a| a.iter().map(|s| s.uptime_secs).max())
                            .map(|up| now - Duration::seconds(i64::try_from(up).unwrap_or(0)))
                    })
                    .unwrap_or(now),
            );
        }
        let expires = match (v.expires_at.or(stamped_expiry), first, v.validity_secs) {
            (Some(e), _, _) => Some(e),
            (None, Some(f), Some(secs)) => Some(f + Duration::seconds(secs)),
            _ => None,
        };
        let reason = if expires.is_some_and(|e| e <= now) {
            Some("validity over")
        } else if v.uptime_limit_secs.is_some_and(|l| uptime >= l) {
            Some("online time used up")
        } else if v
            .quota_bytes
            .is_some_and(|q| bytes_in.saturating_add(bytes_out) >= q)
        {
            Some("data quota used up")
        } else {
            None
        };
        let status = if reason.is_some() {
            out.ends.push(HotspotEnd {
                user_id: Some(user.id.clone()),
                active_ids: active
                    .map(|a| a.iter().map(|s| s.id.clone()).collect())
                    .unwrap_or_default(),
                scheduler_id: sched.map(|s| s.id.clone()),
            });
            "expired"
        } else if user.disabled {
            "disabled"
        } else if first.is_some() {
            "active"
        } else {
            "unused"
        };
        if let (true, Some(f), Some(router_now), Some(c)) = (
            status == "active",
            first,
            expiry::trusted(snap.clock),
            user.comment.as_deref(),
        ) {
            if let Some(stamped) = stamp_activation(c, router_now + (f - now)) {
                out.stamps.push((user.id.clone(), stamped));
            }
        }
        let change = Change {
            id: v.id,
            status: status.into(),
            first_login_at: first,
            expires_at: expires,
            uptime_secs: uptime,
            bytes_in,
            bytes_out,
            online: online && reason.is_none(),
            end_reason: reason.map(str::to_owned),
        };
        let same = change.status == v.status
            && change.first_login_at == v.first_login_at
            && change.expires_at == v.expires_at
            && change.uptime_secs == v.uptime_secs
            && change.bytes_in == v.bytes_in
            && change.bytes_out == v.bytes_out
            && !change.online;
        if !same {
            out.changes.push(change);
        }
    }

    let mut still_there: HashSet<Uuid> = HashSet::new();
    for u in &snap.users {
        if let Some(batch) = u.comment.as_deref().and_then(marker_batch) {
            if failed_batches.contains(&batch) {
                out.leftovers.push(u.name.clone());
                still_there.insert(batch);
            }
        }
    }
    out.cleaned_batches = failed_batches
        .iter()
        .filter(|b| !still_there.contains(b))
        .copied()
        .collect();
    out
}

#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct MonitorReport {
    pub routers: usize,
    pub activated: usize,
    pub expired: usize,
    pub updated: usize,
    pub leftovers_removed: usize,
    /// Routers that could not be read, with the reason.
    pub errors: Vec<String>,
}

/// One monitor cycle over every router that has vouchers.
pub async fn run(ctx: &AppContext) -> Result<MonitorReport, Error> {
    let router_ids: Vec<Uuid> = sqlx::query_scalar(
        "select distinct router_id from vouchers where status in ('unused', 'active', 'disabled') \
         union select router_id from voucher_batches where status = 'failed' and cleanup_pending",
    )
    .fetch_all(&ctx.pool)
    .await?;
    let mut report = MonitorReport::default();
    for id in router_ids {
        let conn = match routers::connection(ctx, id).await {
            Ok(c) => c,
            Err(e) => {
                report.errors.push(e.to_string());
                continue;
            }
        };
        match run_router(ctx, &conn).await {
            Ok(r) => {
                report.routers += 1;
                report.activated += r.activated;
                report.expired += r.expired;
                report.updated += r.updated;
                report.leftovers_removed += r.leftovers_removed;
            }
            Err(e) => report.errors.push(format!("{}: {e}", conn.name)),
        }
    }
    Ok(report)
}

async fn run_router(ctx: &AppContext, conn: &RouterConn) -> Result<MonitorReport, Error> {
    let running = ctx.voucher_batches.running();
    let failed: Vec<Uuid> = sqlx::query_scalar(
        "select id from voucher_batches where router_id = $1 and status = 'failed' and cleanup_pending",
    )
    .bind(conn.id)
    .fetch_all(&ctx.pool)
    .await?;
    let failed: HashSet<Uuid> = failed
        .into_iter()
        .filter(|b| !running.contains(b))
        .collect();
    let snap = ctx
        .router
        .hotspot_snapshot(conn)
        .await
        .map_err(|e| Error::Router(e.0))?;
    let known: Vec<Known> = sqlx::query_as(
        "select v.id, v.code, v.status, v.first_login_at, v.expires_at, v.uptime_secs, \
         v.bytes_in, v.bytes_out, p.validity_secs, p.uptime_limit_secs, p.quota_bytes \
         from vouchers v join voucher_profiles p on p.id = v.profile_id \
         join voucher_batches b on b.id = v.batch_id \
         where v.router_id = $1 and v.status in ('unused', 'active', 'disabled') \
           and b.status = 'ready'",
    )
    .bind(conn.id)
    .fetch_all(&ctx.pool)
    .await?;
    let now = ctx.clock.now();
    let plan = plan(&known, &snap, now, &failed);

    // The router first: a voucher is recorded as ended only once it cannot get online.
    if !plan.ends.is_empty() {
        ctx.router
            .end_hotspot_users(conn, &plan.ends)
            .await
            .map_err(|e| Error::Router(e.0))?;
    }
    if !plan.leftovers.is_empty() {
        ctx.router
            .remove_hotspot_users(conn, &plan.leftovers)
            .await
            .map_err(|e| Error::Router(e.0))?;
    }
    // The activation time on the router (seed §4.2): for whoever reads the router directly.
    // Not worth failing the cycle for; it is tried again at the next one until it is there.
    if !plan.stamps.is_empty() {
        if let Err(e) = ctx.router.set_hotspot_comments(conn, &plan.stamps).await {
            tracing::warn!(router = %conn.name, error = %e.0, "activation times not written");
        }
    }
    let mut report = MonitorReport {
        routers: 1,
        leftovers_removed: plan.leftovers.len(),
        ..Default::default()
    };
    let was: HashMap<Uuid, &Known> = known.iter().map(|k| (k.id, k)).collect();
    for c in &plan.changes {
        let before = was.get(&c.id).map(|k| k.status.as_str());
        if c.status == "expired" && before != Some("expired") {
            report.expired += 1;
        }
        if c.first_login_at.is_some() && was.get(&c.id).is_some_and(|k| k.first_login_at.is_none())
        {
            report.activated += 1;
        }
    }
    report.updated = plan.changes.len();

    let mut tx = ctx.pool.begin().await?;
    if !plan.changes.is_empty() {
        let ids: Vec<Uuid> = plan.changes.iter().map(|c| c.id).collect();
        let status: Vec<String> = plan.changes.iter().map(|c| c.status.clone()).collect();
        let first: Vec<Option<DateTime<Utc>>> =
            plan.changes.iter().map(|c| c.first_login_at).collect();
        let expires: Vec<Option<DateTime<Utc>>> =
            plan.changes.iter().map(|c| c.expires_at).collect();
        let uptime: Vec<i64> = plan.changes.iter().map(|c| c.uptime_secs).collect();
        let bin: Vec<i64> = plan.changes.iter().map(|c| c.bytes_in).collect();
        let bout: Vec<i64> = plan.changes.iter().map(|c| c.bytes_out).collect();
        let online: Vec<bool> = plan.changes.iter().map(|c| c.online).collect();
        let reason: Vec<Option<String>> =
            plan.changes.iter().map(|c| c.end_reason.clone()).collect();
        sqlx::query(
            "update vouchers v set status = t.status, first_login_at = t.first, expires_at = t.exp, \
               uptime_secs = t.up, bytes_in = t.bin, bytes_out = t.bout, \
               last_seen_at = case when t.online then $10 else v.last_seen_at end, \
               ended_at = case when t.status in ('expired', 'removed') then $10 end, \
               end_reason = t.reason \
             from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::bigint[], \
                         $6::bigint[], $7::bigint[], $8::bool[], $9::text[]) \
               as t(id, status, first, exp, up, bin, bout, online, reason) \
             where v.id = t.id and v.status in ('unused', 'active', 'disabled')",
        )
        .bind(&ids)
        .bind(&status)
        .bind(&first)
        .bind(&expires)
        .bind(&uptime)
        .bind(&bin)
        .bind(&bout)
        .bind(&online)
        .bind(&reason)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    if !plan.cleaned_batches.is_empty() || !plan.leftovers.is_empty() {
        let cleaned: Vec<Uuid> = failed.iter().copied().collect();
        sqlx::query("update voucher_batches set cleanup_pending = false where id = any($1)")
            .bind(&cleaned)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    announce(ctx, conn.id, &known, &plan);
    Ok(report)
}

/// Live pages hear of vouchers activated, expired and removed in this cycle (at most
/// [`ANNOUNCED_PER_KIND`] of each kind per router and cycle: a page only refetches on them,
/// and a thousand expiring at once must not flood the event stream).
fn announce(ctx: &AppContext, router_id: Uuid, known: &[Known], plan: &Plan) {
    use crate::events::{publish, BillingEvent};
    let was: HashMap<Uuid, &Known> = known.iter().map(|k| (k.id, k)).collect();
    let (mut activated, mut expired, mut removed) = (0, 0, 0);
    for c in &plan.changes {
        let Some(before) = was.get(&c.id) else {
            continue;
        };
        let code = before.code.clone();
        if c.first_login_at.is_some() && before.first_login_at.is_none() {
            activated += 1;
            if activated <= ANNOUNCED_PER_KIND {
                publish(
                    ctx,
                    BillingEvent::VoucherActivated {
                        router_id,
                        code: code.clone(),
                    },
                );
            }
        }
        if c.status != before.status {
            match c.status.as_str() {
                "expired" => {
                    expired += 1;
                    if expired <= ANNOUNCED_PER_KIND {
                        publish(
                            ctx,
                            BillingEvent::VoucherExpired {
                                router_id,
                                code,
                                reason: c.end_reason.clone(),
                            },
                        );
                    }
                }
                "removed" => {
                    removed += 1;
                    if removed <= ANNOUNCED_PER_KIND {
                        publish(ctx, BillingEvent::VoucherRemoved { router_id, code });
                    }
                }
                _ => {}
            }
        }
    }
}

/// See [`announce`].
const ANNOUNCED_PER_KIND: usize = 20;

/// At start, after the PC was off: stuck batches are failed, profiles synced, and one cycle
/// brings the database and the routers together.
pub async fn catch_up(ctx: &AppContext) -> Result<MonitorReport, Error> {
    super::batches::repair(ctx).await?;
    super::profiles::sync_pending(ctx).await?;
    run(ctx).await
}
