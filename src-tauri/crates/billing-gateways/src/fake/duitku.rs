//! [`FakeDuitku`]: Duitku's API family (gateways.md §A.2, A.3, A.6), POP `createInvoice` with
//! its hosted checkout page (§A.4; one host serves both families) and callback delivery (§A.5).
//! Error answers follow §A.3's `{"Message": …}` with a non-2xx status; the exact texts are [U].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::routing::{get, post};
use axum::Router;

use super::{http_client, send_callback, CallbackDelivery, FakeStatus, Server};
use crate::duitku::transformers::CallbackForm;
use crate::duitku::{
    signature, PATH_INQUIRY, PATH_PAYMENT_METHODS, PATH_POP_CREATE_INVOICE, PATH_STATUS,
};
use crate::GatewayError;

mod routes;

/// Where the fake's hosted payment page lives (`paymentUrl`).
pub const PAY_PAGE: &str = "/topup/topupdirectv2.aspx";
/// Where the fake's POP checkout page lives (`paymentUrl` of `createInvoice`).
pub const CHECKOUT_PAGE: &str = "/redirect_checkout";
/// The channels the fake merchant has enabled, with their flat fees.
const CHANNELS: &[(&str, &str, i64)] = &[
    ("BC", "BCA VA", 4000),
    ("M2", "MANDIRI VA", 4000),
    ("I1", "BNI VA", 3000),
    ("BR", "BRIVA", 3000),
    ("SP", "SHOPEEPAY QRIS", 0),
    ("NQ", "NOBU QRIS", 0),
    ("OV", "OVO", 1500),
    ("DA", "DANA", 1500),
    ("IR", "INDOMARET", 5000),
];

/// A transaction as the fake stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeDuitkuTransaction {
    pub merchant_order_id: String,
    pub reference: String,
    pub amount: i64,
    /// Empty for a POP checkout until the customer chooses.
    pub payment_method: String,
    pub product_details: String,
    pub callback_url: String,
    pub return_url: String,
    pub payment_url: String,
    pub va_number: String,
    pub qr_string: String,
    pub expiry_minutes: Option<u32>,
    /// Created through POP `createInvoice` (the hosted checkout page).
    pub checkout: bool,
    pub status: FakeStatus,
    /// Creation order.
    pub seq: u64,
}

#[derive(Debug)]
struct FakeState {
    merchant_code: String,
    api_key: String,
    base_url: String,
    transactions: Mutex<HashMap<String, FakeDuitkuTransaction>>,
    seq: AtomicU64,
    unavailable: AtomicBool,
    status_calls: AtomicU64,
    inquiry_calls: AtomicU64,
    checkout_calls: AtomicU64,
}

impl FakeState {
    fn txs(&self) -> MutexGuard<'_, HashMap<String, FakeDuitkuTransaction>> {
        self.transactions.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A fake Duitku on `127.0.0.1:<random port>`. Cheap to clone; the server stops when the last
/// clone is dropped.
#[derive(Debug, Clone)]
pub struct FakeDuitku {
    state: Arc<FakeState>,
    _server: Arc<Server>,
    http: reqwest::Client,
}

impl FakeDuitku {
    /// Starts the fake. Panics if no local port can be bound (it is a test helper).
    pub async fn start(merchant_code: &str, api_key: &str) -> FakeDuitku {
        match Self::try_start(merchant_code, api_key).await {
            Ok(fake) => fake,
            Err(e) => panic!("cannot start FakeDuitku: {e}"),
        }
    }

    pub async fn try_start(merchant_code: &str, api_key: &str) -> std::io::Result<FakeDuitku> {
        let (listener, base_url) = Server::bind().await?;
        let state = Arc::new(FakeState {
            merchant_code: merchant_code.to_owned(),
            api_key: api_key.to_owned(),
            base_url,
            transactions: Mutex::new(HashMap::new()),
            seq: AtomicU64::new(0),
            unavailable: AtomicBool::new(false),
            status_calls: AtomicU64::new(0),
            inquiry_calls: AtomicU64::new(0),
            checkout_calls: AtomicU64::new(0),
        });
        let router = Router::new()
            .route(PATH_PAYMENT_METHODS, post(routes::payment_methods))
            .route(PATH_INQUIRY, post(routes::inquiry))
            .route(PATH_STATUS, post(routes::transaction_status))
            .route(PAY_PAGE, get(routes::pay_page))
            .route(PATH_POP_CREATE_INVOICE, post(routes::create_invoice))
            .route(CHECKOUT_PAGE, get(routes::checkout_page))
            .with_state(state.clone());
        let server = Arc::new(Server::serve(listener, router));
        Ok(FakeDuitku {
            state,
            _server: server,
            http: http_client(),
        })
    }

    /// `http://127.0.0.1:<port>`: use as `DuitkuConfig::base_url`.
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// Marks a transaction paid (transactionStatus answers `00`). False if unknown.
    pub fn mark_paid(&self, merchant_ref: &str) -> bool {
        self.set_status(merchant_ref, FakeStatus::Paid)
    }

    /// Marks a transaction paid for another amount than it was created for (an open-amount
    /// VA, a transfer of another sum): transactionStatus answers `00` with that amount.
    /// False if unknown.
    pub fn mark_paid_amount(&self, merchant_ref: &str, amount: i64) -> bool {
        match self.state.txs().get_mut(merchant_ref) {
            Some(tx) => {
                tx.status = FakeStatus::Paid;
                tx.amount = amount;
                true
            }
            None => false,
        }
    }

    /// Marks a transaction failed (transactionStatus answers `02`). False if unknown.
    pub fn mark_failed(&self, merchant_ref: &str) -> bool {
        self.set_status(merchant_ref, FakeStatus::Failed)
    }

