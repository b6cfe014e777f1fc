//! PPPoE: profile sync, the secrets of subscriptions (through the outbox), manual
//! isolate/restore with a reason, and the live session view with kick.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::network::outbox::{self, NewCommand};
use crate::ports::{RemoteSession, RouterAction};
use crate::{network::routers, AppContext, Error};

/// A profile as last read from a router.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Profile {
    pub router_id: Uuid,
    pub router_name: String,
    /// `ppp` or `hotspot`.
    pub kind: String,
    pub name: String,
    pub rate_limit: Option<String>,
    pub comment: Option<String>,
    /// Carries our marker (`PPPOE_SYSTEM` / `VOUCHER_SYSTEM`) in its comment.
    pub marked: bool,
    /// Still present on the router at the last sync.
    pub active: bool,
    /// Plans that use this profile.
    pub plans: Vec<String>,
    pub synced_at: DateTime<Utc>,
}

const PROFILES: &str = "select rp.router_id, r.name as router_name, rp.kind, rp.name, \
    rp.rate_limit, rp.comment, rp.marked, rp.active, \
    coalesce((select array_agg(p.name order by p.name) from plans p \
              where p.router_profile = rp.name and p.kind = case rp.kind when 'ppp' then 'pppoe' \
              else 'hotspot' end), '{}') as plans, rp.synced_at \
    from router_profiles rp join routers r on r.id = rp.router_id";

pub async fn profiles(ctx: &AppContext, router_id: Option<Uuid>) -> Result<Vec<Profile>, Error> {
    Ok(sqlx::query_as(&format!(
        "{PROFILES} where ($1::uuid is null or rp.router_id = $1) \
         order by r.name, rp.kind, rp.name"
    ))
    .bind(router_id)
    .fetch_all(&ctx.pool)
    .await?)
}

/// Ours: the marker in a PPP profile's comment, or in a hotspot user profile's on-login script
/// (RouterOS keeps no comment on those).
fn is_marked(p: &crate::ports::RemoteProfile) -> bool {
    [p.comment.as_deref(), p.on_login.as_deref()]
        .into_iter()
        .flatten()
        .any(crate::network::marker::is_ours)
}

/// Reads the PPP and hotspot profiles of one router (or all), updates the local copy and
/// deactivates the profiles that are gone (seed §6.2). On demand: a router that cannot be read
/// is an error.
#[tracing::instrument(skip_all)]
pub async fn sync_profiles(
    ctx: &AppContext,
    router_id: Option<Uuid>,
) -> Result<Vec<Profile>, Error> {
    let conns = match router_id {
        Some(id) => vec![routers::connection(ctx, id).await?],
        None => routers::connections(ctx).await?.into_values().collect(),
    };
    for conn in &conns {
        sync_one(ctx, conn).await?;
    }
    profiles(ctx, router_id).await
}

/// What the hourly profile sync did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    pub routers: usize,
    pub profiles: usize,
    /// Profiles no longer on their router (marked inactive).
    pub gone: usize,
    /// Routers that could not be read: `name: error`.
    pub failed: Vec<String>,
}

