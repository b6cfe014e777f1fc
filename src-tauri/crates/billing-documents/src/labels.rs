//! Fixed wording of the documents in both languages, and the title rule.

use crate::model::{DocKind, InvoiceDoc, InvoiceStatus, Lang};

/// Every fixed phrase a document prints.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    pub lang_tag: &'static str,
    pub invoice: &'static str,
    pub receipt: &'static str,
    pub void: &'static str,
    pub carried_over: &'static str,
    pub carried_to: &'static str,
    pub number: &'static str,
    pub issued_on: &'static str,
    pub due_on: &'static str,
    pub status: &'static str,
    pub bill_to: &'static str,
    pub service: &'static str,
    pub phone: &'static str,
    pub login: &'static str,
    pub plan: &'static str,
    pub period: &'static str,
    pub description: &'static str,
    pub amount: &'static str,
    pub date: &'static str,
    pub method: &'static str,
    pub total: &'static str,
    pub payments: &'static str,
    pub no_payments: &'static str,
    pub paid: &'static str,
    pub owed: &'static str,
    pub paid_in_full: &'static str,
    pub transfer_to: &'static str,
    pub holder: &'static str,
    pub transfer_note: &'static str,
    pub void_reason: &'static str,
    pub void_note: &'static str,
    pub thanks: &'static str,
}

const ID: Labels = Labels {
    lang_tag: "id",
    invoice: "TAGIHAN",
    receipt: "KUITANSI",
    void: "DIBATALKAN",
    carried_over: "DIALIHKAN",
    carried_to: "ke",
    number: "Nomor",
    issued_on: "Tanggal",
    due_on: "Jatuh tempo",
    status: "Status",
    bill_to: "Kepada",
    service: "Layanan",
    phone: "Telp.",
    login: "Login",
    plan: "Paket",
    period: "Periode",
    description: "Keterangan",
    amount: "Jumlah",
    date: "Tanggal",
    method: "Metode",
    total: "Total",
    payments: "Pembayaran diterima",
    no_payments: "Belum ada pembayaran.",
    paid: "Sudah dibayar",
    owed: "Sisa tagihan",
    paid_in_full: "LUNAS",
    transfer_to: "Pembayaran melalui transfer ke:",
    holder: "a.n.",
    transfer_note: "Cantumkan nomor tagihan pada berita transfer.",
    void_reason: "Alasan pembatalan",
    void_note: "Tagihan ini dibatalkan dan tidak perlu dibayar.",
    thanks: "Terima kasih atas kepercayaan Anda.",
};

const EN: Labels = Labels {
    lang_tag: "en",
    invoice: "INVOICE",
    receipt: "RECEIPT",
    void: "VOID",
    carried_over: "CARRIED OVER",
    carried_to: "to",
    number: "Number",
    issued_on: "Date",
    due_on: "Due date",
    status: "Status",
    bill_to: "Bill to",
    service: "Service",
    phone: "Phone",
    login: "Login",
    plan: "Plan",
    period: "Period",
    description: "Description",
    amount: "Amount",
    date: "Date",
    method: "Method",
    total: "Total",
    payments: "Payments received",
    no_payments: "No payments yet.",
    paid: "Paid",
    owed: "Amount due",
    paid_in_full: "PAID",
    transfer_to: "Pay by bank transfer to:",
    holder: "name:",
    transfer_note: "Please put the invoice number in the transfer note.",
    void_reason: "Reason",
    void_note: "This invoice is void and need not be paid.",
    thanks: "Thank you for your business.",
};

/// The wording for `lang`.
pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Id => &ID,
        Lang::En => &EN,
    }
}

/// Human status name.
pub fn status_text(status: InvoiceStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (InvoiceStatus::Unpaid, Lang::Id) => "Belum dibayar",
        (InvoiceStatus::Unpaid, Lang::En) => "Unpaid",
        (InvoiceStatus::Partial, Lang::Id) => "Dibayar sebagian",
        (InvoiceStatus::Partial, Lang::En) => "Partially paid",
        (InvoiceStatus::Paid, Lang::Id) => "Lunas",
        (InvoiceStatus::Paid, Lang::En) => "Paid",
        (InvoiceStatus::CarriedOver, Lang::Id) => "Dialihkan",
        (InvoiceStatus::CarriedOver, Lang::En) => "Carried over",
        (InvoiceStatus::Void, Lang::Id) => "Dibatalkan",
        (InvoiceStatus::Void, Lang::En) => "Void",
    }
}

/// The document's headline: `TAGIHAN`, `KUITANSI`, `DIBATALKAN`,
/// `DIALIHKAN ke INV/2026/12/00007` (or the English equivalents).
pub fn document_title(doc: &InvoiceDoc, lang: Lang) -> String {
    let l = labels(lang);
    match DocKind::of(doc) {
        DocKind::Invoice => l.invoice.to_owned(),
        DocKind::Receipt => l.receipt.to_owned(),
        DocKind::Void => l.void.to_owned(),
        DocKind::CarriedOver => match doc.carried_into.as_deref().map(str::trim) {
            Some(target) if !target.is_empty() => {
                format!("{} {} {}", l.carried_over, l.carried_to, target)
            }
            _ => l.carried_over.to_owned(),
        },
    }
}
