//! Owner accounts, login, rotating refresh tokens and access-token verification.

use anyhow::Context as _;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use billing_domain::{Password, Role, UserId, Username};
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::access::access_log::{self, AccessKind, NewAccessEvent};
use crate::access::current_user::CurrentUser;
use crate::access::{accounts, login_attempts, refresh_tokens};

pub use crate::access::access_log::Client;
use crate::{access::password, AppContext, Error};

const ISSUER: &str = "mikrobill";

/// Whether an owner may be created only on a fresh installation (first-run screen) or
/// also next to existing ones (the `admin create` command, run by whoever holds the machine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerPolicy {
    FirstOnly,
    Additional,
}

#[derive(Debug, Clone)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub username: String,
    pub role: Role,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    /// The user's token version when issued; bumping it ends every token at once.
    #[serde(default)]
    pub ver: i32,
    /// The session (refresh-token family) the token belongs to.
    #[serde(default)]
    pub sid: Option<Uuid>,
}

pub async fn needs_owner(ctx: &AppContext) -> Result<bool, Error> {
    let mut conn = ctx.pool.acquire().await?;
    Ok(accounts::count(&mut conn).await? == 0)
}

#[tracing::instrument(skip_all, fields(username = %username_raw))]
pub async fn create_owner(
    ctx: &AppContext,
    username_raw: &str,
    password_raw: &str,
    policy: OwnerPolicy,
) -> Result<UserId, Error> {
    let username = Username::parse(username_raw)?;
    let password = Password::parse(password_raw)?;
    let hash = password::hash(password.expose().to_owned()).await?;

    let mut tx = ctx.pool.begin().await?;
    accounts::lock_for_first_owner(&mut tx).await?;
    if policy == OwnerPolicy::FirstOnly && accounts::count(&mut tx).await? > 0 {
        return Err(Error::conflict(
            "an owner account already exists; log in instead",
        ));
    }
    let id = UserId(Uuid::now_v7());
    let new = accounts::NewUser {
        id,
        username: &username,
        password_hash: &hash,
        role: Role::Owner,
    };
    if let Err(err) = accounts::insert(&mut tx, new).await {
        if crate::is_constraint_violation(&err, "users_username_key") {
            return Err(Error::conflict_on(
                "username",
                format!("the username {username} is already taken"),
            ));
        }
        return Err(err.into());
    }
    tx.commit().await?;
    tracing::info!(user_id = %id, "owner account created");
    Ok(id)
}

/// Creates the first owner and logs them in, in one step (the first-run screen).
pub async fn create_first_owner(
    ctx: &AppContext,
    username: &str,
    password: &str,
) -> Result<TokenPair, Error> {
    create_owner(ctx, username, password, OwnerPolicy::FirstOnly).await?;
    login(ctx, username, password, None).await
}

