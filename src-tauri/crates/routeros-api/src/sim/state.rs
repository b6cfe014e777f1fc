//! The simulated router's configuration and runtime state.

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::time::Duration;

use chrono::{NaiveDateTime, NaiveTime};
use tokio::sync::broadcast;

use super::scheduler;
use super::schema::{Access, Schema, Ty, POLICIES, SCHEDULER, TABLES};
use super::script::Value;
use super::version::SimVersion;
use crate::parse::{format_date, format_duration, parse_date, parse_duration};

/// A `!trap` the simulator answers with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SimTrap {
    pub category: Option<u32>,
    pub message: String,
}

impl SimTrap {
    pub fn new(category: Option<u32>, message: impl Into<String>) -> Self {
        Self {
            category,
            message: message.into(),
        }
    }
}

/// One item of a table. Keys are the schema's property names; values are bytes.
#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub id: u32,
    pub props: Vec<(&'static str, Vec<u8>)>,
    pub builtin: bool,
}

impl Item {
    pub fn get(&self, key: &str) -> Option<&[u8]> {
        if key == ".id" {
            return None;
        }
        self.props
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_slice())
    }

    pub fn set(&mut self, schema: &Schema, key: &'static str, value: Vec<u8>) {
        if let Some(slot) = self.props.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
            return;
        }
        // Keep schema order so that output looks like the router's.
        let order = |k: &str| {
            schema
                .props
                .iter()
                .position(|p| p.name == k)
                .unwrap_or(usize::MAX)
        };
        let pos = self.props.iter().position(|(k, _)| order(k) > order(key));
        self.props
            .insert(pos.unwrap_or(self.props.len()), (key, value));
    }

    pub fn unset(&mut self, key: &str) {
        self.props.retain(|(k, _)| *k != key);
    }

    /// A property as text (lossy), for scripts and the scheduler.
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key)
            .map(|v| String::from_utf8_lossy(v).into_owned())
    }

    pub fn get_u64(&self, key: &str) -> u64 {
        self.get(key)
            .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
            .unwrap_or(0)
    }

    pub fn get_duration(&self, key: &str) -> Duration {
        self.get(key)
            .and_then(|v| parse_duration(std::str::from_utf8(v).ok()?).ok())
            .unwrap_or_default()
    }
}

/// `*HEX`, as the router writes ids.
pub(crate) fn id_text(id: u32) -> String {
    format!("*{id:X}")
}

/// A table with its schema and a unique-key index.
pub(crate) struct Table {
    pub schema: &'static Schema,
    pub items: Vec<Item>,
    next_id: u32,
    index: HashMap<Vec<u8>, u32>,
}

impl Table {
    fn new(schema: &'static Schema) -> Self {
        let mut t = Table {
            schema,
            items: Vec::new(),
            next_id: 1,
            index: HashMap::new(),
        };
        for builtin in schema.builtins {
            let mut item = Item {
                id: 0,
                props: Vec::new(),
                builtin: true,
            };
            for p in schema.props {
                if let Some(d) = p.default {
                    item.props.push((p.name, d.as_bytes().to_vec()));
                }
            }
            for (k, v) in builtin.iter() {
                if let Some(p) = schema.prop(k) {
                    item.set(schema, p.name, v.as_bytes().to_vec());
                }
            }
            t.insert(item);
        }
        t
    }

    /// Appends an item, giving it the next id.
    pub fn insert(&mut self, mut item: Item) -> u32 {
        item.id = self.next_id;
        self.next_id += 1;
        if let Some((key, _)) = self.schema.unique {
            if let Some(v) = item.get(key) {
                self.index.insert(v.to_vec(), item.id);
            }
        }
        let id = item.id;
        self.items.push(item);
        id
    }

    pub fn position(&self, id: u32) -> Option<usize> {
        self.items.binary_search_by_key(&id, |i| i.id).ok()
    }

