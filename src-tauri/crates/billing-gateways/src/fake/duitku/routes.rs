//! The fake's HTTP endpoints, answering like Duitku's API family.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::{FakeDuitkuTransaction, FakeState, CHANNELS, CHECKOUT_PAGE, PAY_PAGE};
use crate::duitku::signature;
use crate::duitku::transformers as wire;
use crate::fake::{qris_payload, FakeStatus};
use crate::MethodKind;

/// Duitku's error answer: a non-2xx status with `{"Message": …}` (§A.3; texts are [U]).
pub(super) struct DuitkuError(StatusCode, String);

impl IntoResponse for DuitkuError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "Message": self.1 }))).into_response()
    }
}

fn error(status: StatusCode, message: &str) -> DuitkuError {
    DuitkuError(status, message.to_owned())
}

fn available(state: &FakeState) -> Result<(), DuitkuError> {
    if state.unavailable.load(Ordering::SeqCst) {
        return Err(error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable",
        ));
    }
    Ok(())
}

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, DuitkuError> {
    serde_json::from_slice(body)
        .map_err(|e| error(StatusCode::BAD_REQUEST, &format!("Bad request: {e}")))
}

fn check(
    state: &FakeState,
    merchant_code: &str,
    expected: &str,
    received: &str,
) -> Result<(), DuitkuError> {
    if merchant_code != state.merchant_code {
        return Err(error(StatusCode::UNAUTHORIZED, "Merchant not found"));
    }
    if !expected.eq_ignore_ascii_case(received) {
        return Err(error(StatusCode::UNAUTHORIZED, "Wrong signature"));
    }
    Ok(())
}

type Answer = Result<Response, DuitkuError>;

pub(super) async fn payment_methods(State(state): State<Arc<FakeState>>, body: Bytes) -> Answer {
    available(&state)?;
    let req: wire::MethodsRequest = parse(&body)?;
    let expected = signature::payment_methods(
        &req.merchant_code,
        req.amount,
        &req.datetime,
        &state.api_key,
    );
    check(&state, &req.merchant_code, &expected, &req.signature)?;
    let methods: Vec<_> = CHANNELS
        .iter()
        .map(|(code, name, fee)| {
            json!({
                "paymentMethod": code,
                "paymentName": name,
                "paymentImage": format!("https://images.duitku.com/hotlink-ok/{code}.PNG"),
                "totalFee": fee.to_string(),
            })
        })
        .collect();
    Ok(
        Json(json!({"paymentFee": methods, "responseCode": "00", "responseMessage": "SUCCESS"}))
            .into_response(),
    )
}

pub(super) async fn inquiry(State(state): State<Arc<FakeState>>, body: Bytes) -> Answer {
    state.inquiry_calls.fetch_add(1, Ordering::SeqCst);
    available(&state)?;
    let req: wire::InquiryRequest = parse(&body)?;
    let expected = signature::inquiry(
        &req.merchant_code,
        &req.order.merchant_order_id,
        req.order.payment_amount,
        &state.api_key,
    );
    check(&state, &req.merchant_code, &expected, &req.signature)?;
    admissible(&state, &req.order)?;
    if !CHANNELS
        .iter()
        .any(|(code, _, _)| *code == req.payment_method)
    {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "Payment channel not available",
        ));
    }
    let (seq, reference) = next_reference(&state);
    let kind = wire::method_kind(&req.payment_method);
    let va_number = match kind {
        MethodKind::VirtualAccount | MethodKind::Retail => format!("7007014{seq:09}"),
        _ => String::new(),
    };
    let qr_string = match kind {
        MethodKind::Qris => qris_payload("ISP CONTOH", &reference, req.order.payment_amount),
        _ => String::new(),
    };
    let payment_url = format!("{}{PAY_PAGE}?ref={reference}", state.base_url);
    let tx = FakeDuitkuTransaction {
        payment_method: req.payment_method,
        va_number,
        qr_string,
        ..opened(req.order, req.callback_url, seq, reference, payment_url)
    };
    let answer = json!({
        "merchantCode": state.merchant_code,
        "reference": tx.reference,
        "paymentUrl": tx.payment_url,
        "vaNumber": tx.va_number,
        "qrString": tx.qr_string,
        "amount": tx.amount.to_string(),
        "statusCode": "00",
        "statusMessage": "SUCCESS",
    });
    remember(&state, tx)?;
    Ok(Json(answer).into_response())
}

/// What both ways of opening a payment refuse: an amount under 1 rupiah, an order id seen
/// before.
fn admissible(state: &FakeState, order: &wire::Order) -> Result<(), DuitkuError> {
    if order.payment_amount <= 0 {
        return Err(error(StatusCode::BAD_REQUEST, "Minimum Payment 1 IDR"));
    }
    if state.txs().contains_key(&order.merchant_order_id) {
        return Err(duplicate());
    }
    Ok(())
}

fn duplicate() -> DuitkuError {
    error(StatusCode::CONFLICT, "Duplicate merchantOrderId")
}

/// The next creation number and Duitku's reference for it.
fn next_reference(state: &FakeState) -> (u64, String) {
    let seq = state.seq.fetch_add(1, Ordering::SeqCst) + 1;
    (seq, format!("{}25{:013}", state.merchant_code, seq))
}

