//! Hotspot vouchers on a router: profiles, batch writes (pipelined, stopping at the first
//! failure), the monitor's snapshot and the removal of ended vouchers.

use std::collections::HashSet;
use std::time::Duration;

use billing_app::ports::{
    DesiredHotspotProfile, HotspotEnd, HotspotSnapshot, HotspotWriteError,
    NewHotspotUser as Voucher, RemoteHotspotActive, RemoteHotspotUser, RemoteScheduler,
    RouterErrorKind, RouterPortError,
};
use futures::stream::{FuturesOrdered, StreamExt};
use routeros_api::hotspot::{
    HotspotProfileUpdate, HotspotUserUpdate, NewHotspotProfile, NewHotspotUser,
};
use routeros_api::parse::parse_duration;
use routeros_api::system::{NewScheduler, SchedulerStart, SchedulerUpdate};
use routeros_api::{Client, ItemId, TrapKind};
use secrecy::ExposeSecret;

use crate::Session;

type Result<T> = std::result::Result<T, RouterPortError>;

/// Prefix of the per-voucher expiry schedulers the profile's on-login script creates.
pub const SCHEDULER_PREFIX: &str = "mbx-";
/// Writes in flight at once on one connection: at a 20 ms round trip, 10,000 vouchers are 20
/// windows (0.4 s) instead of 39; a router works through them in order either way.
const WINDOW: usize = 512;

pub(crate) async fn ensure_profile(s: &Session<'_>, p: &DesiredHotspotProfile) -> Result<()> {
    let profiles = s.client.hotspot_profiles();
    let existing = profiles.get_by_name(&p.name).await.map_err(|e| s.fail(e))?;
    // No rate limit or script clears the router's.
    let rate_limit = Some(p.rate_limit.clone().unwrap_or_default());
    let on_login = Some(p.on_login.clone().unwrap_or_default());
    let written = match existing {
        Some(existing) => {
            let update = HotspotProfileUpdate {
                rate_limit,
                shared_users: Some(p.shared_users),
                on_login,
                ..HotspotProfileUpdate::default()
            };
            profiles.update(&existing.id, &update).await
        }
        None => {
            let new = NewHotspotProfile {
                name: p.name.clone(),
                rate_limit,
                shared_users: Some(p.shared_users),
                on_login,
                ..NewHotspotProfile::default()
            };
            profiles.add(&new).await.map(drop)
        }
    };
    written.map_err(|e| s.fail(e))?;
    if let Some(script) = &p.expiry_sweeper {
        ensure_sweeper(s, script, &p.sweeper_marker).await?;
    }
    s.known_profiles().lock().await.insert(p.name.clone());
    Ok(())
}

/// The router-wide voucher expiry sweeper: added once, rewritten only when its script or
/// rhythm differ (so saving profiles does not reset it). It runs every interval counted from
/// each boot (`start-time=startup`), whatever the clock shows.
async fn ensure_sweeper(s: &Session<'_>, script: &str, marker: &str) -> Result<()> {
    use billing_app::vouchers::expiry::{SWEEPER_NAME, SWEEP_INTERVAL};
    let schedulers = s.client.scheduler();
    let existing = schedulers
        .get_by_name(SWEEPER_NAME)
        .await
        .map_err(|e| s.fail(e))?;
    let interval = parse_duration(SWEEP_INTERVAL).ok();
    let policy = Some("read,write,test".to_owned());
    let comment = Some(marker.to_owned());
    let written = match existing {
        Some(r)
            if r.on_event == script
                && Some(r.interval) == interval
                && r.at_startup
                && !r.disabled =>
        {
            return Ok(())
        }
        Some(r) => {
            let update = SchedulerUpdate {
                start: Some(SchedulerStart::Startup),
                interval,
                on_event: Some(script.to_owned()),
                policy,
                comment,
                disabled: Some(false),
            };
            schedulers.update(&r.id, &update).await
        }
        None => {
            let new = NewScheduler {
                name: SWEEPER_NAME.to_owned(),
                start: SchedulerStart::Startup,
                interval: interval.unwrap_or_default(),
                on_event: script.to_owned(),
                policy,
                comment,
                disabled: false,
            };
            schedulers.add(&new).await.map(drop)
        }
    };
    written.map_err(|e| s.fail(e))?;
    Ok(())
}

