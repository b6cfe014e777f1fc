//! `/ip/hotspot/user`, `/ip/hotspot/user/profile`, `/ip/hotspot/active`.

use std::time::Duration;

use super::ppp::yes_no;
use super::{add, by_name, dur, exec, id_of, ids, list, nonzero_dur, nonzero_u64, req, ItemId};
use crate::client::Client;
use crate::command::Command;
use crate::error::Error;
use crate::parse::format_duration;
use crate::row::Row;
use crate::stream::RowStream;

const USER: &str = "/ip/hotspot/user";
const PROFILE: &str = "/ip/hotspot/user/profile";
const ACTIVE: &str = "/ip/hotspot/active";

/// A hotspot user (voucher).
#[derive(Clone, PartialEq, Eq)]
pub struct HotspotUser {
    pub id: ItemId,
    pub name: String,
    pub profile: String,
    pub server: Option<String>,
    pub limit_uptime: Option<Duration>,
    pub limit_bytes_total: Option<u64>,
    pub uptime: Duration,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub comment: Option<String>,
    pub disabled: bool,
    /// Only when the API user's group has the `sensitive` policy.
    pub password: Option<String>,
}

impl std::fmt::Debug for HotspotUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HotspotUser")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("profile", &self.profile)
            .field("limit_uptime", &self.limit_uptime)
            .field("uptime", &self.uptime)
            .field("comment", &self.comment)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

/// The properties [`HotspotUser::from_row`] reads (the `.proplist` of a `print`).
const USER_PROPS: [&str; 12] = [
    ".id",
    "name",
    "profile",
    "server",
    "limit-uptime",
    "limit-bytes-total",
    "uptime",
    "bytes-in",
    "bytes-out",
    "comment",
    "disabled",
    "password",
];

impl HotspotUser {
    /// Parses a `print` row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        Ok(Self {
            id: id_of(row, USER)?,
            name: req(row, USER, "name")?,
            profile: row
                .get_string("profile")
                .unwrap_or_else(|| "default".into()),
            server: row.get_string("server"),
            limit_uptime: nonzero_dur(row, "limit-uptime"),
            limit_bytes_total: nonzero_u64(row, "limit-bytes-total"),
            uptime: dur(row, "uptime").unwrap_or_default(),
            bytes_in: row.get_u64("bytes-in").unwrap_or(0),
            bytes_out: row.get_u64("bytes-out").unwrap_or(0),
            comment: row.get_string("comment"),
            disabled: row.get_bool("disabled").unwrap_or(false),
            password: row.get_string("password"),
        })
    }
}

/// Fields for `/ip/hotspot/user/add`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NewHotspotUser {
    pub name: String,
    pub password: String,
    pub profile: Option<String>,
    pub server: Option<String>,
    pub limit_uptime: Option<Duration>,
    pub limit_bytes_total: Option<u64>,
    pub mac_address: Option<String>,
    pub comment: Option<String>,
    /// `None` keeps the router's default (enabled).
    pub disabled: Option<bool>,
}

impl std::fmt::Debug for NewHotspotUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewHotspotUser")
            .field("name", &self.name)
            .field("password", &"[redacted]")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl NewHotspotUser {
    /// The `add` command for this user.
    pub fn to_command(&self) -> Command {
        Command::new(format!("{USER}/add"))
            .attr("name", &self.name)
            .attr("password", &self.password)
            .attr_opt("profile", self.profile.as_deref())
            .attr_opt("server", self.server.as_deref())
            .attr_opt("limit-uptime", self.limit_uptime.map(format_duration))
            .attr_opt(
                "limit-bytes-total",
                self.limit_bytes_total.map(|b| b.to_string()),
            )
            .attr_opt("mac-address", self.mac_address.as_deref())
            .attr_opt("comment", self.comment.as_deref())
            .attr_opt("disabled", self.disabled.map(yes_no))
    }
}

/// Changes for `/ip/hotspot/user/set`; `None` leaves a field as it is.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct HotspotUserUpdate {
    pub password: Option<String>,
    pub profile: Option<String>,
    pub limit_uptime: Option<Duration>,
    pub limit_bytes_total: Option<u64>,
    pub comment: Option<String>,
    pub disabled: Option<bool>,
}

