//! The scheduler. Job bodies are plain use-case calls and idempotent, so a missed or
//! doubled run is harmless.

use billing_app::AppContext;
use tokio_cron_scheduler::{Job, JobScheduler};

pub struct Scheduler(JobScheduler);

impl Scheduler {
    pub async fn start(ctx: AppContext) -> anyhow::Result<Scheduler> {
        let sched = JobScheduler::new().await?;
        // Housekeeping at 03:17 every day (the shop PC may be off then; the run at start
        // below catches up).
        let job_ctx = ctx.clone();
        sched
            .add(Job::new_async("0 17 3 * * *", move |_id, _sched| {
                let ctx = job_ctx.clone();
                Box::pin(async move { purge_sessions(&ctx).await })
            })?)
            .await?;
        sched.start().await?;
        tokio::spawn(async move { purge_sessions(&ctx).await });
        Ok(Scheduler(sched))
    }

    pub async fn shutdown(mut self) {
        if let Err(err) = self.0.shutdown().await {
            tracing::warn!(error = %err, "scheduler shutdown failed");
        }
    }
}

async fn purge_sessions(ctx: &AppContext) {
    match billing_app::auth::purge_expired_sessions(ctx).await {
        Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "purging expired sessions failed"),
    }
}
