use billing_tests::*;

#[tokio::test]
async fn served_openapi_document_is_the_one_the_ui_types_are_generated_from() {
    let app = spawn_app().await;
    let res = app
        .http
        .get(format!("{}/api/openapi.json", app.admin))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    let served: serde_json::Value = res.json().await.expect("json");
    for path in [
        "/api/auth/login",
        "/api/auth/refresh",
        "/api/auth/logout",
        "/api/monitoring/health",
    ] {
        assert!(
            served["paths"][path].is_object(),
            "{path} missing from the OpenAPI document"
        );
    }

    let committed_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/openapi.json");
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(committed_path).expect("ui/openapi.json"))
            .expect("valid json");
    assert_eq!(
        served, committed,
        "ui/openapi.json is stale: run `cargo run -p billing-http --example export-openapi > \
         ui/openapi.json && (cd ui && npm run gen:api)`"
    );
    app.shutdown().await;
}
