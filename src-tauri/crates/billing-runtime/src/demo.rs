//! Demo mode: a demo owner with a generated password and a RouterOS simulator.

use billing_app::auth::OwnerPolicy;
use billing_app::AppContext;
use secrecy::ExposeSecret;

use crate::secrets::SecretStore;

const DEMO_USER: &str = "demo";
const DEMO_PASSWORD_SECRET: &str = "demo-owner-password";

pub struct Demo {
    password: secrecy::SecretString,
}

impl Demo {
    pub async fn start(ctx: &AppContext, secrets: &SecretStore) -> anyhow::Result<Demo> {
        let password = secrets.get_or_generate(DEMO_PASSWORD_SECRET, 12)?;
        match billing_app::auth::create_owner(
            ctx,
            DEMO_USER,
            password.expose_secret(),
            OwnerPolicy::Additional,
        )
        .await
        {
            Ok(_) => tracing::info!("demo owner created"),
            Err(billing_app::Error::Conflict(_)) => {}
            Err(err) => return Err(anyhow::anyhow!("seeding the demo owner failed: {err}")),
        }
        Ok(Demo { password })
    }

    pub fn banner(&self) -> String {
        format!("Demo login: {DEMO_USER} / {}", self.password.expose_secret())
    }

    pub async fn stop(self) {}
}
