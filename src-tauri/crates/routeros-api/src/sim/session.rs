//! One API session: login, command dispatch, latency, interleaving, listen and cancel.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use md5::{Digest, Md5};
use rand::Rng;
use tokio::io::{AsyncWriteExt, WriteHalf};
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::codec::FramedRead;
use tokio_util::sync::CancellationToken;

use super::exec::{self, Outcome, Request, Words};
use super::server::{lock, Shared};
use super::state::SimTrap;
use super::SimGroup;
use crate::codec::SentenceCodec;
use crate::connection::BoxStream;
use crate::proto::sentence::encode_words;

/// Sentences to write once `due` has come.
struct Out {
    due: Instant,
    sentences: Vec<Bytes>,
    close: bool,
}

fn encode(words: &Words, tag: Option<&[u8]>) -> Bytes {
    let mut buf = BytesMut::with_capacity(words.iter().map(|w| w.len() + 2).sum::<usize>() + 16);
    match tag {
        Some(t) => {
            let mut tw = b".tag=".to_vec();
            tw.extend_from_slice(t);
            encode_words(
                words.iter().map(Vec::as_slice).chain([tw.as_slice()]),
                &mut buf,
            );
        }
        None => encode_words(words, &mut buf),
    }
    buf.freeze()
}

struct Running {
    token: CancellationToken,
    task: JoinHandle<()>,
}

struct Session {
    shared: Arc<Shared>,
    out: mpsc::UnboundedSender<Out>,
    /// `Some(read_only)` once logged in.
    login: Option<bool>,
    challenge: Option<[u8; 16]>,
    running: HashMap<Option<Vec<u8>>, Running>,
    /// Replies held back for deliberate interleaving.
    held: Vec<(Instant, Vec<Bytes>)>,
    held_since: Option<Instant>,
    /// Cut every connection once this one's replies are out (`/sim/reboot`).
    cut_after: bool,
    /// With a cost model: when the router is done with this connection's previous command.
    busy_until: Instant,
}

pub(crate) async fn serve(stream: BoxStream, shared: Arc<Shared>, token: CancellationToken) {
    let (rd, wr) = tokio::io::split(stream);
    let (tx, rx) = mpsc::unbounded_channel();
    let conn_token = token.child_token();
    let writer = tokio::spawn(write_loop(wr, rx, shared.clone(), conn_token.clone()));
    let mut framed = FramedRead::new(rd, SentenceCodec::default());
    let mut s = Session {
        shared,
        out: tx,
        login: None,
        challenge: None,
        running: HashMap::new(),
        held: Vec::new(),
        held_since: None,
        cut_after: false,
        busy_until: Instant::now(),
    };
    loop {
        let flush_at = s.held_since.map(|t| t + Duration::from_millis(100));
        let next = tokio::select! {
            _ = conn_token.cancelled() => break,
            _ = sleep_until_opt(flush_at) => { s.flush_held(); continue; }
            n = framed.next() => n,
        };
        let Some(Ok(sentence)) = next else { break };
        let arrived = Instant::now();
        let req = Request::parse(&sentence);
        if !s.handle(req, arrived).await {
            break;
        }
    }
    for (_, r) in s.running.drain() {
        r.token.cancel();
        r.task.abort();
    }
    let (cut, shared) = (s.cut_after, s.shared.clone());
    drop(s);
    let _ = writer.await;
    if cut {
        let mut gen = lock(&shared.generation);
        gen.cancel();
        *gen = CancellationToken::new();
    }
}

async fn sleep_until_opt(at: Option<Instant>) {
    match at {
        Some(t) => tokio::time::sleep_until(t).await,
        None => std::future::pending().await,
    }
}

impl Session {
    fn send(&self, due: Instant, sentences: Vec<Bytes>, close: bool) {
        let _ = self.out.send(Out {
            due,
            sentences,
            close,
        });
    }

    fn reply(&mut self, arrived: Instant, tag: Option<&[u8]>, replies: &[Words]) {
        let due = arrived + self.shared.faults().latency;
        let sentences: Vec<Bytes> = replies.iter().map(|w| encode(w, tag)).collect();
        match self.shared.faults().interleave {
            Some(n) if n > 1 => {
                self.held.push((due, sentences));
                self.held_since.get_or_insert_with(Instant::now);
                if self.held.len() >= n {
                    self.flush_held();
                }
            }
            _ => self.send(due, sentences, false),
        }
    }

    /// Sends held replies round-robin, newest command first, one sentence at a time.
    fn flush_held(&mut self) {
        self.held_since = None;
        let mut held: Vec<_> = std::mem::take(&mut self.held).into_iter().rev().collect();
        let due = held
            .iter()
            .map(|(d, _)| *d)
            .max()
            .unwrap_or_else(Instant::now);
        let mut merged = Vec::new();
        let mut idx = 0;
        while held.iter().any(|(_, s)| idx < s.len()) {
            for (_, s) in &mut held {
                if let Some(x) = s.get(idx) {
                    merged.push(x.clone());
                }
            }
            idx += 1;
        }
        self.send(due, merged, false);
    }

