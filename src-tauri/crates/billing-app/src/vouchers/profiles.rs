//! Voucher profiles: what a voucher costs and allows, kept as a hotspot user profile on
//! every router.

use serde::Serialize;
use uuid::Uuid;

use crate::ports::DesiredHotspotProfile;
use crate::{network::routers, AppContext, Error};

/// Prefix of the per-voucher expiry scheduler the on-login script creates.
pub const SCHEDULER_PREFIX: &str = "mbx-";

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = VoucherProfile)]
pub struct Profile {
    pub id: Uuid,
    pub name: String,
    pub router_profile: String,
    pub price: i64,
    /// Calendar validity from the first login, in seconds.
    pub validity_secs: Option<i64>,
    /// Online time allowed, in seconds.
    pub uptime_limit_secs: Option<i64>,
    /// Data allowed (upload + download), in bytes.
    pub quota_bytes: Option<i64>,
    pub rate_limit: String,
    pub shared_users: i32,
    pub active: bool,
    /// Offered in the online voucher shop (`/shop`).
    pub for_sale: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Vouchers not yet used or still running.
    pub open_vouchers: i64,
    /// Routers the profile could not be written to yet, with the reason.
    #[sqlx(json)]
    pub sync_errors: Vec<SyncError>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[schema(as = VoucherProfileSyncError)]
pub struct SyncError {
    pub router_id: Uuid,
    pub error: String,
}

#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub name: Option<String>,
    pub router_profile: Option<String>,
    pub price: Option<i64>,
    pub validity_secs: Option<Option<i64>>,
    pub uptime_limit_secs: Option<Option<i64>>,
    pub quota_bytes: Option<Option<i64>>,
    pub rate_limit: Option<String>,
    pub shared_users: Option<i32>,
    pub active: Option<bool>,
    pub for_sale: Option<bool>,
}

const SELECT: &str = "select p.id, p.name, p.router_profile, p.price, p.validity_secs, \
    p.uptime_limit_secs, p.quota_bytes, p.rate_limit, p.shared_users, p.active, p.for_sale, p.created_at, \
    (select count(*) from vouchers v where v.profile_id = p.id \
       and v.status in ('unused', 'active', 'disabled')) as open_vouchers, \
    coalesce((select json_agg(json_build_object('router_id', s.router_id, 'error', s.error)) \
       from voucher_profile_routers s where s.profile_id = p.id and s.error is not null), \
       '[]'::json) as sync_errors \
    from voucher_profiles p";

