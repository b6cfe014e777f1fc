//! Menus without items: `/system/clock`, `/system/identity`, `/system/resource` (the values
//! scripts `get`, and `set`).

use chrono::Timelike;

use super::schema::LOG;
use super::script::Value;
use super::state::{Change, Item, Router, SimTrap};
use crate::parse::{format_date, format_date_time, parse_date, parse_time_of_day};

/// Lines kept in `/log` (RouterOS keeps 1000 in memory by default).
const LOG_LINES: usize = 1000;

impl Router {
    /// Appends a line to `/log` (topics like `script,error`), dropping the oldest past 1000.
    pub fn log(&mut self, topics: &str, message: &str) {
        tracing::debug!(topics, message, "simulated router log");
        let time = format_date_time(self.clock, self.version.iso_dates());
        let Some(table) = self.tables.iter_mut().find(|t| t.schema.path == LOG.path) else {
            return;
        };
        if table.items.len() >= LOG_LINES {
            let gone = table.remove_at(0);
            let _ = self.changes.send(Change {
                menu: LOG.path,
                id: gone.id,
                item: None,
            });
        }
        let item = Item {
            id: 0,
            props: vec![
                ("time", time.into_bytes()),
                ("topics", topics.as_bytes().to_vec()),
                ("message", message.as_bytes().to_vec()),
            ],
            builtin: false,
        };
        let id = table.insert(item.clone());
        self.announce(LOG.path, id, Some(Item { id, ..item }));
    }
}

/// The values of a menu without items, typed as scripts see them.
pub(crate) fn fields(router: &Router, menu: &str) -> Vec<(&'static str, Value)> {
    match menu {
        "/system/clock" => {
            let t = router.clock.time();
            let secs = u64::from(t.num_seconds_from_midnight());
            vec![
                ("time", Value::Time(std::time::Duration::from_secs(secs))),
                (
                    "date",
                    Value::Str(format_date(router.clock.date(), router.version.iso_dates())),
                ),
                ("time-zone-autodetect", Value::Bool(true)),
                ("time-zone-name", Value::Str(router.time_zone.clone())),
                ("dst-active", Value::Bool(false)),
            ]
        }
        "/system/identity" => vec![(
            "name",
            Value::Str(String::from_utf8_lossy(&router.identity).into_owned()),
        )],
        "/system/resource" => vec![
            ("uptime", Value::Time(router.uptime)),
            ("version", Value::Str(router.version.display())),
        ],
        _ => Vec::new(),
    }
}

/// `set` on a menu without items.
pub(crate) fn set(
    router: &mut Router,
    menu: &str,
    attrs: &[(String, Vec<u8>)],
) -> Result<(), SimTrap> {
    let invalid = |k: &str| SimTrap::new(Some(1), format!("invalid value for argument {k}"));
    match menu {
        "/system/identity" => {
            for (k, v) in attrs {
                match k.as_str() {
                    "name" => router.identity = v.clone(),
                    _ => return Err(router.unknown_parameter(k)),
                }
            }
            Ok(())
        }
        "/system/clock" => {
            let (mut date, mut time) = (router.clock.date(), router.clock.time());
            let mut zone = None;
            let mut moved = false;
            for (k, v) in attrs {
                let text = String::from_utf8_lossy(v);
                match k.as_str() {
                    "date" => {
                        if !router.version.iso_dates() && !text.contains('/') {
                            return Err(invalid(k));
                        }
                        date = parse_date(&text).map_err(|_| invalid(k))?;
                        moved = true;
                    }
                    "time" => {
                        time = parse_time_of_day(&text).map_err(|_| invalid(k))?;
                        moved = true;
                    }
                    "time-zone-name" => zone = Some(text.into_owned()),
                    _ => return Err(router.unknown_parameter(k)),
                }
            }
            if let Some(z) = zone {
                router.time_zone = z;
            }
            if moved {
                // Like a manual clock change on RouterOS: nothing that was due in between
                // runs; every scheduler waits for its next slot after the new time.
                super::scheduler::jump(router, date.and_time(time));
            }
            Ok(())
        }
        _ => Err(super::state::no_such_command()),
    }
}
