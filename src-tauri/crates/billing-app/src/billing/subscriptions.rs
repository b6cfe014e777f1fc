//! Subscriptions: a customer on a plan with a router login.

use billing_domain::{
    CustomerId, InvoiceId, Money, PlanId, RouterId, SubscriptionId, SubscriptionStatus,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use crate::billing::monthly_run::{self, Scope};
use crate::ports::RouterAction;
use crate::{billing::invoices, network::outbox, AppContext, Error};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Subscription {
    #[schema(value_type = Uuid)]
    pub id: SubscriptionId,
    #[schema(value_type = Uuid)]
    pub customer_id: CustomerId,
    pub customer_name: String,
    #[schema(value_type = Uuid)]
    pub plan_id: PlanId,
    pub plan_name: String,
    #[schema(value_type = i64)]
    pub price: Money,
    pub kind: String,
    pub login: String,
    #[schema(value_type = Option<Uuid>)]
    pub router_id: Option<RouterId>,
    pub start_on: NaiveDate,
    pub billing_day: i16,
    pub due_days: i16,
    pub grace_days: i16,
    pub status: SubscriptionStatus,
    #[schema(value_type = i64)]
    pub balance: Money,
    /// What is still to pay on this subscription: the remaining amounts of its open invoices.
    #[schema(value_type = i64)]
    pub owed: Money,
    pub created_at: DateTime<Utc>,
    pub router_name: Option<String>,
    /// Whether it is on its router as the database says: `provisioned`, `pending`, `failed`
    /// (with what to do) or `no_router`.
    #[sqlx(skip)]
    pub provisioning: outbox::Provisioning,
    #[sqlx(flatten)]
    #[serde(skip)]
    prov: outbox::ProvisioningRow,
}

impl Subscription {
    fn with_provisioning(mut self) -> Subscription {
        let router = self.router_name.clone().unwrap_or_default();
        self.provisioning = if self.router_id.is_none() && self.prov.prov_status.is_none() {
            outbox::Provisioning::no_router()
        } else {
            let mut p = self.prov.provisioning(&router);
            if self.status == SubscriptionStatus::Terminated && p.state == "provisioned" {
                // Its account was taken off the router when it ended.
                p.state = "removed".to_owned();
            }
            p
        };
        self
    }
}

fn select() -> String {
    format!(
        "select s.id, s.customer_id, c.name as customer_name, s.plan_id, \
    p.name as plan_name, p.price, s.kind, s.login, s.router_id, s.start_on, s.billing_day, s.due_days, \
    s.grace_days, s.status, \
    coalesce((select sum(delta) from ledger_entries l where l.account = 'subscription' \
              and l.subscription_id = s.id), 0)::bigint as balance, \
    coalesce((select sum(i.total - i.paid) from invoices i where i.subscription_id = s.id \
              and i.status in ('unpaid', 'partial')), 0)::bigint as owed, s.created_at, \
    rt.name as router_name, {} \
    from subscriptions s join customers c on c.id = s.customer_id join plans p on p.id = s.plan_id \
    left join routers rt on rt.id = s.router_id {}",
        outbox::PROVISIONING_COLS,
        outbox::PROVISIONING_JOIN
    )
}

#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub customer_id: CustomerId,
    pub plan_id: PlanId,
    pub login: String,
    pub password: String,
    pub start_on: NaiveDate,
    pub billing_day: Option<i16>,
    pub due_days: Option<i16>,
    pub grace_days: Option<i16>,
    /// The router that gets the PPPoE secret (queued in the outbox).
    pub router_id: Option<RouterId>,
    /// Who asked (the audit log of router writes names them).
    pub created_by: Option<String>,
}

fn parse_login(raw: &str) -> Result<String, Error> {
    let login = raw.trim();
    let ok = (2..=64).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !ok {
        return Err(Error::validation(
            "login",
            "the login must be 2 to 64 characters of letters, digits, '.', '_', '-' or '@'",
        ));
    }
    Ok(login.to_owned())
}

