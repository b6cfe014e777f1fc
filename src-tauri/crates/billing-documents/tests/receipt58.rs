mod common;

use billing_documents::{invoice_html, invoice_html_58mm, DocLine, Lang};
use common::{business, invoice, paid_invoice};

/// The `@page` size of a page: ("58mm", "180mm").
fn page_size(html: &str) -> (String, String) {
    let at = html.find("@page{size:").expect("an @page size") + "@page{size:".len();
    let rest = &html[at..];
    let end = rest.find([';', '}']).expect("end of size");
    let mut parts = rest[..end].split_whitespace().map(str::to_owned);
    (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    )
}

#[test]
fn a_thermal_receipt_is_58_mm_wide_and_as_long_as_its_lines() {
    let short = invoice_html_58mm(&business(), &paid_invoice(), Lang::Id);
    let (width, height) = page_size(&short);
    assert_eq!(width, "58mm");
    let short_mm: u32 = height.trim_end_matches("mm").parse().expect("height in mm");

    let mut long = paid_invoice();
    for i in 0..10 {
        long.lines.push(DocLine {
            description: format!("Tambahan {i}"),
            amount: 1_000,
        });
    }
    let (_, long_height) = page_size(&invoice_html_58mm(&business(), &long, Lang::Id));
    let long_mm: u32 = long_height
        .trim_end_matches("mm")
        .parse()
        .expect("height in mm");
    assert!(
        long_mm > short_mm,
        "ten more lines, same paper: {short_mm} mm and {long_mm} mm"
    );
    // The A4 page is unchanged.
    assert_eq!(
        page_size(&invoice_html(&business(), &paid_invoice(), Lang::Id)).0,
        "A4"
    );
}

#[test]
fn a_thermal_receipt_says_what_the_a4_one_says() {
    let html = invoice_html_58mm(&business(), &invoice(), Lang::Id);
    for needle in [
        "TAGIHAN",
        "INV/2026/11/00042",
        "Nusantara Net",
        "Jl. Merdeka No. 17",
        "022-1234567",
        "Budi Santoso",
        "budi.santoso",
        "Home 20 Mbps",
        "Rp 166.500",
        "Tunai",
        "Rp 50.000",
        "Sisa tagihan",
        "Rp 116.500",
        "BCA",
        "1234567890",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
    let paid = invoice_html_58mm(&business(), &paid_invoice(), Lang::En);
    assert!(paid.contains("<html lang=\"en\">"));
    assert!(paid.contains("RECEIPT"), "{paid}");
    assert!(
        !paid.contains("BCA"),
        "bank accounts only on an unpaid invoice"
    );
}

#[test]
fn a_thermal_receipt_escapes_and_stays_self_contained() {
    let mut biz = business();
    biz.name = "<b>Net & Co</b>".into();
    let html = invoice_html_58mm(&biz, &invoice(), Lang::Id);
    assert!(html.contains("&lt;b&gt;Net &amp; Co&lt;/b&gt;"));
    for external in ["http://", "https://", "<link", "<script", "src=\"/", "url("] {
        assert!(!html.contains(external), "external reference {external:?}");
    }
}
