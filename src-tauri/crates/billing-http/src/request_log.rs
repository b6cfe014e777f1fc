//! The request log of both listeners. A span names the method and the matched route template
//! (`/pay/{token}`, `/api/routers/{id}`), never the real path or the query string: those carry
//! credentials (a customer's pay-link token, the event stream's ticket) and personal data
//! (searches), and logs are copied around more freely than the database.

use axum::extract::MatchedPath;
use axum::http::Request;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{MakeSpan, TraceLayer};
use tracing::Span;

/// [`MakeSpan`] that records the method and the route template only.
#[derive(Debug, Clone, Copy, Default)]
pub struct RouteSpan;

impl<B> MakeSpan<B> for RouteSpan {
    fn make_span(&mut self, request: &Request<B>) -> Span {
        let route = request
            .extensions()
            .get::<MatchedPath>()
            .map_or("(no route)", MatchedPath::as_str);
        tracing::debug_span!("request", method = %request.method(), route)
    }
}

/// `TraceLayer::new_for_http()` with [`RouteSpan`].
pub fn layer() -> TraceLayer<SharedClassifier<ServerErrorsAsFailures>, RouteSpan> {
    TraceLayer::new_for_http().make_span_with(RouteSpan)
}