impl std::fmt::Debug for HotspotUserUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HotspotUserUpdate")
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .field("profile", &self.profile)
            .field("comment", &self.comment)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

impl HotspotUserUpdate {
    /// The `set` command for the user `id`.
    pub fn to_command(&self, id: &ItemId) -> Command {
        Command::new(format!("{USER}/set"))
            .id(id.as_str())
            .attr_opt("password", self.password.as_deref())
            .attr_opt("profile", self.profile.as_deref())
            .attr_opt("limit-uptime", self.limit_uptime.map(format_duration))
            .attr_opt(
                "limit-bytes-total",
                self.limit_bytes_total.map(|b| b.to_string()),
            )
            .attr_opt("comment", self.comment.as_deref())
            .attr_opt("disabled", self.disabled.map(yes_no))
    }
}

/// A hotspot user profile. (RouterOS has no `comment` on these.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotspotUserProfile {
    pub id: ItemId,
    pub name: String,
    pub rate_limit: Option<String>,
    pub shared_users: u64,
    pub session_timeout: Option<Duration>,
    /// `None` for `none`.
    pub idle_timeout: Option<Duration>,
    pub address_pool: Option<String>,
    /// Script run after each login (`None` when empty).
    pub on_login: Option<String>,
    /// Script run after each logout (`None` when empty).
    pub on_logout: Option<String>,
}

impl HotspotUserProfile {
    /// Parses a `print` row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        let script = |k: &str| row.get_string(k).filter(|s| !s.is_empty());
        Ok(Self {
            id: id_of(row, PROFILE)?,
            name: req(row, PROFILE, "name")?,
            rate_limit: script("rate-limit"),
            shared_users: row.get_u64("shared-users").unwrap_or(1),
            session_timeout: nonzero_dur(row, "session-timeout"),
            idle_timeout: nonzero_dur(row, "idle-timeout"),
            address_pool: script("address-pool").filter(|p| p != "none"),
            on_login: script("on-login"),
            on_logout: script("on-logout"),
        })
    }
}

/// `none` for a zero duration (no timeout), else the duration.
fn timeout_text(d: Duration) -> String {
    if d.is_zero() {
        "none".into()
    } else {
        format_duration(d)
    }
}

/// Fields for `/ip/hotspot/user/profile/add`; `None` keeps the router's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewHotspotProfile {
    pub name: String,
    /// `rx/tx` from the router's side, e.g. `512k/2M` (512k up, 2M down).
    pub rate_limit: Option<String>,
    pub shared_users: Option<u32>,
    pub session_timeout: Option<Duration>,
    /// Zero means `none`.
    pub idle_timeout: Option<Duration>,
    pub address_pool: Option<String>,
    pub on_login: Option<String>,
    pub on_logout: Option<String>,
}

impl NewHotspotProfile {
    /// The `add` command for this profile.
    pub fn to_command(&self) -> Command {
        Command::new(format!("{PROFILE}/add"))
            .attr("name", &self.name)
            .attr_opt("rate-limit", self.rate_limit.as_deref())
            .attr_opt("shared-users", self.shared_users.map(|n| n.to_string()))
            .attr_opt("session-timeout", self.session_timeout.map(format_duration))
            .attr_opt("idle-timeout", self.idle_timeout.map(timeout_text))
            .attr_opt("address-pool", self.address_pool.as_deref())
            .attr_opt("on-login", self.on_login.as_deref())
            .attr_opt("on-logout", self.on_logout.as_deref())
    }
}

/// Changes for `/ip/hotspot/user/profile/set`; `None` leaves a field as it is, `Some("")`
/// clears a text field (e.g. removes the `on-login` script).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HotspotProfileUpdate {
    pub name: Option<String>,
    pub rate_limit: Option<String>,
    pub shared_users: Option<u32>,
    /// Zero means no limit.
    pub session_timeout: Option<Duration>,
    /// Zero means `none`.
    pub idle_timeout: Option<Duration>,
    pub address_pool: Option<String>,
    pub on_login: Option<String>,
    pub on_logout: Option<String>,
}

