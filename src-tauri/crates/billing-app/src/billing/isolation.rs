//! Isolation (isolir) of overdue subscriptions and their restoration, through the router
//! port via an outbox so that a router outage never loses a command.

use billing_domain::{CustomerId, Money, SubscriptionId, SubscriptionStatus};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::PgConnection;

use crate::ports::RouterAction;
use crate::{network::outbox, AppContext, Error};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Candidate {
    #[schema(value_type = Uuid)]
    pub subscription_id: SubscriptionId,
    pub customer_name: String,
    pub login: String,
    pub invoice_number: String,
    #[schema(value_type = i64)]
    pub owed: Money,
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
    #[schema(value_type = Uuid)]
    pub subscription_id: SubscriptionId,
    pub message: String,
}

/// Router commands still waiting for delivery, with the last error.
pub async fn undelivered(ctx: &AppContext) -> Result<Vec<QueuedCommand>, Error> {
    Ok(sqlx::query_as(
        "select subscription_id, coalesce(last_error, 'waiting for delivery') as message \
         from router_commands where status = 'pending' and subscription_id is not null order by id",
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
    for c in &candidates {
        crate::events::publish(
            ctx,
            crate::events::BillingEvent::SubscriptionChanged {
                subscription_id: c.subscription_id.uuid(),
                status: SubscriptionStatus::Isolated.as_str().into(),
            },
        );
    }
    let notices: Vec<_> = candidates
        .iter()
        .map(|c| crate::messaging::triggers::Isolated {
            subscription_id: c.subscription_id.uuid(),
            customer_name: &c.customer_name,
            invoice_number: &c.invoice_number,
            owed: c.owed.minor(),
        })
        .collect();
    crate::messaging::triggers::isolated(ctx, &notices).await?;
    deliver(ctx).await?;
    Ok(candidates)
}

/// Restores isolated subscriptions that no longer have overdue debt (after a payment,
/// credit or a void). Runs inside the caller's transaction, for the customer whose money moved
/// (a payment must not lock or scan every other customer's subscriptions), or for everyone
/// (`None`, the billing run).
pub(crate) async fn restore_paid_up(
    conn: &mut PgConnection,
    ctx: &AppContext,
    customer: Option<CustomerId>,
) -> Result<(), Error> {
    // Two statements rather than `$2 is null or …`, which a generic plan could only scan.
    let scope = match customer {
        Some(_) => "s.customer_id = $2",
        None => "$2::uuid is null",
    };
    let restored: Vec<SubscriptionId> = sqlx::query_scalar(&format!(
        "update subscriptions s set status = 'active', isolated_at = null \
         where {scope} and s.status = 'isolated' and not exists ( \
             select 1 from invoices i where i.subscription_id = s.id \
               and i.status in ('unpaid', 'partial') and i.overdue_from + s.grace_days < $1) \
         returning s.id"
    ))
    .bind(ctx.today())
    .bind(customer)
    .fetch_all(&mut *conn)
    .await?;
    let now = ctx.clock.now();
    for id in restored {
        enqueue(conn, id, "restore", now).await?;
        crate::messaging::triggers::restored_in(conn, now, id.uuid()).await?;
    }
    Ok(())
}

async fn enqueue(
    conn: &mut PgConnection,
    subscription_id: SubscriptionId,
    action: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Error> {
    let action = match action {
        "isolate" => RouterAction::Isolate,
        _ => RouterAction::Restore,
    };
    let cmd = outbox::NewCommand::for_subscription(subscription_id.uuid(), action, "system");
    outbox::enqueue(conn, cmd, now).await
}

/// Delivers queued router commands (see [`outbox::deliver`]).
pub async fn deliver(ctx: &AppContext) -> Result<usize, Error> {
    outbox::deliver(ctx).await
}

/// Delivers in the background after a use-case committed.
pub(crate) fn spawn_delivery(ctx: &AppContext) {
    outbox::spawn_delivery(ctx);
}
