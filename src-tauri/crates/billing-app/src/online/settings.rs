//! Which gateways are enabled, with which merchant code and environment. Keys go to the OS
//! keyring (`gateway/<code>/api-key`), never to the database.

use std::sync::Arc;

use billing_gateways::{
    Duitku, DuitkuConfig, Environment, Midtrans, MidtransConfig, PaymentGateway, Tripay,
    TripayConfig, Xendit, XenditConfig,
};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};

use crate::{AppContext, Error};

/// The gateways mikrobill knows. Keys per gateway: Duitku `api_key`; Tripay `api_key` +
/// `secondary_key` (private key); Midtrans `api_key` (server key); Xendit `api_key` (secret
/// key) + `secondary_key` (callback verification token).
pub const KNOWN: [&str; 4] = ["duitku", "tripay", "midtrans", "xendit"];

fn needs_secondary(code: &str) -> bool {
    matches!(code, "tripay" | "xendit")
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct GatewaySettings {
    pub gateway: String,
    pub enabled: bool,
    /// `sandbox` or `production`: the keys of one do not work in the other.
    pub environment: String,
    pub merchant_code: String,
    /// Override of the vendor's API host (tests, proxies); empty = the vendor's default.
    pub base_url: Option<String>,
    pub show_fee: bool,
    /// Whether an API key is stored in the OS keyring (the key itself is never shown).
    #[sqlx(default)]
    pub has_api_key: bool,
    /// Whether the second secret (Tripay private key, Xendit callback token) is stored.
    #[sqlx(default)]
    pub has_secondary_key: bool,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct GatewaySettingsInput {
    pub enabled: bool,
    pub environment: String,
    pub merchant_code: String,
    pub base_url: Option<String>,
    pub show_fee: Option<bool>,
    /// Write-only: stored in the OS keyring. Omit to keep the current key.
    pub api_key: Option<String>,
    /// Write-only second secret: Tripay's private key, Xendit's callback token.
    pub secondary_key: Option<String>,
}

fn key_name(code: &str) -> String {
    format!("gateway/{code}/api-key")
}

fn secondary_name(code: &str) -> String {
    format!("gateway/{code}/secondary-key")
}

pub async fn gateway_settings(ctx: &AppContext) -> Result<Vec<GatewaySettings>, Error> {
    let mut out = Vec::new();
    for code in KNOWN {
        let row: Option<GatewaySettings> = sqlx::query_as(
            "select gateway, enabled, environment, merchant_code, base_url, show_fee \
             from gateway_settings where gateway = $1",
        )
        .bind(code)
        .fetch_optional(&ctx.pool)
        .await?;
        let mut row = row.unwrap_or(GatewaySettings {
            gateway: code.to_owned(),
            enabled: false,
            environment: "sandbox".into(),
            merchant_code: String::new(),
            base_url: None,
            show_fee: true,
            has_api_key: false,
            has_secondary_key: false,
        });
        row.has_api_key = ctx.secrets.get(&key_name(code))?.is_some();
        row.has_secondary_key = ctx.secrets.get(&secondary_name(code))?.is_some();
        out.push(row);
    }
    Ok(out)
}

pub async fn update_gateway_settings(
    ctx: &AppContext,
    code: &str,
    input: GatewaySettingsInput,
) -> Result<GatewaySettings, Error> {
    if !KNOWN.contains(&code) {
        return Err(Error::NotFound("gateway"));
    }
    if !matches!(input.environment.as_str(), "sandbox" | "production") {
        return Err(Error::validation(
            "environment",
            "environment must be sandbox or production",
        ));
    }
    let merchant_code = input.merchant_code.trim();
    if input.enabled && merchant_code.is_empty() && matches!(code, "duitku" | "tripay") {
        return Err(Error::validation(
            "merchant_code",
            "the merchant code is required",
        ));
    }
    let base_url = input
        .base_url
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty());
    if let Some(url) = &base_url {
        if !(url.starts_with("https://")
            || url.starts_with("http://127.0.0.1")
            || url.starts_with("http://localhost"))
        {
            return Err(Error::validation(
                "base_url",
                "the gateway URL must use https",
            ));
        }
    }
    if let Some(key) = input
        .api_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        ctx.secrets
            .set(&key_name(code), &SecretString::from(key.to_owned()))?;
    }
    if let Some(key) = input
        .secondary_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        ctx.secrets
            .set(&secondary_name(code), &SecretString::from(key.to_owned()))?;
    }
    if input.enabled && ctx.secrets.get(&key_name(code))?.is_none() {
        return Err(Error::validation(
            "api_key",
            "enter the API key to enable the gateway",
        ));
    }
    if input.enabled && needs_secondary(code) && ctx.secrets.get(&secondary_name(code))?.is_none() {
        let what = if code == "tripay" {
            "the private key"
        } else {
            "the callback token"
        };
        return Err(Error::validation(
            "secondary_key",
            format!("enter {what} to enable the gateway"),
        ));
    }
    sqlx::query(
        "insert into gateway_settings (gateway, enabled, environment, merchant_code, base_url, show_fee) \
         values ($1, $2, $3, $4, $5, $6) \
         on conflict (gateway) do update set enabled = $2, environment = $3, merchant_code = $4, \
             base_url = $5, show_fee = $6",
    )
    .bind(code)
    .bind(input.enabled)
    .bind(&input.environment)
    .bind(merchant_code)
    .bind(&base_url)
    .bind(input.show_fee.unwrap_or(true))
    .execute(&ctx.pool)
    .await?;
    reload_gateways(ctx).await?;
    gateway_settings(ctx)
        .await?
        .into_iter()
        .find(|g| g.gateway == code)
        .ok_or(Error::NotFound("gateway"))
}

