//! What the adapter does on a router, over one pipelined client.

use std::time::Duration;

use billing_app::ports::{
    Applied, DesiredSecret, IsolationProfile, NewRouterProfile, RemoteProfile, RemoteSecret,
    RemoteSession, RouterAction, RouterCommand, RouterErrorKind, RouterPortError, RouterProbe,
};
use routeros_api::ppp::{NewPppProfile, NewPppSecret, PppSecret, PppSecretUpdate};
use routeros_api::{Client, ItemId, TrapKind};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

use crate::Session;

type Result<T> = std::result::Result<T, RouterPortError>;

fn snapshot(s: &PppSecret) -> serde_json::Value {
    json!({
        "name": s.name, "profile": s.profile, "service": s.service,
        "disabled": s.disabled, "comment": s.comment,
    })
}

/// Applies one outbox command. Every action sets a target state, so repeating it is harmless.
pub(crate) async fn apply(s: &Session<'_>, cmd: &RouterCommand) -> Result<Applied> {
    if cmd.subscription.kind == "hotspot" {
        return crate::subscriber_hotspot::apply(s, cmd).await;
    }
    let login = cmd.subscription.login.as_str();
    match cmd.action {
        RouterAction::RemoveSecret => {
            let before = secret(s, login).await?;
            if let Some(existing) = &before {
                match s.client.ppp_secrets().remove(&existing.id).await {
                    Err(e) if e.trap_kind() == Some(TrapKind::NoSuchItem) => {}
                    other => other.map_err(|e| s.fail(e))?,
                }
            }
            kick(s, login).await?;
            Ok(Applied {
                before: before.as_ref().map(snapshot),
                after: None,
            })
        }
        RouterAction::Kick => {
            let ended = kick(s, login).await?;
            Ok(Applied {
                before: None,
                after: Some(json!({ "sessions_ended": ended })),
            })
        }
        action => {
            let desired = cmd.desired.as_ref().ok_or_else(|| gone(login))?;
            if desired.profile == s.conn.isolation.name {
                ensure_isolation_profile(s, &s.conn.isolation).await?;
            }
            let (before, after) = ensure_secret(s, desired).await?;
            let profile_changed = before
                .as_ref()
                .is_some_and(|b| b.profile != desired.profile);
            if matches!(action, RouterAction::Isolate | RouterAction::Restore) || profile_changed {
                // The session redials and gets the new profile.
                kick(s, login).await?;
            }
            Ok(Applied {
                before: before.as_ref().map(snapshot),
                after: Some(after),
            })
        }
    }
}

/// The subscription was deleted before its command was delivered.
pub(crate) fn gone(login: &str) -> RouterPortError {
    RouterPortError::new(
        RouterErrorKind::NotFound,
        format!("the subscription of {login} is gone; nothing to apply"),
    )
}

async fn secret(s: &Session<'_>, login: &str) -> Result<Option<PppSecret>> {
    s.client
        .ppp_secrets()
        .get_by_name(login)
        .await
        .map_err(|e| s.fail(e))
}

/// Adds the secret, or sets it to the desired profile, password and enabled state.
async fn ensure_secret(
    s: &Session<'_>,
    d: &DesiredSecret,
) -> Result<(Option<PppSecret>, serde_json::Value)> {
    let before = secret(s, &d.login).await?;
    let after = json!({
        "name": d.login, "profile": d.profile, "service": "pppoe", "disabled": false,
    });
    match &before {
        None => {
            let new = NewPppSecret {
                name: d.login.clone(),
                password: d.password.expose_secret().to_owned(),
                service: Some("pppoe".into()),
                profile: Some(d.profile.clone()),
                comment: Some(d.comment.clone()),
                ..NewPppSecret::default()
            };
            s.client
                .ppp_secrets()
                .add(&new)
                .await
                .map_err(|e| s.fail(e))?;
        }
        Some(existing) => {
            let ours = existing
                .comment
                .as_deref()
                .is_some_and(|c| c.starts_with("PPPOE_SYSTEM|"));
            let update = PppSecretUpdate {
                password: Some(d.password.expose_secret().to_owned()),
                profile: Some(d.profile.clone()),
                service: Some("pppoe".into()),
                disabled: Some(false),
                comment: (!ours).then(|| d.comment.clone()),
                ..PppSecretUpdate::default()
            };
            s.client
                .ppp_secrets()
                .update(&existing.id, &update)
                .await
                .map_err(|e| s.fail(e))?;
        }
    }
    Ok((before, after))
}

