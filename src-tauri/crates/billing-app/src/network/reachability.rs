//! Router reachability: a TCP connection to the router's API port, probed in the background
//! and cached for a few seconds, so the health page and the metrics never wait for a router
//! that does not answer.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::io::AsyncReadExt;
use uuid::Uuid;

/// A probe result is reused this long; older ones are refreshed in the background.
const FRESH: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_millis(1500);
/// A RouterOS API port says nothing until spoken to; one that closes the connection within
/// this time does not serve us.
const CLOSE_WAIT: Duration = Duration::from_millis(150);

#[derive(Debug, Clone)]
pub(crate) struct Probe {
    pub target: String,
    pub at: Instant,
    pub checked_at: DateTime<Utc>,
    /// Connect time in ms, or why it failed.
    pub result: Result<u64, String>,
}

#[derive(Debug, Default)]
pub struct RouterReachability {
    entries: Mutex<HashMap<Uuid, Probe>>,
    in_flight: Mutex<HashSet<Uuid>>,
}

impl RouterReachability {
    pub(crate) fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }

    /// The last connect time of every probed router (`None` when it did not answer).
    pub(crate) fn round_trips(&self) -> Vec<(Uuid, Option<u64>)> {
        self.entries
            .lock()
            .map(|e| {
                e.iter()
                    .map(|(id, p)| (*id, p.result.clone().ok()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The cached probe of `id` at `target` (None if never probed or the address changed);
    /// starts a background probe when there is none or it is stale.
    pub(crate) fn get(
        self: &Arc<Self>,
        id: Uuid,
        target: &str,
        now: DateTime<Utc>,
    ) -> Option<Probe> {
        let cached = self
            .entries
            .lock()
            .ok()
            .and_then(|e| e.get(&id).cloned())
            .filter(|p| p.target == target);
        let fresh = cached.as_ref().is_some_and(|p| p.at.elapsed() < FRESH);
        if !fresh {
            let start = self
                .in_flight
                .lock()
                .map(|mut f| f.insert(id))
                .unwrap_or(false);
            if start {
                let me = self.clone();
                let target = target.to_owned();
                tokio::spawn(async move {
                    let result = probe(&target).await;
                    let entry = Probe {
                        target,
                        at: Instant::now(),
                        checked_at: now,
                        result,
                    };
                    if let Ok(mut e) = me.entries.lock() {
                        e.insert(id, entry);
                    }
                    if let Ok(mut f) = me.in_flight.lock() {
                        f.remove(&id);
                    }
                });
            }
        }
        cached
    }
}

async fn probe(target: &str) -> Result<u64, String> {
    let started = Instant::now();
    let mut stream =
        match tokio::time::timeout(CONNECT_TIMEOUT, tokio::net::TcpStream::connect(target)).await {
            Err(_) => {
                return Err(format!(
                    "no answer within {} s",
                    CONNECT_TIMEOUT.as_secs_f32()
                ))
            }
            Ok(Err(e)) => return Err(describe(&e)),
            Ok(Ok(s)) => s,
        };
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let mut buf = [0u8; 1];
    match tokio::time::timeout(CLOSE_WAIT, stream.read(&mut buf)).await {
        Ok(Ok(0)) => Err(
            "the router accepted the connection and closed it at once (is the API service \
             enabled and allowed from this PC?)"
                .into(),
        ),
        Ok(Err(e)) => Err(describe(&e)),
        _ => Ok(ms),
    }
}

fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused (router off, or the API port closed)".into()
        }
        std::io::ErrorKind::ConnectionReset => "the router reset the connection".into(),
        _ => e.to_string(),
    }
}
