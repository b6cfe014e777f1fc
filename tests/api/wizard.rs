//! The first-run wizard's ISP-profile step (time zone, currency) and its optional sample data.

use billing_tests::*;
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};

use crate::billing::{customer_with_subscription, open_invoices};

async fn profile(app: &TestApp) -> Value {
    let (status, body) = app.call("GET", "/api/settings/business", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn put_profile(app: &TestApp, changes: Value) -> (StatusCode, Value) {
    let mut body = profile(app).await;
    body["name"] = json!("RT/RW Net Uji");
    for (key, value) in changes.as_object().expect("object") {
        body[key] = value.clone();
    }
    app.call("PUT", "/api/settings/business", Some(body)).await
}

#[tokio::test]
async fn the_profile_carries_time_zone_and_currency_and_refuses_bad_ones_naming_the_field() {
    let app = spawn_app().await;
    let body = profile(&app).await;
    // Nothing chosen yet: settings.toml's zone (Asia/Jakarta in the tests) and rupiah.
    assert_eq!(body["timezone"], "Asia/Jakarta");
    assert_eq!(body["timezone_in_use"], "Asia/Jakarta");
    assert_eq!(body["currency"], "IDR");
    assert_eq!(body["supported_currencies"], json!(["IDR"]));

    let (status, body) = put_profile(&app, json!({"timezone": "Mars/Olympus"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "timezone");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Mars/Olympus")),
        "{body}"
    );

    let (status, body) = put_profile(&app, json!({"currency": "USD"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "currency");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("USD") && m.contains("only IDR")),
        "{body}"
    );
    let (status, body) = put_profile(&app, json!({"currency": "rupiah"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "currency");

    // The refused saves changed nothing.
    let body = profile(&app).await;
    assert_eq!(body["name"], "");
    assert_eq!(body["timezone"], "Asia/Jakarta");

    // Saved and read back (the code is stored in capitals); the running app keeps its zone.
    let (status, body) = put_profile(
        &app,
        json!({"timezone": "Asia/Makassar", "currency": "idr"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["timezone"], "Asia/Makassar");
    assert_eq!(body["currency"], "IDR");
    assert_eq!(body["timezone_in_use"], "Asia/Jakarta");
    let body = profile(&app).await;
    assert_eq!(body["name"], "RT/RW Net Uji");
    assert_eq!(body["timezone"], "Asia/Makassar");
    let stored: (Option<String>, String) =
        sqlx::query_as("select timezone, currency from business_profile")
            .fetch_one(&app.pool().await)
            .await
            .expect("row");
    assert_eq!(stored, (Some("Asia/Makassar".into()), "IDR".into()));

    // A save without the zone (an older client) keeps it.
    let mut body = profile(&app).await;
    body.as_object_mut().expect("object").remove("timezone");
    let (status, body) = app.call("PUT", "/api/settings/business", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["timezone"], "Asia/Makassar");
    app.shutdown().await;
}

#[tokio::test]
async fn a_chosen_time_zone_is_used_for_billing_dates_after_the_restart() {
    let app = spawn_app().await;
    // 30 November 23:30 in Jakarta (WIB) is already 1 December 01:30 in Jayapura (WIT).
    app.clock.set(
        Utc.with_ymd_and_hms(2026, 11, 30, 16, 30, 0)
            .single()
            .expect("time"),
    );
    let nov_1 = NaiveDate::from_ymd_opt(2026, 11, 1).expect("date");
    let (_, before) = customer_with_subscription(&app, 100_000, "wib1", nov_1).await;
    let invoices = open_invoices(&app, &before["id"]).await;
    assert_eq!(invoices.len(), 1, "{invoices:?}");
    assert_eq!(invoices[0]["period_start"], "2026-11-01");

    let (status, body) = put_profile(&app, json!({"timezone": "Asia/Jayapura"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["timezone"], "Asia/Jayapura");
    assert_eq!(body["timezone_in_use"], "Asia/Jakarta");
    assert_eq!(app.ctx().tz.name(), "Asia/Jakarta");

    let app = app.restart().await;
    let body = profile(&app).await;
    assert_eq!(body["timezone"], "Asia/Jayapura");
    assert_eq!(body["timezone_in_use"], "Asia/Jayapura");
    assert_eq!(
        app.ctx().today(),
        NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
    );
    // The same subscription created now is billed through December: it is 1 December in WIT.
    let (_, after) = customer_with_subscription(&app, 100_000, "wit1", nov_1).await;
    let invoices = open_invoices(&app, &after["id"]).await;
    let periods: Vec<&str> = invoices
        .iter()
        .filter_map(|i| i["period_start"].as_str())
        .collect();
    assert_eq!(periods, ["2026-11-01", "2026-12-01"], "{invoices:?}");
    // The scheduled jobs run in the new zone too.
    let (status, jobs) = app.call("GET", "/api/jobs", None).await;
    assert_eq!(status, StatusCode::OK, "{jobs}");
    assert!(jobs.to_string().contains("Asia/Jayapura"), "{jobs}");
    app.shutdown().await;
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool().await)
        .await
        .expect(sql)
}

#[tokio::test]
async fn the_owner_fills_an_empty_database_with_marked_sample_data_once() {
    let app = spawn_app().await;
    let owner = app.token().await;
    // Another role may not.
    let (status, body) = app
        .call(
            "POST",
            "/api/admin/users",
            Some(json!({"username": "admin-satu", "password": "kata-sandi-staf-123", "role": "admin"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = app.login("admin-satu", "kata-sandi-staf-123").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let admin = body["access_token"].as_str().expect("token").to_owned();
    let post = |token: String| {
        let http = app.http.clone();
        let url = format!("{}/api/setup/sample-data", app.admin);
        async move {
            split(
                http.post(url)
                    .bearer_auth(token)
                    .send()
                    .await
                    .expect("send"),
            )
            .await
        }
    };
    let (status, body) = post(admin).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(count(&app, "select count(*) from customers").await, 0);

    let (status, summary) = post(owner.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{summary}");
    let plans = billing_app::ops::sample_data::PLANS.len() as i64;
    let customers = billing_app::ops::sample_data::CUSTOMERS.len() as i64;
    // Two months (October and November 2026) per subscription; all but one pay something.
    assert_eq!(
        summary,
        json!({"plans": plans, "customers": customers, "subscriptions": customers,
               "invoices": customers * 2, "payments": customers - 1})
    );
    // The database holds exactly that, every row marked as sample data.
    assert_eq!(
        count(
            &app,
            "select count(*) from plans where name like '% (contoh)'"
        )
        .await,
        plans
    );
    assert_eq!(count(&app, "select count(*) from plans").await, plans);
    assert_eq!(
        count(
            &app,
            "select count(*) from customers where name like '% (contoh)' and notes like 'Data contoh%'"
        )
        .await,
        customers
    );
    assert_eq!(
        count(&app, "select count(*) from customers").await,
        customers
    );
    assert_eq!(
        count(&app, "select count(*) from subscriptions").await,
        customers
    );
    assert_eq!(
        count(&app, "select count(*) from invoices").await,
        customers * 2
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from payments where status = 'paid' and note = 'data contoh'"
        )
        .await,
        customers - 1
    );
    // Money adds up: what was paid is what the invoices received.
    assert_eq!(
        count(
            &app,
            "select coalesce(sum(amount), 0)::bigint from payments"
        )
        .await,
        count(&app, "select coalesce(sum(paid), 0)::bigint from invoices").await
    );
    let (status, list) = app.call("GET", "/api/customers?q=contoh", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(list.to_string().contains("Budi Santoso (contoh)"), "{list}");
    // The sample phone numbers look real: no WhatsApp message waits for them, so connecting
    // a session later sends nothing to strangers.
    assert_eq!(
        count(&app, "select count(*) from whatsapp_messages").await,
        0
    );

    // Never twice: the second call is refused and adds nothing.
    let (status, body) = post(owner).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("already holds customers")),
        "{body}"
    );
    assert_eq!(
        count(&app, "select count(*) from customers").await,
        customers
    );
    assert_eq!(count(&app, "select count(*) from plans").await, plans);
    app.shutdown().await;
}

#[tokio::test]
async fn sample_data_is_refused_when_a_real_customer_exists_and_nothing_is_added() {
    let app = spawn_app().await;
    let (status, customer) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": "Pelanggan Asli", "phone": "0812-1111-2222", "address": "Jl. Nyata 1"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let (status, body) = app.call("POST", "/api/setup/sample-data", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["kind"], "conflict");
    assert_eq!(count(&app, "select count(*) from customers").await, 1);
    assert_eq!(count(&app, "select count(*) from plans").await, 0);
    assert_eq!(count(&app, "select count(*) from invoices").await, 0);
    app.shutdown().await;
}

#[tokio::test]
async fn a_failure_part_way_leaves_no_sample_rows() {
    let app = spawn_app().await;
    // A plan already named like the second sample plan: the seeding fails on it after the
    // first plan was written, and everything is rolled back.
    let name = format!(
        "{}{}",
        billing_app::ops::sample_data::PLANS[1].0,
        billing_app::ops::sample_data::MARK
    );
    let (status, plan) = app
        .call(
            "POST",
            "/api/plans",
            Some(json!({"name": name, "price": 50_000, "kind": "pppoe",
                        "router_profile": "pppoe-1M", "speed_label": "1 Mbps"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    let (status, body) = app.call("POST", "/api/setup/sample-data", None).await;
    assert!(status.is_client_error(), "{status} {body}");
    assert_eq!(count(&app, "select count(*) from plans").await, 1);
    assert_eq!(count(&app, "select count(*) from customers").await, 0);
    app.shutdown().await;
}

#[tokio::test]
async fn sample_data_goes_on_the_only_router_and_no_later_event_messages_a_sample_number() {
    let app = spawn_app().await;
    let (status, router) = app
        .call(
            "POST",
            "/api/routers",
            Some(
                json!({"name": "Router Kantor", "host": "127.0.0.1", "port": 1,
                        "api_user": "admin", "password": ""}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{router}");
    let (status, summary) = app.call("POST", "/api/setup/sample-data", None).await;
    assert_eq!(status, StatusCode::CREATED, "{summary}");

    // Every sample PPPoE subscription is on the router, its secret queued for it.
    let customers = billing_app::ops::sample_data::CUSTOMERS.len() as i64;
    let on_router = format!(
        "select count(*) from subscriptions where router_id = '{}'",
        router["id"].as_str().expect("id")
    );
    assert_eq!(count(&app, &on_router).await, customers);
    assert_eq!(
        count(
            &app,
            "select count(*) from router_commands where action = 'create_secret'"
        )
        .await,
        customers
    );
    let (_, routers) = app.call("GET", "/api/routers", None).await;
    assert!(routers["items"][0]["last_used_at"].is_string(), "{routers}");

    // Later events for sample customers (a payment, an invoice notice) queue nothing.
    let (_, subs) = app.call("GET", "/api/subscriptions?q=rudi", None).await;
    let sample_sub = subs["items"][0]["id"].clone();
    let invoice = open_invoices(&app, &sample_sub)
        .await
        .into_iter()
        .find(|i| i["owed"].as_i64().is_some_and(|o| o > 0))
        .expect("Rudi has an open invoice");
    let (status, paid) = app
        .call(
            "POST",
            "/api/payments",
            Some(json!({"invoice_id": invoice["id"], "amount": 1_000, "method": "cash"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    let invoice_id = uuid::Uuid::parse_str(invoice["id"].as_str().expect("id")).expect("uuid");
    let queued = billing_app::messaging::invoice_issued(&app.ctx(), invoice_id)
        .await
        .expect("notice");
    assert!(!queued, "no invoice notice to a sample customer");
    assert_eq!(
        count(&app, "select count(*) from whatsapp_messages").await,
        0
    );
    // A real customer added afterwards gets their messages as usual.
    let (_, sub) = customer_with_subscription(
        &app,
        100_000,
        "nyata",
        NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
    )
    .await;
    let real = open_invoices(&app, &sub["id"]).await.remove(0);
    let (status, _) = app
        .call(
            "POST",
            "/api/payments",
            Some(json!({"invoice_id": real["id"], "amount": 1_000, "method": "cash"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        count(&app, "select count(*) from whatsapp_messages").await,
        1
    );
    app.shutdown().await;
}
