//! `GET /api/events`: server-sent events for the dashboard — payments, subscriptions,
//! WhatsApp sessions, alerts, and a metrics snapshot every few seconds — each sent only to
//! accounts whose role may see it (a cashier gets payments, not router alerts).
//!
//! A browser's `EventSource` cannot send the Authorization header, and an access token must
//! not sit in a URL (logs, history). So the dashboard first asks `POST /api/events/ticket`
//! (with its token) for a single-use ticket that is good for 30 seconds, and opens
//! `/api/events?ticket=…` (the access layer redeems it). Clients that can send headers may
//! use `Authorization` instead.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use billing_app::access::current_user::CurrentUser;
use billing_app::events::BillingEvent;
use billing_domain::Permission;
use futures::Stream;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::RecvError;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::AuthUser;
use crate::extract::Query;
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        // Opened with a single-use ticket (see `authorize`); each event is filtered by role.
        .add(Staff(Permission::DashboardView), routes!(stream))
        .add(Staff(Permission::DashboardView), routes!(ticket))
}

/// How often the metrics snapshot is sent.
const SNAPSHOT_EVERY: Duration = Duration::from_secs(15);

#[derive(Debug, Serialize, ToSchema)]
pub struct EventTicket {
    /// Put it in `GET /api/events?ticket=…`; it works once.
    pub ticket: String,
    pub expires_in_secs: u64,
}

/// A single-use ticket (30 seconds) that opens the event stream for this account.
#[utoipa::path(post, operation_id = "event_ticket", path = "/events/ticket", tag = "monitoring",
    security(("bearer" = [])), responses((status = 200, body = EventTicket), (status = 401, body = ErrorBody)))]
pub async fn ticket(State(state): State<HttpState>, AuthUser(user): AuthUser) -> Json<EventTicket> {
    Json(EventTicket {
        ticket: state.ctx.ops.event_tickets.issue(user),
        expires_in_secs: billing_app::insight::monitoring::TICKET_TTL.as_secs(),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EventsParams {
    /// From `POST /api/events/ticket` (or send `Authorization: Bearer …` instead).
    pub ticket: Option<String>,
}

/// The live event stream (`text/event-stream`). Event names: `ready`, `payment_settled`,
/// `payment_changed`, `subscription_changed`, `whats_app_session_failed`, `voucher_activated`,
/// `voucher_expired`, `voucher_removed`, `pppoe_connected`, `pppoe_disconnected`,
/// `active_users` (per router, each minute), `alert_raised`, `alert_cleared` (critical ones to
/// every signed-in account), `metrics`; the data is JSON. Each reaches only accounts whose role
/// may see that area.
#[utoipa::path(get, operation_id = "events", path = "/events", tag = "monitoring",
    params(EventsParams),
    security(("bearer" = [])),
    responses((status = 200, description = "server-sent events", content_type = "text/event-stream"),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn stream(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    Query(_ticket): Query<EventsParams>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let rx = state.ctx.events.subscribe();
    let ready = Event::default().event("ready").data(
        serde_json::json!({ "username": user.username, "role": user.role.as_str() }).to_string(),
    );
    let mut tick = tokio::time::interval(SNAPSHOT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let events = futures::stream::unfold(
        (Some(ready), state, user, rx, tick),
        |(first, state, mut user, mut rx, mut tick)| async move {
            if let Some(ready) = first {
                return Some((Ok(ready), (None, state, user, rx, tick)));
            }
            loop {
                tokio::select! {
                    got = rx.recv() => match got {
                        Ok(event) => {
                            if let Some(e) = visible(&user, &event) {
                                return Some((Ok(e), (None, state, user, rx, tick)));
                            }
                        }
                        // A slow reader missed some; the next snapshot catches the page up.
                        Err(RecvError::Lagged(_)) => {}
                        Err(RecvError::Closed) => return None,
                    },
                    _ = tick.tick() => {
                        // The stream outlives the token it was opened with: a disabled
                        // account, or one logged out everywhere, stops here; a new role applies.
                        match billing_app::access::auth::current_role(&state.ctx, &user).await {
                            Ok(Some(role)) => user.role = role,
                            Ok(None) => return None,
                            Err(_) => {}
                        }
                        if !user.role.allows(Permission::DashboardView) {
                            continue;
                        }
                        let Ok(snap) = billing_app::insight::monitoring::snapshot(&state.ctx).await else {
                            continue;
                        };
                        if let Ok(e) = Event::default().event("metrics").json_data(&snap) {
                            return Some((Ok(e), (None, state, user, rx, tick)));
                        }
                    }
                }
            }
        },
    );
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(20))))
}

/// The event as SSE if this account may see it.
fn visible(user: &CurrentUser, event: &BillingEvent) -> Option<Event> {
    if !user.role.allows(event.permission()) {
        return None;
    }
    Event::default().event(event.kind()).json_data(event).ok()
}
