//! The sample data set: plans, customers around a kampung, their subscriptions, last month's
//! and this month's invoices, and payments for most of them. Used by demo mode and by the
//! first-run wizard's "fill in sample data" for an owner who wants to try the app first.
//!
//! Safe by construction: only into a database without customers (samples never mix with real
//! data), all in one transaction (all or nothing), and every row is marked: plan and customer
//! names end in [`MARK`], customers carry [`NOTE`] and the `sample` flag (so no WhatsApp
//! message is ever queued to their real-looking numbers), payments the note `data contoh`.
//! The PPPoE subscriptions go on the sample router (demo mode's simulator) or, in the wizard,
//! on the only router there is.

use billing_domain::{
    CustomerId, InvoiceId, Money, PhoneNumber, PlanId, RouterId, SubscriptionId, UserId,
};
use chrono::{Datelike, Months};
use serde::Serialize;

use crate::billing::customers;
use crate::billing::monthly_run::{self, Scope};
use crate::billing::payments::{self, ManualPayment};
use crate::billing::plans::{self, PlanInput};
use crate::billing::subscriptions::{self, NewSubscription};
use crate::network::outbox;
use crate::ports::RouterAction;
use crate::vouchers::codes::{random_string, Charset};
use crate::{AppContext, Error};

/// Appended to the names of sample plans and customers.
pub const MARK: &str = " (contoh)";
/// The notes of every sample customer.
pub const NOTE: &str = "Data contoh (sample data): boleh dihapus.";

/// Plan name, monthly price (rupiah), router profile, speed label.
pub const PLANS: [(&str, i64, &str, &str); 3] = [
    ("Paket Hemat 5 Mbps", 100_000, "pppoe-5M", "5 Mbps"),
    ("Paket Keluarga 10 Mbps", 150_000, "pppoe-10M", "10 Mbps"),
    ("Paket Gamer 20 Mbps", 250_000, "pppoe-20M", "20 Mbps"),
];

/// Name, phone, address.
pub const CUSTOMERS: [(&str, &str, &str); 8] = [
    (
        "Budi Santoso",
        "0812-3456-7890",
        "Jl. Melati No. 4, RT 02/RW 05",
    ),
    ("Siti Aminah", "0813-2233-4455", "Gg. Mawar 12, RT 01/RW 05"),
    (
        "Agus Prasetyo",
        "0857-1122-3344",
        "Jl. Kenanga 7, RT 03/RW 05",
    ),
    ("Dewi Lestari", "0821-9988-7766", "Perum Griya Asri B-3"),
    (
        "Rudi Hartono",
        "0878-5566-7788",
        "Jl. Anggrek 21, RT 04/RW 02",
    ),
    ("Warung Bu Sri", "0819-4455-6677", "Pasar Desa Kios 5"),
    (
        "Joko Susilo",
        "0838-1234-5678",
        "Jl. Flamboyan 9, RT 02/RW 03",
    ),
    (
        "Rina Wulandari",
        "0896-7788-9900",
        "Gg. Dahlia 3, RT 05/RW 01",
    ),
];

/// What was added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SampleSummary {
    pub plans: i64,
    pub customers: i64,
    pub subscriptions: i64,
    pub invoices: i64,
    pub payments: i64,
}

