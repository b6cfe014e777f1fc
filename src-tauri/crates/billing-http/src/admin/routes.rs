//! How a resource module declares its admin routes: each handler once, with what it requires.
//!
//! ```ignore
//! pub(crate) fn routes() -> Routes {
//!     Routes::new()
//!         .add(Staff(P::CustomersRead), routes!(list))
//!         .add(Staff(P::CustomersWrite), routes!(create))
//! }
//! ```
//!
//! `routes!` (utoipa-axum) takes the method and the path from each handler's
//! `#[utoipa::path]` attribute (one path per `routes!`, relative to `/api`), so that attribute
//! is the only place they are written: the axum route, the OpenAPI operation and the access
//! rule [`authorize`](super::access::authorize) looks up all come from it.

use axum::extract::Request;
use axum::handler::Handler;
use axum::http::Method;
use axum::response::IntoResponse;
use axum::routing::Route;
use tower::{Layer, Service};
use utoipa::openapi::path::PathItem;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

use super::access::{Access, AccessTable};
use crate::HttpState;

/// Routes of the admin API with their OpenAPI operations and access rules.
pub(crate) struct Routes {
    router: OpenApiRouter<HttpState>,
    rules: Vec<(Method, String, Access)>,
    /// Schema names given to two different types: the document keeps only the first, so the
    /// other type's operations would be documented wrongly (a test keeps this empty).
    pub(crate) schema_clashes: Vec<String>,
}

impl Routes {
    pub(crate) fn new() -> Routes {
        Routes {
            router: OpenApiRouter::default(),
            rules: Vec::new(),
            schema_clashes: Vec::new(),
        }
    }

    /// The handlers of one `routes!(…)`, every one of them requiring `access`.
    pub(crate) fn add(mut self, access: Access, routes: UtoipaMethodRouter<HttpState>) -> Routes {
        for (path, item) in &routes.1.paths {
            for method in methods(item) {
                self.rules.push((method, path.clone(), access));
            }
        }
        let known = self.router.get_openapi().components.as_ref();
        for (name, schema) in &routes.0 {
            let existing = known.and_then(|c| c.schemas.get(name));
            if existing.is_some_and(|e| e != schema) {
                self.schema_clashes.push(name.clone());
            }
        }
        self.router = self.router.routes(routes);
        self
    }

    /// A `GET` route the OpenAPI document does not describe (the document itself).
    pub(crate) fn undocumented_get<H, T>(mut self, access: Access, path: &str, handler: H) -> Routes
    where
        H: Handler<T, HttpState>,
        T: 'static,
    {
        self.rules.push((Method::GET, path.to_owned(), access));
        self.router = self.router.route(path, axum::routing::get(handler));
        self
    }

    pub(crate) fn merge(mut self, other: Routes) -> Routes {
        if let (Some(mine), Some(theirs)) = (
            self.router.get_openapi().components.as_ref(),
            other.router.get_openapi().components.as_ref(),
        ) {
            for (name, schema) in &theirs.schemas {
                if mine.schemas.get(name).is_some_and(|s| s != schema) {
                    self.schema_clashes.push(name.clone());
                }
            }
        }
        self.router = self.router.merge(other.router);
        self.rules.extend(other.rules);
        self.schema_clashes.extend(other.schema_clashes);
        self
    }

    /// A layer around these routes only (see [`axum::Router::layer`]).
    pub(crate) fn layer<L>(mut self, layer: L) -> Routes
    where
        L: Layer<Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<std::convert::Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.router = self.router.layer(layer);
        self
    }

    /// The axum router, the OpenAPI document and the access table of these routes, mounted
    /// at `prefix` (the router is nested there by the caller; the document's paths and the
    /// table's paths get the prefix here).
    pub(crate) fn into_parts(
        self,
        prefix: &str,
    ) -> (
        axum::Router<HttpState>,
        utoipa::openapi::OpenApi,
        AccessTable,
    ) {
        let (router, doc) = self.router.split_for_parts();
        let doc = utoipa::openapi::OpenApi::default().nest(prefix, doc);
        let table = AccessTable::new(
            self.rules
                .into_iter()
                .map(|(method, path, access)| (method, format!("{prefix}{path}"), access)),
        );
        (router, doc, table)
    }
}

/// The methods a path item has operations for.
pub(super) fn methods(item: &PathItem) -> Vec<Method> {
    [
        (Method::GET, &item.get),
        (Method::PUT, &item.put),
        (Method::POST, &item.post),
        (Method::DELETE, &item.delete),
        (Method::OPTIONS, &item.options),
        (Method::HEAD, &item.head),
        (Method::PATCH, &item.patch),
        (Method::TRACE, &item.trace),
    ]
    .into_iter()
    .filter(|(_, operation)| operation.is_some())
    .map(|(method, _)| method)
    .collect()
}
