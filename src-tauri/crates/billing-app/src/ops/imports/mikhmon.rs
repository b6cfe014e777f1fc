//! A router kept the Mikhmon way: the router is the database. Hotspot user profiles carry
//! price and validity in their `on-login` script (`:put (",rem,5000,1d,6000,,Disable,")`:
//! expiry mode, price, validity, selling price, -, lock user); generated users carry
//! `vc-<n>-<mm.dd.yy>-<note>` (code = password) or `up-<n>-<mm.dd.yy>-<note>` (own
//! password) until their first login, after which the on-login script rewrites the comment
//! to the expiry (`jan/02/2023 10:20:30`, or `2023-07-14 10:20:30` on RouterOS 7.10+).
//! PPPoE secrets (Mikhmon has none, but the same routers carry them) often name the
//! customer and phone in their comment.
//!
//! Reading never changes the router; committing writes only to the database: vouchers keep
//! the router user's id, subscriptions the secret's login.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

use super::table::Sheet;
use super::{RowError, RowResult};
use crate::ports::RouterConn;
use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MikhmonProfile {
    pub name: String,
    pub price: i64,
    pub validity_secs: Option<i64>,
    pub rate_limit: String,
    pub shared_users: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MikhmonUser {
    pub router_user_id: String,
    pub name: String,
    /// `None`: the password is the code (`vc-`) or could not be read.
    pub password: Option<String>,
    pub password_known: bool,
    pub profile: String,
    pub status: String,
    /// Mikhmon keeps only the expiry: the first login is the expiry less the validity (or
    /// the import time when the validity is unknown).
    #[serde(default)]
    pub first_login_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub uptime_secs: i64,
    pub bytes_in: i64,
    pub bytes_out: i64,
    pub limit_uptime_secs: Option<i64>,
}

/// The hotspot part of a router import.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HotspotPlan {
    pub router_id: Uuid,
    pub profiles: Vec<MikhmonProfile>,
    pub users: Vec<MikhmonUser>,
}

pub(crate) struct Read {
    pub sheet: Sheet,
    pub hotspot: HotspotPlan,
    pub notes: Vec<String>,
}

/// `1d`, `30d`, `12h`, `1w2d`, `90m` → seconds.
pub fn parse_validity(raw: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut num = String::new();
    for c in raw.trim().chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num.parse().ok()?;
        num.clear();
        total += n * match c {
            'w' => 7 * 86_400,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
    }
    if !num.is_empty() {
        total += num.parse::<i64>().ok()? * 86_400;
    }
    (total > 0).then_some(total)
}

/// Mikhmon's data in a profile's `on-login`: (price, validity) when it is a Mikhmon profile.
pub fn profile_data(on_login: &str) -> Option<(i64, Option<i64>)> {
    let start = on_login.find(":put (\"")? + 7;
    let rest = &on_login[start..];
    let end = rest.find("\")")?;
    let parts: Vec<&str> = rest[..end].split(',').collect();
    if parts.len() < 5 {
        return None;
    }
    let price: i64 = parts[2].trim().parse().unwrap_or(0);
    let selling: i64 = parts[4].trim().parse().unwrap_or(0);
    let validity = parse_validity(parts[3]);
    Some((if selling > 0 { selling } else { price }, validity))
}

