//! Service packages.

use billing_domain::{Money, PlanId};
use serde::Serialize;

use crate::{AppContext, Error};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Plan {
    #[schema(value_type = Uuid)]
    pub id: PlanId,
    pub name: String,
    #[schema(value_type = i64)]
    pub price: Money,
    pub kind: String,
    pub router_profile: String,
    pub speed_label: String,
    pub active: bool,
    pub subscription_count: i64,
    /// Routers whose profiles were read (sync) and lack this plan's profile: subscriptions on
    /// them cannot be put on the router until it is made there.
    pub profile_missing_on: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    pub name: Option<String>,
    pub price: Option<Money>,
    pub kind: Option<String>,
    pub router_profile: Option<String>,
    pub speed_label: Option<String>,
    pub active: Option<bool>,
}

const SELECT: &str = "select p.id, p.name, p.price, p.kind, p.router_profile, p.speed_label, \
    p.active, (select count(*) from subscriptions s where s.plan_id = p.id \
               and s.status <> 'terminated') as subscription_count, \
    coalesce((select array_agg(r.name order by r.name) from routers r \
              where exists (select 1 from router_profiles k where k.router_id = r.id) \
                and not exists (select 1 from router_profiles k where k.router_id = r.id \
                    and k.active and k.name = p.router_profile \
                    and k.kind = case p.kind when 'pppoe' then 'ppp' else 'hotspot' end)), \
             '{}') as profile_missing_on \
    from plans p";

pub(crate) fn validate(input: &PlanInput, creating: bool) -> Result<(), Error> {
    if creating || input.name.is_some() {
        let name = input.name.as_deref().unwrap_or_default().trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(Error::validation(
                "name",
                "the plan name must be 1 to 80 characters",
            ));
        }
    }
    if creating || input.price.is_some() {
        match input.price {
            Some(p) if p.is_positive() && p.minor() <= billing_domain::money::MAX_INPUT => {}
            _ => {
                return Err(Error::validation(
                    "price",
                    "the price must be a positive amount of rupiah",
                ))
            }
        }
    }
    if (creating || input.kind.is_some())
        && !matches!(input.kind.as_deref(), Some("pppoe" | "hotspot"))
    {
        return Err(Error::validation("kind", "kind must be pppoe or hotspot"));
    }
    if (creating || input.router_profile.is_some())
        && input
            .router_profile
            .as_deref()
            .unwrap_or_default()
            .trim()
            .is_empty()
    {
        return Err(Error::validation(
            "router_profile",
            "the router profile is required",
        ));
    }
    Ok(())
}

fn map_unique(err: sqlx::Error) -> Error {
    if crate::is_constraint_violation(&err, "plans_name_key") {
        Error::conflict_on("name", "a plan with this name already exists")
    } else {
        err.into()
    }
}

pub async fn create(ctx: &AppContext, input: PlanInput) -> Result<Plan, Error> {
    validate(&input, true)?;
    let id = PlanId::new();
    let mut conn = ctx.pool.acquire().await?;
    insert_in(&mut conn, id, &input).await?;
    drop(conn);
    get(ctx, id).await
}

/// Writes a plan that passed [`validate`] (the create use-case and the import share it).
pub(crate) async fn insert_in(
    conn: &mut sqlx::PgConnection,
    id: PlanId,
    input: &PlanInput,
) -> Result<(), Error> {
    sqlx::query(
        "insert into plans (id, name, price, kind, router_profile, speed_label, active) \
         values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(input.name.as_deref().map(str::trim))
    .bind(input.price)
    .bind(&input.kind)
    .bind(input.router_profile.as_deref().map(str::trim))
    .bind(input.speed_label.as_deref().unwrap_or_default().trim())
    .bind(input.active.unwrap_or(true))
    .execute(conn)
    .await
    .map_err(map_unique)?;
    Ok(())
}

pub async fn update(ctx: &AppContext, id: PlanId, input: PlanInput) -> Result<Plan, Error> {
    validate(&input, false)?;
    let done = sqlx::query(
        "update plans set name = coalesce($2, name), price = coalesce($3, price), \
         kind = coalesce($4, kind), router_profile = coalesce($5, router_profile), \
         speed_label = coalesce($6, speed_label), active = coalesce($7, active) where id = $1",
    )
    .bind(id)
    .bind(input.name.as_deref().map(str::trim))
    .bind(input.price)
    .bind(&input.kind)
    .bind(input.router_profile.as_deref().map(str::trim))
    .bind(input.speed_label.as_deref().map(str::trim))
    .bind(input.active)
    .execute(&ctx.pool)
    .await
    .map_err(map_unique)?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound("plan"));
    }
    get(ctx, id).await
}

/// Deletes a plan nobody ever subscribed to; plans in use are deactivated instead.
pub async fn delete(ctx: &AppContext, id: PlanId) -> Result<(), Error> {
    let mut tx = ctx.pool.begin().await?;
    let used: Option<i64> = sqlx::query_scalar(
        "select (select count(*) from subscriptions s where s.plan_id = p.id) \
                            from plans p where p.id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    match used {
        None => return Err(Error::NotFound("plan")),
        Some(n) if n > 0 => {
            return Err(Error::conflict(format!(
                "the plan is used by {n} subscription(s); deactivate it instead"
            )))
        }
        Some(_) => {}
    }
    sqlx::query("delete from plans where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get(ctx: &AppContext, id: PlanId) -> Result<Plan, Error> {
    sqlx::query_as(&format!("{SELECT} where p.id = $1"))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .ok_or(Error::NotFound("plan"))
}

pub async fn list(ctx: &AppContext) -> Result<Vec<Plan>, Error> {
    Ok(
        sqlx::query_as(&format!("{SELECT} order by p.active desc, p.price, p.name"))
            .fetch_all(&ctx.pool)
            .await?,
    )
}
