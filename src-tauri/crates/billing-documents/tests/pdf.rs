mod common;

use billing_documents::{invoice_pdf, DocAllocation, DocLine, InvoiceStatus, Lang};
use common::{business, date, invoice, paid_invoice, tiny_png};
use printpdf::lopdf::content::Content;
use printpdf::lopdf::{Document, Object};

/// Checks the PDF envelope and parses it; returns (page count, all text).
///
/// Text is decoded as WinAnsi, the encoding every font of these documents
/// declares (asserted here); lopdf's own `extract_text` does not follow the
/// indirect /Font resource and falls back to StandardEncoding, which only
/// agrees on ASCII, so it is used for the ASCII needles only.
fn parse(bytes: &[u8]) -> (usize, String) {
    assert!(bytes.starts_with(b"%PDF-"), "no %PDF- header");
    let trimmed = bytes.trim_ascii_end();
    assert!(trimmed.ends_with(b"%%EOF"), "no %%EOF trailer");
    let doc = Document::load_mem(bytes).expect("PDF parses");
    for obj in doc.objects.values() {
        if let Ok(dict) = obj.as_dict() {
            if dict
                .get(b"Type")
                .and_then(Object::as_name_str)
                .is_ok_and(|t| t == "Font")
            {
                assert_eq!(dict.get_font_encoding(), "WinAnsiEncoding");
            }
        }
    }
    let pages = doc.get_pages();
    let mut text = String::new();
    for page_id in pages.values() {
        let content = Content::decode(&doc.get_page_content(*page_id).expect("content"))
            .expect("content decodes");
        for op in content.operations.iter().filter(|op| op.operator == "Tj") {
            for operand in &op.operands {
                if let Object::String(raw, _) = operand {
                    text.push_str(&Document::decode_text(Some("WinAnsiEncoding"), raw));
                }
            }
            text.push('\n');
        }
    }
    let numbers: Vec<u32> = pages.keys().copied().collect();
    let generic = doc.extract_text(&numbers).expect("text extracts");
    for needle in ["INV/2026/11/00042", "Rp 166.500"] {
        if text.contains(needle) {
            assert!(
                generic.contains(needle),
                "generic extractor misses {needle:?}"
            );
        }
    }
    (pages.len(), text)
}

fn has_image(bytes: &[u8]) -> bool {
    let doc = Document::load_mem(bytes).expect("PDF parses");
    doc.objects.values().any(|obj| match obj {
        Object::Stream(s) => s
            .dict
            .get(b"Subtype")
            .and_then(Object::as_name_str)
            .is_ok_and(|n| n == "Image"),
        _ => false,
    })
}