/// The scheduled sync (hourly): every router, one router's failure not stopping the others.
pub async fn sync_all(ctx: &AppContext) -> Result<SyncReport, Error> {
    let mut report = SyncReport::default();
    for conn in routers::connections(ctx).await?.into_values() {
        match sync_one(ctx, &conn).await {
            Ok((seen, gone)) => {
                report.routers += 1;
                report.profiles += seen;
                report.gone += gone;
            }
            Err(Error::Router(e)) => report.failed.push(format!("{}: {e}", conn.name)),
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}

/// One router: its profiles upserted, the missing ones marked inactive. Returns how many were
/// seen and how many went missing at this sync.
async fn sync_one(
    ctx: &AppContext,
    conn: &crate::ports::RouterConn,
) -> Result<(usize, usize), Error> {
    let remote = ctx
        .router
        .profiles(conn)
        .await
        .map_err(|e| Error::Router(e.0))?;
    let now = ctx.clock.now();
    let mut tx = ctx.pool.begin().await?;
    let (mut kinds, mut names) = (Vec::new(), Vec::new());
    for p in &remote {
        sqlx::query(
            "insert into router_profiles (router_id, kind, name, rate_limit, comment, marked, \
                                          active, synced_at) \
             values ($1, $2, $3, $4, $5, $6, true, $7) \
             on conflict on constraint router_profiles_router_kind_name_key do update set \
               rate_limit = excluded.rate_limit, comment = excluded.comment, \
               marked = excluded.marked, active = true, synced_at = excluded.synced_at",
        )
        .bind(conn.id)
        .bind(&p.kind)
        .bind(&p.name)
        .bind(&p.rate_limit)
        .bind(&p.comment)
        .bind(is_marked(p))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        kinds.push(p.kind.clone());
        names.push(p.name.clone());
    }
    let gone = sqlx::query(
        "update router_profiles set active = false, synced_at = $4 where router_id = $1 \
         and active and (kind, name) not in (select * from unnest($2::text[], $3::text[]))",
    )
    .bind(conn.id)
    .bind(&kinds)
    .bind(&names)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok((remote.len(), usize::try_from(gone).unwrap_or(usize::MAX)))
}

/// A plan's profile to make on one router.
#[derive(Debug, Clone, Default)]
pub struct NewProfileInput {
    /// `ppp` (PPPoE plans) or `hotspot` (hotspot plans).
    pub kind: Option<String>,
    pub name: Option<String>,
    /// `rx/tx`, e.g. `10M/10M`; none leaves the router's default (unlimited).
    pub rate_limit: Option<String>,
}

/// Makes a plan's missing profile on a router, with our marker (seed §6), then reads the
/// router's profiles again. A name the router already has is refused, never overwritten: the
/// router's own profiles are only read.
pub async fn create_profile(
    ctx: &AppContext,
    router_id: Uuid,
    created_by: &str,
    input: NewProfileInput,
) -> Result<Vec<Profile>, Error> {
    let kind = match input.kind.as_deref().map(str::trim) {
        Some(k @ ("ppp" | "hotspot")) => k.to_owned(),
        _ => return Err(Error::validation("kind", "kind must be ppp or hotspot")),
    };
    let name = input.name.as_deref().unwrap_or_default().trim().to_owned();
    if name.is_empty()
        || name.chars().count() > 64
        || name
            .chars()
            .any(|c| c.is_control() || c == '"' || c == '\\')
    {
        return Err(Error::validation(
            "name",
            "the profile name must be 1 to 64 characters, without quotes",
        ));
    }
    let rate_limit = input
        .rate_limit
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    if let Some(r) = &rate_limit {
        if !crate::network::rates::is_rate_limit(r) {
            return Err(Error::validation(
                "rate_limit",
                "the rate limit must look like 10M/10M (upload/download)",
            ));
        }
    }
    let conn = routers::connection(ctx, router_id).await?;
    // What the router has now, so an existing name is refused rather than touched.
    sync_one(ctx, &conn).await?;
    let exists: bool = sqlx::query_scalar(
        "select exists (select 1 from router_profiles where router_id = $1 and kind = $2 \
         and name = $3 and active)",
    )
    .bind(router_id)
    .bind(&kind)
    .bind(&name)
    .fetch_one(&ctx.pool)
    .await?;
    if exists {
        return Err(Error::conflict_on(
            "name",
            "the router already has a profile with this name",
        ));
    }
    let date = ctx.today().to_string();
    let marker = crate::network::marker::Marker::system(
        if kind == "ppp" {
            crate::network::marker::Kind::Pppoe
        } else {
            crate::network::marker::Kind::Voucher
        },
        &date,
    );
    let marker = crate::network::marker::Marker {
        created_by,
        ..marker
    }
    .comment();
    ctx.router
        .create_profile(
            &conn,
            &crate::ports::NewRouterProfile {
                kind,
                name,
                rate_limit,
                marker,
            },
        )
        .await
        .map_err(|e| Error::Router(e.0))?;
    sync_one(ctx, &conn).await?;
    profiles(ctx, Some(router_id)).await
}

/// Reads one router's profiles in the background (a router just added or changed), so plans
/// are checked against it without waiting for the hourly sync. Failures wait for that sync.
pub fn refresh_in_background(ctx: &AppContext, router_id: Uuid) {
    let ctx = ctx.clone();
    tokio::spawn(async move {
        let conn = match routers::connection(&ctx, router_id).await {
            Ok(conn) => conn,
            Err(_) => return,
        };
        if let Err(e) = sync_one(&ctx, &conn).await {
            tracing::info!(router = %conn.name, error = %e, "profiles not read yet");
        }
    });
}

/// A PPPoE subscription as the router sees it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct PppoeUser {
    pub subscription_id: Uuid,
    pub login: String,
    pub customer_name: String,
    pub plan_name: String,
    /// The plan's profile (the secret carries the isolation profile while isolated).
    pub router_profile: String,
    pub router_id: Option<Uuid>,
    pub router_name: Option<String>,
    /// `active`, `isolated` or `terminated`.
    pub status: String,
    pub pending_commands: i64,
    pub last_error: Option<String>,
    /// Online now, as the router monitor last saw it (each minute).
    pub online: bool,
    /// The first connection the monitor ever saw (the session's start).
    pub first_login_at: Option<DateTime<Utc>>,
    /// The last time the monitor saw the user online.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// The current (or last) session's start, address and caller id (the modem's MAC).
    pub connected_since: Option<DateTime<Utc>>,
    pub address: Option<String>,
    pub caller_id: Option<String>,
}

const USERS: &str = "select s.id as subscription_id, s.login, c.name as customer_name, \
    p.name as plan_name, p.router_profile, s.router_id, r.name as router_name, s.status, \
    (select count(*) from router_commands rc where rc.subscription_id = s.id \
       and rc.status = 'pending') as pending_commands, \
    (select rc.last_error from router_commands rc where rc.subscription_id = s.id \
       and rc.status = 'pending' order by rc.id limit 1) as last_error, \
    coalesce(pp.online, false) as online, pp.first_login_at, pp.last_seen_at, \
    pp.connected_since, pp.address, pp.caller_id \
    from subscriptions s join customers c on c.id = s.customer_id \
    join plans p on p.id = s.plan_id left join routers r on r.id = s.router_id \
    left join pppoe_presence pp on pp.subscription_id = s.id \
    where s.kind = 'pppoe'";

pub async fn users(ctx: &AppContext, router_id: Option<Uuid>) -> Result<Vec<PppoeUser>, Error> {
    Ok(sqlx::query_as(&format!(
        "{USERS} and ($1::uuid is null or s.router_id = $1) order by s.login"
    ))
    .bind(router_id)
    .fetch_all(&ctx.pool)
    .await?)
}

pub async fn user(ctx: &AppContext, subscription_id: Uuid) -> Result<PppoeUser, Error> {
    sqlx::query_as(&format!("{USERS} and s.id = $1"))
        .bind(subscription_id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("PPPoE subscription"))
}

/// Puts a subscription's secret on a router (moving it off its previous router).
#[tracing::instrument(skip_all, fields(subscription_id = %subscription_id))]
pub async fn assign(
    ctx: &AppContext,
    actor: &str,
    subscription_id: Uuid,
    router_id: Uuid,
) -> Result<PppoeUser, Error> {
    routers::get(ctx, router_id).await?;
    let mut tx = ctx.pool.begin().await?;
    let row: Option<(Option<Uuid>, String, String)> =
        sqlx::query_as("select router_id, login, kind from subscriptions where id = $1 for update")
            .bind(subscription_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((old, login, kind)) = row else {
        return Err(Error::NotFound("subscription"));
    };
    if kind != "pppoe" {
        return Err(Error::validation(
            "subscription_id",
            "the subscription is not PPPoE",
        ));
    }
    let now = ctx.clock.now();
    if let Some(old) = old.filter(|o| *o != router_id) {
        let remove = NewCommand {
            router_id: Some(old),
            login: Some(&login),
            ..NewCommand::for_subscription(subscription_id, RouterAction::RemoveSecret, actor)
        };
        outbox::enqueue(&mut tx, remove, now).await?;
    }
    sqlx::query("update subscriptions set router_id = $2 where id = $1")
        .bind(subscription_id)
        .bind(router_id)
        .execute(&mut *tx)
        .await?;
    let create = NewCommand::for_subscription(subscription_id, RouterAction::CreateSecret, actor);
    outbox::enqueue(&mut tx, create, now).await?;
    tx.commit().await?;
    outbox::spawn_delivery(ctx);
    user(ctx, subscription_id).await
}

/// Changes the login password here and on the router.
pub async fn change_password(
    ctx: &AppContext,
    actor: &str,
    subscription_id: Uuid,
    password: &str,
) -> Result<PppoeUser, Error> {
    if password.chars().count() < 4 || password.len() > 128 {
        return Err(Error::validation(
            "password",
            "the password must be 4 to 128 characters",
        ));
    }
    let sealed = ctx.cipher.seal(password)?;
    let mut tx = ctx.pool.begin().await?;
    let done = sqlx::query("update subscriptions set password_enc = $2 where id = $1")
        .bind(subscription_id)
        .bind(sealed)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("subscription"));
    }
    let cmd = NewCommand::for_subscription(subscription_id, RouterAction::UpdateSecret, actor);
    outbox::enqueue(&mut tx, cmd, ctx.clock.now()).await?;
    tx.commit().await?;
    outbox::spawn_delivery(ctx);
    user(ctx, subscription_id).await
}

