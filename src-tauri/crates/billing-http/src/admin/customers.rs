use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use billing_app::billing::customers::{Customer, CustomerInput, CustomerQuery};
use billing_app::billing::ledger::LedgerEntry;
use billing_app::billing::subscriptions::{Subscription, SubscriptionQuery};
use billing_app::billing::wallets::{BalanceChange, BalanceView};
use billing_domain::Permission as P;
use billing_domain::{CustomerId, Money, SubscriptionId};
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
        .add(Staff(P::CustomersRead), routes!(list))
        .add(Staff(P::CustomersWrite), routes!(create))
        .add(Staff(P::CustomersRead), routes!(get))
        .add(Staff(P::CustomersWrite), routes!(update))
        .add(Staff(P::CustomersRead), routes!(balance))
        .add(Staff(P::BalanceAdjust), routes!(change_balance))
        .add(Staff(P::CustomersWrite), routes!(portal_code))
}

/// A sign-in code for the customer page (`/portal`), for staff to give the customer when
/// WhatsApp cannot send one: valid 5 minutes, with the customer's phone number.
#[utoipa::path(post, operation_id = "customer_portal_code", path = "/customers/{id}/portal-code",
    tag = "customers", security(("bearer" = [])),
    responses((status = 200, body = billing_app::portal::StaffCode), (status = 404, body = ErrorBody)))]
pub async fn portal_code(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<billing_app::portal::StaffCode>, ApiError> {
    Ok(Json(
        billing_app::portal::issue_code(&state.ctx, id, &user.username).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CustomerParams {
    /// Name, phone number (any form) or subscription login.
    pub q: Option<String>,
    pub status: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerList {
    pub items: Vec<Customer>,
    pub total: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCustomer {
    pub name: String,
    /// WhatsApp number in any usual form; stored as `62…`.
    pub phone: String,
    pub address: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateCustomer {
    /// The customer does not want WhatsApp messages.
    pub whatsapp_opt_out: Option<bool>,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerDetail {
    #[serde(flatten)]
    pub customer: Customer,
    pub subscriptions: Vec<Subscription>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BalanceEntryRequest {
    /// `adjustment` or `refund`.
    pub kind: String,
    /// Adjustment: any non-zero amount (negative takes credit away). Refund: > 0.
    pub amount: i64,
    pub reason: String,
    pub subscription_id: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceEntryResult {
    pub entry: LedgerEntry,
    /// The wallet's balance after the entry.
    #[schema(value_type = i64)]
    pub balance: Money,
}

/// Lists and searches customers.
#[utoipa::path(get, operation_id = "list_customers", path = "/customers", tag = "customers", params(CustomerParams),
    security(("bearer" = [])), responses((status = 200, body = CustomerList)))]
pub async fn list(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<CustomerParams>,
) -> Result<Json<CustomerList>, ApiError> {
    let query = CustomerQuery {
        q: p.q,
        status: p.status.filter(|s| !s.is_empty()),
        limit: p.limit.unwrap_or(50),
        offset: p.offset.unwrap_or(0),
    };
    let (items, total) = billing_app::billing::customers::list(&state.ctx, query).await?;
    Ok(Json(CustomerList { items, total }))
}

/// Adds a customer.
#[utoipa::path(post, operation_id = "create_customer", path = "/customers", tag = "customers", request_body = NewCustomer,
    security(("bearer" = [])),
    responses((status = 201, body = Customer), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(body): ApiJson<NewCustomer>,
) -> Result<(StatusCode, Json<Customer>), ApiError> {
    let input = CustomerInput {
        name: Some(body.name),
        phone: Some(body.phone),
        address: body.address,
        notes: body.notes,
        status: None,
        whatsapp_opt_out: None,
    };
    Ok((
        StatusCode::CREATED,
        Json(billing_app::billing::customers::create(&state.ctx, input).await?),
    ))
}

/// One customer with their subscriptions.
#[utoipa::path(get, operation_id = "get_customer", path = "/customers/{id}", tag = "customers", params(("id" = Uuid, Path)), security(("bearer" = [])),
    responses((status = 200, body = CustomerDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<CustomerId>,
) -> Result<Json<CustomerDetail>, ApiError> {
    let customer = billing_app::billing::customers::get(&state.ctx, id).await?;
    let query = SubscriptionQuery {
        customer_id: Some(id),
        limit: 200,
        ..Default::default()
    };
    let (subscriptions, _) = billing_app::billing::subscriptions::list(&state.ctx, query).await?;
    Ok(Json(CustomerDetail {
        customer,
        subscriptions,
    }))
}

/// Changes a customer's details.
#[utoipa::path(patch, operation_id = "update_customer", path = "/customers/{id}", tag = "customers", params(("id" = Uuid, Path)), request_body = UpdateCustomer,
    security(("bearer" = [])),
    responses((status = 200, body = Customer), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<CustomerId>,
    ApiJson(body): ApiJson<UpdateCustomer>,
) -> Result<Json<Customer>, ApiError> {
    let input = CustomerInput {
        name: body.name,
        phone: body.phone,
        address: body.address,
        notes: body.notes,
        status: body.status,
        whatsapp_opt_out: body.whatsapp_opt_out,
    };
    Ok(Json(
        billing_app::billing::customers::update(&state.ctx, id, input).await?,
    ))
}

/// The customer's wallets and their history.
#[utoipa::path(get, operation_id = "get_customer_balance", path = "/customers/{id}/balance", tag = "customers", params(("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = BalanceView), (status = 404, body = ErrorBody)))]
pub async fn balance(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<CustomerId>,
) -> Result<Json<BalanceView>, ApiError> {
    Ok(Json(
        billing_app::billing::wallets::balance(&state.ctx, id).await?,
    ))
}

/// A manual balance adjustment or a refund (reason required).
#[utoipa::path(post, operation_id = "change_customer_balance", path = "/customers/{id}/balance", tag = "customers", params(("id" = Uuid, Path)),
    request_body = BalanceEntryRequest, security(("bearer" = [])),
    responses((status = 201, body = BalanceEntryResult), (status = 422, body = ErrorBody)))]
pub async fn change_balance(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<CustomerId>,
    ApiJson(body): ApiJson<BalanceEntryRequest>,
) -> Result<(StatusCode, Json<BalanceEntryResult>), ApiError> {
    let change = BalanceChange {
        kind: body.kind,
        amount: Money::from_minor(body.amount),
        reason: body.reason,
        subscription_id: body.subscription_id.map(SubscriptionId::from),
    };
    let (entry, balance) =
        billing_app::billing::wallets::change_balance(&state.ctx, Some(user.id), id, change)
            .await?;
    Ok((
        StatusCode::CREATED,
        Json(BalanceEntryResult { entry, balance }),
    ))
}