pub(crate) async fn user_names(s: &Session<'_>) -> Result<Vec<String>> {
    s.client
        .hotspot_users()
        .names()
        .await
        .map_err(|e| s.fail(e))
}

/// The voucher as a RouterOS hotspot user.
fn typed_user(u: &Voucher) -> NewHotspotUser {
    NewHotspotUser {
        name: u.name.clone(),
        password: u.password.expose_secret().to_owned(),
        profile: Some(u.profile.clone()),
        limit_uptime: u.limit_uptime_secs.map(Duration::from_secs),
        limit_bytes_total: u.limit_bytes_total,
        comment: Some(u.comment.clone()),
        ..NewHotspotUser::default()
    }
}

pub(crate) async fn add_users(
    s: &Session<'_>,
    users: &[Voucher],
    progress: &(dyn Fn(usize) + Send + Sync),
) -> std::result::Result<Vec<String>, HotspotWriteError> {
    let mut inflight = FuturesOrdered::new();
    let mut next = 0;
    let mut ids = Vec::with_capacity(users.len());
    let mut failure: Option<(usize, RouterPortError)> = None;
    loop {
        while failure.is_none() && next < users.len() && inflight.len() < WINDOW {
            let i = next;
            let cmd = typed_user(&users[i]).to_command();
            let client = s.client.clone();
            inflight.push_back(async move { (i, client.call(cmd).await) });
            next += 1;
        }
        let Some((i, result)) = inflight.next().await else {
            break;
        };
        match result {
            Ok(resp) => match resp.ret() {
                Some(id) => {
                    ids.push(id);
                    if failure.is_none() {
                        progress(ids.len());
                    }
                }
                None if failure.is_none() => {
                    let words = RouterPortError::new(
                        RouterErrorKind::Protocol,
                        "the router did not say which id it gave the user",
                    );
                    failure = Some((i, words));
                }
                None => {}
            },
            Err(e) if failure.is_none() => {
                failure = Some((i, s.fail(e)));
            }
            Err(e) => {
                if e.is_connection_error() {
                    s.fail(e);
                }
            }
        }
    }
    match failure {
        None => Ok(ids),
        Some((index, error)) => Err(HotspotWriteError::new(index, error, ids)),
    }
}

/// Removes the named users (those still there), pipelined.
pub(crate) async fn remove_users(s: &Session<'_>, names: &[String]) -> Result<usize> {
    let wanted: HashSet<&str> = names.iter().map(String::as_str).collect();
    let users = s
        .client
        .hotspot_users()
        .ids_and_names()
        .await
        .map_err(|e| s.fail(e))?;
    let ids: Vec<ItemId> = users
        .into_iter()
        .filter(|(_, name)| wanted.contains(name.as_str()))
        .map(|(id, _)| id)
        .collect();
    remove_ids(s, Menu::User, &ids).await?;
    Ok(ids.len())
}

/// The menus vouchers are removed from.
#[derive(Clone, Copy)]
enum Menu {
    User,
    Active,
    Scheduler,
}

impl Menu {
    async fn remove(
        self,
        client: Client,
        id: ItemId,
    ) -> std::result::Result<(), routeros_api::Error> {
        match self {
            Menu::User => client.hotspot_users().remove(&id).await,
            Menu::Active => client.hotspot_active().remove(&id).await,
            Menu::Scheduler => client.scheduler().remove(&id).await,
        }
    }
}

