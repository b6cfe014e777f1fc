//! A small, realistic data set: plans, customers around a kampung, subscriptions, a month
//! of invoices with some payments. Seeded once (when there are no customers yet).

use billing_app::customers::CustomerInput;
use billing_app::payments::ManualPayment;
use billing_app::plans::PlanInput;
use billing_app::subscriptions::NewSubscription;
use billing_app::AppContext;
use chrono::{Datelike, Months};

const PLANS: [(&str, i64, &str, &str); 3] = [
    ("Paket Hemat 5 Mbps", 100_000, "pppoe-5M", "5 Mbps"),
    ("Paket Keluarga 10 Mbps", 150_000, "pppoe-10M", "10 Mbps"),
    ("Paket Gamer 20 Mbps", 250_000, "pppoe-20M", "20 Mbps"),
];

const CUSTOMERS: [(&str, &str, &str); 8] = [
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

pub async fn seed(ctx: &AppContext) -> anyhow::Result<()> {
    let (_, existing) = billing_app::customers::list(
        ctx,
        billing_app::customers::CustomerQuery {
            limit: 1,
            ..Default::default()
        },
    )
    .await?;
    if existing > 0 {
        return Ok(());
    }
    let mut plans = Vec::new();
    for (name, price, profile, speed) in PLANS {
        let plan = billing_app::plans::create(
            ctx,
            PlanInput {
                name: Some(name.into()),
                price: Some(price),
                kind: Some("pppoe".into()),
                router_profile: Some(profile.into()),
                speed_label: Some(speed.into()),
                active: Some(true),
            },
        )
        .await?;
        plans.push(plan);
    }
    let today = ctx.today();
    let last_month = today
        .with_day(1)
        .and_then(|d| d.checked_sub_months(Months::new(1)))
        .unwrap_or(today);
    for (n, (name, phone, address)) in CUSTOMERS.into_iter().enumerate() {
        let customer = billing_app::customers::create(
            ctx,
            CustomerInput {
                name: Some(name.into()),
                phone: Some(phone.into()),
                address: Some(address.into()),
                notes: None,
                status: None,
                whatsapp_opt_out: None,
            },
        )
        .await?;
        let plan = &plans[n % plans.len()];
        let login = name
            .split_whitespace()
            .next()
            .unwrap_or("pelanggan")
            .to_lowercase();
        let sub = billing_app::subscriptions::create(
            ctx,
            NewSubscription {
                customer_id: customer.id,
                plan_id: plan.id,
                login: format!("{login}{}", n + 1),
                password: crate::secrets::random_token(9),
                start_on: last_month,
                billing_day: Some(1),
                due_days: Some(10),
                grace_days: Some(3),
                router_id: None,
                created_by: None,
            },
        )
        .await?;
        billing_app::invoicing::run(
            ctx,
            billing_app::invoicing::Scope::One {
                subscription_id: sub.id,
                through: today,
            },
        )
        .await?;
        // Most pay last month's invoice; one pays part, one pays nothing yet.
        let (invoices, _) = billing_app::invoices::list(
            ctx,
            billing_app::invoices::InvoiceQuery {
                subscription_id: Some(sub.id),
                status: Some("open".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await?;
        if let Some(first) = invoices.iter().min_by_key(|i| i.period_start) {
            let amount = match n {
                1 => first.owed / 2,
                4 => 0,
                _ => first.owed,
            };
            if amount > 0 {
                billing_app::payments::record_manual(
                    ctx,
                    None,
                    ManualPayment {
                        invoice_id: first.id,
                        amount,
                        method: if n % 2 == 0 {
                            "cash".into()
                        } else {
                            "transfer".into()
                        },
                        reference: None,
                        note: Some("data demo".into()),
                    },
                )
                .await?;
            }
        }
    }
    tracing::info!("demo data seeded");
    Ok(())
}
