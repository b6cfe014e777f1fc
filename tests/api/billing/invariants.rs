//! Money invariants under random sequences of issue / pay (partial, exact, over,
//! re-delivered, concurrent) / void / adjust / refund / apply balance, on real PostgreSQL.
//! Besides the ledger's invariants: credit never sits idle while an invoice it could pay is
//! open (it is applied as it arrives).

use billing_app::billing::payments::ManualPayment;
use billing_app::billing::wallets::BalanceChange;
use billing_app::AppContext;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;

#[derive(Debug, Clone)]
enum Op {
    NextMonth,
    Pay { pick: usize, percent: u32 },
    PayTwiceConcurrently { pick: usize, percent: u32 },
    Redeliver { pick: usize },
    Void { pick: usize },
    Adjust { amount: i64, to_subscription: bool },
    Refund { amount: i64 },
    ApplyBalance { pick: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::NextMonth),
        4 => (0usize..8, prop_oneof![Just(100u32), Just(50), Just(30), Just(170), 1u32..250])
            .prop_map(|(pick, percent)| Op::Pay { pick, percent }),
        2 => (0usize..8, 20u32..120).prop_map(|(pick, percent)| Op::PayTwiceConcurrently { pick, percent }),
        1 => (0usize..8).prop_map(|pick| Op::Redeliver { pick }),
        1 => (0usize..8).prop_map(|pick| Op::Void { pick }),
        1 => (-60_000i64..80_000, any::<bool>())
            .prop_map(|(amount, to_subscription)| Op::Adjust { amount, to_subscription }),
        1 => (1i64..60_000).prop_map(|amount| Op::Refund { amount }),
        1 => (0usize..8).prop_map(|pick| Op::ApplyBalance { pick }),
    ]
}

async fn open_ids(ctx: &AppContext) -> Vec<(Uuid, i64)> {
    sqlx::query_as(
        "select id, total - paid from invoices where status in ('unpaid', 'partial') order by number",
    )
    .fetch_all(&ctx.pool)
    .await
    .expect("open invoices")
}

async fn pay(ctx: &AppContext, invoice: Uuid, amount: i64) {
    let input = ManualPayment {
        invoice_id: invoice.into(),
        amount: billing_domain::Money::from_minor(amount),
        method: "cash".into(),
        reference: None,
        note: None,
    };
    // Refusals (invoice paid meanwhile, zero amount) are fine; money must stay consistent.
    let _ = billing_app::billing::payments::record_manual(ctx, None, input).await;
}

