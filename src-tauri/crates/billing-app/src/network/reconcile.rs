//! Reconciliation of router ↔ database: secrets missing on the router, extra ones that
//! carry our marker, and secrets whose profile, disabled state or password differ.
//! `check` only reads; `repair` queues the fixes in the outbox (audited when applied).

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use chrono::{DateTime, Utc};
use secrecy::ExposeSecret;
use serde::Serialize;
use uuid::Uuid;

use crate::crypto::Cipher;
use crate::network::outbox::{self, marker_subscription, NewCommand};
use crate::ports::{RemoteSecret, RouterAction};
use crate::{network::routers, AppContext, Error};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// The subscription has no secret on the router.
    Missing,
    /// A secret with our marker that no subscription here expects.
    Extra,
    /// The secret has another profile than the subscription's state calls for.
    Profile,
    /// The secret is disabled.
    Disabled,
    /// The secret's password differs from the stored one.
    Password,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Drift {
    pub kind: DriftKind,
    pub login: String,
    pub subscription_id: Option<Uuid>,
    /// What the database expects (never a password).
    pub expected: Option<String>,
    /// What the router has (never a password).
    pub actual: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReconcileReport {
    pub router_id: Uuid,
    pub checked_at: DateTime<Utc>,
    pub router_secrets: usize,
    pub subscriptions: usize,
    /// Subscriptions left out because router commands for them are still queued.
    pub pending_skipped: usize,
    /// False when the API user cannot read passwords (no `sensitive` policy).
    pub passwords_compared: bool,
    pub drifts: Vec<Drift>,
    /// Time spent reading the router, and everything else (milliseconds).
    pub fetch_ms: u64,
    pub work_ms: u64,
}

/// What the database expects of one secret.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Expected {
    pub subscription_id: Uuid,
    pub login: String,
    pub profile: String,
    pub password_enc: Vec<u8>,
    pub pending: bool,
}

/// Compares expected secrets with the router's; pure and fast (used by the benchmark).
pub fn compare(expected: &[Expected], remote: &[RemoteSecret], cipher: &Cipher) -> Vec<Drift> {
    let by_name: HashMap<&str, &RemoteSecret> =
        remote.iter().map(|s| (s.name.as_str(), s)).collect();
    let mut drifts = Vec::new();
    let mut wanted: HashSet<&str> = HashSet::with_capacity(expected.len());
    for e in expected {
        wanted.insert(e.login.as_str());
        if e.pending {
            continue;
        }
        let drift = |kind, expected: Option<&str>, actual: Option<&str>| Drift {
            kind,
            login: e.login.clone(),
            subscription_id: Some(e.subscription_id),
            expected: expected.map(str::to_owned),
            actual: actual.map(str::to_owned),
        };
        let Some(s) = by_name.get(e.login.as_str()) else {
            drifts.push(drift(DriftKind::Missing, Some(&e.profile), None));
            continue;
        };
        if s.profile != e.profile {
            drifts.push(drift(
                DriftKind::Profile,
                Some(&e.profile),
                Some(&s.profile),
            ));
        }
        if s.disabled {
            drifts.push(drift(
                DriftKind::Disabled,
                Some("enabled"),
                Some("disabled"),
            ));
        }
        if let Some(actual) = &s.password {
            let same = cipher
                .open(&e.password_enc)
                .is_ok_and(|p| p == actual.expose_secret());
            if !same {
                drifts.push(drift(DriftKind::Password, None, None));
            }
        }
    }
    for s in remote {
        let Some(sub) = s.comment.as_deref().and_then(marker_subscription) else {
            continue;
        };
        if !wanted.contains(s.name.as_str()) {
            drifts.push(Drift {
                kind: DriftKind::Extra,
                login: s.name.clone(),
                subscription_id: Some(sub),
                expected: None,
                actual: Some(s.profile.clone()),
            });
        }
    }
    drifts
}

const EXPECTED: &str = "select s.id as subscription_id, s.login, \
    case when s.status = 'isolated' then r.isolation_profile else p.router_profile end as profile, \
    s.password_enc, exists (select 1 from router_commands rc where rc.subscription_id = s.id \
      and rc.status = 'pending') as pending \
    from subscriptions s join plans p on p.id = s.plan_id join routers r on r.id = $1 \
    where s.kind = 'pppoe' and s.status in ('active', 'isolated') \
      and (s.router_id = $1 or (s.router_id is null and (select count(*) from routers) = 1))";

