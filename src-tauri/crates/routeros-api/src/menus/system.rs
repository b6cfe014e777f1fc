//! `/system/resource`, `/system/identity`, `/system/clock` and `/system/scheduler`.

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::{add, dur, exec, id_of, req, ItemId};
use crate::client::Client;
use crate::command::Command;
use crate::error::Error;
use crate::parse::{format_date, format_duration, parse_date, parse_moment, parse_time_of_day};
use crate::row::Row;

const CLOCK: &str = "/system/clock";
const SCHEDULER: &str = "/system/scheduler";

/// `/system/resource/print`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemResource {
    pub uptime: Duration,
    pub version: String,
    pub board_name: Option<String>,
    pub architecture_name: Option<String>,
    pub cpu_load: u64,
    pub free_memory: u64,
    pub total_memory: u64,
    pub free_hdd_space: u64,
    pub total_hdd_space: u64,
}

impl SystemResource {
    /// Parses the single row.
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        Ok(Self {
            uptime: dur(row, "uptime").unwrap_or_default(),
            version: req(row, "/system/resource", "version")?,
            board_name: row.get_string("board-name"),
            architecture_name: row.get_string("architecture-name"),
            cpu_load: row.get_u64("cpu-load").unwrap_or(0),
            free_memory: row.get_u64("free-memory").unwrap_or(0),
            total_memory: row.get_u64("total-memory").unwrap_or(0),
            free_hdd_space: row.get_u64("free-hdd-space").unwrap_or(0),
            total_hdd_space: row.get_u64("total-hdd-space").unwrap_or(0),
        })
    }

    /// The major and minor version (`7.18.2 (stable)` gives `(7, 18)`).
    pub fn version_numbers(&self) -> Option<(u32, u32)> {
        let v = self.version.split_whitespace().next()?;
        let mut it = v.split('.');
        let major = it.next()?.parse().ok()?;
        let minor: String = it
            .next()
            .unwrap_or("0")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Some((major, minor.parse().unwrap_or(0)))
    }
}

impl Client {
    /// `/system/resource/print`.
    pub async fn system_resource(&self) -> Result<SystemResource, Error> {
        let rows = self.run("/system/resource/print").await?;
        let row = rows
            .first()
            .ok_or_else(|| super::missing("/system/resource", "row"))?;
        SystemResource::from_row(row)
    }

    /// `/system/identity/print`: the router's name.
    pub async fn identity(&self) -> Result<String, Error> {
        let rows = self.run("/system/identity/print").await?;
        rows.first()
            .and_then(|r| r.get_string("name"))
            .ok_or_else(|| super::missing("/system/identity", "name"))
    }

    /// `/system/identity/set`.
    pub async fn set_identity(&self, name: &str) -> Result<(), Error> {
        exec(
            self,
            Command::new("/system/identity/set").attr("name", name),
        )
        .await
    }
}

/// `/system/clock/print`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemClock {
    /// The router's local date and time.
    pub now: NaiveDateTime,
    pub time_zone_name: Option<String>,
    /// The router writes dates as `2026-11-28` (7.10 and later) rather than `nov/28/2026`.
    pub iso_dates: bool,
}

impl SystemClock {
    /// Parses the single row (either date format).
    pub fn from_row(row: &Row) -> Result<Self, Error> {
        let date = req(row, CLOCK, "date")?;
        let time = req(row, CLOCK, "time")?;
        let bad = |e: crate::parse::ParseError| Error::protocol(format!("{CLOCK}: {e}"));
        let now = parse_date(&date)
            .map_err(bad)?
            .and_time(parse_time_of_day(&time).map_err(bad)?);
        Ok(Self {
            now,
            time_zone_name: row.get_string("time-zone-name"),
            iso_dates: !date.contains('/'),
        })
    }
}