/// Removes the items `ids` of `menu`, pipelined; those already gone are fine.
async fn remove_ids(s: &Session<'_>, menu: Menu, ids: &[ItemId]) -> Result<()> {
    let mut inflight = FuturesOrdered::new();
    let mut pending = ids.iter();
    let mut first_error = None;
    loop {
        while inflight.len() < WINDOW {
            let Some(id) = pending.next() else { break };
            inflight.push_back(menu.remove(s.client.clone(), id.clone()));
        }
        let Some(result) = inflight.next().await else {
            break;
        };
        match result {
            Ok(_) => {}
            Err(e) if e.trap_kind() == Some(TrapKind::NoSuchItem) => {}
            Err(e) => {
                let words = s.fail(e);
                first_error.get_or_insert(words);
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}

pub(crate) async fn snapshot(s: &Session<'_>) -> Result<HotspotSnapshot> {
    let (users, active, schedulers) = (
        s.client.hotspot_users(),
        s.client.hotspot_active(),
        s.client.scheduler(),
    );
    let (users, active, timings) =
        tokio::join!(users.list(), active.list(), schedulers.list_timings());
    let users = users
        .map_err(|e| s.fail(e))?
        .into_iter()
        .map(|u| RemoteHotspotUser {
            id: u.id.0,
            name: u.name,
            profile: u.profile,
            uptime_secs: u.uptime.as_secs(),
            bytes_in: u.bytes_in,
            bytes_out: u.bytes_out,
            disabled: u.disabled,
            comment: u.comment,
            password: u.password.map(secrecy::SecretString::from),
            limit_uptime_secs: u.limit_uptime.map(|d| d.as_secs()).filter(|s| *s > 0),
        })
        .collect();
    let active = active
        .map_err(|e| s.fail(e))?
        .into_iter()
        .map(|a| RemoteHotspotActive {
            id: a.id.0,
            user: a.user,
            address: a.address,
            mac_address: a.mac_address,
            uptime_secs: a.uptime.as_secs(),
        })
        .collect();
    let (clock, schedulers) = match timings {
        Ok((clock, items)) => (
            Some(clock.now),
            items
                .into_iter()
                .filter(|i| i.name.starts_with(SCHEDULER_PREFIX))
                .map(|i| RemoteScheduler {
                    id: i.id.0,
                    name: i.name,
                    start: i.start_date.zip(i.start_time).map(|(d, t)| d.and_time(t)),
                    interval_secs: i.interval.as_secs(),
                    next_run: i.next_run,
                })
                .collect(),
        ),
        // A router without the scheduler has no expiry schedulers to read.
        Err(e) if e.trap_kind() == Some(TrapKind::NoSuchCommand) => (None, Vec::new()),
        Err(e) => return Err(s.fail(e)),
    };
    Ok(HotspotSnapshot {
        clock,
        users,
        active,
        schedulers,
    })
}

/// Rewrites users' comments, pipelined like the removals (a user gone meanwhile is fine).
pub(crate) async fn set_comments(s: &Session<'_>, comments: &[(String, String)]) -> Result<()> {
    let mut inflight = FuturesOrdered::new();
    let mut pending = comments.iter();
    let mut first_error = None;
    loop {
        while inflight.len() < WINDOW {
            let Some((id, comment)) = pending.next() else {
                break;
            };
            let update = HotspotUserUpdate {
                comment: Some(comment.clone()),
                ..HotspotUserUpdate::default()
            };
            let (client, id) = (s.client.clone(), ItemId(id.clone()));
            inflight.push_back(async move { client.hotspot_users().update(&id, &update).await });
        }
        let Some(result) = inflight.next().await else {
            break;
        };
        match result {
            Ok(()) => {}
            Err(e) if e.trap_kind() == Some(TrapKind::NoSuchItem) => {}
            Err(e) => {
                first_error.get_or_insert(s.fail(e));
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}

pub(crate) async fn end_users(s: &Session<'_>, targets: &[HotspotEnd]) -> Result<()> {
    let id = |id: &String| ItemId(id.clone());
    let active: Vec<ItemId> = targets
        .iter()
        .flat_map(|t| t.active_ids.iter().map(id))
        .collect();
    let users: Vec<ItemId> = targets
        .iter()
        .filter_map(|t| t.user_id.as_ref().map(id))
        .collect();
    let schedulers: Vec<ItemId> = targets
        .iter()
        .filter_map(|t| t.scheduler_id.as_ref().map(id))
        .collect();
    // Sessions first (the user goes offline), then the user, then its scheduler.
    remove_ids(s, Menu::Active, &active).await?;
    remove_ids(s, Menu::User, &users).await?;
    if !schedulers.is_empty() {
        remove_ids(s, Menu::Scheduler, &schedulers).await?;
    }
    Ok(())
}