    /// Resolves `*1A` or a unique name to a position.
    pub fn find(&self, id: &[u8]) -> Option<usize> {
        if let Some(hex) = id.strip_prefix(b"*") {
            let n = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            return self.position(n);
        }
        let by_index = self.index.get(id).and_then(|n| self.position(*n));
        by_index.or_else(|| self.items.iter().position(|i| i.get("name") == Some(id)))
    }

    pub fn find_by(&self, key: &str, value: &[u8]) -> Option<usize> {
        if self.schema.unique.is_some_and(|(k, _)| k == key) {
            return self.index.get(value).and_then(|n| self.position(*n));
        }
        self.items.iter().position(|i| i.get(key) == Some(value))
    }

    pub fn remove_at(&mut self, pos: usize) -> Item {
        let item = self.items.remove(pos);
        if let Some((key, _)) = self.schema.unique {
            if let Some(v) = item.get(key) {
                self.index.remove(v);
            }
        }
        item
    }

    pub fn reindex(&mut self, old: Option<Vec<u8>>, new: Option<Vec<u8>>, id: u32) {
        if let Some(o) = old {
            self.index.remove(&o);
        }
        if let Some(n) = new {
            self.index.insert(n, id);
        }
    }
}

/// A change to announce to `listen`ers.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub menu: &'static str,
    pub id: u32,
    /// The full item after the change, or `None` if it was removed.
    pub item: Option<Item>,
}

/// Everything the simulated router knows.
pub(crate) struct Router {
    pub tables: Vec<Table>,
    pub identity: Vec<u8>,
    pub version: SimVersion,
    pub uptime: Duration,
    pub clock: NaiveDateTime,
    pub changes: broadcast::Sender<Change>,
    pub next_session: u32,
    /// Per-interface traffic rate (rx, tx) in bits per second for `monitor-traffic`.
    pub rates: HashMap<String, (u64, u64)>,
    /// `/system/clock` `time-zone-name`.
    pub time_zone: String,
    /// The user that owns what is added (the API admin).
    pub owner: String,
    /// When the router last booted (the anchor of `start-time=startup`).
    pub booted_at: NaiveDateTime,
    /// Exact next run of each scheduler item (the printed `next-run` is rounded to seconds).
    pub next_runs: HashMap<u32, NaiveDateTime>,
    /// `:global` variables; they live until the next reboot.
    pub globals: HashMap<String, Value>,
}

impl Router {
    pub fn new(version: SimVersion, clock: NaiveDateTime) -> Self {
        let (changes, _) = broadcast::channel(4096);
        Router {
            tables: TABLES.iter().map(|s| Table::new(s)).collect(),
            identity: b"MikroTik".to_vec(),
            version,
            uptime: Duration::from_secs(0),
            clock,
            changes,
            next_session: 0x8100_0001,
            rates: HashMap::new(),
            time_zone: "Asia/Jakarta".into(),
            owner: "admin".into(),
            booted_at: clock,
            next_runs: HashMap::new(),
            globals: HashMap::new(),
        }
    }

