//! `/ppp/secret`, `/ppp/profile`, `/ppp/active`.

use std::time::Duration;

use super::{add, by_name, dur, exec, id_of, list, req, ItemId};
use crate::client::Client;
use crate::command::Command;
use crate::error::Error;
use crate::parse::parse_optional_date_time;
use crate::row::Row;
use crate::stream::RowStream;

const SECRET: &str = "/ppp/secret";
const PROFILE: &str = "/ppp/profile";
const ACTIVE: &str = "/ppp/active";

/// A PPP secret (PPPoE account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PppSecret {
    pub id: ItemId,
    pub name: String,
    pub service: String,
    pub profile: String,
    pub remote_address: Option<String>,
    pub local_address: Option<String>,
    pub caller_id: Option<String>,
    pub comment: Option<String>,
    pub disabled: bool,
    /// Raw `last-logged-out` (format depends on the RouterOS version).
    pub last_logged_out: Option<String>,
    pub last_logged_out_at: Option<chrono::NaiveDateTime>,
}

impl PppSecret {
    /// Parses a `print` row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        let last = row.get_string("last-logged-out");
        Ok(Self {
            id: id_of(row, SECRET)?,
            name: req(row, SECRET, "name")?,
            service: row.get_string("service").unwrap_or_else(|| "any".into()),
            profile: row
                .get_string("profile")
                .unwrap_or_else(|| "default".into()),
            remote_address: row.get_string("remote-address"),
            local_address: row.get_string("local-address"),
            caller_id: row.get_string("caller-id").filter(|c| !c.is_empty()),
            comment: row.get_string("comment"),
            disabled: row.get_bool("disabled").unwrap_or(false),
            last_logged_out_at: last
                .as_deref()
                .and_then(|l| parse_optional_date_time(l).ok().flatten()),
            last_logged_out: last,
        })
    }
}

/// Fields for `/ppp/secret/add`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NewPppSecret {
    pub name: String,
    pub password: String,
    pub service: Option<String>,
    pub profile: Option<String>,
    pub remote_address: Option<String>,
    pub local_address: Option<String>,
    pub comment: Option<String>,
}

impl std::fmt::Debug for NewPppSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewPppSecret")
            .field("name", &self.name)
            .field("password", &"[redacted]")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

/// Changes for `/ppp/secret/set`; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PppSecretUpdate {
    pub password: Option<String>,
    pub profile: Option<String>,
    pub remote_address: Option<String>,
    pub comment: Option<String>,
}

/// A PPP profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PppProfile {
    pub id: ItemId,
    pub name: String,
    pub rate_limit: Option<String>,
    pub local_address: Option<String>,
    pub remote_address: Option<String>,
}

impl PppProfile {
    /// Parses a `print` row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        Ok(Self {
            id: id_of(row, PROFILE)?,
            name: req(row, PROFILE, "name")?,
            rate_limit: row.get_string("rate-limit").filter(|r| !r.is_empty()),
            local_address: row.get_string("local-address"),
            remote_address: row.get_string("remote-address"),
        })
    }
}

/// An established PPP session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PppActive {
    pub id: ItemId,
    pub name: String,
    pub service: Option<String>,
    pub caller_id: Option<String>,
    pub address: Option<String>,
    pub uptime: Duration,
    pub session_id: Option<String>,
}

impl PppActive {
    /// Parses a `print` or `listen` row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        Ok(Self {
            id: id_of(row, ACTIVE)?,
            name: req(row, ACTIVE, "name")?,
            service: row.get_string("service"),
            caller_id: row.get_string("caller-id"),
            address: row.get_string("address"),
            uptime: dur(row, "uptime").unwrap_or_default(),
            session_id: row.get_string("session-id"),
        })
    }
}

/// Accessor for `/ppp/secret`.
#[derive(Debug, Clone, Copy)]
pub struct PppSecrets<'a>(&'a Client);
/// Accessor for `/ppp/profile`.
#[derive(Debug, Clone, Copy)]
pub struct PppProfiles<'a>(&'a Client);
/// Accessor for `/ppp/active`.
#[derive(Debug, Clone, Copy)]
pub struct PppSessions<'a>(&'a Client);

