//! The admin listener: the dashboard (static `ui/dist`) and `/api/*`.
//!
//! Each resource module declares its routes once, with their access rules (`routes()`, see
//! [`routes::Routes`]); [`api`] gathers them into the router, the OpenAPI document's paths
//! and the access table.

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
mod routes;
pub mod settings;
pub mod setup;
pub mod shop;
pub mod subscriptions;
pub mod users;
pub mod vouchers;
pub mod whatsapp;

use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse};
use axum::Router;
use std::sync::Arc;

use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;
use tower_http::services::{ServeDir, ServeFile};

use crate::{AdminOptions, ApiError, HttpState};
use access::{Access, AccessTable};
use routes::Routes;

/// Where the admin API is mounted; the resource modules' paths are relative to it.
const API: &str = "/api";

/// The admin API as the resource modules declare it: the router (routes relative to [`API`]),
/// its OpenAPI paths and the access table of its routes.
pub(crate) struct Api {
    pub(crate) router: Router<HttpState>,
    pub(crate) doc: utoipa::openapi::OpenApi,
    pub(crate) access: AccessTable,
    /// Schema names two different types claim (see [`Routes::schema_clashes`]).
    pub(crate) schema_clashes: Vec<String>,
}

pub(crate) fn api() -> Api {
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
    let credentials = Routes::new()
        .merge(setup::credentials())
        .merge(auth::credentials())
        .layer(GovernorLayer::new(Arc::new(credentials)));
    let routes = Routes::new()
        .merge(credentials)
        .undocumented_get(Access::Public, "/openapi.json", openapi)
        .merge(setup::routes())
        .merge(auth::routes())
        .merge(users::routes())
        .merge(logs::routes())
        .merge(monitoring::routes())
        .merge(events::routes())
        .merge(jobs::routes())
        .merge(reports::routes())
        .merge(customers::routes())
        .merge(whatsapp::routes())
        .merge(vouchers::routes())
        .merge(resellers::routes())
        .merge(shop::routes())
        .merge(plans::routes())
        .merge(subscriptions::routes())
        .merge(invoices::routes())
        .merge(receipt::routes())
        .merge(payments::routes())
        .merge(online::routes())
        .merge(routers::routes())
        .merge(pppoe::routes())
        .merge(isolation::routes())
        .merge(imports::routes())
        .merge(backups::routes())
        .merge(settings::routes());
    let schema_clashes = routes.schema_clashes.clone();
    let (router, doc, access) = routes.into_parts(API);
    Api {
        router,
        doc,
        access,
        schema_clashes,
    }
}

pub fn router(state: HttpState, options: AdminOptions) -> Router {
    let Api {
        router,
        access,
        schema_clashes,
        ..
    } = api();
    if !schema_clashes.is_empty() {
        tracing::error!(?schema_clashes, "two types share an OpenAPI schema name");
    }
    let api = router
        // Every route: authentication, the role's permission, security and activity logs.
        .route_layer(axum::middleware::from_fn_with_state(
            (state.clone(), Arc::new(access)),
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

    let router = Router::new().nest(API, api);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every documented operation has exactly one access rule, and the declared paths are
    /// relative to `/api` (a handler whose `#[utoipa::path]` repeats the prefix would be
    /// served at `/api/api/…`).
    #[test]
    fn every_declared_route_has_one_rule_under_the_api_prefix() {
        let Api { doc, access, .. } = api();
        let mut rules: Vec<String> = access.iter().map(|(m, p, _)| format!("{m} {p}")).collect();
        rules.sort();
        let count = rules.len();
        rules.dedup();
        assert_eq!(rules.len(), count, "a route has two rules");
        for (method, path, _) in access.iter() {
            assert!(path.starts_with("/api/"), "{method} {path}");
            assert!(!path.starts_with("/api/api/"), "{method} {path}");
        }
        let mut operations = 0;
        for (path, item) in &doc.paths.paths {
            for method in routes::methods(item) {
                operations += 1;
                assert!(access.access(&method, path).is_some(), "{method} {path}");
            }
        }
        // The document itself is the one route it does not describe.
        assert_eq!(operations + 1, count);
    }

    /// Two types with one schema name would leave one of them documented as the other
    /// (`vouchers::TemplateBody` was documented as WhatsApp's `{body}` until it was named).
    #[test]
    fn no_two_types_share_a_schema_name() {
        assert_eq!(api().schema_clashes, Vec::<String>::new());
    }
}
