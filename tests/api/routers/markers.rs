//! Profile sync by marker (seed §6): hourly as well as on demand, our profiles told from the
//! router's own (which are only read), missing ones marked inactive; every marker the app
//! writes in the seed's six fields; a voucher's activation dated in its router comment (§4.2).

use std::time::Duration;

use billing_app::network::marker;
use routeros_api::sim::SimVersion;

use super::*;
use crate::monitoring::run_job;
use crate::vouchers::{batch, day_profile, monitor, setup, vouchers};

async fn profile<'a>(list: &'a Value, name: &str) -> Option<&'a Value> {
    list["items"]
        .as_array()
        .and_then(|items| items.iter().find(|p| p["name"] == name))
}

#[tokio::test]
async fn the_hourly_sync_tells_ours_from_the_routers_own_and_marks_missing_ones_inactive() {
    let (app, sim, router) = setup(SimVersion::default()).await;
    let (_, jobs) = app.call("GET", "/api/jobs", None).await;
    let job = jobs["items"]
        .as_array()
        .and_then(|j| j.iter().find(|j| j["name"] == "profile_sync"))
        .cloned()
        .unwrap_or_else(|| panic!("{jobs}"));
    assert_eq!(job["cron"], "0 7 * * * *", "hourly: {job}");

    // Our voucher profile (its marker in the on-login script), and one the owner made by hand.
    let ours = day_profile(&app).await;
    let client = routeros_api::Client::connect(sim.connect_options())
        .await
        .expect("login");
    client
        .ppp_profiles()
        .add("paket-lama", Some("5M/5M"))
        .await
        .expect("the owner's own profile");
    let summary = run_job(&app, "profile_sync").await;
    assert!(summary.starts_with("1 router(s): "), "{summary}");
    let (_, list) = app.call("GET", "/api/pppoe/profiles", None).await;
    let hotspot = profile(&list, ours["router_profile"].as_str().expect("name"))
        .await
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(hotspot["kind"], "hotspot");
    assert_eq!(hotspot["marked"], true, "{hotspot}");
    let own = profile(&list, "paket-lama")
        .await
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(own["marked"], false, "the router's own: {own}");
    assert_eq!(
        (own["active"].clone(), own["rate_limit"].clone()),
        (json!(true), json!("5M/5M"))
    );

    // The marker in the profile's on-login script has the seed's six fields.
    let on_login = sim
        .find(
            "/ip/hotspot/user/profile",
            ours["router_profile"].as_str().expect("name"),
        )
        .expect("on the router")["on-login"]
        .clone();
    let put = on_login
        .lines()
        .next()
        .and_then(|l| l.strip_prefix(":put \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{on_login}"));
    let fields = marker::fields(put).unwrap_or_else(|| panic!("{put}"));
    assert_eq!(fields[0], "VOUCHER_SYSTEM");
    assert_eq!(fields[2], ours["id"].as_str().expect("id"));
    assert_eq!(fields[5], "system");
    // So has the expiry sweeper the profile brought.
    let sweeper = sim
        .find("/system/scheduler", "mikrobill-voucher-expiry")
        .expect("sweeper");
    assert!(marker::fields(&sweeper["comment"]).is_some(), "{sweeper:?}");

    // The owner deletes their profile on the router: the next hourly run marks it inactive
    // (kept, for the plans that may still name it).
    let id = client
        .ppp_profiles()
        .get_by_name("paket-lama")
        .await
        .expect("read")
        .expect("there")
        .id;
    client.ppp_profiles().remove(&id).await.expect("remove");
    let summary = run_job(&app, "profile_sync").await;
    assert!(summary.contains(", 1 gone"), "{summary}");
    let (_, list) = app.call("GET", "/api/pppoe/profiles", None).await;
    let own = profile(&list, "paket-lama").await.expect("kept");
    assert_eq!(own["active"], false, "{own}");
    client.disconnect().await;

    // A router that cannot be read: "sync all" still answers, naming it; that router alone
    // is an error; the hourly run fails with its name; nothing changes.
    sim.shutdown();
    let (status, all) = app.call("POST", "/api/pppoe/profiles/sync", None).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert!(
        all["not_read"][0]
            .as_str()
            .unwrap_or_default()
            .starts_with("Kantor Pusat: "),
        "{all}"
    );
    assert!(
        profile(&all, "paket-lama").await.is_some(),
        "kept as last read: {all}"
    );
    let (status, one) = app
        .call(
            "POST",
            "/api/pppoe/profiles/sync",
            Some(json!({"router_id": router})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{one}");
    let run = billing_app::ops::jobs::run(
        &app.ctx(),
        "profile_sync",
        billing_app::ops::jobs::Trigger::Manual,
    )
    .await
    .expect("recorded");
    assert!(!run.ok, "{run:?}");
    assert!(
        run.error
            .as_deref()
            .unwrap_or_default()
            .contains("Kantor Pusat"),
        "{run:?}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn activation_is_dated_in_the_vouchers_router_comment_and_the_router_still_ends_it() {
    let (app, sim, _router) = setup(SimVersion::default()).await;
    let p = day_profile(&app).await;
    let b = batch(&app, json!({"profile_id": p["id"], "count": 1})).await;
    let list = vouchers(&app, &format!("batch_id={}", b["id"].as_str().expect("id"))).await;
    let code = list[0]["code"].as_str().expect("code").to_owned();
    let made = sim.find("/ip/hotspot/user", &code).expect("user")["comment"].clone();
    assert!(marker::fields(&made).is_some(), "six fields: {made}");

    sim.hotspot_login(&code, "10.5.50.10", "AA:BB:CC:00:00:01")
        .expect("login");
    let login_time = sim.clock().format("%Y-%m-%d %H:%M:%S").to_string();
    sim.advance(Duration::from_secs(600));
    let r = monitor(&app).await;
    assert_eq!(r["activated"], 1, "{r}");
    let comment = sim.find("/ip/hotspot/user", &code).expect("user")["comment"].clone();
    assert_eq!(
        comment,
        {
            let exp = made.len();
            let stamp = &comment[comment.find("|exp=").unwrap_or(exp)..];
            format!("{made}|act={login_time}{stamp}")
        },
        "the activation sits between the marker and the expiry"
    );
    assert!(comment.contains("|exp="), "{comment}");

    // Written once.
    sim.advance(Duration::from_secs(60));
    monitor(&app).await;
    let again = sim.find("/ip/hotspot/user", &code).expect("user")["comment"].clone();
    assert_eq!(again, comment);

    // The router's sweeper still reads the expiry after it: a day on, the voucher is ended.
    sim.advance(Duration::from_secs(24 * 3600));
    assert_eq!(
        sim.find("/ip/hotspot/user", &code).expect("kept")["disabled"],
        "true",
        "{comment}"
    );
    app.shutdown().await;
}

#[tokio::test]
async fn a_plans_profile_is_checked_against_the_routers_and_a_missing_one_is_made_there() {
    let sim = simulator(SimConfig::default()).await;
    let app = app_with_real_router().await;
    let router = register(&app, &sim, "admin", "").await;
    let (status, _) = app.call("POST", "/api/pppoe/profiles/sync", None).await;
    assert_eq!(status, StatusCode::OK);

    // A plan naming a profile the router has, and one naming a profile it lacks.
    let plan = |name: &str, profile: &str| {
        json!({"name": name, "price": 150_000, "kind": "pppoe", "router_profile": profile,
                "speed_label": "20 Mbps"})
    };
    let (status, there) = app
        .call("POST", "/api/plans", Some(plan("Paket 10M", PROFILE)))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{there}");
    assert_eq!(there["profile_missing_on"], json!([]), "{there}");
    let (status, missing) = app
        .call("POST", "/api/plans", Some(plan("Paket 20M", "pppoe-20M")))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{missing}");
    assert_eq!(
        missing["profile_missing_on"],
        json!(["Kantor Pusat"]),
        "{missing}"
    );

    // Made on the router from the plan's screen, with the rate limit and our marker.
    let path = format!("/api/routers/{router}/profiles");
    let (status, made) = app
        .call(
            "POST",
            &path,
            Some(json!({"kind": "ppp", "name": "pppoe-20M", "rate_limit": "20M/20M"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let listed = profile(&made, "pppoe-20M")
        .await
        .unwrap_or_else(|| panic!("{made}"));
    assert_eq!(listed["marked"], true, "{listed}");
    let on_router = sim
        .find("/ppp/profile", "pppoe-20M")
        .expect("on the router");
    assert_eq!(on_router["rate-limit"], "20M/20M");
    let fields = marker::fields(&on_router["comment"]).unwrap_or_else(|| panic!("{on_router:?}"));
    assert_eq!((fields[0], fields[5]), ("PPPOE_SYSTEM", OWNER));
    let (_, plans) = app.call("GET", "/api/plans", None).await;
    let again = plans["items"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "Paket 20M"))
        .cloned()
        .unwrap_or_else(|| panic!("{plans}"));
    assert_eq!(again["profile_missing_on"], json!([]), "{again}");

    // The router's own profile is never overwritten; bad input names the field.
    let before = sim.find("/ppp/profile", PROFILE).expect("own");
    let (status, body) = app
        .call(
            "POST",
            &path,
            Some(json!({"kind": "ppp", "name": PROFILE, "rate_limit": "1M/1M"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(sim.find("/ppp/profile", PROFILE).expect("own"), before);
    for (bad, field) in [
        (
            json!({"kind": "ppp", "name": "x", "rate_limit": "cepat"}),
            "rate_limit",
        ),
        (json!({"kind": "pptp", "name": "x"}), "kind"),
        (json!({"kind": "ppp", "name": "  "}), "name"),
    ] {
        let (status, body) = app.call("POST", &path, Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    app.shutdown().await;
}
