//! `/user` and `/user/group`: the router's own users and their policies.

use super::{by_name, id_of, req, ItemId};
use crate::client::Client;
use crate::error::Error;
use crate::row::Row;

const USER: &str = "/user";
const GROUP: &str = "/user/group";

/// A router user (such as the API user the app logs in with).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: ItemId,
    pub name: String,
    /// The group whose policies the user has.
    pub group: Option<String>,
    pub comment: Option<String>,
    pub disabled: bool,
}

impl User {
    /// Parses a `print` row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        Ok(Self {
            id: id_of(row, USER)?,
            name: req(row, USER, "name")?,
            group: row.get_string("group"),
            comment: row.get_string("comment"),
            disabled: row.get_bool("disabled").unwrap_or(false),
        })
    }
}

/// A user group: what its users may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserGroup {
    pub id: ItemId,
    pub name: String,
    /// The policies, e.g. `read`, `write`, `api`, `sensitive` (a `!` prefix denies one).
    pub policy: Vec<String>,
}

impl UserGroup {
    /// Parses a `print` row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        Ok(Self {
            id: id_of(row, GROUP)?,
            name: req(row, GROUP, "name")?,
            policy: row
                .get_string("policy")
                .map(|p| p.split(',').map(|s| s.trim().to_owned()).collect())
                .unwrap_or_default(),
        })
    }

    /// Whether the group grants `policy`.
    pub fn allows(&self, policy: &str) -> bool {
        self.policy.iter().any(|p| p == policy)
    }
}

/// Accessor for `/user`.
#[derive(Debug, Clone, Copy)]
pub struct Users<'a>(&'a Client);

/// Accessor for `/user/group`.
#[derive(Debug, Clone, Copy)]
pub struct UserGroups<'a>(&'a Client);

impl Client {
    /// `/user`.
    pub fn users(&self) -> Users<'_> {
        Users(self)
    }

    /// `/user/group`.
    pub fn user_groups(&self) -> UserGroups<'_> {
        UserGroups(self)
    }
}

impl Users<'_> {
    /// The user with this name, if any.
    pub async fn get_by_name(&self, name: &str) -> Result<Option<User>, Error> {
        by_name(self.0, USER, "name", name, |r| User::from_row(&r)).await
    }
}

impl UserGroups<'_> {
    /// The group with this name, if any.
    pub async fn get_by_name(&self, name: &str) -> Result<Option<UserGroup>, Error> {
        by_name(self.0, GROUP, "name", name, |r| UserGroup::from_row(&r)).await
    }
}
