//! The outside world as the use-cases see it.

use secrecy::SecretString;
use serde::Serialize;
use uuid::Uuid;

/// What the router must do for a subscription. Implemented over the RouterOS API (the
/// PPPoE issue); tests use a recording fake.
#[async_trait::async_trait]
pub trait RouterPort: Send + Sync + std::fmt::Debug + 'static {
    /// Cut the subscription off (isolir): e.g. move its PPP secret to the isolation profile.
    async fn isolate(&self, subscription: &RouterSubscription) -> Result<(), RouterPortError>;
    /// Give the subscription its normal service back.
    async fn restore(&self, subscription: &RouterSubscription) -> Result<(), RouterPortError>;

    /// Applies one outbox command (secret create/update/remove, isolate, restore, kick) and
    /// returns the router state before and after. The default maps isolate/restore to the
    /// two methods above, for ports that know nothing else.
    async fn apply(&self, command: &RouterCommand) -> Result<Applied, RouterPortError> {
        match command.action {
            RouterAction::Isolate => self.isolate(&command.subscription).await?,
            RouterAction::Restore => self.restore(&command.subscription).await?,
            other => return Err(unsupported(other.as_str())),
        }
        Ok(Applied::default())
    }

    /// Whether commands for subscriptions without a router may be given to this port (a
    /// fake or placeholder port handles them itself; the real adapter needs a router).
    fn accepts_unrouted(&self) -> bool {
        true
    }

    /// Identity, version, board, load and what the API user may read; with `check_write`
    /// also whether it may write (by a harmless write: the identity set to itself).
    async fn probe(
        &self,
        _router: &RouterConn,
        _check_write: bool,
    ) -> Result<RouterProbe, RouterPortError> {
        Err(unsupported("probe"))
    }

    /// [`Self::probe`] with write check on a new connection, with the failure sorted into a
    /// [`RouterProblem`] so the first-run wizard and the router page can explain it. The default
    /// only knows [`RouterProblem::Other`].
    async fn diagnose(&self, router: &RouterConn) -> Result<RouterProbe, RouterDiagnosis> {
        self.probe(router, true)
            .await
            .map_err(|e| RouterDiagnosis::new(RouterProblem::Other, e))
    }

    /// PPP and hotspot profiles on the router.
    async fn profiles(&self, _router: &RouterConn) -> Result<Vec<RemoteProfile>, RouterPortError> {
        Err(unsupported("profiles"))
    }

    /// Creates a PPP profile or a hotspot user profile (the marker in its comment, or for a
    /// hotspot profile in its on-login script).
    async fn create_profile(
        &self,
        _router: &RouterConn,
        _profile: &NewRouterProfile,
    ) -> Result<(), RouterPortError> {
        Err(unsupported("create profiles"))
    }

    /// Every PPP secret on the router (passwords only if the API user may read them).
    async fn secrets(&self, _router: &RouterConn) -> Result<Vec<RemoteSecret>, RouterPortError> {
        Err(unsupported("secrets"))
    }

    /// Established PPP sessions.
    async fn sessions(&self, _router: &RouterConn) -> Result<Vec<RemoteSession>, RouterPortError> {
        Err(unsupported("sessions"))
    }

    /// Disconnects every session of `login`; returns how many ended.
    async fn kick(&self, _router: &RouterConn, _login: &str) -> Result<usize, RouterPortError> {
        Err(unsupported("kick"))
    }

    /// Forgets a cached connection (the router was changed or deleted).
    async fn forget(&self, _router_id: Uuid) {}

    /// Creates or updates a hotspot user profile (voucher profiles).
    async fn ensure_hotspot_profile(
        &self,
        _router: &RouterConn,
        _profile: &DesiredHotspotProfile,
    ) -> Result<(), RouterPortError> {
        Err(unsupported("manage hotspot profiles"))
    }

    /// Names of every hotspot user on the router (to keep new codes unique there too).
    async fn hotspot_user_names(
        &self,
        _router: &RouterConn,
    ) -> Result<Vec<String>, RouterPortError> {
        Err(unsupported("list hotspot users"))
    }

    /// Adds hotspot users, pipelined, in order; stops at the first failure. On success the
    /// router ids of the new users, in input order. `progress` is told how many are done.
    async fn add_hotspot_users(
        &self,
        _router: &RouterConn,
        _users: &[NewHotspotUser],
        _progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<Vec<String>, HotspotWriteError> {
        Err(HotspotWriteError {
            index: 0,
            message: "this router port cannot add hotspot users".into(),
            added: Vec::new(),
            kind: RouterErrorKind::Unsupported,
        })
    }

    /// Removes the named hotspot users (missing ones are fine); returns how many went.
    async fn remove_hotspot_users(
        &self,
        _router: &RouterConn,
        _names: &[String],
    ) -> Result<usize, RouterPortError> {
        Err(unsupported("remove hotspot users"))
    }

    /// Users, sessions, our expiry schedulers and the router clock, for the voucher monitor.
    async fn hotspot_snapshot(
        &self,
        _router: &RouterConn,
    ) -> Result<HotspotSnapshot, RouterPortError> {
        Err(unsupported("read hotspot users"))
    }

    /// Ends vouchers: their sessions are kicked, their users and expiry schedulers removed.
    async fn end_hotspot_users(
        &self,
        _router: &RouterConn,
        _targets: &[HotspotEnd],
    ) -> Result<(), RouterPortError> {
        Err(unsupported("remove hotspot users"))
    }

    /// Rewrites hotspot users' comments: (router user id, comment). Missing users are fine.
    async fn set_hotspot_comments(
        &self,
        _router: &RouterConn,
        _comments: &[(String, String)],
    ) -> Result<(), RouterPortError> {
        Err(unsupported("write hotspot user comments"))
    }

    /// CPU, memory, active users and interface counters, for the router charts.
    async fn sample(&self, _router: &RouterConn) -> Result<RouterSample, RouterPortError> {
        Err(unsupported("read router load"))
    }
}

