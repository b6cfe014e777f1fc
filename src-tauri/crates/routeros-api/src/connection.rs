//! The connection: a reader task that routes replies by `.tag` and a writer task that batches
//! queued sentences into as few writes as possible. Both own one half of the socket.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadHalf, WriteHalf};
use tokio::sync::mpsc;
use tokio_util::codec::FramedRead;
use tokio_util::sync::CancellationToken;

use crate::codec::{CodecError, SentenceCodec};
use crate::error::{Error, ErrorKind};
use crate::proto::{sentence::encode_words, Reply, ReplyKind};

/// Any byte stream the client can run over (TCP or TLS).
pub(crate) trait AsyncStream: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> AsyncStream for T {}
pub(crate) type BoxStream = Box<dyn AsyncStream>;

/// Replies for one tag are buffered up to this many sentences before the reader waits.
pub(crate) const ROUTE_CAPACITY: usize = 256;
/// The writer sends at most this many bytes per write call.
const WRITE_BATCH: usize = 256 * 1024;

#[derive(Debug, Clone)]
enum CloseReason {
    Fatal(String),
    Io(String),
    Protocol(String),
    Closed,
}

struct Shared {
    routes: Mutex<HashMap<Bytes, mpsc::Sender<Reply>>>,
    reason: Mutex<Option<CloseReason>>,
    alive: AtomicBool,
    /// Milliseconds since `started` of the last sentence read.
    last_read_ms: AtomicU64,
    started: Instant,
    token: CancellationToken,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn close(&self, reason: CloseReason) {
        let mut r = lock(&self.reason);
        if r.is_none() {
            *r = Some(reason);
        }
        drop(r);
        self.alive.store(false, Ordering::Release);
        self.token.cancel();
    }
}

/// One logged-in connection to a router.
pub(crate) struct Connection {
    shared: Arc<Shared>,
    writer: mpsc::UnboundedSender<Bytes>,
    next_tag: AtomicU64,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.shared.close(CloseReason::Closed);
    }
}

impl Connection {
    /// Starts the reader and writer tasks over a logged-in stream. `leftover` holds bytes read
    /// past the login reply.
    pub(crate) fn spawn(
        stream: BoxStream,
        leftover: BytesMut,
        keepalive: Option<Duration>,
        keepalive_timeout: Duration,
    ) -> Arc<Connection> {
        let (read_half, write_half) = tokio::io::split(stream);
        let shared = Arc::new(Shared {
            routes: Mutex::new(HashMap::new()),
            reason: Mutex::new(None),
            alive: AtomicBool::new(true),
            last_read_ms: AtomicU64::new(0),
            started: Instant::now(),
            token: CancellationToken::new(),
        });
        let (tx, rx) = mpsc::unbounded_channel();
        let mut framed = FramedRead::new(read_half, SentenceCodec::default());
        framed.read_buffer_mut().extend_from_slice(&leftover);
        tokio::spawn(read_loop(framed, shared.clone()));
        tokio::spawn(write_loop(write_half, rx, shared.clone()));
        let conn = Arc::new(Connection {
            shared,
            writer: tx,
            next_tag: AtomicU64::new(1),
        });
        if let Some(every) = keepalive {
            tokio::spawn(keepalive_loop(
                Arc::downgrade(&conn),
                every,
                keepalive_timeout,
            ));
        }
        conn
    }

    pub(crate) fn is_alive(&self) -> bool {
        self.shared.alive.load(Ordering::Acquire)
    }

    /// The error to report for commands that were cut off by the connection closing.
    pub(crate) fn closed_error(&self) -> Error {
        match lock(&self.shared.reason).clone() {
            Some(CloseReason::Fatal(m)) => Error::new(ErrorKind::Fatal(m)),
            Some(CloseReason::Protocol(m)) => Error::protocol(m),
            Some(CloseReason::Io(m)) => {
                Error::new(ErrorKind::Io).with_detail(format!("connection lost: {m}"))
            }
            Some(CloseReason::Closed) | None => {
                Error::new(ErrorKind::Io).with_detail("connection closed")
            }
        }
    }

    /// Registers a new tag and queues the command. Replies arrive on the returned receiver.
    pub(crate) fn start(
        &self,
        mut words: Vec<Bytes>,
    ) -> Result<(Bytes, mpsc::Receiver<Reply>), Error> {
        if !self.is_alive() {
            return Err(self.closed_error());
        }
        let tag = Bytes::from(self.next_tag.fetch_add(1, Ordering::Relaxed).to_string());
        let (tx, rx) = mpsc::channel(ROUTE_CAPACITY);
        lock(&self.shared.routes).insert(tag.clone(), tx);
        let mut tag_word = BytesMut::with_capacity(5 + tag.len());
        tag_word.extend_from_slice(b".tag=");
        tag_word.extend_from_slice(&tag);
        words.push(tag_word.freeze());
        let mut buf = BytesMut::with_capacity(words.iter().map(|w| w.len() + 5).sum::<usize>() + 1);
        encode_words(&words, &mut buf);
        if self.writer.send(buf.freeze()).is_err() {
            self.forget(&tag);
            return Err(self.closed_error());
        }
        Ok((tag, rx))
    }

