//! The client handle: cheap to clone, shares one connection per router, pipelines commands.

use std::sync::Arc;

use bytes::Bytes;
use tokio::net::TcpStream;
use tokio::sync::{Mutex, OwnedSemaphorePermit, Semaphore};
use tokio::time::timeout;

use crate::command::Command;
use crate::connection::{BoxStream, Connection};
use crate::encoding::Encoding;
use crate::error::{Error, ErrorKind, Trap};
use crate::options::ConnectOptions;
use crate::proto::{Reply, ReplyKind};
use crate::row::Row;
use crate::stream::RowStream;

/// A handle to one router. Clones share the connection and the in-flight window.
///
/// Commands issued concurrently (from clones or `join_all`) are pipelined on one connection
/// and matched to their replies by `.tag`. If the connection is lost, commands in flight fail
/// with [`ErrorKind::Io`]; the next command reconnects with exponential backoff.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    opts: ConnectOptions,
    addr: String,
    conn: Mutex<Option<Arc<Connection>>>,
    window: Arc<Semaphore>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("router", &self.inner.addr)
            .finish_non_exhaustive()
    }
}

/// Everything a command returned: its `!re` rows and the attributes of `!done`.
#[derive(Debug, Clone)]
pub struct Response {
    /// One row per `!re`.
    pub rows: Vec<Row>,
    /// Attributes of `!done` (for example `ret`).
    pub done: Row,
}

impl Response {
    /// `=ret=` of `!done`: the new `.id` after `add`, the count after `count-only`.
    pub fn ret(&self) -> Option<String> {
        self.done.get_string("ret")
    }
}

impl Client {
    /// Connects and logs in. Fails with [`ErrorKind::Login`] on bad credentials.
    pub async fn connect(opts: ConnectOptions) -> Result<Client, Error> {
        let addr = opts.addr();
        let window = Arc::new(Semaphore::new(opts.max_in_flight.max(1)));
        let conn = open(&opts).await.map_err(|e| e.router(&addr))?;
        let inner = Inner {
            opts,
            addr,
            conn: Mutex::new(Some(conn)),
            window,
        };
        Ok(Client {
            inner: Arc::new(inner),
        })
    }

    /// `host:port` of the router.
    pub fn addr(&self) -> &str {
        &self.inner.addr
    }

    /// The text encoding in use.
    pub fn encoding(&self) -> Encoding {
        self.inner.opts.encoding
    }

    /// Runs a command and returns its rows; a `!trap` becomes an error.
    pub async fn run(&self, cmd: impl Into<Command>) -> Result<Vec<Row>, Error> {
        Ok(self.call(cmd).await?.rows)
    }

    /// Runs a command and returns rows and the `!done` attributes.
    pub async fn call(&self, cmd: impl Into<Command>) -> Result<Response, Error> {
        let cmd = cmd.into();
        let path = cmd.path().to_owned();
        self.call_inner(cmd)
            .await
            .map_err(|e| e.router(&self.inner.addr).command(&path))
    }

