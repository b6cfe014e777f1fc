//! [`FakeTripay`]: Tripay's closed-payment API (gateways.md §B.1), lighter than the Duitku fake:
//! create, detail, payment-channel, and signed JSON callbacks.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use super::{http_client, qris_payload, send_callback, CallbackDelivery, FakeStatus, Server};
use crate::tripay::transformers as wire;
use crate::tripay::{
    signature, HEADER_EVENT, HEADER_SIGNATURE, PATH_CHANNELS, PATH_CREATE, PATH_DETAIL,
};
use crate::GatewayError;

/// `(code, name, group, flat fee)`.
const CHANNELS: &[(&str, &str, &str, i64)] = &[
    ("BRIVA", "BRI Virtual Account", "Virtual Account", 4250),
    ("BCAVA", "BCA Virtual Account", "Virtual Account", 5500),
    ("QRIS", "QRIS by ShopeePay", "E-Wallet", 750),
    ("ALFAMART", "Alfamart", "Convenience Store", 3500),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeTripayTransaction {
    pub reference: String,
    pub merchant_ref: String,
    pub method: String,
    pub amount: i64,
    pub fee: i64,
    pub callback_url: String,
    pub status: FakeStatus,
    pub pay_code: Option<String>,
    pub qr_string: Option<String>,
    pub expired_time: i64,
    pub seq: u64,
}

#[derive(Debug)]
struct FakeState {
    merchant_code: String,
    api_key: String,
    private_key: String,
    base_url: String,
    transactions: Mutex<HashMap<String, FakeTripayTransaction>>,
    seq: AtomicU64,
}

impl FakeState {
    /// Keyed by Tripay `reference`.
    fn txs(&self) -> MutexGuard<'_, HashMap<String, FakeTripayTransaction>> {
        self.transactions.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A fake Tripay on `127.0.0.1:<random port>`; stops when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct FakeTripay {
    state: Arc<FakeState>,
    _server: Arc<Server>,
    http: reqwest::Client,
}

impl FakeTripay {
    /// Starts the fake. Panics if no local port can be bound (it is a test helper).
    pub async fn start(merchant_code: &str, api_key: &str, private_key: &str) -> FakeTripay {
        let (listener, base_url) = match Server::bind().await {
            Ok(bound) => bound,
            Err(e) => panic!("cannot start FakeTripay: {e}"),
        };
        let state = Arc::new(FakeState {
            merchant_code: merchant_code.to_owned(),
            api_key: api_key.to_owned(),
            private_key: private_key.to_owned(),
            base_url,
            transactions: Mutex::new(HashMap::new()),
            seq: AtomicU64::new(0),
        });
        let router = Router::new()
            .route(PATH_CREATE, post(create))
            .route(PATH_DETAIL, get(detail))
            .route(PATH_CHANNELS, get(channels))
            .with_state(state.clone());
        FakeTripay {
            state,
            _server: Arc::new(Server::serve(listener, router)),
            http: http_client(),
        }
    }

    /// Use as `TripayConfig::base_url`.
    pub fn base_url(&self) -> String {
        format!("{}/", self.state.base_url)
    }

    pub fn mark_paid(&self, merchant_ref: &str) -> bool {
        self.set_status(merchant_ref, FakeStatus::Paid)
    }

    pub fn mark_failed(&self, merchant_ref: &str) -> bool {
        self.set_status(merchant_ref, FakeStatus::Failed)
    }

    pub fn mark_expired(&self, merchant_ref: &str) -> bool {
        self.set_status(merchant_ref, FakeStatus::Expired)
    }

    fn set_status(&self, merchant_ref: &str, status: FakeStatus) -> bool {
        let mut txs = self.state.txs();
        let mut found = false;
        for tx in txs.values_mut().filter(|t| t.merchant_ref == merchant_ref) {
            tx.status = status;
            found = true;
        }
        found
    }

    /// All transactions, in creation order.
    pub fn transactions(&self) -> Vec<FakeTripayTransaction> {
        let mut all: Vec<_> = self.state.txs().values().cloned().collect();
        all.sort_by_key(|t| t.seq);
        all
    }

    pub fn transaction(&self, merchant_ref: &str) -> Option<FakeTripayTransaction> {
        self.transactions()
            .into_iter()
            .rev()
            .find(|t| t.merchant_ref == merchant_ref)
    }

    /// `(raw JSON body, X-Callback-Signature)` of the callback Tripay would send now.
    pub fn signed_callback(&self, merchant_ref: &str) -> Option<(String, String)> {
        let tx = self.transaction(merchant_ref)?;
        let body = json!({
            "reference": tx.reference,
            "merchant_ref": tx.merchant_ref,
            "payment_method": channel(&tx.method).map(|c| c.1).unwrap_or_default(),
            "payment_method_code": tx.method,
            "total_amount": tx.amount,
            "fee_merchant": tx.fee,
            "fee_customer": 0,
            "total_fee": tx.fee,
            "amount_received": tx.amount - tx.fee,
            "is_closed_payment": 1,
            "status": wire_status(tx.status),
            "paid_at": (tx.status == FakeStatus::Paid).then_some(tx.expired_time),
            "note": null,
        })
        .to_string();
        let sig = signature::callback(&self.state.private_key, body.as_bytes());
        Some((body, sig))
    }

    /// POSTs the signed callback (JSON) to `url`.
    pub async fn deliver_callback(
        &self,
        merchant_ref: &str,
        url: &str,
    ) -> Result<CallbackDelivery, GatewayError> {
        let (body, sig) = self
            .signed_callback(merchant_ref)
            .ok_or(GatewayError::NotSupported(
                "FakeTripay: unknown merchant_ref",
            ))?;
        let request = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(HEADER_EVENT, "payment_status")
            .header(HEADER_SIGNATURE, sig)
            .body(body);
        send_callback(request).await
    }
}

fn channel(code: &str) -> Option<&'static (&'static str, &'static str, &'static str, i64)> {
    CHANNELS.iter().find(|c| c.0 == code)
}

fn wire_status(status: FakeStatus) -> &'static str {
    match status {
        FakeStatus::Pending => "UNPAID",
        FakeStatus::Paid => "PAID",
        FakeStatus::Failed => "FAILED",
        FakeStatus::Expired => "EXPIRED",
    }
}

