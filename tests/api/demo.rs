//! Demo mode: the sample subscriptions sit on the demo router (the simulator), and nothing is
//! ever queued to the sample customers' real-looking WhatsApp numbers.

use billing_tests::*;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&app.pool().await)
        .await
        .expect("count")
}

#[tokio::test]
async fn demo_subscriptions_are_on_the_demo_router_and_no_message_waits_for_a_sample_number() {
    let data_dir = tempfile::Builder::new()
        .prefix("mikrobill-test-")
        .tempdir()
        .expect("tempdir");
    let database_url = fresh_database().await;
    let app = try_spawn_app_with_settings(data_dir, &database_url, |s| s.demo = true)
        .await
        .unwrap_or_else(|e| panic!("demo mode did not start: {e}"));
    let customers = billing_app::ops::sample_data::CUSTOMERS.len() as i64;
    assert_eq!(
        count(&app, "select count(*) from customers").await,
        customers
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from subscriptions s join routers r on r.id = s.router_id \
             where r.name = 'Demo router (simulator)' and s.kind = 'pppoe'"
        )
        .await,
        customers
    );
    assert_eq!(
        count(&app, "select count(*) from whatsapp_messages").await,
        0
    );
    // The notices the scheduler would send later queue nothing to them either.
    let ctx = app.ctx();
    let invoices: Vec<uuid::Uuid> = sqlx::query_scalar("select id from invoices")
        .fetch_all(&app.pool().await)
        .await
        .expect("invoices");
    assert_eq!(invoices.len() as i64, customers * 2);
    let queued = billing_app::messaging::invoices_issued(&ctx, &invoices)
        .await
        .expect("notices");
    assert_eq!(queued, 0);
    assert_eq!(
        count(&app, "select count(*) from whatsapp_messages").await,
        0
    );
    app.shutdown().await;
}
