//! Printable invoice / receipt documents (PDF or HTML).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use billing_app::billing::invoices::Invoice;
use billing_documents::{DocAllocation, DocLine, InvoiceDoc, InvoiceStatus, Lang};
use billing_domain::InvoiceId;
use billing_domain::Permission as P;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::routes;

use super::access::Access::Staff;
use super::routes::Routes;
use crate::extract::AuthUser;
use crate::extract::{Path, Query};
use crate::{ApiError, HttpState};

/// The routes of this module, each with what it requires.
pub(crate) fn routes() -> Routes {
    Routes::new().add(Staff(P::InvoicesRead), routes!(receipt))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ReceiptParams {
    /// `pdf` (default) or `html`.
    pub format: Option<String>,
    /// `id` (default) or `en`.
    pub lang: Option<String>,
    /// `a4` (default) or `58mm` (a thermal receipt printer; HTML only).
    pub paper: Option<String>,
}

/// The invoice (or, once paid, the receipt) as a PDF or a printable HTML page, on A4 or on
/// 58 mm thermal paper (`paper=58mm&format=html`).
#[utoipa::path(get, operation_id = "invoice_receipt", path = "/invoices/{id}/receipt", tag = "invoices", params(ReceiptParams, ("id" = Uuid, Path)),
    security(("bearer" = [])),
    responses((status = 200, description = "application/pdf or text/html", content_type = "application/pdf"),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn receipt(
    State(state): State<HttpState>,
    _user: AuthUser,
    Path(id): Path<InvoiceId>,
    Query(p): Query<ReceiptParams>,
) -> Result<Response, ApiError> {
    let thermal = match p.paper.as_deref() {
        None | Some("a4") => false,
        Some("58mm") if p.format.as_deref() == Some("html") => true,
        Some("58mm") => {
            return Err(ApiError::BadQuery {
                field: "paper".into(),
                message: "a 58 mm receipt is a printable page: ask for format=html".into(),
            })
        }
        Some(_) => {
            return Err(ApiError::BadQuery {
                field: "paper".into(),
                message: "paper is a4 or 58mm".into(),
            })
        }
    };
    let invoice = billing_app::billing::invoices::get(&state.ctx, id).await?;
    let profile = billing_app::billing::business::get(&state.ctx).await?;
    let lang = if p.lang.as_deref() == Some("en") {
        Lang::En
    } else {
        Lang::Id
    };
    let business = billing_app::billing::business::for_documents(&profile);
    let doc = document(&invoice, lang);
    let file = invoice.summary.number.replace('/', "-");
    if p.format.as_deref() == Some("html") {
        let html = if thermal {
            billing_documents::invoice_html_58mm(&business, &doc, lang)
        } else {
            billing_documents::invoice_html(&business, &doc, lang)
        };
        return Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response());
    }
    let pdf = billing_documents::invoice_pdf(&business, &doc, lang)
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}.pdf\""),
            ),
        ],
        pdf,
    )
        .into_response())
}

pub(crate) fn document(invoice: &Invoice, lang: Lang) -> InvoiceDoc {
    let s = &invoice.summary;
    let status = match s.status {
        billing_domain::InvoiceStatus::Paid => InvoiceStatus::Paid,
        billing_domain::InvoiceStatus::Partial => InvoiceStatus::Partial,
        billing_domain::InvoiceStatus::CarriedOver => InvoiceStatus::CarriedOver,
        billing_domain::InvoiceStatus::Void => InvoiceStatus::Void,
        billing_domain::InvoiceStatus::Unpaid => InvoiceStatus::Unpaid,
    };
    let label = |source: &str, method: Option<&str>| -> String {
        match (source, method, lang) {
            ("credit", _, Lang::Id) => "Saldo/kredit".into(),
            ("credit", _, Lang::En) => "Credit".into(),
            (_, Some("cash"), Lang::Id) => "Tunai".into(),
            (_, Some("cash"), Lang::En) => "Cash".into(),
            (_, Some("transfer"), _) => "Transfer".into(),
            (_, Some(other), _) => other.to_owned(),
            (_, None, _) => "-".into(),
        }
    };
    InvoiceDoc {
        number: s.number.clone(),
        status,
        customer_name: s.customer_name.clone(),
        customer_phone: invoice.customer_phone.clone(),
        customer_address: invoice.customer_address.clone(),
        login: s.login.clone(),
        plan_name: invoice.plan_name.clone(),
        period_start: s.period_start,
        period_end: s.period_end.pred_opt().unwrap_or(s.period_end),
        issued_on: s.issued_on,
        due_on: s.due_on,
        lines: invoice
            .lines
            .iter()
            .map(|l| DocLine {
                description: l.description.clone(),
                amount: l.amount.minor(),
            })
            .collect(),
        total: s.total.minor(),
        allocations: invoice
            .allocations
            .iter()
            .map(|a| DocAllocation {
                label: label(&a.source, a.method.as_deref()),
                at: a.at.date_naive(),
                amount: a.amount.minor(),
            })
            .collect(),
        paid: s.paid.minor(),
        owed: s.owed.minor(),
        carried_into: invoice.carried_into.as_ref().map(|c| c.number.clone()),
        void_reason: invoice.void_reason.clone(),
    }
}
