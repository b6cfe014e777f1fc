//! The setup checklist on the home screen: what a new shop still has to set up before
//! customers can be billed, paid and messaged, each item with where it is done. Read from the
//! same rows the rest of the app uses, so an item is done exactly when the feature works.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::billing::business;
use crate::{AppContext, Error};

/// One thing to set up.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ChecklistItem {
    /// `business_profile`, `public_address`, `payment_method`, `whatsapp`, `router` or `backup`.
    pub key: String,
    pub done: bool,
    /// Where in the dashboard it is done, e.g. `/settings?tab=public`.
    pub link: String,
    /// What was found, for the dashboard's translation (e.g. `missing`, `loopback`,
    /// `unchecked`, `gateway`, `bank_transfer`, `none`, `unreachable`, `connected`).
    pub state: String,
    /// Values the translated text uses (e.g. `missing`: `phone,bank_accounts`).
    pub params: BTreeMap<String, String>,
    /// What was found, in plain English.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SetupChecklist {
    pub items: Vec<ChecklistItem>,
    /// How many items are done.
    pub done: usize,
    /// Every item is done: the home screen no longer shows the list.
    pub complete: bool,
}

fn item(
    key: &str,
    done: bool,
    link: &str,
    state: &str,
    params: &[(&str, String)],
    detail: impl Into<String>,
) -> ChecklistItem {
    ChecklistItem {
        key: key.to_owned(),
        done,
        link: link.to_owned(),
        state: state.to_owned(),
        params: params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
        detail: detail.into(),
    }
}

