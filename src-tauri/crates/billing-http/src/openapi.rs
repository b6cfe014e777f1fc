use std::sync::LazyLock;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::admin::{auth, setup};
use crate::error::{ErrorBody, ErrorDetail};

/// The document's header, its security scheme and the schemas no path reaches; the paths
/// come from the routes (`crate::admin::api`).
#[derive(OpenApi)]
#[openapi(
    info(title = "mikrobill admin API", description = "The dashboard's API on the admin listener."),
    components(schemas(
        setup::SetupStatus,
        setup::CreateOwnerRequest,
        setup::DatabaseTestRequest,
        auth::LoginRequest,
        auth::RefreshRequest,
        auth::TokenResponse,
        auth::Me,
        billing_app::insight::health::Health,
        billing_app::insight::health::HealthStatus,
        billing_app::insight::health::HealthCheck,
        billing_app::insight::health::DatabaseHealth,
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

/// The OpenAPI document of `/api/*`, pretty-printed (the UI's types are generated from it):
/// this header and the paths the admin routes declare.
pub fn openapi_json() -> String {
    static JSON: LazyLock<String> = LazyLock::new(|| {
        let mut doc = ApiDoc::openapi().merge_from(crate::admin::api().doc);
        doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
        doc.to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    });
    JSON.clone()
}
