//! Optional second factor for owners and admins: time-based one-time codes (RFC 6238,
//! HMAC-SHA1, 6 digits, 30-second steps, one step of clock drift either way), as
//! authenticator apps expect; each code is accepted once. The secret is sealed with the data key before it is stored.

use anyhow::Context as _;
use billing_domain::{Role, UserId};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::Serialize;
use sha1::Sha1;
use sqlx::PgConnection;

use crate::access::current_user::CurrentUser;
use crate::{AppContext, Error};

const STEP_SECS: i64 = 30;
const DIGITS: u32 = 6;

/// The code for one time step (RFC 4226 dynamic truncation).
pub fn code_at(secret: &[u8], step: i64) -> Result<u32, Error> {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).context("TOTP key")?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let bin = (u32::from(digest[offset]) & 0x7f) << 24
        | u32::from(digest[offset + 1]) << 16
        | u32::from(digest[offset + 2]) << 8
        | u32::from(digest[offset + 3]);
    Ok(bin % 10u32.pow(DIGITS))
}

/// Whether `code` is right at `unix_time`, allowing one step of drift.
pub fn verify(secret: &[u8], code: &str, unix_time: i64) -> Result<bool, Error> {
    Ok(matching_step(secret, code, unix_time)?.is_some())
}

/// The time step whose code `code` is, if it is right at `unix_time` (one step of drift).
pub fn matching_step(secret: &[u8], code: &str, unix_time: i64) -> Result<Option<i64>, Error> {
    let code = code.trim().replace(' ', "");
    let Ok(given) = code.parse::<u32>() else {
        return Ok(None);
    };
    if code.len() != DIGITS as usize {
        return Ok(None);
    }
    let step = unix_time.div_euclid(STEP_SECS);
    for s in [step - 1, step, step + 1] {
        if code_at(secret, s)? == given {
            return Ok(Some(s));
        }
    }
    Ok(None)
}

/// Accepts `code` once: right now, and of a later time step than any code this user used
/// before (a replayed code, or an older one, is refused).
async fn accept_once(
    ctx: &AppContext,
    conn: &mut PgConnection,
    id: UserId,
    secret: &[u8],
    code: &str,
) -> Result<bool, Error> {
    let Some(step) = matching_step(secret, code, ctx.clock.now().timestamp())? else {
        return Ok(false);
    };
    let used = sqlx::query(
        "update users set totp_last_step = $2 \
         where id = $1 and (totp_last_step is null or totp_last_step < $2)",
    )
    .bind(id.0)
    .bind(step)
    .execute(&mut *conn)
    .await?;
    Ok(used.rows_affected() == 1)
}

/// RFC 4648 base32 without padding (what authenticator apps read).
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TotpSetup {
    /// The shared secret in base32, for typing into an authenticator app.
    pub secret: String,
    /// `otpauth://` URL (for a QR code).
    pub otpauth_url: String,
}

fn ensure_role(user: &CurrentUser) -> Result<(), Error> {
    if matches!(user.role, Role::Owner | Role::Admin) {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "the second factor is for owner and admin accounts".into(),
        ))
    }
}

/// Starts enrolment: a new secret, not yet required at login until confirmed.
pub async fn begin_setup(ctx: &AppContext, user: &CurrentUser) -> Result<TotpSetup, Error> {
    ensure_role(user)?;
    let mut raw = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let secret = base32(&raw);
    let sealed = ctx.cipher.seal(&secret)?;
    let mut conn = ctx.pool.acquire().await?;
    let row =
        sqlx::query("update users set totp_secret = $2 where id = $1 and totp_enabled_at is null")
            .bind(user.id.0)
            .bind(sealed)
            .execute(&mut *conn)
            .await?;
    if row.rows_affected() == 0 {
        return Err(Error::conflict(
            "the second factor is already on; turn it off first",
        ));
    }
    let otpauth_url = format!(
        "otpauth://totp/mikrobill:{name}?secret={secret}&issuer=mikrobill&digits=6&period=30",
        name = user.username
    );
    Ok(TotpSetup {
        secret,
        otpauth_url,
    })
}

/// The sealed secret and when the factor was turned on.
type StoredFactor = (Option<Vec<u8>>, Option<chrono::DateTime<chrono::Utc>>);

