//! The customer's pay page and its small JSON/SSE API.

use billing_domain::{InvoiceStatus, Money};
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use billing_app::events::BillingEvent;
use billing_app::online::{PayPage, PaymentInstructions};
use futures::stream::Stream;
use serde::{Deserialize, Serialize};

use super::page::{render, Lang};
use crate::extract::ApiJson;
use crate::extract::{Path, Query};
use crate::{ApiError, HttpState};

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub lang: Option<String>,
}

pub(super) fn lang(q: &LangQuery, headers: &HeaderMap) -> Lang {
    match q.lang.as_deref() {
        Some("en") => Lang::En,
        Some("id") => Lang::Id,
        _ => {
            let accept = headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if accept.starts_with("en") {
                Lang::En
            } else {
                Lang::Id
            }
        }
    }
}

pub async fn page(
    State(state): State<HttpState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = lang(&q, &headers);
    match billing_app::online::pay_page(&state.ctx, &token).await {
        Ok(view) => {
            let html = render(&view, &token, lang);
            ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
        }
        Err(billing_app::Error::NotFound(_)) => (
            axum::http::StatusCode::NOT_FOUND,
            Html(super::page::not_found(lang)),
        )
            .into_response(),
        Err(err) => ApiError::from(err).into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct StartRequest {
    pub gateway: String,
    pub method: String,
}

#[derive(Debug, Serialize)]
pub struct StartResponse {
    #[serde(flatten)]
    pub instructions: PaymentInstructions,
    /// The QRIS payload drawn as an SVG, when the method is QRIS.
    pub qr_svg: Option<String>,
}

pub async fn start(
    State(state): State<HttpState>,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<StartRequest>,
) -> Result<Json<StartResponse>, ApiError> {
    let instructions =
        billing_app::online::start_payment(&state.ctx, &token, &body.gateway, &body.method).await?;
    let qr_svg = instructions.qr_string.as_deref().and_then(qr_svg);
    Ok(Json(StartResponse {
        instructions,
        qr_svg,
    }))
}

/// Draws a QR code as an inline SVG (no outside service).
pub fn qr_svg(data: &str) -> Option<String> {
    let code = qrcode::QrCode::new(data.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(220, 220)
            .quiet_zone(true)
            .build(),
    )
}

#[derive(Debug, Serialize)]
pub struct StatusResponse {
    pub status: InvoiceStatus,
    pub owed: Money,
    pub paid: Money,
}

async fn current(state: &HttpState, token: &str) -> Result<StatusResponse, ApiError> {
    let view: PayPage = billing_app::online::pay_page_status(&state.ctx, token).await?;
    Ok(StatusResponse {
        status: view.status,
        owed: view.owed,
        paid: view.paid,
    })
}

pub async fn status(
    State(state): State<HttpState>,
    Path(token): Path<String>,
) -> Result<Json<StatusResponse>, ApiError> {
    Ok(Json(current(&state, &token).await?))
}

/// Live status without reloading: an event whenever the invoice changes (and a check every
/// few seconds in case an event was missed). Ends once the invoice is paid.
pub async fn events(
    State(state): State<HttpState>,
    Path(token): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let first = current(&state, &token).await?;
    let rx = state.ctx.events.subscribe();
    let stream = status_stream(state, token, first, rx);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn status_stream(
    state: HttpState,
    token: String,
    first: StatusResponse,
    rx: tokio::sync::broadcast::Receiver<BillingEvent>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    futures::stream::unfold(
        (Some(first), state, token, rx, None),
        |(pending, state, token, mut rx, mut last)| async move {
            if let Some(status) = pending {
                last = Some(status.status);
                let event = Event::default().event("status").json_data(&status).ok()?;
                return Some((Ok(event), (None, state, token, rx, last)));
            }
            if last == Some(InvoiceStatus::Paid) {
                return None;
            }
            loop {
                tokio::select! {
                    _ = rx.recv() => {}
                    _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                }
                let Ok(now) = current(&state, &token).await else {
                    return None;
                };
                if Some(now.status) != last {
                    last = Some(now.status);
                    let event = Event::default().event("status").json_data(&now).ok()?;
                    return Some((Ok(event), (None, state, token, rx, last)));
                }
            }
        },
    )
}

/// Where a gateway sends the customer back: a friendly page that points to the pay page.
pub async fn returned(Path(_reference): Path<String>) -> Html<String> {
    Html(super::page::returned())
}

#[derive(Debug, Serialize)]
pub struct ProofResponse {
    pub payment_id: billing_domain::PaymentId,
    pub status: &'static str,
}

/// A manual transfer's proof (multipart: `amount`, `payer_name`, `proof` image).
pub async fn manual(
    State(state): State<HttpState>,
    Path(token): Path<String>,
    mut form: axum::extract::Multipart,
) -> Result<Json<ProofResponse>, ApiError> {
    let (mut amount, mut payer_name, mut image) = (None, String::new(), Vec::new());
    while let Some(field) = form
        .next_field()
        .await
        .map_err(|e| ApiError::BadRequest(format!("unreadable upload: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| ApiError::BadRequest(format!("unreadable upload: {e}")))?;
        if name != "proof" && bytes.contains(&0) {
            return Err(ApiError::BadQuery {
                field: name.into(),
                message: crate::input::NUL_MESSAGE.into(),
            });
        }
        match name.as_str() {
            "amount" => {
                let text = String::from_utf8_lossy(&bytes);
                let digits: String = text.chars().filter(char::is_ascii_digit).collect();
                // More digits than an i64 holds is far above any transfer: refused below.
                amount = Some(digits.parse::<i64>().unwrap_or(if digits.is_empty() {
                    0
                } else {
                    i64::MAX
                }));
            }
            "payer_name" => payer_name = String::from_utf8_lossy(&bytes).into_owned(),
            "proof" => image = bytes.to_vec(),
            _ => {}
        }
    }
    let upload = billing_app::online::manual::ProofUpload {
        amount: Money::from_minor(amount.unwrap_or(0)),
        payer_name,
        image,
    };
    let payment_id = billing_app::online::manual::submit_proof(&state.ctx, &token, upload).await?;
    Ok(Json(ProofResponse {
        payment_id,
        status: "pending",
    }))
}
