//! Router jobs: the status refresh (online, CPU, memory, uptime) every five minutes and the
//! scheduled reconciliation every hour. Both only read the routers.

use billing_app::AppContext;
use tokio_cron_scheduler::{Job, JobScheduler};

pub(crate) async fn add(sched: &JobScheduler, ctx: &AppContext) -> anyhow::Result<()> {
    let job_ctx = ctx.clone();
    sched
        .add(Job::new_async("30 */5 * * * *", move |_id, _sched| {
            let ctx = job_ctx.clone();
            Box::pin(async move { refresh_status(&ctx).await })
        })?)
        .await?;
    let job_ctx = ctx.clone();
    sched
        .add(Job::new_async("0 41 * * * *", move |_id, _sched| {
            let ctx = job_ctx.clone();
            Box::pin(async move {
                if let Err(err) = billing_app::reconcile::check_all(&ctx).await {
                    tracing::warn!(error = %err, "scheduled reconciliation failed");
                }
            })
        })?)
        .await?;
    let ctx = ctx.clone();
    tokio::spawn(async move { refresh_status(&ctx).await });
    Ok(())
}

async fn refresh_status(ctx: &AppContext) {
    match billing_app::routers::refresh_status(ctx).await {
        Ok(routers) => {
            let offline = routers.iter().filter(|r| r.status == "offline").count();
            if offline > 0 {
                tracing::warn!(offline, "routers offline");
            }
        }
        Err(err) => tracing::warn!(error = %err, "refreshing router status failed"),
    }
}
