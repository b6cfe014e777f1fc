//! The payment gateways that are configured, by code. Reloaded when settings change.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use billing_gateways::PaymentGateway;
use chrono::{DateTime, Utc};

#[derive(Debug, Default)]
pub struct GatewayRegistry {
    inner: RwLock<BTreeMap<String, Arc<dyn PaymentGateway>>>,
    /// The last failed status check per gateway, until one succeeds (for the health page).
    last_errors: RwLock<BTreeMap<String, (DateTime<Utc>, String)>>,
}

impl GatewayRegistry {
    pub fn get(&self, code: &str) -> Option<Arc<dyn PaymentGateway>> {
        self.inner.read().ok().and_then(|m| m.get(code).cloned())
    }

    pub fn set(&self, gateway: Arc<dyn PaymentGateway>) {
        if let Ok(mut m) = self.inner.write() {
            m.insert(gateway.code().to_owned(), gateway);
        }
    }

    pub fn remove(&self, code: &str) {
        if let Ok(mut m) = self.inner.write() {
            m.remove(code);
        }
    }

    /// Remembers the outcome of a call to the gateway.
    pub fn note_result(&self, code: &str, at: DateTime<Utc>, error: Option<String>) {
        if let Ok(mut m) = self.last_errors.write() {
            match error {
                Some(e) => {
                    m.insert(code.to_owned(), (at, e));
                }
                None => {
                    m.remove(code);
                }
            }
        }
    }

    /// The last failed call, if no call succeeded since.
    pub fn last_error(&self, code: &str) -> Option<(DateTime<Utc>, String)> {
        self.last_errors
            .read()
            .ok()
            .and_then(|m| m.get(code).cloned())
    }

    pub fn all(&self) -> Vec<Arc<dyn PaymentGateway>> {
        self.inner
            .read()
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default()
    }
}
