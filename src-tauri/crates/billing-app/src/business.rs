//! The ISP's own details for invoices and receipts.

use serde::{Deserialize, Serialize};

use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct BankAccount {
    pub bank: String,
    pub number: String,
    pub holder: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BusinessProfile {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: Option<String>,
    pub logo_data_url: Option<String>,
    pub bank_accounts: Vec<BankAccount>,
    pub tax_rate_bp: i32,
}

pub async fn get(ctx: &AppContext) -> Result<BusinessProfile, Error> {
    let row: (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        serde_json::Value,
        i32,
    ) = sqlx::query_as(
        "select name, address, phone, email, logo_data_url, bank_accounts, tax_rate_bp \
             from business_profile",
    )
    .fetch_one(&ctx.pool)
    .await?;
    let bank_accounts = serde_json::from_value(row.5).unwrap_or_default();
    Ok(BusinessProfile {
        name: row.0,
        address: row.1,
        phone: row.2,
        email: row.3,
        logo_data_url: row.4,
        bank_accounts,
        tax_rate_bp: row.6,
    })
}

pub async fn update(ctx: &AppContext, profile: BusinessProfile) -> Result<BusinessProfile, Error> {
    if profile.name.trim().is_empty() {
        return Err(Error::validation("name", "the business name is required"));
    }
    if !(0..=10_000).contains(&profile.tax_rate_bp) {
        return Err(Error::validation(
            "tax_rate_bp",
            "the tax rate must be 0 to 10000 basis points",
        ));
    }
    if let Some(logo) = &profile.logo_data_url {
        let ok = logo.starts_with("data:image/png;base64,")
            || logo.starts_with("data:image/jpeg;base64,")
            || logo.starts_with("data:image/svg+xml;base64,");
        if !ok {
            return Err(Error::validation(
                "logo_data_url",
                "the logo must be a PNG, JPEG or SVG data URL",
            ));
        }
        if logo.len() > 300_000 {
            return Err(Error::validation(
                "logo_data_url",
                "the logo must be smaller than 200 KB",
            ));
        }
    }
    for account in &profile.bank_accounts {
        if account.bank.trim().is_empty() || account.number.trim().is_empty() {
            return Err(Error::validation(
                "bank_accounts",
                "each bank account needs a bank and a number",
            ));
        }
    }
    let accounts = serde_json::to_value(&profile.bank_accounts).map_err(anyhow::Error::from)?;
    sqlx::query(
        "update business_profile set name = $1, address = $2, phone = $3, email = $4, \
         logo_data_url = $5, bank_accounts = $6, tax_rate_bp = $7",
    )
    .bind(profile.name.trim())
    .bind(profile.address.trim())
    .bind(profile.phone.trim())
    .bind(
        profile
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty()),
    )
    .bind(&profile.logo_data_url)
    .bind(accounts)
    .bind(profile.tax_rate_bp)
    .execute(&ctx.pool)
    .await?;
    get(ctx).await
}

/// The address customers and gateways reach the public listener at (a tunnel), if set.
pub async fn public_base_url(ctx: &AppContext) -> Result<Option<String>, Error> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("select public_base_url from business_profile")
            .fetch_one(&ctx.pool)
            .await?
            .filter(|u| !u.is_empty()),
    )
}

/// Sets (or clears, when empty) the public address; returns what was stored.
pub async fn set_public_base_url(
    ctx: &AppContext,
    url: Option<&str>,
) -> Result<Option<String>, Error> {
    let url = url
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty());
    if let Some(u) = &url {
        if !(u.starts_with("https://") || u.starts_with("http://"))
            || u.contains(char::is_whitespace)
        {
            return Err(Error::validation(
                "public_base_url",
                "enter a full address such as https://bayar.example.id",
            ));
        }
    }
    sqlx::query("update business_profile set public_base_url = $1")
        .bind(&url)
        .execute(&ctx.pool)
        .await?;
    Ok(url)
}

/// The business as the document renderer wants it (logo decoded; PNG only).
pub fn for_documents(p: &BusinessProfile) -> billing_documents::Business {
    use base64::Engine as _;
    let logo_png = p
        .logo_data_url
        .as_deref()
        .and_then(|url| url.strip_prefix("data:image/png;base64,"))
        .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok());
    billing_documents::Business {
        name: p.name.clone(),
        address: p.address.clone(),
        phone: p.phone.clone(),
        email: p.email.clone(),
        logo_png,
        bank_accounts: p
            .bank_accounts
            .iter()
            .map(|a| billing_documents::BankAccount {
                bank: a.bank.clone(),
                number: a.number.clone(),
                holder: a.holder.clone(),
            })
            .collect(),
    }
}
