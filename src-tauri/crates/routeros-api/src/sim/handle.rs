//! The control API of a running simulator.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use super::accounting;
use super::scheduler;
use super::script::{self, Value};
use super::server::{lock, Shared};
use super::state::{id_text, Item, Router};
use super::{Faults, SimTls};
use crate::options::{ConnectOptions, TlsOptions};

/// A control-API request the simulated router refused (unknown user, disabled account…).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("simulator: {0}")]
pub struct SimError(String);

/// Handle to a running simulator. Clones control the same simulator.
#[derive(Clone)]
pub struct SimHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    cert: Option<(Vec<u8>, String)>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// One item as text pairs (for assertions and the demo).
pub type SimItem = BTreeMap<String, String>;

/// A `/log` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimLogEntry {
    /// In the router's date-time format.
    pub time: String,
    /// `script,info`, `script,error`, …
    pub topics: String,
    pub message: String,
}

fn to_map(item: &Item) -> SimItem {
    let mut m: SimItem = item
        .props
        .iter()
        .map(|(k, v)| ((*k).to_owned(), String::from_utf8_lossy(v).into_owned()))
        .collect();
    m.insert(".id".into(), id_text(item.id));
    m
}

impl SimHandle {
    pub(crate) fn new(
        shared: Arc<Shared>,
        addr: SocketAddr,
        cert: Option<(Vec<u8>, String)>,
    ) -> Self {
        Self { shared, addr, cert }
    }

    fn router(&self) -> std::sync::MutexGuard<'_, Router> {
        lock(&self.shared.router)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The self-signed certificate (DER) in [`SimTls::SelfSigned`] mode.
    pub fn certificate_der(&self) -> Option<&[u8]> {
        self.cert.as_ref().map(|(der, _)| der.as_slice())
    }

    /// The self-signed certificate as PEM in [`SimTls::SelfSigned`] mode.
    pub fn certificate_pem(&self) -> Option<&str> {
        self.cert.as_ref().map(|(_, pem)| pem.as_str())
    }

    /// Client options that reach this simulator as its admin user (trusting its certificate
    /// in TLS mode).
    pub fn connect_options(&self) -> ConnectOptions {
        let cfg = &self.shared.config;
        let mut o = ConnectOptions::new(self.addr.ip().to_string(), &cfg.username, &cfg.password)
            .port(self.addr.port());
        if cfg.tls != SimTls::Off {
            let mut tls = TlsOptions {
                server_name: Some("localhost".into()),
                ..Default::default()
            };
            if let Some((der, _)) = &self.cert {
                tls.root_certs.push(der.clone());
            }
            o = o.tls(tls).port(self.addr.port());
        }
        o
    }

    /// Stops accepting and closes every session.
    pub fn shutdown(&self) {
        self.shared.shutdown.cancel();
        lock(&self.shared.generation).cancel();
    }

    /// Current fault settings.
    pub fn faults(&self) -> Faults {
        self.shared.faults()
    }

    /// Replaces the fault settings (applies to commands that arrive afterwards).
    pub fn set_faults(&self, faults: Faults) {
        *lock(&self.shared.faults) = faults;
    }

    /// Turns the router's cost model on (or off with `None`) for commands that arrive afterwards.
    pub fn set_cost_model(&self, cost: Option<super::CostModel>) {
        lock(&self.shared.faults).cost = cost;
    }

    /// Changes only the simulated round-trip latency.
    pub fn set_latency(&self, latency: Duration) {
        lock(&self.shared.faults).latency = latency;
    }

    /// Drops the connection that is about to send the (n+1)-th sentence from now on. One-shot.
    pub fn drop_after_sentences(&self, n: u64) {
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        self.shared.drop_after.store(n, Ordering::Release);
    }

    /// API sessions currently open.
    pub fn session_count(&self) -> usize {
        self.shared.sessions.load(Ordering::Acquire)
    }

    /// Connections accepted since start (including ones that failed to log in).
    pub fn connections_total(&self) -> usize {
        self.shared.connections_total.load(Ordering::Relaxed)
    }

    /// Reboots: every session is cut, active users vanish, uptime restarts, `:global`s are
    /// gone and `start-time=startup` schedulers run; new connections are refused for
    /// `downtime` (real time; the simulated clock does not move).
    pub fn reboot(&self, downtime: Duration) {
        *lock(&self.shared.down_until) = Some(Instant::now() + downtime);
        self.cut_connections();
        scheduler::reboot(&mut self.router());
    }

