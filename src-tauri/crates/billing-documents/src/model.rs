//! Plain input data for the documents. No database or HTTP types: the caller
//! fills these from whatever it has.

use chrono::NaiveDate;

use crate::vouchers::{TemplateError, VoucherTemplate};

/// Language of the rendered document. Indonesian is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Bahasa Indonesia.
    #[default]
    Id,
    /// English.
    En,
}

/// A bank account customers can transfer to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BankAccount {
    /// Bank name, e.g. "BCA".
    pub bank: String,
    /// Account number as printed, e.g. "1234567890".
    pub number: String,
    /// Account holder ("atas nama").
    pub holder: String,
}

/// The ISP issuing the document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Business {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: Option<String>,
    /// Raw PNG file bytes (already base64-decoded). Anything that is not a
    /// PNG is left out of the documents rather than failing them.
    pub logo_png: Option<Vec<u8>>,
    pub bank_accounts: Vec<BankAccount>,
}

/// Lifecycle state of an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvoiceStatus {
    Unpaid,
    Partial,
    Paid,
    /// The remaining amount was moved into a later invoice (`carried_into`).
    CarriedOver,
    Void,
}

/// One charged line of an invoice. `amount` is whole rupiah and may be
/// negative (a discount).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLine {
    pub description: String,
    pub amount: i64,
}

/// One payment (or credit) applied to the invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocAllocation {
    /// How it was paid, e.g. "Tunai", "Transfer", "Saldo/kredit".
    pub label: String,
    pub at: NaiveDate,
    pub amount: i64,
}

/// Everything printed on an invoice or receipt. Totals are taken as given
/// (the billing rules own them); the renderer only formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDoc {
    /// e.g. "INV/2026/11/00042".
    pub number: String,
    pub status: InvoiceStatus,
    pub customer_name: String,
    /// International form without '+', e.g. "6281234567890".
    pub customer_phone: String,
    pub customer_address: String,
    /// PPPoE / hotspot login.
    pub login: String,
    pub plan_name: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    pub lines: Vec<DocLine>,
    pub total: i64,
    pub allocations: Vec<DocAllocation>,
    pub paid: i64,
    pub owed: i64,
    /// Number of the invoice the remainder was carried into.
    pub carried_into: Option<String>,
    pub void_reason: Option<String>,
}

/// What kind of document an [`InvoiceDoc`] renders as, which decides its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// Something is still owed: "TAGIHAN" / "INVOICE".
    Invoice,
    /// Paid in full: "KUITANSI" / "RECEIPT".
    Receipt,
    /// Cancelled: "DIBATALKAN" / "VOID".
    Void,
    /// Remainder moved to another invoice: "DIALIHKAN ke …" / "CARRIED OVER to …".
    CarriedOver,
}

impl DocKind {
    /// Void and carried-over follow the status; otherwise the numbers decide:
    /// anything owed makes it an invoice, nothing owed a receipt.
    pub fn of(doc: &InvoiceDoc) -> Self {
        match doc.status {
            InvoiceStatus::Void => Self::Void,
            InvoiceStatus::CarriedOver => Self::CarriedOver,
            InvoiceStatus::Unpaid | InvoiceStatus::Partial | InvoiceStatus::Paid => {
                if doc.owed > 0 {
                    Self::Invoice
                } else {
                    Self::Receipt
                }
            }
        }
    }
}

/// Failure to produce a document.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The PDF library refused to build or serialise the document.
    #[error("PDF generation failed: {0}")]
    Pdf(String),
    /// A voucher batch without cards.
    #[error("there are no voucher cards to print")]
    NoCards,
    /// A voucher batch over [`crate::MAX_CARDS`].
    #[error("{count} voucher cards are more than the {max} that can be printed at once")]
    TooManyCards { count: usize, max: usize },
    /// Cards per page outside what the template allows.
    #[error(
        "{per_page} cards per page does not fit the {template} voucher template \
         (allowed: {min} to {max})"
    )]
    PerPage {
        template: VoucherTemplate,
        per_page: u32,
        min: u32,
        max: u32,
    },
    /// The custom voucher card template is not usable.
    #[error("voucher card template: {0}")]
    Template(#[from] TemplateError),
    /// A voucher's login URL does not fit in a QR code.
    #[error("voucher {serial}: the login URL cannot be put in a QR code ({reason})")]
    Qr { serial: String, reason: String },
}
