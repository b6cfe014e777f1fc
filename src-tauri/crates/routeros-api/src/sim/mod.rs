//! A RouterOS API server that stands in for a router in tests, benchmarks and the demo.
//!
//! It speaks the same wire protocol (both login methods, `.tag`, `!empty`, the query stack,
//! `listen`, `/cancel`, `/quit`) over TCP or TLS, keeps state for the hotspot, PPP, system,
//! scheduler and interface menus, runs RouterOS scripts (profile `on-login`, scheduler
//! `on-event`) as simulated time passes, and can be told to misbehave (latency, dropped
//! connections, slow logins, session limits, random traps).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use routeros_api::sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::default()).await?;
//! let client = routeros_api::Client::connect(sim.connect_options()).await.expect("login");
//! sim.shutdown();
//! # Ok(()) }
//! ```

mod accounting;
mod cli;
mod control;
mod exec;
mod handle;
mod query;
mod scheduler;
mod schema;
mod script;
mod server;
mod session;
mod state;
mod system;
mod tls;
mod version;

use std::net::SocketAddr;
use std::time::Duration;

pub use cli::{run, run_cli, SimArgs};
pub use handle::{SimError, SimHandle, SimItem, SimLogEntry};
pub use version::SimVersion;

/// Entry point of the simulator.
#[derive(Debug)]
pub struct Simulator;

impl Simulator {
    /// Binds `config.addr` (port 0 picks a free port) and starts serving on the current
    /// tokio runtime. The simulator stops when [`SimHandle::shutdown`] is called.
    pub async fn start(config: SimConfig) -> std::io::Result<SimHandle> {
        server::start(config).await
    }
}

/// Which API service the simulator offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SimTls {
    /// Plain `api` (8728).
    #[default]
    Off,
    /// `api-ssl` with a freshly generated self-signed certificate for `localhost`/`127.0.0.1`
    /// (see [`SimHandle::certificate_der`]).
    SelfSigned,
    /// `api-ssl` without a certificate: like a router that only offers anonymous DH, every
    /// handshake fails with a `handshake_failure` alert.
    NoCertificate,
}

/// Permissions of an API user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SimGroup {
    /// `full`: read and write.
    #[default]
    Full,
    /// `read`: writes fail with `not enough permissions`.
    Read,
}

/// An extra API user.
#[derive(Clone)]
pub struct SimUser {
    pub name: String,
    pub password: String,
    pub group: SimGroup,
}

impl std::fmt::Debug for SimUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimUser")
            .field("name", &self.name)
            .field("group", &self.group)
            .finish()
    }
}

/// Misbehaviour to inject; can be changed at run time with [`SimHandle::set_faults`].
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// Every reply leaves this long after its command arrived; delays overlap like a real
    /// network round trip instead of queueing.
    pub latency: Duration,
    /// Extra delay before answering `/login`.
    pub login_delay: Duration,
    /// API sessions allowed at once (RouterOS default 20); further connections are closed.
    pub max_sessions: usize,
    /// Probability (0..=1) that a command fails with a random `!trap` instead of running.
    pub random_trap_rate: f64,
    /// Hold replies until this many commands are pending (or 100 ms passed), then send them
    /// interleaved sentence by sentence in reverse order of arrival.
    pub interleave: Option<usize>,
    /// What each command costs the router's CPU ([`CostModel`]); `None` answers at no cost,
    /// every pipelined command in parallel, which flatters pipelining.
    pub cost: Option<CostModel>,
}

/// What a command costs the router. RouterOS runs the API commands of one connection one after
/// another, so with a cost model a connection's commands queue behind each other: a reply
/// leaves at `max(arrival, previous command done) + service time + latency`.
///
/// No per-command figures for the RouterOS API have been published by MikroTik; the
/// [`CostModel::default`] figures are estimates for an hEX-class router (880 MHz MIPS),
/// chosen so that 1,000 voucher adds take about 2 s of router time and a print of 20,000 users
/// about 0.3 s, in line with what operators report for large voucher batches. Set your own
/// from a measurement of your router (`mikrobill routeros-sim --cost-model`,
/// [`SimHandle::set_cost_model`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostModel {
    /// Every command: reading the sentence, dispatching it, writing the reply.
    pub per_command: Duration,
    /// An `add`, `set`, `remove`, `enable` or `disable`, on top: the configuration write.
    pub per_write: Duration,
    /// An `add` also grows with its table (the duplicate-name check, the config database):
    /// this much per 1,000 rows already in the table.
    pub per_add_per_1000_rows: Duration,
    /// A `print`: per row returned.
    pub per_row_printed: Duration,
}

impl Default for CostModel {
    fn default() -> Self {
        Self {
            per_command: Duration::from_micros(300),
            per_write: Duration::from_micros(1_500),
            per_add_per_1000_rows: Duration::from_micros(100),
            per_row_printed: Duration::from_micros(15),
        }
    }
}

impl CostModel {
    /// The service time of `command` (e.g. `/ip/hotspot/user/add`) on a table of `table_rows`
    /// rows that returned `rows_returned` rows.
    pub fn service(&self, command: &str, table_rows: usize, rows_returned: usize) -> Duration {
        let verb = command.rsplit('/').next().unwrap_or_default();
        let rows = u32::try_from(rows_returned).unwrap_or(u32::MAX);
        let mut t = self.per_command + self.per_row_printed.saturating_mul(rows);
        if matches!(verb, "add" | "set" | "remove" | "enable" | "disable") {
            t += self.per_write;
        }
        if verb == "add" {
            let thousands = u32::try_from(table_rows / 1_000).unwrap_or(u32::MAX);
            t += self.per_add_per_1000_rows.saturating_mul(thousands);
        }
        t
    }
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            latency: Duration::ZERO,
            login_delay: Duration::ZERO,
            max_sessions: 20,
            random_trap_rate: 0.0,
            interleave: None,
            cost: None,
        }
    }
}

/// How to start a simulator.
#[derive(Clone)]
pub struct SimConfig {
    /// Address to bind; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The admin user (default `admin`, empty password, as from the factory).
    pub username: String,
    pub password: String,
    /// More users, for permission tests.
    pub users: Vec<SimUser>,
    /// The release to imitate.
    pub version: SimVersion,
    /// Plain or TLS service.
    pub tls: SimTls,
    /// Initial fault injection.
    pub faults: Faults,
    /// Seed for the random traps and login challenges.
    pub seed: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            username: "admin".into(),
            password: String::new(),
            users: Vec::new(),
            version: SimVersion::default(),
            tls: SimTls::Off,
            faults: Faults::default(),
            seed: 0x5EED,
        }
    }
}

impl std::fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimConfig")
            .field("addr", &self.addr)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("users", &self.users)
            .field("version", &self.version)
            .field("tls", &self.tls)
            .field("faults", &self.faults)
            .finish()
    }
}
