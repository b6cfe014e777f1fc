use billing_tests::*;
use proptest::prelude::*;
use routeros_api::sim::SimVersion;
use serde_json::{json, Value};

use super::*;

async fn reseller(app: &TestApp, name: &str, username: &str) -> Value {
    let (status, r) = app
        .call(
            "POST",
            "/api/resellers",
            Some(
                json!({"username": username, "password": "rahasia-reseller-1",
                        "name": name, "phone": "0812-1111-2222", "commission_bp": 1000}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    r
}

#[tokio::test]
async fn a_reseller_buys_stock_from_the_deposit_and_sees_only_their_own() {
    let (app, sim, _router) = setup(SimVersion::default()).await;
    let p = day_profile(&app).await;
    let r = reseller(&app, "Warung Bu Sri", "busri").await;
    assert_eq!(r["phone"], "6281211112222");
    assert_eq!(r["balance"], 0);
    let rid = r["id"].as_str().expect("a string");

    // Without deposit the batch is refused, nothing is written.
    let (status, err) = app
        .call(
            "POST",
            "/api/vouchers/batch",
            Some(json!({"profile_id": p["id"], "count": 10, "reseller_id": rid})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["field"], "reseller_id");

    let (status, e) = app
        .call(
            "POST",
            &format!("/api/resellers/{rid}/deposits"),
            Some(json!({"kind": "deposit", "amount": 50_000, "note": "tunai"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    assert_eq!(e["balance_after"], 50_000);
    // 10 × Rp 5.000 less 10 % = Rp 45.000.
    let b = batch(
        &app,
        json!({"profile_id": p["id"], "count": 10, "reseller_id": rid}),
    )
    .await;
    assert_eq!(b["status"], "ready", "{b}");
    assert_eq!(b["base_price"], 4500);
    let (_, r) = app.call("GET", "/api/resellers", None).await;
    assert_eq!(r["items"][0]["balance"], 5_000);
    assert_eq!(r["items"][0]["stock"], 10);
    let (_, ledger) = app
        .call("GET", &format!("/api/resellers/{rid}/ledger"), None)
        .await;
    assert_eq!(ledger["items"][0]["kind"], "stock");
    assert_eq!(ledger["items"][0]["amount"], -45_000);
    // A withdrawal beyond the deposit is refused.
    let (status, err) = app
        .call(
            "POST",
            &format!("/api/resellers/{rid}/deposits"),
            Some(json!({"kind": "withdrawal", "amount": 5_001})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");

    // The shop's own batch.
    batch(&app, json!({"profile_id": p["id"], "count": 5})).await;
    assert_eq!(router_vouchers(&sim).len(), 15);

    // The reseller logs in: their stock only, and no staff route.
    let (status, tokens) = app.login("busri", "rahasia-reseller-1").await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    let token = tokens["access_token"].as_str().expect("a string");
    let (status, me) = app.get_auth("/api/reseller/me", token).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["balance"], 5_000);
    let (_, mine) = app
        .get_auth("/api/reseller/vouchers?per_page=100", token)
        .await;
    assert_eq!(mine["total"], 10);
    let (_, mine) = app
        .get_auth(
            "/api/reseller/vouchers?reseller_id=00000000-0000-0000-0000-000000000000",
            token,
        )
        .await;
    assert_eq!(
        mine["total"], 10,
        "a reseller cannot look at another's stock"
    );
    for path in [
        "/api/vouchers",
        "/api/customers",
        "/api/resellers",
        "/api/routers",
    ] {
        let (status, err) = app.get_auth(path, token).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {err}");
    }
    // They print their own batch, and nothing of the shop's.
    let res = app
        .http
        .get(format!(
            "{}/api/vouchers/print?batch_id={}",
            app.admin,
            b["id"].as_str().expect("a string")
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("it works");
    assert_eq!(res.status(), StatusCode::OK);
    let (_, shop_batches) = app.call("GET", "/api/vouchers/batches", None).await;
    let shop_batch = shop_batches["items"]
        .as_array()
        .expect("an array")
        .iter()
        .find(|x| x["reseller_id"].is_null())
        .expect("it works")["id"]
        .as_str()
        .expect("a string")
        .to_owned();
    let res = app
        .http
        .get(format!(
            "{}/api/vouchers/print?batch_id={shop_batch}",
            app.admin
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("it works");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let (status, _) = app.get_auth("/api/auth/me", token).await;
    assert_eq!(status, StatusCode::OK);
    // Staff are kept out of the reseller pages.
    let (status, _) = app.call("GET", "/api/reseller/me", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Sales: the reseller's stock counts when taken; the shop's when first used.
    let shop = vouchers(&app, "status=unused").await;
    let code = shop
        .iter()
        .find(|v| v["reseller_id"].is_null())
        .expect("it works")["code"]
        .as_str()
        .expect("a string")
        .to_owned();
    sim.hotspot_login(&code, "10.5.50.20", "AA:BB:CC:00:00:10")
        .expect("it works");
    monitor(&app).await;
    let (_, sales) = app
        .call("GET", "/api/vouchers/sales?group=reseller", None)
        .await;
    assert_eq!(sales["total"]["count"], 11, "{sales}");
    assert_eq!(sales["total"]["gross"], 55_000);
    assert_eq!(sales["total"]["revenue"], 50_000);
    assert_eq!(sales["total"]["commission"], 5_000);
    let rows = sales["rows"].as_array().expect("an array");
    assert_eq!(rows[0]["key"], "");
    assert_eq!(rows[0]["count"], 1);
    assert_eq!(rows[1]["key"], "Warung Bu Sri");
    let (_, day) = app.call("GET", "/api/vouchers/sales?group=day", None).await;
    assert_eq!(day["rows"][0]["key"], "2026-11-28", "{day}");
    let (_, mine) = app
        .get_auth("/api/reseller/sales?group=profile", token)
        .await;
    assert_eq!(mine["total"]["count"], 10, "{mine}");

    // Deactivated: the login stops.
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/resellers/{rid}"),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.login("busri", "rahasia-reseller-1").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[derive(Debug, Clone)]
enum Op {
    Deposit(i64),
    Withdraw(i64),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            (1i64..100_000).prop_map(Op::Deposit),
            (1i64..150_000).prop_map(Op::Withdraw),
        ],
        1..25,
    )
}

#[test]
fn the_deposit_ledger_chains_and_never_goes_negative() {
    let rt = tokio::runtime::Runtime::new().expect("it works");
    let app = rt.block_on(spawn_app());
    let r = rt.block_on(reseller(&app, "Agen Proptest", "agenprop"));
    let rid: uuid::Uuid = r["id"]
        .as_str()
        .expect("a string")
        .parse()
        .expect("it works");
    let ctx = app.ctx();
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 24,
        ..Default::default()
    });
    runner
        .run(&ops(), |ops| {
            rt.block_on(async {
                use billing_app::vouchers::resellers;
                let start = resellers::get(&ctx, rid).await.expect("it works").balance;
                let mut expected = start;
                for op in &ops {
                    let (kind, amount) = match op {
                        Op::Deposit(a) => ("deposit", *a),
                        Op::Withdraw(a) => ("withdrawal", *a),
                    };
                    let signed = if kind == "deposit" { amount } else { -amount };
                    let res = resellers::record_deposit(&ctx, rid, kind, amount, "", "test").await;
                    if expected + signed < 0 {
                        prop_assert!(res.is_err(), "overdraft allowed");
                    } else {
                        let e = res.expect("it works");
                        expected += signed;
                        prop_assert_eq!(e.balance_after, expected);
                    }
                }
                let pool = app.pool().await;
                // Every entry's balance is the previous one plus its amount; none negative.
                let rows: Vec<(i64, i64)> = sqlx::query_as(
                    "select amount, balance_after from reseller_ledger where reseller_id = $1 order by id",
                )
                .bind(rid)
                .fetch_all(&pool)
                .await.expect("it works");
                let any = !rows.is_empty();
                let mut running = 0;
                for (amount, after) in rows {
                    running += amount;
                    prop_assert_eq!(running, after);
                    prop_assert!(after >= 0);
                }
                prop_assert_eq!(resellers::get(&ctx, rid).await.expect("it works").balance, expected);
                // Nobody can rewrite history (only where there is some: a run of refused
                // withdrawals leaves none, and an update of no rows fires no row trigger).
                let edit = sqlx::query("update reseller_ledger set amount = amount + 1 where reseller_id = $1")
                    .bind(rid)
                    .execute(&pool)
                    .await;
                if any {
                    prop_assert!(edit.is_err());
                } else {
                    prop_assert_eq!(edit.map(|r| r.rows_affected()).ok(), Some(0));
                }
                Ok(())
            })
        })
        .expect("it works");
    rt.block_on(app.shutdown());
}