/// A pending transaction for `order`, with no method, VA number or QR yet.
fn opened(
    order: wire::Order,
    callback_url: String,
    seq: u64,
    reference: String,
    payment_url: String,
) -> FakeDuitkuTransaction {
    FakeDuitkuTransaction {
        merchant_order_id: order.merchant_order_id,
        payment_url,
        reference,
        amount: order.payment_amount,
        payment_method: String::new(),
        product_details: order.product_details,
        callback_url,
        return_url: order.return_url,
        va_number: String::new(),
        qr_string: String::new(),
        expiry_minutes: order.expiry_period,
        checkout: false,
        status: FakeStatus::Pending,
        seq,
    }
}

/// Keeps a new transaction; an order id that arrived meanwhile is refused as a duplicate.
fn remember(state: &FakeState, tx: FakeDuitkuTransaction) -> Result<(), DuitkuError> {
    match state.txs().entry(tx.merchant_order_id.clone()) {
        std::collections::hash_map::Entry::Occupied(_) => Err(duplicate()),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(tx);
            Ok(())
        }
    }
}

pub(super) async fn transaction_status(State(state): State<Arc<FakeState>>, body: Bytes) -> Answer {
    state.status_calls.fetch_add(1, Ordering::SeqCst);
    available(&state)?;
    let req: wire::StatusRequest = parse(&body)?;
    let expected = signature::status(&req.merchant_code, &req.merchant_order_id, &state.api_key);
    check(&state, &req.merchant_code, &expected, &req.signature)?;
    let Some(tx) = state.txs().get(&req.merchant_order_id).cloned() else {
        return Err(error(StatusCode::BAD_REQUEST, "Transaction not found"));
    };
    let (code, message) = match tx.status {
        FakeStatus::Paid => ("00", "SUCCESS"),
        FakeStatus::Pending => ("01", "PROCESS"),
        FakeStatus::Failed | FakeStatus::Expired => ("02", "FAILED"),
    };
    Ok(Json(json!({
        "merchantOrderId": tx.merchant_order_id,
        "reference": tx.reference,
        "amount": tx.amount.to_string(),
        "fee": "0.00",
        "statusCode": code,
        "statusMessage": message,
    }))
    .into_response())
}

#[derive(serde::Deserialize)]
pub(super) struct PayPageQuery {
    #[serde(rename = "ref", default)]
    reference: String,
}

/// A bare stand-in for Duitku's hosted page (no actions: tests pay with `mark_paid`).
pub(super) async fn pay_page(
    State(state): State<Arc<FakeState>>,
    Query(q): Query<PayPageQuery>,
) -> Response {
    let found = state
        .txs()
        .values()
        .find(|t| t.reference == q.reference)
        .cloned();
    match found {
        Some(tx) => Html(format!(
            "<!doctype html><title>Fake Duitku</title><h1>Fake Duitku</h1>\
             <p id=\"reference\">{}</p><p id=\"amount\">{}</p><p id=\"status\">{:?}</p>",
            tx.reference, tx.amount, tx.status
        ))
        .into_response(),
        None => (StatusCode::NOT_FOUND, "unknown reference").into_response(),
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// POP `createInvoice` (§A.4): merchant code, epoch-millisecond timestamp and their SHA-256
/// signature in the `x-duitku-*` headers; no `paymentMethod` needed (chosen on the page).
pub(super) async fn create_invoice(
    State(state): State<Arc<FakeState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Answer {
    state.checkout_calls.fetch_add(1, Ordering::SeqCst);
    available(&state)?;
    let merchant_code = header(&headers, "x-duitku-merchantcode");
    let timestamp = header(&headers, "x-duitku-timestamp");
    let Ok(timestamp_ms) = timestamp.parse::<i64>() else {
        return Err(error(StatusCode::BAD_REQUEST, "Invalid timestamp"));
    };
    let expected = signature::pop_header(merchant_code, timestamp_ms, &state.api_key);
    check(
        &state,
        merchant_code,
        &expected,
        header(&headers, "x-duitku-signature"),
    )?;
    let req: wire::PopInvoiceRequest = parse(&body)?;
    if req.order.merchant_order_id.is_empty() || req.order.return_url.is_empty() {
        return Err(error(
            StatusCode::BAD_REQUEST,
            "merchantOrderId and returnUrl are required",
        ));
    }
    admissible(&state, &req.order)?;
    let (seq, reference) = next_reference(&state);
    let payment_url = format!("{}{CHECKOUT_PAGE}?reference={reference}", state.base_url);
    let tx = FakeDuitkuTransaction {
        checkout: true,
        ..opened(req.order, req.callback_url, seq, reference, payment_url)
    };
    let answer = json!({
        "merchantCode": state.merchant_code,
        "reference": tx.reference,
        "paymentUrl": tx.payment_url,
        "statusCode": "00",
        "statusMessage": "SUCCESS",
    });
    remember(&state, tx)?;
    Ok(Json(answer).into_response())
}

#[derive(serde::Deserialize)]
pub(super) struct CheckoutQuery {
    #[serde(default)]
    reference: String,
}

/// A bare stand-in for Duitku's POP checkout page (tests pay with `mark_paid`).
pub(super) async fn checkout_page(
    State(state): State<Arc<FakeState>>,
    Query(q): Query<CheckoutQuery>,
) -> Response {
    pay_page(
        State(state),
        Query(PayPageQuery {
            reference: q.reference,
        }),
    )
    .await
}
