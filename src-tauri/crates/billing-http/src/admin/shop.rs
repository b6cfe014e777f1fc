//! `/api/shop/*`: the online voucher shop's settings and its orders.

use axum::extract::State;
use axum::Json;
use billing_app::vouchers::shop::{
    self, DeliveryOutcome, ShopOrder, ShopSettings, ShopSettingsInput,
};
use billing_domain::Permission as P;
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
        .add(Staff(P::SettingsRead), routes!(get_settings))
        .add(Staff(P::SettingsWrite), routes!(put_settings))
        .add(Staff(P::VouchersRead), routes!(list_orders))
        .add(Staff(P::VouchersSell), routes!(deliver))
        .add(Staff(P::PaymentsRecord), routes!(review))
}

/// The shop's settings, its public address and what keeps it from selling, if anything.
#[utoipa::path(get, operation_id = "get_shop_settings", path = "/shop/settings", tag = "vouchers",
    security(("bearer" = [])), responses((status = 200, body = ShopSettings)))]
pub async fn get_settings(
    State(state): State<HttpState>,
    _user: AuthUser,
) -> Result<Json<ShopSettings>, ApiError> {
    Ok(Json(shop::settings(&state.ctx).await?))
}

/// Switches the shop on or off, chooses its router and the alert time.
#[utoipa::path(put, operation_id = "put_shop_settings", path = "/shop/settings", tag = "vouchers",
    request_body = ShopSettingsInput, security(("bearer" = [])),
    responses((status = 200, body = ShopSettings), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<HttpState>,
    _user: AuthUser,
    ApiJson(input): ApiJson<ShopSettingsInput>,
) -> Result<Json<ShopSettings>, ApiError> {
    Ok(Json(shop::update_settings(&state.ctx, input).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OrdersParams {
    /// all (default), open, paid, undelivered or review.
    pub status: Option<String>,
    /// Default 100, at most 500.
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShopOrderList {
    pub items: Vec<ShopOrder>,
}

/// The shop's orders, newest first.
#[utoipa::path(get, operation_id = "list_shop_orders", path = "/shop/orders", tag = "vouchers",
    params(OrdersParams), security(("bearer" = [])),
    responses((status = 200, body = ShopOrderList), (status = 422, body = ErrorBody)))]
pub async fn list_orders(
    State(state): State<HttpState>,
    _user: AuthUser,
    Query(p): Query<OrdersParams>,
) -> Result<Json<ShopOrderList>, ApiError> {
    Ok(Json(ShopOrderList {
        items: shop::list_orders(&state.ctx, p.status.as_deref(), p.limit.unwrap_or(100)).await?,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ShopDeliveryResult {
    pub outcome: DeliveryOutcome,
    pub order: ShopOrder,
}

/// Makes a paid order's voucher now (after the router came back); at most one voucher per
/// order whatever happens.
#[utoipa::path(post, operation_id = "deliver_shop_order", path = "/shop/orders/{id}/deliver",
    tag = "vouchers", security(("bearer" = [])),
    responses((status = 200, body = ShopDeliveryResult), (status = 404, body = ErrorBody)))]
pub async fn deliver(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<Uuid>,
) -> Result<Json<ShopDeliveryResult>, ApiError> {
    let outcome = shop::deliver(&state.ctx, id).await?;
    let order = shop::get_order(&state.ctx, id).await?;
    Ok(Json(ShopDeliveryResult { outcome, order }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ShopReview {
    /// Another amount than the price: true counts it as the order's payment (the voucher is
    /// made), false refuses it. A second payment of a paid order: marks it refunded either way.
    pub accept: bool,
}

/// The owner's decision on a shop payment held for review.
#[utoipa::path(post, operation_id = "review_shop_payment", path = "/shop/payments/{id}/review",
    tag = "vouchers", request_body = ShopReview, security(("bearer" = [])),
    responses((status = 200, body = ShopOrder), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn review(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<ShopReview>,
) -> Result<Json<ShopOrder>, ApiError> {
    billing_app::online::orders::resolve_review(&state.ctx, id, body.accept, &user.username)
        .await?;
    let order: Uuid = shop::order_of_payment(&state.ctx, id).await?;
    Ok(Json(shop::get_order(&state.ctx, order).await?))
}
