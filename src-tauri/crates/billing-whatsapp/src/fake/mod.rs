//! HTTP fakes of the WhatsApp providers (cargo feature `fake`): one axum server on
//! `127.0.0.1:0` per provider kind that follows the documented request/response formats
//! (gateways.md §C), checks credentials like the vendor would, records what arrived, and can be
//! told to go down, fail, or answer slowly. For end-to-end tests and benchmarks only.
//!
//! Credentials the fakes accept are the `FAKE_*` constants; [`FakeWhatsApp::provider`] builds
//! a provider configured with them.

mod gowa;
mod hosted;
mod meta;
mod waha;
mod webhooks;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use secrecy::SecretString;

pub use self::webhooks::{gowa_ack_webhook, meta_status_webhook};
use crate::{
    Fonnte, FonnteConfig, Gowa, GowaConfig, MetaCloud, MetaCloudConfig, ProviderKind, SendError,
    Wablas, WablasConfig, Waha, WahaConfig, WhatsAppProvider,
};

/// Meta access token, Fonnte device token, Wablas token.
pub const FAKE_TOKEN: &str = "fake-token";
/// Wablas secret key (`Authorization: {token}.{secret}`).
pub const FAKE_WABLAS_SECRET: &str = "fake-secret";
/// Meta app secret (status webhook signatures).
pub const FAKE_APP_SECRET: &str = "test_app_secret";
pub const FAKE_API_VERSION: &str = "v21.0";
pub const FAKE_PHONE_NUMBER_ID: &str = "106540352242922";
/// WAHA `X-Api-Key`.
pub const FAKE_API_KEY: &str = "fake-api-key";
pub const FAKE_SESSION: &str = "default";
/// GOWA device id, basic auth and webhook secret.
pub const FAKE_DEVICE_ID: &str = "wa1";
pub const FAKE_BASIC_USER: &str = "admin";
pub const FAKE_BASIC_PASSWORD: &str = "fake-password";
pub const FAKE_WEBHOOK_SECRET: &str = "secret";
/// A tiny valid PNG (1×1) served as the QR image.
pub const FAKE_QR_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3A, 0x7E, 0x9B,
    0x55, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00,
    0x02, 0x00, 0x01, 0x48, 0xAF, 0xA4, 0x71, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// A failure the next request(s) will get, rendered in each provider's documented form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeFailure {
    /// HTTP 500.
    ServerError,
    /// Meta 130429 (HTTP 400); others HTTP 429.
    RateLimited,
    /// Meta 131026, Fonnte `target invalid`, WAHA/GOWA 400 about the number.
    BadRecipient,
    /// Meta 131047 (outside the 24-hour window); others treat it like `BadRecipient`.
    OutsideWindow,
    /// Meta 190 (HTTP 401); Fonnte/Wablas `token invalid`; WAHA/GOWA HTTP 401.
    TokenExpired,
    /// Fonnte `insufficient quota`; others like `TokenExpired`.
    QuotaExhausted,
}

/// One request that reached a send endpoint, as it arrived on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeSent {
    /// The recipient in the provider's form (`6281…`, `6281…@c.us`, …).
    pub to: String,
    /// The text, or `template:{name}:{p1|p2|…}` for Meta templates.
    pub body: String,
    /// The id the fake answered with.
    pub id: String,
}

#[derive(Debug, Default)]
struct State {
    sent: Vec<FakeSent>,
    down: bool,
    failures: VecDeque<FakeFailure>,
    latency: Duration,
    counter: u64,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Simulated latency, then the next scripted failure (if any).
    async fn prologue(&self) -> Option<FakeFailure> {
        let latency = self.lock().latency;
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        self.lock().failures.pop_front()
    }

    fn is_down(&self) -> bool {
        self.lock().down
    }

    /// Records an accepted message and returns its new id (`prefix` + counter).
    fn record(&self, prefix: &str, to: String, body: String) -> String {
        let mut state = self.lock();
        state.counter += 1;
        let id = format!("{prefix}{:08X}", state.counter);
        state.sent.push(FakeSent {
            to,
            body,
            id: id.clone(),
        });
        id
    }
}

