//! Demo vouchers: two profiles and a first batch on the simulator. The simulator forgets
//! everything when the app stops, so at each start the vouchers still open in the database
//! are written to it again (as they would still be on a real router).

use billing_app::vouchers::batches::{self, marker_comment, Actor, BatchInput};
use billing_app::vouchers::profiles::{self, ProfileInput};
use billing_app::AppContext;
use routeros_api::sim::SimHandle;
use uuid::Uuid;

pub(crate) async fn seed(ctx: &AppContext, sim: &SimHandle, router_id: Uuid) -> anyhow::Result<()> {
    let existing = profiles::list(ctx).await?;
    if existing.is_empty() {
        for (name, price, validity, uptime, rate) in [
            ("Harian 5rb", 5_000, Some(86_400), None, "2M/5M"),
            ("3 Jam 2rb", 2_000, None, Some(3 * 3_600), "1M/3M"),
        ] {
            profiles::create(
                ctx,
                ProfileInput {
                    name: Some(name.into()),
                    price: Some(price),
                    validity_secs: Some(validity),
                    uptime_limit_secs: Some(uptime),
                    rate_limit: Some(rate.into()),
                    ..Default::default()
                },
            )
            .await?;
        }
        let first = profiles::list(ctx).await?;
        if let Some(p) = first.iter().find(|p| p.name == "Harian 5rb") {
            batches::create(
                ctx,
                Actor {
                    user_id: None,
                    name: "demo".into(),
                },
                BatchInput {
                    profile_id: p.id,
                    router_id: Some(router_id),
                    count: 20,
                    code_length: Some(6),
                    charset: None,
                    prefix: None,
                    separate_password: false,
                    reseller_id: None,
                },
            )
            .await?;
        }
        return Ok(());
    }
    for p in &existing {
        profiles::sync(ctx, p.id).await?;
    }
    // Put the open vouchers back on the fresh simulator.
    type Row = (String, Option<Vec<u8>>, String, Uuid, Option<Uuid>, String);
    let rows: Vec<Row> = sqlx::query_as(
        "select v.code, v.password, p.router_profile, b.id, b.reseller_id, b.created_by_name \
         from vouchers v join voucher_batches b on b.id = v.batch_id \
         join voucher_profiles p on p.id = v.profile_id \
         where v.router_id = $1 and v.status in ('unused', 'active', 'disabled')",
    )
    .bind(router_id)
    .fetch_all(&ctx.pool)
    .await?;
    let client = routeros_api::Client::connect(sim.connect_options()).await?;
    let date = ctx.today().to_string();
    for (code, sealed, profile, batch, reseller, by) in rows {
        let password = match sealed {
            Some(s) => ctx.cipher.open(&s)?,
            None => code.clone(),
        };
        let cmd = routeros_api::Command::new("/ip/hotspot/user/add")
            .attr("name", &code)
            .attr("password", password)
            .attr("profile", profile)
            .attr("comment", marker_comment(batch, reseller, &date, &by));
        if let Err(err) = client.call(cmd).await {
            tracing::debug!(error = %err, code, "demo voucher not restored");
        }
    }
    client.disconnect().await;
    Ok(())
}
