//! The dashboard home and the reports (`/api/reports/{name}`), each as JSON, CSV or XLSX.

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use billing_app::insight::home::DashboardHome;
use billing_app::insight::reports::{self as r, RawFilter, ReportFilter, Table, VoucherSalesGroup};
use billing_domain::Permission as P;
use serde::Deserialize;
use utoipa::IntoParams;
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
        .add(Staff(P::DashboardView), routes!(home))
        .add(Staff(P::ReportsRead), routes!(revenue))
        .add(Staff(P::ReportsRead), routes!(payments_by_method))
        .add(Staff(P::ReportsRead), routes!(payments_by_cashier))
        .add(Staff(P::ReportsRead), routes!(arrears_aging))
        .add(Staff(P::ReportsRead), routes!(subscribers))
        .add(Staff(P::ReportsRead), routes!(vouchers_by_profile))
        .add(Staff(P::ReportsRead), routes!(vouchers_by_reseller))
        .add(Staff(P::ReportsRead), routes!(top_unpaid))
}

/// Today at a glance: income today and this month by method, invoices due soon and overdue,
/// arrears, isolated subscribers, vouchers sold and in use, routers, WhatsApp sessions,
/// transfer proofs awaiting confirmation.
#[utoipa::path(get, operation_id = "dashboard_home", path = "/dashboard/home", tag = "reports",
    security(("bearer" = [])), responses((status = 200, body = DashboardHome)))]
pub async fn home(
    State(state): State<HttpState>,
    AuthUser(user): AuthUser,
) -> Result<Json<DashboardHome>, ApiError> {
    let with_alerts = user.role.allows(billing_domain::Permission::MonitoringRead);
    Ok(Json(
        billing_app::insight::home::home(&state.ctx, with_alerts).await?,
    ))
}

/// The filter of every report and the output format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// YYYY-MM-DD; default: the first day of the month eleven months before `to`.
    pub from: Option<String>,
    /// YYYY-MM-DD; default: today.
    pub to: Option<String>,
    /// Only subscriptions and vouchers of this router.
    pub router_id: Option<String>,
    /// Rows of the top-unpaid report (1–1000, default 20).
    pub limit: Option<String>,
    /// json (default), csv or xlsx (a download).
    pub format: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Json,
    Csv,
    Xlsx,
}

async fn parse(state: &HttpState, p: ReportParams) -> Result<(ReportFilter, Format), ApiError> {
    let format = match p.format.as_deref().map(str::trim).unwrap_or("") {
        "" | "json" => Format::Json,
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        _ => {
            return Err(ApiError::BadQuery {
                field: "format".into(),
                message: "format is json, csv or xlsx".into(),
            })
        }
    };
    let raw = RawFilter {
        from: p.from,
        to: p.to,
        router_id: p.router_id,
        limit: p.limit,
    };
    let filter = ReportFilter::parse(&state.ctx, &raw)
        .await
        .map_err(|e| match e {
            billing_app::Error::Validation { field, message } => ApiError::BadQuery {
                field: field.into(),
                message,
            },
            other => other.into(),
        })?;
    Ok((filter, format))
}

fn respond<T: serde::Serialize>(
    format: Format,
    report: &T,
    table: impl FnOnce(&T) -> Table,
) -> Result<Response, ApiError> {
    if format == Format::Json {
        return Ok(Json(report).into_response());
    }
    let table = table(report);
    let (bytes, ext, mime) = if format == Format::Csv {
        (
            crate::export::csv(&table).map_err(ApiError::Internal)?,
            "csv",
            "text/csv; charset=utf-8",
        )
    } else {
        (
            crate::export::xlsx(&table).map_err(ApiError::Internal)?,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    };
    let stem = &table.file_stem;
    let mut res = bytes.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    let disposition = format!("attachment; filename=\"mikrobill_{stem}.{ext}\"");
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

macro_rules! report {
    ($fn:ident, $path:literal, $op:literal, $body:ty, $doc:literal, |$ctx:ident, $f:ident| $run:expr) => {
        #[doc = $doc]
        #[utoipa::path(get, operation_id = $op, path = $path, tag = "reports", params(ReportParams),
            security(("bearer" = [])),
            responses((status = 200, body = $body,
                       description = "JSON; with format=csv or xlsx, the report as a file download"),
                      (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
        pub async fn $fn(
            State(state): State<HttpState>,
            _user: AuthUser,
            Query(p): Query<ReportParams>,
        ) -> Result<Response, ApiError> {
            let (filter, format) = parse(&state, p).await?;
            let $ctx = &state.ctx;
            let $f = &filter;
            let report = $run.await?;
            respond(format, &report, |r| r.table())
        }
    };
}

report!(
    revenue,
    "/reports/revenue",
    "report_revenue",
    r::RevenueReport,
    "Money received per month: subscriber payments and the shop's voucher revenue.",
    |ctx, f| r::revenue(ctx, f)
);
report!(
    payments_by_method,
    "/reports/payments-by-method",
    "report_payments_by_method",
    r::MethodReport,
    "Payments received in the period by method.",
    |ctx, f| r::payments_by_method(ctx, f)
);
report!(
    payments_by_cashier,
    "/reports/payments-by-cashier",
    "report_payments_by_cashier",
    r::CashierReport,
    "Payments received in the period by who recorded them (online gateways on their own rows).",
    |ctx, f| r::payments_by_cashier(ctx, f)
);
report!(
    arrears_aging,
    "/reports/arrears-aging",
    "report_arrears_aging",
    r::AgingReport,
    "What is owed now, by days past due (0-30, 31-60, 61-90, 90+).",
    |ctx, f| r::aging(ctx, f)
);
report!(
    subscribers,
    "/reports/subscribers",
    "report_subscribers",
    r::SubscribersReport,
    "Subscriptions started and terminated per month.",
    |ctx, f| r::subscribers(ctx, f)
);
report!(
    vouchers_by_profile,
    "/reports/vouchers-by-profile",
    "report_vouchers_by_profile",
    r::VoucherSalesReport,
    "Vouchers sold in the period by profile.",
    |ctx, f| r::voucher_sales(ctx, f, VoucherSalesGroup::Profile)
);
report!(
    vouchers_by_reseller,
    "/reports/vouchers-by-reseller",
    "report_vouchers_by_reseller",
    r::VoucherSalesReport,
    "Vouchers sold in the period by reseller (the shop's own as \"\").",
    |ctx, f| r::voucher_sales(ctx, f, VoucherSalesGroup::Reseller)
);
report!(
    top_unpaid,
    "/reports/top-unpaid",
    "report_top_unpaid",
    r::UnpaidReport,
    "The customers who owe most now (limit rows, default 20).",
    |ctx, f| r::top_unpaid(ctx, f)
);
