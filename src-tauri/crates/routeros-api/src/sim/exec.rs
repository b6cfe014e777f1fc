//! Executing one API command against the simulated router.

use super::accounting;
use super::query;
use super::schema::SINGLETONS;
use super::state::{id_text, no_such_command, Item, Router, SimTrap};
use super::system;
use crate::parse::{format_date_time, format_duration};
use crate::proto::{Sentence, Word};

/// A decoded request sentence.
#[derive(Debug, Clone, Default)]
pub(crate) struct Request {
    pub command: String,
    pub attrs: Vec<(String, Vec<u8>)>,
    pub queries: Vec<Vec<u8>>,
    /// `.tag`, only if non-empty.
    pub tag: Option<Vec<u8>>,
}

impl Request {
    pub fn parse(sentence: &Sentence) -> Request {
        let mut req = Request::default();
        for (i, w) in sentence.words().iter().enumerate() {
            match Word::parse(w) {
                Word::Command(c) if i == 0 => req.command = String::from_utf8_lossy(c).into_owned(),
                Word::Attribute { key, value } => req
                    .attrs
                    .push((String::from_utf8_lossy(key).into_owned(), value.to_vec())),
                Word::ApiAttribute { key: b"tag", value } if !value.is_empty() => {
                    req.tag = Some(value.to_vec())
                }
                Word::Query(q) => req.queries.push(q.to_vec()),
                _ => {}
            }
        }
        req
    }

    pub fn attr(&self, key: &str) -> Option<&[u8]> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_slice())
    }

    /// Attributes other than the ones the command itself interprets.
    fn data_attrs(&self) -> Vec<(String, Vec<u8>)> {
        const META: [&str; 7] = [
            ".id",
            "numbers",
            ".proplist",
            "count-only",
            "detail",
            "stats",
            "without-paging",
        ];
        self.attrs
            .iter()
            .filter(|(k, _)| !META.contains(&k.as_str()))
            .cloned()
            .collect()
    }

    fn ids(&self) -> Option<&[u8]> {
        self.attr(".id").or_else(|| self.attr("numbers"))
    }
}

/// A reply sentence's words, without `.tag` (the session adds it).
pub(crate) type Words = Vec<Vec<u8>>;

/// What the session has to do for a command.
pub(crate) enum Outcome {
    Replies(Vec<Words>),
    /// Reply, then cut every connection (the router rebooted).
    RepliesThenCut(Vec<Words>),
    Listen {
        menu: &'static str,
        proplist: Option<Vec<String>>,
        queries: Vec<Vec<u8>>,
    },
    Monitor {
        interface: String,
    },
    Cancel {
        target: Option<Vec<u8>>,
    },
    Quit,
}

fn done() -> Words {
    vec![b"!done".to_vec()]
}

fn attr_word(key: &str, value: &[u8]) -> Vec<u8> {
    let mut w = Vec::with_capacity(key.len() + value.len() + 2);
    w.push(b'=');
    w.extend_from_slice(key.as_bytes());
    w.push(b'=');
    w.extend_from_slice(value);
    w
}

pub(crate) fn trap_words(t: &SimTrap) -> Vec<Words> {
    let mut trap = vec![b"!trap".to_vec()];
    if let Some(c) = t.category {
        trap.push(attr_word("category", c.to_string().as_bytes()));
    }
    trap.push(attr_word("message", t.message.as_bytes()));
    vec![trap, done()]
}

/// `!re` for one item, honouring `.proplist`.
pub(crate) fn row_words(item: &Item, proplist: Option<&[String]>) -> Words {
    let want = |k: &str| proplist.is_none_or(|p| p.iter().any(|x| x == k));
    let mut words = Vec::with_capacity(item.props.len() + 2);
    words.push(b"!re".to_vec());
    if want(".id") {
        words.push(attr_word(".id", id_text(item.id).as_bytes()));
    }
    for (k, v) in &item.props {
        if want(k) {
            words.push(attr_word(k, v));
        }
    }
    words
}

pub(crate) fn item_matches(item: &Item, queries: &[Vec<u8>]) -> bool {
    if queries.is_empty() {
        return true;
    }
    let id = id_text(item.id).into_bytes();
    query::matches(queries, |k| {
        if k == b".id" {
            Some(&id[..])
        } else {
            std::str::from_utf8(k).ok().and_then(|k| item.get(k))
        }
    })
}

pub(crate) fn proplist(req: &Request) -> Option<Vec<String>> {
    req.attr(".proplist").map(|p| {
        String::from_utf8_lossy(p)
            .split(',')
            .map(|s| s.trim().to_owned())
            .collect()
    })
}

const WRITE_VERBS: [&str; 6] = [
    "add",
    "set",
    "remove",
    "enable",
    "disable",
    "reset-counters",
];

