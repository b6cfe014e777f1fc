//! HTTP surfaces. Two routers for two trust levels:
//! - [`admin_router`]: bound to loopback; the dashboard and `/api/*` behind JWT.
//! - [`public_router`]: what the owner tunnels to the internet; only what customers and
//!   gateways need (`/healthz` for now).

pub mod admin;
mod error;
mod export;
mod extract;
mod guard;
mod input;
pub mod listener;
mod openapi;
pub mod public;
mod request_log;

use std::path::PathBuf;

use billing_app::AppContext;

pub use error::ApiError;
pub use openapi::openapi_json;

/// Shared state of the handlers.
#[derive(Clone, Debug)]
pub struct HttpState {
    pub ctx: AppContext,
    pub app_version: &'static str,
    /// One-time values for the public-URL reachability check.
    pub nonces: std::sync::Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    /// The admin API's rate limits (per account, and per address for refused tokens).
    pub limits: std::sync::Arc<admin::limits::AdminLimits>,
}

impl HttpState {
    pub fn new(ctx: AppContext, app_version: &'static str) -> HttpState {
        HttpState {
            ctx,
            app_version,
            nonces: Default::default(),
            limits: std::sync::Arc::new(admin::limits::AdminLimits::new(Default::default())),
        }
    }
}

/// Where the built dashboard lives (`ui/dist`), if anywhere.
#[derive(Clone, Debug)]
pub struct AdminOptions {
    pub ui_dir: Option<PathBuf>,
}

pub use admin::router as admin_router;
pub use public::router as public_router;