impl HotspotProfileUpdate {
    /// The `set` command for the profile `id`.
    pub fn to_command(&self, id: &ItemId) -> Command {
        Command::new(format!("{PROFILE}/set"))
            .id(id.as_str())
            .attr_opt("name", self.name.as_deref())
            .attr_opt("rate-limit", self.rate_limit.as_deref())
            .attr_opt("shared-users", self.shared_users.map(|n| n.to_string()))
            .attr_opt("session-timeout", self.session_timeout.map(format_duration))
            .attr_opt("idle-timeout", self.idle_timeout.map(timeout_text))
            .attr_opt("address-pool", self.address_pool.as_deref())
            .attr_opt("on-login", self.on_login.as_deref())
            .attr_opt("on-logout", self.on_logout.as_deref())
    }
}

/// A logged-in hotspot client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HotspotActive {
    pub id: ItemId,
    pub user: String,
    pub address: Option<String>,
    pub mac_address: Option<String>,
    pub server: Option<String>,
    pub login_by: Option<String>,
    pub uptime: Duration,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub session_time_left: Option<Duration>,
}

impl HotspotActive {
    /// Parses a `print` or `listen` row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        Ok(Self {
            id: id_of(row, ACTIVE)?,
            user: req(row, ACTIVE, "user")?,
            address: row.get_string("address"),
            mac_address: row.get_string("mac-address"),
            server: row.get_string("server"),
            login_by: row.get_string("login-by"),
            uptime: dur(row, "uptime").unwrap_or_default(),
            bytes_in: row.get_u64("bytes-in").unwrap_or(0),
            bytes_out: row.get_u64("bytes-out").unwrap_or(0),
            session_time_left: dur(row, "session-time-left"),
        })
    }
}

/// Accessor for `/ip/hotspot/user`.
#[derive(Debug, Clone, Copy)]
pub struct HotspotUsers<'a>(&'a Client);

/// Accessor for `/ip/hotspot/user/profile`.
#[derive(Debug, Clone, Copy)]
pub struct HotspotProfiles<'a>(&'a Client);

/// Accessor for `/ip/hotspot/active`.
#[derive(Debug, Clone, Copy)]
pub struct HotspotSessions<'a>(&'a Client);

impl Client {
    /// `/ip/hotspot/user`.
    pub fn hotspot_users(&self) -> HotspotUsers<'_> {
        HotspotUsers(self)
    }

    /// `/ip/hotspot/user/profile`.
    pub fn hotspot_profiles(&self) -> HotspotProfiles<'_> {
        HotspotProfiles(self)
    }

    /// `/ip/hotspot/active`.
    pub fn hotspot_active(&self) -> HotspotSessions<'_> {
        HotspotSessions(self)
    }
}