    pub fn table(&self, path: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.schema.path == path)
    }

    pub fn table_mut(&mut self, path: &str) -> Option<&mut Table> {
        self.tables.iter_mut().find(|t| t.schema.path == path)
    }

    pub fn announce(&self, menu: &'static str, id: u32, item: Option<Item>) {
        // No receivers is fine.
        let _ = self.changes.send(Change { menu, id, item });
    }

    pub fn suffix(&self, base: &str, n: u32) -> String {
        if self.version.error_suffixes() {
            format!("{base} ({n})")
        } else {
            base.to_owned()
        }
    }

    pub fn no_such_item(&self) -> SimTrap {
        SimTrap::new(None, self.suffix("no such item", 4))
    }

    pub fn unknown_parameter(&self, name: &str) -> SimTrap {
        if self.version.major >= 7 {
            SimTrap::new(None, format!("unknown parameter {name}"))
        } else {
            SimTrap::new(None, "unknown parameter")
        }
    }

    /// Validates and normalises one written property.
    fn normalise(
        &self,
        schema: &Schema,
        key: &str,
        value: &[u8],
    ) -> Result<(&'static str, Vec<u8>), SimTrap> {
        let prop = schema
            .prop(key)
            .filter(|p| p.access == Access::Write)
            .ok_or_else(|| self.unknown_parameter(key))?;
        let text = std::str::from_utf8(value).unwrap_or("");
        let invalid = || SimTrap::new(Some(1), format!("invalid value for argument {key}"));
        let v = match prop.ty {
            Ty::Str => value.to_vec(),
            Ty::Bool => match text {
                "yes" | "true" => b"true".to_vec(),
                "no" | "false" => b"false".to_vec(),
                _ => {
                    return Err(SimTrap::new(
                        Some(1),
                        format!("value of {key} must be yes or no"),
                    ))
                }
            },
            Ty::Int => text
                .parse::<u64>()
                .map_err(|_| invalid())?
                .to_string()
                .into_bytes(),
            Ty::Time | Ty::TimeOrNone if prop.ty == Ty::TimeOrNone && text == "none" => {
                b"none".to_vec()
            }
            Ty::Time | Ty::TimeOrNone => {
                format_duration(parse_duration(text).map_err(|_| invalid())?).into_bytes()
            }
            Ty::Ip => {
                text.parse::<Ipv4Addr>().map_err(|_| invalid())?;
                value.to_vec()
            }
            Ty::Date => {
                // Before 7.10 only `nov/28/2026` is understood; later releases print ISO dates
                // and still read the old form.
                if !self.version.iso_dates() && !text.contains('/') {
                    return Err(invalid());
                }
                let date = parse_date(text).map_err(|_| invalid())?;
                format_date(date, self.version.iso_dates()).into_bytes()
            }
            Ty::StartTime if text == "startup" => b"startup".to_vec(),
            Ty::StartTime => NaiveTime::parse_from_str(text, "%H:%M:%S")
                .map_err(|_| invalid())?
                .format("%H:%M:%S")
                .to_string()
                .into_bytes(),
            Ty::Policy => {
                let wanted: Vec<&str> = text.split(',').map(str::trim).collect();
                if wanted.iter().any(|p| !POLICIES.contains(p)) {
                    return Err(invalid());
                }
                let canonical: Vec<&str> = POLICIES
                    .iter()
                    .copied()
                    .filter(|p| wanted.contains(p))
                    .collect();
                canonical.join(",").into_bytes()
            }
        };
        for (ref_prop, menu) in schema.refs {
            if *ref_prop == key
                && self
                    .table(menu)
                    .and_then(|t| t.find_by("name", &v))
                    .is_none()
            {
                return Err(SimTrap::new(
                    Some(1),
                    format!("input does not match any value of {key}"),
                ));
            }
        }
        Ok((prop.name, v))
    }

    /// `add`: returns the new id.
    pub fn add(&mut self, path: &str, attrs: &[(String, Vec<u8>)]) -> Result<u32, SimTrap> {
        let schema = self
            .table(path)
            .map(|t| t.schema)
            .ok_or_else(no_such_command)?;
        let mut props = Vec::with_capacity(attrs.len());
        for (k, v) in attrs {
            props.push(self.normalise(schema, k, v)?);
        }
        let mut item = Item {
            id: 0,
            props: Vec::new(),
            builtin: false,
        };
        for p in schema.props {
            if let Some(d) = p.default {
                item.props.push((p.name, d.as_bytes().to_vec()));
            }
        }
        for (k, v) in props {
            item.set(schema, k, v);
        }
        if let Some((key, message)) = schema.unique {
            let Some(value) = item.get(key) else {
                return Err(SimTrap::new(
                    Some(1),
                    format!("missing value(s) of argument(s) {key}"),
                ));
            };
            let table = self.table(path).ok_or_else(no_such_command)?;
            if table.find_by(key, value).is_some() {
                return Err(SimTrap::new(None, message));
            }
        }
        if schema.path == SCHEDULER.path {
            scheduler::fill_defaults(self, &mut item);
        }
        let table = self.table_mut(path).ok_or_else(no_such_command)?;
        let id = table.insert(item);
        if schema.path == SCHEDULER.path {
            scheduler::reschedule(self, id);
        }
        self.announce_current(schema, id);
        Ok(id)
    }

    /// Announces the stored state of an item.
    fn announce_current(&self, schema: &'static Schema, id: u32) {
        let snapshot = self
            .table(schema.path)
            .and_then(|t| t.position(id).map(|p| t.items[p].clone()));
        self.announce(schema.path, id, snapshot);
    }

    /// Resolves a comma-separated `.id` / `numbers` list to positions.
    pub fn resolve(&self, path: &str, ids: &[u8]) -> Result<Vec<u32>, SimTrap> {
        let table = self.table(path).ok_or_else(no_such_command)?;
        ids.split(|&b| b == b',')
            .map(|id| {
                table
                    .find(id)
                    .map(|p| table.items[p].id)
                    .ok_or_else(|| self.no_such_item())
            })
            .collect()
    }

    /// `set` on every id in a comma-separated `.id` list.
    pub fn set(
        &mut self,
        path: &str,
        ids: &[u8],
        attrs: &[(String, Vec<u8>)],
    ) -> Result<(), SimTrap> {
        let targets = self.resolve(path, ids)?;
        self.set_ids(path, &targets, attrs)
    }

    /// `set` on resolved ids (nothing happens for an empty list).
    pub fn set_ids(
        &mut self,
        path: &str,
        targets: &[u32],
        attrs: &[(String, Vec<u8>)],
    ) -> Result<(), SimTrap> {
        let schema = self
            .table(path)
            .map(|t| t.schema)
            .ok_or_else(no_such_command)?;
        let mut props = Vec::with_capacity(attrs.len());
        for (k, v) in attrs {
            props.push(self.normalise(schema, k, v)?);
        }
        let timing = schema.path == SCHEDULER.path
            && props
                .iter()
                .any(|(k, _)| ["start-date", "start-time", "interval", "disabled"].contains(k));
        for &id in targets {
            let table = self.table_mut(path).ok_or_else(no_such_command)?;
            let pos = table
                .position(id)
                .ok_or_else(|| SimTrap::new(None, "no such item"))?;
            if let Some((key, message)) = schema.unique {
                if let Some((_, new)) = props.iter().find(|(k, _)| *k == key) {
                    if table.find_by(key, new).is_some_and(|p| p != pos) {
                        return Err(SimTrap::new(None, message));
                    }
                    let old = table.items[pos].get(key).map(<[u8]>::to_vec);
                    table.reindex(old, Some(new.clone()), id);
                }
            }
            let item = &mut table.items[pos];
            for (k, v) in &props {
                item.set(schema, k, v.clone());
            }
            if timing {
                scheduler::reschedule(self, id);
            }
            self.announce_current(schema, id);
        }
        Ok(())
    }

    /// `remove` on resolved ids (nothing happens for an empty list).
    pub fn remove_ids(&mut self, path: &str, targets: &[u32]) -> Result<Vec<Item>, SimTrap> {
        let table = self.table(path).ok_or_else(no_such_command)?;
        let schema = table.schema;
        if !schema.can_remove {
            return Err(no_such_command());
        }
        if targets
            .iter()
            .any(|id| table.position(*id).is_some_and(|p| table.items[p].builtin))
        {
            return Err(SimTrap::new(None, "failure: can not remove default item"));
        }
        let mut removed = Vec::new();
        for &id in targets {
            let table = self.table_mut(path).ok_or_else(no_such_command)?;
            if let Some(pos) = table.position(id) {
                removed.push(table.remove_at(pos));
                if schema.path == SCHEDULER.path {
                    self.next_runs.remove(&id);
                }
                self.announce(schema.path, id, None);
            }
        }
        Ok(removed)
    }
}

pub(crate) fn no_such_command() -> SimTrap {
    SimTrap::new(Some(0), "no such command")
}
