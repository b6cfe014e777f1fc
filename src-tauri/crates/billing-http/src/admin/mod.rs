//! The admin listener: the dashboard (static `ui/dist`) and `/api/*`.

pub mod access;
pub mod auth;
pub mod backups;
pub mod customers;
pub mod events;
pub mod imports;
pub mod invoices;
pub mod isolation;
pub mod jobs;
pub mod limits;
pub mod logs;
pub mod monitoring;
pub mod online;
pub mod payments;
pub mod plans;
pub mod pppoe;
pub mod receipt;
pub mod reports;
pub mod resellers;
pub mod routers;
pub mod settings;
pub mod setup;
pub mod subscriptions;
pub mod users;
pub mod vouchers;
pub mod whatsapp;

use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;
use tower_http::services::{ServeDir, ServeFile};

use crate::{AdminOptions, ApiError, HttpState};

pub fn router(state: HttpState, options: AdminOptions) -> Router {
    // Password guessing from one address: a burst, then one attempt every two seconds
    // (429). The per-username lockout in `billing_app::access::auth` covers slow, spread guessing.
    // Refreshing a session is not limited here: its token cannot be guessed, and every staff
    // member's dashboard shares the one loopback address, so a limit on it would sign the
    // whole shop out when several tabs refresh together (the year-in-the-life test found it).
    let Some(credentials) = GovernorConfigBuilder::default()
        .per_second(2)
        .burst_size(30)
        .finish()
    else {
        unreachable!("rate limit quotas are non-zero constants")
    };
    let credentials = Router::new()
        .route("/setup/owner", post(setup::create_owner))
        .route("/setup/database/test", post(setup::test_database))
        .route(
            "/setup/database",
            axum::routing::put(setup::choose_database),
        )
        .route("/auth/login", post(auth::login))
        .layer(GovernorLayer::new(Arc::new(credentials)));
    let api = Router::new()
        .merge(credentials)
        .route("/auth/refresh", post(auth::refresh))
        .route("/openapi.json", get(openapi))
        .route("/setup/status", get(setup::status))
        .route("/setup/sample-data", post(setup::sample_data))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .route("/auth/sessions", get(auth::sessions))
        .route(
            "/auth/sessions/{id}",
            axum::routing::delete(auth::end_session),
        )
        .route("/auth/logout-everywhere", post(auth::logout_everywhere))
        .route("/auth/totp", get(auth::totp_status))
        .route("/auth/totp/setup", post(auth::totp_setup))
        .route("/auth/totp/enable", post(auth::totp_enable))
        .route("/auth/totp/disable", post(auth::totp_disable))
        .route("/admin/users", get(users::list).post(users::create))
        .route("/admin/users/{id}", axum::routing::patch(users::update))
        .route(
            "/admin/users/{id}/password",
            axum::routing::put(users::reset_password),
        )
        .route("/audit", get(logs::audit))
        .route("/security/events", get(logs::security))
        .route("/monitoring/health", get(monitoring::health))
        .route("/monitoring/metrics", get(monitoring::metrics))
        .route("/monitoring/alerts", get(monitoring::list_alerts))
        .route(
            "/monitoring/alerts/rules",
            get(monitoring::list_rules).post(monitoring::create_rule),
        )
        .route(
            "/monitoring/alerts/rules/{id}",
            get(monitoring::get_rule)
                .put(monitoring::update_rule)
                .delete(monitoring::delete_rule),
        )
        .route(
            "/monitoring/settings",
            get(monitoring::get_settings).put(monitoring::put_settings),
        )
        .route("/events", get(events::stream))
        .route("/events/ticket", post(events::ticket))
        .route("/jobs", get(jobs::list))
        .route("/jobs/{name}/runs", get(jobs::runs))
        .route("/jobs/{name}/run", post(jobs::run))
        .route("/dashboard/summary", get(monitoring::summary))
        .route("/dashboard/home", get(reports::home))
        .route("/reports/revenue", get(reports::revenue))
        .route(
            "/reports/payments-by-method",
            get(reports::payments_by_method),
        )
        .route(
            "/reports/payments-by-cashier",
            get(reports::payments_by_cashier),
        )
        .route("/reports/arrears-aging", get(reports::arrears_aging))
        .route("/reports/subscribers", get(reports::subscribers))
        .route(
            "/reports/vouchers-by-profile",
            get(reports::vouchers_by_profile),
        )
        .route(
            "/reports/vouchers-by-reseller",
            get(reports::vouchers_by_reseller),
        )
        .route("/reports/top-unpaid", get(reports::top_unpaid))
        .route("/customers", get(customers::list).post(customers::create))
        .route(
            "/customers/{id}",
            get(customers::get).patch(customers::update),
        )
        .route(
            "/customers/{id}/balance",
            get(customers::balance).post(customers::change_balance),
        )
        .route(
            "/voucher-profiles",
            get(vouchers::list_profiles).post(vouchers::create_profile),
        )
        .route(
            "/voucher-profiles/{id}",
            axum::routing::patch(vouchers::update_profile).delete(vouchers::delete_profile),
        )
        .route("/vouchers", get(vouchers::list))
        .route("/vouchers/batch", post(vouchers::create_batch))
        .route("/vouchers/batches", get(vouchers::list_batches))
        .route("/vouchers/batches/{id}", get(vouchers::get_batch))
        .route("/vouchers/unique-check", get(vouchers::unique_check))
        .route("/vouchers/sales", get(vouchers::sales))
        .route("/vouchers/monitor", post(vouchers::run_monitor))
        .route("/vouchers/print", get(vouchers::print))
        .route(
            "/vouchers/print-settings",
            get(vouchers::get_print_settings).put(vouchers::set_print_settings),
        )
        .route(
            "/vouchers/templates/{kind}",
            get(vouchers::get_template)
                .put(vouchers::set_template)
                .delete(vouchers::reset_template),
        )
        .route("/vouchers/{id}/usage", get(vouchers::usage))
        .route("/resellers", get(resellers::list).post(resellers::create))
        .route("/resellers/{id}", axum::routing::patch(resellers::update))
        .route("/resellers/{id}/deposits", post(resellers::deposit))
        .route("/resellers/{id}/ledger", get(resellers::ledger))
        .route("/reseller/me", get(resellers::me))
        .route("/reseller/vouchers", get(resellers::my_vouchers))
        .route("/reseller/batches", get(resellers::my_batches))
        .route("/reseller/sales", get(resellers::my_sales))
        .route("/plans", get(plans::list).post(plans::create))
        .route(
            "/plans/{id}",
            axum::routing::patch(plans::update).delete(plans::delete),
        )
        .route(
            "/subscriptions",
            get(subscriptions::list).post(subscriptions::create),
        )
        .route("/subscriptions/{id}", get(subscriptions::get))
        .route("/subscriptions/{id}/renew", post(subscriptions::renew))
        .route(
            "/subscriptions/{id}/retry-provisioning",
            post(subscriptions::retry_provisioning),
        )
        .route(
            "/subscriptions/{id}/terminate",
            post(subscriptions::terminate),
        )
        .route("/invoices", get(invoices::list))
        .route("/invoices/{id}", get(invoices::get))
        .route("/invoices/{id}/void", post(invoices::void))
        .route("/invoices/{id}/discount", post(invoices::discount))
        .route("/invoices/{id}/receipt", get(receipt::receipt))
        .route("/billing/run", post(invoices::run))
        .route("/payments", get(payments::list).post(payments::create))
        .route("/payments/methods", get(online::methods))
        .route("/payments/create", post(online::create))
        .route("/payments/check-pending", post(online::check_pending))
        .route("/payments/{id}", get(payments::get))
        .route("/payments/{id}/status", get(online::status))
        .route("/payments/{id}/check", post(online::check))
        .route("/payments/{id}/proof", get(online::proof))
        .route("/payments/{id}/confirm", post(online::confirm))
        .route("/payments/{id}/reject", post(online::reject))
        .route("/payments/{id}/review", post(online::review))
        .route("/invoices/{id}/pay", get(online::pay_link))
        .route("/settings/gateways", get(online::gateways))
        .route(
            "/settings/gateways/{code}",
            axum::routing::put(online::update_gateway),
        )
        .route(
            "/settings/public-url",
            get(online::get_public_url).put(online::set_public_url),
        )
        .route("/settings/public-url/check", post(online::check_public_url))
        .route("/routers", get(routers::list).post(routers::create))
        .route("/routers/refresh", post(routers::refresh))
        .route("/routers/commands", get(routers::commands))
        .route("/routers/commands/deliver", post(routers::deliver))
        .route("/routers/audit", get(routers::audit))
        .route(
            "/routers/{id}",
            get(routers::get)
                .patch(routers::update)
                .delete(routers::delete),
        )
        .route("/routers/{id}/test", post(routers::test))
        .route(
            "/routers/{id}/trust-certificate",
            post(routers::trust_certificate),
        )
        .route("/routers/{id}/sessions", get(routers::sessions))
        .route("/routers/{id}/samples", get(monitoring::router_samples))
        .route("/routers/{id}/sessions/kick", post(routers::kick))
        .route("/reconcile/{router_id}", get(routers::reconcile))
        .route("/reconcile/{router_id}/repair", post(routers::repair))
        .route("/pppoe/profiles", get(pppoe::profiles))
        .route("/pppoe/profiles/sync", post(pppoe::sync))
        .route("/pppoe/users", get(pppoe::users).post(pppoe::create))
        .route("/pppoe/users/{id}", axum::routing::delete(pppoe::remove))
        .route(
            "/pppoe/users/{id}/password",
            axum::routing::put(pppoe::password),
        )
        .route("/pppoe/users/{id}/isolate", post(pppoe::isolate))
        .route("/pppoe/users/{id}/restore", post(pppoe::restore))
        .route("/isolation/preview", get(isolation::preview))
        .route("/isolation/run", post(isolation::run))
        .route("/whatsapp/status", get(whatsapp::status))
        .route(
            "/whatsapp/sessions",
            get(whatsapp::sessions).post(whatsapp::create_session),
        )
        .route("/whatsapp/sessions/scan", post(whatsapp::scan))
        .route(
            "/whatsapp/sessions/{id}",
            axum::routing::put(whatsapp::update_session).delete(whatsapp::delete_session),
        )
        .route("/whatsapp/send", post(whatsapp::send))
        .route("/whatsapp/drain", post(whatsapp::drain))
        .route("/whatsapp/messages", get(whatsapp::messages))
        .route("/whatsapp/messages/{id}/retry", post(whatsapp::retry))
        .route("/whatsapp/templates", get(whatsapp::templates))
        .route(
            "/whatsapp/templates/{key}",
            axum::routing::put(whatsapp::set_template),
        )
        .route("/whatsapp/templates/{key}/preview", post(whatsapp::preview))
        .route(
            "/whatsapp/settings",
            get(whatsapp::get_settings).put(whatsapp::put_settings),
        )
        .route("/imports", get(imports::list))
        .route(
            "/imports/file",
            post(imports::upload_file).layer(axum::extract::DefaultBodyLimit::max(
                billing_app::ops::imports::MAX_FILE_BYTES * 4 / 3 + 4096,
            )),
        )
        .route(
            "/imports/phpnuxbill",
            post(imports::upload_phpnuxbill).layer(axum::extract::DefaultBodyLimit::max(
                billing_app::ops::imports::MAX_FILE_BYTES * 4 / 3 + 4096,
            )),
        )
        .route("/imports/router", post(imports::from_router))
        .route("/imports/{id}", get(imports::get))
        .route("/imports/{id}/dry-run", post(imports::dry_run))
        .route("/imports/{id}/commit", post(imports::commit))
        .route("/backups", get(backups::list))
        .route("/backups/create", post(backups::create))
        .route(
            "/backups/settings",
            get(backups::get_settings).put(backups::put_settings),
        )
        .route("/backups/{id}/download", get(backups::download))
        .route("/backups/{id}/verify", post(backups::verify))
        .route("/backups/restore/{id}", post(backups::restore))
        .route("/backups/restore/{id}/confirm", post(backups::confirm))
        .route("/backups/restore/{id}/undo", post(backups::undo))
        .route(
            "/settings/business",
            get(settings::get_business).put(settings::put_business),
        )
        // Every route: authentication, the role's permission, security and activity logs.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access::authorize,
        ))
        // Outermost: requests refused by the access layer are counted too.
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            monitoring::record,
        ))
        .method_not_allowed_fallback(crate::guard::method_not_allowed)
        .fallback(api_not_found)
        .with_state(state);

    let router = Router::new().nest("/api", api);
    let router = match options
        .ui_dir
        .filter(|dir| dir.join("index.html").is_file())
    {
        Some(dir) => {
            let index = ServeFile::new(dir.join("index.html"));
            router.fallback_service(ServeDir::new(dir).fallback(index))
        }
        None => router.fallback(dashboard_missing),
    };
    crate::guard::layers(router).layer(crate::request_log::layer())
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi_json(),
    )
}

async fn api_not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(format!("no API route {}", uri.path()))
}

async fn dashboard_missing() -> impl IntoResponse {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Html(
            "<!doctype html><meta charset=utf-8><title>mikrobill</title>\
             <h1>Dasbor belum dibangun / Dashboard not built</h1>\
             <p>Jalankan <code>npm ci &amp;&amp; npm run build</code> di folder <code>ui/</code>, \
             atau atur <code>MIKROBILL__ADMIN__UI_DIR</code>.</p>",
        ),
    )
}
