//! Router charts: every minute each router's CPU, memory, active users (hotspot + PPPoE)
//! and interface byte counters are stored; bits per second come from the difference to the
//! previous reading. Kept for the performance-data period (7 days by default).

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::{AppContext, Error};

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct SampleRound {
    pub routers: usize,
    pub recorded: usize,
    /// PPPoE users online on the routers read (their first login, last seen and state are
    /// recorded each round).
    pub pppoe_online: usize,
    /// Routers that could not be read, with why.
    pub errors: Vec<String>,
}

impl std::fmt::Display for SampleRound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} router(s) sampled, {} PPPoE user(s) online",
            self.recorded, self.routers, self.pppoe_online
        )?;
        if !self.errors.is_empty() {
            write!(f, "; not read: {}", self.errors.join("; "))?;
        }
        Ok(())
    }
}

/// The sampling job: one reading of every router (all at once; one that does not answer
/// is skipped and named).
pub async fn collect(ctx: &AppContext) -> Result<SampleRound, Error> {
    let conns = crate::network::routers::connections(ctx).await?;
    let now = ctx.clock.now();
    let readings = futures::future::join_all(
        conns
            .values()
            .map(|c| async move { (c, ctx.router.sample(c).await) }),
    )
    .await;
    let mut out = SampleRound {
        routers: conns.len(),
        ..Default::default()
    };
    for (conn, reading) in readings {
        match reading {
            Ok(s) => {
                store(ctx, conn.id, now, &s).await?;
                out.recorded += 1;
                crate::events::publish(
                    ctx,
                    crate::events::BillingEvent::ActiveUsers {
                        router_id: conn.id,
                        hotspot: s.hotspot_active,
                        pppoe: s.pppoe_active,
                    },
                );
                match crate::network::pppoe::track(ctx, conn, now).await {
                    Ok(online) => out.pppoe_online += online,
                    Err(e) => out
                        .errors
                        .push(format!("{}: PPPoE users not read: {e}", conn.name)),
                }
            }
            Err(e) => out.errors.push(format!("{}: {}", conn.name, e.0)),
        }
    }
    Ok(out)
}

async fn store(
    ctx: &AppContext,
    router_id: Uuid,
    now: DateTime<Utc>,
    s: &crate::ports::RouterSample,
) -> Result<(), Error> {
    let mut tx = ctx.pool.begin().await?;
    let previous: Option<(i64, DateTime<Utc>)> = sqlx::query_as(
        "select id, at from router_samples where router_id = $1 and at < $2 \
         order by at desc limit 1",
    )
    .bind(router_id)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let used = if s.total_memory > 0 {
        (s.total_memory - s.free_memory) as f64 * 100.0 / s.total_memory as f64
    } else {
        0.0
    };
    let id: i64 = sqlx::query_scalar(
        "insert into router_samples (router_id, at, cpu_load, memory_used_percent, \
         hotspot_active, pppoe_active) values ($1, $2, $3, $4, $5, $6) returning id",
    )
    .bind(router_id)
    .bind(now)
    .bind(s.cpu_load)
    .bind(used)
    .bind(s.hotspot_active)
    .bind(s.pppoe_active)
    .fetch_one(&mut *tx)
    .await?;
    let before: Vec<(String, i64, i64)> = match previous {
        Some((pid, _)) => sqlx::query_as(
            "select interface, rx_byte, tx_byte from router_interface_samples where sample_id = $1",
        )
        .bind(pid)
        .fetch_all(&mut *tx)
        .await?,
        None => vec![],
    };
    let secs = previous.map(|(_, at)| (now - at).num_milliseconds() as f64 / 1000.0);
    for i in &s.interfaces {
        let rate = |now_bytes: i64, then: i64| -> Option<i64> {
            let secs = secs.filter(|s| *s > 0.0)?;
            // A counter that went back: the router restarted; no rate for this minute.
            (now_bytes >= then).then(|| ((now_bytes - then) as f64 * 8.0 / secs).round() as i64)
        };
        let prev = before.iter().find(|(n, _, _)| *n == i.name);
        let (rx_bps, tx_bps) = match prev {
            Some((_, rx, tx)) => (rate(i.rx_byte, *rx), rate(i.tx_byte, *tx)),
            None => (None, None),
        };
        sqlx::query(
            "insert into router_interface_samples (sample_id, interface, rx_byte, tx_byte, \
             rx_bps, tx_bps) values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(&i.name)
        .bind(i.rx_byte)
        .bind(i.tx_byte)
        .bind(rx_bps)
        .bind(tx_bps)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InterfaceRate {
    pub name: String,
    /// Bits per second received since the reading before (`null` for the first one).
    pub rx_bps: Option<i64>,
    pub tx_bps: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RouterSamplePoint {
    pub at: DateTime<Utc>,
    pub cpu_load: i32,
    pub memory_used_percent: f64,
    pub hotspot_active: i32,
    pub pppoe_active: i32,
    /// All interfaces together.
    pub rx_bps: i64,
    pub tx_bps: i64,
    pub interfaces: Vec<InterfaceRate>,
}

type Row = (i64, DateTime<Utc>, i32, f64, i32, i32);

/// The readings of one router over the last `hours` hours (1 to 168), oldest first.
pub async fn list(
    ctx: &AppContext,
    router_id: Uuid,
    hours: Option<i64>,
) -> Result<Vec<RouterSamplePoint>, Error> {
    let hours = hours.unwrap_or(24);
    if !(1..=168).contains(&hours) {
        return Err(Error::validation(
            "hours",
            "must be between 1 and 168 (7 days)",
        ));
    }
    crate::network::routers::get(ctx, router_id).await?;
    let since = ctx.clock.now() - chrono::Duration::hours(hours);
    let rows: Vec<Row> = sqlx::query_as(
        "select id, at, cpu_load, memory_used_percent, hotspot_active, pppoe_active \
         from router_samples where router_id = $1 and at >= $2 order by at",
    )
    .bind(router_id)
    .bind(since)
    .fetch_all(&ctx.pool)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let ifaces: Vec<(i64, String, Option<i64>, Option<i64>)> = sqlx::query_as(
        "select sample_id, interface, rx_bps, tx_bps from router_interface_samples \
         where sample_id = any($1) order by sample_id, interface",
    )
    .bind(&ids)
    .fetch_all(&ctx.pool)
    .await?;
    let mut by_sample: std::collections::HashMap<i64, Vec<InterfaceRate>> =
        std::collections::HashMap::new();
    for (sample, name, rx_bps, tx_bps) in ifaces {
        by_sample.entry(sample).or_default().push(InterfaceRate {
            name,
            rx_bps,
            tx_bps,
        });
    }
    Ok(rows
        .into_iter()
        .map(|(id, at, cpu, mem, hs, ppp)| {
            let interfaces = by_sample.remove(&id).unwrap_or_default();
            RouterSamplePoint {
                at,
                cpu_load: cpu,
                memory_used_percent: mem,
                hotspot_active: hs,
                pppoe_active: ppp,
                rx_bps: interfaces.iter().filter_map(|i| i.rx_bps).sum(),
                tx_bps: interfaces.iter().filter_map(|i| i.tx_bps).sum(),
                interfaces,
            }
        })
        .collect())
}
