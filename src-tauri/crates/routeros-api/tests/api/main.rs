//! Client ↔ simulator tests over real TCP (and TLS). One binary, one module per area.

mod client;
mod control;
mod expiry;
mod faults;
mod login;
mod menus;
mod raw;
mod streaming;
mod wire;

use routeros_api::sim::{SimConfig, SimHandle, SimVersion, Simulator};
use routeros_api::Client;

/// A simulator with default settings (7.18, admin with an empty password).
pub async fn sim() -> SimHandle {
    sim_with(SimConfig::default()).await
}

pub async fn sim_with(config: SimConfig) -> SimHandle {
    Simulator::start(config).await.expect("simulator starts")
}

pub async fn sim_version(version: SimVersion) -> SimHandle {
    sim_with(SimConfig {
        version,
        ..SimConfig::default()
    })
    .await
}

pub async fn client(sim: &SimHandle) -> Client {
    Client::connect(sim.connect_options())
        .await
        .expect("client logs in")
}