/// The checklist as it stands now.
#[tracing::instrument(skip_all)]
pub async fn checklist(ctx: &AppContext) -> Result<SetupChecklist, Error> {
    let profile = business::get(ctx).await?;
    let address = business::public_address(ctx).await?;
    let gateways: Vec<String> =
        sqlx::query_scalar("select gateway from gateway_settings where enabled order by gateway")
            .fetch_all(&ctx.pool)
            .await?;
    let (sessions, connected): (i64, i64) = sqlx::query_as(
        "select count(*), count(*) filter (where enabled and status = 'healthy') \
         from whatsapp_sessions",
    )
    .fetch_one(&ctx.pool)
    .await?;
    let (routers, online): (i64, i64) =
        sqlx::query_as("select count(*), count(*) filter (where status = 'online') from routers")
            .fetch_one(&ctx.pool)
            .await?;
    let backups: i64 = sqlx::query_scalar("select count(*) from backups where status = 'ok'")
        .fetch_one(&ctx.pool)
        .await?;

    let mut missing = Vec::new();
    for (field, value) in [
        ("name", &profile.name),
        ("phone", &profile.phone),
        ("address", &profile.address),
    ] {
        if value.trim().is_empty() {
            missing.push(field);
        }
    }
    if profile.bank_accounts.is_empty() {
        missing.push("bank_accounts");
    }
    let business_item = if missing.is_empty() {
        item(
            "business_profile",
            true,
            "/settings",
            "complete",
            &[("name", profile.name.clone())],
            format!("{} with its phone, address and bank accounts", profile.name),
        )
    } else {
        item(
            "business_profile",
            false,
            "/settings",
            "missing",
            &[("missing", missing.join(","))],
            format!("still missing: {}", missing.join(", ").replace('_', " ")),
        )
    };

    let checkout_gateway = ctx
        .gateways
        .all()
        .into_iter()
        .find(|g| g.supports_checkout())
        .map(|g| g.code().to_owned());
    let address_item = match (&address.url, address.checked_at) {
        _ if profile.pay_without_public_address => match &checkout_gateway {
            Some(gateway) => item(
                "public_address",
                true,
                "/settings?tab=public",
                "gateway_checkout",
                &[("gateway", gateway.clone())],
                format!(
                    "no public address needed: pay links are {gateway}'s own checkout page and \
                     payments are confirmed by checking with {gateway} every few minutes"
                ),
            ),
            None => item(
                "public_address",
                false,
                "/settings?tab=online",
                "checkout_no_gateway",
                &[],
                "paying on the gateway's checkout page is chosen, but no enabled gateway has \
                 one: enable Duitku",
            ),
        },
        (None, _) => item(
            "public_address",
            false,
            "/settings?tab=public",
            "not_set",
            &[],
            "no public address: pay links point at this computer, which customers cannot reach",
        ),
        (Some(url), _) if business::is_loopback_url(url) => item(
            "public_address",
            false,
            "/settings?tab=public",
            "loopback",
            &[("url", url.clone())],
            format!("{url} is this computer itself: customers and gateways cannot reach it"),
        ),
        (Some(url), None) => item(
            "public_address",
            false,
            "/settings?tab=public",
            "unchecked",
            &[("url", url.clone())],
            format!("{url} has not been checked: press Check on the public address tab"),
        ),
        (Some(url), Some(at)) => item(
            "public_address",
            true,
            "/settings?tab=public",
            "reachable",
            &[("url", url.clone()), ("checked_at", at.to_rfc3339())],
            format!("{url} reached this app"),
        ),
    };

    let working: Vec<&String> = gateways
        .iter()
        .filter(|g| ctx.gateways.get(g).is_some())
        .collect();
    let payment_item = if let Some(first) = working.first() {
        let names = working
            .iter()
            .map(|g| g.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        item(
            "payment_method",
            true,
            "/settings?tab=online",
            "gateway",
            &[("gateways", names.clone()), ("gateway", (*first).clone())],
            format!("online payment through {names}"),
        )
    } else if !profile.bank_accounts.is_empty() {
        item(
            "payment_method",
            true,
            "/settings",
            "bank_transfer",
            &[("count", profile.bank_accounts.len().to_string())],
            "customers pay by bank transfer to the shop's accounts",
        )
    } else {
        item(
            "payment_method",
            false,
            "/settings?tab=online",
            "none",
            &[],
            "customers have no way to pay except at the counter: enable a payment gateway or \
             enter a bank account for transfers",
        )
    };

    let whatsapp_item = match (sessions, connected) {
        (_, c) if c > 0 => item(
            "whatsapp",
            true,
            "/whatsapp",
            "connected",
            &[("count", c.to_string())],
            "a WhatsApp session is connected",
        ),
        (0, _) => item(
            "whatsapp",
            false,
            "/whatsapp",
            "none",
            &[],
            "no WhatsApp session: invoices and reminders are not sent",
        ),
        (n, _) => item(
            "whatsapp",
            false,
            "/whatsapp",
            "not_connected",
            &[("count", n.to_string())],
            "no WhatsApp session is connected yet: pair one or check its settings",
        ),
    };

    let router_item = match (routers, online) {
        (_, o) if o > 0 => item(
            "router",
            true,
            "/routers",
            "reachable",
            &[("count", o.to_string())],
            "a router is added and answers",
        ),
        (0, _) => item(
            "router",
            false,
            "/routers",
            "none",
            &[],
            "no router yet: add your MikroTik so subscriptions reach it",
        ),
        (n, _) => item(
            "router",
            false,
            "/routers",
            "unreachable",
            &[("count", n.to_string())],
            "no router answered yet: test the connection on the Routers page",
        ),
    };

    let backup_item = if backups > 0 {
        item(
            "backup",
            true,
            "/backups",
            "made",
            &[("count", backups.to_string())],
            "a backup has been made and verified",
        )
    } else {
        item(
            "backup",
            false,
            "/backups",
            "none",
            &[],
            "no backup yet: make one now (it then runs every day by itself)",
        )
    };

    let items = vec![
        business_item,
        address_item,
        payment_item,
        whatsapp_item,
        router_item,
        backup_item,
    ];
    let done = items.iter().filter(|i| i.done).count();
    Ok(SetupChecklist {
        complete: done == items.len(),
        done,
        items,
    })
}
