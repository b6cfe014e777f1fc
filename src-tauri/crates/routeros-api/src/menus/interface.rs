//! `/interface` and `/interface/monitor-traffic`.

use super::{id_of, list, req, ItemId};
use crate::client::Client;
use crate::command::Command;
use crate::error::Error;
use crate::row::Row;
use crate::stream::RowStream;

/// An interface with its counters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    pub id: ItemId,
    pub name: String,
    pub kind: Option<String>,
    pub running: bool,
    pub disabled: bool,
    pub rx_byte: u64,
    pub tx_byte: u64,
    pub rx_packet: u64,
    pub tx_packet: u64,
}

impl Interface {
    /// Parses a `print` row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        Ok(Self {
            id: id_of(row, "/interface")?,
            name: req(row, "/interface", "name")?,
            kind: row.get_string("type"),
            running: row.get_bool("running").unwrap_or(false),
            disabled: row.get_bool("disabled").unwrap_or(false),
            rx_byte: row.get_u64("rx-byte").unwrap_or(0),
            tx_byte: row.get_u64("tx-byte").unwrap_or(0),
            rx_packet: row.get_u64("rx-packet").unwrap_or(0),
            tx_packet: row.get_u64("tx-packet").unwrap_or(0),
        })
    }
}

/// One sample of `/interface/monitor-traffic`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrafficSample {
    pub rx_bits_per_second: u64,
    pub tx_bits_per_second: u64,
    pub rx_packets_per_second: u64,
    pub tx_packets_per_second: u64,
}

impl TrafficSample {
    /// Parses a `monitor-traffic` row.
    pub fn from_row(row: &Row) -> Self {
        Self {
            rx_bits_per_second: row.get_u64("rx-bits-per-second").unwrap_or(0),
            tx_bits_per_second: row.get_u64("tx-bits-per-second").unwrap_or(0),
            rx_packets_per_second: row.get_u64("rx-packets-per-second").unwrap_or(0),
            tx_packets_per_second: row.get_u64("tx-packets-per-second").unwrap_or(0),
        }
    }
}

impl Client {
    /// `/interface/print`.
    pub async fn interfaces(&self) -> Result<Vec<Interface>, Error> {
        list(self, Command::new("/interface/print"), |r| {
            Interface::from_row(&r)
        })
        .await
    }

    /// `/interface/monitor-traffic =interface=<name> =once=`: one sample.
    pub async fn monitor_traffic_once(&self, interface: &str) -> Result<TrafficSample, Error> {
        let cmd = Command::new("/interface/monitor-traffic")
            .attr("interface", interface)
            .flag("once");
        let rows = self.run(cmd).await?;
        let row = rows
            .first()
            .ok_or_else(|| super::missing("/interface/monitor-traffic", "row"))?;
        Ok(TrafficSample::from_row(row))
    }

    /// `/interface/monitor-traffic` streaming one row per second until cancelled or dropped.
    pub async fn monitor_traffic(&self, interface: &str) -> Result<RowStream, Error> {
        let cmd = Command::new("/interface/monitor-traffic").attr("interface", interface);
        self.listen(cmd).await
    }
}
