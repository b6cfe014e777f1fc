//! A router populated the way Mikhmon populates it imports cleanly, and is left exactly as
//! it was.

use billing_tests::*;
use routeros_api::sim::{SimConfig, SimHandle, SimItem};
use serde_json::json;

use super::{count, outcome, plan, step};
use crate::routers::{app_with_real_router, register, simulator, PROFILE};

/// Mikhmon's on-login script of a user profile (abridged after the data line it parses).
fn on_login(mode: &str, price: i64, validity: &str, selling: i64) -> String {
    format!(
        ":put (\",{mode},{price},{validity},{selling},,Disable,\"); {{:local date [ /system clock get date ];\
         :local comment [ /ip hotspot user get [/ip hotspot user find where name=\"$user\"] comment];\
         :local ucode [:pic $comment 0 2]; :if ($ucode = \"vc\" or $ucode = \"up\" or $comment = \"\") do={{\
         /sys sch add name=\"$user\" disable=no start-date=$date interval=\"{validity}\"}}}}"
    )
}

/// Hotspot profiles with Mikhmon's scripts, generated and used vouchers, a plain user and
/// PPPoE secrets whose comments name the customer.
pub fn seed_mikhmon(sim: &SimHandle) {
    let add = |menu: &str, attrs: &[(&str, &str)]| {
        sim.add_item(menu, attrs).expect("seed");
    };
    add(
        "/ip/hotspot/user/profile",
        &[
            ("name", "3jam"),
            ("rate-limit", "1M/2M"),
            ("on-login", &on_login("rem", 3000, "3h", 5000)),
        ],
    );
    add(
        "/ip/hotspot/user/profile",
        &[
            ("name", "1hari"),
            ("shared-users", "2"),
            ("on-login", &on_login("ntf", 5000, "1d", 0)),
        ],
    );
    add(
        "/ip/hotspot/user",
        &[
            ("name", "ab12"),
            ("password", "ab12"),
            ("profile", "3jam"),
            ("comment", "vc-437-11.28.26-promo"),
        ],
    );
    add(
        "/ip/hotspot/user",
        &[
            ("name", "xy99"),
            ("password", "5521"),
            ("profile", "1hari"),
            ("comment", "up-120-11.28.26-"),
        ],
    );
    add(
        "/ip/hotspot/user",
        &[
            ("name", "cd34"),
            ("password", "cd34"),
            ("profile", "1hari"),
            ("comment", "dec/29/2026 10:00:00"),
        ],
    );
    add(
        "/ip/hotspot/user",
        &[
            ("name", "tamu"),
            ("password", "tamu"),
            ("comment", "akun tamu"),
        ],
    );
    add(
        "/ppp/secret",
        &[
            ("name", "pelanggan1"),
            ("password", "rahasia-satu"),
            ("service", "pppoe"),
            ("profile", PROFILE),
            ("comment", "Budi Santoso - 0812-3456-7890"),
        ],
    );
    add(
        "/ppp/secret",
        &[
            ("name", "pelanggan2"),
            ("password", "rahasia-dua"),
            ("service", "pppoe"),
            ("profile", PROFILE),
            ("comment", "Rumah Pak RT"),
        ],
    );
}

fn snapshot(sim: &SimHandle) -> Vec<Vec<SimItem>> {
    [
        "/ip/hotspot/user",
        "/ip/hotspot/user/profile",
        "/ppp/secret",
        "/ppp/profile",
        "/system/scheduler",
        "/system/script",
    ]
    .iter()
    .map(|m| sim.items(m))
    .collect()
}

