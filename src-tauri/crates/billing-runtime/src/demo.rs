//! Demo mode: a demo owner with a generated password, a small Indonesian data set, and the
//! built-in RouterOS simulator standing in for the router.

use billing_app::access::auth::OwnerPolicy;
use billing_app::AppContext;
use routeros_api::sim::{SimConfig, SimHandle, Simulator};
use secrecy::ExposeSecret;

use crate::secrets::{SecretError, SecretStore};

mod router;
mod vouchers;

/// Why demo mode could not start (or seed its router).
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("{0}")]
    Secrets(#[from] SecretError),
    #[error("seeding the demo owner failed: {0}")]
    Owner(#[source] billing_app::Error),
    #[error("seeding the demo data failed: {0}")]
    Data(#[source] billing_app::Error),
    #[error("{0}")]
    App(#[from] billing_app::Error),
    #[error("{0}")]
    Simulator(#[from] std::io::Error),
    #[error("{0}")]
    Router(#[from] routeros_api::Error),
    #[error("{0}")]
    Database(#[from] sqlx::Error),
    /// A stored voucher password could not be unsealed (the message says why).
    #[error("{0}")]
    Sealed(String),
    #[error("restoring demo vouchers: {0}")]
    Vouchers(#[source] billing_app::ports::HotspotWriteError),
}

const DEMO_USER: &str = "demo";
const DEMO_PASSWORD_SECRET: &str = "demo-owner-password";

pub struct Demo {
    password: secrecy::SecretString,
    router: SimHandle,
}

impl Demo {
    pub async fn start(ctx: &AppContext, secrets: &SecretStore) -> Result<Demo, DemoError> {
        let password = secrets.get_or_generate(DEMO_PASSWORD_SECRET, 12)?;
        match billing_app::access::auth::create_owner(
            ctx,
            DEMO_USER,
            password.expose_secret(),
            OwnerPolicy::Additional,
        )
        .await
        {
            Ok(_) => tracing::info!("demo owner created"),
            Err(billing_app::Error::Conflict { .. }) => {}
            Err(err) => return Err(DemoError::Owner(err)),
        }
        let router = Simulator::start(SimConfig::default()).await?;
        if let Err(err) = router.seed_hotspot_users("demo", 25) {
            tracing::warn!(error = %err, "seeding the simulator failed");
        }
        // The router first, so the sample subscriptions go on it.
        let router_id = match router::register(ctx, &router).await {
            Ok(router_id) => Some(router_id),
            Err(err) => {
                tracing::warn!(error = %err, "registering the demo router failed");
                None
            }
        };
        // Once: a database that already has customers (an earlier demo run) keeps them.
        match billing_app::ops::sample_data::seed(ctx, None, router_id.map(Into::into)).await {
            Ok(summary) => tracing::info!(?summary, "demo data seeded"),
            Err(billing_app::Error::Conflict { .. }) => {
                // The simulator forgot the subscriptions' PPPoE secrets when the app stopped.
                if let Some(router_id) = router_id {
                    if let Err(err) =
                        billing_app::network::reconcile::repair(ctx, "demo", router_id).await
                    {
                        tracing::warn!(error = %err, "restoring the demo subscriptions failed");
                    }
                }
            }
            Err(err) => return Err(DemoError::Data(err)),
        }
        if let Some(router_id) = router_id {
            if let Err(err) = vouchers::seed(ctx, router_id).await {
                tracing::warn!(error = %err, "seeding the demo vouchers failed");
            }
        }
        Ok(Demo { password, router })
    }

    pub fn banner(&self) -> String {
        format!(
            "Demo login: {DEMO_USER} / {}\n  RouterOS simulator: {} (user admin, empty password)",
            self.password.expose_secret(),
            self.router.addr()
        )
    }

    pub async fn stop(self) {
        self.router.shutdown();
    }
}