    async fn call_inner(&self, cmd: Command) -> Result<Response, Error> {
        let words = cmd.to_words(self.encoding())?;
        let limit = cmd
            .timeout_override()
            .unwrap_or(self.inner.opts.command_timeout);
        let _permit = self.permit().await?;
        let conn = self.connection().await?;
        let (tag, mut rx) = conn.start(words)?;
        // If this future is dropped before `!done`, tell the router to stop the command.
        let mut guard = CancelOnDrop {
            conn: &conn,
            tag: &tag,
            armed: true,
        };
        let enc = self.encoding();
        let mut rows = Vec::new();
        let mut trap: Option<Trap> = None;
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let reply = match tokio::time::timeout_at(deadline, rx.recv()).await {
                Err(_) => {
                    // The guard sends `/cancel` and forgets the tag.
                    return Err(Error::new(ErrorKind::Timeout)
                        .with_detail(format!("no reply within {limit:?}")));
                }
                Ok(None) => {
                    guard.armed = false;
                    return Err(conn.closed_error());
                }
                Ok(Some(r)) => r,
            };
            match reply.kind {
                ReplyKind::Re => rows.push(Row::new(reply.attributes, enc)),
                ReplyKind::Trap => {
                    trap.get_or_insert_with(|| trap_of(&reply, enc));
                }
                ReplyKind::Done => {
                    guard.armed = false;
                    return match trap {
                        Some(t) => Err(Error::new(ErrorKind::Trap(t))),
                        None => Ok(Response {
                            rows,
                            done: Row::new(reply.attributes, enc),
                        }),
                    };
                }
                ReplyKind::Fatal => return Err(conn.closed_error()),
                ReplyKind::Empty | ReplyKind::Unknown(_) => {}
            }
        }
    }

    /// Runs a command and streams its rows as they arrive, with bounded memory. Dropping the
    /// stream before it ends cancels the command on the router.
    ///
    /// The connection waits for the stream to be read, so drain or drop it promptly.
    pub async fn stream(&self, cmd: impl Into<Command>) -> Result<RowStream, Error> {
        self.open_stream(cmd.into(), false).await
    }

    /// Starts a `listen` (for example `/ppp/active/listen`): every change arrives as a row,
    /// removed items as rows with `.dead=yes`. It runs until cancelled or dropped.
    pub async fn listen(&self, cmd: impl Into<Command>) -> Result<RowStream, Error> {
        self.open_stream(cmd.into(), true).await
    }

    async fn open_stream(&self, cmd: Command, listen: bool) -> Result<RowStream, Error> {
        let path = cmd.path().to_owned();
        let ctx = |e: Error| e.router(&self.inner.addr).command(&path);
        let words = cmd.to_words(self.encoding()).map_err(ctx)?;
        let idle = if listen {
            cmd.timeout_override()
        } else {
            Some(
                cmd.timeout_override()
                    .unwrap_or(self.inner.opts.command_timeout),
            )
        };
        let permit = self.permit().await.map_err(ctx)?;
        let conn = self.connection().await.map_err(ctx)?;
        let (tag, rx) = conn.start(words).map_err(ctx)?;
        Ok(RowStream::new(
            conn,
            tag,
            rx,
            permit,
            self.encoding(),
            idle,
            listen,
            self.inner.addr.clone(),
            path,
        ))
    }

    /// Closes the current connection. The next command reconnects.
    pub async fn disconnect(&self) {
        if let Some(c) = self.inner.conn.lock().await.take() {
            c.shutdown();
        }
    }

    /// True if the current connection is up (no network traffic is sent to check).
    pub async fn is_connected(&self) -> bool {
        self.inner
            .conn
            .lock()
            .await
            .as_ref()
            .is_some_and(|c| c.is_alive())
    }

    async fn permit(&self) -> Result<OwnedSemaphorePermit, Error> {
        self.inner
            .window
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| Error::new(ErrorKind::Io).with_detail("client is shut down"))
    }

    /// The live connection, reconnecting with backoff if it was lost.
    async fn connection(&self) -> Result<Arc<Connection>, Error> {
        let mut guard = self.inner.conn.lock().await;
        if let Some(c) = guard.as_ref().filter(|c| c.is_alive()) {
            return Ok(c.clone());
        }
        *guard = None;
        let policy = &self.inner.opts.reconnect;
        let mut last_err = Error::new(ErrorKind::Io).with_detail("reconnecting is disabled");
        for attempt in 0..policy.max_attempts {
            if attempt > 0 {
                tokio::time::sleep(policy.backoff(attempt)).await;
            }
            match open(&self.inner.opts).await {
                Ok(c) => {
                    tracing::info!(router = %self.inner.addr, attempt, "reconnected");
                    *guard = Some(c.clone());
                    return Ok(c);
                }
                // Wrong credentials will not fix themselves.
                Err(e) if matches!(e.kind(), ErrorKind::Login(_)) => return Err(e),
                Err(e) => {
                    tracing::warn!(router = %self.inner.addr, attempt, error = %e, "reconnect failed");
                    last_err = e;
                }
            }
        }
        Err(last_err)
    }
}

/// Cancels a command whose caller stopped waiting (timeout or dropped future).
struct CancelOnDrop<'a> {
    conn: &'a Connection,
    tag: &'a Bytes,
    armed: bool,
}

impl Drop for CancelOnDrop<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.conn.forget(self.tag);
            self.conn.cancel(self.tag);
        }
    }
}

pub(crate) fn trap_of(reply: &Reply, enc: Encoding) -> Trap {
    let message = reply
        .message()
        .map(|m| enc.decode(m).into_owned())
        .unwrap_or_default();
    let category = reply
        .get("category")
        .and_then(|c| std::str::from_utf8(c).ok())
        .and_then(|c| c.parse().ok());
    Trap { category, message }
}

/// Opens a socket, optionally TLS, and logs in.
async fn open(opts: &ConnectOptions) -> Result<Arc<Connection>, Error> {
    let connect = async {
        let tcp = TcpStream::connect((opts.host.trim_matches(['[', ']']), opts.port))
            .await
            .map_err(|e| Error::io("connecting", e))?;
        let _ = tcp.set_nodelay(true);
        let stream: BoxStream = match &opts.tls {
            Some(tls) => Box::new(crate::tls::connect(tcp, &opts.host, tls).await?),
            None => Box::new(tcp),
        };
        Ok::<_, Error>(stream)
    };
    let mut stream = timeout(opts.connect_timeout, connect).await.map_err(|_| {
        Error::new(ErrorKind::Timeout)
            .with_detail(format!("connect took over {:?}", opts.connect_timeout))
    })??;
    let leftover = timeout(
        opts.login_timeout,
        crate::login::login(&mut stream, &opts.username, &opts.password, opts.encoding),
    )
    .await
    .map_err(|_| {
        Error::new(ErrorKind::Timeout)
            .with_detail(format!("login took over {:?}", opts.login_timeout))
    })?
    .map_err(|e| e.command("/login"))?;
    Ok(Connection::spawn(
        stream,
        leftover,
        opts.keepalive,
        opts.login_timeout,
    ))
}

/// Decodes a raw `.tag` (for logging).
pub(crate) fn tag_text(tag: &Bytes) -> String {
    String::from_utf8_lossy(tag).into_owned()
}