fn fail(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"success": false, "message": message}))).into_response()
}

fn authorized(state: &FakeState, headers: &HeaderMap) -> bool {
    let expected = format!("Bearer {}", state.api_key);
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        == Some(expected.as_str())
}

fn data(tx: &FakeTripayTransaction, state: &FakeState) -> serde_json::Value {
    json!({
        "reference": tx.reference,
        "merchant_ref": tx.merchant_ref,
        "payment_selection_type": "static",
        "payment_method": tx.method,
        "payment_name": channel(&tx.method).map(|c| c.1).unwrap_or_default(),
        "amount": tx.amount,
        "fee_merchant": tx.fee,
        "fee_customer": 0,
        "total_fee": tx.fee,
        "amount_received": tx.amount - tx.fee,
        "pay_code": tx.pay_code,
        "pay_url": null,
        "checkout_url": format!("{}/checkout/{}", state.base_url, tx.reference),
        "status": wire_status(tx.status),
        "expired_time": tx.expired_time,
        "qr_string": tx.qr_string,
        "qr_url": null,
    })
}

async fn create(State(state): State<Arc<FakeState>>, headers: HeaderMap, body: Bytes) -> Response {
    if !authorized(&state, &headers) {
        return fail(StatusCode::UNAUTHORIZED, "Invalid API Key");
    }
    let req: wire::CreateRequest = match serde_json::from_slice(&body) {
        Ok(req) => req,
        Err(e) => return fail(StatusCode::BAD_REQUEST, &format!("Invalid request: {e}")),
    };
    let expected = signature::create(
        &state.private_key,
        &state.merchant_code,
        &req.merchant_ref,
        req.amount,
    );
    if !expected.eq_ignore_ascii_case(&req.signature) {
        return fail(StatusCode::BAD_REQUEST, "Invalid signature");
    }
    let Some(&(code, _, group, fee)) = channel(&req.method) else {
        return fail(StatusCode::BAD_REQUEST, "Payment channel is not enabled");
    };
    let seq = state.seq.fetch_add(1, Ordering::SeqCst) + 1;
    let reference = format!("DEV-{}{seq:010}", state.merchant_code);
    let tx = FakeTripayTransaction {
        merchant_ref: req.merchant_ref,
        method: code.to_owned(),
        amount: req.amount,
        fee,
        callback_url: req.callback_url,
        status: FakeStatus::Pending,
        pay_code: (group != "E-Wallet").then(|| format!("57000{seq:010}")),
        qr_string: (code == "QRIS").then(|| qris_payload("ISP CONTOH", &reference, req.amount)),
        expired_time: req.expired_time,
        reference: reference.clone(),
        seq,
    };
    let answer = data(&tx, &state);
    state.txs().insert(reference, tx);
    Json(json!({"success": true, "message": "", "data": answer})).into_response()
}

#[derive(serde::Deserialize)]
struct DetailQuery {
    #[serde(default)]
    reference: String,
}

async fn detail(
    State(state): State<Arc<FakeState>>,
    headers: HeaderMap,
    Query(q): Query<DetailQuery>,
) -> Response {
    if !authorized(&state, &headers) {
        return fail(StatusCode::UNAUTHORIZED, "Invalid API Key");
    }
    let Some(tx) = state.txs().get(&q.reference).cloned() else {
        return fail(StatusCode::NOT_FOUND, "Transaction not found");
    };
    Json(json!({"success": true, "message": "", "data": data(&tx, &state)})).into_response()
}

async fn channels(State(state): State<Arc<FakeState>>, headers: HeaderMap) -> Response {
    if !authorized(&state, &headers) {
        return fail(StatusCode::UNAUTHORIZED, "Invalid API Key");
    }
    let list: Vec<_> = CHANNELS
        .iter()
        .map(|(code, name, group, fee)| {
            json!({
                "group": group, "code": code, "name": name, "type": "DIRECT",
                "fee_merchant": {"flat": fee, "percent": 0}, "fee_customer": {"flat": 0, "percent": 0},
                "total_fee": {"flat": fee, "percent": "0.00"},
                "icon_url": format!("https://tripay.co.id/images/payment-channel/{code}.png"),
                "active": true,
            })
        })
        .collect();
    Json(json!({"success": true, "message": "Success", "data": list})).into_response()
}
