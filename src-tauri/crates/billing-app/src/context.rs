use std::sync::Arc;

use billing_domain::Clock;
use chrono::{Duration, NaiveDate};
use secrecy::SecretSlice;
use sqlx::PgPool;

use crate::crypto::Cipher;
use crate::online::gateways::GatewayRegistry;
use crate::ports::{RouterPort, SecretsPort};

/// Everything a use-case needs from the outside world.
#[derive(Debug, Clone)]
pub struct AppContext {
    pub pool: PgPool,
    pub clock: Arc<dyn Clock>,
    pub auth: Arc<AuthConfig>,
    pub cipher: Arc<Cipher>,
    pub router: Arc<dyn RouterPort>,
    /// The OS keyring (router API passwords live only there).
    pub secrets: Arc<dyn SecretsPort>,
    /// The business time zone: billing dates are calendar days here.
    pub tz: chrono_tz::Tz,
    /// The payment gateways that are configured and enabled.
    pub gateways: Arc<GatewayRegistry>,
    /// Money events (payment settled, invoice changed) for live pages and notifications.
    pub events: tokio::sync::broadcast::Sender<crate::events::BillingEvent>,
    /// The WhatsApp sender sessions.
    pub whatsapp: Arc<crate::messaging::SessionPool>,
    /// The public listener's own address, used for pay links until the owner sets the
    /// tunnel address (`public_base_url` in the business profile).
    pub public_fallback_url: String,
    /// Whether the daily billing job also isolates overdue subscriptions.
    pub auto_isolate: bool,
    /// Voucher batches being written to a router right now (progress for the dashboard).
    pub voucher_batches: Arc<crate::vouchers::BatchProgress>,
    /// Backups and the health page: the data directory, the database server and its
    /// programs, the database switch.
    pub ops: Arc<crate::operations::Operations>,
    /// Coalesces requests to deliver queued router commands (see `outbox::spawn_delivery`).
    pub outbox_kick: Arc<crate::network::outbox::DeliveryKick>,
}

impl AppContext {
    /// Today in the business time zone.
    pub fn today(&self) -> NaiveDate {
        self.clock.now().with_timezone(&self.tz).date_naive()
    }
}

/// Token lifetimes and the HMAC key that signs access tokens.
pub struct AuthConfig {
    pub signing_key: SecretSlice<u8>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// Failed logins for one username from one address within `lockout_window` before
    /// further attempts from that address are refused (other addresses still log in).
    pub max_failed_logins: i64,
    pub lockout_window: Duration,
}

impl AuthConfig {
    pub fn new(signing_key: Vec<u8>) -> Self {
        Self {
            signing_key: SecretSlice::from(signing_key),
            access_ttl: Duration::minutes(15),
            refresh_ttl: Duration::days(14),
            max_failed_logins: 10,
            lockout_window: Duration::minutes(15),
        }
    }
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("signing_key", &"[redacted]")
            .field("access_ttl", &self.access_ttl)
            .field("refresh_ttl", &self.refresh_ttl)
            .finish()
    }
}