/// Reads the router and the database and lists the differences; changes nothing.
#[tracing::instrument(skip_all, fields(router_id = %router_id))]
pub async fn check(ctx: &AppContext, router_id: Uuid) -> Result<ReconcileReport, Error> {
    let conn = routers::connection(ctx, router_id).await?;
    let started = Instant::now();
    let remote = ctx
        .router
        .secrets(&conn)
        .await
        .map_err(|e| Error::Router(e.0))?;
    let fetched = Instant::now();
    let expected: Vec<Expected> = sqlx::query_as(EXPECTED)
        .bind(router_id)
        .fetch_all(&ctx.pool)
        .await?;
    let drifts = compare(&expected, &remote, &ctx.cipher);
    let checked_at = ctx.clock.now();
    sqlx::query("update routers set drift_count = $2, reconciled_at = $3 where id = $1")
        .bind(router_id)
        .bind(i32::try_from(drifts.len()).unwrap_or(i32::MAX))
        .bind(checked_at)
        .execute(&ctx.pool)
        .await?;
    let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    Ok(ReconcileReport {
        router_id,
        checked_at,
        router_secrets: remote.len(),
        subscriptions: expected.len(),
        pending_skipped: expected.iter().filter(|e| e.pending).count(),
        passwords_compared: remote.iter().any(|s| s.password.is_some()),
        drifts,
        fetch_ms: ms(fetched - started),
        work_ms: ms(fetched.elapsed()),
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RepairReport {
    pub drifts: Vec<Drift>,
    /// Router commands queued to repair them (delivered right away if the router is up).
    pub queued: usize,
}

/// Checks again and queues one fix per drifting secret.
#[tracing::instrument(skip_all, fields(router_id = %router_id))]
pub async fn repair(ctx: &AppContext, actor: &str, router_id: Uuid) -> Result<RepairReport, Error> {
    let report = check(ctx, router_id).await?;
    let known: HashSet<Uuid> =
        sqlx::query_scalar::<_, Uuid>("select id from subscriptions where id = any($1)")
            .bind(
                report
                    .drifts
                    .iter()
                    .filter_map(|d| d.subscription_id)
                    .collect::<Vec<_>>(),
            )
            .fetch_all(&ctx.pool)
            .await?
            .into_iter()
            .collect();
    let now = ctx.clock.now();
    let mut tx = ctx.pool.begin().await?;
    let mut fixed: HashSet<Uuid> = HashSet::new();
    let mut queued = 0;
    for d in &report.drifts {
        let sub = d.subscription_id.filter(|s| known.contains(s));
        let cmd = match (d.kind, sub) {
            (DriftKind::Extra, _) => NewCommand {
                subscription_id: sub,
                router_id: Some(router_id),
                login: Some(&d.login),
                action: RouterAction::RemoveSecret,
                created_by: actor,
                reason: Some("reconciliation: extra secret on the router"),
            },
            (kind, Some(sub)) => {
                if !fixed.insert(sub) {
                    continue;
                }
                let action = if kind == DriftKind::Missing {
                    RouterAction::CreateSecret
                } else {
                    RouterAction::UpdateSecret
                };
                NewCommand {
                    router_id: Some(router_id),
                    reason: Some("reconciliation repair"),
                    ..NewCommand::for_subscription(sub, action, actor)
                }
            }
            (_, None) => continue,
        };
        outbox::enqueue(&mut tx, cmd, now).await?;
        queued += 1;
    }
    tx.commit().await?;
    outbox::deliver(ctx).await?;
    Ok(RepairReport {
        drifts: report.drifts,
        queued,
    })
}

/// The scheduled reconciliation: records the drift count of every router.
pub async fn check_all(ctx: &AppContext) -> Result<CheckSummary, Error> {
    let rows: Vec<(Uuid, String)> =
        // Online and not yet checked ones; a router known to be offline has its own alert.
        sqlx::query_as("select id, name from routers where status <> 'offline'")
            .fetch_all(&ctx.pool)
            .await?;
    let mut summary = CheckSummary::default();
    for (id, name) in rows {
        match check(ctx, id).await {
            Ok(r) => {
                summary.routers += 1;
                summary.drifts += r.drifts.len();
                if !r.drifts.is_empty() {
                    tracing::warn!(router_id = %id, drifts = r.drifts.len(), "router drift found")
                }
            }
            Err(err) => {
                tracing::warn!(router_id = %id, error = %err, "reconciliation failed");
                summary.failed.push(format!("router {name}: {err}"));
            }
        }
    }
    Ok(summary)
}

/// What one reconciliation round found.
#[derive(Debug, Clone, Default)]
pub struct CheckSummary {
    pub routers: usize,
    pub drifts: usize,
    /// Routers that could not be compared, with the reason.
    pub failed: Vec<String>,
}
