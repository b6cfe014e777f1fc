//! Monthly hotspot subscriptions on a router: one `/ip/hotspot/user` per subscription, named
//! by its login, on the plan's hotspot user profile, with our marker comment. Isolation
//! disables the user and ends its session (a hotspot user has no isolation profile to move
//! to); restoring enables it again. Every write sets a target state, so repeating is harmless.

use billing_app::ports::{Applied, DesiredSecret, RouterAction, RouterCommand, RouterPortError};
use routeros_api::hotspot::{HotspotUser, HotspotUserUpdate, NewHotspotUser};
use routeros_api::{Client, ItemId, TrapKind};
use secrecy::ExposeSecret;
use serde_json::json;

use crate::Session;

type Result<T> = std::result::Result<T, RouterPortError>;

fn snapshot(user: &HotspotUser) -> serde_json::Value {
    json!({
        "name": user.name, "profile": user.profile, "disabled": user.disabled,
        "comment": user.comment, "kind": "hotspot",
    })
}

async fn user(s: &Session<'_>, login: &str) -> Result<Option<HotspotUser>> {
    s.client
        .hotspot_users()
        .get_by_name(login)
        .await
        .map_err(|e| s.fail(e))
}

/// Applies one outbox command to a hotspot subscription.
pub(crate) async fn apply(s: &Session<'_>, cmd: &RouterCommand) -> Result<Applied> {
    let login = cmd.subscription.login.as_str();
    match cmd.action {
        RouterAction::RemoveSecret => {
            let before = user(s, login).await?;
            if let Some(existing) = &before {
                match s.client.hotspot_users().remove(&existing.id).await {
                    Err(e) if e.trap_kind() == Some(TrapKind::NoSuchItem) => {}
                    other => {
                        other.map_err(|e| s.fail(e))?;
                    }
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
            let desired = cmd
                .desired
                .as_ref()
                .ok_or_else(|| crate::ops::gone(login))?;
            let before = ensure_user(s, desired).await?;
            let changed = before
                .as_ref()
                .is_some_and(|b| b.profile != desired.profile || b.disabled != desired.disabled);
            if desired.disabled
                || matches!(action, RouterAction::Isolate | RouterAction::Restore)
                || changed
            {
                kick(s, login).await?;
            }
            Ok(Applied {
                before: before.as_ref().map(snapshot),
                after: Some(json!({
                    "name": desired.login, "profile": desired.profile,
                    "disabled": desired.disabled, "kind": "hotspot",
                })),
            })
        }
    }
}

async fn ensure_user(s: &Session<'_>, d: &DesiredSecret) -> Result<Option<HotspotUser>> {
    let before = user(s, &d.login).await?;
    let users = s.client.hotspot_users();
    let written = match &before {
        None => {
            let new = NewHotspotUser {
                name: d.login.clone(),
                password: d.password.expose_secret().to_owned(),
                profile: Some(d.profile.clone()),
                comment: Some(d.comment.clone()),
                disabled: Some(d.disabled),
                ..NewHotspotUser::default()
            };
            users.add(&new).await.map(drop)
        }
        Some(existing) => {
            let ours = existing
                .comment
                .as_deref()
                .is_some_and(|c| c.starts_with("PPPOE_SYSTEM|"));
            let update = HotspotUserUpdate {
                password: Some(d.password.expose_secret().to_owned()),
                profile: Some(d.profile.clone()),
                comment: (!ours).then(|| d.comment.clone()),
                disabled: Some(d.disabled),
                ..HotspotUserUpdate::default()
            };
            users.update(&existing.id, &update).await
        }
    };
    written.map_err(|e| s.fail(e))?;
    Ok(before)
}

/// Ends every hotspot session of `login`; returns how many.
async fn kick(s: &Session<'_>, login: &str) -> Result<usize> {
    let ids = s
        .client
        .hotspot_active()
        .ids_by_user(login)
        .await
        .map_err(|e| s.fail(e))?;
    crate::ops::end_sessions(s, ids, async |c: &Client, id: &ItemId| {
        c.hotspot_active().remove(id).await
    })
    .await
}
