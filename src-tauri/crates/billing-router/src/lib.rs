//! The real [`RouterPort`]: one long-lived, pipelined RouterOS API connection per router,
//! opened lazily with the password from the keyring and dropped when it fails (the next
//! command reconnects, at most once per `retry_after`, so an outage fails fast).

mod hotspot;
mod ops;
mod subscriber_hotspot;
mod words;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use billing_app::ports::{
    Applied, DesiredHotspotProfile, HotspotEnd, HotspotSnapshot, HotspotWriteError, NewHotspotUser,
    NewRouterProfile, RemoteProfile, RemoteSecret, RemoteSession, RouterCommand, RouterConn,
    RouterDiagnosis, RouterErrorKind, RouterPort, RouterPortError, RouterProbe, RouterProblem,
    RouterSubscription,
};
use futures::future::BoxFuture;
use routeros_api::{CertFingerprint, Client, ConnectOptions, ReconnectPolicy, TlsOptions};
use secrecy::ExposeSecret;
use uuid::Uuid;

pub use hotspot::SCHEDULER_PREFIX;
pub use words::plain;

/// Tuning of the pool.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// After a failed connect, commands fail at once for this long instead of each trying.
    pub retry_after: Duration,
    pub connect_timeout: Duration,
    pub command_timeout: Duration,
    /// Commands in flight on one connection.
    pub max_in_flight: usize,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            retry_after: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
            command_timeout: Duration::from_secs(20),
            max_in_flight: 512,
        }
    }
}

/// One RouterOS client per router, shared by every use-case.
#[derive(Debug, Default)]
pub struct RouterPool {
    options: PoolOptions,
    entries: Mutex<HashMap<Uuid, Arc<Entry>>>,
}

#[derive(Debug)]
struct Entry {
    key: (String, u16, bool, Option<String>, String),
    password: secrecy::SecretString,
    client: tokio::sync::Mutex<Option<Client>>,
    /// The last connection failure and when, answered again during the fail-fast window.
    failed: Mutex<Option<(Instant, RouterPortError)>>,
    /// Profiles known to exist on the router (the isolation profile, once ensured).
    profiles: tokio::sync::Mutex<HashSet<String>>,
}

impl Entry {
    fn new(conn: &RouterConn) -> Entry {
        Entry {
            key: key_of(conn),
            password: conn.password.clone(),
            client: tokio::sync::Mutex::new(None),
            failed: Mutex::new(None),
            profiles: tokio::sync::Mutex::new(HashSet::new()),
        }
    }

    fn matches(&self, conn: &RouterConn) -> bool {
        self.key == key_of(conn) && self.password.expose_secret() == conn.password.expose_secret()
    }
}

fn key_of(c: &RouterConn) -> (String, u16, bool, Option<String>, String) {
    (
        c.host.clone(),
        c.port,
        c.tls,
        c.tls_fingerprint.clone(),
        c.username.clone(),
    )
}

/// A connected router: the client plus the pool entry (for invalidation and caches).
pub(crate) struct Session<'a> {
    pub client: Client,
    pub conn: &'a RouterConn,
    entry: Arc<Entry>,
    pool: &'a RouterPool,
    /// Whether the connection was already open (it may have died since, e.g. a reboot).
    reused: bool,
}

impl Session<'_> {
    /// Turns a RouterOS error into plain words; a lost connection is dropped from the pool.
    pub fn fail(&self, err: routeros_api::Error) -> RouterPortError {
        if err.is_connection_error() {
            let lost = RouterPortError::new(words::kind(&err), err.to_string());
            self.pool.invalidate(&self.entry, lost);
        }
        plain(self.conn, &err)
    }

    /// Whether this cached connection turned out to be dead: worth one more try on a new one.
    pub fn went_stale(&self) -> bool {
        self.reused
            && self
                .entry
                .client
                .try_lock()
                .map(|c| c.is_none())
                .unwrap_or(false)
    }

    /// Profiles known to exist on this router (filled by `ops::ensure_profile`).
    pub fn known_profiles(&self) -> &tokio::sync::Mutex<HashSet<String>> {
        &self.entry.profiles
    }
}