/// Runs one command (after login).
pub(crate) fn execute(router: &mut Router, req: &Request, read_only: bool) -> Outcome {
    let (menu, verb) = match req.command.rsplit_once('/') {
        Some((m, v)) => (m, v),
        None => ("", req.command.as_str()),
    };
    if read_only && (WRITE_VERBS.contains(&verb) || (SINGLETONS.contains(&menu) && verb == "set")) {
        let msg = router.suffix("not enough permissions", 9);
        return Outcome::Replies(trap_words(&SimTrap::new(None, msg)));
    }
    if super::control::handles(&req.command) {
        if read_only {
            let msg = router.suffix("not enough permissions", 9);
            return Outcome::Replies(trap_words(&SimTrap::new(None, msg)));
        }
        return match super::control::execute(router, req) {
            Ok((r, super::control::After::Nothing)) => Outcome::Replies(r),
            Ok((r, super::control::After::CutConnections)) => Outcome::RepliesThenCut(r),
            Err(t) => Outcome::Replies(trap_words(&t)),
        };
    }
    match (menu, verb) {
        ("", "cancel") => {
            return Outcome::Cancel {
                target: req.attr("tag").map(<[u8]>::to_vec),
            }
        }
        ("", "quit") => return Outcome::Quit,
        ("", "login") => return Outcome::Replies(vec![done()]),
        ("/system/resource", "print" | "getall") => {
            return Outcome::Replies(vec![resource_row(router, req), done()])
        }
        ("/system/identity", "print" | "getall") => {
            let row = vec![b"!re".to_vec(), attr_word("name", &router.identity)];
            return Outcome::Replies(vec![row, done()]);
        }
        ("/system/clock", "print" | "getall") => {
            let mut row = vec![b"!re".to_vec()];
            let props = proplist(req);
            for (k, v) in system::fields(router, menu) {
                if props.as_ref().is_none_or(|p| p.iter().any(|x| x == k)) {
                    row.push(attr_word(k, v.text(",").as_bytes()));
                }
            }
            return Outcome::Replies(vec![row, done()]);
        }
        (m, "get") if SINGLETONS.contains(&m) => {
            let name = String::from_utf8_lossy(req.attr("value-name").unwrap_or_default());
            let found = system::fields(router, menu)
                .into_iter()
                .find(|(k, _)| *k == name);
            return Outcome::Replies(match found {
                Some((_, v)) => vec![vec![
                    b"!done".to_vec(),
                    attr_word("ret", v.text(",").as_bytes()),
                ]],
                None => trap_words(&SimTrap::new(Some(1), format!("no such property {name}"))),
            });
        }
        ("/system/identity" | "/system/clock", "set") => {
            let attrs = req.data_attrs();
            return Outcome::Replies(match system::set(router, menu, &attrs) {
                Ok(()) => vec![done()],
                Err(t) => trap_words(&t),
            });
        }
        ("/interface", "monitor-traffic") => {
            let iface =
                String::from_utf8_lossy(req.attr("interface").unwrap_or_default()).into_owned();
            if router
                .table("/interface")
                .and_then(|t| t.find_by("name", iface.as_bytes()))
                .is_none()
            {
                let t = SimTrap::new(Some(1), "input does not match any value of interface");
                return Outcome::Replies(trap_words(&t));
            }
            if req.attr("once").is_none() {
                return Outcome::Monitor { interface: iface };
            }
            return Outcome::Replies(vec![traffic_row(router, &iface), done()]);
        }
        _ => {}
    }
    let Some(table) = router.table(menu) else {
        let known = super::schema::TABLES
            .iter()
            .any(|s| s.path.starts_with(&format!("{menu}/")))
            || SINGLETONS.contains(&menu);
        let message = if known {
            "no such command"
        } else {
            "no such command prefix"
        };
        return Outcome::Replies(trap_words(&SimTrap::new(Some(0), message)));
    };
    let schema = table.schema;
    let result: Result<Vec<Words>, SimTrap> = match verb {
        "print" | "getall" => Ok(print(router, menu, req)),
        "listen" => {
            return Outcome::Listen {
                menu: schema.path,
                proplist: proplist(req),
                queries: req.queries.clone(),
            }
        }
        "add" if schema.can_add => router.add(menu, &req.data_attrs()).map(|id| {
            vec![vec![
                b"!done".to_vec(),
                attr_word("ret", id_text(id).as_bytes()),
            ]]
        }),
        "get" => get(router, menu, req),
        "set" if schema.can_set => match req.ids() {
            Some(ids) => router
                .set(menu, ids, &req.data_attrs())
                .map(|()| vec![done()]),
            None => Err(SimTrap::new(Some(1), "missing value(s) of argument(s) .id")),
        },
        "enable" | "disable" if schema.prop("disabled").is_some() => match req.ids() {
            Some(ids) => {
                let v = if verb == "disable" { "yes" } else { "no" };
                let attrs = [("disabled".to_owned(), v.as_bytes().to_vec())];
                router.set(menu, ids, &attrs).map(|()| vec![done()])
            }
            None => Err(SimTrap::new(Some(1), "missing value(s) of argument(s) .id")),
        },
        "remove" if schema.can_remove => match req.ids() {
            Some(ids) => router
                .resolve(menu, ids)
                .and_then(|ids| accounting::remove_items(router, menu, &ids))
                .map(|()| vec![done()]),
            None => Err(SimTrap::new(Some(1), "missing value(s) of argument(s) .id")),
        },
        "reset-counters" if menu == "/ip/hotspot/user" => match req.ids() {
            Some(ids) => accounting::reset_counters(router, ids).map(|()| vec![done()]),
            None => Err(SimTrap::new(Some(1), "missing value(s) of argument(s) .id")),
        },
        _ => Err(no_such_command()),
    };
    Outcome::Replies(result.unwrap_or_else(|t| trap_words(&t)))
}

