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
    /// The business time zone (IANA name, e.g. `Asia/Jakarta` for WIB, `Asia/Makassar` for
    /// WITA, `Asia/Jayapura` for WIT): billing periods, due dates, schedules and reports use
    /// it. Until one is chosen, settings.toml's `business.timezone`.
    pub timezone: String,
    /// The zone the running app uses now; differs from `timezone` until the app restarts.
    pub timezone_in_use: String,
    /// ISO 4217 code of the money the ISP bills in.
    pub currency: String,
    /// The currencies the app can bill in (for the form's choice).
    pub supported_currencies: Vec<String>,
    /// A gateway payment its gateway confirms for another amount than was asked is applied
    /// for what came in (less: the invoice is partly paid and the rest carried over; more:
    /// the excess becomes credit). Off: such payments wait for a cashier's review.
    pub accept_gateway_amount: bool,
    /// Pay links are the gateway's own hosted checkout page, created for each invoice, instead
    /// of this app's pay page on the public address (for shops without one); payments are then
    /// confirmed by the status poller.
    pub pay_without_public_address: bool,
}

/// What `PUT /api/settings/business` takes.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct BusinessProfileInput {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: Option<String>,
    pub logo_data_url: Option<String>,
    pub bank_accounts: Vec<BankAccount>,
    pub tax_rate_bp: i32,
    /// An IANA zone; saved at once and used from the next start of the app (the answer's
    /// `timezone_in_use` shows the zone in use until then). Left out or empty: unchanged.
    #[serde(default)]
    pub timezone: Option<String>,
    /// ISO 4217; only `IDR` today: amounts are whole rupiah and every supported payment
    /// gateway settles in IDR. Left out: unchanged.
    #[serde(default)]
    pub currency: Option<String>,
    /// See [`BusinessProfile::accept_gateway_amount`]. Left out: unchanged.
    #[serde(default)]
    pub accept_gateway_amount: Option<bool>,
    /// See [`BusinessProfile::pay_without_public_address`]. Left out: unchanged.
    #[serde(default)]
    pub pay_without_public_address: Option<bool>,
}

/// The currencies the app can bill in: the money model is integer rupiah and Duitku, Tripay,
/// Midtrans and Xendit all settle in IDR.
pub const SUPPORTED_CURRENCIES: &[&str] = &["IDR"];

/// Checks an IANA zone name; returns the zone.
pub fn parse_timezone(raw: &str) -> Result<chrono_tz::Tz, Error> {
    let name = raw.trim();
    name.parse::<chrono_tz::Tz>().map_err(|_| {
        Error::validation(
            "timezone",
            format!(
                "{name:?} is not a known time zone; choose an IANA name such as Asia/Jakarta \
                 (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
            ),
        )
    })
}

/// Checks an ISO 4217 code against what the app can bill in; returns the code.
pub fn parse_currency(raw: &str) -> Result<&'static str, Error> {
    let code = raw.trim().to_ascii_uppercase();
    if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(Error::validation(
            "currency",
            "the currency must be an ISO 4217 code such as IDR",
        ));
    }
    SUPPORTED_CURRENCIES
        .iter()
        .find(|c| **c == code)
        .copied()
        .ok_or_else(|| {
            Error::validation(
                "currency",
                format!(
                    "{code} cannot be billed: amounts are whole rupiah and every supported \
                     payment gateway (Duitku, Tripay, Midtrans, Xendit) settles in IDR, so only \
                     IDR is supported"
                ),
            )
        })
}

/// The time zone saved with the profile, if any (read at start-up, before the context exists;
/// `None` when none was chosen or the stored name is no longer known).
pub async fn saved_timezone(pool: &sqlx::PgPool) -> Result<Option<chrono_tz::Tz>, Error> {
    let name: Option<String> = sqlx::query_scalar("select timezone from business_profile")
        .fetch_optional(pool)
        .await?
        .flatten();
    Ok(name.and_then(|n| match n.parse::<chrono_tz::Tz>() {
        Ok(tz) => Some(tz),
        Err(_) => {
            tracing::warn!(timezone = %n, "the saved time zone is not known; using settings.toml's");
            None
        }
    }))
}

