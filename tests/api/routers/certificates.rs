//! Routers on api-ssl: the router's self-signed certificate is trusted by its SHA-256
//! fingerprint (what RouterOS prints in `/certificate print detail`). Until then every
//! connection is refused and the test shows the fingerprint to compare; afterwards only that
//! certificate is accepted, and a different one is reported as changed.

use base64::Engine;
use routeros_api::sim::SimTls;
use routeros_api::{CertFingerprint, TlsOptions};

use super::*;

/// A simulator on api-ssl with a self-signed certificate and the plan's profile.
async fn tls_simulator() -> SimHandle {
    let sim = Simulator::start(SimConfig {
        tls: SimTls::SelfSigned,
        ..SimConfig::default()
    })
    .await
    .expect("simulator");
    let lab = TlsOptions {
        insecure_skip_verify: true,
        ..TlsOptions::default()
    };
    let client = routeros_api::Client::connect(sim.connect_options().tls(lab))
        .await
        .expect("admin login over TLS");
    client
        .ppp_profiles()
        .add(PROFILE, Some("10M/10M"))
        .await
        .expect("profile");
    client.disconnect().await;
    sim
}

/// The fingerprint of the simulator's certificate, computed here from its PEM.
fn fingerprint(sim: &SimHandle) -> String {
    let pem = sim
        .certificate_pem()
        .expect("the simulator has a certificate");
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .expect("base64");
    CertFingerprint::of_der(&der).to_string()
}

async fn tls_router(app: &TestApp, sim: &SimHandle) -> String {
    let (status, router) = app
        .call(
            "POST",
            "/api/routers",
            Some(
                json!({"name": "Kantor Pusat", "host": sim.addr().ip().to_string(),
                        "port": sim.addr().port(), "tls": true, "api_user": "admin",
                        "password": ""}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{router}");
    assert_eq!(router["tls_fingerprint"], Value::Null);
    router["id"].as_str().expect("id").to_owned()
}

async fn connection_test(app: &TestApp, id: &str) -> Value {
    let (status, report) = app
        .call("POST", &format!("/api/routers/{id}/test"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{report}");
    report
}

async fn trust(app: &TestApp, id: &str, sha256: &str) -> (StatusCode, Value) {
    app.call(
        "POST",
        &format!("/api/routers/{id}/trust-certificate"),
        Some(json!({ "sha256": sha256 })),
    )
    .await
}

#[tokio::test]
async fn a_tls_router_is_trusted_by_its_certificate_fingerprint_and_only_that_one() {
    let app = app_with_real_router().await;
    let sim = tls_simulator().await;
    let expected = fingerprint(&sim);
    let id = tls_router(&app, &sim).await;

    // Nothing trusted yet: refused, with the fingerprint to compare.
    let report = connection_test(&app, &id).await;
    assert_eq!(report["ok"], false, "{report}");
    assert_eq!(report["problem"], "certificate_untrusted", "{report}");
    assert_eq!(report["certificate_sha256"], expected.as_str());
    let summary = report["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains(&expected) && summary.contains("/certificate print detail"),
        "{summary}"
    );

    // Not a fingerprint, or not the router's: refused, naming the field; nothing stored.
    let (status, body) = trust(&app, &id, "abc").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "sha256", "{body}");
    let other = "ab".repeat(32);
    let (status, body) = trust(&app, &id, &other).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains(&expected),
        "{body}"
    );
    let (_, router) = app.call("GET", &format!("/api/routers/{id}"), None).await;
    assert_eq!(router["tls_fingerprint"], Value::Null, "{router}");

    // Trusted as a browser would show it (upper case with colons): connected over TLS.
    let spelled = expected
        .as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).expect("hex").to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join(":");
    let (status, report) = trust(&app, &id, &spelled).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["probe"]["identity"], "MikroTik", "{report}");
    let (_, router) = app.call("GET", &format!("/api/routers/{id}"), None).await;
    assert_eq!(router["tls_fingerprint"], expected.as_str(), "{router}");
    assert_eq!(router["status"], "online", "{router}");

    // Work goes over the pinned connection (a PPPoE secret reaches the router).
    let (sub, _) = subscribe(&app, "budi-tls", &id).await;
    settle(&app).await;
    assert_eq!(secret(&sim, "budi-tls")["profile"], PROFILE, "{sub}");

    // The router now shows another certificate than the trusted one: refused as changed.
    let pool = app.pool().await;
    let pinned_before = "cd".repeat(32);
    sqlx::query("update routers set tls_fingerprint = $2 where id = $1::uuid")
        .bind(&id)
        .bind(&pinned_before)
        .execute(&pool)
        .await
        .expect("pin another certificate");
    let report = connection_test(&app, &id).await;
    assert_eq!(report["ok"], false, "{report}");
    assert_eq!(report["problem"], "certificate_changed", "{report}");
    assert_eq!(report["certificate_sha256"], expected.as_str());
    let summary = report["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains(&pinned_before) && summary.contains(&expected),
        "{summary}"
    );

    // Another address: the trusted certificate is forgotten with it.
    let (status, router) = app
        .call(
            "PATCH",
            &format!("/api/routers/{id}"),
            Some(json!({"port": sim.addr().port() as i32 + 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{router}");
    assert_eq!(router["tls_fingerprint"], Value::Null, "{router}");
    app.shutdown().await;
}

#[tokio::test]
async fn trusting_a_certificate_needs_a_tls_router() {
    let app = app_with_real_router().await;
    let sim = simulator(SimConfig::default()).await;
    let id = register(&app, &sim, "admin", "").await;
    let (status, body) = trust(&app, &id, &"ab".repeat(32)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "tls", "{body}");
    app.shutdown().await;
}