impl Client {
    /// `/ppp/secret`.
    pub fn ppp_secrets(&self) -> PppSecrets<'_> {
        PppSecrets(self)
    }
    /// `/ppp/profile`.
    pub fn ppp_profiles(&self) -> PppProfiles<'_> {
        PppProfiles(self)
    }
    /// `/ppp/active`.
    pub fn ppp_active(&self) -> PppSessions<'_> {
        PppSessions(self)
    }
}

impl PppSecrets<'_> {
    /// All secrets.
    pub async fn list(&self) -> Result<Vec<PppSecret>, Error> {
        list(self.0, Command::new(format!("{SECRET}/print")), |r| {
            PppSecret::from_row(&r)
        })
        .await
    }

    /// The secret with this name, if any.
    pub async fn get_by_name(&self, name: &str) -> Result<Option<PppSecret>, Error> {
        by_name(self.0, SECRET, "name", name, |r| PppSecret::from_row(&r)).await
    }

    /// Adds a secret; fails with [`crate::TrapKind::AlreadyExists`] if the name is taken.
    pub async fn add(&self, s: &NewPppSecret) -> Result<ItemId, Error> {
        let cmd = Command::new(format!("{SECRET}/add"))
            .attr("name", &s.name)
            .attr("password", &s.password)
            .attr_opt("service", s.service.as_deref())
            .attr_opt("profile", s.profile.as_deref())
            .attr_opt("remote-address", s.remote_address.as_deref())
            .attr_opt("local-address", s.local_address.as_deref())
            .attr_opt("comment", s.comment.as_deref());
        add(self.0, cmd).await
    }

    /// Changes some fields of a secret.
    pub async fn update(&self, id: &ItemId, u: &PppSecretUpdate) -> Result<(), Error> {
        let cmd = Command::new(format!("{SECRET}/set"))
            .id(id.as_str())
            .attr_opt("password", u.password.as_deref())
            .attr_opt("profile", u.profile.as_deref())
            .attr_opt("remote-address", u.remote_address.as_deref())
            .attr_opt("comment", u.comment.as_deref());
        exec(self.0, cmd).await
    }

    /// Removes a secret.
    pub async fn remove(&self, id: &ItemId) -> Result<(), Error> {
        super::remove(self.0, SECRET, id).await
    }

    /// Enables or disables a secret (isolating an overdue customer, for example).
    pub async fn set_disabled(&self, id: &ItemId, disabled: bool) -> Result<(), Error> {
        super::set_disabled(self.0, SECRET, id, disabled).await
    }
}

impl PppProfiles<'_> {
    /// All profiles.
    pub async fn list(&self) -> Result<Vec<PppProfile>, Error> {
        list(self.0, Command::new(format!("{PROFILE}/print")), |r| {
            PppProfile::from_row(&r)
        })
        .await
    }

    /// Adds a profile with an optional rate limit.
    pub async fn add(&self, name: &str, rate_limit: Option<&str>) -> Result<ItemId, Error> {
        let cmd = Command::new(format!("{PROFILE}/add"))
            .attr("name", name)
            .attr_opt("rate-limit", rate_limit);
        add(self.0, cmd).await
    }

    /// Removes a profile.
    pub async fn remove(&self, id: &ItemId) -> Result<(), Error> {
        super::remove(self.0, PROFILE, id).await
    }
}

impl PppSessions<'_> {
    /// All established sessions.
    pub async fn list(&self) -> Result<Vec<PppActive>, Error> {
        list(self.0, Command::new(format!("{ACTIVE}/print")), |r| {
            PppActive::from_row(&r)
        })
        .await
    }

    /// Disconnects a session.
    pub async fn remove(&self, id: &ItemId) -> Result<(), Error> {
        super::remove(self.0, ACTIVE, id).await
    }

    /// Streams session changes; ended sessions arrive as rows with `.dead=yes`.
    pub async fn listen(&self) -> Result<RowStream, Error> {
        self.0
            .listen(Command::new(format!("{ACTIVE}/listen")))
            .await
    }
}
