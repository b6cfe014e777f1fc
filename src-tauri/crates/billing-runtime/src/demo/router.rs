//! Demo mode's router: the simulator, registered as a router with the demo plans' profiles.

use billing_app::network::routers::RouterInput;
use billing_app::AppContext;
use routeros_api::sim::SimHandle;
use secrecy::SecretString;

use super::DemoError;

pub(crate) const DEMO_ROUTER: &str = "Demo router (simulator)";

/// Creates the plans' PPP profiles on the simulator and registers it (its port changes on
/// every start, so an existing demo router is updated).
pub(crate) async fn register(ctx: &AppContext, sim: &SimHandle) -> Result<uuid::Uuid, DemoError> {
    let client = routeros_api::Client::connect(sim.connect_options()).await?;
    // The sample plans' profiles (the sample data is seeded after this, on a first start) and
    // those of the plans already in the database.
    let mut profiles: Vec<String> =
        sqlx::query_scalar("select distinct router_profile from plans where kind = 'pppoe'")
            .fetch_all(&ctx.pool)
            .await?;
    for (_, _, profile, _) in billing_app::ops::sample_data::PLANS {
        if !profiles.iter().any(|p| p == profile) {
            profiles.push(profile.to_owned());
        }
    }
    for profile in profiles {
        let rate = profile.trim_start_matches("pppoe-").to_owned();
        let rate_limit = format!("{rate}/{rate}");
        let added = client
            .ppp_profiles()
            .add(&profile, Some(rate_limit.as_str()))
            .await;
        if let Err(err) = added {
            tracing::debug!(error = %err, profile, "demo profile not added");
        }
    }
    client.disconnect().await;
    let addr = sim.addr();
    let input = RouterInput {
        name: Some(DEMO_ROUTER.into()),
        host: Some(addr.ip().to_string()),
        port: Some(i32::from(addr.port())),
        tls: Some(false),
        api_user: Some(sim.connect_options().username),
        password: Some(SecretString::from(sim.connect_options().password)),
        ..RouterInput::default()
    };
    let existing = billing_app::network::routers::list(ctx)
        .await?
        .into_iter()
        .find(|r| r.name == DEMO_ROUTER);
    let id = match existing {
        Some(r) => {
            billing_app::network::routers::update(ctx, r.id, input)
                .await?
                .id
        }
        None => billing_app::network::routers::create(ctx, input).await?.id,
    };
    Ok(id)
}
