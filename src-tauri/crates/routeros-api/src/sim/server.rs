//! The listener: accepts connections, applies the session limit, starts sessions.

use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use rand::rngs::StdRng;
use rand::SeedableRng;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

use super::handle::SimHandle;
use super::state::Router;
use super::{tls, Faults, SimConfig, SimTls};
use crate::connection::BoxStream;

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// State shared by the listener, the sessions and the control handle.
pub(crate) struct Shared {
    pub config: SimConfig,
    pub router: Mutex<Router>,
    pub faults: Mutex<Faults>,
    /// Sentences left before the next connection drop; negative when disarmed.
    pub drop_after: AtomicI64,
    pub sessions: AtomicUsize,
    pub connections_total: AtomicUsize,
    /// Cancelled on reboot; sessions hold child tokens.
    pub generation: Mutex<CancellationToken>,
    pub down_until: Mutex<Option<Instant>>,
    pub shutdown: CancellationToken,
    pub rng: Mutex<StdRng>,
}

impl Shared {
    pub fn faults(&self) -> Faults {
        lock(&self.faults).clone()
    }

    /// Called before each sentence is sent: false means "drop the connection now".
    pub fn may_send(&self) -> bool {
        let res = self
            .drop_after
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| match v {
                v if v < 0 => None,
                0 => Some(-1),
                v => Some(v - 1),
            });
        !matches!(res, Ok(0))
    }
}

pub(crate) async fn start(config: SimConfig) -> std::io::Result<SimHandle> {
    let listener = TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let (acceptor, cert) = match config.tls {
        SimTls::SelfSigned => {
            let (a, der, pem) = tls::self_signed()?;
            (Some(a), Some((der, pem)))
        }
        _ => (None, None),
    };
    let clock = chrono::NaiveDate::from_ymd_opt(2026, 1, 5)
        .and_then(|d| d.and_hms_opt(8, 0, 0))
        .unwrap_or_default();
    let mut router = Router::new(config.version, clock);
    router.owner = config.username.clone();
    let shared = Arc::new(Shared {
        router: Mutex::new(router),
        faults: Mutex::new(config.faults.clone()),
        drop_after: AtomicI64::new(-1),
        sessions: AtomicUsize::new(0),
        connections_total: AtomicUsize::new(0),
        generation: Mutex::new(CancellationToken::new()),
        down_until: Mutex::new(None),
        shutdown: CancellationToken::new(),
        rng: Mutex::new(StdRng::seed_from_u64(config.seed)),
        config,
    });
    tokio::spawn(accept_loop(listener, shared.clone(), acceptor));
    Ok(SimHandle::new(shared, addr, cert))
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
) {
    loop {
        let accepted = tokio::select! {
            _ = shared.shutdown.cancelled() => return,
            a = listener.accept() => a,
        };
        let Ok((tcp, peer)) = accepted else { continue };
        let _ = tcp.set_nodelay(true);
        let down = lock(&shared.down_until).is_some_and(|t| Instant::now() < t);
        let max = shared.faults().max_sessions;
        if down || shared.sessions.load(Ordering::Acquire) >= max {
            tracing::debug!(%peer, down, "simulator refusing connection");
            drop(tcp);
            continue;
        }
        shared.sessions.fetch_add(1, Ordering::AcqRel);
        shared.connections_total.fetch_add(1, Ordering::Relaxed);
        let token = lock(&shared.generation).child_token();
        let shared2 = shared.clone();
        let acceptor = acceptor.clone();
        tokio::spawn(async move {
            if let Some(stream) = wrap(tcp, acceptor, shared2.config.tls).await {
                super::session::serve(stream, shared2.clone(), token).await;
            }
            shared2.sessions.fetch_sub(1, Ordering::AcqRel);
        });
    }
}

async fn wrap(
    tcp: TcpStream,
    acceptor: Option<tokio_rustls::TlsAcceptor>,
    mode: SimTls,
) -> Option<BoxStream> {
    match (mode, acceptor) {
        (SimTls::SelfSigned, Some(a)) => match a.accept(tcp).await {
            Ok(s) => Some(Box::new(s)),
            Err(e) => {
                tracing::debug!(error = %e, "simulator TLS handshake failed");
                None
            }
        },
        (SimTls::NoCertificate, _) => {
            tls::refuse_handshake(tcp).await;
            None
        }
        _ => Some(Box::new(tcp)),
    }
}
