//! Invoices and payment receipts of mikrobill rendered as a printable HTML
//! page and as an A4 PDF, and as a 58 mm thermal receipt page ([`invoice_html_58mm`]), in
//! Indonesian (default) or English.
//!
//! Pure: the input is plain data ([`Business`], [`InvoiceDoc`]), the output a
//! `String` or PDF bytes. Money is whole rupiah in `i64` throughout.
//!
//! The headline follows [`DocKind::of`]: `TAGIHAN` while something is owed,
//! `KUITANSI` once paid in full, `DIBATALKAN` when void and
//! `DIALIHKAN ke INV/…` when carried over. Bank accounts for transfer are
//! listed only on a `TAGIHAN`.
//!
//! Hotspot voucher cards for printing in batches are rendered by
//! [`vouchers_html`] and [`vouchers_pdf`].

mod format;
mod html;
mod labels;
mod logo;
mod model;
mod pdf;
mod pdf_text;
mod pdf_writer;
mod receipt58;
mod vouchers;

pub use format::{format_date_id, format_period, format_phone, format_rupiah};
pub use html::{escape_html, invoice_html};
pub use labels::{document_title, status_text};
pub use model::{
    BankAccount, Business, DocAllocation, DocKind, DocLine, DocumentError, InvoiceDoc,
    InvoiceStatus, Lang,
};
pub use pdf::invoice_pdf;
pub use pdf_text::to_win_ansi;
pub use receipt58::{invoice_html_58mm, THERMAL_WIDTH_MM};
pub use vouchers::{
    builtin_card_template, vouchers_html, vouchers_pdf, TemplateError, VoucherCard, VoucherPrint,
    VoucherTemplate, MAX_CARDS, MAX_TEMPLATE_BYTES,
};