/// Creates the isolation profile (rate limit + address-list) once per router if missing.
async fn ensure_isolation_profile(s: &Session<'_>, iso: &IsolationProfile) -> Result<()> {
    let mut known = s.known_profiles().lock().await;
    if known.contains(&iso.name) {
        return Ok(());
    }
    let existing = s
        .client
        .ppp_profiles()
        .get_by_name(&iso.name)
        .await
        .map_err(|e| s.fail(e))?;
    if existing.is_none() {
        let add = NewPppProfile {
            name: iso.name.clone(),
            rate_limit: Some(iso.rate_limit.clone()),
            address_list: Some(iso.address_list.clone()),
            comment: Some(iso.marker.clone()),
        };
        match s.client.ppp_profiles().create(&add).await {
            Err(e) if e.trap_kind() == Some(TrapKind::AlreadyExists) => {}
            other => {
                other.map_err(|e| s.fail(e))?;
            }
        }
        tracing::info!(router = %s.conn.name, profile = %iso.name, "isolation profile created");
    }
    known.insert(iso.name.clone());
    Ok(())
}

/// Ends every PPPoE session of `login`; returns how many.
pub(crate) async fn kick(s: &Session<'_>, login: &str) -> Result<usize> {
    let ids = s
        .client
        .ppp_active()
        .ids_by_name(login)
        .await
        .map_err(|e| s.fail(e))?;
    end_sessions(s, ids, async |c: &Client, id: &ItemId| {
        c.ppp_active().remove(id).await
    })
    .await
}

/// Ends the sessions `ids` one by one with `remove`; returns how many. A session that ended
/// meanwhile is not an error.
pub(crate) async fn end_sessions(
    s: &Session<'_>,
    ids: Vec<ItemId>,
    remove: impl AsyncFn(&Client, &ItemId) -> std::result::Result<(), routeros_api::Error>,
) -> Result<usize> {
    let mut ended = 0;
    for id in ids {
        match remove(&s.client, &id).await {
            Ok(()) => ended += 1,
            Err(e) if e.trap_kind() == Some(TrapKind::NoSuchItem) => {}
            Err(e) => return Err(s.fail(e)),
        }
    }
    Ok(ended)
}

pub(crate) async fn probe(s: &Session<'_>, check_write: bool) -> Result<RouterProbe> {
    let identity = s.client.identity().await.map_err(|e| s.fail(e))?;
    let res = s.client.system_resource().await.map_err(|e| s.fail(e))?;
    let can_write = if check_write {
        match s.client.set_identity(&identity).await {
            Ok(()) => true,
            Err(e) if e.trap_kind() == Some(TrapKind::NotEnoughPermissions) => false,
            Err(e) => return Err(s.fail(e)),
        }
    } else {
        true
    };
    Ok(RouterProbe {
        identity,
        board: res
            .board_name
            .clone()
            .unwrap_or_else(|| "unknown board".into()),
        version: res.version.clone(),
        cpu_load: i32::try_from(res.cpu_load).ok(),
        free_memory: i64::try_from(res.free_memory).ok(),
        uptime: Some(format_duration(res.uptime)),
        can_read: true,
        can_write,
        can_read_sensitive: sensitive_policy(s).await,
    })
}

/// Load, active users and interface counters for the router charts.
pub(crate) async fn sample(s: &Session<'_>) -> Result<billing_app::ports::RouterSample> {
    let (ppp, hotspot) = (s.client.ppp_active(), s.client.hotspot_active());
    let (res, ifaces, ppp, hotspot) = tokio::join!(
        s.client.system_resource(),
        s.client.interfaces(),
        ppp.ids(),
        hotspot.ids(),
    );
    let res = res.map_err(|e| s.fail(e))?;
    let ifaces = ifaces.map_err(|e| s.fail(e))?;
    let ppp = ppp.map_err(|e| s.fail(e))?.len();
    let hotspot = match hotspot {
        Ok(rows) => rows.len(),
        // A router without the hotspot package has no such menu.
        Err(e) if e.trap_kind() == Some(TrapKind::NoSuchCommand) => 0,
        Err(e) => return Err(s.fail(e)),
    };
    let big = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    Ok(billing_app::ports::RouterSample {
        cpu_load: i32::try_from(res.cpu_load).unwrap_or(100),
        free_memory: big(res.free_memory),
        total_memory: big(res.total_memory),
        hotspot_active: i32::try_from(hotspot).unwrap_or(i32::MAX),
        pppoe_active: i32::try_from(ppp).unwrap_or(i32::MAX),
        interfaces: ifaces
            .into_iter()
            // Per-session interfaces (`<pppoe-name>`) come and go; the totals are on the ports.
            .filter(|i| !i.name.starts_with('<') && !i.disabled)
            .map(|i| billing_app::ports::InterfaceCounters {
                name: i.name,
                rx_byte: big(i.rx_byte),
                tx_byte: big(i.tx_byte),
            })
            .collect(),
    })
}

