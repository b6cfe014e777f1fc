//! Self-contained printable HTML: inline CSS, logo as a data URL, A4 when
//! printed, one column on a phone. Every caller-provided string is escaped.

use base64::Engine as _;

use crate::format::{format_date_id, format_period, format_phone, format_rupiah};
use crate::labels::{document_title, labels, status_text};
use crate::model::{Business, DocKind, InvoiceDoc, Lang};

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

const CSS: &str = r#"
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#eef0f3;color:#1d232b;font:14px/1.45 "Helvetica Neue",Arial,sans-serif}
.doc{position:relative;max-width:210mm;margin:16px auto;padding:14mm 14mm 12mm;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.15);overflow:hidden}
.top{display:flex;justify-content:space-between;gap:16px;flex-wrap:wrap;border-bottom:2px solid #1d4e89;padding-bottom:10px}
.biz{display:flex;gap:12px;align-items:flex-start;min-width:0}
.biz img{max-width:90px;max-height:70px;object-fit:contain}
.biz-name{margin:0 0 2px;font-size:20px;color:#1d4e89}
.biz p,.party p{margin:0;overflow-wrap:anywhere}
.meta td,.kv td{padding:1px 0 1px 10px;vertical-align:top}
.meta td:first-child,.kv td:first-child{padding-left:0;color:#5b6570;white-space:nowrap}
.title{margin:14px 0 4px;font-size:26px;letter-spacing:.06em;color:#1d4e89;overflow-wrap:anywhere}
.kind-void .title{color:#b3261e}
.kind-carried .title{color:#8a5a00}
.notice{margin:4px 0 10px;padding:6px 10px;border-left:4px solid #b3261e;background:#fdecea;overflow-wrap:anywhere}
.kind-carried .notice{border-color:#8a5a00;background:#fff4dd}
.parties{display:flex;gap:24px;flex-wrap:wrap;margin:12px 0}
.party{flex:1 1 220px;min-width:0}
h3{margin:0 0 4px;font-size:12px;text-transform:uppercase;letter-spacing:.08em;color:#5b6570}
table{border-collapse:collapse}
.grid{width:100%;margin:8px 0 4px}
.grid th,.grid td{padding:6px 8px;border-bottom:1px solid #d9dde3;text-align:left;vertical-align:top;overflow-wrap:anywhere}
.grid thead th{background:#1d4e89;color:#fff;font-weight:600}
.grid tfoot th,.grid tfoot td{border-bottom:0;font-weight:700}
.num{text-align:right!important;white-space:nowrap}
.summary{margin:8px 0 0 auto;min-width:260px}
.summary td{padding:3px 0 3px 16px}
.summary td:first-child{padding-left:0}
.summary .owed td{font-size:17px;font-weight:700;border-top:2px solid #1d232b;padding-top:6px}
.muted{color:#5b6570}
.bank{margin-top:16px;padding:10px 12px;border:1px solid #d9dde3;border-radius:6px;background:#f6f8fa}
.bank ul{margin:4px 0;padding-left:18px}
.stamp{position:absolute;top:38%;left:50%;transform:translate(-50%,-50%) rotate(-18deg);padding:6px 22px;border:5px solid currentColor;border-radius:8px;font-size:54px;font-weight:800;letter-spacing:.1em;opacity:.22;pointer-events:none;white-space:nowrap}
.stamp-void{color:#b3261e}
.stamp-paid{color:#1e7d32}
footer{margin-top:18px;padding-top:8px;border-top:1px solid #d9dde3;text-align:center;color:#5b6570;font-size:12px}
@page{size:A4;margin:12mm}
@media print{body{background:#fff}.doc{margin:0;max-width:none;padding:0;box-shadow:none}.grid thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
@media (max-width:600px){body{font-size:13px}.doc{margin:0;padding:14px}.title{font-size:21px}.summary{width:100%;min-width:0}.stamp{font-size:34px}}
"#;

/// Escapes text for HTML element content and double- or single-quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// `data:image/png;base64,…` for a logo that really is a PNG, else `None`.
pub fn logo_data_url(logo_png: Option<&[u8]>) -> Option<String> {
    let bytes = logo_png?;
    if !bytes.starts_with(PNG_SIGNATURE) {
        return None;
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    Some(format!("data:image/png;base64,{encoded}"))
}

fn kind_class(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Invoice => "kind-invoice",
        DocKind::Receipt => "kind-receipt",
        DocKind::Void => "kind-void",
        DocKind::CarriedOver => "kind-carried",
    }
}

/// Multi-line user text: escaped, line breaks kept as `<br>`.
fn multiline(text: &str) -> String {
    text.lines()
        .map(escape_html)
        .collect::<Vec<_>>()
        .join("<br>")
}

fn row(out: &mut String, label: &str, value: &str) {
    out.push_str(&format!(
        "<tr><td>{}</td><td>{}</td></tr>",
        escape_html(label),
        value
    ));
}

/// The invoice (or receipt, void or carried-over notice) as one HTML page.
pub fn invoice_html(business: &Business, doc: &InvoiceDoc, lang: Lang) -> String {
    let l = labels(lang);
    let kind = DocKind::of(doc);
    let title = document_title(doc, lang);
    let mut out = String::with_capacity(8 * 1024);

    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} {} \u{2013} {}</title><style>{}</style></head><body>\n",
        l.lang_tag,
        escape_html(&title),
        escape_html(&doc.number),
        escape_html(&business.name),
        CSS
    ));
    out.push_str(&format!("<main class=\"doc {}\">\n", kind_class(kind)));

    // Header: business on the left, document facts on the right.
    out.push_str("<header class=\"top\"><div class=\"biz\">");
    if let Some(url) = logo_data_url(business.logo_png.as_deref()) {
        out.push_str(&format!("<img src=\"{url}\" alt=\"Logo\">"));
    }
    out.push_str(&format!(
        "<div><h1 class=\"biz-name\">{}</h1><p>{}</p><p>{} {}</p>",
        escape_html(&business.name),
        multiline(&business.address),
        escape_html(l.phone),
        escape_html(&business.phone)
    ));
    if let Some(email) = business.email.as_deref().filter(|e| !e.trim().is_empty()) {
        out.push_str(&format!("<p>{}</p>", escape_html(email)));
    }
    out.push_str("</div></div><table class=\"meta\">");
    row(&mut out, l.number, &escape_html(&doc.number));
    row(&mut out, l.issued_on, &format_date_id(doc.issued_on, lang));
    row(&mut out, l.due_on, &format_date_id(doc.due_on, lang));
    row(&mut out, l.status, status_text(doc.status, lang));
    out.push_str("</table></header>\n");

    out.push_str(&format!(
        "<h2 class=\"title\">{}</h2>\n",
        escape_html(&title)
    ));
    match kind {
        DocKind::Void => {
            out.push_str(&format!(
                "<div class=\"stamp stamp-void\" aria-hidden=\"true\">{}</div>",
                escape_html(l.void)
            ));
            out.push_str(&format!("<p class=\"notice\">{}", escape_html(l.void_note)));
            if let Some(reason) = doc.void_reason.as_deref().filter(|r| !r.trim().is_empty()) {
                out.push_str(&format!(
                    "<br>{}: {}",
                    escape_html(l.void_reason),
                    escape_html(reason)
                ));
            }
            out.push_str("</p>\n");
        }
        DocKind::Receipt => out.push_str(&format!(
            "<div class=\"stamp stamp-paid\" aria-hidden=\"true\">{}</div>\n",
            escape_html(l.paid_in_full)
        )),
        DocKind::Invoice | DocKind::CarriedOver => {}
    }

    // Customer and service.
    out.push_str(&format!(
        "<section class=\"parties\"><div class=\"party\"><h3>{}</h3>\
         <p><strong>{}</strong></p><p>{}</p><p>{} {}</p></div>",
        escape_html(l.bill_to),
        escape_html(&doc.customer_name),
        multiline(&doc.customer_address),
        escape_html(l.phone),
        escape_html(&format_phone(&doc.customer_phone))
    ));
    out.push_str(&format!(
        "<div class=\"party\"><h3>{}</h3><table class=\"kv\">",
        escape_html(l.service)
    ));
    row(&mut out, l.login, &escape_html(&doc.login));
    row(&mut out, l.plan, &escape_html(&doc.plan_name));
    row(
        &mut out,
        l.period,
        &format_period(doc.period_start, doc.period_end, lang),
    );
    out.push_str("</table></div></section>\n");

    // Charged lines.
    out.push_str(&format!(
        "<table class=\"grid lines\"><thead><tr><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        escape_html(l.description),
        escape_html(l.amount)
    ));
    for line in &doc.lines {
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"num\">{}</td></tr>",
            multiline(&line.description),
            format_rupiah(line.amount)
        ));
    }
    out.push_str(&format!(
        "</tbody><tfoot><tr><th>{}</th><td class=\"num\">{}</td></tr></tfoot></table>\n",
        escape_html(l.total),
        format_rupiah(doc.total)
    ));

    // Payments received.
    out.push_str(&format!(
        "<section class=\"payments\"><h3>{}</h3>",
        escape_html(l.payments)
    ));
    if doc.allocations.is_empty() {
        out.push_str(&format!(
            "<p class=\"muted\">{}</p>",
            escape_html(l.no_payments)
        ));
    } else {
        out.push_str(&format!(
            "<table class=\"grid\"><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
            escape_html(l.date),
            escape_html(l.method),
            escape_html(l.amount)
        ));
        for a in &doc.allocations {
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                format_date_id(a.at, lang),
                escape_html(&a.label),
                format_rupiah(a.amount)
            ));
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>\n");

    out.push_str("<table class=\"summary\">");
    for (label, amount, class) in [
        (l.total, doc.total, ""),
        (l.paid, doc.paid, ""),
        (l.owed, doc.owed, " class=\"owed\""),
    ] {
        out.push_str(&format!(
            "<tr{class}><td>{}</td><td class=\"num\">{}</td></tr>",
            escape_html(label),
            format_rupiah(amount)
        ));
    }
    out.push_str("</table>\n");

    if kind == DocKind::Invoice && !business.bank_accounts.is_empty() {
        out.push_str(&format!(
            "<section class=\"bank\"><h3>{}</h3><ul>",
            escape_html(l.transfer_to)
        ));
        for acc in &business.bank_accounts {
            out.push_str(&format!(
                "<li><strong>{}</strong> {} {} {}</li>",
                escape_html(&acc.bank),
                escape_html(&acc.number),
                escape_html(l.holder),
                escape_html(&acc.holder)
            ));
        }
        out.push_str(&format!(
            "</ul><p class=\"muted\">{}</p></section>\n",
            escape_html(l.transfer_note)
        ));
    }

    out.push_str(&format!(
        "<footer>{} \u{2013} {}</footer>\n</main></body></html>\n",
        escape_html(l.thanks),
        escape_html(&business.name)
    ));
    out
}