/// Rebuilds the registry from the settings and the keyring.
pub async fn reload_gateways(ctx: &AppContext) -> Result<(), Error> {
    for settings in gateway_settings(ctx).await? {
        let code = settings.gateway.as_str();
        if !settings.enabled {
            ctx.gateways.remove(code);
            continue;
        }
        let Some(key) = ctx.secrets.get(&key_name(code))? else {
            tracing::warn!(gateway = code, "enabled but no API key in the keyring");
            ctx.gateways.remove(code);
            continue;
        };
        let environment = if settings.environment == "production" {
            Environment::Production
        } else {
            Environment::Sandbox
        };
        let secondary = ctx.secrets.get(&secondary_name(code))?;
        let base = settings.base_url.clone();
        let err =
            |e: billing_gateways::GatewayError| Error::Unexpected(anyhow::anyhow!("{code}: {e}"));
        let gateway: Arc<dyn PaymentGateway> = match (code, secondary) {
            ("duitku", _) => {
                let mut config =
                    DuitkuConfig::new(environment, settings.merchant_code.clone(), key);
                if let Some(url) = base {
                    config = config.with_base_url(url);
                }
                Arc::new(Duitku::new(config, ctx.clock.clone()).map_err(err)?)
            }
            ("tripay", Some(private_key)) => {
                let mut config = TripayConfig::new(
                    environment,
                    settings.merchant_code.clone(),
                    key,
                    private_key,
                );
                if let Some(url) = base {
                    config = config.with_base_url(url);
                }
                Arc::new(Tripay::new(config, ctx.clock.clone()).map_err(err)?)
            }
            ("midtrans", _) => {
                let mut config = MidtransConfig::new(environment, key);
                if let Some(url) = base {
                    config.snap_base_url = format!("{url}/snap/v1");
                    config.api_base_url = url;
                }
                Arc::new(Midtrans::new(config).map_err(err)?)
            }
            ("xendit", Some(token)) => {
                let mut config = XenditConfig::new(environment, key, token);
                if let Some(url) = base {
                    config = config.with_base_url(url);
                }
                Arc::new(Xendit::new(config).map_err(err)?)
            }
            _ => {
                tracing::warn!(
                    gateway = code,
                    "enabled but a key is missing in the keyring"
                );
                ctx.gateways.remove(code);
                continue;
            }
        };
        ctx.gateways.set(gateway);
    }
    Ok(())
}
