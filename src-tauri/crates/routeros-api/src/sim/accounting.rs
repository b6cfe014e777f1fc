//! Sessions and counters: logins, logouts, traffic, time passing, reboots.

use std::time::Duration;

use super::script::{self, Value};
use super::state::{Item, Router, SimTrap};
use crate::parse::{format_date_time, format_duration};

const HS_USER: &str = "/ip/hotspot/user";
const HS_ACTIVE: &str = "/ip/hotspot/active";
const HS_PROFILE: &str = "/ip/hotspot/user/profile";
/// The interface the simulated hotspot server runs on (`$interface` in `on-login`).
const HOTSPOT_INTERFACE: &str = "bridge-hotspot";
const PPP_SECRET: &str = "/ppp/secret";
const PPP_ACTIVE: &str = "/ppp/active";
const IFACE: &str = "/interface";

fn text(v: u64) -> Vec<u8> {
    v.to_string().into_bytes()
}

fn bump(router: &mut Router, path: &'static str, pos: usize, deltas: &[(&'static str, u64)]) {
    let Some(table) = router.table_mut(path) else {
        return;
    };
    let schema = table.schema;
    let item = &mut table.items[pos];
    for (k, d) in deltas {
        let v = item.get_u64(k).saturating_add(*d);
        item.set(schema, k, text(v));
    }
}

/// Logs a hotspot user in (as the captive portal would) and runs the profile's `on-login`.
/// Refused, with the text of the hotspot's status page, when the user is unknown or the
/// `password` (if one is given; `None` logs in like `login-by=mac`) is wrong, the user is
/// disabled, has used up `limit-uptime` or a byte limit, or already has `shared-users`
/// sessions. Returns the session id.
pub(crate) fn hotspot_login(
    router: &mut Router,
    user: &str,
    password: Option<&str>,
    address: &str,
    mac: &str,
) -> Result<u32, SimTrap> {
    let refuse = |m: String| SimTrap::new(None, m);
    let users = router
        .table(HS_USER)
        .ok_or_else(|| refuse("no hotspot".into()))?;
    let pos = users
        .find_by("name", user.as_bytes())
        .ok_or_else(|| refuse("invalid username or password".into()))?;
    let u = users.items[pos].clone();
    if password.is_some_and(|p| p.as_bytes() != u.get("password").unwrap_or_default()) {
        return Err(refuse("invalid username or password".into()));
    }
    if u.get("disabled") == Some(b"true") {
        return Err(refuse("user is disabled".into()));
    }
    let limit = u.get_duration("limit-uptime");
    if !limit.is_zero() && u.get_duration("uptime") >= limit {
        return Err(refuse(format!("user {user} has reached uptime limit")));
    }
    let (bytes_in, bytes_out) = (u.get_u64("bytes-in"), u.get_u64("bytes-out"));
    let over = |key: &str, used: u64| {
        let l = u.get_u64(key);
        l > 0 && used >= l
    };
    if over("limit-bytes-total", bytes_in + bytes_out)
        || over("limit-bytes-in", bytes_in)
        || over("limit-bytes-out", bytes_out)
    {
        return Err(refuse(format!("user {user} has reached traffic limit")));
    }
    let profile = u
        .get("profile")
        .and_then(|p| {
            let t = router.table(HS_PROFILE)?;
            t.find_by("name", p).map(|i| t.items[i].clone())
        })
        .ok_or_else(|| refuse("configuration error (no such user profile)".into()))?;
    let shared = profile.get_u64("shared-users");
    let sessions = router.table(HS_ACTIVE).map_or(0, |t| {
        t.items
            .iter()
            .filter(|i| i.get("user") == Some(user.as_bytes()))
            .count()
    });
    if shared > 0 && sessions as u64 >= shared {
        return Err(refuse(format!(
            "no more sessions are allowed for user {user}"
        )));
    }
    let mut attrs = vec![
        ("server", b"hotspot1".to_vec()),
        ("user", user.as_bytes().to_vec()),
        ("address", address.as_bytes().to_vec()),
        ("mac-address", mac.as_bytes().to_vec()),
        ("login-by", b"http-chap".to_vec()),
    ];
    if !limit.is_zero() {
        let rest = limit.saturating_sub(u.get_duration("uptime"));
        attrs.push(("session-time-left", format_duration(rest).into_bytes()));
    }
    let id = insert_session(router, HS_ACTIVE, attrs);
    let source = profile.text("on-login").unwrap_or_default();
    let vars = [
        ("user", Value::Str(user.to_owned())),
        ("username", Value::Str(user.to_owned())),
        ("address", Value::Str(address.to_owned())),
        ("mac-address", Value::Str(mac.to_owned())),
        ("interface", Value::Str(HOTSPOT_INTERFACE.to_owned())),
    ];
    // As on RouterOS, a failing on-login script is logged and the user stays logged in.
    let origin = format!("hotspot on-login ({user})");
    let _ = script::run_logged(router, &source, &origin, &vars);
    Ok(id)
}