    /// Handles one request; false ends the session.
    async fn handle(&mut self, req: Request, arrived: Instant) -> bool {
        let tag = req.tag.clone();
        if req.command == "/login" {
            let replies = self.login(&req).await;
            self.reply(arrived, tag.as_deref(), &replies);
            return true;
        }
        let Some(read_only) = self.login else {
            let t = SimTrap::new(None, "not logged in");
            self.reply(arrived, tag.as_deref(), &exec::trap_words(&t));
            return true;
        };
        if !matches!(req.command.as_str(), "/cancel" | "/quit") && self.random_trap() {
            let t = SimTrap::new(None, "failure: simulated random fault");
            self.reply(arrived, tag.as_deref(), &exec::trap_words(&t));
            return true;
        }
        let cost = self.shared.faults().cost;
        let (outcome, table_rows) = {
            let mut router = lock(&self.shared.router);
            let table_rows = match (cost, req.command.rsplit_once('/')) {
                (Some(_), Some((menu, _))) => router.table(menu).map_or(0, |t| t.items.len()),
                _ => 0,
            };
            (exec::execute(&mut router, &req, read_only), table_rows)
        };
        // The router works through one connection's commands in order: this one starts when
        // it has arrived and the previous one is done, and answers when its work is done.
        let arrived = match (cost, &outcome) {
            (Some(model), Outcome::Replies(r)) => {
                let printed = r
                    .iter()
                    .filter(|w| w.first().is_some_and(|x| x == b"!re"))
                    .count();
                let start = arrived.max(self.busy_until);
                self.busy_until = start + model.service(&req.command, table_rows, printed);
                self.busy_until
            }
            _ => arrived,
        };
        match outcome {
            Outcome::Replies(r) => self.reply(arrived, tag.as_deref(), &r),
            Outcome::RepliesThenCut(r) => {
                let sentences = r.iter().map(|w| encode(w, tag.as_deref())).collect();
                self.send(arrived + self.shared.faults().latency, sentences, true);
                self.cut_after = true;
                return false;
            }
            Outcome::Quit => {
                let words = vec![
                    b"!fatal".to_vec(),
                    b"session terminated on request".to_vec(),
                ];
                self.send(
                    arrived + self.shared.faults().latency,
                    vec![encode(&words, None)],
                    true,
                );
                return false;
            }
            Outcome::Cancel { target } => self.cancel(target, tag, arrived).await,
            Outcome::Listen {
                menu,
                proplist,
                queries,
            } => {
                let rx = lock(&self.shared.router).changes.subscribe();
                let fut = listen(
                    rx,
                    menu,
                    proplist,
                    queries,
                    tag.clone(),
                    self.out.clone(),
                    self.shared.clone(),
                );
                self.spawn_running(tag, fut);
            }
            Outcome::Monitor { interface } => {
                let fut = monitor(
                    interface,
                    tag.clone(),
                    self.out.clone(),
                    self.shared.clone(),
                );
                self.spawn_running(tag, fut);
            }
        }
        true
    }

    fn spawn_running<F>(&mut self, tag: Option<Vec<u8>>, fut: F)
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let token = CancellationToken::new();
        let t2 = token.clone();
        let task = tokio::spawn(async move {
            tokio::select! {
                _ = t2.cancelled() => {}
                _ = fut => {}
            }
        });
        if let Some(old) = self.running.insert(tag, Running { token, task }) {
            old.token.cancel();
        }
    }

    fn random_trap(&self) -> bool {
        let rate = self.shared.faults().random_trap_rate;
        rate > 0.0 && lock(&self.shared.rng).gen_bool(rate.clamp(0.0, 1.0))
    }

    async fn cancel(&mut self, target: Option<Vec<u8>>, tag: Option<Vec<u8>>, arrived: Instant) {
        let keys: Vec<Option<Vec<u8>>> = match &target {
            Some(t) => vec![Some(t.clone())],
            None => self.running.keys().cloned().collect(),
        };
        let mut stopped = Vec::new();
        for key in keys {
            if let Some(r) = self.running.remove(&key) {
                r.token.cancel();
                let _ = r.task.await;
                stopped.push(key);
            }
        }
        let due = arrived + self.shared.faults().latency;
        let interrupted = SimTrap::new(Some(2), "interrupted");
        let mut out = Vec::new();
        for key in &stopped {
            out.push(encode(&exec::trap_words(&interrupted)[0], key.as_deref()));
        }
        out.push(encode(&vec![b"!done".to_vec()], tag.as_deref()));
        for key in &stopped {
            out.push(encode(&vec![b"!done".to_vec()], key.as_deref()));
        }
        self.send(due, out, false);
    }

    async fn login(&mut self, req: &Request) -> Vec<Words> {
        let delay = self.shared.faults().login_delay;
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let cfg = &self.shared.config;
        let version = cfg.version;
        let name = req.attr("name").unwrap_or_default();
        let mut accounts = vec![(
            cfg.username.as_bytes(),
            cfg.password.as_bytes(),
            SimGroup::Full,
        )];
        accounts.extend(
            cfg.users
                .iter()
                .map(|u| (u.name.as_bytes(), u.password.as_bytes(), u.group)),
        );
        let account = accounts.iter().find(|(n, _, _)| *n == name);
        let ok = if let (Some(resp), Some(ch)) = (req.attr("response"), self.challenge) {
            account.is_some_and(|(_, pw, _)| {
                let mut md5 = Md5::new();
                md5.update([0u8]);
                md5.update(pw);
                md5.update(ch);
                resp == format!("00{}", hex::encode(md5.finalize())).as_bytes()
            })
        } else if version.plain_login() && req.attr("password").is_some() {
            account.is_some_and(|(_, pw, _)| Some(*pw) == req.attr("password"))
        } else if version.challenge_login() {
            let ch: [u8; 16] = lock(&self.shared.rng).gen();
            self.challenge = Some(ch);
            let ret = format!("=ret={}", hex::encode(ch)).into_bytes();
            return vec![vec![b"!done".to_vec(), ret]];
        } else {
            false
        };
        self.challenge = None;
        if ok {
            self.login = Some(account.is_some_and(|(_, _, g)| *g == SimGroup::Read));
            return vec![vec![b"!done".to_vec()]];
        }
        let msg = if version.error_suffixes() {
            "invalid user name or password (6)"
        } else {
            "cannot log in"
        };
        exec::trap_words(&SimTrap::new(None, msg))
    }
}