/// A `/system/scheduler` item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduler {
    pub id: ItemId,
    pub name: String,
    pub start_date: Option<NaiveDate>,
    /// `None` for `start-time=startup` (see `at_startup`).
    pub start_time: Option<NaiveTime>,
    /// `start-time=startup`: runs at boot (interval 0) or every interval from boot.
    pub at_startup: bool,
    pub interval: Duration,
    /// When it runs next (none for a one-shot in the past, a boot-only or a disabled item).
    pub next_run: Option<NaiveDateTime>,
    /// `next-run` as the router wrote it.
    pub next_run_raw: Option<String>,
    pub run_count: u64,
    pub on_event: String,
    pub policy: Option<String>,
    pub owner: Option<String>,
    pub comment: Option<String>,
    pub disabled: bool,
}

impl Scheduler {
    /// Parses a `print` row. `now` is the router's clock, which shortened `next-run` values
    /// (`jan/02 00:00:00`, `10:00:00`) are relative to.
    pub fn from_row(row: &Row, now: NaiveDateTime) -> Result<Self, Error> {
        let start_time = row.get_string("start-time");
        let next_run_raw = row.get_string("next-run").filter(|s| !s.is_empty());
        Ok(Self {
            id: id_of(row, SCHEDULER)?,
            name: req(row, SCHEDULER, "name")?,
            start_date: row.get("start-date").and_then(|d| parse_date(&d).ok()),
            start_time: start_time
                .as_deref()
                .and_then(|t| parse_time_of_day(t).ok()),
            at_startup: start_time.as_deref() == Some("startup"),
            interval: dur(row, "interval").unwrap_or_default(),
            next_run: next_run_raw
                .as_deref()
                .and_then(|n| parse_moment(n, now).ok()),
            next_run_raw,
            run_count: row.get_u64("run-count").unwrap_or(0),
            on_event: row.get_string("on-event").unwrap_or_default(),
            policy: row.get_string("policy"),
            owner: row.get_string("owner"),
            comment: row.get_string("comment"),
            disabled: row.get_bool("disabled").unwrap_or(false),
        })
    }
}

/// When a new scheduler item starts counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SchedulerStart {
    /// The router's current date and time (its defaults): the first run is one interval
    /// from now.
    #[default]
    Now,
    /// A moment in the router's local time; the first run is then, if it is ahead.
    At(NaiveDateTime),
    /// `start-time=startup`.
    Startup,
}

/// Fields for `/system/scheduler/add`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewScheduler {
    pub name: String,
    pub start: SchedulerStart,
    /// Zero runs once.
    pub interval: Duration,
    /// The script source (or the name of a `/system/script`).
    pub on_event: String,
    /// e.g. `read,write,test`; the router's default is every policy.
    pub policy: Option<String>,
    pub comment: Option<String>,
    pub disabled: bool,
}

impl NewScheduler {
    /// The `add` command; `iso_dates` selects the router's date format for a start date.
    pub fn to_command(&self, iso_dates: bool) -> Command {
        let (date, time) = start_words(self.start, iso_dates);
        Command::new(format!("{SCHEDULER}/add"))
            .attr("name", &self.name)
            .attr_opt("start-date", date)
            .attr_opt("start-time", time)
            .attr("interval", format_duration(self.interval))
            .attr("on-event", &self.on_event)
            .attr_opt("policy", self.policy.as_deref())
            .attr_opt("comment", self.comment.as_deref())
            .attr_opt("disabled", self.disabled.then_some("yes"))
    }
}

/// The `start-date`/`start-time` words of a start.
fn start_words(start: SchedulerStart, iso_dates: bool) -> (Option<String>, Option<String>) {
    match start {
        SchedulerStart::Now => (None, None),
        SchedulerStart::At(at) => (
            Some(format_date(at.date(), iso_dates)),
            Some(at.time().format("%H:%M:%S").to_string()),
        ),
        SchedulerStart::Startup => (None, Some("startup".to_owned())),
    }
}