/// A new subscription that passed the rules (login, password, days, start date).
#[derive(Debug, Clone)]
pub(crate) struct CheckedSubscription {
    pub login: String,
    pub sealed_password: Vec<u8>,
    pub billing_day: i16,
    pub due_days: i16,
    pub grace_days: i16,
}

/// The rules a new subscription must pass before anything is written (the create use-case
/// and the import share them). The password comes back sealed.
pub(crate) fn check_new(
    ctx: &AppContext,
    input: &NewSubscription,
) -> Result<CheckedSubscription, Error> {
    let login = parse_login(&input.login)?;
    if input.password.chars().count() < 4 || input.password.len() > 128 {
        return Err(Error::validation(
            "password",
            "the password must be 4 to 128 characters",
        ));
    }
    let billing_day = input
        .billing_day
        .unwrap_or_else(|| i16::try_from(input.start_on.day().min(28)).unwrap_or(1));
    if !(1..=28).contains(&billing_day) {
        return Err(Error::validation(
            "billing_day",
            "the billing day must be 1 to 28",
        ));
    }
    let due_days = input.due_days.unwrap_or(7);
    let grace_days = input.grace_days.unwrap_or(3);
    if !(0..=60).contains(&due_days) {
        return Err(Error::validation("due_days", "due days must be 0 to 60"));
    }
    if !(0..=60).contains(&grace_days) {
        return Err(Error::validation(
            "grace_days",
            "grace days must be 0 to 60",
        ));
    }
    let today = ctx.today();
    if input.start_on > today + chrono::Duration::days(366)
        || input.start_on < today - chrono::Duration::days(366 * 2)
    {
        return Err(Error::validation(
            "start_on",
            "the start date is too far from today",
        ));
    }
    let sealed_password = ctx.cipher.seal(&input.password)?;
    Ok(CheckedSubscription {
        login,
        sealed_password,
        billing_day,
        due_days,
        grace_days,
    })
}