async fn listen(
    mut rx: broadcast::Receiver<super::state::Change>,
    menu: &'static str,
    proplist: Option<Vec<String>>,
    queries: Vec<Vec<u8>>,
    tag: Option<Vec<u8>>,
    out: mpsc::UnboundedSender<Out>,
    shared: Arc<Shared>,
) {
    loop {
        let change = match rx.recv().await {
            Ok(c) => c,
            Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => return,
        };
        if change.menu != menu {
            continue;
        }
        let words = match &change.item {
            Some(item) if exec::item_matches(item, &queries) => {
                exec::row_words(item, proplist.as_deref())
            }
            Some(_) => continue,
            None => vec![
                b"!re".to_vec(),
                format!("=.id={}", super::state::id_text(change.id)).into_bytes(),
                b"=.dead=yes".to_vec(),
            ],
        };
        let due = Instant::now() + shared.faults().latency;
        let _ = out.send(Out {
            due,
            sentences: vec![encode(&words, tag.as_deref())],
            close: false,
        });
    }
}

async fn monitor(
    interface: String,
    tag: Option<Vec<u8>>,
    out: mpsc::UnboundedSender<Out>,
    shared: Arc<Shared>,
) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    loop {
        tick.tick().await;
        let words = exec::traffic_row(&lock(&shared.router), &interface);
        let due = Instant::now() + shared.faults().latency;
        let _ = out.send(Out {
            due,
            sentences: vec![encode(&words, tag.as_deref())],
            close: false,
        });
    }
}

async fn write_loop(
    mut wr: WriteHalf<BoxStream>,
    mut rx: mpsc::UnboundedReceiver<Out>,
    shared: Arc<Shared>,
    token: CancellationToken,
) {
    let mut pending: Option<Out> = None;
    let mut buf = BytesMut::with_capacity(64 * 1024);
    'outer: loop {
        let first = match pending.take() {
            Some(o) => o,
            None => tokio::select! {
                _ = token.cancelled() => break,
                m = rx.recv() => match m { Some(o) => o, None => break },
            },
        };
        tokio::select! {
            _ = token.cancelled() => break,
            _ = tokio::time::sleep_until(first.due) => {}
        }
        let mut batch = vec![first];
        let now = Instant::now();
        while let Ok(o) = rx.try_recv() {
            if o.due <= now {
                batch.push(o);
            } else {
                pending = Some(o);
                break;
            }
        }
        let mut close = false;
        for out in batch {
            for s in out.sentences {
                if !shared.may_send() {
                    let _ = wr.write_all(&buf).await;
                    tracing::debug!("simulator dropping the connection (fault injection)");
                    token.cancel();
                    break 'outer;
                }
                buf.extend_from_slice(&s);
                if buf.len() >= 64 * 1024 {
                    if wr.write_all(&buf).await.is_err() {
                        token.cancel();
                        break 'outer;
                    }
                    buf.clear();
                }
            }
            close |= out.close;
        }
        if wr.write_all(&buf).await.is_err() || wr.flush().await.is_err() {
            token.cancel();
            break;
        }
        buf.clear();
        if close {
            token.cancel();
            break;
        }
    }
    let _ = wr.shutdown().await;
}
