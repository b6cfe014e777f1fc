//! Resellers: a login of their own, a share of each voucher's price, and a deposit kept on an
//! append-only ledger (each entry carries the balance after it; the balance never goes
//! below zero).

use crate::access::accounts;
use billing_domain::{Password, Role, UserId, Username};
use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::{access::password, AppContext, Error};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Reseller {
    pub id: Uuid,
    pub user_id: Uuid,
    pub username: String,
    pub name: String,
    pub phone: Option<String>,
    /// The reseller's share of the price, in basis points (1000 = 10 %).
    pub commission_bp: i32,
    pub active: bool,
    /// Deposit left, in rupiah.
    pub balance: i64,
    /// Vouchers not sold yet.
    pub stock: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default)]
pub struct ResellerInput {
    pub username: Option<String>,
    pub password: Option<String>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub commission_bp: Option<i32>,
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
#[schema(as = ResellerLedgerEntry)]
pub struct LedgerEntry {
    pub id: i64,
    /// deposit, withdrawal, stock (vouchers taken) or refund.
    pub kind: String,
    /// Positive adds to the deposit.
    pub amount: i64,
    pub balance_after: i64,
    pub batch_id: Option<Uuid>,
    pub note: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "select r.id, r.user_id, u.username, r.name, r.phone, r.commission_bp, \
    r.active, coalesce((select l.balance_after from reseller_ledger l where l.reseller_id = r.id \
      order by l.id desc limit 1), 0) as balance, \
    (select count(*) from vouchers v where v.reseller_id = r.id and v.status = 'unused') as stock, \
    r.created_at from resellers r join users u on u.id = r.user_id";

/// What the shop receives for a voucher of `price` sold through a reseller with this share.
pub fn base_price(price: i64, commission_bp: i32) -> i64 {
    price - price * i64::from(commission_bp) / 10_000
}

fn validate(input: &ResellerInput, creating: bool) -> Result<(), Error> {
    if creating || input.name.is_some() {
        let n = input.name.as_deref().unwrap_or_default().trim();
        if n.is_empty() || n.chars().count() > 80 {
            return Err(Error::validation(
                "name",
                "the name must be 1 to 80 characters",
            ));
        }
    }
    if let Some(c) = input.commission_bp {
        if !(0..=10_000).contains(&c) {
            return Err(Error::validation(
                "commission_bp",
                "the commission is 0 to 10000 basis points (0–100 %)",
            ));
        }
    }
    Ok(())
}

/// An optional phone, stored as `62…` (the domain's rule and message, as for customers).
fn normalise_phone(phone: Option<&str>) -> Result<Option<String>, Error> {
    Ok(phone
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(billing_domain::PhoneNumber::parse)
        .transpose()?
        .map(|p| p.as_str().to_owned()))
}

fn map_unique_name(e: sqlx::Error) -> Error {
    if crate::is_constraint_violation(&e, "resellers_name_key") {
        Error::conflict_on("name", "a reseller with this name already exists")
    } else {
        e.into()
    }
}

pub async fn create(ctx: &AppContext, input: ResellerInput) -> Result<Reseller, Error> {
    validate(&input, true)?;
    let username = Username::parse(input.username.as_deref().unwrap_or_default())?;
    let pw = Password::parse(input.password.as_deref().unwrap_or_default())?;
    let phone = normalise_phone(input.phone.as_deref())?;
    let hash = password::hash(pw.expose().to_owned()).await?;
    let mut tx = ctx.pool.begin().await?;
    let user_id = UserId(Uuid::now_v7());
    accounts::insert(
        &mut tx,
        accounts::NewUser {
            id: user_id,
            username: &username,
            password_hash: &hash,
            role: Role::Reseller,
        },
    )
    .await
    .map_err(|e| {
        if crate::is_constraint_violation(&e, "users_username_key") {
            Error::conflict_on(
                "username",
                format!("the username {username} is already taken"),
            )
        } else {
            e.into()
        }
    })?;
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into resellers (id, user_id, name, phone, commission_bp) values ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(user_id.0)
    .bind(input.name.as_deref().map(str::trim))
    .bind(&phone)
    .bind(input.commission_bp.unwrap_or(0))
    .execute(&mut *tx)
    .await
    .map_err(map_unique_name)?;
    tx.commit().await?;
    get(ctx, id).await
}

pub async fn update(ctx: &AppContext, id: Uuid, input: ResellerInput) -> Result<Reseller, Error> {
    validate(&input, false)?;
    let phone = match &input.phone {
        Some(p) => Some(normalise_phone(Some(p))?.unwrap_or_default()),
        None => None,
    };
    let mut tx = ctx.pool.begin().await?;
    let user_id: Option<Uuid> = sqlx::query_scalar(
        "update resellers set name = coalesce($2, name), \
         phone = case when $3::text is null then phone else nullif($3, '') end, \
         commission_bp = coalesce($4, commission_bp), active = coalesce($5, active) \
         where id = $1 returning user_id",
    )
    .bind(id)
    .bind(input.name.as_deref().map(str::trim))
    .bind(&phone)
    .bind(input.commission_bp)
    .bind(input.active)
    .fetch_optional(&mut *tx)
    .await
    .map_err(map_unique_name)?;
    let user_id = user_id.ok_or(Error::NotFound("reseller"))?;
    if let Some(active) = input.active {
        // A deactivated reseller cannot log in; their sessions end.
        sqlx::query(
            "update users set disabled_at = case when $2 then null else coalesce(disabled_at, $3) end \
             where id = $1",
        )
        .bind(user_id)
        .bind(active)
        .bind(ctx.clock.now())
        .execute(&mut *tx)
        .await?;
        if !active {
            sqlx::query("update refresh_tokens set revoked_at = $2 where user_id = $1 and revoked_at is null")
                .bind(user_id)
                .bind(ctx.clock.now())
                .execute(&mut *tx)
                .await?;
        }
    }
    if let Some(pw) = &input.password {
        let pw = Password::parse(pw)?;
        let hash = password::hash(pw.expose().to_owned()).await?;
        sqlx::query("update users set password_hash = $2 where id = $1")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    get(ctx, id).await
}

pub async fn get(ctx: &AppContext, id: Uuid) -> Result<Reseller, Error> {
    sqlx::query_as(&format!("{SELECT} where r.id = $1"))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("reseller"))
}

/// The reseller record of a logged-in reseller user.
pub async fn of_user(ctx: &AppContext, user_id: Uuid) -> Result<Reseller, Error> {
    sqlx::query_as(&format!("{SELECT} where r.user_id = $1"))
        .bind(user_id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("reseller"))
}

pub async fn list(ctx: &AppContext) -> Result<Vec<Reseller>, Error> {
    Ok(
        sqlx::query_as(&format!("{SELECT} order by r.active desc, r.name"))
            .fetch_all(&ctx.pool)
            .await?,
    )
}

/// Appends to the ledger inside the caller's transaction; refuses an overdraft.
pub(crate) async fn append(
    conn: &mut PgConnection,
    reseller_id: Uuid,
    kind: &str,
    amount: i64,
    batch_id: Option<Uuid>,
    note: &str,
    created_by: &str,
) -> Result<LedgerEntry, Error> {
    // The row lock serialises entries of one reseller, so balances chain correctly.
    let found: Option<Uuid> =
        sqlx::query_scalar("select id from resellers where id = $1 for update")
            .bind(reseller_id)
            .fetch_optional(&mut *conn)
            .await?;
    found.ok_or(Error::NotFound("reseller"))?;
    let balance: i64 = sqlx::query_scalar(
        "select coalesce((select balance_after from reseller_ledger where reseller_id = $1 \
         order by id desc limit 1), 0)",
    )
    .bind(reseller_id)
    .fetch_one(&mut *conn)
    .await?;
    let after = balance
        .checked_add(amount)
        .ok_or_else(|| Error::validation("amount", "the amount is too large"))?;
    if after < 0 {
        return Err(Error::validation(
            "amount",
            format!(
                "the deposit is Rp {balance}; Rp {} is more than that",
                -amount
            ),
        ));
    }
    Ok(sqlx::query_as(
        "insert into reseller_ledger (reseller_id, kind, amount, balance_after, batch_id, note, created_by) \
         values ($1, $2, $3, $4, $5, $6, $7) \
         returning id, kind, amount, balance_after, batch_id, note, created_by, created_at",
    )
    .bind(reseller_id)
    .bind(kind)
    .bind(amount)
    .bind(after)
    .bind(batch_id)
    .bind(note)
    .bind(created_by)
    .fetch_one(&mut *conn)
    .await?)
}

/// Money the reseller hands over (`deposit`, positive) or gets back (`withdrawal`).
pub async fn record_deposit(
    ctx: &AppContext,
    reseller_id: Uuid,
    kind: &str,
    amount: i64,
    note: &str,
    created_by: &str,
) -> Result<LedgerEntry, Error> {
    if !matches!(kind, "deposit" | "withdrawal") {
        return Err(Error::validation("kind", "kind is deposit or withdrawal"));
    }
    if amount <= 0 || amount > billing_domain::money::MAX_INPUT {
        return Err(Error::validation(
            "amount",
            "the amount must be a positive number of rupiah",
        ));
    }
    let signed = if kind == "deposit" { amount } else { -amount };
    let mut tx = ctx.pool.begin().await?;
    let entry = append(
        &mut tx,
        reseller_id,
        kind,
        signed,
        None,
        note.trim(),
        created_by,
    )
    .await?;
    tx.commit().await?;
    Ok(entry)
}

pub async fn ledger(ctx: &AppContext, reseller_id: Uuid) -> Result<Vec<LedgerEntry>, Error> {
    get(ctx, reseller_id).await?;
    Ok(sqlx::query_as(
        "select id, kind, amount, balance_after, batch_id, note, created_by, created_at \
         from reseller_ledger where reseller_id = $1 order by id desc limit 500",
    )
    .bind(reseller_id)
    .fetch_all(&ctx.pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_price_keeps_the_commission_for_the_reseller() {
        assert_eq!(base_price(5_000, 1_000), 4_500);
        assert_eq!(base_price(5_000, 0), 5_000);
        assert_eq!(base_price(3_333, 1_500), 2_834);
        assert_eq!(base_price(5_000, 10_000), 0);
    }
}