/// Adds the sample data set in one transaction. Refused (conflict) when the database already
/// holds a customer; `user` is recorded as the cashier of the sample payments. The
/// subscriptions go on `router` (their PPPoE secrets queued for it), or on the only router
/// when there is exactly one.
#[tracing::instrument(skip_all)]
pub async fn seed(
    ctx: &AppContext,
    user: Option<UserId>,
    router: Option<RouterId>,
) -> Result<SampleSummary, Error> {
    let mut tx = ctx.pool.begin().await?;
    // Blocks concurrent customer inserts (and a second seeding) until this commits, so the
    // "no customers yet" check below stays true for the whole transaction.
    sqlx::query("lock table customers in share row exclusive mode")
        .execute(&mut *tx)
        .await?;
    let has_customers: bool = sqlx::query_scalar("select exists (select 1 from customers)")
        .fetch_one(&mut *tx)
        .await?;
    if has_customers {
        return Err(Error::conflict(
            "the database already holds customers; sample data is only added to an empty \
             database, so it never mixes with real data",
        ));
    }

    let router_id = match router {
        Some(id) => Some(id),
        None => {
            let only: Vec<RouterId> = sqlx::query_scalar("select id from routers limit 2")
                .fetch_all(&mut *tx)
                .await?;
            only.first().copied().filter(|_| only.len() == 1)
        }
    };

    let mut plan_ids = Vec::new();
    for (name, price, profile, speed) in PLANS {
        let input = PlanInput {
            name: Some(format!("{name}{MARK}")),
            price: Some(Money::from_minor(price)),
            kind: Some("pppoe".into()),
            router_profile: Some(profile.into()),
            speed_label: Some(speed.into()),
            active: Some(true),
        };
        plans::validate(&input, true)?;
        let id = PlanId::new();
        plans::insert_in(&mut tx, id, &input).await?;
        plan_ids.push(id);
    }

    let today = ctx.today();
    let last_month = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(1)))
        .unwrap_or(today);
    let mut subscription_ids = Vec::new();
    let mut customer_ids = Vec::new();
    for (n, (name, phone, address)) in CUSTOMERS.into_iter().enumerate() {
        let customer_id = CustomerId::new();
        customer_ids.push(customer_id);
        let customer_name = customers::parse_name(&format!("{name}{MARK}"))?;
        let phone = PhoneNumber::parse(phone)?;
        customers::insert_in(&mut tx, customer_id, &customer_name, &phone, address, NOTE).await?;
        let login = name
            .split_whitespace()
            .next()
            .unwrap_or("pelanggan")
            .to_lowercase();
        let input = NewSubscription {
            customer_id,
            plan_id: plan_ids[n % plan_ids.len()],
            login: format!("{login}{}", n + 1),
            password: random_string(Charset::Mixed, 10),
            start_on: last_month,
            billing_day: Some(1),
            due_days: Some(10),
            grace_days: Some(3),
            router_id,
            created_by: None,
        };
        let checked = subscriptions::check_new(ctx, &input)?;
        let id = SubscriptionId::new();
        subscriptions::insert_in(&mut tx, ctx, id, &input, &checked, "pppoe").await?;
        if router_id.is_some() {
            let cmd = outbox::NewCommand::for_subscription(
                id.uuid(),
                RouterAction::CreateSecret,
                "data contoh",
            );
            outbox::enqueue(&mut tx, cmd, ctx.clock.now()).await?;
        }
        subscription_ids.push(id);
    }
    sqlx::query("update customers set sample = true where id = any($1)")
        .bind(&customer_ids)
        .execute(&mut *tx)
        .await?;
    let invoices = monthly_run::run_in(
        &mut tx,
        ctx,
        Scope::Many {
            subscription_ids: &subscription_ids,
            through: today,
        },
    )
    .await?;

    // Most pay their oldest open invoice; one pays half, one nothing yet.
    let mut settlements = Vec::new();
    for (n, subscription_id) in subscription_ids.iter().enumerate() {
        let oldest: Option<(InvoiceId, i64)> = sqlx::query_as(
            "select id, total - paid from invoices \
             where subscription_id = $1 and status in ('unpaid', 'partial') \
             order by period_start limit 1",
        )
        .bind(subscription_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((invoice_id, owed)) = oldest else {
            continue;
        };
        let amount = match n {
            1 => owed / 2,
            4 => 0,
            _ => owed,
        };
        if amount <= 0 {
            continue;
        }
        let settlement = payments::record_manual_in(
            &mut tx,
            ctx,
            user,
            ManualPayment {
                invoice_id,
                amount: Money::from_minor(amount),
                method: if n % 2 == 0 { "cash" } else { "transfer" }.into(),
                reference: None,
                note: Some("data contoh".into()),
            },
        )
        .await?;
        settlements.push(settlement);
    }
    tx.commit().await?;
    if router_id.is_some() {
        outbox::spawn_delivery(ctx);
    }
    for settlement in &settlements {
        payments::announce_settled(ctx, settlement);
    }
    let summary = SampleSummary {
        plans: plan_ids.len() as i64,
        customers: subscription_ids.len() as i64,
        subscriptions: subscription_ids.len() as i64,
        invoices: invoices.len() as i64,
        payments: settlements.len() as i64,
    };
    tracing::info!(?summary, "sample data added");
    Ok(summary)
}
