//! The invoice or receipt on 58 mm thermal paper: one narrow column (about 48 mm printable),
//! black on white, no stamp or colours, in the same words as the A4 page. Printed from the
//! browser's print dialog; the page is 58 mm wide and as long as its content (estimated from the
//! number of lines, so the printer feeds no blank paper).

use crate::format::{format_date_id, format_period, format_phone, format_rupiah};
use crate::html::{escape_html, logo_data_url};
use crate::labels::{document_title, labels, status_text};
use crate::model::{Business, DocKind, InvoiceDoc, Lang};

/// Paper width of a thermal receipt, mm.
pub const THERMAL_WIDTH_MM: u32 = 58;

const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#000;font:8.5pt/1.35 "DejaVu Sans Mono","Courier New",monospace}
.r{width:48mm;margin:0 auto;padding:0}
.c{text-align:center}
.r img{display:block;max-width:30mm;max-height:14mm;margin:0 auto 1mm;object-fit:contain}
h1{margin:0;font-size:11pt;text-align:center;overflow-wrap:anywhere}
h2{margin:2mm 0 1mm;font-size:11pt;text-align:center;letter-spacing:.05em;overflow-wrap:anywhere}
p{margin:0;overflow-wrap:anywhere}
hr{border:0;border-top:.3mm dashed #000;margin:1.5mm 0}
table{width:100%;border-collapse:collapse}
td{padding:.3mm 0;vertical-align:top;overflow-wrap:anywhere}
td.n{text-align:right;white-space:nowrap;padding-left:1.5mm}
tr.b td{font-weight:700;font-size:9.5pt}
.m{color:#000;font-size:7.5pt}
@media screen{body{background:#eef0f3}.r{background:#fff;margin:8px auto;padding:3mm 5mm;width:58mm;box-shadow:0 1px 4px rgba(0,0,0,.2)}}
"#;

/// The page length for `doc`, mm: a fixed head and foot plus a few mm per printed line.
fn page_height_mm(business: &Business, doc: &InvoiceDoc, kind: DocKind) -> u32 {
    let text_lines = |s: &str| s.lines().count().max(1) as u32;
    let mut h = 100
        + 4 * text_lines(&business.address)
        + 4 * text_lines(&doc.customer_address)
        + 8 * doc.lines.len() as u32
        + 5 * doc.allocations.len() as u32;
    if business.logo_png.is_some() {
        h += 16;
    }
    if kind == DocKind::Invoice {
        h += 12 + 9 * business.bank_accounts.len() as u32;
    }
    if doc.void_reason.is_some() {
        h += 10;
    }
    h.clamp(110, 1000)
}

fn kv(out: &mut String, label: &str, value: &str) {
    out.push_str(&format!(
        "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
        escape_html(label),
        value
    ));
}

/// The invoice (or receipt, void or carried-over notice) as a 58 mm thermal receipt page.
pub fn invoice_html_58mm(business: &Business, doc: &InvoiceDoc, lang: Lang) -> String {
    let l = labels(lang);
    let kind = DocKind::of(doc);
    let title = document_title(doc, lang);
    let mut out = String::with_capacity(6 * 1024);
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} {} \u{2013} {}</title><style>@page{{size:{}mm {}mm;margin:2mm 5mm}}{}</style>\
         </head><body>\n<main class=\"r paper-58mm\">\n",
        l.lang_tag,
        escape_html(&title),
        escape_html(&doc.number),
        escape_html(&business.name),
        THERMAL_WIDTH_MM,
        page_height_mm(business, doc, kind),
        CSS
    ));
    if let Some(url) = logo_data_url(business.logo_png.as_deref()) {
        out.push_str(&format!("<img src=\"{url}\" alt=\"Logo\">"));
    }
    out.push_str(&format!("<h1>{}</h1>", escape_html(&business.name)));
    for line in business.address.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str(&format!("<p class=\"c\">{}</p>", escape_html(line)));
    }
    if !business.phone.trim().is_empty() {
        out.push_str(&format!(
            "<p class=\"c\">{} {}</p>",
            escape_html(l.phone),
            escape_html(&business.phone)
        ));
    }
    out.push_str(&format!("<h2>{}</h2>", escape_html(&title)));
    if kind == DocKind::Void {
        out.push_str(&format!("<p class=\"c\">{}</p>", escape_html(l.void_note)));
        if let Some(reason) = doc.void_reason.as_deref().filter(|r| !r.trim().is_empty()) {
            out.push_str(&format!(
                "<p class=\"c\">{}: {}</p>",
                escape_html(l.void_reason),
                escape_html(reason)
            ));
        }
    }
    out.push_str("<table>");
    kv(&mut out, l.number, &escape_html(&doc.number));
    kv(&mut out, l.issued_on, &format_date_id(doc.issued_on, lang));
    kv(&mut out, l.due_on, &format_date_id(doc.due_on, lang));
    kv(&mut out, l.status, status_text(doc.status, lang));
    out.push_str("</table><hr>");

    out.push_str(&format!(
        "<p><strong>{}</strong></p>",
        escape_html(&doc.customer_name)
    ));
    if !doc.customer_phone.trim().is_empty() {
        out.push_str(&format!(
            "<p>{} {}</p>",
            escape_html(l.phone),
            escape_html(&format_phone(&doc.customer_phone))
        ));
    }
    out.push_str(&format!(
        "<p>{}: {}</p><p>{}: {}</p><p>{}: {}</p><hr>",
        escape_html(l.login),
        escape_html(&doc.login),
        escape_html(l.plan),
        escape_html(&doc.plan_name),
        escape_html(l.period),
        format_period(doc.period_start, doc.period_end, lang)
    ));

    out.push_str("<table>");
    for line in &doc.lines {
        kv(&mut out, &line.description, &format_rupiah(line.amount));
    }
    out.push_str("</table><hr><table>");
    for a in &doc.allocations {
        kv(
            &mut out,
            &format!("{} {}", format_date_id(a.at, lang), a.label),
            &format_rupiah(a.amount),
        );
    }
    kv(&mut out, l.total, &format_rupiah(doc.total));
    kv(&mut out, l.paid, &format_rupiah(doc.paid));
    out.push_str(&format!(
        "<tr class=\"b\"><td>{}</td><td class=\"n\">{}</td></tr></table>",
        escape_html(l.owed),
        format_rupiah(doc.owed)
    ));
    if kind == DocKind::Receipt {
        out.push_str(&format!("<h2>{}</h2>", escape_html(l.paid_in_full)));
    }
    if kind == DocKind::Invoice && !business.bank_accounts.is_empty() {
        out.push_str(&format!("<hr><p>{}</p>", escape_html(l.transfer_to)));
        for acc in &business.bank_accounts {
            out.push_str(&format!(
                "<p><strong>{}</strong> {}<br>{} {}</p>",
                escape_html(&acc.bank),
                escape_html(&acc.number),
                escape_html(l.holder),
                escape_html(&acc.holder)
            ));
        }
        out.push_str(&format!(
            "<p class=\"m\">{}</p>",
            escape_html(l.transfer_note)
        ));
    }
    out.push_str(&format!(
        "<hr><p class=\"c\">{} \u{2013} {}</p>\n</main></body></html>\n",
        escape_html(l.thanks),
        escape_html(&business.name)
    ));
    out
}
