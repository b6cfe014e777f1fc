//! The outside world as the use-cases see it.

use uuid::Uuid;

/// What the router must do for a subscription. Implemented over the RouterOS API (the
/// PPPoE issue); tests use a recording fake.
#[async_trait::async_trait]
pub trait RouterPort: Send + Sync + std::fmt::Debug + 'static {
    /// Cut the subscription off (isolir): e.g. move its PPP secret to the isolation profile.
    async fn isolate(&self, subscription: &RouterSubscription) -> Result<(), RouterPortError>;
    /// Give the subscription its normal service back.
    async fn restore(&self, subscription: &RouterSubscription) -> Result<(), RouterPortError>;
}

#[derive(Debug, Clone)]
pub struct RouterSubscription {
    pub id: Uuid,
    pub router_id: Option<Uuid>,
    pub login: String,
    pub kind: String,
    pub router_profile: String,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct RouterPortError(pub String);

/// Used until a router is configured: every command stays queued in the outbox.
#[derive(Debug, Default)]
pub struct NoRouter;

#[async_trait::async_trait]
impl RouterPort for NoRouter {
    async fn isolate(&self, _: &RouterSubscription) -> Result<(), RouterPortError> {
        Err(RouterPortError(
            "no router is configured yet; the command stays queued".into(),
        ))
    }

    async fn restore(&self, _: &RouterSubscription) -> Result<(), RouterPortError> {
        Err(RouterPortError(
            "no router is configured yet; the command stays queued".into(),
        ))
    }
}
