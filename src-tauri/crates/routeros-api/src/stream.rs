//! Streaming replies: large `print`s row by row, and `listen`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::sync::{mpsc, OwnedSemaphorePermit};

use crate::client::{tag_text, trap_of};
use crate::connection::Connection;
use crate::encoding::Encoding;
use crate::error::{Error, ErrorKind, Trap, TrapKind};
use crate::proto::{Reply, ReplyKind};
use crate::row::Row;

/// Rows of one running command, delivered as they arrive.
///
/// Memory stays bounded: at most a few hundred sentences are buffered, and the router is
/// slowed down (TCP backpressure) while the stream is not read. Dropping an unfinished stream
/// sends `/cancel` for it.
pub struct RowStream {
    conn: Arc<Connection>,
    tag: Bytes,
    rx: mpsc::Receiver<Reply>,
    _permit: OwnedSemaphorePermit,
    encoding: Encoding,
    idle_timeout: Option<Duration>,
    listen: bool,
    cancelled: bool,
    finished: bool,
    trap: Option<Trap>,
    router: String,
    path: String,
}

impl std::fmt::Debug for RowStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowStream")
            .field("router", &self.router)
            .field("command", &self.path)
            .field("tag", &tag_text(&self.tag))
            .finish_non_exhaustive()
    }
}

impl RowStream {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        conn: Arc<Connection>,
        tag: Bytes,
        rx: mpsc::Receiver<Reply>,
        permit: OwnedSemaphorePermit,
        encoding: Encoding,
        idle_timeout: Option<Duration>,
        listen: bool,
        router: String,
        path: String,
    ) -> Self {
        Self {
            conn,
            tag,
            rx,
            _permit: permit,
            encoding,
            idle_timeout,
            listen,
            cancelled: false,
            finished: false,
            trap: None,
            router,
            path,
        }
    }

    fn ctx(&self, e: Error) -> Error {
        e.router(&self.router).command(&self.path)
    }

    /// The next row; `None` once the command has finished (or was cancelled).
    pub async fn next(&mut self) -> Option<Result<Row, Error>> {
        while !self.finished {
            let recv = self.rx.recv();
            let reply = match self.idle_timeout {
                Some(limit) => match tokio::time::timeout(limit, recv).await {
                    Ok(r) => r,
                    Err(_) => {
                        self.finish_with_cancel();
                        let e = Error::new(ErrorKind::Timeout)
                            .with_detail(format!("no row within {limit:?}"));
                        return Some(Err(self.ctx(e)));
                    }
                },
                None => recv.await,
            };
            let Some(reply) = reply else {
                self.finished = true;
                return Some(Err(self.ctx(self.conn.closed_error())));
            };
            match reply.kind {
                ReplyKind::Re => return Some(Ok(Row::new(reply.attributes, self.encoding))),
                ReplyKind::Trap => {
                    if self.trap.is_none() {
                        self.trap = Some(trap_of(&reply, self.encoding));
                    }
                }
                ReplyKind::Done => {
                    self.finished = true;
                    let trap = self.trap.take()?;
                    let normal_end =
                        trap.kind() == TrapKind::Interrupted && (self.listen || self.cancelled);
                    if normal_end {
                        return None;
                    }
                    return Some(Err(self.ctx(Error::new(ErrorKind::Trap(trap)))));
                }
                ReplyKind::Fatal => {
                    self.finished = true;
                    return Some(Err(self.ctx(self.conn.closed_error())));
                }
                ReplyKind::Empty | ReplyKind::Unknown(_) => {}
            }
        }
        None
    }

    /// Collects the remaining rows.
    pub async fn collect(mut self) -> Result<Vec<Row>, Error> {
        let mut rows = Vec::new();
        while let Some(row) = self.next().await {
            rows.push(row?);
        }
        Ok(rows)
    }

    /// Sends `/cancel` for this command and waits until the router confirms it ended.
    /// Rows that were still on the way are discarded.
    pub async fn cancel(mut self) -> Result<(), Error> {
        if self.finished {
            return Ok(());
        }
        self.cancelled = true;
        self.conn.cancel(&self.tag);
        self.idle_timeout = Some(self.idle_timeout.unwrap_or(Duration::from_secs(10)));
        while let Some(item) = self.next().await {
            match item {
                Ok(_) => {}
                Err(e) if e.trap_kind() == Some(TrapKind::Interrupted) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Adapts this into a `futures::Stream`.
    pub fn into_stream(self) -> impl futures::Stream<Item = Result<Row, Error>> + Send {
        futures::stream::unfold(self, |mut s| async move { s.next().await.map(|r| (r, s)) })
    }

    fn finish_with_cancel(&mut self) {
        self.finished = true;
        self.conn.cancel(&self.tag);
        self.conn.forget(&self.tag);
    }
}

impl Drop for RowStream {
    fn drop(&mut self) {
        if !self.finished {
            self.finish_with_cancel();
        }
    }
}