/// One reading of a router's load for the charts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouterSample {
    pub cpu_load: i32,
    pub free_memory: i64,
    pub total_memory: i64,
    pub hotspot_active: i32,
    pub pppoe_active: i32,
    /// The router's own interfaces (not the dynamic per-session ones) and their byte counters.
    pub interfaces: Vec<InterfaceCounters>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InterfaceCounters {
    pub name: String,
    pub rx_byte: i64,
    pub tx_byte: i64,
}

/// A hotspot user profile as it should be on a router.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiredHotspotProfile {
    pub name: String,
    pub rate_limit: Option<String>,
    pub shared_users: u32,
    /// The `on-login` script (calendar validity), if any.
    pub on_login: Option<String>,
    /// The router-wide expiry sweeper's `on-event` (scheduler
    /// [`crate::vouchers::expiry::SWEEPER_NAME`]), installed or updated with the profile.
    pub expiry_sweeper: Option<String>,
    /// The sweeper's comment (the seed's six-field marker).
    pub sweeper_marker: String,
    pub comment: String,
}

/// One hotspot user to add.
#[derive(Clone)]
pub struct NewHotspotUser {
    pub name: String,
    pub password: SecretString,
    pub profile: String,
    pub limit_uptime_secs: Option<u64>,
    pub limit_bytes_total: Option<u64>,
    pub comment: String,
}

impl std::fmt::Debug for NewHotspotUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewHotspotUser")
            .field("name", &self.name)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// A batch of hotspot writes stopped: `index` (0-based) failed with `message` (of `kind`);
/// `added` holds the router ids of the users that were added before it stopped.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct HotspotWriteError {
    pub index: usize,
    pub message: String,
    pub added: Vec<String>,
    pub kind: RouterErrorKind,
}

impl HotspotWriteError {
    /// The batch stopped at `index` with `error`, after `added`.
    pub fn new(index: usize, error: RouterPortError, added: Vec<String>) -> Self {
        Self {
            index,
            kind: error.1,
            message: error.0,
            added,
        }
    }
}

