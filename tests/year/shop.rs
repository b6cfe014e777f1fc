//! The shop: the app (on or off), its router (the RouterOS simulator over TCP), the payment
//! gateway and WhatsApp fakes, the staff, and one clock that the app and the router share.

use std::sync::Arc;
use std::time::Duration;

use billing_gateways::fake::FakeDuitku;
use billing_router::{PoolOptions, RouterPool};
use billing_tests::*;
use billing_whatsapp::fake::{self, FakeWhatsApp};
use billing_whatsapp::ProviderKind;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use routeros_api::sim::{SimConfig, SimHandle, Simulator};
use serde_json::{json, Value};

use crate::Config;

pub const PPPOE_PROFILE: &str = "pppoe-10M";
pub const HOTSPOT_PROFILE: &str = "hs-bulanan";
pub const STAFF_PASSWORD: &str = "kata-sandi-staf-123";
const MERCHANT: &str = "DS12345";
const API_KEY: &str = "0123456789abcdef0123456789abcdef";

/// `date` at `hour:minute` in the shop's zone (Asia/Jakarta, UTC+7 all year).
pub fn local(date: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let zone = FixedOffset::east_opt(7 * 3600).expect("offset");
    zone.from_local_datetime(&date.and_hms_opt(hour, minute, 0).expect("time"))
        .single()
        .expect("local time")
        .with_timezone(&Utc)
}

pub struct Staff {
    pub username: String,
    pub refresh: Option<String>,
}

/// One WhatsApp session and the fake behind it.
pub struct WhatsAppSession {
    pub fake: FakeWhatsApp,
    /// How much of the fake's log has been checked.
    pub seen: usize,
}

pub struct Shop {
    app: Option<TestApp>,
    stopped: Option<StoppedApp>,
    pub clock: billing_domain::FixedClock,
    pub sim: SimHandle,
    pub router_id: String,
    pub duitku: FakeDuitku,
    pub whatsapp: Vec<WhatsAppSession>,
    pub staff: Vec<Staff>,
    pub rng: StdRng,
    /// Simulated time the router has not lived yet because it was down (caught up when
    /// it comes back).
    router_lag: chrono::Duration,
    pub router_down: bool,
    pub voucher_profile: String,
}

fn router_pool() -> Arc<RouterPool> {
    Arc::new(RouterPool::new(PoolOptions {
        retry_after: Duration::ZERO,
        connect_timeout: Duration::from_secs(2),
        ..PoolOptions::default()
    }))
}

/// The shop as a real one runs the app: overdue subscriptions are isolated by the daily job.
fn shop_settings(settings: &mut billing_runtime::Settings) {
    settings.billing.auto_isolate = true;
}