#[test]
fn invoice_pdf_is_valid_and_has_the_numbers() {
    let bytes = invoice_pdf(&business(), &invoice(), Lang::Id).expect("pdf renders");
    let (pages, text) = parse(&bytes);
    assert_eq!(pages, 1);
    for needle in [
        "TAGIHAN",
        "INV/2026/11/00042",
        "Nusantara Net",
        "Jl. Merdeka No. 17",
        "Bandung 40115",
        "Budi Santoso",
        "+6281234567890",
        "budi.santoso",
        "Home 20 Mbps",
        "1 November 2026 \u{2013} 30 November 2026",
        "Paket Home 20 Mbps (November 2026)",
        "Rp 150.000",
        "Rp 16.500",
        "Rp 166.500",
        "Tunai",
        "Rp 50.000",
        "Sisa tagihan",
        "Rp 116.500",
        "Jatuh tempo",
        "28 November 2026",
        "Pembayaran melalui transfer ke:",
        "1234567890",
        "a.n. PT Nusantara Net",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn receipt_void_and_carried_over_titles() {
    let (_, text) = parse(&invoice_pdf(&business(), &paid_invoice(), Lang::Id).expect("pdf"));
    assert!(text.contains("KUITANSI") && text.contains("LUNAS"));
    assert!(!text.contains("Pembayaran melalui transfer ke:"));

    let mut void = invoice();
    void.status = InvoiceStatus::Void;
    void.void_reason = Some("Salah input".into());
    let (_, text) = parse(&invoice_pdf(&business(), &void, Lang::En).expect("pdf"));
    assert!(text.contains("VOID"));
    assert!(text.contains("Reason: Salah input"));

    let mut carried = invoice();
    carried.status = InvoiceStatus::CarriedOver;
    carried.carried_into = Some("INV/2026/12/00007".into());
    let (_, text) = parse(&invoice_pdf(&business(), &carried, Lang::Id).expect("pdf"));
    assert!(text.contains("DIALIHKAN ke INV/2026/12/00007"));
}

#[test]
fn english_pdf() {
    let (_, text) = parse(&invoice_pdf(&business(), &invoice(), Lang::En).expect("pdf"));
    for needle in [
        "INVOICE",
        "Amount due",
        "Pay by bank transfer to:",
        "28 November 2026",
    ] {
        assert!(text.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn logo_is_embedded_and_a_bad_logo_is_skipped() {
    let mut biz = business();
    biz.logo_png = Some(tiny_png());
    let bytes = invoice_pdf(&biz, &invoice(), Lang::Id).expect("pdf");
    parse(&bytes);
    assert!(has_image(&bytes));

    biz.logo_png = Some(b"\x89PNG\r\n\x1a\ntruncated".to_vec());
    let bytes = invoice_pdf(&biz, &invoice(), Lang::Id).expect("pdf");
    parse(&bytes);
    assert!(!has_image(&bytes));
}

#[test]
fn latin1_text_survives_and_the_rest_is_replaced() {
    let mut doc = invoice();
    doc.customer_name = "José Ñandú (Café) \\ 100%".into();
    doc.customer_address = "Jl. 東京 😀 Raya\tNo.\u{0}5".into();
    let (_, text) = parse(&invoice_pdf(&business(), &doc, Lang::Id).expect("pdf"));
    assert!(text.contains("José Ñandú (Café) \\ 100%"), "{text}");
    assert!(text.contains("Jl. ?? ? Raya No.5"), "{text}");
}

#[test]
fn hostile_and_huge_input_never_panics_and_paginates() {
    let mut biz = business();
    biz.name = "\u{202E}RTL \u{0007} ".repeat(20);
    biz.address = String::new();
    biz.phone = String::new();
    biz.email = Some("x".repeat(500));
    let mut doc = invoice();
    doc.number = "INV/(((/\\)".into();
    doc.customer_name = "W".repeat(2_000);
    doc.customer_address = "\n\n\n".into();
    doc.login = String::new();
    doc.lines = (0..150)
        .map(|i| DocLine {
            description: format!("Baris {i} {}", "panjang ".repeat(i % 40)),
            amount: if i % 2 == 0 { i64::MAX } else { i64::MIN },
        })
        .collect();
    doc.allocations = (0..40)
        .map(|i| DocAllocation {
            label: "🙂".repeat(i),
            at: date(2026, 1, 1),
            amount: -1,
        })
        .collect();
    doc.total = i64::MIN;
    doc.paid = i64::MAX;
    doc.owed = i64::MAX;
    let bytes = invoice_pdf(&biz, &doc, Lang::Id).expect("pdf");
    let (pages, text) = parse(&bytes);
    assert!(pages > 3, "only {pages} pages");
    assert!(text.contains("INV/(((/\\)"));
    assert!(text.contains("Rp 9.223.372.036.854.775.807"));
    assert!(text.contains("-Rp 9.223.372.036.854.775.808"));
    assert!(text.contains("Baris 149"));

    let mut empty = invoice();
    empty.lines.clear();
    empty.allocations.clear();
    empty.number = String::new();
    let bytes = invoice_pdf(&business(), &empty, Lang::En).expect("pdf");
    parse(&bytes);
}