fn insert_session(
    router: &mut Router,
    path: &'static str,
    attrs: Vec<(&'static str, Vec<u8>)>,
) -> u32 {
    let Some(table) = router.table_mut(path) else {
        return 0;
    };
    let schema = table.schema;
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
    for (k, v) in attrs {
        item.set(schema, k, v);
    }
    let id = table.insert(item.clone());
    item.id = id;
    router.announce(path, id, Some(item));
    id
}

/// Logs out every hotspot session of `user`; returns how many ended.
pub(crate) fn hotspot_logout(router: &mut Router, user: &str) -> usize {
    end_sessions(router, HS_ACTIVE, "user", user)
}

/// Establishes a PPP session for a secret (as a PPPoE client dialling in). With a
/// `password`, a wrong one is refused as RouterOS logs it (`user <name> authentication
/// failed`); `None` skips the check (a test shortcut).
pub(crate) fn ppp_login(
    router: &mut Router,
    name: &str,
    password: Option<&str>,
    caller_id: &str,
    address: &str,
) -> Result<u32, SimTrap> {
    let secrets = router
        .table(PPP_SECRET)
        .ok_or_else(|| SimTrap::new(None, "no ppp"))?;
    let pos = secrets
        .find_by("name", name.as_bytes())
        .ok_or_else(|| SimTrap::new(None, "no such secret"))?;
    if secrets.items[pos].get("disabled") == Some(b"true") {
        return Err(SimTrap::new(None, "secret is disabled"));
    }
    if password
        .is_some_and(|p| p.as_bytes() != secrets.items[pos].get("password").unwrap_or_default())
    {
        return Err(SimTrap::new(
            None,
            format!("user {name} authentication failed"),
        ));
    }
    let service = match secrets.items[pos].get("service") {
        Some(b"any") | None => b"pppoe".to_vec(),
        Some(s) => s.to_vec(),
    };
    let session = router.next_session;
    router.next_session += 1;
    let id = insert_session(
        router,
        PPP_ACTIVE,
        vec![
            ("name", name.as_bytes().to_vec()),
            ("service", service),
            ("caller-id", caller_id.as_bytes().to_vec()),
            ("address", address.as_bytes().to_vec()),
            ("session-id", format!("0x{session:X}").into_bytes()),
        ],
    );
    insert_session(
        router,
        IFACE,
        vec![
            ("name", format!("<pppoe-{name}>").into_bytes()),
            ("type", b"pppoe-in".to_vec()),
            ("dynamic", b"true".to_vec()),
            ("mtu", b"1480".to_vec()),
            ("actual-mtu", b"1480".to_vec()),
        ],
    );
    Ok(id)
}

/// Ends every PPP session of `name`; returns how many ended.
pub(crate) fn ppp_logout(router: &mut Router, name: &str) -> usize {
    end_sessions(router, PPP_ACTIVE, "name", name)
}

fn end_sessions(router: &mut Router, path: &'static str, key: &str, value: &str) -> usize {
    let mut n = 0;
    while let Some(pos) = router
        .table(path)
        .and_then(|t| t.find_by(key, value.as_bytes()))
    {
        let Some(table) = router.table_mut(path) else {
            break;
        };
        let item = table.remove_at(pos);
        let id = item.id;
        router.announce(path, id, None);
        on_removed(router, path, item);
        n += 1;
    }
    n
}

/// Bookkeeping after a session item was removed (by `remove` or by the control API).
pub(crate) fn on_removed(router: &mut Router, path: &str, item: Item) {
    // Hotspot traffic and uptime are added to the user while the session runs, so a hotspot
    // logout only runs the profile's `on-logout`; a PPP hang-up updates the secret.
    if path == HS_ACTIVE {
        run_on_logout(router, &item);
        return;
    }
    if path != PPP_ACTIVE {
        return;
    }
    let name = item.get("name").unwrap_or_default().to_vec();
    let iface = format!("<pppoe-{}>", String::from_utf8_lossy(&name)).into_bytes();
    if let Some(pos) = router.table(IFACE).and_then(|t| t.find_by("name", &iface)) {
        if let Some(t) = router.table_mut(IFACE) {
            let gone = t.remove_at(pos);
            router.announce(IFACE, gone.id, None);
        }
    }
    let when = format_date_time(router.clock, router.version.iso_dates());
    if let Some(t) = router.table_mut(PPP_SECRET) {
        let schema = t.schema;
        if let Some(pos) = t.find_by("name", &name) {
            let s = &mut t.items[pos];
            s.set(schema, "last-logged-out", when.into_bytes());
            s.set(
                schema,
                "last-caller-id",
                item.get("caller-id").unwrap_or_default().to_vec(),
            );
            s.set(schema, "last-disconnect-reason", b"peer-request".to_vec());
        }
    }
}

/// Runs the user profile's `on-logout` for an ended hotspot session (same variables as
/// `on-login`; a failure is logged).
fn run_on_logout(router: &mut Router, session: &Item) {
    let user = session.text("user").unwrap_or_default();
    let source = router
        .table(HS_USER)
        .and_then(|t| {
            t.find_by("name", user.as_bytes())
                .map(|p| t.items[p].clone())
        })
        .and_then(|u| {
            let t = router.table(HS_PROFILE)?;
            let p = t.find_by("name", u.get("profile")?)?;
            t.items[p].text("on-logout")
        })
        .unwrap_or_default();
    let vars = [
        ("user", Value::Str(user.clone())),
        ("username", Value::Str(user.clone())),
        (
            "address",
            Value::Str(session.text("address").unwrap_or_default()),
        ),
        (
            "mac-address",
            Value::Str(session.text("mac-address").unwrap_or_default()),
        ),
        ("interface", Value::Str(HOTSPOT_INTERFACE.to_owned())),
    ];
    let origin = format!("hotspot on-logout ({user})");
    let _ = script::run_logged(router, &source, &origin, &vars);
}

/// Adds traffic to a hotspot user's session (and the user's totals). `bytes_in` is upload.
pub(crate) fn hotspot_traffic(
    router: &mut Router,
    user: &str,
    bytes_in: u64,
    bytes_out: u64,
) -> bool {
    let Some(pos) = router
        .table(HS_ACTIVE)
        .and_then(|t| t.find_by("user", user.as_bytes()))
    else {
        return false;
    };
    let pkts = |b: u64| b.div_ceil(1400);
    let deltas = [
        ("bytes-in", bytes_in),
        ("bytes-out", bytes_out),
        ("packets-in", pkts(bytes_in)),
        ("packets-out", pkts(bytes_out)),
    ];
    bump(router, HS_ACTIVE, pos, &deltas);
    if let Some(upos) = router
        .table(HS_USER)
        .and_then(|t| t.find_by("name", user.as_bytes()))
    {
        bump(router, HS_USER, upos, &deltas);
    }
    enforce_limits(router);
    true
}

/// Adds traffic to a PPP session's dynamic interface. `rx` is what the router received.
pub(crate) fn ppp_traffic(router: &mut Router, name: &str, rx: u64, tx: u64) -> bool {
    interface_traffic(router, &format!("<pppoe-{name}>"), rx, tx)
}

/// Adds traffic to any interface's counters (`/interface` `rx-byte`, `tx-byte`, packets).
pub(crate) fn interface_traffic(router: &mut Router, iface: &str, rx: u64, tx: u64) -> bool {
    let Some(pos) = router
        .table(IFACE)
        .and_then(|t| t.find_by("name", iface.as_bytes()))
    else {
        return false;
    };
    let deltas = [
        ("rx-byte", rx),
        ("tx-byte", tx),
        ("rx-packet", rx.div_ceil(1400)),
        ("tx-packet", tx.div_ceil(1400)),
    ];
    bump(router, IFACE, pos, &deltas);
    true
}

/// Time passes without any scheduler being due: uptimes grow and limits are enforced.
pub(crate) fn step(router: &mut Router, by: Duration) {
    router.uptime += by;
    router.clock += chrono::Duration::from_std(by).unwrap_or_default();
    for path in [HS_ACTIVE, PPP_ACTIVE] {
        let Some(t) = router.table_mut(path) else {
            continue;
        };
        let schema = t.schema;
        for item in &mut t.items {
            let up = item.get_duration("uptime") + by;
            item.set(schema, "uptime", format_duration(up).into_bytes());
            if item.get("session-time-left").is_some() {
                let left = item.get_duration("session-time-left").saturating_sub(by);
                item.set(
                    schema,
                    "session-time-left",
                    format_duration(left).into_bytes(),
                );
            }
        }
    }
    let users: Vec<Vec<u8>> = router
        .table(HS_ACTIVE)
        .map(|t| {
            t.items
                .iter()
                .filter_map(|i| i.get("user").map(<[u8]>::to_vec))
                .collect()
        })
        .unwrap_or_default();
    if let Some(t) = router.table_mut(HS_USER) {
        let schema = t.schema;
        for user in users {
            if let Some(pos) = t.find_by("name", &user) {
                let item = &mut t.items[pos];
                let up = item.get_duration("uptime") + by;
                item.set(schema, "uptime", format_duration(up).into_bytes());
            }
        }
    }
    enforce_limits(router);
}

/// Logs out hotspot users whose `limit-uptime` or `limit-bytes-total` is used up.
fn enforce_limits(router: &mut Router) {
    let Some(users) = router.table(HS_USER) else {
        return;
    };
    let over: Vec<String> = users
        .items
        .iter()
        .filter(|u| {
            let limit = u.get_duration("limit-uptime");
            let by_time = !limit.is_zero() && u.get_duration("uptime") >= limit;
            let total = u.get_u64("limit-bytes-total");
            let by_bytes = total > 0 && u.get_u64("bytes-in") + u.get_u64("bytes-out") >= total;
            by_time || by_bytes
        })
        .filter_map(|u| {
            u.get("name")
                .map(|n| String::from_utf8_lossy(n).into_owned())
        })
        .collect();
    for user in over {
        hotspot_logout(router, &user);
    }
}

/// `/ip/hotspot/user/reset-counters`.
pub(crate) fn reset_counters(router: &mut Router, ids: &[u8]) -> Result<(), SimTrap> {
    let targets = router.resolve(HS_USER, ids)?;
    let Some(t) = router.table_mut(HS_USER) else {
        return Ok(());
    };
    let schema = t.schema;
    for id in targets {
        if let Some(pos) = t.position(id) {
            let item = &mut t.items[pos];
            item.set(schema, "uptime", b"0s".to_vec());
            for k in ["bytes-in", "bytes-out", "packets-in", "packets-out"] {
                item.set(schema, k, b"0".to_vec());
            }
        }
    }
    Ok(())
}

/// The router goes down: sessions and dynamic interfaces vanish.
pub(crate) fn shut_down(router: &mut Router) {
    for path in [HS_ACTIVE, PPP_ACTIVE] {
        if let Some(t) = router.table_mut(path) {
            t.items.clear();
        }
    }
    if let Some(t) = router.table_mut(IFACE) {
        let dynamic: Vec<usize> = t
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.get("dynamic") == Some(b"true"))
            .map(|(p, _)| p)
            .collect();
        for p in dynamic.into_iter().rev() {
            t.remove_at(p);
        }
    }
}

/// `remove` of resolved ids, with the bookkeeping a removed session needs.
pub(crate) fn remove_items(router: &mut Router, path: &str, ids: &[u32]) -> Result<(), SimTrap> {
    for item in router.remove_ids(path, ids)? {
        on_removed(router, path, item);
    }
    Ok(())
}
