//! Hotspot vouchers on a router: profiles, batch writes (pipelined, stopping at the first
//! failure), the monitor's snapshot and the removal of ended vouchers.

use std::collections::HashSet;

use billing_app::ports::{
    DesiredHotspotProfile, HotspotEnd, HotspotSnapshot, HotspotWriteError, NewHotspotUser,
    RemoteHotspotActive, RemoteHotspotUser, RemoteScheduler, RouterPortError,
};
use futures::stream::{FuturesOrdered, StreamExt};
use routeros_api::parse::{format_duration, parse_date, parse_date_time, parse_duration};
use routeros_api::{Command, Row, TrapKind};
use secrecy::ExposeSecret;

use crate::Session;

type Result<T> = std::result::Result<T, RouterPortError>;

const USER: &str = "/ip/hotspot/user";
const PROFILE: &str = "/ip/hotspot/user/profile";
const ACTIVE: &str = "/ip/hotspot/active";
const SCHEDULER: &str = "/system/scheduler";
/// Prefix of the per-voucher expiry schedulers the profile's on-login script creates.
pub const SCHEDULER_PREFIX: &str = "mbx-";
/// Writes in flight at once on one connection: at a 20 ms round trip, 10,000 vouchers are 20
/// windows (0.4 s) instead of 39; a router works through them in order either way.
const WINDOW: usize = 512;

pub(crate) async fn ensure_profile(s: &Session<'_>, p: &DesiredHotspotProfile) -> Result<()> {
    let rows = s
        .client
        .run(Command::new(format!("{PROFILE}/print")).query_eq("name", &p.name))
        .await
        .map_err(|e| s.fail(e))?;
    let rate = p.rate_limit.clone().unwrap_or_default();
    let script = p.on_login.clone().unwrap_or_default();
    let cmd = match rows.first().and_then(|r| r.id().map(|id| id.into_owned())) {
        Some(id) => Command::new(format!("{PROFILE}/set")).id(id),
        None => Command::new(format!("{PROFILE}/add")).attr("name", &p.name),
    };
    s.client
        .call(
            cmd.attr("rate-limit", rate)
                .attr("shared-users", p.shared_users.to_string())
                .attr("on-login", script),
        )
        .await
        .map_err(|e| s.fail(e))?;
    if let Some(script) = &p.expiry_sweeper {
        ensure_sweeper(s, script).await?;
    }
    s.known_profiles().lock().await.insert(p.name.clone());
    Ok(())
}

/// The router-wide voucher expiry sweeper: added once, rewritten only when its script or
/// rhythm differ (so saving profiles does not reset it). It runs every interval counted from
/// each boot (`start-time=startup`), whatever the clock shows.
async fn ensure_sweeper(s: &Session<'_>, script: &str) -> Result<()> {
    use billing_app::vouchers::expiry::{SWEEPER_NAME, SWEEP_INTERVAL};
    let rows = s
        .client
        .run(Command::new(format!("{SCHEDULER}/print")).query_eq("name", SWEEPER_NAME))
        .await
        .map_err(|e| s.fail(e))?;
    let interval = parse_duration(SWEEP_INTERVAL).ok();
    let cmd = match rows.first() {
        Some(r)
            if r.get_string("on-event").as_deref() == Some(script)
                && r.get("interval").and_then(|v| parse_duration(&v).ok()) == interval
                && r.get_string("start-time").as_deref() == Some("startup")
                && !r.get_bool("disabled").unwrap_or(false) =>
        {
            return Ok(())
        }
        Some(r) => match r.id() {
            Some(id) => Command::new(format!("{SCHEDULER}/set")).id(id.into_owned()),
            None => return Ok(()),
        },
        None => Command::new(format!("{SCHEDULER}/add")).attr("name", SWEEPER_NAME),
    };
    s.client
        .call(
            cmd.attr("start-time", "startup")
                .attr("interval", SWEEP_INTERVAL)
                .attr("policy", "read,write,test")
                .attr("disabled", "no")
                .attr("comment", "VOUCHER_SYSTEM|expiry sweeper")
                .attr("on-event", script),
        )
        .await
        .map_err(|e| s.fail(e))?;
    Ok(())
}