#[tokio::test]
async fn a_mikhmon_router_imports_cleanly_and_is_left_unchanged() {
    let sim = simulator(SimConfig::default()).await;
    seed_mikhmon(&sim);
    let app = app_with_real_router().await;
    let router = register(&app, &sim, "admin", "").await;
    plan(&app, "Rumahan 10M", 150_000, PROFILE).await;
    let before = snapshot(&sim);

    let (status, record) = app
        .call(
            "POST",
            "/api/imports/router",
            Some(json!({"router_id": router})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{record}");
    assert_eq!(record["source"], "router");
    assert!(
        record["notes"].to_string().contains("neither Mikhmon"),
        "{}",
        record["notes"]
    );
    let id = record["id"].as_str().expect("id").to_owned();

    let dry = step(&app, &id, "dry-run", json!({})).await;
    let rows = outcome(&dry);
    // Secrets first (pelanggan2 has no phone in its comment), then the three vouchers.
    assert_eq!(rows[0], (1, "ok".into(), vec![]));
    assert_eq!(rows[1], (2, "error".into(), vec!["phone".to_owned()]));
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(rows[2..].iter().all(|r| r.1 == "ok"), "{rows:?}");
    assert_eq!(dry["totals"]["vouchers"], 3);
    assert_eq!(dry["totals"]["voucher_profiles"], 2);
    assert_eq!(count(&app, "vouchers").await, 0);

    let done = step(&app, &id, "commit", json!({})).await;
    assert_eq!(done["totals"]["imported"], 4, "{}", done["totals"]);
    assert_eq!(snapshot(&sim), before, "nothing changed on the router");
    // Nor by the voucher jobs afterwards (profile sync, the monitor's catch-up).
    billing_app::vouchers::monitor::catch_up(&app.ctx())
        .await
        .expect("monitor");
    assert_eq!(
        snapshot(&sim),
        before,
        "the voucher jobs leave the imported router alone"
    );

    let pool = app.pool().await;
    let (first, expires): (
        Option<chrono::DateTime<chrono::Utc>>,
        Option<chrono::DateTime<chrono::Utc>>,
    ) = sqlx::query_as("select first_login_at, expires_at from vouchers where code = 'cd34'")
        .fetch_one(&pool)
        .await
        .expect("cd34");
    let expires = expires.expect("the expiry comment is kept");
    assert_eq!(
        (expires + chrono::Duration::hours(7))
            .naive_utc()
            .to_string(),
        "2026-12-29 10:00:00",
        "router time is business time (Asia/Jakarta, UTC+7)"
    );
    assert_eq!(
        first,
        Some(expires - chrono::Duration::days(1)),
        "first login = expiry - validity"
    );
    let vouchers: Vec<(String, String, String, Option<String>, bool)> = sqlx::query_as(
        "select v.code, v.status, p.router_profile, v.router_user_id, v.password is not null \
         from vouchers v join voucher_profiles p on p.id = v.profile_id order by v.code",
    )
    .fetch_all(&pool)
    .await
    .expect("vouchers");
    let ids: std::collections::HashMap<String, String> = sim
        .items("/ip/hotspot/user")
        .into_iter()
        .map(|u| (u["name"].clone(), u[".id"].clone()))
        .collect();
    assert_eq!(vouchers.len(), 3);
    for (code, status, profile, router_user_id, own_password) in &vouchers {
        assert_eq!(
            router_user_id.as_ref(),
            ids.get(code),
            "{code} is linked to its router user"
        );
        match code.as_str() {
            "ab12" => assert_eq!(
                (status.as_str(), profile.as_str(), *own_password),
                ("unused", "3jam", false)
            ),
            "xy99" => assert_eq!(
                (status.as_str(), profile.as_str(), *own_password),
                ("unused", "1hari", true)
            ),
            "cd34" => assert_eq!((status.as_str(), profile.as_str()), ("active", "1hari")),
            other => panic!("unexpected voucher {other}"),
        }
    }
    let (price, validity): (i64, Option<i64>) = sqlx::query_as(
        "select price, validity_secs from voucher_profiles where router_profile = '3jam'",
    )
    .fetch_one(&pool)
    .await
    .expect("profile");
    assert_eq!(
        (price, validity),
        (5000, Some(3 * 3600)),
        "selling price and validity from on-login"
    );
    let (login, router_id, name): (String, Option<uuid::Uuid>, String) = sqlx::query_as(
        "select s.login, s.router_id, c.name from subscriptions s join customers c on c.id = s.customer_id",
    )
    .fetch_one(&pool)
    .await
    .expect("subscription");
    assert_eq!(
        (login.as_str(), name.as_str()),
        ("pelanggan1", "Budi Santoso")
    );
    assert_eq!(router_id.map(|r| r.to_string()), Some(router.clone()));
    assert_eq!(
        count(&app, "router_commands").await,
        0,
        "nothing queued for the router"
    );

    // Reading it again finds everything already there.
    let (_, again) = app
        .call(
            "POST",
            "/api/imports/router",
            Some(json!({"router_id": router})),
        )
        .await;
    let done = step(&app, again["id"].as_str().expect("id"), "commit", json!({})).await;
    assert_eq!(done["totals"]["imported"], 0);
    assert_eq!(done["totals"]["duplicates"], 4);
    assert_eq!(snapshot(&sim), before);
}