async fn secret_of(
    ctx: &AppContext,
    conn: &mut PgConnection,
    id: UserId,
) -> Result<Option<(Vec<u8>, bool)>, Error> {
    let row: Option<StoredFactor> =
        sqlx::query_as("select totp_secret, totp_enabled_at from users where id = $1")
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    match row {
        Some((Some(sealed), enabled)) => {
            let secret = decode_base32(&ctx.cipher.open(&sealed)?)?;
            Ok(Some((secret, enabled.is_some())))
        }
        _ => Ok(None),
    }
}

pub fn decode_base32(text: &str) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars() {
        let v = match c {
            'A'..='Z' => u32::from(c) - u32::from('A'),
            '2'..='7' => u32::from(c) - u32::from('2') + 26,
            _ => return Err(anyhow::anyhow!("bad base32 in a TOTP secret").into()),
        };
        buffer = (buffer << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Ok(out)
}

/// Confirms enrolment with a code from the app; from then on login asks for a code.
pub async fn enable(ctx: &AppContext, user: &CurrentUser, code: &str) -> Result<(), Error> {
    ensure_role(user)?;
    let mut conn = ctx.pool.acquire().await?;
    let Some((secret, _)) = secret_of(ctx, &mut conn, user.id).await? else {
        return Err(Error::conflict("start the set-up first"));
    };
    if !accept_once(ctx, &mut conn, user.id, &secret, code).await? {
        return Err(Error::validation(
            "code",
            "the code is not right; try the next one",
        ));
    }
    sqlx::query("update users set totp_enabled_at = $2 where id = $1")
        .bind(user.id.0)
        .bind(ctx.clock.now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Turns the second factor off (needs a current code).
pub async fn disable(ctx: &AppContext, user: &CurrentUser, code: &str) -> Result<(), Error> {
    let mut conn = ctx.pool.acquire().await?;
    let Some((secret, true)) = secret_of(ctx, &mut conn, user.id).await? else {
        return Err(Error::conflict("the second factor is not on"));
    };
    if !accept_once(ctx, &mut conn, user.id, &secret, code).await? {
        return Err(Error::validation(
            "code",
            "the code is not right, or was used already; try the next one",
        ));
    }
    sqlx::query("update users set totp_secret = null, totp_enabled_at = null where id = $1")
        .bind(user.id.0)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// At login: whether the second factor passed, is missing, or was wrong.
pub(crate) async fn check_login(
    ctx: &AppContext,
    conn: &mut PgConnection,
    id: UserId,
    code: Option<&str>,
) -> Result<LoginFactor, Error> {
    match secret_of(ctx, conn, id).await? {
        Some((secret, true)) => match code.filter(|c| !c.trim().is_empty()) {
            None => Ok(LoginFactor::Missing),
            Some(code) => {
                if accept_once(ctx, conn, id, &secret, code).await? {
                    Ok(LoginFactor::Passed)
                } else {
                    Ok(LoginFactor::Wrong)
                }
            }
        },
        _ => Ok(LoginFactor::Passed),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LoginFactor {
    Passed,
    Missing,
    Wrong,
}

/// Whether the user has the second factor on.
pub async fn is_enabled(ctx: &AppContext, id: UserId) -> Result<bool, Error> {
    let mut conn = ctx.pool.acquire().await?;
    let on: Option<bool> =
        sqlx::query_scalar("select totp_enabled_at is not null from users where id = $1")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(on.unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_vectors() {
        let secret = b"12345678901234567890";
        // RFC 6238 appendix B (8 digits there; the last 6 here).
        for (time, expected) in [
            (59, 287_082),
            (1_111_111_109, 81_804),
            (2_000_000_000, 279_037),
        ] {
            assert_eq!(code_at(secret, time / 30).expect("code"), expected);
        }
        assert!(verify(secret, "287082", 59).expect("verify"));
        assert!(verify(secret, "287082", 80).expect("one step of drift"));
        assert!(!verify(secret, "287082", 200).expect("too late"));
        assert!(!verify(secret, "abc", 59).expect("garbage"));
    }

    #[test]
    fn base32_round_trips() {
        let raw = b"12345678901234567890";
        let text = base32(raw);
        assert_eq!(text, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(decode_base32(&text).expect("decode"), raw.to_vec());
    }
}