#[derive(sqlx::FromRow)]
struct ProfileRow {
    name: String,
    address: String,
    phone: String,
    email: Option<String>,
    logo_data_url: Option<String>,
    bank_accounts: serde_json::Value,
    tax_rate_bp: i32,
    timezone: Option<String>,
    currency: String,
    accept_gateway_amount: bool,
    pay_without_public_address: bool,
}

pub async fn get(ctx: &AppContext) -> Result<BusinessProfile, Error> {
    let row: ProfileRow = sqlx::query_as(
        "select name, address, phone, email, logo_data_url, bank_accounts, tax_rate_bp, \
                timezone, currency, accept_gateway_amount, pay_without_public_address \
             from business_profile",
    )
    .fetch_one(&ctx.pool)
    .await?;
    let bank_accounts = serde_json::from_value(row.bank_accounts).unwrap_or_default();
    Ok(BusinessProfile {
        name: row.name,
        address: row.address,
        phone: row.phone,
        email: row.email,
        logo_data_url: row.logo_data_url,
        bank_accounts,
        tax_rate_bp: row.tax_rate_bp,
        timezone: row.timezone.unwrap_or_else(|| ctx.tz.name().to_owned()),
        timezone_in_use: ctx.tz.name().to_owned(),
        currency: row.currency,
        supported_currencies: SUPPORTED_CURRENCIES
            .iter()
            .map(|c| (*c).to_owned())
            .collect(),
        accept_gateway_amount: row.accept_gateway_amount,
        pay_without_public_address: row.pay_without_public_address,
    })
}