/// Changes for `/system/scheduler/set`; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchedulerUpdate {
    /// [`SchedulerStart::Now`] leaves the start as it is.
    pub start: Option<SchedulerStart>,
    pub interval: Option<Duration>,
    pub on_event: Option<String>,
    pub policy: Option<String>,
    pub comment: Option<String>,
    pub disabled: Option<bool>,
}

impl SchedulerUpdate {
    /// The `set` command for the item `id`; `iso_dates` selects the router's date format for
    /// a start date.
    pub fn to_command(&self, id: &ItemId, iso_dates: bool) -> Command {
        let (date, time) = self
            .start
            .map_or((None, None), |s| start_words(s, iso_dates));
        Command::new(format!("{SCHEDULER}/set"))
            .id(id.as_str())
            .attr_opt("start-date", date)
            .attr_opt("start-time", time)
            .attr_opt("interval", self.interval.map(format_duration))
            .attr_opt("on-event", self.on_event.as_deref())
            .attr_opt("policy", self.policy.as_deref())
            .attr_opt("comment", self.comment.as_deref())
            .attr_opt("disabled", self.disabled.map(super::ppp::yes_no))
    }
}

/// The properties [`Schedulers::list_timings`] reads.
const TIMING_PROPS: [&str; 8] = [
    ".id",
    "name",
    "start-date",
    "start-time",
    "interval",
    "next-run",
    "run-count",
    "disabled",
];

/// Accessor for `/system/scheduler`.
#[derive(Debug, Clone, Copy)]
pub struct Schedulers<'a>(&'a Client);

impl Schedulers<'_> {
    /// All items (reads the clock alongside, to place shortened `next-run` values).
    pub async fn list(&self) -> Result<Vec<Scheduler>, Error> {
        let (clock, rows) = futures::try_join!(
            self.0.system_clock(),
            self.0.run(Command::new(format!("{SCHEDULER}/print")))
        )?;
        rows.iter()
            .map(|r| Scheduler::from_row(r, clock.now))
            .collect()
    }

    /// Every item's name and timing, with the router clock they were read against: for
    /// routers with thousands of items, the scripts are not read (`on_event`, `policy`,
    /// `owner` and `comment` are left empty).
    pub async fn list_timings(&self) -> Result<(SystemClock, Vec<Scheduler>), Error> {
        let cmd = Command::new(format!("{SCHEDULER}/print")).proplist(TIMING_PROPS);
        let (clock, rows) = futures::try_join!(self.0.system_clock(), self.0.run(cmd))?;
        let items = rows
            .iter()
            .map(|r| Scheduler::from_row(r, clock.now))
            .collect::<Result<_, _>>()?;
        Ok((clock, items))
    }

    /// The item with this name, if any.
    pub async fn get_by_name(&self, name: &str) -> Result<Option<Scheduler>, Error> {
        let cmd = Command::new(format!("{SCHEDULER}/print")).query_eq("name", name);
        let (clock, rows) = futures::try_join!(self.0.system_clock(), self.0.run(cmd))?;
        rows.first()
            .map(|r| Scheduler::from_row(r, clock.now))
            .transpose()
    }

    /// Adds an item; fails with [`crate::TrapKind::AlreadyExists`] if the name is taken. A
    /// start date is written in the router's own format (one clock read to learn it).
    pub async fn add(&self, s: &NewScheduler) -> Result<ItemId, Error> {
        let iso = match s.start {
            SchedulerStart::At(_) => self.0.system_clock().await?.iso_dates,
            _ => true,
        };
        add(self.0, s.to_command(iso)).await
    }

    /// Changes some fields of an item (one clock read first when a start date is written,
    /// to learn the router's date format).
    pub async fn update(&self, id: &ItemId, u: &SchedulerUpdate) -> Result<(), Error> {
        let iso = match u.start {
            Some(SchedulerStart::At(_)) => self.0.system_clock().await?.iso_dates,
            _ => true,
        };
        exec(self.0, u.to_command(id, iso)).await
    }

    /// Removes an item.
    pub async fn remove(&self, id: &ItemId) -> Result<(), Error> {
        super::remove(self.0, SCHEDULER, id).await
    }
}