/// What the voucher monitor reads from a router in one go.
#[derive(Debug, Clone, Default)]
pub struct HotspotSnapshot {
    /// The router's own clock (its time zone), to translate scheduler times.
    pub clock: Option<chrono::NaiveDateTime>,
    pub users: Vec<RemoteHotspotUser>,
    pub active: Vec<RemoteHotspotActive>,
    /// Our per-voucher expiry schedulers (`mbx-<code>`).
    pub schedulers: Vec<RemoteScheduler>,
}

#[derive(Debug, Clone)]
pub struct RemoteHotspotUser {
    pub id: String,
    pub name: String,
    pub profile: String,
    pub uptime_secs: u64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub disabled: bool,
    pub comment: Option<String>,
    /// Only when the API user may read passwords.
    pub password: Option<SecretString>,
    pub limit_uptime_secs: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct RemoteHotspotActive {
    pub id: String,
    pub user: String,
    pub address: Option<String>,
    pub mac_address: Option<String>,
    pub uptime_secs: u64,
}

#[derive(Debug, Clone)]
pub struct RemoteScheduler {
    pub id: String,
    pub name: String,
    /// When it was started (the voucher's first login), router time.
    pub start: Option<chrono::NaiveDateTime>,
    pub interval_secs: u64,
    pub next_run: Option<chrono::NaiveDateTime>,
}

/// What to remove on a router to end one voucher.
#[derive(Debug, Clone, Default)]
pub struct HotspotEnd {
    pub user_id: Option<String>,
    pub active_ids: Vec<String>,
    pub scheduler_id: Option<String>,
}

fn unsupported(what: &str) -> RouterPortError {
    RouterPortError::new(
        RouterErrorKind::Unsupported,
        format!("this router port cannot {what}"),
    )
}

#[derive(Debug, Clone)]
pub struct RouterSubscription {
    pub id: Uuid,
    pub router_id: Option<Uuid>,
    pub login: String,
    pub kind: String,
    pub router_profile: String,
}

/// A router port failure: the message in plain words (`.0`, shown to the person) and its
/// [`RouterErrorKind`] (`.1`, for callers that react to the cause).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct RouterPortError(pub String, pub RouterErrorKind);

impl RouterPortError {
    pub fn new(kind: RouterErrorKind, message: impl Into<String>) -> Self {
        Self(message.into(), kind)
    }

    /// A failure of no particular kind.
    pub fn other(message: impl Into<String>) -> Self {
        Self::new(RouterErrorKind::Other, message)
    }

    pub fn kind(&self) -> RouterErrorKind {
        self.1
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

/// Why a router command failed, for callers to match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RouterErrorKind {
    /// No connection: the router is off or unreachable, the API service is disabled, or the
    /// connection was lost.
    Unreachable,
    /// The connection, login or command took longer than the deadline.
    Timeout,
    /// The router refused the login (user name, password, or no `api` policy).
    AuthRefused,
    /// The TLS handshake failed or the router's certificate is not the trusted one.
    Tls,
    /// The API user's group lacks a policy the command needs.
    Permission,
    /// The item, profile or menu does not exist on the router.
    NotFound,
    /// The router refused the command otherwise (an invalid or duplicate value).
    Rejected,
    /// The router answered something that is not the RouterOS API.
    Protocol,
    /// No router is configured or assigned for this.
    NoRouter,
    /// This router port cannot do that.
    Unsupported,
    /// Anything else; the message says what.
    Other,
}

/// Why a router connection test failed, for an explanation in plain words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RouterProblem {
    /// No answer from the address (off, wrong address, firewall dropping packets).
    Unreachable,
    /// The connection or login took longer than the deadline.
    Timeout,
    /// The address answers but refuses the API port: the `api`/`api-ssl` service is disabled
    /// (IP → Services), on another port, or limited to other addresses.
    ApiDisabled,
    /// The router refused the login (`invalid user name or password (6)`).
    WrongPassword,
    /// Logged in, but the API user's group lacks the `read`/`write` policies.
    MissingRights,
    /// The TLS handshake failed (no certificate on api-ssl, or one that cannot be used).
    Tls,
    /// The router's api-ssl certificate is not trusted yet: compare its fingerprint
    /// (`certificate_sha256`) with the router's and trust it.
    CertificateUntrusted,
    /// The router presents another certificate than the trusted one (renewed, replaced, or
    /// someone in between): trust the new one only if it was changed on purpose.
    CertificateChanged,
    /// Anything else; the detail says what.
    Other,
}

/// A failed [`RouterPort::diagnose`]: the kind and the plain-words message.
#[derive(Debug, Clone)]
pub struct RouterDiagnosis {
    pub problem: RouterProblem,
    pub error: RouterPortError,
    /// The SHA-256 (lowercase hex) of the certificate the router presented, when the TLS
    /// handshake got that far.
    pub presented_certificate: Option<String>,
}

impl RouterDiagnosis {
    pub fn new(problem: RouterProblem, error: RouterPortError) -> Self {
        Self {
            problem,
            error,
            presented_certificate: None,
        }
    }
}

/// Used until a router is configured: every command stays queued in the outbox.
#[derive(Debug, Default)]
pub struct NoRouter;

#[async_trait::async_trait]
impl RouterPort for NoRouter {
    async fn isolate(&self, _: &RouterSubscription) -> Result<(), RouterPortError> {
        Err(no_router_yet())
    }