impl HotspotUsers<'_> {
    /// All users (passwords only if the API user may read them).
    pub async fn list(&self) -> Result<Vec<HotspotUser>, Error> {
        let cmd = Command::new(format!("{USER}/print")).proplist(USER_PROPS);
        list(self.0, cmd, |r| HotspotUser::from_row(&r)).await
    }

    /// The name of every user (rows without one are skipped).
    pub async fn names(&self) -> Result<Vec<String>, Error> {
        let cmd = Command::new(format!("{USER}/print")).proplist(["name"]);
        let rows = self.0.run(cmd).await?;
        Ok(rows.iter().filter_map(|r| r.get_string("name")).collect())
    }

    /// The id and name of every user (rows without both are skipped).
    pub async fn ids_and_names(&self) -> Result<Vec<(ItemId, String)>, Error> {
        let cmd = Command::new(format!("{USER}/print")).proplist([".id", "name"]);
        let rows = self.0.run(cmd).await?;
        Ok(rows
            .iter()
            .filter_map(|r| Some((ItemId(r.id()?.into_owned()), r.get_string("name")?)))
            .collect())
    }

    /// All users, streamed row by row (for routers with tens of thousands of vouchers).
    pub async fn stream(&self) -> Result<RowStream, Error> {
        self.0.stream(Command::new(format!("{USER}/print"))).await
    }

    /// Number of users (`count-only`).
    pub async fn count(&self) -> Result<u64, Error> {
        let resp = self
            .0
            .call(Command::new(format!("{USER}/print")).flag("count-only"))
            .await?;
        Ok(resp.ret().and_then(|r| r.parse().ok()).unwrap_or(0))
    }

    /// The user with this name, if any.
    pub async fn get_by_name(&self, name: &str) -> Result<Option<HotspotUser>, Error> {
        by_name(self.0, USER, "name", name, |r| HotspotUser::from_row(&r)).await
    }

    /// Adds a user; fails with [`crate::TrapKind::AlreadyExists`] if the name is taken.
    pub async fn add(&self, user: &NewHotspotUser) -> Result<ItemId, Error> {
        add(self.0, user.to_command()).await
    }

    /// Changes some fields of a user.
    pub async fn update(&self, id: &ItemId, u: &HotspotUserUpdate) -> Result<(), Error> {
        exec(self.0, u.to_command(id)).await
    }

    /// Removes a user.
    pub async fn remove(&self, id: &ItemId) -> Result<(), Error> {
        super::remove(self.0, USER, id).await
    }

    /// Enables or disables a user.
    pub async fn set_disabled(&self, id: &ItemId, disabled: bool) -> Result<(), Error> {
        super::set_disabled(self.0, USER, id, disabled).await
    }

    /// Clears a user's uptime and byte counters.
    pub async fn reset_counters(&self, id: &ItemId) -> Result<(), Error> {
        exec(
            self.0,
            Command::new(format!("{USER}/reset-counters")).id(id.as_str()),
        )
        .await
    }
}

impl HotspotProfiles<'_> {
    /// All profiles.
    pub async fn list(&self) -> Result<Vec<HotspotUserProfile>, Error> {
        let cmd = Command::new(format!("{PROFILE}/print"));
        list(self.0, cmd, |r| HotspotUserProfile::from_row(&r)).await
    }

    /// The profile with this name, if any.
    pub async fn get_by_name(&self, name: &str) -> Result<Option<HotspotUserProfile>, Error> {
        by_name(self.0, PROFILE, "name", name, |r| {
            HotspotUserProfile::from_row(&r)
        })
        .await
    }

    /// Adds a profile; fails with [`crate::TrapKind::AlreadyExists`] if the name is taken.
    pub async fn add(&self, profile: &NewHotspotProfile) -> Result<ItemId, Error> {
        add(self.0, profile.to_command()).await
    }

    /// Changes some fields of a profile.
    pub async fn update(&self, id: &ItemId, u: &HotspotProfileUpdate) -> Result<(), Error> {
        exec(self.0, u.to_command(id)).await
    }

    /// Removes a profile.
    pub async fn remove(&self, id: &ItemId) -> Result<(), Error> {
        super::remove(self.0, PROFILE, id).await
    }
}

impl HotspotSessions<'_> {
    /// All logged-in clients.
    pub async fn list(&self) -> Result<Vec<HotspotActive>, Error> {
        let cmd = Command::new(format!("{ACTIVE}/print"));
        list(self.0, cmd, |r| HotspotActive::from_row(&r)).await
    }

    /// The ids of every logged-in client (a count without the details).
    pub async fn ids(&self) -> Result<Vec<ItemId>, Error> {
        ids(self.0, ACTIVE, None).await
    }

    /// The ids of the sessions of the user `user`.
    pub async fn ids_by_user(&self, user: &str) -> Result<Vec<ItemId>, Error> {
        ids(self.0, ACTIVE, Some(("user", user))).await
    }

    /// Logs a client out.
    pub async fn remove(&self, id: &ItemId) -> Result<(), Error> {
        super::remove(self.0, ACTIVE, id).await
    }

    /// Streams session changes; logged-out sessions arrive as rows with `.dead=yes`.
    pub async fn listen(&self) -> Result<RowStream, Error> {
        self.0
            .listen(Command::new(format!("{ACTIVE}/listen")))
            .await
    }
}