/// A RouterOS duration (`1w2d3h`) for a number of seconds.
pub fn ros_duration(secs: i64) -> String {
    let mut rest = secs.max(0);
    let mut out = String::new();
    for (unit, size) in [
        ("w", 604_800),
        ("d", 86_400),
        ("h", 3_600),
        ("m", 60),
        ("s", 1),
    ] {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    if out.is_empty() {
        out.push_str("0s");
    }
    out
}

/// The profile's `on-login` script: our marker (see [`marker`]), and for calendar validity the
/// absolute expiry written into the user's comment at the first login, which the router's own
/// sweeper enforces (see [`super::expiry`]). Routers set up before this kept a per-user
/// scheduler (`mbx-<code>`); the monitor still reads and removes those.
pub fn on_login_script(marker: &str, validity_secs: Option<i64>) -> String {
    let mut script = format!(":put \"{marker}\"");
    if let Some(v) = validity_secs {
        script.push('\n');
        script.push_str(&super::expiry::stamp_on_login(v));
    }
    script
}

/// The profile's marker, `VOUCHER_SYSTEM|NULL|<profile>|NULL|<created on>|system` (the seed's
/// six fields; a hotspot user profile has no comment, so it lives in the on-login script).
pub fn marker(p: &Profile) -> String {
    let (id, date) = (
        p.id.to_string(),
        p.created_at.format("%Y-%m-%d").to_string(),
    );
    crate::network::marker::Marker {
        subscription: Some(&id),
        ..crate::network::marker::Marker::system(crate::network::marker::Kind::Voucher, &date)
    }
    .comment()
}

pub(crate) use crate::network::rates::is_rate_limit;

fn validate(input: &ProfileInput, creating: bool) -> Result<(), Error> {
    if creating || input.name.is_some() {
        let name = input.name.as_deref().unwrap_or_default().trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(Error::validation(
                "name",
                "the name must be 1 to 60 characters",
            ));
        }
    }
    if let Some(rp) = &input.router_profile {
        let rp = rp.trim();
        if rp.is_empty()
            || rp.len() > 40
            || !rp
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(Error::validation(
                "router_profile",
                "the router profile name may have up to 40 letters, digits, '-', '_' or '.'",
            ));
        }
        if rp == "default" || rp == "default-trial" {
            return Err(Error::validation(
                "router_profile",
                "the router's own default profile cannot be used for vouchers",
            ));
        }
    }
    if (creating || input.price.is_some())
        && !matches!(input.price, Some(p) if (0..=100_000_000).contains(&p))
    {
        return Err(Error::validation(
            "price",
            "the price must be 0 to 100,000,000 rupiah",
        ));
    }
    for (field, value, max) in [
        ("validity_secs", input.validity_secs, 366 * 86_400),
        ("uptime_limit_secs", input.uptime_limit_secs, 366 * 86_400),
        ("quota_bytes", input.quota_bytes, 1 << 50),
    ] {
        if let Some(Some(v)) = value {
            if v <= 0 || v > max {
                return Err(Error::validation(
                    field,
                    format!("must be between 1 and {max}"),
                ));
            }
        }
    }
    if let Some(Some(v)) = input.validity_secs {
        if v < 60 {
            return Err(Error::validation(
                "validity_secs",
                "the validity must be at least a minute",
            ));
        }
    }
    if let Some(r) = &input.rate_limit {
        if !r.trim().is_empty() && !is_rate_limit(r.trim()) {
            return Err(Error::validation(
                "rate_limit",
                "the rate limit looks like 2M/2M (upload/download) or 512k/1M",
            ));
        }
    }
    if let Some(n) = input.shared_users {
        if !(1..=100).contains(&n) {
            return Err(Error::validation(
                "shared_users",
                "1 to 100 devices at once",
            ));
        }
    }
    Ok(())
}

fn slug(name: &str) -> String {
    let s: String = name
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let mut out = format!("vc-{s}");
    out.truncate(40);
    out
}

fn map_unique(err: sqlx::Error) -> Error {
    if crate::is_constraint_violation(&err, "voucher_profiles_name_key") {
        Error::conflict_on("name", "a voucher profile with this name already exists")
    } else if crate::is_constraint_violation(&err, "voucher_profiles_router_profile_key") {
        Error::conflict_on(
            "router_profile",
            "another voucher profile uses this router profile",
        )
    } else {
        err.into()
    }
}

