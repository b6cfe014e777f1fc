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
        serde_json::to_value(&doc)
            .and_then(|mut doc| {
                link_created_resources(&mut doc);
                serde_json::to_string_pretty(&doc)
            })
            .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    });
    JSON.clone()
}

/// OpenAPI links from every "create" to what can be done with what it created: a `POST` on a
/// collection answering 201 with an object that has an `id` links to each operation on
/// `<collection>/{id}` and below it whose only path parameter is that id
/// (`$response.body#/id`). Clients and the fuzzer's stateful phase follow them
/// (create → read → change → delete), so they are derived from the routes, never written by hand.
/// Written on the JSON because utoipa's `Link` serialises `operation_id` in snake case, which
/// is not the OpenAPI field (`operationId`).
fn link_created_resources(doc: &mut serde_json::Value) {
    use serde_json::{json, Value};
    let with_id = |name: &str| {
        doc["components"]["schemas"][name]["properties"]
            .get("id")
            .is_some()
    };
    let Some(paths) = doc["paths"].as_object() else {
        return;
    };
    let operations: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, item)| {
            ["get", "put", "post", "patch", "delete"]
                .into_iter()
                .filter_map(|m| item[m]["operationId"].as_str())
                .map(|id| (path.clone(), id.to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut links: Vec<(String, Value)> = Vec::new();
    for (path, item) in paths {
        let created = &item["post"]["responses"]["201"];
        let Some(reference) = created["content"]["application/json"]["schema"]["$ref"].as_str()
        else {
            continue;
        };
        if !with_id(reference.trim_start_matches("#/components/schemas/")) {
            continue;
        }
        let item_path = format!("{path}/{{id}}");
        let mut these = serde_json::Map::new();
        for (target, operation_id) in &operations {
            let below = target.strip_prefix(&item_path).is_some_and(|rest| {
                rest.is_empty() || (rest.starts_with('/') && !rest.contains('{'))
            });
            if below {
                these.insert(
                    operation_id.clone(),
                    json!({
                        "operationId": operation_id,
                        "parameters": { "id": "$response.body#/id" },
                    }),
                );
            }
        }
        if !these.is_empty() {
            links.push((path.clone(), Value::Object(these)));
        }
    }
    for (path, these) in links {
        doc["paths"][&path]["post"]["responses"]["201"]["links"] = these;
    }
}

#[cfg(test)]
mod tests {
    /// A create links to the reads and changes of what it created, with the created id.
    #[test]
    fn a_create_links_to_what_can_be_done_with_what_it_created() {
        let doc: serde_json::Value =
            serde_json::from_str(&super::openapi_json()).expect("the document is JSON");
        let links = &doc["paths"]["/api/customers"]["post"]["responses"]["201"]["links"];
        for target in ["get_customer", "update_customer", "get_customer_balance"] {
            assert_eq!(links[target]["operationId"], target, "{links}");
            assert_eq!(links[target]["parameters"]["id"], "$response.body#/id");
        }
        let total: usize = doc["paths"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.values())
            .filter_map(|item| item["post"]["responses"]["201"]["links"].as_object())
            .map(serde_json::Map::len)
            .sum();
        assert!(total >= 20, "only {total} links");
    }
}