impl Client {
    /// `/system/clock/print`.
    pub async fn system_clock(&self) -> Result<SystemClock, Error> {
        let rows = self.run(Command::new(format!("{CLOCK}/print"))).await?;
        let row = rows.first().ok_or_else(|| super::missing(CLOCK, "row"))?;
        SystemClock::from_row(row)
    }

    /// The router's local date and time.
    pub async fn clock(&self) -> Result<NaiveDateTime, Error> {
        Ok(self.system_clock().await?.now)
    }

    /// `/system/scheduler`.
    pub fn scheduler(&self) -> Schedulers<'_> {
        Schedulers(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        crate::parse::parse_date_time(s).expect("date-time")
    }

    #[test]
    fn scheduler_rows_parse_in_both_date_formats() {
        let now = at("2026-11-28 10:00:00");
        for (date, next) in [
            ("nov/28/2026", "nov/29/2026 10:00:00"),
            ("2026-11-28", "2026-11-29 10:00:00"),
            ("nov/28/2026", "nov/29 10:00:00"),
        ] {
            let row = Row::from_pairs([
                (".id", "*3"),
                ("name", "mbx-v1"),
                ("start-date", date),
                ("start-time", "10:00:00"),
                ("interval", "1d"),
                ("on-event", "/ip hotspot user remove [find name=\"v1\"]"),
                ("run-count", "2"),
                ("next-run", next),
                ("disabled", "false"),
            ]);
            let s = Scheduler::from_row(&row, now).expect("row");
            assert_eq!(
                s.start_date.map(|d| d.to_string()).as_deref(),
                Some("2026-11-28")
            );
            assert_eq!(
                s.start_time.map(|t| t.to_string()).as_deref(),
                Some("10:00:00")
            );
            assert_eq!(s.next_run, Some(at("2026-11-29 10:00:00")), "{next}");
            assert_eq!((s.interval, s.run_count), (Duration::from_secs(86_400), 2));
            assert!(!s.at_startup && !s.disabled);
        }
        let row = Row::from_pairs([(".id", "*4"), ("name", "boot"), ("start-time", "startup")]);
        let s = Scheduler::from_row(&row, now).expect("row");
        assert!(s.at_startup && s.start_time.is_none() && s.next_run.is_none());
    }

    #[test]
    fn new_scheduler_writes_the_router_date_format() {
        let s = NewScheduler {
            name: "x".into(),
            start: SchedulerStart::At(at("2026-11-28 23:00:00")),
            interval: Duration::from_secs(3 * 3600),
            on_event: ":log info x".into(),
            ..Default::default()
        };
        let words = |iso| {
            s.to_command(iso)
                .to_words(crate::Encoding::Utf8)
                .expect("words")
                .iter()
                .map(|w| String::from_utf8_lossy(w).into_owned())
                .collect::<Vec<_>>()
        };
        assert!(words(false).contains(&"=start-date=nov/28/2026".to_owned()));
        assert!(words(true).contains(&"=start-date=2026-11-28".to_owned()));
        assert!(words(true).contains(&"=start-time=23:00:00".to_owned()));
        assert!(words(true).contains(&"=interval=3h".to_owned()));
    }

    #[test]
    fn version_numbers_are_extracted() {
        let row = Row::from_pairs([("version", "7.18.2 (stable)"), ("uptime", "2d20h12m20s")]);
        let r = SystemResource::from_row(&row).expect("row");
        assert_eq!(r.version_numbers(), Some((7, 18)));
        assert_eq!(
            r.uptime,
            Duration::from_secs(2 * 86_400 + 20 * 3600 + 12 * 60 + 20)
        );
        let row = Row::from_pairs([("version", "7.1beta4 (development)")]);
        assert_eq!(
            SystemResource::from_row(&row)
                .expect("row")
                .version_numbers(),
            Some((7, 1))
        );
    }
}