/// A running fake provider; the server stops when this is dropped.
#[derive(Debug)]
pub struct FakeWhatsApp {
    kind: ProviderKind,
    base_url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeWhatsApp {
    /// Starts a fake of `kind` on `127.0.0.1:0`.
    pub async fn start(kind: ProviderKind) -> std::io::Result<FakeWhatsApp> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared::default());
        let router = match kind {
            ProviderKind::MetaCloud => meta::router(shared.clone()),
            ProviderKind::Fonnte => hosted::fonnte_router(shared.clone()),
            ProviderKind::Wablas => hosted::wablas_router(shared.clone()),
            ProviderKind::Waha => waha::router(shared.clone()),
            ProviderKind::Gowa => gowa::router(shared.clone()),
        };
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::error!(error = %e, "fake WhatsApp server stopped");
            }
        });
        Ok(FakeWhatsApp {
            kind,
            base_url,
            shared,
            task,
        })
    }

    pub fn kind(&self) -> ProviderKind {
        self.kind
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every message the fake accepted, in order.
    pub fn sent(&self) -> Vec<FakeSent> {
        self.shared.lock().sent.clone()
    }

    /// Disconnects (or reconnects) the session: Meta token expired (190), Fonnte device
    /// `disconnect` (sends queue as `pending`), WAHA `SCAN_QR_CODE` (422 on send), GOWA logged out.
    pub fn set_down(&self, down: bool) {
        self.shared.lock().down = down;
    }

    /// The next `n` requests fail with `failure`.
    pub fn fail_next(&self, n: usize, failure: FakeFailure) {
        let mut state = self.shared.lock();
        state.failures.extend(std::iter::repeat_n(failure, n));
    }

    /// Every request waits this long before it is answered.
    pub fn set_latency(&self, ms: u64) {
        self.shared.lock().latency = Duration::from_millis(ms);
    }

    /// A provider configured for this fake with the `FAKE_*` credentials.
    pub fn provider(&self) -> Result<Box<dyn WhatsAppProvider>, SendError> {
        let base_url = self.base_url.clone();
        let secret = |s: &str| SecretString::from(s.to_owned());
        Ok(match self.kind {
            ProviderKind::MetaCloud => Box::new(MetaCloud::new(MetaCloudConfig {
                base_url,
                api_version: FAKE_API_VERSION.to_owned(),
                phone_number_id: FAKE_PHONE_NUMBER_ID.to_owned(),
                access_token: secret(FAKE_TOKEN),
                app_secret: secret(FAKE_APP_SECRET),
                timeout: None,
            })?),
            ProviderKind::Fonnte => Box::new(Fonnte::new(FonnteConfig {
                base_url,
                device_token: secret(FAKE_TOKEN),
                timeout: None,
            })?),
            ProviderKind::Wablas => Box::new(Wablas::new(WablasConfig {
                base_url,
                token: secret(FAKE_TOKEN),
                secret_key: secret(FAKE_WABLAS_SECRET),
                timeout: None,
            })?),
            ProviderKind::Waha => Box::new(Waha::new(WahaConfig {
                base_url,
                api_key: Some(secret(FAKE_API_KEY)),
                session: FAKE_SESSION.to_owned(),
                timeout: None,
            })?),
            ProviderKind::Gowa => Box::new(Gowa::new(GowaConfig {
                base_url,
                basic_auth: Some((FAKE_BASIC_USER.to_owned(), secret(FAKE_BASIC_PASSWORD))),
                device_id: FAKE_DEVICE_ID.to_owned(),
                webhook_secret: secret(FAKE_WEBHOOK_SECRET),
                timeout: None,
            })?),
        })
    }
}

impl Drop for FakeWhatsApp {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn json(status: u16, body: serde_json::Value) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status =
        http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(body)).into_response()
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}
