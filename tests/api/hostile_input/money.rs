//! Every money input refuses amounts outside its range (one bound for all:
//! `billing_domain::money::MAX_INPUT`, Rp 1.000.000.000) with a 422 naming the field, and
//! writes nothing.

use billing_domain::money::MAX_INPUT;
use proptest::prelude::*;

use super::*;
use crate::billing::{customer_with_subscription, d, open_invoices, set_today};

/// Where money comes in, and what each accepts besides the bound.
#[derive(Debug, Clone, Copy)]
enum Input {
    Adjustment,
    Refund,
    CashPayment,
    TransferPayment,
    PlanPrice,
    Deposit,
    Discount,
}

/// Amounts no input accepts (zero is accepted by none of these either).
fn refused_amount() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(i64::MAX),
        Just(i64::MIN),
        Just(MAX_INPUT + 1),
        Just(-MAX_INPUT - 1),
        (MAX_INPUT + 1)..=i64::MAX,
        i64::MIN..=(-MAX_INPUT - 1),
    ]
}

/// Amounts refused only where the sign is wrong (all but the adjustment, which is ±).
fn negative_or_zero() -> impl Strategy<Value = i64> {
    prop_oneof![Just(0i64), Just(-1i64), -MAX_INPUT..=0]
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        Just(Input::Adjustment),
        Just(Input::Refund),
        Just(Input::CashPayment),
        Just(Input::TransferPayment),
        Just(Input::PlanPrice),
        Just(Input::Deposit),
        Just(Input::Discount),
    ]
}

/// The request for `amount` at `input`: method, path, body, and the field that must be named.
fn request(ids: &Ids, input: Input, amount: i64) -> (&'static str, String, Value, &'static str) {
    match input {
        Input::Adjustment => (
            "POST",
            format!("/api/customers/{}/balance", ids.customer),
            json!({"kind": "adjustment", "amount": amount, "reason": "uji"}),
            "amount",
        ),
        Input::Refund => (
            "POST",
            format!("/api/customers/{}/balance", ids.customer),
            json!({"kind": "refund", "amount": amount, "reason": "uji"}),
            "amount",
        ),
        Input::CashPayment | Input::TransferPayment => (
            "POST",
            "/api/payments".into(),
            json!({"invoice_id": ids.invoice, "amount": amount,
                   "method": if matches!(input, Input::CashPayment) { "cash" } else { "transfer" }}),
            "amount",
        ),
        Input::PlanPrice => (
            "POST",
            "/api/plans".into(),
            json!({"name": "Paket Uji", "price": amount, "kind": "pppoe",
                   "router_profile": "pppoe-10M"}),
            "price",
        ),
        Input::Deposit => (
            "POST",
            format!("/api/resellers/{}/deposits", ids.reseller),
            json!({"kind": "deposit", "amount": amount}),
            "amount",
        ),
        Input::Discount => (
            "POST",
            format!("/api/invoices/{}/discount", ids.invoice),
            json!({"amount": amount, "reason": "uji"}),
            "amount",
        ),
    }
}

struct Ids {
    customer: String,
    invoice: String,
    reseller: String,
}

/// Rows of every table a money input writes to, together.
async fn money_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "select (select count(*) from ledger_entries) + (select count(*) from payments) \
              + (select count(*) from plans) + (select count(*) from reseller_ledger) \
              + (select count(*) from invoice_lines)",
    )
    .fetch_one(&app.pool().await)
    .await
    .expect("count")
}

#[test]
fn every_money_input_refuses_out_of_bounds_amounts_with_422_and_writes_nothing() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let app = rt.block_on(spawn_app());
    let ids = rt.block_on(async {
        set_today(&app, d(2026, 11, 1));
        let (customer, sub) =
            customer_with_subscription(&app, 150_000, "harta", d(2026, 11, 1)).await;
        let invoice = open_invoices(&app, &sub["id"]).await.remove(0);
        let (status, reseller) = app
            .call(
                "POST",
                "/api/resellers",
                Some(
                    json!({"username": "agenuji", "password": "kata-sandi-agen-1",
                            "name": "Agen Uji"}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{reseller}");
        Ids {
            customer: customer["id"].as_str().expect("id").to_owned(),
            invoice: invoice["id"].as_str().expect("id").to_owned(),
            reseller: reseller["id"].as_str().expect("id").to_owned(),
        }
    });
    let before = rt.block_on(money_rows(&app));
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 64,
        ..Default::default()
    });
    let cases = (input(), prop_oneof![refused_amount(), negative_or_zero()]).prop_filter(
        "an adjustment may be negative",
        |(input, amount)| {
            !matches!(input, Input::Adjustment)
                || *amount == 0
                || amount.checked_abs().is_none_or(|a| a > MAX_INPUT)
        },
    );
    runner
        .run(&cases, |(input, amount)| {
            rt.block_on(async {
                let (method, path, body, field) = request(&ids, input, amount);
                let (status, answer) = app.call(method, &path, Some(body)).await;
                prop_assert_eq!(
                    status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{:?} {}: {}",
                    input,
                    amount,
                    answer
                );
                prop_assert_eq!(
                    answer["error"]["field"].as_str(),
                    Some(field),
                    "{:?} {}: {}",
                    input,
                    amount,
                    answer
                );
                prop_assert_eq!(
                    money_rows(&app).await,
                    before,
                    "{:?} {} wrote something",
                    input,
                    amount
                );
                Ok(())
            })
        })
        .expect("every out-of-bounds amount is refused");

    // The bound itself is accepted (an over-payment and an adjustment of exactly
    // Rp 1.000.000.000 each; the payment first, as the adjustment's credit would pay the open
    // invoice at once), and the wallet sums them without overflow.
    rt.block_on(async {
        let (method, path, body, _) = request(&ids, Input::CashPayment, MAX_INPUT);
        let (status, answer) = app.call(method, &path, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        let (method, path, body, _) = request(&ids, Input::Adjustment, MAX_INPUT);
        let (status, answer) = app.call(method, &path, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        let (status, balance) = app
            .call(
                "GET",
                &format!("/api/customers/{}/balance", ids.customer),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{balance}");
    });
    rt.block_on(app.shutdown());
}
