//! Demo vouchers: two profiles and a first batch on the simulator. The simulator forgets
//! everything when the app stops, so at each start the vouchers still open in the database
//! are written to it again (as they would still be on a real router).

use billing_app::vouchers::batches::{self, marker_comment, Actor, BatchInput};
use billing_app::vouchers::profiles::{self, ProfileInput};
use billing_app::AppContext;
use uuid::Uuid;

use super::DemoError;

pub(crate) async fn seed(ctx: &AppContext, router_id: Uuid) -> Result<(), DemoError> {
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
    // Put the open vouchers back on the fresh simulator, with their limits, through the same
    // pipelined router port a batch uses.
    type Row = (Uuid, String, Option<Vec<u8>>, Uuid, Option<Uuid>, String);
    let rows: Vec<Row> = sqlx::query_as(
        "select v.profile_id, v.code, v.password, b.id, b.reseller_id, b.created_by_name \
         from vouchers v join voucher_batches b on b.id = v.batch_id \
         where v.router_id = $1 and v.status in ('unused', 'active', 'disabled')",
    )
    .bind(router_id)
    .fetch_all(&ctx.pool)
    .await?;
    let date = ctx.today().to_string();
    let mut users = Vec::with_capacity(rows.len());
    for (profile_id, code, sealed, batch, reseller, by) in rows {
        let Some(profile) = existing.iter().find(|p| p.id == profile_id) else {
            continue;
        };
        let password = sealed
            .map(|s| ctx.cipher.open(&s))
            .transpose()
            .map_err(|e| DemoError::Sealed(format!("{e:#}")))?;
        let comment = marker_comment(batch, reseller, &date, &by);
        users.push(batches::hotspot_user(
            profile,
            &code,
            password.as_deref(),
            &comment,
        ));
    }
    if !users.is_empty() {
        let router = billing_app::network::routers::connection(ctx, router_id).await?;
        ctx.router
            .add_hotspot_users(&router, &users, &|_| {})
            .await
            .map_err(DemoError::Vouchers)?;
    }
    Ok(())
}