    async fn restore(&self, _: &RouterSubscription) -> Result<(), RouterPortError> {
        Err(no_router_yet())
    }
}

fn no_router_yet() -> RouterPortError {
    RouterPortError::new(
        RouterErrorKind::NoRouter,
        "no router is configured yet; the command stays queued",
    )
}

/// How to reach one router; the password comes from the keyring.
#[derive(Clone)]
pub struct RouterConn {
    pub id: Uuid,
    pub name: String,
    pub host: String,
    pub port: u16,
    pub tls: bool,
    /// The trusted api-ssl certificate's SHA-256 (lowercase hex); `None` trusts nothing yet.
    pub tls_fingerprint: Option<String>,
    pub username: String,
    pub password: SecretString,
    pub isolation: IsolationProfile,
}

impl std::fmt::Debug for RouterConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouterConn")
            .field("id", &self.id)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// The profile isolated subscribers are moved to (created on the router if missing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsolationProfile {
    pub name: String,
    pub rate_limit: String,
    /// Address list a redirect rule uses to show the "please pay" page.
    pub address_list: String,
    /// Its comment when the app creates it (the seed's six-field marker).
    pub marker: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RouterAction {
    CreateSecret,
    UpdateSecret,
    RemoveSecret,
    Isolate,
    Restore,
    Kick,
}

impl RouterAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RouterAction::CreateSecret => "create_secret",
            RouterAction::UpdateSecret => "update_secret",
            RouterAction::RemoveSecret => "remove_secret",
            RouterAction::Isolate => "isolate",
            RouterAction::Restore => "restore",
            RouterAction::Kick => "kick",
        }
    }

    pub fn parse(s: &str) -> Option<RouterAction> {
        Some(match s {
            "create_secret" => RouterAction::CreateSecret,
            "update_secret" => RouterAction::UpdateSecret,
            "remove_secret" => RouterAction::RemoveSecret,
            "isolate" => RouterAction::Isolate,
            "restore" => RouterAction::Restore,
            "kick" => RouterAction::Kick,
            _ => return None,
        })
    }
}

/// What a PPP secret should look like on the router.
#[derive(Clone)]
pub struct DesiredSecret {
    pub login: String,
    pub password: SecretString,
    /// The plan's profile, or the isolation profile while isolated.
    pub profile: String,
    /// `PPPOE_SYSTEM|customer|subscription|vendor|date|created_by`.
    pub comment: String,
    /// A hotspot subscription's user is disabled while isolated (it keeps its profile); a
    /// PPPoE secret moves to the isolation profile instead and is never disabled here.
    pub disabled: bool,
}

impl std::fmt::Debug for DesiredSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DesiredSecret")
            .field("login", &self.login)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// One outbox command, resolved for delivery.