pub async fn update(
    ctx: &AppContext,
    profile: BusinessProfileInput,
) -> Result<BusinessProfile, Error> {
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
    let timezone = match profile.timezone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(name) => Some(parse_timezone(name)?.name().to_owned()),
    };
    let currency = profile
        .currency
        .as_deref()
        .map(parse_currency)
        .transpose()?;
    crate::text::check("address", profile.address.trim(), crate::text::ADDRESS)?;
    let accounts = serde_json::to_value(&profile.bank_accounts).map_err(anyhow::Error::from)?;
    sqlx::query(
        "update business_profile set name = $1, address = $2, phone = $3, email = $4, \
         logo_data_url = $5, bank_accounts = $6, tax_rate_bp = $7, \
         timezone = coalesce($8, timezone), currency = coalesce($9, currency), \
         accept_gateway_amount = coalesce($10, accept_gateway_amount), \
         pay_without_public_address = coalesce($11, pay_without_public_address)",
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
    .bind(&timezone)
    .bind(currency)
    .bind(profile.accept_gateway_amount)
    .bind(profile.pay_without_public_address)
    .execute(&ctx.pool)
    .await?;
    if let Some(zone) = timezone.as_deref().filter(|z| *z != ctx.tz.name()) {
        tracing::info!(
            timezone = zone,
            in_use = ctx.tz.name(),
            "business time zone saved; used from the next start"
        );
    }
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

/// Whether pay links are the gateway's hosted checkout page (see
/// [`BusinessProfile::pay_without_public_address`]).
pub async fn pay_without_public_address(conn: &mut sqlx::PgConnection) -> Result<bool, Error> {
    Ok(
        sqlx::query_scalar("select pay_without_public_address from business_profile")
            .fetch_one(conn)
            .await?,
    )
}

/// Chooses how customers reach a payment: this app's pay page on the public address (`false`)
/// or the gateway's own hosted checkout page (`true`).
pub async fn set_pay_without_public_address(ctx: &AppContext, on: bool) -> Result<(), Error> {
    sqlx::query(
        "update business_profile set pay_without_public_address = $1 \
         where pay_without_public_address is distinct from $1",
    )
    .bind(on)
    .execute(&ctx.pool)
    .await?;
    Ok(())
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
    // A check of another address says nothing about this one.
    sqlx::query(
        "update business_profile set public_base_url = $1, \
         public_base_url_checked_at = case when public_base_url_checked = $1 \
             then public_base_url_checked_at end, \
         public_base_url_checked = case when public_base_url_checked = $1 \
             then public_base_url_checked end",
    )
    .bind(&url)
    .execute(&ctx.pool)
    .await?;
    Ok(url)
}

/// Records the outcome of a reachability check of `url` (the public address in use): a
/// success is remembered with its time, a failure forgets an earlier success.
pub async fn record_public_url_check(ctx: &AppContext, url: &str, ok: bool) -> Result<(), Error> {
    sqlx::query(
        "update business_profile set \
         public_base_url_checked_at = case when $2 then $3 end, \
         public_base_url_checked = case when $2 then $1 end \
         where public_base_url = $1",
    )
    .bind(url)
    .bind(ok)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?;
    Ok(())
}

/// The public address, and when it last proved to reach this app (only while it is the
/// address that was checked).
#[derive(Debug, Clone)]
pub struct PublicAddress {
    pub url: Option<String>,
    pub checked_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl PublicAddress {
    /// `not_set`, `loopback` (this computer itself), `unchecked` or `reachable`.
    pub fn state(&self) -> &'static str {
        match (&self.url, self.checked_at) {
            (None, _) => "not_set",
            (Some(url), _) if is_loopback_url(url) => "loopback",
            (Some(_), None) => "unchecked",
            (Some(_), Some(_)) => "reachable",
        }
    }

    /// Whether customers and gateways can reach the address (set, not this computer, checked).
    pub fn reachable(&self) -> bool {
        self.state() == "reachable"
    }
}

pub async fn public_address(ctx: &AppContext) -> Result<PublicAddress, Error> {
    let (url, checked_at): (Option<String>, Option<chrono::DateTime<chrono::Utc>>) =
        sqlx::query_as(
            "select nullif(public_base_url, ''), \
                    case when public_base_url_checked = public_base_url \
                         then public_base_url_checked_at end \
             from business_profile",
        )
        .fetch_one(&ctx.pool)
        .await?;
    Ok(PublicAddress { url, checked_at })
}

/// Whether the address names this computer itself (`localhost`, `127.0.0.1`, `::1`, `0.0.0.0`):
/// customers and gateways cannot reach it, even when the check from here succeeds.
pub fn is_loopback_url(url: &str) -> bool {
    let rest = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let host_port = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    let host = if let Some(inner) = host_port.strip_prefix('[') {
        inner.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    }
    .trim_end_matches('.')
    .to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback() || ip.is_unspecified(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback()
                || ip.is_unspecified()
                || ip
                    .to_ipv4_mapped()
                    .is_some_and(|v4| v4.is_loopback() || v4.is_unspecified())
        }
        Err(_) => false,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_this_computer_are_loopback_and_others_are_not() {
        for url in [
            "http://127.0.0.1:7879",
            "http://127.0.0.2/pay",
            "https://localhost",
            "http://app.localhost:80",
            "http://[::1]:7879",
            "http://[::ffff:127.0.0.1]:80",
            "http://0.0.0.0:7879",
            "http://user@LOCALHOST:1/",
        ] {
            assert!(is_loopback_url(url), "{url}");
        }
        for url in [
            "https://bayar.rtrwnet.id",
            "http://192.0.2.2:7879",
            "https://[2001:db8::1]",
            "https://127.example.id",
        ] {
            assert!(!is_loopback_url(url), "{url}");
        }
    }

    #[test]
    fn indonesian_and_other_iana_zones_are_accepted() {
        for name in [
            "Asia/Jakarta",
            "Asia/Makassar",
            "Asia/Jayapura",
            "Europe/Berlin",
        ] {
            let tz = parse_timezone(name).expect(name);
            assert_eq!(tz.name(), name);
        }
        assert_eq!(
            parse_timezone(" Asia/Makassar ").expect("trimmed").name(),
            "Asia/Makassar"
        );
    }

    #[test]
    fn an_unknown_zone_names_the_field() {
        let err = parse_timezone("Mars/Olympus").expect_err("unknown");
        assert!(
            matches!(&err, Error::Validation { field: "timezone", message } if message.contains("Mars/Olympus")),
            "{err}"
        );
    }

    #[test]
    fn only_rupiah_can_be_billed() {
        assert_eq!(parse_currency("IDR").expect("IDR"), "IDR");
        assert_eq!(parse_currency(" idr ").expect("lower case"), "IDR");
        let err = parse_currency("USD").expect_err("USD");
        assert!(
            matches!(&err, Error::Validation { field: "currency", message } if message.contains("only IDR")),
            "{err}"
        );
        let err = parse_currency("rupiah").expect_err("not a code");
        assert!(
            matches!(&err, Error::Validation { field: "currency", message } if message.contains("ISO 4217")),
            "{err}"
        );
    }
}
