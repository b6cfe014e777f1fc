//! Isolation (isolir) of overdue subscriptions and their restoration, through the router
//! port via an outbox so that a router outage never loses a command.

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::ports::RouterSubscription;
use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Candidate {
    pub subscription_id: Uuid,
    pub customer_name: String,
    pub login: String,
    pub invoice_number: String,
    pub owed: i64,
    pub due_on: NaiveDate,
    /// The day after which the subscription is isolated (oldest due date + grace days).
    pub isolate_after: NaiveDate,
}

const CANDIDATES: &str = "select distinct on (s.id) s.id as subscription_id, \
    c.name as customer_name, s.login, i.number as invoice_number, i.total - i.paid as owed, \
    i.due_on, i.overdue_from + s.grace_days as isolate_after \
    from subscriptions s join customers c on c.id = s.customer_id \
    join invoices i on i.subscription_id = s.id \
    where s.status = 'active' and i.status in ('unpaid', 'partial') \
      and i.overdue_from + s.grace_days < $1 \
    order by s.id, i.overdue_from";

/// A router command that could not be delivered yet (it stays queued and is retried).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct QueuedCommand {
    pub subscription_id: Uuid,
    pub message: String,
}

/// Router commands still waiting for delivery, with the last error.
pub async fn undelivered(ctx: &AppContext) -> Result<Vec<QueuedCommand>, Error> {
    Ok(sqlx::query_as(
        "select subscription_id, coalesce(last_error, 'waiting for delivery') as message \
         from router_commands where status = 'pending' order by id",
    )
    .fetch_all(&ctx.pool)
    .await?)
}

/// Who would be isolated today; nothing changes.
pub async fn preview(ctx: &AppContext) -> Result<Vec<Candidate>, Error> {
    Ok(sqlx::query_as(CANDIDATES)
        .bind(ctx.today())
        .fetch_all(&ctx.pool)
        .await?)
}

/// Isolates every active subscription whose oldest unpaid debt is past due + grace.
#[tracing::instrument(skip_all)]
pub async fn run(ctx: &AppContext) -> Result<Vec<Candidate>, Error> {
    let mut tx = ctx.pool.begin().await?;
    // Lock the active subscriptions first, then read the candidates under the lock.
    sqlx::query("select 1 from subscriptions where status = 'active' order by id for update")
        .execute(&mut *tx)
        .await?;
    let candidates: Vec<Candidate> = sqlx::query_as(CANDIDATES)
        .bind(ctx.today())
        .fetch_all(&mut *tx)
        .await?;
    let now = ctx.clock.now();
    for c in &candidates {
        sqlx::query("update subscriptions set status = 'isolated', isolated_at = $2 where id = $1")
            .bind(c.subscription_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        enqueue(&mut tx, c.subscription_id, "isolate", now).await?;
    }
    tx.commit().await?;
    if !candidates.is_empty() {
        tracing::info!(count = candidates.len(), "subscriptions isolated");
    }
    deliver(ctx).await?;
    Ok(candidates)
}

/// Restores isolated subscriptions that no longer have overdue debt (after a payment,
/// credit or a void). Runs inside the caller's transaction.
pub(crate) async fn restore_paid_up(
    conn: &mut PgConnection,
    ctx: &AppContext,
) -> Result<(), Error> {
    let restored: Vec<Uuid> = sqlx::query_scalar(
        "update subscriptions s set status = 'active', isolated_at = null \
         where s.status = 'isolated' and not exists ( \
             select 1 from invoices i where i.subscription_id = s.id \
               and i.status in ('unpaid', 'partial') and i.overdue_from + s.grace_days < $1) \
         returning s.id",
    )
    .bind(ctx.today())
    .fetch_all(&mut *conn)
    .await?;
    let now = ctx.clock.now();
    for id in restored {
        enqueue(conn, id, "restore", now).await?;
    }
    Ok(())
}

async fn enqueue(
    conn: &mut PgConnection,
    subscription_id: Uuid,
    action: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Error> {
    sqlx::query(
        "insert into router_commands (subscription_id, action, next_attempt_at) values ($1, $2, $3)",
    )
    .bind(subscription_id)
    .bind(action)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct QueuedRow {
    id: i64,
    action: String,
    subscription_id: Uuid,
    router_id: Option<Uuid>,
    login: String,
    kind: String,
    router_profile: String,
    attempts: i32,
}

/// Delivers queued router commands in order; failures stay queued with a growing delay.
pub async fn deliver(ctx: &AppContext) -> Result<usize, Error> {
    let mut delivered = 0;
    loop {
        let mut tx = ctx.pool.begin().await?;
        let next: Option<QueuedRow> = sqlx::query_as(
                "select rc.id, rc.action, s.id as subscription_id, s.router_id, s.login, s.kind, p.router_profile, \
                        rc.attempts \
                 from router_commands rc join subscriptions s on s.id = rc.subscription_id \
                 join plans p on p.id = s.plan_id \
                 where rc.status = 'pending' and rc.next_attempt_at <= $1 \
                 order by rc.id limit 1 for update of rc skip locked",
            )
            .bind(ctx.clock.now())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = next else {
            return Ok(delivered);
        };
        let (id, action, attempts) = (row.id, row.action, row.attempts);
        let target = RouterSubscription {
            id: row.subscription_id,
            router_id: row.router_id,
            login: row.login,
            kind: row.kind,
            router_profile: row.router_profile,
        };
        let result = match action.as_str() {
            "isolate" => ctx.router.isolate(&target).await,
            _ => ctx.router.restore(&target).await,
        };
        let now = ctx.clock.now();
        match result {
            Ok(()) => {
                sqlx::query(
                    "update router_commands set status = 'done', done_at = $2, \
                             attempts = attempts + 1, last_error = null where id = $1",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                delivered += 1;
            }
            Err(err) => {
                let backoff = Duration::seconds(
                    30 * 2i64.pow(u32::try_from(attempts.clamp(0, 7)).unwrap_or(7)),
                );
                sqlx::query(
                    "update router_commands set attempts = attempts + 1, last_error = $2, \
                             next_attempt_at = $3 where id = $1",
                )
                .bind(id)
                .bind(err.to_string())
                .bind(now + backoff)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                tracing::warn!(command = id, error = %err, "router command failed; will retry");
                return Ok(delivered);
            }
        }
        tx.commit().await?;
    }
}

/// Delivers in the background after a use-case committed.
pub(crate) fn spawn_delivery(ctx: &AppContext) {
    let ctx = ctx.clone();
    tokio::spawn(async move {
        if let Err(err) = deliver(&ctx).await {
            tracing::warn!(error = %err, "delivering router commands failed");
        }
    });
}
