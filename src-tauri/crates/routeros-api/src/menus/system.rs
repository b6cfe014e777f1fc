//! `/system/resource` and `/system/identity`.

use std::time::Duration;

use super::{dur, exec, req};
use crate::client::Client;
use crate::command::Command;
use crate::error::Error;
use crate::row::Row;

/// `/system/resource/print`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemResource {
    pub uptime: Duration,
    pub version: String,
    pub board_name: Option<String>,
    pub architecture_name: Option<String>,
    pub cpu_load: u64,
    pub free_memory: u64,
    pub total_memory: u64,
    pub free_hdd_space: u64,
    pub total_hdd_space: u64,
}

impl SystemResource {
    /// Parses the single row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        Ok(Self {
            uptime: dur(row, "uptime").unwrap_or_default(),
            version: req(row, "/system/resource", "version")?,
            board_name: row.get_string("board-name"),
            architecture_name: row.get_string("architecture-name"),
            cpu_load: row.get_u64("cpu-load").unwrap_or(0),
            free_memory: row.get_u64("free-memory").unwrap_or(0),
            total_memory: row.get_u64("total-memory").unwrap_or(0),
            free_hdd_space: row.get_u64("free-hdd-space").unwrap_or(0),
            total_hdd_space: row.get_u64("total-hdd-space").unwrap_or(0),
        })
    }

    /// The major and minor version (`7.18.2 (stable)` gives `(7, 18)`).
    pub fn version_numbers(&self) -> Option<(u32, u32)> {
        let v = self.version.split_whitespace().next()?;
        let mut it = v.split('.');
        let major = it.next()?.parse().ok()?;
        let minor: String = it
            .next()
            .unwrap_or("0")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Some((major, minor.parse().unwrap_or(0)))
    }
}

impl Client {
    /// `/system/resource/print`.
    pub async fn system_resource(&self) -> Result<SystemResource, Error> {
        let rows = self.run("/system/resource/print").await?;
        let row = rows
            .first()
            .ok_or_else(|| super::missing("/system/resource", "row"))?;
        SystemResource::from_row(row)
    }

    /// `/system/identity/print`: the router's name.
    pub async fn identity(&self) -> Result<String, Error> {
        let rows = self.run("/system/identity/print").await?;
        rows.first()
            .and_then(|r| r.get_string("name"))
            .ok_or_else(|| super::missing("/system/identity", "name"))
    }

    /// `/system/identity/set`.
    pub async fn set_identity(&self, name: &str) -> Result<(), Error> {
        exec(
            self,
            Command::new("/system/identity/set").attr("name", name),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_numbers_are_extracted() {
        let row = Row::from_pairs([("version", "7.18.2 (stable)"), ("uptime", "2d20h12m20s")]);
        let r = SystemResource::from_row(&row).expect("row");
        assert_eq!(r.version_numbers(), Some((7, 18)));
        assert_eq!(
            r.uptime,
            Duration::from_secs(2 * 86_400 + 20 * 3600 + 12 * 60 + 20)
        );
        let row = Row::from_pairs([("version", "7.1beta4 (development)")]);
        assert_eq!(
            SystemResource::from_row(&row)
                .expect("row")
                .version_numbers(),
            Some((7, 1))
        );
    }
}