async fn apply(app: &TestApp, ctx: &AppContext, customer: Uuid, sub: Uuid, op: &Op) {
    match op {
        Op::NextMonth => {
            app.clock.advance(chrono::Duration::days(31));
            let through = ctx.today();
            billing_app::billing::monthly_run::run(
                ctx,
                billing_app::billing::monthly_run::Scope::All { through },
            )
            .await
            .expect("invoicing");
        }
        Op::Pay { pick, percent } => {
            let open = open_ids(ctx).await;
            if let Some((id, owed)) = open.get(pick % open.len().max(1)) {
                pay(ctx, *id, (owed * i64::from(*percent) / 100).max(1)).await;
            }
        }
        Op::PayTwiceConcurrently { pick, percent } => {
            let open = open_ids(ctx).await;
            if let Some((id, owed)) = open.get(pick % open.len().max(1)) {
                let amount = (owed * i64::from(*percent) / 100).max(1);
                tokio::join!(
                    pay(ctx, *id, amount),
                    pay(ctx, *id, amount),
                    pay(ctx, *id, amount)
                );
            }
        }
        Op::Redeliver { pick } => {
            let paid: Vec<Uuid> =
                sqlx::query_scalar("select id from payments where status = 'paid' order by id")
                    .fetch_all(&ctx.pool)
                    .await
                    .expect("payments");
            if let Some(id) = paid.get(pick % paid.len().max(1)) {
                let mut tx = ctx.pool.begin().await.expect("tx");
                let again = billing_app::billing::payments::settle_in(&mut tx, ctx, (*id).into())
                    .await
                    .expect("settle");
                assert!(!again.newly_settled, "a settled payment was applied twice");
                tx.commit().await.expect("commit");
            }
        }
        Op::Void { pick } => {
            let ids: Vec<Uuid> = sqlx::query_scalar(
                "select id from invoices where status in ('unpaid', 'partial', 'paid') order by number",
            )
            .fetch_all(&ctx.pool)
            .await
            .expect("invoices");
            if let Some(id) = ids.get(pick % ids.len().max(1)) {
                billing_app::billing::invoices::void(ctx, (*id).into(), "uji acak")
                    .await
                    .expect("void");
            }
        }
        Op::Adjust {
            amount,
            to_subscription,
        } => {
            let change = BalanceChange {
                kind: "adjustment".into(),
                amount: billing_domain::Money::from_minor(*amount),
                reason: "uji".into(),
                subscription_id: to_subscription.then_some(sub.into()),
            };
            let _ =
                billing_app::billing::wallets::change_balance(ctx, None, customer.into(), change)
                    .await;
        }
        Op::ApplyBalance { pick } => {
            let open = open_ids(ctx).await;
            if let Some((id, _)) = open.get(pick % open.len().max(1)) {
                // Refused when there is no credit it can use: credit is applied as it arrives.
                let _ =
                    billing_app::billing::invoices::apply_balance(ctx, None, (*id).into()).await;
            }
        }
        Op::Refund { amount } => {
            let change = BalanceChange {
                kind: "refund".into(),
                amount: billing_domain::Money::from_minor(*amount),
                reason: "uji".into(),
                subscription_id: None,
            };
            let _ =
                billing_app::billing::wallets::change_balance(ctx, None, customer.into(), change)
                    .await;
        }
    }
}

pub(crate) async fn check_invariants(ctx: &AppContext) {
    let broken = billing_tests::ledger::violations(&ctx.pool).await;
    assert!(broken.is_empty(), "{}", broken.join("; "));
}

/// Open invoices whose own subscription's wallet or whose customer's wallet holds credit.
async fn idle_credit(ctx: &AppContext) -> i64 {
    sqlx::query_scalar(
        "select count(*) from invoices i where i.status in ('unpaid', 'partial') and ( \
             (select coalesce(sum(delta), 0) from ledger_entries l where l.account = 'subscription' \
                and l.subscription_id = i.subscription_id) > 0 \
          or (select coalesce(sum(delta), 0) from ledger_entries l where l.account = 'customer' \
                and l.customer_id = i.customer_id) > 0)",
    )
    .fetch_one(&ctx.pool)
    .await
    .expect("idle credit")
}

fn run_case(ops: Vec<Op>) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let app = spawn_app().await;
        set_today(&app, d(2026, 11, 1));
        let (customer, sub) =
            customer_with_subscription(&app, 150_000, "acak", d(2026, 11, 10)).await;
        // A second subscription shares the customer's wallet.
        let (status, _) = app
            .call(
                "POST",
                "/api/subscriptions",
                Some(json!({"customer_id": customer["id"],
                "plan_id": sub["plan_id"], "login": "acak2", "password": "rahasia",
                "start_on": "2026-11-01", "billing_day": 1})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let ctx = app.ctx();
        let customer: Uuid = customer["id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("id");
        let sub: Uuid = sub["id"].as_str().and_then(|s| s.parse().ok()).expect("id");
        for op in &ops {
            apply(&app, &ctx, customer, sub, op).await;
            check_invariants(&ctx).await;
            assert_eq!(idle_credit(&ctx).await, 0, "credit left idle after {op:?}");
        }
        app.shutdown().await;
    });
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, max_shrink_iters: 20, ..ProptestConfig::default() })]
    #[test]
    fn ledger_invariants_hold_for_any_sequence(ops in prop::collection::vec(op(), 1..25)) {
        run_case(ops);
    }
}

#[test]
fn concurrent_payments_on_one_invoice_never_over_allocate() {
    run_case(vec![
        Op::PayTwiceConcurrently {
            pick: 0,
            percent: 60
        };
        4
    ]);
}
