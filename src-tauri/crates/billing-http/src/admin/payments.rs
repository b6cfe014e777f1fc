use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_app::billing::payments::{ManualPayment, Payment, PaymentQuery, Settlement};
use billing_domain::Permission as P;
use billing_domain::{CustomerId, InvoiceId, Money, PaymentId};
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
        .add(Staff(P::PaymentsRead), routes!(list))
        .add(Staff(P::PaymentsRecord), routes!(create))
        .add(Staff(P::PaymentsRead), routes!(get))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PaymentParams {
    pub status: Option<String>,
    pub customer_id: Option<Uuid>,
    pub invoice_id: Option<Uuid>,
    /// cash, transfer or a gateway's code.
    pub method: Option<String>,
    /// Paid on or after this day (YYYY-MM-DD, business time zone).
    pub paid_from: Option<chrono::NaiveDate>,
    /// Paid on or before this day.
    pub paid_to: Option<chrono::NaiveDate>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentList {
    pub items: Vec<Payment>,
    pub total: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPayment {
    pub invoice_id: Uuid,
    /// Rupiah, > 0. More than owed becomes credit.
    pub amount: i64,
    /// `cash` or `transfer`.
    pub method: String,
    pub reference: Option<String>,
    pub note: Option<String>,
}

/// Lists payments.
#[utoipa::path(get, operation_id = "list_payments", path = "/payments", tag = "payments", params(PaymentParams),
    security(("bearer" = [])), responses((status = 200, body = PaymentList)))]
pub async fn list(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<PaymentParams>,
) -> Result<Json<PaymentList>, ApiError> {
    let query = PaymentQuery {
        status: p.status.filter(|s| !s.is_empty()),
        customer_id: p.customer_id.map(CustomerId::from),
        invoice_id: p.invoice_id.map(InvoiceId::from),
        method: p.method.filter(|s| !s.is_empty()),
        paid_from: p.paid_from,
        paid_to: p.paid_to,
        limit: p.limit.unwrap_or(50),
        offset: p.offset.unwrap_or(0),
    };
    let (items, total) = billing_app::billing::payments::list(&state.ctx, query).await?;
    Ok(Json(PaymentList { items, total }))
}

/// Records a cash or transfer payment against an invoice.
#[utoipa::path(post, operation_id = "create_payment", path = "/payments", tag = "payments", request_body = NewPayment,
    security(("bearer" = [])),
    responses((status = 201, body = Settlement), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    ApiJson(b): ApiJson<NewPayment>,
) -> Result<(StatusCode, Json<Settlement>), ApiError> {
    let input = ManualPayment {
        invoice_id: b.invoice_id.into(),
        amount: Money::from_minor(b.amount),
        method: b.method,
        reference: b.reference,
        note: b.note,
    };
    let settlement =
        billing_app::billing::payments::record_manual(&state.ctx, Some(user.id), input).await?;
    Ok((StatusCode::CREATED, Json(settlement)))
}

/// One payment.
#[utoipa::path(get, operation_id = "get_payment", path = "/payments/{id}", tag = "payments", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = Payment), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<PaymentId>,
) -> Result<Json<Payment>, ApiError> {
    Ok(Json(
        billing_app::billing::payments::get(&state.ctx, id).await?,
    ))
}