    /// Stops routing replies for `tag` (later replies for it are dropped).
    pub(crate) fn forget(&self, tag: &Bytes) {
        lock(&self.shared.routes).remove(tag);
    }

    /// Sends `/cancel =tag=<tag>` without waiting for its reply.
    pub(crate) fn cancel(&self, tag: &Bytes) {
        let mut arg = BytesMut::from(&b"=tag="[..]);
        arg.extend_from_slice(tag);
        let words = [Bytes::from_static(b"/cancel"), arg.freeze()];
        let mut buf = BytesMut::new();
        encode_words(&words, &mut buf);
        // Untagged: its `!done` is not routed anywhere and is dropped by the reader.
        let _ = self.writer.send(buf.freeze());
    }

    /// Time since the last sentence arrived.
    fn idle_for(&self) -> Duration {
        let last = Duration::from_millis(self.shared.last_read_ms.load(Ordering::Relaxed));
        self.shared.started.elapsed().saturating_sub(last)
    }

    /// Closes the connection; outstanding commands fail with a connection error.
    pub(crate) fn shutdown(&self) {
        self.shared.close(CloseReason::Closed);
    }
}

async fn read_loop(
    mut framed: FramedRead<ReadHalf<BoxStream>, SentenceCodec>,
    shared: Arc<Shared>,
) {
    let reason = loop {
        let next = tokio::select! {
            _ = shared.token.cancelled() => break None,
            next = framed.next() => next,
        };
        let sentence = match next {
            None => break Some(CloseReason::Io("the router closed the connection".into())),
            Some(Err(CodecError::Io(e))) => break Some(CloseReason::Io(e.to_string())),
            Some(Err(CodecError::Protocol(e))) => break Some(CloseReason::Protocol(e.to_string())),
            Some(Ok(s)) => s,
        };
        let ms = u64::try_from(shared.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        shared.last_read_ms.store(ms, Ordering::Relaxed);
        let reply = match Reply::parse(sentence) {
            Ok(r) => r,
            Err(e) => break Some(CloseReason::Protocol(e.to_string())),
        };
        if reply.kind == ReplyKind::Fatal {
            let msg = reply
                .message()
                .map(|m| String::from_utf8_lossy(m).into_owned());
            break Some(CloseReason::Fatal(msg.unwrap_or_default()));
        }
        let Some(tag) = reply.tag.clone() else {
            tracing::trace!(kind = ?reply.kind, "dropping untagged reply");
            continue;
        };
        let last = reply.kind == ReplyKind::Done;
        let route = {
            let mut routes = lock(&shared.routes);
            if last {
                routes.remove(&tag)
            } else {
                routes.get(&tag).cloned()
            }
        };
        match route {
            Some(tx) => {
                let sent = tokio::select! {
                    _ = shared.token.cancelled() => break None,
                    sent = tx.send(reply) => sent,
                };
                if sent.is_err() && !last {
                    lock(&shared.routes).remove(&tag);
                }
            }
            None => tracing::trace!("dropping reply for a forgotten tag"),
        }
    };
    shared.close(reason.unwrap_or(CloseReason::Closed));
    // Dropping every sender wakes every waiting command with "connection lost".
    lock(&shared.routes).clear();
}

async fn write_loop(
    mut half: WriteHalf<BoxStream>,
    mut rx: mpsc::UnboundedReceiver<Bytes>,
    shared: Arc<Shared>,
) {
    let mut buf = BytesMut::with_capacity(16 * 1024);
    loop {
        let first = tokio::select! {
            _ = shared.token.cancelled() => break,
            m = rx.recv() => m,
        };
        let Some(first) = first else { break };
        buf.extend_from_slice(&first);
        // Everything already queued goes out in the same write: this is what makes a
        // pipelined batch cost one round trip.
        while buf.len() < WRITE_BATCH {
            match rx.try_recv() {
                Ok(m) => buf.extend_from_slice(&m),
                Err(_) => break,
            }
        }
        let res = tokio::select! {
            _ = shared.token.cancelled() => break,
            res = async {
                half.write_all(&buf).await?;
                half.flush().await
            } => res,
        };
        buf.clear();
        if let Err(e) = res {
            shared.close(CloseReason::Io(e.to_string()));
            break;
        }
    }
    let _ = half.shutdown().await;
}

async fn keepalive_loop(conn: Weak<Connection>, every: Duration, timeout: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        let Some(c) = conn.upgrade() else { return };
        if !c.is_alive() {
            return;
        }
        if c.idle_for() < every {
            continue;
        }
        let words = vec![Bytes::from_static(b"/system/identity/print")];
        let Ok((tag, mut rx)) = c.start(words) else {
            return;
        };
        let ok = tokio::time::timeout(timeout, async {
            while let Some(r) = rx.recv().await {
                if r.kind == ReplyKind::Done {
                    return true;
                }
            }
            false
        })
        .await;
        if !matches!(ok, Ok(true)) {
            c.forget(&tag);
            tracing::warn!("keepalive got no answer; closing the connection");
            c.shared
                .close(CloseReason::Io("keepalive timed out".into()));
            return;
        }
    }
}
