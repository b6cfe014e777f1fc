//! The scheduler. Job bodies are plain use-case calls and idempotent, so a missed or
//! doubled run is harmless; each daily job also runs once at start to catch up on what
//! was missed while the shop PC was off.

use billing_app::invoicing::Scope;
use billing_app::AppContext;
use tokio_cron_scheduler::{Job, JobScheduler};

pub struct Scheduler(JobScheduler, Vec<tokio::task::JoinHandle<()>>);

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
        // WhatsApp: session health every minute, reminders at 09:00.
        let job_ctx = ctx.clone();
        sched
            .add(Job::new_async("30 * * * * *", move |_id, _sched| {
                let ctx = job_ctx.clone();
                Box::pin(async move {
                    if let Err(err) = billing_app::notify::health_check(&ctx).await {
                        tracing::warn!(error = %err, "WhatsApp health check failed");
                    }
                })
            })?)
            .await?;
        let job_ctx = ctx.clone();
        sched
            .add(Job::new_async_tz("0 0 9 * * *", tz, move |_id, _sched| {
                let ctx = job_ctx.clone();
                Box::pin(async move {
                    if let Err(err) = billing_app::notify::reminders(&ctx).await {
                        tracing::warn!(error = %err, "queuing reminders failed");
                    }
                })
            })?)
            .await?;
        // Vouchers: first logins, usage and expiry every 30 s (never two cycles at once).
        let job_ctx = ctx.clone();
        let busy = std::sync::Arc::new(tokio::sync::Mutex::new(()));
        sched
            .add(Job::new_async("15,45 * * * * *", move |_id, _sched| {
                let ctx = job_ctx.clone();
                let busy = busy.clone();
                Box::pin(async move {
                    let Ok(_guard) = busy.try_lock() else {
                        return;
                    };
                    voucher_monitor(&ctx, false).await;
                })
            })?)
            .await?;
        // The daily backup: checked every minute against the time in the backup settings,
        // so a changed time applies at once and a missed one is caught up.
        let job_ctx = ctx.clone();
        sched
            .add(Job::new_async("20 * * * * *", move |_id, _sched| {
                let ctx = job_ctx.clone();
                Box::pin(async move { backup_if_due(&ctx).await })
            })?)
            .await?;
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
        // The WhatsApp queue is drained continuously.
        let worker_ctx = ctx.clone();
        let worker = tokio::spawn(async move {
            loop {
                whatsapp_round(&worker_ctx).await;
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
        });
        tokio::spawn(async move {
            voucher_monitor(&ctx, true).await;
            poll_payments(&ctx).await;
            daily_billing(&ctx, options).await;
            backup_if_due(&ctx).await;
            purge_sessions(&ctx).await;
        });
        Ok(Scheduler(sched, vec![worker]))
    }

    pub async fn shutdown(mut self) {
        for task in self.1.drain(..) {
            task.abort();
        }
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

async fn whatsapp_round(ctx: &AppContext) {
    if let Err(err) = billing_app::notify::pending_invoice_notices(ctx).await {
        tracing::warn!(error = %err, "queuing invoice messages failed");
    }
    match billing_app::notify::drain(ctx, 500).await {
        Ok(s) if s.sent + s.failed > 0 => {
            tracing::info!(sent = s.sent, failed = s.failed, "WhatsApp sent")
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "WhatsApp queue round failed"),
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

async fn voucher_monitor(ctx: &AppContext, at_start: bool) {
    let result = if at_start {
        billing_app::vouchers::monitor::catch_up(ctx).await
    } else {
        billing_app::vouchers::monitor::run(ctx).await
    };
    match result {
        Ok(r) => {
            if r.activated + r.expired + r.leftovers_removed > 0 {
                tracing::info!(
                    activated = r.activated,
                    expired = r.expired,
                    leftovers = r.leftovers_removed,
                    "voucher monitor"
                );
            }
            for e in r.errors {
                tracing::warn!(error = %e, "voucher monitor could not read a router");
            }
        }
        Err(err) => tracing::warn!(error = %err, "voucher monitor failed"),
    }
}

async fn purge_sessions(ctx: &AppContext) {
    match billing_app::auth::purge_expired_sessions(ctx).await {
        Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "purging expired sessions failed"),
    }
}

async fn backup_if_due(ctx: &AppContext) {
    match billing_app::backups::run_if_due(ctx).await {
        Ok(Some(b)) => tracing::info!(file = %b.file_name, "daily backup made"),
        Ok(None) => {}
        Err(err) => tracing::error!(error = %err, "daily backup failed"),
    }
}