/// Sets a new password for an existing user (the `admin reset-password` path).
pub async fn set_password(
    ctx: &AppContext,
    username: &str,
    password_raw: &str,
) -> Result<(), Error> {
    let password = Password::parse(password_raw)?;
    let hash = password::hash(password.expose().to_owned()).await?;
    let mut tx = ctx.pool.begin().await?;
    let user = accounts::find_by_username(&mut tx, &username.trim().to_ascii_lowercase())
        .await?
        .ok_or(Error::NotFound("user"))?;
    accounts::update_password_hash(&mut tx, user.user_id(), &hash).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn login(
    ctx: &AppContext,
    username_raw: &str,
    password_raw: &str,
    remote_addr: Option<&str>,
) -> Result<TokenPair, Error> {
    let client = Client {
        remote_addr,
        user_agent: None,
    };
    login_with_code(ctx, username_raw, password_raw, None, client).await
}

/// Logs in; accounts with the second factor on also need the current code (`totp`).
#[tracing::instrument(skip_all, fields(username = %username_raw))]
pub async fn login_with_code(
    ctx: &AppContext,
    username_raw: &str,
    password_raw: &str,
    totp: Option<&str>,
    client: Client<'_>,
) -> Result<TokenPair, Error> {
    let remote_addr = client.remote_addr;
    let now = ctx.clock.now();
    let username = username_raw.trim().to_ascii_lowercase();
    if username.is_empty() {
        return Err(Error::Validation {
            field: "username",
            message: "username is required".into(),
        });
    }
    if password_raw.is_empty() {
        return Err(Error::Validation {
            field: "password",
            message: "password is required".into(),
        });
    }

    let mut conn = ctx.pool.acquire().await?;
    let since = now - ctx.auth.lockout_window;
    let locked = login_attempts::lock_started(
        &mut conn,
        &username,
        remote_addr,
        since,
        ctx.auth.max_failed_logins,
    )
    .await?;
    if let Some(started) = locked {
        // Rounded up, so a client that waits exactly this long is let in.
        let left_ms = (started + ctx.auth.lockout_window - now).num_milliseconds();
        let left = ((left_ms + 999) / 1000).max(1);
        record_attempt(
            &mut conn,
            &username,
            None,
            false,
            Some("locked_out"),
            client,
            now,
        )
        .await?;
        return Err(Error::TooManyAttempts {
            retry_after_secs: left,
        });
    }

    let user = accounts::find_by_username(&mut conn, &username).await?;
    // Hashing takes a while: no pooled connection is held meanwhile, so a burst of logins
    // cannot starve the pool.
    drop(conn);
    let ok = password::verify(
        password_raw.to_owned(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await?;
    let mut conn = ctx.pool.acquire().await?;
    let user = match user {
        Some(user) if ok && user.disabled_at.is_none() => user,
        Some(user) => {
            let reason = if ok { "disabled" } else { "bad_password" };
            record_attempt(
                &mut conn,
                &username,
                Some(user.id),
                false,
                Some(reason),
                client,
                now,
            )
            .await?;
            return Err(bad_credentials());
        }
        None => {
            record_attempt(
                &mut conn,
                &username,
                None,
                false,
                Some("unknown_user"),
                client,
                now,
            )
            .await?;
            return Err(bad_credentials());
        }
    };
    let role = user.role().context("user has an unknown role")?;
    match crate::access::totp::check_login(ctx, &mut conn, user.user_id(), totp).await? {
        crate::access::totp::LoginFactor::Passed => {}
        crate::access::totp::LoginFactor::Missing => {
            return Err(Error::validation(
                "totp",
                "enter the 6-digit code from your authenticator app",
            ));
        }
        crate::access::totp::LoginFactor::Wrong => {
            record_attempt(
                &mut conn,
                &username,
                Some(user.id),
                false,
                Some("bad_totp"),
                client,
                now,
            )
            .await?;
            return Err(Error::Unauthorized("the code is not right".into()));
        }
    }

    let mut tx = ctx.pool.begin().await?;
    record_attempt(&mut tx, &username, Some(user.id), true, None, client, now).await?;
    if access_log::is_new_address(&mut tx, user.id, remote_addr).await? {
        let event = NewAccessEvent {
            at: now,
            kind: AccessKind::LoginNewAddress,
            user_id: Some(user.id),
            username: &username,
            reason: None,
            client,
        };
        access_log::record_on(&mut tx, event).await?;
    }
    let event = NewAccessEvent {
        at: now,
        kind: AccessKind::LoginSucceeded,
        user_id: Some(user.id),
        username: &username,
        reason: None,
        client,
    };
    access_log::record_on(&mut tx, event).await?;
    accounts::touch_last_login(&mut tx, user.user_id(), now).await?;
    let current = CurrentUser {
        id: user.user_id(),
        username: user.username.clone(),
        role,
        token_version: user.token_version,
        session: None,
    };
    let pair = issue_pair(ctx, &mut tx, &current, Uuid::now_v7(), now).await?;
    tx.commit().await?;
    Ok(pair)
}

/// Exchanges a refresh token for a new pair. The presented token is spent; presenting
/// a spent token again revokes every token of its family (their access tokens stop working
/// at once) and records `refresh_token_reused` in the security log: one of the two holders
/// stole it.
pub async fn refresh(
    ctx: &AppContext,
    refresh_token: &str,
    client: Client<'_>,
) -> Result<TokenPair, Error> {
    let now = ctx.clock.now();
    let hash = token_hash(refresh_token);
    let mut tx = ctx.pool.begin().await?;
    let Some(row) = refresh_tokens::find_by_hash_for_update(&mut tx, &hash).await? else {
        return Err(Error::Unauthorized(
            "the session is not valid; log in again".into(),
        ));
    };
    if row.revoked_at.is_some() {
        if row.replaced_by.is_some() {
            let n = refresh_tokens::revoke_family(&mut tx, row.family_id, now).await?;
            let username = accounts::find_by_id(&mut tx, UserId(row.user_id))
                .await?
                .map(|u| u.username);
            let detail = format!(
                "a spent refresh token ({}) of session {} was presented again; the session was \
                 ended ({n} live token(s) revoked, its access tokens refused)",
                crate::access::security::token_fingerprint(refresh_token),
                row.family_id,
            );
            crate::access::security::record_on(
                &mut tx,
                now,
                "refresh_token_reused",
                username.as_deref(),
                &detail,
                serde_json::json!({ "revoked": n }),
                client,
            )
            .await?;
            tx.commit().await?;
        }
        return Err(Error::Unauthorized(
            "the session has ended; log in again".into(),
        ));
    }
    if row.expires_at <= now {
        return Err(Error::Unauthorized(
            "the session has expired; log in again".into(),
        ));
    }
    let user = accounts::find_by_id(&mut tx, UserId(row.user_id))
        .await?
        .filter(|u| u.disabled_at.is_none())
        .ok_or_else(|| Error::Unauthorized("the account is no longer active".into()))?;
    let role = user.role().context("user has an unknown role")?;
    let current = CurrentUser {
        id: user.user_id(),
        username: user.username,
        role,
        token_version: user.token_version,
        session: None,
    };
    let pair = issue_pair(ctx, &mut tx, &current, row.family_id, now).await?;
    let event = NewAccessEvent {
        at: now,
        kind: AccessKind::TokenRefreshed,
        user_id: Some(current.id.0),
        username: &current.username,
        reason: None,
        client,
    };
    access_log::record_on(&mut tx, event).await?;
    let new_id = refresh_tokens::find_by_hash_for_update(&mut tx, &token_hash(&pair.refresh_token))
        .await?
        .context("the new refresh token was just inserted")?
        .id;
    refresh_tokens::mark_replaced(&mut tx, row.id, new_id, now).await?;
    tx.commit().await?;
    Ok(pair)
}

/// Ends the session of a refresh token. Unknown or already-ended tokens are fine (and not
/// logged: only the end of a live session is a sign-out).
pub async fn logout(
    ctx: &AppContext,
    refresh_token: &str,
    client: Client<'_>,
) -> Result<(), Error> {
    let now = ctx.clock.now();
    let mut tx = ctx.pool.begin().await?;
    if let Some(row) =
        refresh_tokens::find_by_hash_for_update(&mut tx, &token_hash(refresh_token)).await?
    {
        refresh_tokens::revoke_family(&mut tx, row.family_id, now).await?;
        let user = accounts::find_by_id(&mut tx, UserId(row.user_id)).await?;
        if let (None, Some(user)) = (row.revoked_at, user) {
            let event = NewAccessEvent {
                at: now,
                kind: AccessKind::Logout,
                user_id: Some(user.id),
                username: &user.username,
                reason: Some("session"),
                client,
            };
            access_log::record_on(&mut tx, event).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Checks an access token's signature, issuer and expiry (against the injected clock).
pub fn verify_access_token(ctx: &AppContext, token: &str) -> Result<CurrentUser, Error> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation.set_issuer(&[ISSUER]);
    validation.set_required_spec_claims(&["exp", "iss", "sub"]);
    let key = DecodingKey::from_secret(ctx.auth.signing_key.expose_secret());
    let data = jsonwebtoken::decode::<Claims>(token, &key, &validation)
        .map_err(|_| Error::Unauthorized("the access token is not valid".into()))?;
    if data.claims.exp <= ctx.clock.now().timestamp() {
        return Err(Error::Unauthorized("the access token has expired".into()));
    }
    Ok(CurrentUser {
        id: UserId(data.claims.sub),
        username: data.claims.username,
        role: data.claims.role,
        token_version: data.claims.ver,
        session: data.claims.sid,
    })
}

/// Why a presented access token was refused (for the security log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRejection {
    /// Bad signature, wrong algorithm, malformed, tampered.
    Invalid,
    Expired,
    /// The account was disabled, its password reset, or it logged out everywhere.
    Revoked,
}

/// Checks an access token and the account behind it: it must still exist, be enabled,
/// have the token version the token was issued with, and the token's session must still be
/// open (no logout, no ended session, no reused refresh token). The role comes from the
/// database, so a role change applies at once. One query per request, no cache: every app
/// instance on the same database refuses an ended session on the very next request.
///
/// Tokens without a session (`sid`, issued by versions before it existed) are refused like
/// an ended session; the dashboard then renews its pair with the refresh token and goes on.
pub async fn authenticate(
    ctx: &AppContext,
    token: &str,
) -> Result<CurrentUser, (TokenRejection, Error)> {
    let mut user = verify_access_token(ctx, token).map_err(|e| {
        let kind = match &e {
            Error::Unauthorized(m) if m.contains("expired") => TokenRejection::Expired,
            _ => TokenRejection::Invalid,
        };
        (kind, e)
    })?;
    let revoked = || {
        (
            TokenRejection::Revoked,
            Error::Unauthorized("the session has ended; log in again".into()),
        )
    };
    let mut conn = ctx
        .pool
        .acquire()
        .await
        .map_err(|e| (TokenRejection::Invalid, e.into()))?;
    let standing = accounts::standing(&mut conn, user.id, user.session)
        .await
        .map_err(|e| (TokenRejection::Invalid, e.into()))?
        .ok_or_else(revoked)?;
    if !standing.may_act(user.token_version) {
        return Err(revoked());
    }
    user.role = Role::parse(&standing.role).ok_or_else(revoked)?;
    user.username = standing.username;
    Ok(user)
}

/// The account's role now, while it may still act (not disabled, no "log out everywhere"
/// since the token was issued, its session still open); `None` once it may not. For long-lived streams, which outlive
/// the access token they were opened with.
pub async fn current_role(ctx: &AppContext, user: &CurrentUser) -> Result<Option<Role>, Error> {
    let mut conn = ctx.pool.acquire().await?;
    let Some(standing) = accounts::standing(&mut conn, user.id, user.session).await? else {
        return Ok(None);
    };
    if !standing.may_act(user.token_version) {
        return Ok(None);
    }
    Ok(Role::parse(&standing.role))
}

/// Removes refresh tokens that expired long ago (daily housekeeping job).
pub async fn purge_expired_sessions(ctx: &AppContext) -> Result<u64, Error> {
    let mut conn = ctx.pool.acquire().await?;
    let cutoff = ctx.clock.now() - chrono::Duration::days(1);
    Ok(refresh_tokens::delete_expired(&mut conn, cutoff).await?)
}

async fn issue_pair(
    ctx: &AppContext,
    conn: &mut PgConnection,
    user: &CurrentUser,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> Result<TokenPair, Error> {
    let claims = Claims {
        sub: user.id.0,
        username: user.username.clone(),
        role: user.role,
        iat: now.timestamp(),
        exp: (now + ctx.auth.access_ttl).timestamp(),
        iss: ISSUER.into(),
        ver: user.token_version,
        sid: Some(family_id),
    };
    let key = EncodingKey::from_secret(ctx.auth.signing_key.expose_secret());
    let access_token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key)
        .context("signing the access token failed")?;

    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let refresh_token = URL_SAFE_NO_PAD.encode(raw);
    let new = refresh_tokens::NewRefreshToken {
        id: Uuid::now_v7(),
        user_id: user.id.0,
        family_id,
        token_hash: &token_hash(&refresh_token),
        expires_at: now + ctx.auth.refresh_ttl,
    };
    refresh_tokens::insert(conn, new).await?;
    Ok(TokenPair {
        access_token,
        refresh_token,
        expires_in: ctx.auth.access_ttl.num_seconds(),
    })
}

async fn record_attempt(
    conn: &mut PgConnection,
    username: &str,
    user_id: Option<Uuid>,
    succeeded: bool,
    reason: Option<&str>,
    client: Client<'_>,
    at: DateTime<Utc>,
) -> Result<(), Error> {
    let remote_addr = client.remote_addr;
    if !succeeded {
        tracing::info!(username, reason, "login failed");
        let kind = if reason == Some("locked_out") {
            "login_locked_out"
        } else {
            "login_failed"
        };
        let detail = format!("login refused ({})", reason.unwrap_or("unknown"));
        let params = serde_json::json!({ "reason": reason.unwrap_or("unknown") });
        crate::access::security::record_on(conn, at, kind, Some(username), &detail, params, client)
            .await?;
        let event = NewAccessEvent {
            at,
            kind: AccessKind::LoginFailed,
            user_id,
            username,
            reason,
            client,
        };
        access_log::record_on(conn, event).await?;
    }
    let attempt = login_attempts::NewLoginAttempt {
        username,
        user_id,
        succeeded,
        reason,
        remote_addr,
        attempted_at: at,
    };
    Ok(login_attempts::insert(conn, attempt).await?)
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn bad_credentials() -> Error {
    Error::Unauthorized("wrong username or password".into())
}