#[derive(Debug, Clone)]
pub struct RouterCommand {
    pub id: i64,
    pub action: RouterAction,
    pub subscription: RouterSubscription,
    /// `None` when no router could be chosen (the command stays queued).
    pub router: Option<RouterConn>,
    /// The secret's target state (absent for remove and kick).
    pub desired: Option<DesiredSecret>,
}

/// The router's state around a write, for the audit log (never contains passwords).
#[derive(Debug, Clone, Default)]
pub struct Applied {
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// What "test connection" found out.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RouterProbe {
    pub identity: String,
    pub version: String,
    pub board: String,
    pub cpu_load: Option<i32>,
    pub free_memory: Option<i64>,
    pub uptime: Option<String>,
    pub can_read: bool,
    pub can_write: bool,
    /// Whether the API user may see passwords (`sensitive` policy); `None` if unknown.
    pub can_read_sensitive: Option<bool>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RemoteProfile {
    /// `ppp` or `hotspot`.
    pub kind: String,
    pub name: String,
    pub rate_limit: Option<String>,
    pub comment: Option<String>,
    /// Hotspot user profiles: the `on-login` script (Mikhmon keeps price and validity there).
    pub on_login: Option<String>,
    pub shared_users: Option<u32>,
}

/// A profile for a plan, made by the app on a router.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRouterProfile {
    /// `ppp` or `hotspot`.
    pub kind: String,
    pub name: String,
    pub rate_limit: Option<String>,
    /// The seed's six-field marker.
    pub marker: String,
}

#[derive(Clone)]
pub struct RemoteSecret {
    pub name: String,
    pub profile: String,
    pub service: String,
    pub disabled: bool,
    pub comment: Option<String>,
    pub password: Option<SecretString>,
}

impl std::fmt::Debug for RemoteSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteSecret")
            .field("name", &self.name)
            .field("profile", &self.profile)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RemoteSession {
    pub id: String,
    pub name: String,
    pub service: Option<String>,
    pub caller_id: Option<String>,
    pub address: Option<String>,
    pub uptime_secs: u64,
}

/// Secrets kept outside the database (the OS keyring).
pub trait SecretsPort: Send + Sync + std::fmt::Debug + 'static {
    fn get(&self, name: &str) -> Result<Option<SecretString>, SecretsPortError>;
    fn set(&self, name: &str, value: &SecretString) -> Result<(), SecretsPortError>;
    fn delete(&self, name: &str) -> Result<(), SecretsPortError>;
    /// Where the secrets are kept (`secret-service`, `keyutils`, `encrypted-file`, …).
    fn backend(&self) -> &str {
        "memory"
    }
    /// What the owner should know about where the secrets are kept, if anything.
    fn warning(&self) -> Option<String> {
        None
    }
}

/// The keyring (or the encrypted secrets file) failed; the message says which and why.
#[derive(Debug, thiserror::Error)]
#[error("the secret store failed: {0}")]
pub struct SecretsPortError(pub String);

impl SecretsPortError {
    /// Wraps any error of a secrets backend.
    pub fn from_error(err: &dyn std::error::Error) -> Self {
        SecretsPortError(err.to_string())
    }
}

/// Keeps secrets in memory (tests and tools without a keyring).
#[derive(Debug, Default)]
pub struct MemorySecrets(std::sync::Mutex<std::collections::HashMap<String, SecretString>>);

impl SecretsPort for MemorySecrets {
    fn get(&self, name: &str) -> Result<Option<SecretString>, SecretsPortError> {
        let map = self
            .0
            .lock()
            .map_err(|_| SecretsPortError("secrets poisoned".into()))?;
        Ok(map.get(name).cloned())
    }

    fn set(&self, name: &str, value: &SecretString) -> Result<(), SecretsPortError> {
        let mut map = self
            .0
            .lock()
            .map_err(|_| SecretsPortError("secrets poisoned".into()))?;
        map.insert(name.to_owned(), value.clone());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretsPortError> {
        let mut map = self
            .0
            .lock()
            .map_err(|_| SecretsPortError("secrets poisoned".into()))?;
        map.remove(name);
        Ok(())
    }
}