/// Removes the secret from its router and unlinks the router.
pub async fn unassign(ctx: &AppContext, actor: &str, subscription_id: Uuid) -> Result<(), Error> {
    let mut tx = ctx.pool.begin().await?;
    let row: Option<(Option<Uuid>, String)> =
        sqlx::query_as("select router_id, login from subscriptions where id = $1 for update")
            .bind(subscription_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((Some(router_id), login)) = row else {
        return Err(Error::NotFound("PPPoE secret of this subscription"));
    };
    let cmd = NewCommand {
        router_id: Some(router_id),
        login: Some(&login),
        ..NewCommand::for_subscription(subscription_id, RouterAction::RemoveSecret, actor)
    };
    outbox::enqueue(&mut tx, cmd, ctx.clock.now()).await?;
    sqlx::query("update subscriptions set router_id = null where id = $1")
        .bind(subscription_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    outbox::spawn_delivery(ctx);
    Ok(())
}

/// Isolates (`isolate = true`) or restores one subscription by hand, with a reason.
#[tracing::instrument(skip_all, fields(subscription_id = %subscription_id, isolate))]
pub async fn set_isolated(
    ctx: &AppContext,
    actor: &str,
    subscription_id: Uuid,
    isolate: bool,
    reason: &str,
) -> Result<PppoeUser, Error> {
    let reason = reason.trim();
    if reason.is_empty() || reason.len() > 500 {
        return Err(Error::validation(
            "reason",
            "give a reason (1 to 500 characters)",
        ));
    }
    let mut tx = ctx.pool.begin().await?;
    let status: Option<String> =
        sqlx::query_scalar("select status from subscriptions where id = $1 for update")
            .bind(subscription_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (from, to, action) = if isolate {
        ("active", "isolated", RouterAction::Isolate)
    } else {
        ("isolated", "active", RouterAction::Restore)
    };
    match status.as_deref() {
        None => return Err(Error::NotFound("subscription")),
        Some(s) if s != from => {
            return Err(Error::conflict(format!(
                "the subscription is {s}, not {from}"
            )))
        }
        Some(_) => {}
    }
    let now = ctx.clock.now();
    sqlx::query(
        "update subscriptions set status = $2, \
                isolated_at = case when $2 = 'isolated' then $3 else null end where id = $1",
    )
    .bind(subscription_id)
    .bind(to)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let cmd = NewCommand {
        reason: Some(reason),
        ..NewCommand::for_subscription(subscription_id, action, actor)
    };
    outbox::enqueue(&mut tx, cmd, now).await?;
    tx.commit().await?;
    outbox::spawn_delivery(ctx);
    user(ctx, subscription_id).await
}

/// Records what the router monitor sees of a router's PPPoE users (seed §6 `trackUser`):
/// the subscriptions on it that are connected now (first connection ever, last seen, the
/// session's start, address and caller id) and those no longer connected; live pages hear
/// of each connection and disconnection. Returns how many are online. One statement, written
/// each sampling round.
pub(crate) async fn track(
    ctx: &AppContext,
    conn: &crate::ports::RouterConn,
    now: DateTime<Utc>,
) -> Result<usize, Error> {
    let sessions = ctx
        .router
        .sessions(conn)
        .await
        .map_err(|e| Error::Router(e.0))?;
    let names: Vec<&str> = sessions.iter().map(|s| s.name.as_str()).collect();
    let addresses: Vec<Option<&str>> = sessions.iter().map(|s| s.address.as_deref()).collect();
    let callers: Vec<Option<&str>> = sessions.iter().map(|s| s.caller_id.as_deref()).collect();
    let uptimes: Vec<i64> = sessions
        .iter()
        .map(|s| i64::try_from(s.uptime_secs).unwrap_or(i64::MAX / 1000))
        .collect();
    // One row per user who connected or disconnected since the last round, and one
    // (`login` null) with how many are online now.
    let rows: Vec<(Option<String>, bool, i64)> = sqlx::query_as(
        "with seen as ( \
             select distinct on (s.id) s.id, x.address, x.caller_id, \
                    $3 - make_interval(secs => x.uptime) as since \
             from unnest($2::text[], $4::text[], $5::text[], $6::bigint[]) \
                  as x(name, address, caller_id, uptime) \
             join subscriptions s on s.login = x.name and s.kind = 'pppoe' and s.router_id = $1 \
             order by s.id, x.uptime), \
         prev as (select subscription_id, online from pppoe_presence where router_id = $1), \
         up as ( \
             insert into pppoe_presence (subscription_id, router_id, first_login_at, \
                                         last_seen_at, online, address, caller_id, connected_since) \
             select id, $1, since, $3, true, address, caller_id, since from seen \
             on conflict (subscription_id) do update set router_id = excluded.router_id, \
                 last_seen_at = excluded.last_seen_at, online = true, address = excluded.address, \
                 caller_id = excluded.caller_id, connected_since = excluded.connected_since \
             returning subscription_id), \
         gone as ( \
             update pppoe_presence set online = false \
             where router_id = $1 and online \
               and subscription_id not in (select subscription_id from up) \
             returning subscription_id) \
         select s.login, true, 0::bigint from up join subscriptions s on s.id = up.subscription_id \
          where not coalesce((select p.online from prev p \
                              where p.subscription_id = up.subscription_id), false) \
         union all \
         select s.login, false, 0 from gone join subscriptions s on s.id = gone.subscription_id \
         union all \
         select null, true, (select count(*) from up)",
    )
    .bind(conn.id)
    .bind(&names)
    .bind(now)
    .bind(&addresses)
    .bind(&callers)
    .bind(&uptimes)
    .fetch_all(&ctx.pool)
    .await?;
    let mut online = 0;
    for (login, connected, count) in rows {
        let Some(login) = login else {
            online = usize::try_from(count).unwrap_or(0);
            continue;
        };
        crate::events::publish(
            ctx,
            if connected {
                crate::events::BillingEvent::PppoeConnected {
                    router_id: conn.id,
                    login,
                }
            } else {
                crate::events::BillingEvent::PppoeDisconnected {
                    router_id: conn.id,
                    login,
                }
            },
        );
    }
    Ok(online)
}

/// The live `/ppp/active` of a router.
pub async fn sessions(ctx: &AppContext, router_id: Uuid) -> Result<Vec<RemoteSession>, Error> {
    let conn = routers::connection(ctx, router_id).await?;
    ctx.router
        .sessions(&conn)
        .await
        .map_err(|e| Error::Router(e.0))
}

/// Disconnects a live session now (it redials with its current profile); audited.
pub async fn kick(
    ctx: &AppContext,
    actor: &str,
    router_id: Uuid,
    login: &str,
) -> Result<usize, Error> {
    let conn = routers::connection(ctx, router_id).await?;
    let result = ctx.router.kick(&conn, login).await;
    let (res, error, after) = match &result {
        Ok(n) => ("ok", None, Some(serde_json::json!({ "sessions_ended": n }))),
        Err(e) => ("failed", Some(e.0.clone()), None),
    };
    sqlx::query(
        "insert into router_audit (router_id, actor, action, target, after, result, error, at) \
         values ($1, $2, 'kick', $3, $4, $5, $6, $7)",
    )
    .bind(router_id)
    .bind(actor)
    .bind(login)
    .bind(after)
    .bind(res)
    .bind(error)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?;
    result.map_err(|e| Error::Router(e.0))
}
