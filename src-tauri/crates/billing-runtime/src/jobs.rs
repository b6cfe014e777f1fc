//! The scheduler: every job of the registry (`billing_app::ops::jobs::JOBS`) on its cron
//! pattern, each run recorded and never overlapping itself; the jobs marked `at_start` also
//! run once at start to catch up on what was missed while the shop PC was off. The WhatsApp
//! queue is drained continuously beside it.

use billing_app::ops::jobs::{self, Trigger, JOBS};
use billing_app::AppContext;
use tokio_cron_scheduler::{Job, JobScheduler, JobSchedulerError};

pub struct Scheduler(JobScheduler, Vec<tokio::task::JoinHandle<()>>);

impl Scheduler {
    pub async fn start(ctx: AppContext) -> Result<Scheduler, JobSchedulerError> {
        let sched = JobScheduler::new().await?;
        for spec in JOBS {
            let job_ctx = ctx.clone();
            let name = spec.name;
            let run = move |_id, _sched| {
                let ctx = job_ctx.clone();
                Box::pin(async move { jobs::run_scheduled(&ctx, name, Trigger::Schedule).await })
                    as std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
            };
            let job = if spec.business_time {
                Job::new_async_tz(spec.cron, ctx.tz, run)?
            } else {
                Job::new_async(spec.cron, run)?
            };
            sched.add(job).await?;
        }
        sched.start().await?;
        let worker_ctx = ctx.clone();
        let worker = tokio::spawn(async move {
            loop {
                whatsapp_round(&worker_ctx).await;
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
        });
        tokio::spawn(async move { catch_up(&ctx).await });
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

/// The catch-up at start: every job marked `at_start`, once, in registry order. The
/// scheduler runs it in the background; tests that drive the jobs themselves call it.
pub async fn catch_up(ctx: &AppContext) {
    for spec in JOBS.iter().filter(|j| j.at_start) {
        jobs::run_scheduled(ctx, spec.name, Trigger::Start).await;
    }
}

/// One round of the WhatsApp worker: queue the invoice notices, then send what is due.
pub async fn whatsapp_round(ctx: &AppContext) {
    if let Err(err) = billing_app::messaging::pending_invoice_notices(ctx).await {
        tracing::warn!(error = %err, "queuing invoice messages failed");
    }
    match billing_app::messaging::drain(ctx, 500).await {
        Ok(s) if s.sent + s.failed > 0 => {
            tracing::info!(sent = s.sent, failed = s.failed, "WhatsApp sent")
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "WhatsApp queue round failed"),
    }
}
