//! `/ppp/secret`, `/ppp/profile`, `/ppp/active`.

use std::time::Duration;

use super::{add, by_name, dur, exec, id_of, ids, list, req, ItemId};
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
#[derive(Clone, PartialEq, Eq)]
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
    /// Only when the API user's group has the `sensitive` policy.
    pub password: Option<String>,
}

impl std::fmt::Debug for PppSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PppSecret")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("service", &self.service)
            .field("profile", &self.profile)
            .field("comment", &self.comment)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

/// The properties [`PppSecret::from_row`] reads (the `.proplist` of a `print`).
const SECRET_PROPS: [&str; 11] = [
    ".id",
    "name",
    "service",
    "profile",
    "remote-address",
    "local-address",
    "caller-id",
    "comment",
    "disabled",
    "last-logged-out",
    "password",
];

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
            password: row.get_string("password"),
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

impl NewPppSecret {
    /// The `add` command for this secret.
    pub fn to_command(&self) -> Command {
        Command::new(format!("{SECRET}/add"))
            .attr("name", &self.name)
            .attr("password", &self.password)
            .attr_opt("service", self.service.as_deref())
            .attr_opt("profile", self.profile.as_deref())
            .attr_opt("remote-address", self.remote_address.as_deref())
            .attr_opt("local-address", self.local_address.as_deref())
            .attr_opt("comment", self.comment.as_deref())
    }
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
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PppSecretUpdate {
    pub password: Option<String>,
    pub profile: Option<String>,
    pub service: Option<String>,
    pub remote_address: Option<String>,
    pub disabled: Option<bool>,
    pub comment: Option<String>,
}

impl std::fmt::Debug for PppSecretUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PppSecretUpdate")
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("profile", &self.profile)
            .field("service", &self.service)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

impl PppSecretUpdate {
    /// The `set` command for the secret `id`.
    pub fn to_command(&self, id: &ItemId) -> Command {
        Command::new(format!("{SECRET}/set"))
            .id(id.as_str())
            .attr_opt("password", self.password.as_deref())
            .attr_opt("profile", self.profile.as_deref())
            .attr_opt("service", self.service.as_deref())
            .attr_opt("remote-address", self.remote_address.as_deref())
            .attr_opt("disabled", self.disabled.map(yes_no))
            .attr_opt("comment", self.comment.as_deref())
    }
}

/// `yes`/`no`, as RouterOS writes booleans.
pub(crate) fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// A PPP profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PppProfile {
    pub id: ItemId,
    pub name: String,
    pub rate_limit: Option<String>,
    pub local_address: Option<String>,
    pub remote_address: Option<String>,
    pub comment: Option<String>,
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
            comment: row.get_string("comment"),
        })
    }
}

/// Fields for `/ppp/profile/add`; `None` keeps the router's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPppProfile {
    pub name: String,
    /// `rx/tx` from the router's side, e.g. `10M/10M`.
    pub rate_limit: Option<String>,
    /// The firewall address list the session's address joins while it is up.
    pub address_list: Option<String>,
    pub comment: Option<String>,
}

impl NewPppProfile {
    /// The `add` command for this profile.
    pub fn to_command(&self) -> Command {
        Command::new(format!("{PROFILE}/add"))
            .attr("name", &self.name)
            .attr_opt("rate-limit", self.rate_limit.as_deref())
            .attr_opt("address-list", self.address_list.as_deref())
            .attr_opt("comment", self.comment.as_deref())
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
    /// All secrets (passwords only if the API user may read them).
    pub async fn list(&self) -> Result<Vec<PppSecret>, Error> {
        let cmd = Command::new(format!("{SECRET}/print")).proplist(SECRET_PROPS);
        list(self.0, cmd, |r| PppSecret::from_row(&r)).await
    }

    /// The secret with this name, if any.
    pub async fn get_by_name(&self, name: &str) -> Result<Option<PppSecret>, Error> {
        by_name(self.0, SECRET, "name", name, |r| PppSecret::from_row(&r)).await
    }

    /// Adds a secret; fails with [`crate::TrapKind::AlreadyExists`] if the name is taken.
    pub async fn add(&self, s: &NewPppSecret) -> Result<ItemId, Error> {
        add(self.0, s.to_command()).await
    }

    /// Changes some fields of a secret.
    pub async fn update(&self, id: &ItemId, u: &PppSecretUpdate) -> Result<(), Error> {
        exec(self.0, u.to_command(id)).await
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

    /// The profile with this name, if any.
    pub async fn get_by_name(&self, name: &str) -> Result<Option<PppProfile>, Error> {
        by_name(self.0, PROFILE, "name", name, |r| PppProfile::from_row(&r)).await
    }

    /// Adds a profile with an optional rate limit.
    pub async fn add(&self, name: &str, rate_limit: Option<&str>) -> Result<ItemId, Error> {
        let profile = NewPppProfile {
            name: name.to_owned(),
            rate_limit: rate_limit.map(str::to_owned),
            ..NewPppProfile::default()
        };
        self.create(&profile).await
    }

    /// Adds a profile; fails with [`crate::TrapKind::AlreadyExists`] if the name is taken.
    pub async fn create(&self, profile: &NewPppProfile) -> Result<ItemId, Error> {
        add(self.0, profile.to_command()).await
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

    /// The ids of every established session (a count without the details).
    pub async fn ids(&self) -> Result<Vec<ItemId>, Error> {
        ids(self.0, ACTIVE, None).await
    }

    /// The ids of the sessions of the secret `name`.
    pub async fn ids_by_name(&self, name: &str) -> Result<Vec<ItemId>, Error> {
        ids(self.0, ACTIVE, Some(("name", name))).await
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