    /// The router is off for `off` of simulated time: API connections and hotspot/PPP
    /// sessions are cut, the clock moves on and no scheduler runs meanwhile (RouterOS does
    /// not catch up: afterwards each waits for its next slot after the boot). Then it boots
    /// as in [`SimHandle::reboot`] and accepts connections again at once.
    pub fn power_off_for(&self, off: Duration) {
        self.cut_connections();
        scheduler::power_off_for(&mut self.router(), off);
    }

    fn cut_connections(&self) {
        let mut gen = lock(&self.shared.generation);
        gen.cancel();
        *gen = tokio_util::sync::CancellationToken::new();
    }

    /// Logs a hotspot user in, as the captive portal would, and runs the user profile's
    /// `on-login` script (with `$user`, `$username`, `$address`, `$"mac-address"`,
    /// `$interface`; a failing script is logged, the login stands). Refused like the status
    /// page refuses: `user <name> has reached uptime limit` / `traffic limit`, `no more
    /// sessions are allowed for user <name>` (profile `shared-users`). Returns the
    /// active-session id. The password is not checked (like `login-by=mac`); see
    /// [`SimHandle::hotspot_login_with_password`].
    pub fn hotspot_login(&self, user: &str, address: &str, mac: &str) -> Result<String, SimError> {
        accounting::hotspot_login(&mut self.router(), user, None, address, mac)
            .map(id_text)
            .map_err(|t| SimError(t.message))
    }

    /// [`SimHandle::hotspot_login`] with the password checked (`invalid username or
    /// password`), as `/ip/hotspot/active/login` over the API does.
    ///
    /// `sim.hotspot_login_with_password("K7P2Q9", "K7P2Q9", "10.5.50.10", "AA:BB:CC:00:00:01")`
    pub fn hotspot_login_with_password(
        &self,
        user: &str,
        password: &str,
        address: &str,
        mac: &str,
    ) -> Result<String, SimError> {
        accounting::hotspot_login(&mut self.router(), user, Some(password), address, mac)
            .map(id_text)
            .map_err(|t| SimError(t.message))
    }

    /// Logs out every session of `user` (running the profile's `on-logout`); returns how
    /// many ended.
    pub fn hotspot_logout(&self, user: &str) -> usize {
        accounting::hotspot_logout(&mut self.router(), user)
    }

    /// Adds traffic to a logged-in hotspot user (`bytes_in` = upload, as RouterOS counts).
    pub fn hotspot_traffic(&self, user: &str, bytes_in: u64, bytes_out: u64) -> bool {
        accounting::hotspot_traffic(&mut self.router(), user, bytes_in, bytes_out)
    }

    /// Dials in a PPP secret (creates `/ppp/active` and a `<pppoe-NAME>` interface).
    pub fn ppp_login(
        &self,
        name: &str,
        caller_id: &str,
        address: &str,
    ) -> Result<String, SimError> {
        accounting::ppp_login(&mut self.router(), name, None, caller_id, address)
            .map(id_text)
            .map_err(|t| SimError(t.message))
    }

    /// A PPPoE client dials in with a password: refused when the secret does not exist
    /// (`no such secret`), is disabled (`secret is disabled`) or the password is wrong
    /// (`user <name> authentication failed`). Returns the `/ppp/active` id.
    ///
    /// `sim.ppp_connect("rina", "rahasia", "AA:BB:CC:00:00:01", "10.10.0.2")`
    pub fn ppp_connect(
        &self,
        name: &str,
        password: &str,
        caller_id: &str,
        address: &str,
    ) -> Result<String, SimError> {
        accounting::ppp_login(&mut self.router(), name, Some(password), caller_id, address)
            .map(id_text)
            .map_err(|t| SimError(t.message))
    }

    /// Hangs up every session of a PPP secret.
    pub fn ppp_logout(&self, name: &str) -> usize {
        accounting::ppp_logout(&mut self.router(), name)
    }

    /// Adds traffic to a PPP session's interface (`rx` = received by the router).
    pub fn ppp_traffic(&self, name: &str, rx: u64, tx: u64) -> bool {
        accounting::ppp_traffic(&mut self.router(), name, rx, tx)
    }

    /// Adds traffic to an interface's counters (`rx` = received by the router), as a port
    /// carrying the customers' traffic would.
    pub fn interface_traffic(&self, interface: &str, rx: u64, tx: u64) -> bool {
        accounting::interface_traffic(&mut self.router(), interface, rx, tx)
    }

    /// Sets the rate `monitor-traffic` reports for an interface (bits per second).
    pub fn set_interface_rate(&self, interface: &str, rx_bps: u64, tx_bps: u64) {
        self.router()
            .rates
            .insert(interface.to_owned(), (rx_bps, tx_bps));
    }