pub(crate) async fn user_names(s: &Session<'_>) -> Result<Vec<String>> {
    let rows = s
        .client
        .run(Command::new(format!("{USER}/print")).proplist(["name"]))
        .await
        .map_err(|e| s.fail(e))?;
    Ok(rows.iter().filter_map(|r| r.get_string("name")).collect())
}

fn add_command(u: &NewHotspotUser) -> Command {
    Command::new(format!("{USER}/add"))
        .attr("name", &u.name)
        .attr("password", u.password.expose_secret())
        .attr("profile", &u.profile)
        .attr_opt(
            "limit-uptime",
            u.limit_uptime_secs
                .map(|s| format_duration(std::time::Duration::from_secs(s))),
        )
        .attr_opt(
            "limit-bytes-total",
            u.limit_bytes_total.map(|b| b.to_string()),
        )
        .attr("comment", &u.comment)
}

pub(crate) async fn add_users(
    s: &Session<'_>,
    users: &[NewHotspotUser],
    progress: &(dyn Fn(usize) + Send + Sync),
) -> std::result::Result<Vec<String>, HotspotWriteError> {
    let mut inflight = FuturesOrdered::new();
    let mut next = 0;
    let mut ids = Vec::with_capacity(users.len());
    let mut failure: Option<(usize, String)> = None;
    loop {
        while failure.is_none() && next < users.len() && inflight.len() < WINDOW {
            let i = next;
            let cmd = add_command(&users[i]);
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
                    failure = Some((i, "the router did not say which id it gave the user".into()));
                }
                None => {}
            },
            Err(e) if failure.is_none() => {
                let words = s.fail(e);
                failure = Some((i, words.0));
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
        Some((index, message)) => Err(HotspotWriteError {
            index,
            message,
            added: ids,
        }),
    }
}

/// Removes the named users (those still there), pipelined.
pub(crate) async fn remove_users(s: &Session<'_>, names: &[String]) -> Result<usize> {
    let wanted: HashSet<&str> = names.iter().map(String::as_str).collect();
    let rows = s
        .client
        .run(Command::new(format!("{USER}/print")).proplist([".id", "name"]))
        .await
        .map_err(|e| s.fail(e))?;
    let ids: Vec<String> = rows
        .iter()
        .filter(|r| r.get("name").is_some_and(|n| wanted.contains(n.as_ref())))
        .filter_map(|r| r.id().map(|id| id.into_owned()))
        .collect();
    remove_ids(s, USER, &ids).await?;
    Ok(ids.len())
}

