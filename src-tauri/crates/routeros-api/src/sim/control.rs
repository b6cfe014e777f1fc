//! Driving the simulated router from outside over the API, as clients and time would:
//! `/ip/hotspot/active/login` (exists on real routers) and the simulator-only `/sim/…`
//! commands (a real router answers them with `no such command prefix`).
//!
//! | command | arguments |
//! |---|---|
//! | `/ip/hotspot/active/login` | `user`, `password`, `ip`, `mac-address` |
//! | `/sim/hotspot/traffic` | `user`, `bytes-in`, `bytes-out` |
//! | `/sim/ppp/connect` | `name`, `password`, `caller-id`, `address` |
//! | `/sim/ppp/disconnect` | `name` |
//! | `/sim/ppp/traffic` | `name`, `rx`, `tx` |
//! | `/sim/clock/advance` | `by` (`90s`, `1d`, `2w3d`) |
//! | `/sim/clock/set` | `date` (either format), `time` (a jump: NTP or a manual change) |
//! | `/sim/reboot` | `rtc` (`yes`/`no`, default `no`), `off-for` (default `0s`) |
//!
//! `/sim/reboot` answers `!done`, then every API connection is cut, as on a real reboot.

use std::time::Duration;

use super::accounting;
use super::exec::{Request, Words};
use super::scheduler;
use super::state::{id_text, Router, SimTrap};
use crate::parse::{parse_date, parse_duration, parse_time_of_day};

/// What a control command asks of the session besides its reply.
pub(crate) enum After {
    Nothing,
    /// The router rebooted: cut every connection once the reply is out.
    CutConnections,
}

fn text(req: &Request, key: &str) -> Option<String> {
    req.attr(key)
        .map(|v| String::from_utf8_lossy(v).into_owned())
}

fn required(req: &Request, key: &str) -> Result<String, SimTrap> {
    text(req, key)
        .ok_or_else(|| SimTrap::new(Some(1), format!("missing value(s) of argument(s) {key}")))
}

fn number(req: &Request, key: &str) -> Result<u64, SimTrap> {
    match text(req, key) {
        None => Ok(0),
        Some(v) => v
            .parse()
            .map_err(|_| SimTrap::new(Some(1), format!("invalid value for argument {key}"))),
    }
}

fn duration(req: &Request, key: &str) -> Result<Duration, SimTrap> {
    match text(req, key) {
        None => Ok(Duration::ZERO),
        Some(v) => parse_duration(&v)
            .map_err(|_| SimTrap::new(Some(1), format!("invalid value for argument {key}"))),
    }
}

fn done() -> Words {
    vec![b"!done".to_vec()]
}

fn done_ret(ret: &str) -> Words {
    vec![b"!done".to_vec(), format!("=ret={ret}").into_bytes()]
}

/// Whether this command is one of ours.
pub(crate) fn handles(command: &str) -> bool {
    command == "/ip/hotspot/active/login" || command.starts_with("/sim/")
}

/// Runs a control command.
pub(crate) fn execute(router: &mut Router, req: &Request) -> Result<(Vec<Words>, After), SimTrap> {
    let reply = |w: Words| Ok((vec![w], After::Nothing));
    match req.command.as_str() {
        "/ip/hotspot/active/login" => {
            let user = required(req, "user")?;
            let password = text(req, "password").unwrap_or_default();
            let ip = text(req, "ip").unwrap_or_else(|| "0.0.0.0".into());
            let mac = text(req, "mac-address").unwrap_or_else(|| "00:00:00:00:00:00".into());
            let id = accounting::hotspot_login(router, &user, Some(&password), &ip, &mac)?;
            reply(done_ret(&id_text(id)))
        }
        "/sim/hotspot/traffic" => {
            let user = required(req, "user")?;
            let (up, down) = (number(req, "bytes-in")?, number(req, "bytes-out")?);
            if !accounting::hotspot_traffic(router, &user, up, down) {
                return Err(SimTrap::new(None, format!("user {user} is not logged in")));
            }
            reply(done())
        }
        "/sim/ppp/connect" => {
            let name = required(req, "name")?;
            let password = text(req, "password").unwrap_or_default();
            let caller = text(req, "caller-id").unwrap_or_else(|| "00:00:00:00:00:00".into());
            let address = text(req, "address").unwrap_or_else(|| "0.0.0.0".into());
            let id = accounting::ppp_login(router, &name, Some(&password), &caller, &address)?;
            reply(done_ret(&id_text(id)))
        }
        "/sim/ppp/disconnect" => {
            let name = required(req, "name")?;
            let n = accounting::ppp_logout(router, &name);
            reply(done_ret(&n.to_string()))
        }
        "/sim/ppp/traffic" => {
            let name = required(req, "name")?;
            let (rx, tx) = (number(req, "rx")?, number(req, "tx")?);
            if !accounting::ppp_traffic(router, &name, rx, tx) {
                return Err(SimTrap::new(None, format!("{name} is not connected")));
            }
            reply(done())
        }
        "/sim/clock/advance" => {
            scheduler::advance(router, duration(req, "by")?);
            reply(done())
        }
        "/sim/clock/set" => {
            let invalid =
                |k: &str| SimTrap::new(Some(1), format!("invalid value for argument {k}"));
            let date = match text(req, "date") {
                Some(d) => parse_date(&d).map_err(|_| invalid("date"))?,
                None => router.clock.date(),
            };
            let time = match text(req, "time") {
                Some(t) => parse_time_of_day(&t).map_err(|_| invalid("time"))?,
                None => router.clock.time(),
            };
            scheduler::jump(router, date.and_time(time));
            reply(done())
        }
        "/sim/reboot" => {
            let rtc = match text(req, "rtc").as_deref() {
                None | Some("no" | "false") => false,
                Some("yes" | "true") => true,
                Some(_) => return Err(SimTrap::new(Some(1), "value of rtc must be yes or no")),
            };
            scheduler::restart(router, duration(req, "off-for")?, rtc);
            Ok((vec![done()], After::CutConnections))
        }
        _ => Err(SimTrap::new(Some(0), "no such command")),
    }
}