/// Writes a checked subscription (no invoice, no router command: the caller decides).
pub(crate) async fn insert_in(
    conn: &mut sqlx::PgConnection,
    ctx: &AppContext,
    id: SubscriptionId,
    input: &NewSubscription,
    checked: &CheckedSubscription,
    kind: &str,
) -> Result<(), Error> {
    let inserted = sqlx::query(
        "insert into subscriptions (id, customer_id, plan_id, kind, login, password_enc, start_on, \
                                    billing_day, due_days, grace_days, router_id, created_at) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id)
    .bind(input.customer_id)
    .bind(input.plan_id)
    .bind(kind)
    .bind(&checked.login)
    .bind(&checked.sealed_password)
    .bind(input.start_on)
    .bind(checked.billing_day)
    .bind(checked.due_days)
    .bind(checked.grace_days)
    .bind(input.router_id)
    .bind(ctx.clock.now())
    .execute(conn)
    .await;
    if let Err(err) = inserted {
        if crate::is_constraint_violation(&err, "subscriptions_login_key") {
            return Err(Error::conflict_on(
                "login",
                format!("the login {} is already in use", checked.login),
            ));
        }
        return Err(err.into());
    }
    Ok(())
}

/// [`insert_in`] for many checked subscriptions at once (an import), in few statements.
pub(crate) async fn insert_many_in(
    conn: &mut sqlx::PgConnection,
    ctx: &AppContext,
    rows: &[(SubscriptionId, &NewSubscription, &CheckedSubscription, &str)],
) -> Result<(), Error> {
    let now = ctx.clock.now();
    for chunk in rows.chunks(5_000) {
        let ids: Vec<SubscriptionId> = chunk.iter().map(|r| r.0).collect();
        let customers: Vec<CustomerId> = chunk.iter().map(|r| r.1.customer_id).collect();
        let plans: Vec<PlanId> = chunk.iter().map(|r| r.1.plan_id).collect();
        let kinds: Vec<&str> = chunk.iter().map(|r| r.3).collect();
        let logins: Vec<&str> = chunk.iter().map(|r| r.2.login.as_str()).collect();
        let passwords: Vec<&[u8]> = chunk
            .iter()
            .map(|r| r.2.sealed_password.as_slice())
            .collect();
        let starts: Vec<chrono::NaiveDate> = chunk.iter().map(|r| r.1.start_on).collect();
        let days: Vec<i16> = chunk.iter().map(|r| r.2.billing_day).collect();
        let due: Vec<i16> = chunk.iter().map(|r| r.2.due_days).collect();
        let grace: Vec<i16> = chunk.iter().map(|r| r.2.grace_days).collect();
        let routers: Vec<Option<RouterId>> = chunk.iter().map(|r| r.1.router_id).collect();
        let inserted = sqlx::query(
            "insert into subscriptions (id, customer_id, plan_id, kind, login, password_enc, \
                                        start_on, billing_day, due_days, grace_days, router_id, \
                                        created_at) \
             select t.*, $12 from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], \
                                         $5::text[], $6::bytea[], $7::date[], $8::int2[], \
                                         $9::int2[], $10::int2[], $11::uuid[]) t",
        )
        .bind(&ids)
        .bind(&customers)
        .bind(&plans)
        .bind(&kinds)
        .bind(&logins)
        .bind(&passwords)
        .bind(&starts)
        .bind(&days)
        .bind(&due)
        .bind(&grace)
        .bind(&routers)
        .bind(now)
        .execute(&mut *conn)
        .await;
        if let Err(err) = inserted {
            if crate::is_constraint_violation(&err, "subscriptions_login_key") {
                return Err(Error::conflict_on(
                    "login",
                    "a login of the import was taken meanwhile; run the dry run again",
                ));
            }
            return Err(err.into());
        }
    }
    Ok(())
}

/// Creates the subscription and issues its first (pro-rated) invoice, in one transaction.
#[tracing::instrument(skip_all, fields(customer_id = %input.customer_id))]
pub async fn create(ctx: &AppContext, input: NewSubscription) -> Result<Subscription, Error> {
    let checked = check_new(ctx, &input)?;
    let today = ctx.today();

    let mut tx = ctx.pool.begin().await?;
    let plan: Option<(String, bool)> =
        sqlx::query_as("select kind, active from plans where id = $1 for share")
            .bind(input.plan_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((kind, active)) = plan else {
        return Err(Error::validation("plan_id", "no such plan"));
    };
    if !active {
        return Err(Error::validation("plan_id", "the plan is not active"));
    }
    let customer: Option<String> =
        sqlx::query_scalar("select status from customers where id = $1 for update")
            .bind(input.customer_id)
            .fetch_optional(&mut *tx)
            .await?;
    if customer.is_none() {
        return Err(Error::validation("customer_id", "no such customer"));
    }
    if let Some(router_id) = input.router_id {
        let exists: bool =
            sqlx::query_scalar("select exists (select 1 from routers where id = $1)")
                .bind(router_id)
                .fetch_one(&mut *tx)
                .await?;
        if !exists {
            return Err(Error::validation("router_id", "no such router"));
        }
    }
    let id = SubscriptionId::new();
    insert_in(&mut tx, ctx, id, &input, &checked, &kind).await?;
    let through = today.max(input.start_on);
    monthly_run::run_in(
        &mut tx,
        ctx,
        Scope::One {
            subscription_id: id,
            through,
        },
    )
    .await?;
    let provision = input.router_id.is_some() && (kind == "pppoe" || kind == "hotspot");
    if provision {
        let actor = input.created_by.as_deref().unwrap_or("system");
        let cmd =
            outbox::NewCommand::for_subscription(id.uuid(), RouterAction::CreateSecret, actor);
        outbox::enqueue(&mut tx, cmd, ctx.clock.now()).await?;
    }
    tx.commit().await?;
    if provision {
        outbox::spawn_delivery(ctx);
    }
    get(ctx, id).await
}

pub async fn get(ctx: &AppContext, id: SubscriptionId) -> Result<Subscription, Error> {
    sqlx::query_as::<_, Subscription>(&format!("{} where s.id = $1", select()))
        .bind(id)
        .fetch_optional(&ctx.pool)
        .await?
        .map(Subscription::with_provisioning)
        .ok_or(Error::NotFound("subscription"))
}

/// The start of the period after the current one: what [`renew`] issues through.
async fn renew_through(ctx: &AppContext, id: SubscriptionId) -> Result<NaiveDate, Error> {
    let row: Option<(SubscriptionStatus, i16)> =
        sqlx::query_as("select status, billing_day from subscriptions where id = $1")
            .bind(id)
            .fetch_optional(&ctx.pool)
            .await?;
    let Some((status, billing_day)) = row else {
        return Err(Error::NotFound("subscription"));
    };
    if status == SubscriptionStatus::Terminated {
        return Err(Error::conflict("the subscription is terminated"));
    }
    let day = u32::try_from(billing_day).unwrap_or(1);
    Ok(billing_domain::Period::containing(ctx.today(), day)
        .next()
        .start)
}

/// What [`renew`] would issue now, for the owner to confirm first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RenewPreview {
    /// False when the next period's invoice is already issued (renewing adds nothing).
    pub issues: bool,
    /// How many invoices it would issue (more than one when periods were missed).
    pub count: i64,
    /// The last invoice it would issue (or the one already issued).
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    #[schema(value_type = i64)]
    pub total: Money,
    /// What would remain to pay after the wallet's credit is used.
    #[schema(value_type = i64)]
    pub owed: Money,
    /// The number of the invoice already issued, when `issues` is false.
    pub number: Option<String>,
}

/// Runs [`renew`] in a transaction that is rolled back: nothing is written (the invoice
/// counter too goes back), and the owner sees the exact period and amount.
pub async fn renew_preview(ctx: &AppContext, id: SubscriptionId) -> Result<RenewPreview, Error> {
    let through = renew_through(ctx, id).await?;
    let mut tx = ctx.pool.begin().await?;
    let issued = monthly_run::run_in(
        &mut tx,
        ctx,
        Scope::One {
            subscription_id: id,
            through,
        },
    )
    .await?;
    let last: Option<(NaiveDate, NaiveDate, Money, Money, String)> = sqlx::query_as(
        "select period_start, period_end, total, \
                case when status in ('unpaid', 'partial') then total - paid else 0 end, number \
         from invoices where subscription_id = $1 order by period_start desc limit 1",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    tx.rollback().await?;
    let Some((period_start, period_end, total, owed, number)) = last else {
        return Err(Error::conflict("the subscription has no invoice to follow"));
    };
    Ok(RenewPreview {
        issues: !issued.is_empty(),
        count: issued.len() as i64,
        period_start,
        period_end,
        total,
        owed,
        number: issued.is_empty().then_some(number),
    })
}

/// Issues the invoice of the period after the current one now, ahead of the monthly run
/// (and any missed ones before it). Idempotent: pressing it twice issues nothing new.
pub async fn renew(ctx: &AppContext, id: SubscriptionId) -> Result<invoices::Invoice, Error> {
    let through = renew_through(ctx, id).await?;
    monthly_run::run(
        ctx,
        Scope::One {
            subscription_id: id,
            through,
        },
    )
    .await?;
    let invoice_id: InvoiceId = sqlx::query_scalar(
        "select id from invoices where subscription_id = $1 order by period_start desc limit 1",
    )
    .bind(id)
    .fetch_one(&ctx.pool)
    .await?;
    invoices::get(ctx, invoice_id).await
}

#[derive(Debug, Clone, Default)]
pub struct SubscriptionQuery {
    pub customer_id: Option<CustomerId>,
    pub status: Option<String>,
    /// `failed` or `pending` (see [`outbox::Provisioning`]).
    pub provisioning: Option<String>,
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(
    ctx: &AppContext,
    q: SubscriptionQuery,
) -> Result<(Vec<Subscription>, i64), Error> {
    let pattern =
        q.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", s.to_lowercase()));
    let provisioning = match q.provisioning.as_deref() {
        None => "true".to_owned(),
        Some("failed") => outbox::provisioning_failed_sql("$4", "$5"),
        Some("pending") => format!(
            "(pc.status = 'pending' and not {})",
            outbox::provisioning_failed_sql("$4", "$5")
        ),
        Some(_) => {
            return Err(Error::validation(
                "provisioning",
                "must be failed or pending",
            ))
        }
    };
    let filter = format!(
        "where ($1::uuid is null or s.customer_id = $1) \
                  and ($2::text is null or s.status = $2) \
                  and ($3::text is null or lower(s.login) like $3 or lower(c.name) like $3) \
                  and ($4::text[] is not null and $5::int is not null) and {provisioning}"
    );
    let total: i64 = sqlx::query_scalar(&format!(
        "select count(*) from subscriptions s join customers c on c.id = s.customer_id {} \
         {filter}",
        outbox::PROVISIONING_JOIN
    ))
    .bind(q.customer_id)
    .bind(&q.status)
    .bind(&pattern)
    .bind(outbox::permanent_codes())
    .bind(outbox::STUCK_AFTER_ATTEMPTS)
    .fetch_one(&ctx.pool)
    .await?;
    let items: Vec<Subscription> = sqlx::query_as(&format!(
        "{} {filter} order by s.created_at desc, s.id limit $6 offset $7",
        select()
    ))
    .bind(q.customer_id)
    .bind(&q.status)
    .bind(&pattern)
    .bind(outbox::permanent_codes())
    .bind(outbox::STUCK_AFTER_ATTEMPTS)
    .bind(q.limit.clamp(1, 200))
    .bind(q.offset.max(0))
    .fetch_all(&ctx.pool)
    .await?;
    let items = items
        .into_iter()
        .map(Subscription::with_provisioning)
        .collect();
    Ok((items, total))
}

/// Ends a subscription: no more invoices are issued for it. Open invoices stay owed.
#[tracing::instrument(skip_all, fields(subscription_id = %id))]
pub async fn terminate(
    ctx: &AppContext,
    id: SubscriptionId,
    reason: &str,
) -> Result<Subscription, Error> {
    if reason.trim().is_empty() {
        return Err(Error::validation("reason", "a reason is required"));
    }
    let mut tx = ctx.pool.begin().await?;
    let status: Option<SubscriptionStatus> =
        sqlx::query_scalar("select status from subscriptions where id = $1 for update")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match status {
        None => return Err(Error::NotFound("subscription")),
        Some(SubscriptionStatus::Terminated) => {
            return Err(Error::conflict("the subscription is already terminated"))
        }
        _ => {}
    }
    let router: Option<(Option<uuid::Uuid>, String, String)> = sqlx::query_as(
        "update subscriptions set status = 'terminated', terminated_at = $2 where id = $1 \
         returning router_id, login, kind",
    )
    .bind(id)
    .bind(ctx.clock.now())
    .fetch_optional(&mut *tx)
    .await?;
    // The PPPoE secret leaves the router with the subscription (through the outbox).
    let remove = router.filter(|(r, _, kind)| r.is_some() && kind == "pppoe");
    if let Some((router_id, login, _)) = &remove {
        let cmd = outbox::NewCommand {
            router_id: *router_id,
            login: Some(login),
            reason: Some(reason.trim()),
            ..outbox::NewCommand::for_subscription(id.uuid(), RouterAction::RemoveSecret, "system")
        };
        outbox::enqueue(&mut tx, cmd, ctx.clock.now()).await?;
    }
    tracing::info!(reason = reason.trim(), "subscription terminated");
    tx.commit().await?;
    if remove.is_some() {
        outbox::spawn_delivery(ctx);
    }
    get(ctx, id).await
}