/// Whether the API user's group has `sensitive`, from `/user` and `/user/group` (`None` if
/// the router does not let us read them).
async fn sensitive_policy(s: &Session<'_>) -> Option<bool> {
    let user = s
        .client
        .users()
        .get_by_name(&s.conn.username)
        .await
        .ok()??;
    let group = s
        .client
        .user_groups()
        .get_by_name(&user.group?)
        .await
        .ok()??;
    Some(group.allows("sensitive"))
}

fn format_duration(d: Duration) -> String {
    let mut secs = d.as_secs();
    let mut out = String::new();
    for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)] {
        if secs >= size {
            out.push_str(&format!("{}{unit}", secs / size));
            secs %= size;
        }
    }
    if secs > 0 || out.is_empty() {
        out.push_str(&format!("{secs}s"));
    }
    out
}

pub(crate) async fn profiles(s: &Session<'_>) -> Result<Vec<RemoteProfile>> {
    let (ppp, hotspot) = (s.client.ppp_profiles(), s.client.hotspot_profiles());
    let (ppp, hotspot) = tokio::join!(ppp.list(), hotspot.list());
    let mut out: Vec<RemoteProfile> = ppp
        .map_err(|e| s.fail(e))?
        .into_iter()
        .map(|p| RemoteProfile {
            kind: "ppp".into(),
            name: p.name,
            rate_limit: p.rate_limit,
            comment: p.comment.filter(|c| !c.is_empty()),
            on_login: None,
            shared_users: None,
        })
        .collect();
    match hotspot {
        Ok(list) => out.extend(list.into_iter().map(|p| RemoteProfile {
            kind: "hotspot".into(),
            name: p.name,
            rate_limit: p.rate_limit,
            comment: None,
            on_login: p.on_login,
            shared_users: u32::try_from(p.shared_users).ok(),
        })),
        // A router without the hotspot package has no such menu.
        Err(e) if e.trap_kind() == Some(TrapKind::NoSuchCommand) => {}
        Err(e) => return Err(s.fail(e)),
    }
    Ok(out)
}

pub(crate) async fn secrets(s: &Session<'_>) -> Result<Vec<RemoteSecret>> {
    let list = s.client.ppp_secrets().list().await.map_err(|e| s.fail(e))?;
    Ok(list
        .into_iter()
        .map(|p| RemoteSecret {
            name: p.name,
            profile: p.profile,
            service: p.service,
            disabled: p.disabled,
            comment: p.comment,
            password: p.password.map(SecretString::from),
        })
        .collect())
}

pub(crate) async fn sessions(s: &Session<'_>) -> Result<Vec<RemoteSession>> {
    let list = s.client.ppp_active().list().await.map_err(|e| s.fail(e))?;
    Ok(list
        .into_iter()
        .map(|a| RemoteSession {
            id: a.id.0,
            name: a.name,
            service: a.service,
            caller_id: a.caller_id,
            address: a.address,
            uptime_secs: a.uptime.as_secs(),
        })
        .collect())
}

/// A plan's profile made on the router: a PPP profile with the marker as its comment, or a
/// hotspot user profile with it in the on-login script (hotspot profiles keep no comment).
pub(crate) async fn create_profile(s: &Session<'_>, p: &NewRouterProfile) -> Result<()> {
    let created = if p.kind == "hotspot" {
        s.client
            .hotspot_profiles()
            .add(&routeros_api::hotspot::NewHotspotProfile {
                name: p.name.clone(),
                rate_limit: p.rate_limit.clone(),
                on_login: Some(format!(":put \"{}\"", p.marker)),
                ..routeros_api::hotspot::NewHotspotProfile::default()
            })
            .await
    } else {
        s.client
            .ppp_profiles()
            .create(&NewPppProfile {
                name: p.name.clone(),
                rate_limit: p.rate_limit.clone(),
                address_list: None,
                comment: Some(p.marker.clone()),
            })
            .await
    };
    created.map(drop).map_err(|e| s.fail(e))
}
