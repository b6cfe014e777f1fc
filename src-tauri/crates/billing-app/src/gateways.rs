//! The payment gateways that are configured, by code. Reloaded when settings change.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use billing_gateways::PaymentGateway;

#[derive(Debug, Default)]
pub struct GatewayRegistry {
    inner: RwLock<BTreeMap<String, Arc<dyn PaymentGateway>>>,
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

    pub fn all(&self) -> Vec<Arc<dyn PaymentGateway>> {
        self.inner
            .read()
            .map(|m| m.values().cloned().collect())
            .unwrap_or_default()
    }
}