    /// Marks a transaction expired (transactionStatus answers `02`, as Duitku does). False if
    /// unknown.
    pub fn mark_expired(&self, merchant_ref: &str) -> bool {
        self.set_status(merchant_ref, FakeStatus::Expired)
    }

    fn set_status(&self, merchant_ref: &str, status: FakeStatus) -> bool {
        match self.state.txs().get_mut(merchant_ref) {
            Some(tx) => {
                tx.status = status;
                true
            }
            None => false,
        }
    }

    /// All transactions, in creation order.
    pub fn transactions(&self) -> Vec<FakeDuitkuTransaction> {
        let mut all: Vec<_> = self.state.txs().values().cloned().collect();
        all.sort_by_key(|tx| tx.seq);
        all
    }

    pub fn transaction(&self, merchant_ref: &str) -> Option<FakeDuitkuTransaction> {
        self.state.txs().get(merchant_ref).cloned()
    }

    /// While true every API endpoint answers 503 (to test retries and the poller).
    pub fn set_unavailable(&self, unavailable: bool) {
        self.state.unavailable.store(unavailable, Ordering::SeqCst);
    }

    /// How many transactionStatus requests arrived (valid or not).
    pub fn status_calls(&self) -> u64 {
        self.state.status_calls.load(Ordering::SeqCst)
    }

    /// How many v2 inquiry requests arrived (valid or not).
    pub fn inquiry_calls(&self) -> u64 {
        self.state.inquiry_calls.load(Ordering::SeqCst)
    }

    /// How many POP createInvoice requests arrived (valid or not).
    pub fn checkout_calls(&self) -> u64 {
        self.state.checkout_calls.load(Ordering::SeqCst)
    }

    /// The exact form body Duitku would POST for this transaction, correctly signed.
    /// Panics if the fake does not know `merchant_ref` (see [`Self::try_signed_callback_form`]).
    pub fn signed_callback_form(&self, merchant_ref: &str, result_code: &str) -> String {
        match self.try_signed_callback_form(merchant_ref, result_code) {
            Some(form) => form,
            None => panic!("FakeDuitku knows no transaction {merchant_ref:?}"),
        }
    }

    pub fn try_signed_callback_form(
        &self,
        merchant_ref: &str,
        result_code: &str,
    ) -> Option<String> {
        let tx = self.transaction(merchant_ref)?;
        Some(self.callback_form_for(merchant_ref, &tx.amount.to_string(), result_code))
    }

    /// A signed callback form for any order and amount text (e.g. `"15000"` for the
    /// amount-mismatch fixture), whether or not the fake created it.
    pub fn callback_form_for(&self, merchant_ref: &str, amount: &str, result_code: &str) -> String {
        let tx = self.transaction(merchant_ref);
        let form = CallbackForm {
            merchant_code: self.state.merchant_code.clone(),
            amount: amount.to_owned(),
            merchant_order_id: merchant_ref.to_owned(),
            product_detail: tx
                .as_ref()
                .map(|t| t.product_details.clone())
                .unwrap_or_default(),
            payment_code: tx
                .as_ref()
                .map(|t| t.payment_method.clone())
                .unwrap_or_default(),
            result_code: result_code.to_owned(),
            reference: tx.as_ref().map(|t| t.reference.clone()).unwrap_or_default(),
            signature: signature::callback(
                &self.state.merchant_code,
                amount,
                merchant_ref,
                &self.state.api_key,
            ),
            publisher_order_id: tx
                .map(|t| format!("{}{:012}", t.payment_method, t.seq))
                .unwrap_or_default(),
            ..CallbackForm::default()
        };
        serde_urlencoded::to_string(&form).unwrap_or_default()
    }

    /// POSTs the signed callback (form-encoded) to `url`. The result code follows the stored
    /// status: `00` when paid, `01` otherwise.
    pub async fn deliver_callback(
        &self,
        merchant_ref: &str,
        url: &str,
    ) -> Result<CallbackDelivery, GatewayError> {
        let paid = self.transaction(merchant_ref).map(|t| t.status) == Some(FakeStatus::Paid);
        self.deliver_callback_with(merchant_ref, url, if paid { "00" } else { "01" })
            .await
    }

    /// POSTs a signed callback with an explicit `resultCode`.
    pub async fn deliver_callback_with(
        &self,
        merchant_ref: &str,
        url: &str,
        result_code: &str,
    ) -> Result<CallbackDelivery, GatewayError> {
        let body = self
            .try_signed_callback_form(merchant_ref, result_code)
            .ok_or(GatewayError::NotSupported(
                "FakeDuitku: unknown merchant_ref",
            ))?;
        self.post_form(url, body).await
    }

    /// POSTs any form body (e.g. a tampered one) to `url`.
    pub async fn post_form(
        &self,
        url: &str,
        body: String,
    ) -> Result<CallbackDelivery, GatewayError> {
        let request = self
            .http
            .post(url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(body);
        send_callback(request).await
    }

    /// What a real payment does: mark paid, then deliver the callback to the stored
    /// `callbackUrl`. `Ok(None)` if the transaction has no callback URL.
    pub async fn mark_paid_and_notify(
        &self,
        merchant_ref: &str,
    ) -> Result<Option<CallbackDelivery>, GatewayError> {
        if !self.mark_paid(merchant_ref) {
            return Err(GatewayError::NotSupported(
                "FakeDuitku: unknown merchant_ref",
            ));
        }
        let url = self
            .transaction(merchant_ref)
            .map(|t| t.callback_url)
            .unwrap_or_default();
        if url.is_empty() {
            return Ok(None);
        }
        self.deliver_callback_with(merchant_ref, &url, "00")
            .await
            .map(Some)
    }
}