impl RouterPool {
    pub fn new(options: PoolOptions) -> RouterPool {
        RouterPool {
            options,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn entry(&self, conn: &RouterConn) -> Arc<Entry> {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(&conn.id) {
            Some(e) if e.matches(conn) => e.clone(),
            _ => {
                let e = Arc::new(Entry::new(conn));
                map.insert(conn.id, e.clone());
                e
            }
        }
    }

    fn invalidate(&self, entry: &Entry, error: RouterPortError) {
        if let Ok(mut slot) = entry.client.try_lock() {
            *slot = None;
        }
        let mut failed = entry.failed.lock().unwrap_or_else(|p| p.into_inner());
        *failed = Some((Instant::now(), error));
    }

    fn options(&self, conn: &RouterConn) -> ConnectOptions {
        let mut o = ConnectOptions::new(
            conn.host.clone(),
            conn.username.clone(),
            conn.password.expose_secret(),
        );
        if conn.tls {
            // Only the certificate the owner trusted; none yet means none is accepted (the
            // connection test then shows the router's fingerprint to trust).
            o = o.tls(TlsOptions {
                pinned_sha256: conn
                    .tls_fingerprint
                    .as_deref()
                    .and_then(CertFingerprint::parse),
                ..TlsOptions::default()
            });
        }
        o = o
            .port(conn.port)
            .command_timeout(self.options.command_timeout)
            .max_in_flight(self.options.max_in_flight);
        o.connect_timeout = self.options.connect_timeout;
        o.login_timeout = self.options.connect_timeout;
        // The pool reconnects (with its own fail-fast window), not each command.
        o.reconnect = ReconnectPolicy {
            max_attempts: 0,
            ..ReconnectPolicy::default()
        };
        o
    }

    /// A new connection right away, even inside the fail-fast window: for a second try
    /// after a cached connection went stale.
    pub(crate) async fn fresh_session<'a>(
        &'a self,
        conn: &'a RouterConn,
    ) -> Result<Session<'a>, RouterPortError> {
        let entry = self.entry(conn);
        *entry.failed.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.session(conn).await
    }

    pub(crate) async fn session<'a>(
        &'a self,
        conn: &'a RouterConn,
    ) -> Result<Session<'a>, RouterPortError> {
        let entry = self.entry(conn);
        let mut slot = entry.client.lock().await;
        if let Some(client) = slot.as_ref() {
            let client = client.clone();
            drop(slot);
            return Ok(Session {
                client,
                conn,
                entry,
                pool: self,
                reused: true,
            });
        }
        let recent = entry
            .failed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .filter(|(at, _)| at.elapsed() < self.options.retry_after);
        if let Some((_, error)) = recent {
            return Err(error);
        }
        match Client::connect(self.options(conn)).await {
            Ok(client) => {
                *slot = Some(client.clone());
                drop(slot);
                *entry.failed.lock().unwrap_or_else(|p| p.into_inner()) = None;
                Ok(Session {
                    client,
                    conn,
                    entry,
                    pool: self,
                    reused: false,
                })
            }
            Err(err) => {
                let error = plain(conn, &err);
                *entry.failed.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((Instant::now(), error.clone()));
                Err(error)
            }
        }
    }

    /// Runs `op` on the router's session; when it fails because the cached connection turned
    /// out to be dead (e.g. the router rebooted), once more on a new connection.
    async fn with_session<'a, T>(
        &'a self,
        router: &'a RouterConn,
        op: impl for<'s> Fn(&'s Session<'a>) -> BoxFuture<'s, Result<T, RouterPortError>>,
    ) -> Result<T, RouterPortError> {
        let session = self.session(router).await?;
        match op(&session).await {
            Err(_) if session.went_stale() => op(&self.fresh_session(router).await?).await,
            other => other,
        }
    }
}

fn needs_router() -> RouterPortError {
    RouterPortError::new(
        RouterErrorKind::NoRouter,
        "no router is assigned to this subscription; assign one",
    )
}

#[async_trait::async_trait]
impl RouterPort for RouterPool {
    async fn sample(
        &self,
        router: &RouterConn,
    ) -> Result<billing_app::ports::RouterSample, RouterPortError> {
        self.with_session(router, |s| Box::pin(ops::sample(s)))
            .await
    }

    async fn isolate(&self, _: &RouterSubscription) -> Result<(), RouterPortError> {
        Err(needs_router())
    }

    async fn restore(&self, _: &RouterSubscription) -> Result<(), RouterPortError> {
        Err(needs_router())
    }