/// What a user's comment says: `Some(None)` = generated, not used yet (`vc-`/`up-`);
/// `Some(Some(t))` = used, expires at router time `t`; `None` = not Mikhmon's.
pub fn comment_state(comment: &str) -> Option<Option<NaiveDateTime>> {
    let c = comment.trim();
    if c.starts_with("vc-") || c.starts_with("up-") {
        return Some(None);
    }
    let parsed = NaiveDateTime::parse_from_str(c, "%b/%d/%Y %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(c, "%Y-%m-%d %H:%M:%S"))
        .ok()?;
    Some(Some(parsed))
}

/// Name and phone from a PPPoE secret's comment (`Budi Santoso 0812-3456-7890`).
fn name_and_phone(comment: &str) -> (String, String) {
    let chars: Vec<char> = comment.chars().collect();
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '+' || chars[i].is_ascii_digit() {
            let start = i;
            let mut digits = 0;
            let mut j = i;
            while j < chars.len()
                && (chars[j].is_ascii_digit() || matches!(chars[j], '+' | '-' | ' ' | '.'))
            {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                }
                j += 1;
            }
            if digits >= 9 && best.is_none() {
                best = Some((start, j));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    match best {
        Some((s, e)) => {
            let phone: String = chars[s..e].iter().collect();
            let name: String = chars[..s].iter().chain(chars[e..].iter()).collect();
            let name = name
                .trim_matches(|c: char| {
                    c.is_whitespace() || matches!(c, '-' | '|' | ',' | ';' | '/' | ':')
                })
                .to_owned();
            (name, phone.trim().to_owned())
        }
        None => (comment.trim().to_owned(), String::new()),
    }
}

fn router_err(e: crate::ports::RouterPortError) -> Error {
    Error::Router(e.0)
}

/// Reads secrets, profiles and hotspot users. Nothing is written to the router.
pub(crate) async fn read(ctx: &AppContext, conn: &RouterConn) -> Result<Read, Error> {
    let profiles = ctx.router.profiles(conn).await.map_err(router_err)?;
    let secrets = ctx.router.secrets(conn).await.map_err(router_err)?;
    let mut notes = Vec::new();
    let snapshot = match ctx.router.hotspot_snapshot(conn).await {
        Ok(s) => Some(s),
        Err(e) => {
            notes.push(format!("hotspot users could not be read: {}", e.0));
            None
        }
    };

    let headers: Vec<String> = [
        "name", "phone", "login", "password", "plan", "router", "notes",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let mut rows = Vec::new();
    let mut other_service = 0;
    for (n, s) in secrets.iter().enumerate() {
        if !matches!(s.service.as_str(), "pppoe" | "any") {
            other_service += 1;
            continue;
        }
        let comment = s.comment.clone().unwrap_or_default();
        let (name, phone) = if comment.starts_with("PPPOE_SYSTEM") {
            (String::new(), String::new())
        } else {
            name_and_phone(&comment)
        };
        let name = if name.is_empty() {
            s.name.clone()
        } else {
            name
        };
        rows.push((
            i32::try_from(n + 1).unwrap_or(i32::MAX),
            vec![
                name,
                phone,
                s.name.clone(),
                s.password
                    .as_ref()
                    .map(|p| p.expose_secret().to_owned())
                    .unwrap_or_default(),
                s.profile.clone(),
                conn.id.to_string(),
                format!("PPPoE secret on {}", conn.name),
            ],
        ));
    }
    if other_service > 0 {
        notes.push(format!(
            "{other_service} PPP secret(s) for other services (L2TP, SSTP, …) were left out"
        ));
    }
    if secrets.iter().any(|s| s.password.is_none()) {
        notes.push(
            "the router did not give secret passwords (the API user lacks the 'sensitive' right): those rows cannot be imported"
                .into(),
        );
    }

    let mut mk_profiles = Vec::new();
    for p in profiles.iter().filter(|p| p.kind == "hotspot") {
        if let Some((price, validity)) = p.on_login.as_deref().and_then(profile_data) {
            mk_profiles.push(MikhmonProfile {
                name: p.name.clone(),
                price,
                validity_secs: validity,
                rate_limit: p.rate_limit.clone().unwrap_or_default(),
                shared_users: p
                    .shared_users
                    .and_then(|n| i32::try_from(n).ok())
                    .unwrap_or(1)
                    .clamp(1, 100),
            });
        }
    }
    let mk_names: HashSet<&str> = mk_profiles.iter().map(|p| p.name.as_str()).collect();
    let mut users = Vec::new();
    let (mut ours, mut not_mikhmon) = (0, 0);
    for u in snapshot.iter().flat_map(|s| s.users.iter()) {
        let comment = u.comment.clone().unwrap_or_default();
        if u.name == "default-trial" {
            continue;
        }
        if comment.starts_with("VOUCHER_SYSTEM") {
            ours += 1;
            continue;
        }
        let state = comment_state(&comment);
        if state.is_none() && !mk_names.contains(u.profile.as_str()) {
            not_mikhmon += 1;
            continue;
        }
        let expires_at = state.flatten().and_then(|t| {
            ctx.tz
                .from_local_datetime(&t)
                .earliest()
                .map(|d| d.with_timezone(&Utc))
        });
        let status = if u.disabled {
            "disabled"
        } else if expires_at.is_some() || u.uptime_secs > 0 {
            "active"
        } else {
            "unused"
        };
        let validity = mk_profiles
            .iter()
            .find(|p| p.name == u.profile)
            .and_then(|p| p.validity_secs);
        let first_login_at = expires_at.map(|e| match validity {
            Some(secs) => e - chrono::Duration::seconds(secs),
            None => ctx.clock.now(),
        });
        let password = u.password.as_ref().map(|p| p.expose_secret().to_owned());
        users.push(MikhmonUser {
            router_user_id: u.id.clone(),
            name: u.name.clone(),
            password_known: password.is_some(),
            password: password.filter(|p| *p != u.name),
            profile: u.profile.clone(),
            status: status.into(),
            first_login_at,
            expires_at,
            uptime_secs: i64::try_from(u.uptime_secs).unwrap_or(i64::MAX),
            bytes_in: i64::try_from(u.bytes_in).unwrap_or(i64::MAX),
            bytes_out: i64::try_from(u.bytes_out).unwrap_or(i64::MAX),
            limit_uptime_secs: u.limit_uptime_secs.and_then(|s| i64::try_from(s).ok()),
        });
    }
    if ours > 0 {
        notes.push(format!(
            "{ours} hotspot user(s) are already this app's vouchers (VOUCHER_SYSTEM comment): left as they are"
        ));
    }
    if not_mikhmon > 0 {
        notes.push(format!(
            "{not_mikhmon} hotspot user(s) are neither Mikhmon vouchers nor on a Mikhmon profile (no price known): left out"
        ));
    }
    Ok(Read {
        sheet: Sheet { headers, rows },
        hotspot: HotspotPlan {
            router_id: conn.id,
            profiles: mk_profiles,
            users,
        },
        notes,
    })
}

pub(crate) struct HotspotEval {
    pub results: Vec<RowResult>,
    good: Vec<usize>,
    /// router profile → existing voucher profile
    existing: HashMap<String, Uuid>,
    taken_names: HashSet<String>,
}

impl HotspotEval {
    fn needed_profiles<'a>(&self, plan: &'a HotspotPlan) -> Vec<&'a MikhmonProfile> {
        let used: HashSet<&str> = self
            .good
            .iter()
            .map(|i| plan.users[*i].profile.as_str())
            .collect();
        plan.profiles
            .iter()
            .filter(|p| used.contains(p.name.as_str()) && !self.existing.contains_key(&p.name))
            .collect()
    }

    /// Voucher profiles a commit would create.
    pub fn new_profiles(&self, plan: &HotspotPlan) -> i64 {
        i64::try_from(self.needed_profiles(plan).len()).unwrap_or(i64::MAX)
    }

    pub fn good_count(&self) -> i64 {
        i64::try_from(self.good.len()).unwrap_or(i64::MAX)
    }
}

pub(crate) async fn evaluate(
    conn: &mut PgConnection,
    plan: &HotspotPlan,
    offset: usize,
) -> Result<HotspotEval, Error> {
    let codes: Vec<String> = plan.users.iter().map(|u| u.name.clone()).collect();
    let taken: HashSet<String> =
        sqlx::query_scalar("select code from vouchers where code = any($1)")
            .bind(&codes)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let existing: HashMap<String, Uuid> =
        sqlx::query_as::<_, (String, Uuid)>("select router_profile, id from voucher_profiles")
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
    let taken_names: HashSet<String> = sqlx::query_scalar("select name from voucher_profiles")
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    let known: HashSet<&str> = plan.profiles.iter().map(|p| p.name.as_str()).collect();
    let mut results = Vec::new();
    let mut good = Vec::new();
    let mut seen = HashSet::new();
    for (i, u) in plan.users.iter().enumerate() {
        let mut errors = Vec::new();
        let mut duplicate = false;
        if taken.contains(&u.name) || !seen.insert(u.name.clone()) {
            duplicate = true;
            errors.push(RowError {
                field: "code".into(),
                message: format!("the voucher {} already exists", u.name),
            });
        }
        if !known.contains(u.profile.as_str()) && !existing.contains_key(&u.profile) {
            errors.push(RowError {
                field: "profile".into(),
                message: format!(
                    "the profile {} carries no Mikhmon price or validity",
                    u.profile
                ),
            });
        }
        if !u.password_known {
            errors.push(RowError {
                field: "password".into(),
                message: "the router did not give the password".into(),
            });
        }
        let status = if errors.is_empty() {
            good.push(i);
            "ok"
        } else if duplicate {
            "duplicate"
        } else {
            "error"
        };
        results.push(RowResult {
            row: i32::try_from(offset + i + 1).unwrap_or(i32::MAX),
            label: format!("voucher {} ({})", u.name, u.profile),
            status: status.into(),
            errors,
            customer_id: None,
        });
    }
    Ok(HotspotEval {
        results,
        good,
        existing,
        taken_names,
    })
}

/// Writes voucher profiles, one import batch per profile and the vouchers (linked to the
/// router users by id). Returns (profiles created, vouchers written).
pub(crate) async fn write(
    conn: &mut PgConnection,
    ctx: &AppContext,
    user_name: &str,
    plan: &HotspotPlan,
    eval: &mut HotspotEval,
) -> Result<(i64, i64), Error> {
    let now = ctx.clock.now();
    let mut profile_ids = eval.existing.clone();
    let mut created = 0;
    for p in eval.needed_profiles(plan) {
        let id = Uuid::now_v7();
        let name = if eval.taken_names.contains(&p.name) {
            format!("{} (Mikhmon)", p.name)
        } else {
            p.name.clone()
        };
        sqlx::query(
            "insert into voucher_profiles (id, name, router_profile, price, validity_secs, \
                                           rate_limit, shared_users) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(&name)
        .bind(&p.name)
        .bind(p.price.max(0))
        .bind(p.validity_secs)
        .bind(&p.rate_limit)
        .bind(p.shared_users)
        .execute(&mut *conn)
        .await?;
        // The profile is on this router as Mikhmon left it: recorded as in place, so the
        // profile sync does not rewrite its on-login script behind the owner's back.
        sqlx::query(
            "insert into voucher_profile_routers (profile_id, router_id, synced_at) \
             values ($1, $2, $3) on conflict do nothing",
        )
        .bind(id)
        .bind(plan.router_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        profile_ids.insert(p.name.clone(), id);
        created += 1;
    }
    let prices: HashMap<&str, i64> = plan
        .profiles
        .iter()
        .map(|p| (p.name.as_str(), p.price.max(0)))
        .collect();
    let mut by_profile: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for i in &eval.good {
        by_profile
            .entry(plan.users[*i].profile.as_str())
            .or_default()
            .push(*i);
    }
    let mut written = 0;
    for (profile, members) in by_profile {
        let profile_id = *profile_ids
            .get(profile)
            .ok_or_else(|| anyhow::anyhow!("profile {profile} missing"))?;
        let price = match prices.get(profile) {
            Some(p) => *p,
            None => {
                sqlx::query_scalar("select price from voucher_profiles where id = $1")
                    .bind(profile_id)
                    .fetch_one(&mut *conn)
                    .await?
            }
        };
        for chunk in members.chunks(10_000) {
            let batch_id = Uuid::now_v7();
            let longest = chunk
                .iter()
                .map(|i| plan.users[*i].name.chars().count())
                .max()
                .unwrap_or(4);
            sqlx::query(
                "insert into voucher_batches (id, profile_id, router_id, count, code_length, \
                     charset, prefix, separate_password, price, base_price, status, \
                     created_by_name, created_at, completed_at) \
                 values ($1, $2, $3, $4, $5, 'mixed', '', $6, $7, $7, 'ready', $8, $9, $9)",
            )
            .bind(batch_id)
            .bind(profile_id)
            .bind(plan.router_id)
            .bind(i32::try_from(chunk.len()).unwrap_or(10_000))
            .bind(i32::try_from(longest.clamp(4, 16)).unwrap_or(16))
            .bind(chunk.iter().any(|i| plan.users[*i].password.is_some()))
            .bind(price)
            .bind(format!("{user_name} (impor Mikhmon)"))
            .bind(now)
            .execute(&mut *conn)
            .await?;
            for (seq, i) in chunk.iter().enumerate() {
                let u = &plan.users[*i];
                let sealed = u
                    .password
                    .as_deref()
                    .map(|p| ctx.cipher.seal(p))
                    .transpose()?;
                sqlx::query(
                    "insert into vouchers (id, batch_id, seq, code, password, profile_id, \
                         router_id, status, router_user_id, expires_at, uptime_secs, bytes_in, \
                         bytes_out, first_login_at) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
                )
                .bind(Uuid::now_v7())
                .bind(batch_id)
                .bind(i32::try_from(seq + 1).unwrap_or(i32::MAX))
                .bind(&u.name)
                .bind(sealed)
                .bind(profile_id)
                .bind(plan.router_id)
                .bind(&u.status)
                .bind(&u.router_user_id)
                .bind(u.expires_at)
                .bind(u.uptime_secs)
                .bind(u.bytes_in)
                .bind(u.bytes_out)
                .bind(u.first_login_at)
                .execute(&mut *conn)
                .await?;
                if let Some(r) = eval.results.get_mut(*i) {
                    r.status = "imported".into();
                }
                written += 1;
            }
        }
    }
    Ok((created, written))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mikhmon_profile_script_carries_price_and_validity() {
        let script =
            ":put (\",rem,5000,1d,6000,,Disable,\"); {:local date [ /system clock get date ]}";
        assert_eq!(profile_data(script), Some((6000, Some(86_400))));
        let script = ":put (\",ntf,25000,30d,0,,Enable,\"); {}";
        assert_eq!(profile_data(script), Some((25_000, Some(30 * 86_400))));
        assert_eq!(profile_data(":log info hello"), None);
    }

    #[test]
    fn comments_tell_generated_from_used() {
        assert_eq!(comment_state("vc-437-11.28.26-promo"), Some(None));
        assert_eq!(comment_state("up-120-11.28.26-"), Some(None));
        let v6 = comment_state("jan/02/2026 10:20:30")
            .flatten()
            .expect("v6 date");
        assert_eq!(v6.to_string(), "2026-01-02 10:20:30");
        let v7 = comment_state("2026-07-14 08:00:00")
            .flatten()
            .expect("v7 date");
        assert_eq!(v7.to_string(), "2026-07-14 08:00:00");
        assert_eq!(comment_state("pelanggan lama"), None);
    }

    #[test]
    fn secret_comments_name_the_customer() {
        assert_eq!(
            name_and_phone("Budi Santoso - 0812-3456-7890"),
            ("Budi Santoso".to_owned(), "0812-3456-7890".to_owned())
        );
        assert_eq!(
            name_and_phone("Rumah Pak RT"),
            ("Rumah Pak RT".to_owned(), String::new())
        );
        assert_eq!(parse_validity("1w2d"), Some(9 * 86_400));
    }
}
