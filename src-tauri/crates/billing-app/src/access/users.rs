//! Dashboard accounts managed by the owner and admins: create, change role, disable,
//! reset password; login sessions and logout everywhere.

use crate::access::{accounts, refresh_tokens};
use anyhow::Context as _;
use billing_domain::{Password, Role, UserId, Username};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::access::current_user::CurrentUser;
use crate::{access::password, AppContext, Error};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = StaffUser)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    /// owner, admin, cashier, technician or reseller.
    pub role: String,
    pub disabled: bool,
    pub disabled_at: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<accounts::UserRow> for User {
    fn from(row: accounts::UserRow) -> Self {
        User {
            id: row.id,
            username: row.username,
            role: row.role,
            disabled: row.disabled_at.is_some(),
            disabled_at: row.disabled_at,
            last_login_at: row.last_login_at,
            created_at: row.created_at,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub role: Option<String>,
    pub disabled: Option<bool>,
}

fn parse_staff_role(raw: &str) -> Result<Role, Error> {
    match Role::parse(raw.trim()) {
        Some(Role::Reseller) => Err(Error::validation(
            "role",
            "reseller accounts are created on the Resellers page",
        )),
        Some(role) => Ok(role),
        None => Err(Error::validation(
            "role",
            "role must be owner, admin, cashier or technician",
        )),
    }
}

fn ensure_may_manage(actor: &CurrentUser, role: Role) -> Result<(), Error> {
    if actor.role.may_manage(role) {
        Ok(())
    } else {
        Err(Error::Forbidden(format!(
            "a {} may not manage {} accounts",
            actor.role.as_str(),
            role.as_str()
        )))
    }
}

pub async fn list(ctx: &AppContext) -> Result<Vec<User>, Error> {
    let mut conn = ctx.pool.acquire().await?;
    Ok(accounts::list(&mut conn)
        .await?
        .into_iter()
        .map(User::from)
        .collect())
}

#[tracing::instrument(skip_all, fields(username = %username_raw, role = %role_raw))]
pub async fn create(
    ctx: &AppContext,
    actor: &CurrentUser,
    username_raw: &str,
    password_raw: &str,
    role_raw: &str,
) -> Result<User, Error> {
    let role = parse_staff_role(role_raw)?;
    ensure_may_manage(actor, role)?;
    let username = Username::parse(username_raw)?;
    let password = Password::parse(password_raw)?;
    let hash = password::hash(password.expose().to_owned()).await?;
    let id = UserId(Uuid::now_v7());
    let mut tx = ctx.pool.begin().await?;
    let new = accounts::NewUser {
        id,
        username: &username,
        password_hash: &hash,
        role,
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
    let row = accounts::find_by_id(&mut tx, id)
        .await?
        .context("the user was just inserted")?;
    tx.commit().await?;
    Ok(row.into())
}

/// Changes a user's role and/or disables or enables them. Disabling ends every session
/// and access token at once; the last active owner cannot be demoted or disabled.
#[tracing::instrument(skip_all, fields(user_id = %id))]
pub async fn update(
    ctx: &AppContext,
    actor: &CurrentUser,
    id: UserId,
    change: UserChange,
) -> Result<User, Error> {
    let now = ctx.clock.now();
    let new_role = change.role.as_deref().map(parse_staff_role).transpose()?;
    let mut tx = ctx.pool.begin().await?;
    let row = accounts::find_by_id_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("user"))?;
    let current = row.role().context("user has an unknown role")?;
    ensure_may_manage(actor, current)?;
    if id == actor.id && (new_role.is_some_and(|r| r != current) || change.disabled == Some(true)) {
        return Err(Error::conflict(
            "you cannot change your own role or disable yourself; ask another owner",
        ));
    }
    let demoted = current == Role::Owner && new_role.is_some_and(|r| r != Role::Owner);
    let disabling = change.disabled == Some(true) && row.disabled_at.is_none();
    if current == Role::Owner
        && (demoted || disabling)
        && accounts::count_active_owners_except(&mut tx, id).await? == 0
    {
        return Err(Error::conflict("the last active owner must stay an owner"));
    }
    if let Some(role) = new_role.filter(|r| *r != current) {
        if current == Role::Reseller {
            return Err(Error::validation("role", "a reseller stays a reseller"));
        }
        ensure_may_manage(actor, role)?;
        accounts::set_role(&mut tx, id, role).await?;
    }
    match change.disabled {
        Some(true) if row.disabled_at.is_none() => {
            accounts::set_disabled(&mut tx, id, Some(now)).await?;
            refresh_tokens::revoke_all_for_user(&mut tx, id.0, now).await?;
        }
        Some(false) if row.disabled_at.is_some() => {
            accounts::set_disabled(&mut tx, id, None).await?;
        }
        _ => {}
    }
    let row = accounts::find_by_id(&mut tx, id)
        .await?
        .context("the user was just read")?;
    tx.commit().await?;
    Ok(row.into())
}

/// Sets a new password chosen by the owner/admin; the user's sessions end.
pub async fn reset_password(
    ctx: &AppContext,
    actor: &CurrentUser,
    id: UserId,
    password_raw: &str,
) -> Result<(), Error> {
    let password = Password::parse(password_raw)?;
    let hash = password::hash(password.expose().to_owned()).await?;
    let now = ctx.clock.now();
    let mut tx = ctx.pool.begin().await?;
    let row = accounts::find_by_id_for_update(&mut tx, id)
        .await?
        .ok_or(Error::NotFound("user"))?;
    ensure_may_manage(actor, row.role().context("user has an unknown role")?)?;
    accounts::update_password_hash(&mut tx, id, &hash).await?;
    accounts::bump_token_version(&mut tx, id).await?;
    refresh_tokens::revoke_all_for_user(&mut tx, id.0, now).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = LoginSession)]
pub struct Session {
    pub id: Uuid,
    pub started_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The session of the token that asked.
    pub current: bool,
}

/// The caller's active login sessions, newest first.
pub async fn sessions(ctx: &AppContext, user: &CurrentUser) -> Result<Vec<Session>, Error> {
    let mut conn = ctx.pool.acquire().await?;
    let rows = refresh_tokens::active_sessions(&mut conn, user.id.0, ctx.clock.now()).await?;
    Ok(rows
        .into_iter()
        .map(|r| Session {
            id: r.family_id,
            started_at: r.started_at,
            last_used_at: r.last_used_at,
            expires_at: r.expires_at,
            current: user.session == Some(r.family_id),
        })
        .collect())
}

/// Ends one of the caller's sessions (its refresh token; its access token runs out).
pub async fn end_session(ctx: &AppContext, user: &CurrentUser, id: Uuid) -> Result<(), Error> {
    let mut conn = ctx.pool.acquire().await?;
    if refresh_tokens::revoke_user_family(&mut conn, user.id.0, id, ctx.clock.now()).await? {
        Ok(())
    } else {
        Err(Error::NotFound("session"))
    }
}

/// Logout everywhere: every refresh token ends and every access token stops working.
pub async fn logout_everywhere(
    ctx: &AppContext,
    user: &CurrentUser,
    client: crate::access::access_log::Client<'_>,
) -> Result<u64, Error> {
    let now = ctx.clock.now();
    let mut tx = ctx.pool.begin().await?;
    let n = refresh_tokens::revoke_all_for_user(&mut tx, user.id.0, now).await?;
    accounts::bump_token_version(&mut tx, user.id).await?;
    let event = crate::access::access_log::NewAccessEvent {
        at: now,
        kind: crate::access::access_log::AccessKind::Logout,
        user_id: Some(user.id.0),
        username: &user.username,
        reason: Some("everywhere"),
        client,
    };
    crate::access::access_log::record_on(&mut tx, event).await?;
    tx.commit().await?;
    Ok(n)
}
