//! The scheduler. Job bodies are plain use-case calls and idempotent, so a missed or
//! doubled run is harmless; each daily job also runs once at start to catch up on what
//! was missed while the shop PC was off.

use billing_app::invoicing::Scope;
use billing_app::AppContext;
use tokio_cron_scheduler::{Job, JobScheduler};

pub struct Scheduler(JobScheduler);

#[derive(Debug, Clone, Copy)]
pub struct JobOptions {
    pub auto_isolate: bool,
}

impl Scheduler {
    pub async fn start(ctx: AppContext, options: JobOptions) -> anyhow::Result<Scheduler> {
        let sched = JobScheduler::new().await?;
        let tz = ctx.tz;
        // Daily billing at 00:05 business time: issue invoices, then isolate the overdue.
        let job_ctx = ctx.clone();
        sched
            .add(Job::new_async_tz("0 5 0 * * *", tz, move |_id, _sched| {
                let ctx = job_ctx.clone();
                Box::pin(async move { daily_billing(&ctx, options).await })
            })?)
            .await?;
        // Router commands that could not be delivered are retried every minute.
        let job_ctx = ctx.clone();
        sched
            .add(Job::new_async("0 * * * * *", move |_id, _sched| {
                let ctx = job_ctx.clone();
                Box::pin(async move { deliver_router_commands(&ctx).await })
            })?)
            .await?;
        // Gateway payments are polled every 5 minutes, so a payment completes even when no
        // callback can reach the shop.
        let job_ctx = ctx.clone();
        sched
            .add(Job::new_async("0 */5 * * * *", move |_id, _sched| {
                let ctx = job_ctx.clone();
                Box::pin(async move { poll_payments(&ctx).await })
            })?)
            .await?;
        crate::router_jobs::add(&sched, &ctx).await?;
        // Housekeeping at 03:17.
        let job_ctx = ctx.clone();
        sched
            .add(Job::new_async_tz(
                "0 17 3 * * *",
                tz,
                move |_id, _sched| {
                    let ctx = job_ctx.clone();
                    Box::pin(async move { purge_sessions(&ctx).await })
                },
            )?)
            .await?;
        sched.start().await?;
        tokio::spawn(async move {
            poll_payments(&ctx).await;
            daily_billing(&ctx, options).await;
            purge_sessions(&ctx).await;
        });
        Ok(Scheduler(sched))
    }

    pub async fn shutdown(mut self) {
        if let Err(err) = self.0.shutdown().await {
            tracing::warn!(error = %err, "scheduler shutdown failed");
        }
    }
}

async fn daily_billing(ctx: &AppContext, options: JobOptions) {
    let through = ctx.today();
    match billing_app::invoicing::run(ctx, Scope::All { through }).await {
        Ok(issued) if !issued.is_empty() => tracing::info!(count = issued.len(), "daily billing"),
        Ok(_) => {}
        Err(err) => tracing::error!(error = %err, "daily billing failed"),
    }
    if options.auto_isolate {
        if let Err(err) = billing_app::isolation::run(ctx).await {
            tracing::error!(error = %err, "isolation run failed");
        }
    }
}

async fn poll_payments(ctx: &AppContext) {
    match billing_app::online::check_pending(ctx).await {
        Ok(s) if s.paid + s.closed > 0 => {
            tracing::info!(
                checked = s.checked,
                paid = s.paid,
                closed = s.closed,
                "payments polled"
            )
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "polling payments failed"),
    }
}

async fn deliver_router_commands(ctx: &AppContext) {
    if let Err(err) = billing_app::isolation::deliver(ctx).await {
        tracing::warn!(error = %err, "delivering router commands failed");
    }
}

async fn purge_sessions(ctx: &AppContext) {
    match billing_app::auth::purge_expired_sessions(ctx).await {
        Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "purging expired sessions failed"),
    }
}
