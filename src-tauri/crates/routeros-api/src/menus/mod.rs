//! Typed helpers for the menus the billing needs, on top of [`Client::run`].

pub mod hotspot;
pub mod interface;
pub mod ppp;
pub mod system;
pub mod user;

use std::fmt;
use std::time::Duration;

use crate::client::Client;
use crate::command::Command;
use crate::error::{Error, ErrorKind};
use crate::parse;
use crate::row::Row;

/// A RouterOS item id such as `*1A`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ItemId(pub String);

impl ItemId {
    /// The id as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for ItemId {
    fn from(s: &str) -> Self {
        ItemId(s.to_owned())
    }
}

pub(crate) fn missing(path: &str, key: &str) -> Error {
    Error::protocol(format!("{path} row has no {key}"))
}

pub(crate) fn req(row: &Row, path: &str, key: &str) -> Result<String, Error> {
    row.get_string(key).ok_or_else(|| missing(path, key))
}

pub(crate) fn id_of(row: &Row, path: &str) -> Result<ItemId, Error> {
    req(row, path, ".id").map(ItemId)
}

pub(crate) fn dur(row: &Row, key: &str) -> Option<Duration> {
    row.get(key).and_then(|v| parse::parse_duration(&v).ok())
}

pub(crate) fn nonzero_dur(row: &Row, key: &str) -> Option<Duration> {
    dur(row, key).filter(|d| !d.is_zero())
}

pub(crate) fn nonzero_u64(row: &Row, key: &str) -> Option<u64> {
    row.get_u64(key).filter(|v| *v != 0)
}

/// `add`: returns the new item's id from `=ret=`.
pub(crate) async fn add(client: &Client, cmd: Command) -> Result<ItemId, Error> {
    let path = cmd.path().to_owned();
    let resp = client.call(cmd).await?;
    resp.ret().map(ItemId).ok_or_else(|| {
        Error::new(ErrorKind::Protocol)
            .with_detail("add returned no id")
            .router(client.addr())
            .command(&path)
    })
}

/// `set`/`remove`/`enable`/`disable` and other commands answered with a bare `!done`.
pub(crate) async fn exec(client: &Client, cmd: Command) -> Result<(), Error> {
    client.call(cmd).await.map(|_| ())
}

/// `print` mapped through a row parser.
pub(crate) async fn list<T>(
    client: &Client,
    cmd: Command,
    parse: impl Fn(Row) -> Result<T, Error>,
) -> Result<Vec<T>, Error> {
    let path = cmd.path().to_owned();
    client
        .run(cmd)
        .await?
        .into_iter()
        .map(|r| parse(r).map_err(|e| e.router(client.addr()).command(&path)))
        .collect()
}

/// `print .proplist=.id`, with `?key=value` if given: the ids of the matching items; rows
/// without an id (none on a real router) are skipped.
pub(crate) async fn ids(
    client: &Client,
    menu: &str,
    query: Option<(&str, &str)>,
) -> Result<Vec<ItemId>, Error> {
    let mut cmd = Command::new(format!("{menu}/print")).proplist([".id"]);
    if let Some((key, value)) = query {
        cmd = cmd.query_eq(key, value);
    }
    Ok(client
        .run(cmd)
        .await?
        .iter()
        .filter_map(|r| r.id().map(|id| ItemId(id.into_owned())))
        .collect())
}

/// `print ?name=<name>` returning the first match.
pub(crate) async fn by_name<T>(
    client: &Client,
    menu: &str,
    key: &str,
    name: &str,
    parse: impl Fn(Row) -> Result<T, Error>,
) -> Result<Option<T>, Error> {
    let cmd = Command::new(format!("{menu}/print")).query_eq(key, name);
    Ok(list(client, cmd, parse).await?.into_iter().next())
}

/// Generic write helpers shared by the typed menus.
pub(crate) async fn remove(client: &Client, menu: &str, id: &ItemId) -> Result<(), Error> {
    exec(
        client,
        Command::new(format!("{menu}/remove")).id(id.as_str()),
    )
    .await
}

pub(crate) async fn set_disabled(
    client: &Client,
    menu: &str,
    id: &ItemId,
    disabled: bool,
) -> Result<(), Error> {
    let verb = if disabled { "disable" } else { "enable" };
    exec(
        client,
        Command::new(format!("{menu}/{verb}")).id(id.as_str()),
    )
    .await
}