    /// Lets simulated time pass: uptimes grow, limits log users out, and schedulers that
    /// come due run in order, each with the clock showing its moment.
    pub fn advance(&self, by: Duration) {
        scheduler::advance(&mut self.router(), by);
    }

    /// The clock jumps to `to` (NTP synchronising after a boot, or a manual change), forward
    /// or back. Nothing that fell due in between runs; each scheduler waits for its next slot.
    ///
    /// `sim.set_clock(parse_date_time("2026-12-07 09:00:00")?)`
    pub fn set_clock(&self, to: NaiveDateTime) {
        scheduler::jump(&mut self.router(), to);
    }

    /// A reboot of a board without a clock battery, off for `off` meanwhile: sessions and
    /// `:global`s are gone, `run-count`s restart, and the clock starts at jan/02/1970
    /// 00:00:00 until [`SimHandle::set_clock`] (NTP) sets it; `start-time=startup`
    /// schedulers run. API connections are cut and accepted again at once. (With a clock
    /// battery, see [`SimHandle::power_off_for`].)
    ///
    /// `sim.reboot_without_rtc(Duration::from_secs(600))`
    pub fn reboot_without_rtc(&self, off: Duration) {
        self.cut_connections();
        scheduler::restart(&mut self.router(), off, false);
    }

    /// The router's clock (`/system/clock`).
    pub fn clock(&self) -> NaiveDateTime {
        self.router().clock
    }

    /// Runs a script as from the terminal (variables `vars` predefined). Unlike scripts the
    /// router starts itself, a failure is returned, not logged.
    pub fn run_script(&self, source: &str, vars: &[(&str, &str)]) -> Result<(), SimError> {
        let vars: Vec<(&str, Value)> = vars
            .iter()
            .map(|(k, v)| (*k, Value::Str((*v).to_owned())))
            .collect();
        script::run(&mut self.router(), source, &vars).map_err(|e| SimError(e.message))
    }

    /// `/log`, oldest first: `:log` lines and failed scripts (`script,error`).
    pub fn log(&self) -> Vec<SimLogEntry> {
        self.items("/log")
            .into_iter()
            .map(|mut m| SimLogEntry {
                time: m.remove("time").unwrap_or_default(),
                topics: m.remove("topics").unwrap_or_default(),
                message: m.remove("message").unwrap_or_default(),
            })
            .collect()
    }

    /// Adds `count` hotspot users named `{prefix}{n}` directly (fast set-up for benchmarks).
    pub fn seed_hotspot_users(&self, prefix: &str, count: usize) -> Result<(), SimError> {
        let mut router = self.router();
        for n in 0..count {
            let attrs = [
                ("name".to_owned(), format!("{prefix}{n}").into_bytes()),
                ("password".to_owned(), format!("pw{n:06}").into_bytes()),
                ("limit-uptime".to_owned(), b"1d".to_vec()),
                ("comment".to_owned(), b"voucher batch 2026-01".to_vec()),
            ];
            router
                .add("/ip/hotspot/user", &attrs)
                .map_err(|t| SimError(t.message))?;
        }
        Ok(())
    }

    /// Adds an item to a table menu directly, as the router's own configuration would hold
    /// it (set-up of a router populated by another tool, e.g. Mikhmon).
    pub fn add_item(&self, menu: &str, attrs: &[(&str, &str)]) -> Result<u32, SimError> {
        let attrs: Vec<(String, Vec<u8>)> = attrs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.as_bytes().to_vec()))
            .collect();
        self.router()
            .add(menu, &attrs)
            .map_err(|t| SimError(t.message))
    }

    /// Every item of a table menu (`/ppp/secret`, `/ip/hotspot/active`, …) as text.
    pub fn items(&self, menu: &str) -> Vec<SimItem> {
        self.router()
            .table(menu)
            .map(|t| t.items.iter().map(to_map).collect())
            .unwrap_or_default()
    }

    /// The item of `menu` whose `name` (or `user`) is `name`.
    pub fn find(&self, menu: &str, name: &str) -> Option<SimItem> {
        let router = self.router();
        let t = router.table(menu)?;
        let pos = t
            .find_by("name", name.as_bytes())
            .or_else(|| t.find_by("user", name.as_bytes()))?;
        Some(to_map(&t.items[pos]))
    }

    /// The item with this raw name bytes (for non-UTF-8 names).
    pub fn find_bytes(&self, menu: &str, name: &[u8]) -> Option<Vec<(String, Vec<u8>)>> {
        let router = self.router();
        let t = router.table(menu)?;
        let item = &t.items[t.find_by("name", name)?];
        Some(
            item.props
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    /// `/system/identity` name.
    pub fn identity(&self) -> String {
        String::from_utf8_lossy(&self.router().identity).into_owned()
    }
}
