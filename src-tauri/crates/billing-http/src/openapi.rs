use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::admin::{
    auth, customers, invoices, isolation, monitoring, online, payments, plans, receipt, settings,
    setup, subscriptions,
};
use crate::admin::{logs, pppoe, resellers, routers, users, vouchers, whatsapp};
use crate::error::{ErrorBody, ErrorDetail};

#[derive(OpenApi)]
#[openapi(
    info(title = "mikrobill admin API", description = "The dashboard's API on the admin listener."),
    paths(
        setup::status,
        setup::create_owner,
        auth::login,
        auth::refresh,
        auth::logout,
        auth::me,
        auth::sessions,
        auth::end_session,
        auth::logout_everywhere,
        auth::totp_status,
        auth::totp_setup,
        auth::totp_enable,
        auth::totp_disable,
        users::list,
        users::create,
        users::update,
        users::reset_password,
        logs::audit,
        logs::security,
        monitoring::health,
        monitoring::summary,
        customers::list,
        customers::create,
        customers::get,
        customers::update,
        customers::balance,
        customers::change_balance,
        vouchers::list_profiles,
        vouchers::create_profile,
        vouchers::update_profile,
        vouchers::delete_profile,
        vouchers::create_batch,
        vouchers::list_batches,
        vouchers::get_batch,
        vouchers::list,
        vouchers::usage,
        vouchers::unique_check,
        vouchers::sales,
        vouchers::run_monitor,
        vouchers::print,
        vouchers::get_template,
        vouchers::set_template,
        vouchers::reset_template,
        vouchers::get_print_settings,
        vouchers::set_print_settings,
        resellers::list,
        resellers::create,
        resellers::update,
        resellers::deposit,
        resellers::ledger,
        resellers::me,
        resellers::my_vouchers,
        resellers::my_batches,
        resellers::my_sales,
        plans::list,
        plans::create,
        plans::update,
        plans::delete,
        subscriptions::list,
        subscriptions::create,
        subscriptions::get,
        subscriptions::renew,
        subscriptions::terminate,
        invoices::list,
        invoices::get,
        invoices::void,
        invoices::discount,
        receipt::receipt,
        invoices::run,
        payments::list,
        payments::create,
        payments::get,
        isolation::preview,
        isolation::run,
        settings::get_business,
        whatsapp::status,
        whatsapp::sessions,
        whatsapp::create_session,
        whatsapp::update_session,
        whatsapp::delete_session,
        whatsapp::scan,
        whatsapp::send,
        whatsapp::messages,
        whatsapp::retry,
        whatsapp::drain,
        whatsapp::templates,
        whatsapp::set_template,
        whatsapp::preview,
        whatsapp::get_settings,
        whatsapp::put_settings,
        settings::put_business,
        routers::list,
        routers::create,
        routers::get,
        routers::update,
        routers::delete,
        routers::test,
        routers::refresh,
        routers::sessions,
        routers::kick,
        routers::commands,
        routers::deliver,
        routers::audit,
        routers::reconcile,
        routers::repair,
        pppoe::profiles,
        pppoe::sync,
        pppoe::users,
        pppoe::create,
        pppoe::password,
        pppoe::remove,
        pppoe::isolate,
        pppoe::restore,
        online::pay_link,
        online::methods,
        online::create,
        online::status,
        online::check,
        online::check_pending,
        online::proof,
        online::confirm,
        online::reject,
        online::review,
        online::gateways,
        online::update_gateway,
        online::get_public_url,
        online::set_public_url,
        online::check_public_url,
    ),
    components(schemas(
        setup::SetupStatus,
        setup::CreateOwnerRequest,
        auth::LoginRequest,
        auth::RefreshRequest,
        auth::TokenResponse,
        auth::Me,
        monitoring::Health,
        monitoring::HealthStatus,
        monitoring::ComponentStatus,
        monitoring::DatabaseHealth,
        ErrorBody,
        ErrorDetail,
    )),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("JWT")
                        .build(),
                ),
            );
        }
    }
}

/// The OpenAPI document of `/api/*`, pretty-printed (the UI's types are generated from it).
pub fn openapi_json() -> String {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc.to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
