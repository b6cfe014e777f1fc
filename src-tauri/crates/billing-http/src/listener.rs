//! The listeners' sockets, so that even the errors the HTTP server answers by itself keep the
//! API's JSON shape.
//!
//! Some requests never reach the app: hyper refuses a request line longer than 64 KB (414), a
//! head too large (431) or one it cannot parse (400) with an empty answer and closes the
//! connection. [`Listener`] hands hyper a stream that recognises such an answer as it is
//! written (a 4xx head with `content-length: 0` and no content type — the app itself never
//! answers an error without its JSON body) and writes the JSON error in its place.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::extract::connect_info::Connected;
use axum::extract::ConnectInfo;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// A TCP listener whose connections answer hyper's own errors in the API's shape.
#[derive(Debug)]
pub struct Listener(pub TcpListener);

/// The address of the client, as the server learns it from a [`Listener`]; [`serve`] gives
/// every request the usual `ConnectInfo<SocketAddr>` from it (the access log, the rate limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub SocketAddr);

/// Serves `router` on `listener` until `shutdown` completes: hyper's own error answers in the
/// API's JSON shape, and `ConnectInfo<SocketAddr>` on every request as with a plain listener.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let router = router.layer(axum::middleware::map_request(
        |mut req: axum::extract::Request| async move {
            let peer = req
                .extensions()
                .get::<ConnectInfo<PeerAddr>>()
                .map(|c| c.0 .0);
            if let Some(addr) = peer {
                req.extensions_mut().insert(ConnectInfo(addr));
            }
            req
        },
    ));
    axum::serve(
        Listener(listener),
        router.into_make_service_with_connect_info::<PeerAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

impl axum::serve::Listener for Listener {
    type Io = GuardedStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.0).await;
        (
            GuardedStream {
                inner: stream,
                replacing: None,
                draining: None,
            },
            addr,
        )
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

impl Connected<IncomingStream<'_, Listener>> for PeerAddr {
    fn connect_info(stream: IncomingStream<'_, Listener>) -> Self {
        PeerAddr(*stream.remote_addr())
    }
}

/// One accepted connection.
#[derive(Debug)]
pub struct GuardedStream {
    inner: TcpStream,
    /// The JSON answer being written instead of hyper's empty one: bytes, how many are written,
    /// and how many bytes of hyper's answer it stands for.
    replacing: Option<(Vec<u8>, usize, usize)>,
    /// After a replaced answer: the rest of the refused request is read and dropped before the
    /// connection closes (bounded in time and bytes), or the close would reset the connection
    /// and the client could lose the answer. Whether the write side is shut, bytes read, deadline.
    draining: Option<(bool, usize, Pin<Box<tokio::time::Sleep>>)>,
}

/// How much of a refused request is read after the answer before the connection closes.
const DRAIN_BYTES: usize = 4 * 1024 * 1024;
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(2);

impl AsyncRead for GuardedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for GuardedStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.replacing.is_none() {
            if let Some(answer) = json_answer_for(buf) {
                self.replacing = Some((answer, 0, buf.len()));
            }
        }
        let this = &mut *self;
        if let Some((answer, written, stands_for)) = &mut this.replacing {
            while *written < answer.len() {
                let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &answer[*written..]))?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                *written += n;
            }
            let n = *stands_for;
            this.replacing = None;
            this.draining = Some((false, 0, Box::pin(tokio::time::sleep(DRAIN_TIME))));
            return Poll::Ready(Ok(n));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    /// Hyper writes an answer's head and body in one call when the stream takes several
    /// buffers (no copy into one); only a lone head can be one of its own error answers.
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let mut filled = bufs.iter().filter(|b| !b.is_empty());
        let (first, second) = (filled.next(), filled.next());
        let replace = self.replacing.is_some()
            || (second.is_none() && first.is_some_and(|b| json_answer_for(b).is_some()));
        match first {
            Some(first) if replace => self.poll_write(cx, first),
            _ => Pin::new(&mut self.inner).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let Some((shut, read, deadline)) = &mut this.draining else {
            return Pin::new(&mut this.inner).poll_shutdown(cx);
        };
        if !*shut {
            ready!(Pin::new(&mut this.inner).poll_shutdown(cx))?;
            *shut = true;
        }
        let mut scratch = [0u8; 8192];
        loop {
            let mut buf = ReadBuf::new(&mut scratch);
            match Pin::new(&mut this.inner).poll_read(cx, &mut buf) {
                Poll::Ready(Ok(())) if !buf.filled().is_empty() && *read < DRAIN_BYTES => {
                    *read += buf.filled().len();
                }
                Poll::Pending if deadline.as_mut().poll(cx).is_pending() => return Poll::Pending,
                _ => break,
            }
        }
        this.draining = None;
        Poll::Ready(Ok(()))
    }
}

/// The JSON answer to write instead of `written`, when it is hyper's own empty error answer.
fn json_answer_for(written: &[u8]) -> Option<Vec<u8>> {
    // Most writes are the app's own answers and bodies: rule them out before any scan.
    if !(written.starts_with(b"HTTP/1.1 4") && written.ends_with(b"\r\n\r\n")) {
        return None;
    }
    let head_end = written.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&written[..head_end]).ok()?;
    let status: u16 = head.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()?;
    let lower = head.to_ascii_lowercase();
    let bare = lower.contains("\r\ncontent-length: 0") && !lower.contains("\r\ncontent-type:");
    if !bare || written.len() != head_end + 4 {
        return None;
    }
    let (reason, kind, message) = match status {
        414 => (
            "URI Too Long",
            "uri_too_long",
            "the address is longer than the server reads (64 KB); at most 16 KB are accepted",
        ),
        431 => (
            "Request Header Fields Too Large",
            "headers_too_large",
            "the request's headers are larger than the server reads",
        ),
        400 => (
            "Bad Request",
            "bad_request",
            "the request is not valid HTTP/1.1",
        ),
        _ => return None,
    };
    let body = serde_json::json!({ "error": { "kind": kind, "message": message, "field": null } })
        .to_string();
    Some(
        format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::json_answer_for;

    #[test]
    fn hypers_empty_error_answers_get_the_json_shape() {
        let hyper = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Mon, 07 Dec 2026 10:00:00 GMT\r\n\r\n";
        let answer = String::from_utf8(json_answer_for(hyper).expect("replaced")).expect("utf8");
        let (head, body) = answer.split_once("\r\n\r\n").expect("head and body");
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{head}");
        assert!(head.contains("content-type: application/json"), "{head}");
        let json: serde_json::Value = serde_json::from_str(body).expect("json body");
        assert_eq!(json["error"]["kind"], "uri_too_long");
        assert!(head.contains(&format!("content-length: {}", body.len())));
    }

    #[test]
    fn the_apps_own_answers_pass_unchanged() {
        for written in [
            &b"HTTP/1.1 414 URI Too Long\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 204 No Content\r\n\r\n",
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
            b"{\"error\":{}}",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\nmore",
        ] {
            assert!(json_answer_for(written).is_none(), "{}", String::from_utf8_lossy(written));
        }
    }
}
