use axum::extract::State;
use axum::Json;
use billing_app::billing::invoices::{BalanceApplied, Invoice, InvoiceQuery, InvoiceSummary};
use billing_app::billing::monthly_run::Scope;
use billing_domain::Permission as P;
use billing_domain::{CustomerId, InvoiceId, Money, SubscriptionId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::routes;
use uuid::Uuid;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::error::ErrorBody;
use crate::extract::{ApiJson, AuthUser};
use crate::extract::{Path, Query};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .add(Staff(P::InvoicesRead), routes!(list))
        .add(Staff(P::InvoicesRead), routes!(get))
        .add(Staff(P::InvoicesAdjust), routes!(void))
        .add(Staff(P::InvoicesAdjust), routes!(discount))
        .add(Staff(P::PaymentsRecord), routes!(apply_balance))
        .add(Staff(P::BillingRun), routes!(run))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct InvoiceParams {
    /// A status, or `open` for unpaid and partial.
    pub status: Option<String>,
    pub customer_id: Option<Uuid>,
    pub subscription_id: Option<Uuid>,
    /// Invoice number, customer name or login.
    pub q: Option<String>,
    /// `overdue` (open with debt past due) or `soon` (open, due within 7 days, not overdue).
    pub due: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvoiceList {
    pub items: Vec<InvoiceSummary>,
    pub total: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VoidRequest {
    pub reason: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BillingRunRequest {
    /// Only list what would be issued.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BillingRunResult {
    pub issued: usize,
    pub dry_run: bool,
    pub invoices: Vec<InvoiceSummary>,
}

/// Lists invoices.
#[utoipa::path(get, operation_id = "list_invoices", path = "/invoices", tag = "invoices", params(InvoiceParams),
    security(("bearer" = [])), responses((status = 200, body = InvoiceList)))]
pub async fn list(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<InvoiceParams>,
) -> Result<Json<InvoiceList>, ApiError> {
    let query = InvoiceQuery {
        status: p.status.filter(|s| !s.is_empty()),
        customer_id: p.customer_id.map(CustomerId::from),
        subscription_id: p.subscription_id.map(SubscriptionId::from),
        q: p.q,
        due: p.due,
        limit: p.limit.unwrap_or(50),
        offset: p.offset.unwrap_or(0),
    };
    let (items, total) = billing_app::billing::invoices::list(&state.ctx, query).await?;
    Ok(Json(InvoiceList { items, total }))
}

/// One invoice with its lines, payments and carry-overs.
#[utoipa::path(get, operation_id = "get_invoice", path = "/invoices/{id}", tag = "invoices", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = Invoice), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<InvoiceId>,
) -> Result<Json<Invoice>, ApiError> {
    Ok(Json(
        billing_app::billing::invoices::get(&state.ctx, id).await?,
    ))
}

/// Voids an invoice; what was paid into it becomes credit.
#[utoipa::path(post, operation_id = "void_invoice", path = "/invoices/{id}/void", tag = "invoices", params(("id" = Uuid, Path)), request_body = VoidRequest,
    security(("bearer" = [])),
    responses((status = 200, body = Invoice), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn void(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<InvoiceId>,
    ApiJson(b): ApiJson<VoidRequest>,
) -> Result<Json<Invoice>, ApiError> {
    Ok(Json(
        billing_app::billing::invoices::void(&state.ctx, id, &b.reason).await?,
    ))
}

/// Pays what an open invoice still owes from credit: the subscription's wallet first, then
/// the customer's own; the invoice is paid or partly paid.
#[utoipa::path(post, operation_id = "apply_invoice_balance", path = "/invoices/{id}/apply-balance", tag = "invoices", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = BalanceApplied), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn apply_balance(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<InvoiceId>,
) -> Result<Json<BalanceApplied>, ApiError> {
    Ok(Json(
        billing_app::billing::invoices::apply_balance(&state.ctx, Some(user.id), id).await?,
    ))
}

/// Issues every invoice that is due now, including periods missed while the app was closed.
#[utoipa::path(post, operation_id = "run_billing", path = "/billing/run", tag = "invoices", request_body = BillingRunRequest,
    security(("bearer" = [])), responses((status = 200, body = BillingRunResult)))]
pub async fn run(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(b): ApiJson<BillingRunRequest>,
) -> Result<Json<BillingRunResult>, ApiError> {
    let scope = Scope::All {
        through: state.ctx.today(),
    };
    let ids = if b.dry_run {
        billing_app::billing::monthly_run::preview(&state.ctx, scope).await?
    } else {
        billing_app::billing::monthly_run::run(&state.ctx, scope).await?
    };
    let invoices = if b.dry_run {
        Vec::new()
    } else {
        billing_app::billing::invoices::summaries(&state.ctx, &ids[..ids.len().min(200)]).await?
    };
    Ok(Json(BillingRunResult {
        issued: ids.len(),
        dry_run: b.dry_run,
        invoices,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DiscountRequest {
    /// Rupiah taken off what is still owed.
    pub amount: i64,
    pub reason: String,
}

/// Grants a discount on an open invoice.
#[utoipa::path(post, operation_id = "discount_invoice", path = "/invoices/{id}/discount",
    tag = "invoices", params(("id" = Uuid, Path)), request_body = DiscountRequest, security(("bearer" = [])),
    responses((status = 200, body = Invoice), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn discount(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<InvoiceId>,
    ApiJson(b): ApiJson<DiscountRequest>,
) -> Result<Json<Invoice>, ApiError> {
    Ok(Json(
        billing_app::billing::invoices::discount(
            &state.ctx,
            id,
            Money::from_minor(b.amount),
            &b.reason,
        )
        .await?,
    ))
}
