//! 1,000 payments whose callbacks are each delivered 3 times, shuffled, 50 at a time, while
//! the poller runs: every payment is applied exactly once and the ledger stays consistent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures::stream::{self, StreamExt};
use rand::seq::SliceRandom;

use super::*;

const N: usize = 1_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shuffled_redelivered_callbacks_with_the_poller_apply_each_payment_once() {
    let (app, fake) = app_with_duitku().await;
    set_today(&app, d(2026, 11, 1));
    let ctx = app.ctx();
    let sealed = ctx.cipher.seal("rahasia").expect("seal");
    sqlx::query(
        "with p as (insert into plans (id, name, price, kind, router_profile) \
                    values (gen_random_uuid(), 'Paket 10', 150000, 'pppoe', 'p10') returning id), \
              c as (insert into customers (id, name, phone) \
                    select gen_random_uuid(), 'Pelanggan ' || g, '628' || (1100000000 + g)::text \
                    from generate_series(1, $1) g returning id) \
         insert into subscriptions (id, customer_id, plan_id, kind, login, password_enc, start_on, \
                                    billing_day, due_days, grace_days) \
         select gen_random_uuid(), c.id, (select id from p), 'pppoe', 'u' || row_number() over (), \
                $2, date '2026-11-01', 1, 7, 3 from c",
    )
    .bind(i64::try_from(N).expect("n"))
    .bind(&sealed)
    .execute(&ctx.pool)
    .await
    .expect("seed");
    let issued = billing_app::billing::monthly_run::run(
        &ctx,
        billing_app::billing::monthly_run::Scope::All {
            through: ctx.today(),
        },
    )
    .await
    .expect("invoices");
    assert_eq!(issued.len(), N);

    let refs: Vec<String> = stream::iter(issued.clone())
        .map(|invoice| {
            let ctx = ctx.clone();
            async move {
                billing_app::online::start_payment_for_invoice(&ctx, invoice, "duitku", "NQ")
                    .await
                    .expect("create")
                    .merchant_ref
            }
        })
        .buffer_unordered(20)
        .collect()
        .await;
    for r in &refs {
        fake.mark_paid(r);
    }

    // Three deliveries of every callback, shuffled, 50 in flight, while the poller runs.
    let mut deliveries: Vec<String> = refs
        .iter()
        .flat_map(|r| [r.clone(), r.clone(), r.clone()])
        .collect();
    deliveries.shuffle(&mut rand::thread_rng());
    let stop = Arc::new(AtomicBool::new(false));
    let poller = {
        let (ctx, stop) = (ctx.clone(), stop.clone());
        tokio::spawn(async move {
            let mut polls = 0;
            while !stop.load(Ordering::SeqCst) {
                billing_app::online::check_pending(&ctx)
                    .await
                    .expect("poll");
                polls += 1;
            }
            polls
        })
    };
    let url = webhook_url(&app);
    let statuses: Vec<u16> = stream::iter(deliveries)
        .map(|r| {
            let (fake, url) = (&fake, url.clone());
            async move {
                fake.deliver_callback(&r, &url)
                    .await
                    .map(|d| d.status)
                    .unwrap_or(0)
            }
        })
        .buffer_unordered(50)
        .collect()
        .await;
    stop.store(true, Ordering::SeqCst);
    let polls = poller.await.expect("poller");
    assert!(polls > 0);
    assert!(
        statuses.iter().all(|s| *s == 200),
        "some callbacks were refused: {:?}",
        statuses
            .iter()
            .filter(|s| **s != 200)
            .take(5)
            .collect::<Vec<_>>()
    );

    let pool = &ctx.pool;
    let paid: i64 = sqlx::query_scalar("select count(*) from payments where status = 'paid'")
        .fetch_one(pool)
        .await
        .expect("q");
    let received: i64 =
        sqlx::query_scalar("select count(*) from ledger_entries where reason = 'payment_received'")
            .fetch_one(pool)
            .await
            .expect("q");
    let invoices_paid: i64 =
        sqlx::query_scalar("select count(*) from invoices where status = 'paid'")
            .fetch_one(pool)
            .await
            .expect("q");
    let credit: i64 =
        sqlx::query_scalar("select coalesce(sum(delta), 0)::bigint from ledger_entries")
            .fetch_one(pool)
            .await
            .expect("q");
    let n = i64::try_from(N).expect("n");
    assert_eq!((paid, received, invoices_paid, credit), (n, n, n, 0));
    crate::billing::invariants::check_invariants(&ctx).await;
    app.shutdown().await;
}