async fn remove_ids(s: &Session<'_>, menu: &str, ids: &[String]) -> Result<()> {
    let mut inflight = FuturesOrdered::new();
    let mut pending = ids.iter();
    let mut first_error = None;
    loop {
        while inflight.len() < WINDOW {
            let Some(id) = pending.next() else { break };
            let client = s.client.clone();
            let cmd = Command::new(format!("{menu}/remove")).id(id.clone());
            inflight.push_back(async move { client.call(cmd).await });
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

fn secs(row: &Row, key: &str) -> u64 {
    row.get(key)
        .and_then(|v| parse_duration(&v).ok())
        .map_or(0, |d| d.as_secs())
}

pub(crate) async fn snapshot(s: &Session<'_>) -> Result<HotspotSnapshot> {
    let users = s
        .client
        .run(Command::new(format!("{USER}/print")).proplist([
            ".id",
            "name",
            "profile",
            "uptime",
            "bytes-in",
            "bytes-out",
            "disabled",
            "comment",
            "password",
            "limit-uptime",
        ]));
    let active = s
        .client
        .run(Command::new(format!("{ACTIVE}/print")).proplist([
            ".id",
            "user",
            "address",
            "mac-address",
            "uptime",
        ]));
    let schedulers = s
        .client
        .run(Command::new(format!("{SCHEDULER}/print")).proplist([
            ".id",
            "name",
            "start-date",
            "start-time",
            "interval",
            "next-run",
        ]));
    let clock = s.client.run(Command::new("/system/clock/print"));
    let (users, active, schedulers, clock) = tokio::join!(users, active, schedulers, clock);
    let users = users
        .map_err(|e| s.fail(e))?
        .iter()
        .filter_map(|r| {
            Some(RemoteHotspotUser {
                id: r.id()?.into_owned(),
                name: r.get_string("name")?,
                profile: r.get_string("profile").unwrap_or_default(),
                uptime_secs: secs(r, "uptime"),
                bytes_in: r.get_u64("bytes-in").unwrap_or(0),
                bytes_out: r.get_u64("bytes-out").unwrap_or(0),
                disabled: r.get_bool("disabled").unwrap_or(false),
                comment: r.get_string("comment"),
                password: r.get_string("password").map(secrecy::SecretString::from),
                limit_uptime_secs: r
                    .get_string("limit-uptime")
                    .and_then(|t| parse_duration(&t).ok())
                    .map(|d| d.as_secs())
                    .filter(|s| *s > 0),
            })
        })
        .collect();
    let active = active
        .map_err(|e| s.fail(e))?
        .iter()
        .filter_map(|r| {
            Some(RemoteHotspotActive {
                id: r.id()?.into_owned(),
                user: r.get_string("user")?,
                address: r.get_string("address"),
                mac_address: r.get_string("mac-address"),
                uptime_secs: secs(r, "uptime"),
            })
        })
        .collect();
    let schedulers = match schedulers {
        Ok(rows) => rows
            .iter()
            .filter_map(|r| {
                let name = r.get_string("name")?;
                if !name.starts_with(SCHEDULER_PREFIX) {
                    return None;
                }
                let start = match (r.get("start-date"), r.get("start-time")) {
                    (Some(d), Some(t)) => parse_date(&d).ok().and_then(|d| {
                        chrono::NaiveTime::parse_from_str(&t, "%H:%M:%S")
                            .ok()
                            .map(|t| d.and_time(t))
                    }),
                    _ => None,
                };
                Some(RemoteScheduler {
                    id: r.id()?.into_owned(),
                    name,
                    start,
                    interval_secs: secs(r, "interval"),
                    next_run: r.get("next-run").and_then(|v| parse_date_time(&v).ok()),
                })
            })
            .collect(),
        Err(e) if e.trap_kind() == Some(TrapKind::NoSuchCommand) => Vec::new(),
        Err(e) => return Err(s.fail(e)),
    };
    let clock = match clock {
        Ok(rows) => rows.first().and_then(|r| {
            let date = parse_date(&r.get("date")?).ok()?;
            let time = chrono::NaiveTime::parse_from_str(&r.get("time")?, "%H:%M:%S").ok()?;
            Some(date.and_time(time))
        }),
        Err(e) if e.trap_kind() == Some(TrapKind::NoSuchCommand) => None,
        Err(e) => return Err(s.fail(e)),
    };
    Ok(HotspotSnapshot {
        clock,
        users,
        active,
        schedulers,
    })
}

pub(crate) async fn end_users(s: &Session<'_>, targets: &[HotspotEnd]) -> Result<()> {
    let active: Vec<String> = targets
        .iter()
        .flat_map(|t| t.active_ids.iter().cloned())
        .collect();
    let users: Vec<String> = targets.iter().filter_map(|t| t.user_id.clone()).collect();
    let schedulers: Vec<String> = targets
        .iter()
        .filter_map(|t| t.scheduler_id.clone())
        .collect();
    // Sessions first (the user goes offline), then the user, then its scheduler.
    remove_ids(s, ACTIVE, &active).await?;
    remove_ids(s, USER, &users).await?;
    if !schedulers.is_empty() {
        remove_ids(s, SCHEDULER, &schedulers).await?;
    }
    Ok(())
}