    fn accepts_unrouted(&self) -> bool {
        false
    }

    async fn apply(&self, command: &RouterCommand) -> Result<Applied, RouterPortError> {
        let conn = command.router.as_ref().ok_or_else(needs_router)?;
        let session = self.session(conn).await?;
        ops::apply(&session, command).await
    }

    async fn probe(
        &self,
        router: &RouterConn,
        check_write: bool,
    ) -> Result<RouterProbe, RouterPortError> {
        let session = self.session(router).await?;
        ops::probe(&session, check_write).await
    }

    async fn diagnose(&self, router: &RouterConn) -> Result<RouterProbe, RouterDiagnosis> {
        // A connection of its own: the test must see today's address and credentials, not a
        // cached session or a cached failure.
        let explain = |e: routeros_api::Error| words::diagnosis(router, &e);
        let client = Client::connect(self.options(router))
            .await
            .map_err(explain)?;
        let first = client.identity().await;
        client.disconnect().await;
        first.map_err(explain)?;
        let other = |e| RouterDiagnosis::new(RouterProblem::Other, e);
        let session = self.fresh_session(router).await.map_err(other)?;
        ops::probe(&session, true).await.map_err(other)
    }

    async fn profiles(&self, router: &RouterConn) -> Result<Vec<RemoteProfile>, RouterPortError> {
        ops::profiles(&self.session(router).await?).await
    }

    async fn create_profile(
        &self,
        router: &RouterConn,
        profile: &NewRouterProfile,
    ) -> Result<(), RouterPortError> {
        self.with_session(router, |s| Box::pin(ops::create_profile(s, profile)))
            .await
    }

    async fn secrets(&self, router: &RouterConn) -> Result<Vec<RemoteSecret>, RouterPortError> {
        ops::secrets(&self.session(router).await?).await
    }

    async fn sessions(&self, router: &RouterConn) -> Result<Vec<RemoteSession>, RouterPortError> {
        ops::sessions(&self.session(router).await?).await
    }

    async fn kick(&self, router: &RouterConn, login: &str) -> Result<usize, RouterPortError> {
        let session = self.session(router).await?;
        ops::kick(&session, login).await
    }

    async fn ensure_hotspot_profile(
        &self,
        router: &RouterConn,
        profile: &DesiredHotspotProfile,
    ) -> Result<(), RouterPortError> {
        self.with_session(router, |s| Box::pin(hotspot::ensure_profile(s, profile)))
            .await
    }

    async fn hotspot_user_names(
        &self,
        router: &RouterConn,
    ) -> Result<Vec<String>, RouterPortError> {
        self.with_session(router, |s| Box::pin(hotspot::user_names(s)))
            .await
    }

    async fn add_hotspot_users(
        &self,
        router: &RouterConn,
        users: &[NewHotspotUser],
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<Vec<String>, HotspotWriteError> {
        let session = self
            .session(router)
            .await
            .map_err(|e| HotspotWriteError::new(0, e, Vec::new()))?;
        hotspot::add_users(&session, users, progress).await
    }

    async fn remove_hotspot_users(
        &self,
        router: &RouterConn,
        names: &[String],
    ) -> Result<usize, RouterPortError> {
        self.with_session(router, |s| Box::pin(hotspot::remove_users(s, names)))
            .await
    }

    async fn hotspot_snapshot(
        &self,
        router: &RouterConn,
    ) -> Result<HotspotSnapshot, RouterPortError> {
        self.with_session(router, |s| Box::pin(hotspot::snapshot(s)))
            .await
    }

    async fn set_hotspot_comments(
        &self,
        router: &RouterConn,
        comments: &[(String, String)],
    ) -> Result<(), RouterPortError> {
        self.with_session(router, |s| Box::pin(hotspot::set_comments(s, comments)))
            .await
    }

    async fn end_hotspot_users(
        &self,
        router: &RouterConn,
        targets: &[HotspotEnd],
    ) -> Result<(), RouterPortError> {
        self.with_session(router, |s| Box::pin(hotspot::end_users(s, targets)))
            .await
    }

    async fn forget(&self, router_id: Uuid) {
        let removed = self
            .entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&router_id);
        if let Some(entry) = removed {
            if let Some(client) = entry.client.lock().await.take() {
                client.disconnect().await;
            }
        }
    }
}
