//! Monthly hotspot subscriptions on a router: one `/ip/hotspot/user` per subscription, named
//! by its login, on the plan's hotspot user profile, with our marker comment. Isolation
//! disables the user and ends its session (a hotspot user has no isolation profile to move
//! to); restoring enables it again. Every write sets a target state, so repeating is harmless.

use billing_app::ports::{Applied, DesiredSecret, RouterAction, RouterCommand, RouterPortError};
use routeros_api::{Command, Row, TrapKind};
use secrecy::ExposeSecret;
use serde_json::json;

use crate::Session;

type Result<T> = std::result::Result<T, RouterPortError>;

const USER: &str = "/ip/hotspot/user";
const ACTIVE: &str = "/ip/hotspot/active";

struct HotspotUser {
    id: String,
    profile: String,
    disabled: bool,
    comment: Option<String>,
}

impl HotspotUser {
    fn snapshot(&self, name: &str) -> serde_json::Value {
        json!({
            "name": name, "profile": self.profile, "disabled": self.disabled,
            "comment": self.comment, "kind": "hotspot",
        })
    }
}

fn from_row(row: &Row) -> Option<HotspotUser> {
    Some(HotspotUser {
        id: row.id()?.into_owned(),
        profile: row.get_string("profile").unwrap_or_default(),
        disabled: row.get_string("disabled").as_deref() == Some("true"),
        comment: row.get_string("comment"),
    })
}

async fn user(s: &Session<'_>, login: &str) -> Result<Option<HotspotUser>> {
    let rows = s
        .client
        .run(Command::new(format!("{USER}/print")).query_eq("name", login))
        .await
        .map_err(|e| s.fail(e))?;
    Ok(rows.first().and_then(from_row))
}

/// Applies one outbox command to a hotspot subscription.
pub(crate) async fn apply(s: &Session<'_>, cmd: &RouterCommand) -> Result<Applied> {
    let login = cmd.subscription.login.as_str();
    match cmd.action {
        RouterAction::RemoveSecret => {
            let before = user(s, login).await?;
            if let Some(existing) = &before {
                match s
                    .client
                    .call(Command::new(format!("{USER}/remove")).id(existing.id.as_str()))
                    .await
                {
                    Err(e) if e.trap_kind() == Some(TrapKind::NoSuchItem) => {}
                    other => {
                        other.map_err(|e| s.fail(e))?;
                    }
                }
            }
            kick(s, login).await?;
            Ok(Applied {
                before: before.as_ref().map(|b| b.snapshot(login)),
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
            let desired = cmd.desired.as_ref().ok_or_else(|| {
                RouterPortError(format!(
                    "the subscription of {login} is gone; nothing to apply"
                ))
            })?;
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
                before: before.as_ref().map(|b| b.snapshot(login)),
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
    let disabled = if d.disabled { "yes" } else { "no" };
    let cmd = match &before {
        None => Command::new(format!("{USER}/add"))
            .attr("name", &d.login)
            .attr("comment", &d.comment),
        Some(existing) => {
            let set = Command::new(format!("{USER}/set")).id(existing.id.as_str());
            let ours = existing
                .comment
                .as_deref()
                .is_some_and(|c| c.starts_with("PPPOE_SYSTEM|"));
            if ours {
                set
            } else {
                set.attr("comment", &d.comment)
            }
        }
    };
    s.client
        .call(
            cmd.attr("password", d.password.expose_secret())
                .attr("profile", &d.profile)
                .attr("disabled", disabled),
        )
        .await
        .map_err(|e| s.fail(e))?;
    Ok(before)
}

/// Ends every hotspot session of `login`; returns how many.
async fn kick(s: &Session<'_>, login: &str) -> Result<usize> {
    crate::ops::end_sessions(s, ACTIVE, "user", login).await
}