pub async fn create(ctx: &AppContext, mut input: ProfileInput) -> Result<Profile, Error> {
    if input.router_profile.is_none() {
        input.router_profile = input.name.as_deref().map(slug);
    }
    validate(&input, true)?;
    if input.validity_secs.flatten().is_none()
        && input.uptime_limit_secs.flatten().is_none()
        && input.quota_bytes.flatten().is_none()
    {
        return Err(Error::validation(
            "validity_secs",
            "a voucher needs a validity, an online-time limit or a data quota; otherwise it never ends",
        ));
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into voucher_profiles (id, name, router_profile, price, validity_secs, \
         uptime_limit_secs, quota_bytes, rate_limit, shared_users, active, for_sale) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(input.name.as_deref().map(str::trim))
    .bind(input.router_profile.as_deref().map(str::trim))
    .bind(input.price)
    .bind(input.validity_secs.flatten())
    .bind(input.uptime_limit_secs.flatten())
    .bind(input.quota_bytes.flatten())
    .bind(input.rate_limit.as_deref().unwrap_or_default().trim())
    .bind(input.shared_users.unwrap_or(1))
    .bind(input.active.unwrap_or(true))
    .bind(input.for_sale.unwrap_or(false))
    .execute(&ctx.pool)
    .await
    .map_err(map_unique)?;
    sync(ctx, id).await?;
    get(ctx, id).await
}

pub async fn update(ctx: &AppContext, id: Uuid, input: ProfileInput) -> Result<Profile, Error> {
    validate(&input, false)?;
    let mut tx = ctx.pool.begin().await?;
    type Limits = (String, Option<i64>, Option<i64>, Option<i64>);
    let current: Option<Limits> = sqlx::query_as(
        "select router_profile, validity_secs, uptime_limit_secs, quota_bytes \
         from voucher_profiles where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((router_profile, validity, uptime, quota)) = current else {
        return Err(Error::NotFound("voucher profile"));
    };
    let open: i64 = sqlx::query_scalar(
        "select count(*) from vouchers where profile_id = $1 and status in ('unused', 'active', 'disabled')",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    if open > 0
        && input
            .router_profile
            .as_deref()
            .is_some_and(|r| r.trim() != router_profile)
    {
        return Err(Error::conflict_on(
            "router_profile",
            format!("{open} voucher(s) of this profile are on the routers; the router profile cannot be renamed"),
        ));
    }
    let validity = input.validity_secs.unwrap_or(validity);
    let uptime = input.uptime_limit_secs.unwrap_or(uptime);
    let quota = input.quota_bytes.unwrap_or(quota);
    if validity.is_none() && uptime.is_none() && quota.is_none() {
        return Err(Error::validation(
            "validity_secs",
            "a voucher needs a validity, an online-time limit or a data quota; otherwise it never ends",
        ));
    }
    sqlx::query(
        "update voucher_profiles set name = coalesce($2, name), \
         router_profile = coalesce($3, router_profile), price = coalesce($4, price), \
         validity_secs = $5, uptime_limit_secs = $6, quota_bytes = $7, \
         rate_limit = coalesce($8, rate_limit), shared_users = coalesce($9, shared_users), \
         active = coalesce($10, active), for_sale = coalesce($11, for_sale) where id = $1",
    )
    .bind(id)
    .bind(input.name.as_deref().map(str::trim))
    .bind(input.router_profile.as_deref().map(str::trim))
    .bind(input.price)
    .bind(validity)
    .bind(uptime)
    .bind(quota)
    .bind(input.rate_limit.as_deref().map(str::trim))
    .bind(input.shared_users)
    .bind(input.active)
    .bind(input.for_sale)
    .execute(&mut *tx)
    .await
    .map_err(map_unique)?;
    tx.commit().await?;
    sync(ctx, id).await?;
    get(ctx, id).await
}

/// Deletes a profile no voucher was ever made with; otherwise it is deactivated instead.
pub async fn delete(ctx: &AppContext, id: Uuid) -> Result<(), Error> {
    let used: Option<bool> = sqlx::query_scalar(
        "select exists (select 1 from voucher_batches b where b.profile_id = p.id) \
         from voucher_profiles p where p.id = $1",
    )
    .bind(id)
    .fetch_optional(&ctx.pool)
    .await?;
    match used {
        None => Err(Error::NotFound("voucher profile")),
        Some(true) => Err(Error::conflict(
            "vouchers were made with this profile; deactivate it instead",
        )),
        Some(false) => {
            sqlx::query("delete from voucher_profiles where id = $1")
                .bind(id)
                .execute(&ctx.pool)
                .await?;
            Ok(())
        }
    }
}

pub async fn get(ctx: &AppContext, id: Uuid) -> Result<Profile, Error> {
    sqlx::query_as(&format!("{SELECT} where p.id = $1"))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("voucher profile"))
}

pub async fn list(ctx: &AppContext) -> Result<Vec<Profile>, Error> {
    Ok(
        sqlx::query_as(&format!("{SELECT} order by p.active desc, p.price, p.name"))
            .fetch_all(&ctx.pool)
            .await?,
    )
}

/// The profile as it must be on the routers.
pub fn desired(p: &Profile) -> DesiredHotspotProfile {
    DesiredHotspotProfile {
        name: p.router_profile.clone(),
        rate_limit: (!p.rate_limit.is_empty()).then(|| p.rate_limit.clone()),
        shared_users: u32::try_from(p.shared_users).unwrap_or(1),
        on_login: Some(on_login_script(&marker(p), p.validity_secs)),
        expiry_sweeper: p
            .validity_secs
            .is_some()
            .then(super::expiry::sweeper_script),
        sweeper_marker: crate::network::marker::Marker::system(
            crate::network::marker::Kind::Voucher,
            &p.created_at.format("%Y-%m-%d").to_string(),
        )
        .comment(),
        comment: marker(p),
    }
}

/// Writes one profile to one router and records the outcome.
pub async fn sync_to(
    ctx: &AppContext,
    p: &Profile,
    router: &crate::ports::RouterConn,
) -> Result<(), Error> {
    let result = ctx.router.ensure_hotspot_profile(router, &desired(p)).await;
    let error = result.as_ref().err().map(|e| e.0.clone());
    sqlx::query(
        "insert into voucher_profile_routers (profile_id, router_id, synced_at, error) \
         values ($1, $2, case when $3::text is null then $4 end, $3) \
         on conflict (profile_id, router_id) do update set \
           synced_at = coalesce(excluded.synced_at, voucher_profile_routers.synced_at), \
           error = excluded.error",
    )
    .bind(p.id)
    .bind(router.id)
    .bind(&error)
    .bind(ctx.clock.now())
    .execute(&ctx.pool)
    .await?;
    result.map_err(|e| Error::Router(e.0))
}

/// Writes the profile to every router. A router that cannot be reached is recorded (and
/// retried by the monitor), it does not fail the save.
pub async fn sync(ctx: &AppContext, id: Uuid) -> Result<(), Error> {
    let p = get(ctx, id).await?;
    for router in routers::connections(ctx).await?.values() {
        if let Err(e) = sync_to(ctx, &p, router).await {
            tracing::warn!(profile = %p.name, router = %router.name, error = %e, "voucher profile not synced");
        }
    }
    Ok(())
}

/// Retries profiles that never reached a router or failed last time.
pub async fn sync_pending(ctx: &AppContext) -> Result<(), Error> {
    let pending: Vec<(Uuid, Uuid)> = sqlx::query_as(
        "select p.id, r.id from voucher_profiles p cross join routers r \
         left join voucher_profile_routers s on s.profile_id = p.id and s.router_id = r.id \
         where p.active and (s.synced_at is null or s.error is not null)",
    )
    .fetch_all(&ctx.pool)
    .await?;
    for (profile_id, router_id) in pending {
        let p = get(ctx, profile_id).await?;
        if let Ok(router) = routers::connection(ctx, router_id).await {
            let _ = sync_to(ctx, &p, &router).await;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_routeros_words() {
        assert_eq!(ros_duration(86_400), "1d");
        assert_eq!(ros_duration(90_061), "1d1h1m1s");
        assert_eq!(ros_duration(8 * 86_400), "1w1d");
        assert_eq!(ros_duration(0), "0s");
    }

    #[test]
    fn the_script_stamps_the_expiry_without_a_scheduler_per_user() {
        let marker = "VOUCHER_SYSTEM|NULL|p1|NULL|2026-12-07|system";
        let s = on_login_script(marker, Some(86_400));
        assert!(s.starts_with(":put \"VOUCHER_SYSTEM|NULL|p1|NULL|2026-12-07|system\""));
        assert!(s.contains(":local v 86400"));
        assert!(s.contains("comment=($c . \"|exp=\" . $x)"));
        assert!(!s.contains("/system scheduler"));
        assert_eq!(on_login_script(marker, None), format!(":put \"{marker}\""));
    }

    #[test]
    fn rate_limits_are_checked() {
        for ok in ["2M/2M", "512k/1M", "1M/2M 2M/4M 1M/2M 8/8"] {
            assert!(is_rate_limit(ok), "{ok}");
        }
        for bad in ["2M", "fast", "2M/x", "/2M"] {
            assert!(!is_rate_limit(bad), "{bad}");
        }
    }

    #[test]
    fn router_profile_names_are_derived() {
        assert_eq!(slug("1 Hari 5rb!"), "vc-1-hari-5rb");
    }
}