impl Shop {
    /// A new install on the first day: router, gateway, WhatsApp, plans, staff, customers.
    pub async fn open(config: &Config, first_day: NaiveDate) -> Shop {
        let sim = Simulator::start(SimConfig {
            seed: config.seed,
            ..SimConfig::default()
        })
        .await
        .expect("simulator");
        let client = routeros_api::Client::connect(sim.connect_options())
            .await
            .expect("admin login");
        client
            .ppp_profiles()
            .add(PPPOE_PROFILE, Some("10M/10M"))
            .await
            .expect("profile");
        client.disconnect().await;
        sim.add_item(
            "/ip/hotspot/user/profile",
            &[("name", HOTSPOT_PROFILE), ("rate-limit", "5M/5M")],
        )
        .expect("hotspot profile");

        let app = spawn_app_with_router_and_settings(router_pool(), shop_settings).await;
        app.clock.set(local(first_day, 7, 0));
        let clock = app.clock.clone();
        let (status, router) = app
            .call(
                "POST",
                "/api/routers",
                Some(
                    json!({"name": "Kantor Pusat", "host": sim.addr().ip().to_string(),
                            "port": sim.addr().port(), "api_user": "admin", "password": ""}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{router}");
        let router_id = router["id"].as_str().expect("id").to_owned();

        let duitku = FakeDuitku::start(MERCHANT, API_KEY).await;
        let (status, body) = app
            .call(
                "PUT",
                "/api/settings/gateways/duitku",
                Some(
                    json!({"enabled": true, "environment": "sandbox", "merchant_code": MERCHANT,
                            "base_url": duitku.base_url(), "api_key": API_KEY}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let mut whatsapp = Vec::new();
        for (name, kind, role) in [
            ("Utama", ProviderKind::Fonnte, "primary"),
            ("Cadangan", ProviderKind::Waha, "backup"),
        ] {
            whatsapp.push(add_whatsapp(&app, name, kind, role).await);
        }
        let (status, body) = app
            .call(
                "PUT",
                "/api/whatsapp/settings",
                Some(json!({"quiet_start": null, "quiet_end": null,
                            "reminder_days": [3, 1], "owner_phone": "0811-0000-001"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");

        let mut staff = Vec::new();
        for (username, role) in [
            ("admin-toko", "admin"),
            ("kasir", "cashier"),
            ("teknisi", "technician"),
        ] {
            let (status, body) = app
                .call(
                    "POST",
                    "/api/admin/users",
                    Some(json!({"username": username, "password": STAFF_PASSWORD, "role": role})),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            staff.push(Staff {
                username: username.to_owned(),
                refresh: None,
            });
        }

        let pppoe = plan(&app, "Paket 10M", 150_000, "pppoe", PPPOE_PROFILE).await;
        let hotspot = plan(&app, "Hotspot Bulanan", 75_000, "hotspot", HOTSPOT_PROFILE).await;
        let mut rng = StdRng::seed_from_u64(config.seed);
        for i in 0..config.subscribers {
            // One subscriber in ten is a monthly hotspot user; the rest use PPPoE.
            let plan = if i % 10 == 9 { &hotspot } else { &pppoe };
            subscribe(&app, i, plan, &router_id, first_day, &mut rng).await;
        }
        let (status, profile) = app
            .call(
                "POST",
                "/api/voucher-profiles",
                Some(
                    json!({"name": "Harian 5rb", "price": 5000, "validity_secs": 86_400,
                            "rate_limit": "2M/5M"}),
                ),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{profile}");

        Shop {
            app: Some(app),
            stopped: None,
            clock,
            sim,
            router_id,
            duitku,
            whatsapp,
            staff,
            rng,
            router_lag: chrono::Duration::zero(),
            router_down: false,
            voucher_profile: profile["id"].as_str().expect("id").to_owned(),
        }
    }

    pub fn app(&self) -> &TestApp {
        self.app.as_ref().expect("the app is running")
    }

    pub fn is_running(&self) -> bool {
        self.app.is_some()
    }

    pub fn now(&self) -> DateTime<Utc> {
        billing_domain::Clock::now(&self.clock)
    }

    /// Moves the shared clock forward to `t`; the router lives through the same time
    /// (its schedulers run), or owes it while it is down.
    pub fn advance_to(&mut self, t: DateTime<Utc>) {
        let by = t - self.now();
        assert!(by >= chrono::Duration::zero(), "time never goes back");
        self.clock.set(t);
        if self.router_down {
            self.router_lag += by;
        } else {
            self.sim.advance(by.to_std().expect("duration"));
        }
    }

    /// The router stops answering (a power cut: it reboots when it is back).
    pub fn router_outage_starts(&mut self) {
        self.sim.reboot(Duration::from_secs(24 * 3600));
        self.router_down = true;
    }

    pub fn router_outage_ends(&mut self) {
        let lag = std::mem::replace(&mut self.router_lag, chrono::Duration::zero());
        self.sim.advance(lag.to_std().expect("duration"));
        self.sim.reboot(Duration::ZERO);
        self.router_down = false;
    }

    /// The PC is switched off: the app stops.
    pub async fn switch_off(&mut self) {
        let app = self.app.take().expect("running");
        self.stopped = Some(app.power_off().await);
    }

    /// The PC is switched on: the app starts (a new process, with a new router pool) and
    /// catches up on what it missed, as the scheduler does at every start.
    pub async fn switch_on(&mut self) {
        let stopped = self.stopped.take().expect("stopped");
        let app = stopped.start(Some(router_pool())).await;
        billing_runtime::catch_up(&app.ctx()).await;
        self.app = Some(app);
    }

    pub fn random(&mut self, below: u32) -> u32 {
        self.rng.gen_range(0..below)
    }
}

async fn add_whatsapp(
    app: &TestApp,
    name: &str,
    kind: ProviderKind,
    role: &str,
) -> WhatsAppSession {
    let fake = FakeWhatsApp::start(kind).await.expect("fake");
    let (provider, settings, token) = match kind {
        ProviderKind::Waha => (
            "waha",
            json!({"session": fake::FAKE_SESSION}),
            fake::FAKE_API_KEY,
        ),
        _ => ("fonnte", json!({}), fake::FAKE_TOKEN),
    };
    let (status, session) = app
        .call(
            "POST",
            "/api/whatsapp/sessions",
            Some(json!({"name": name, "provider": provider, "role": role,
                        "base_url": fake.base_url(), "settings": settings, "token": token,
                        "per_minute": 60000})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    WhatsAppSession { fake, seen: 0 }
}

async fn plan(app: &TestApp, name: &str, price: i64, kind: &str, profile: &str) -> Value {
    let (status, plan) = app
        .call(
            "POST",
            "/api/plans",
            Some(json!({"name": name, "price": price, "kind": kind,
                        "router_profile": profile, "speed_label": name})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{plan}");
    plan
}

async fn subscribe(
    app: &TestApp,
    i: usize,
    plan: &Value,
    router_id: &str,
    first_day: NaiveDate,
    rng: &mut StdRng,
) {
    let (status, customer) = app
        .call(
            "POST",
            "/api/customers",
            Some(json!({"name": format!("Pelanggan {i}"),
                        "phone": format!("0812{:08}", 10_000 + i),
                        "address": format!("Jl. Kenanga {i}")})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    let login = format!("pelanggan{i:03}");
    let (status, sub) = app
        .call(
            "POST",
            "/api/subscriptions",
            Some(
                json!({"customer_id": customer["id"], "plan_id": plan["id"], "login": login,
                        "password": format!("pw-{login}"), "start_on": first_day.to_string(),
                        "billing_day": rng.gen_range(1..=28), "due_days": 7,
                        "grace_days": 3, "router_id": router_id}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{sub}");
}
