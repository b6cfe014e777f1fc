//! A4 PDF with the built-in Helvetica fonts (no font files, no external
//! programs). Same content as the HTML, laid out as simple tables.

use printpdf::path::PaintMode;
use printpdf::{BuiltinFont, CustomPdfConformance, Mm, PdfConformance, PdfDocument, Rect};

use crate::format::{format_date_id, format_period, format_phone, format_rupiah};
use crate::labels::{document_title, labels, status_text};
use crate::model::{Business, DocKind, DocumentError, InvoiceDoc, Lang};
use crate::pdf_text::{text_width_mm, to_win_ansi, wrap};
use crate::pdf_writer::{
    color, Style, Writer, AMBER, BLACK, BLUE, GREEN, HEADING, LEFT, LINE, MUTED, NORMAL, PAGE_H,
    PAGE_W, RED, RIGHT, RULE, STRONG, TOP,
};

fn pdf_err(err: impl std::fmt::Display) -> DocumentError {
    DocumentError::Pdf(err.to_string())
}

/// The invoice (or receipt, void or carried-over notice) as an A4 PDF.
pub fn invoice_pdf(
    business: &Business,
    doc: &InvoiceDoc,
    lang: Lang,
) -> Result<Vec<u8>, DocumentError> {
    let l = labels(lang);
    let kind = DocKind::of(doc);
    let title = document_title(doc, lang);
    let meta_title = to_win_ansi(&format!("{title} {}", doc.number));
    let (pdf, page, layer) = PdfDocument::new(&meta_title, Mm(PAGE_W), Mm(PAGE_H), "Layer 1");
    let pdf = pdf.with_conformance(PdfConformance::Custom(CustomPdfConformance {
        identifier: "mikrobill".into(),
        requires_icc_profile: false,
        requires_xmp_metadata: false,
        allows_default_fonts: true,
        ..CustomPdfConformance::default()
    }));
    let regular = pdf
        .add_builtin_font(BuiltinFont::Helvetica)
        .map_err(pdf_err)?;
    let bold = pdf
        .add_builtin_font(BuiltinFont::HelveticaBold)
        .map_err(pdf_err)?;
    let layer = pdf.get_page(page).get_layer(layer);
    let mut w = Writer {
        doc: pdf,
        layer,
        regular,
        bold,
        y: TOP,
    };

    // Header: logo and business on the left, document facts on the right.
    let logo = business
        .logo_png
        .as_deref()
        .and_then(|png| w.logo(png, 30.0, 22.0));
    let biz_x = logo.map_or(LEFT, |(lw, _)| LEFT + lw + 4.0);
    w.y = TOP - 5.0;
    let name_style = Style {
        bold: true,
        size: 15.0,
        rgb: BLUE,
    };
    for line in wrap(&business.name, true, 15.0, 122.0 - biz_x) {
        w.text(biz_x, w.y, &line, name_style);
        w.y -= 6.0;
    }
    w.para(biz_x, 122.0 - biz_x, &business.address, NORMAL);
    w.para(
        biz_x,
        122.0 - biz_x,
        &format!("{} {}", l.phone, business.phone),
        NORMAL,
    );
    if let Some(email) = business.email.as_deref().filter(|e| !e.trim().is_empty()) {
        w.para(biz_x, 122.0 - biz_x, email, NORMAL);
    }
    let left_bottom = logo.map_or(w.y, |(_, lh)| w.y.min(TOP - lh - 2.0));

    w.y = TOP - 4.0;
    let facts = [
        (l.number, doc.number.clone()),
        (l.issued_on, format_date_id(doc.issued_on, lang)),
        (l.due_on, format_date_id(doc.due_on, lang)),
        (l.status, status_text(doc.status, lang).to_owned()),
    ];
    for (label, value) in &facts {
        w.text(126.0, w.y, label, MUTED);
        w.para(149.0, RIGHT - 149.0, value, STRONG);
    }
    w.y = w.y.min(left_bottom) - 1.0;
    w.rule(LEFT, RIGHT, w.y, 1.5, BLUE);
    w.y -= 10.0;

    // Title, with its mark.
    let title_rgb = match kind {
        DocKind::Void => RED,
        DocKind::CarriedOver => AMBER,
        DocKind::Invoice | DocKind::Receipt => BLUE,
    };
    let title_style = Style {
        bold: true,
        size: 20.0,
        rgb: title_rgb,
    };
    for line in wrap(&title, true, 20.0, RIGHT - LEFT - 45.0) {
        w.ensure(9.0);
        w.text(LEFT, w.y, &line, title_style);
        w.y -= 8.5;
    }
    let stamp = match kind {
        DocKind::Receipt => Some((l.paid_in_full, GREEN)),
        DocKind::Void => Some((l.void, RED)),
        DocKind::Invoice | DocKind::CarriedOver => None,
    };
    if let Some((text, rgb)) = stamp {
        let style = Style {
            bold: true,
            size: 22.0,
            rgb,
        };
        let y = w.y + 8.5;
        w.text_right(RIGHT - 3.0, y, text, style);
        let width = text_width_mm(text, true, 22.0);
        w.layer.set_outline_color(color(rgb));
        w.layer.set_outline_thickness(1.5);
        w.layer.add_rect(
            Rect::new(Mm(RIGHT - width - 6.0), Mm(y - 3.0), Mm(RIGHT), Mm(y + 9.0))
                .with_mode(PaintMode::Stroke),
        );
    }
    if kind == DocKind::Void {
        let warn = Style { rgb: RED, ..STRONG };
        w.para(LEFT, RIGHT - LEFT, l.void_note, warn);
        if let Some(reason) = doc.void_reason.as_deref().filter(|r| !r.trim().is_empty()) {
            w.para(
                LEFT,
                RIGHT - LEFT,
                &format!("{}: {reason}", l.void_reason),
                warn,
            );
        }
    }
    w.y -= 3.0;

    // Customer (left) and service (right).
    let top = w.y;
    w.text(LEFT, w.y, &l.bill_to.to_uppercase(), HEADING);
    w.y -= LINE;
    w.para(LEFT, 85.0, &doc.customer_name, STRONG);
    w.para(LEFT, 85.0, &doc.customer_address, NORMAL);
    w.para(
        LEFT,
        85.0,
        &format!("{} {}", l.phone, format_phone(&doc.customer_phone)),
        NORMAL,
    );
    let customer_bottom = w.y;
    w.y = top;
    w.text(110.0, w.y, &l.service.to_uppercase(), HEADING);
    w.y -= LINE;
    let period = format_period(doc.period_start, doc.period_end, lang);
    for (label, value) in [
        (l.login, &doc.login),
        (l.plan, &doc.plan_name),
        (l.period, &period),
    ] {
        w.text(110.0, w.y, label, MUTED);
        w.para(128.0, RIGHT - 128.0, value, NORMAL);
    }
    w.y = w.y.min(customer_bottom) - 4.0;

    // Charged lines.
    let header = [
        (LEFT + 2.0, l.description, false),
        (RIGHT - 2.0, l.amount, true),
    ];
    w.table_header(&header);
    for line in &doc.lines {
        w.table_row(
            &header,
            130.0,
            &[&line.description, &format_rupiah(line.amount)],
        );
    }
    w.ensure(LINE * 2.0);
    w.text(LEFT + 2.0, w.y, l.total, STRONG);
    w.text_right(RIGHT - 2.0, w.y, &format_rupiah(doc.total), STRONG);
    w.y -= LINE + 5.0;

    // Payments received.
    w.ensure(LINE * 3.0);
    w.text(LEFT, w.y, &l.payments.to_uppercase(), HEADING);
    w.y -= LINE + 1.0;
    if doc.allocations.is_empty() {
        w.para(LEFT, RIGHT - LEFT, l.no_payments, MUTED);
    } else {
        let header = [
            (LEFT + 2.0, l.method, false),
            (110.0, l.date, false),
            (RIGHT - 2.0, l.amount, true),
        ];
        w.table_header(&header);
        for a in &doc.allocations {
            let date = format_date_id(a.at, lang);
            w.table_row(&header, 90.0, &[&a.label, &date, &format_rupiah(a.amount)]);
        }
    }
    w.y -= 3.0;

    // Summary.
    w.ensure(LINE * 4.0);
    for (label, amount) in [(l.total, doc.total), (l.paid, doc.paid)] {
        w.text(120.0, w.y, label, NORMAL);
        w.text_right(RIGHT - 2.0, w.y, &format_rupiah(amount), NORMAL);
        w.y -= LINE;
    }
    w.rule(120.0, RIGHT, w.y + 2.6, 1.0, BLACK);
    w.y -= 2.0;
    let big = Style {
        size: 12.0,
        ..STRONG
    };
    w.text(120.0, w.y, l.owed, big);
    w.text_right(RIGHT - 2.0, w.y, &format_rupiah(doc.owed), big);
    w.y -= LINE + 6.0;

    // Bank transfer details while something is owed.
    if kind == DocKind::Invoice && !business.bank_accounts.is_empty() {
        w.ensure(LINE * 3.0);
        w.text(LEFT, w.y, l.transfer_to, STRONG);
        w.y -= LINE + 0.5;
        for acc in &business.bank_accounts {
            let text = format!("{}  {}  {} {}", acc.bank, acc.number, l.holder, acc.holder);
            w.para(LEFT + 3.0, RIGHT - LEFT - 3.0, &text, NORMAL);
        }
        w.para(LEFT + 3.0, RIGHT - LEFT - 3.0, l.transfer_note, MUTED);
        w.y -= 4.0;
    }

    w.ensure(LINE * 2.0);
    w.rule(LEFT, RIGHT, w.y + 2.0, 0.5, RULE);
    w.y -= 3.0;
    let thanks = format!("{} - {}", l.thanks, business.name);
    for line in wrap(&thanks, false, 8.5, RIGHT - LEFT) {
        let width = text_width_mm(&line, false, 8.5);
        w.text(
            (PAGE_W - width) / 2.0,
            w.y,
            &line,
            Style { size: 8.5, ..MUTED },
        );
        w.y -= LINE;
    }

    w.doc.save_to_bytes().map_err(pdf_err)
}