/// `get =.id=… =value-name=…` on a table: the value in `=ret=`.
fn get(router: &Router, menu: &str, req: &Request) -> Result<Vec<Words>, SimTrap> {
    let missing = |k: &str| SimTrap::new(Some(1), format!("missing value(s) of argument(s) {k}"));
    let ids = req
        .ids()
        .or_else(|| req.attr("number"))
        .ok_or_else(|| missing(".id"))?;
    let key = req
        .attr("value-name")
        .ok_or_else(|| missing("value-name"))?;
    let table = router.table(menu).ok_or_else(no_such_command)?;
    let pos = table.find(ids).ok_or_else(|| router.no_such_item())?;
    let item = &table.items[pos];
    let value = if key == b".id" {
        Some(id_text(item.id).into_bytes())
    } else {
        let key = String::from_utf8_lossy(key);
        if table.schema.prop(&key).is_none() {
            return Err(SimTrap::new(Some(1), format!("no such property {key}")));
        }
        item.get(&key).map(<[u8]>::to_vec)
    };
    let mut done = vec![b"!done".to_vec()];
    if let Some(v) = value {
        done.push(attr_word("ret", &v));
    }
    Ok(vec![done])
}

fn print(router: &Router, menu: &str, req: &Request) -> Vec<Words> {
    let Some(table) = router.table(menu) else {
        return vec![done()];
    };
    let matching = table.items.iter().filter(|i| item_matches(i, &req.queries));
    if req.attr("count-only").is_some() {
        let n = matching.count();
        return vec![vec![
            b"!done".to_vec(),
            attr_word("ret", n.to_string().as_bytes()),
        ]];
    }
    let props = proplist(req);
    let mut out: Vec<Words> = matching.map(|i| row_words(i, props.as_deref())).collect();
    if out.is_empty() && router.version.empty_reply() {
        out.push(vec![b"!empty".to_vec()]);
    }
    out.push(done());
    out
}

fn resource_row(router: &Router, req: &Request) -> Words {
    let build = chrono::NaiveDate::from_ymd_opt(2025, 3, 11)
        .and_then(|d| d.and_hms_opt(9, 45, 44))
        .map(|d| format_date_time(d, router.version.iso_dates()))
        .unwrap_or_default();
    let fields: [(&str, String); 18] = [
        ("uptime", format_duration(router.uptime)),
        ("version", router.version.display()),
        ("build-time", build),
        ("factory-software", "6.44.6".into()),
        ("free-memory", "1503133696".into()),
        ("total-memory", "2147483648".into()),
        ("cpu", "ARMv8".into()),
        ("cpu-count", "4".into()),
        ("cpu-frequency", "1400".into()),
        ("cpu-load", "3".into()),
        ("free-hdd-space", "96698368".into()),
        ("total-hdd-space", "134217728".into()),
        ("write-sect-since-reboot", "1203".into()),
        ("write-sect-total", "88231".into()),
        ("bad-blocks", "0".into()),
        ("architecture-name", "arm64".into()),
        ("board-name", "RB5009UG+S+".into()),
        ("platform", "MikroTik".into()),
    ];
    let props = proplist(req);
    let mut words = vec![b"!re".to_vec()];
    for (k, v) in fields {
        if props.as_ref().is_none_or(|p| p.iter().any(|x| x == k)) {
            words.push(attr_word(k, v.as_bytes()));
        }
    }
    words
}

pub(crate) fn traffic_row(router: &Router, iface: &str) -> Words {
    let (rx, tx) = router.rates.get(iface).copied().unwrap_or((0, 0));
    let fields: [(&str, String); 7] = [
        ("name", iface.to_owned()),
        ("rx-packets-per-second", (rx / 8 / 1000).to_string()),
        ("rx-bits-per-second", rx.to_string()),
        ("fp-rx-bits-per-second", "0".into()),
        ("tx-packets-per-second", (tx / 8 / 1000).to_string()),
        ("tx-bits-per-second", tx.to_string()),
        ("fp-tx-bits-per-second", "0".into()),
    ];
    let mut words = vec![b"!re".to_vec()];
    words.extend(fields.iter().map(|(k, v)| attr_word(k, v.as_bytes())));
    words
}
