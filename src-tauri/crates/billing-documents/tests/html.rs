mod common;

use billing_documents::{escape_html, invoice_html, InvoiceStatus, Lang};
use common::{business, invoice, paid_invoice, tiny_png};

#[test]
fn invoice_shows_everything_in_indonesian() {
    let html = invoice_html(&business(), &invoice(), Lang::Id);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"id\">"));
    for needle in [
        "<h2 class=\"title\">TAGIHAN</h2>",
        "INV/2026/11/00042",
        "Nusantara Net",
        "Jl. Merdeka No. 17<br>Bandung 40115",
        "022-1234567",
        "billing@nusantara.net.id",
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
        "3 November 2026",
        "Rp 50.000",
        "Sisa tagihan",
        "Rp 116.500",
        "Jatuh tempo",
        "28 November 2026",
        "Dibayar sebagian",
        "Pembayaran melalui transfer ke:",
        "BCA",
        "1234567890",
        "a.n. PT Nusantara Net",
        "0987-01-000123-50-1",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn is_self_contained_and_print_friendly() {
    let mut biz = business();
    biz.logo_png = Some(tiny_png());
    let html = invoice_html(&biz, &invoice(), Lang::Id);
    assert!(html.contains("<style>"));
    assert!(html.contains("@page{size:A4"));
    assert!(html.contains("@media print"));
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("<img src=\"data:image/png;base64,iVBORw0KGgo"));
    for external in ["http://", "https://", "<link", "<script", "src=\"/", "url("] {
        assert!(!html.contains(external), "external reference {external:?}");
    }
}

#[test]
fn non_png_logo_is_left_out() {
    let mut biz = business();
    biz.logo_png = Some(b"GIF89a not a png".to_vec());
    let html = invoice_html(&biz, &invoice(), Lang::Id);
    assert!(!html.contains("<img"));
}

#[test]
fn user_text_is_escaped_everywhere() {
    let mut biz = business();
    biz.name = "Budi & Sons".into();
    biz.address = "Jl. \"Kutip\" 'Satu' <b>".into();
    biz.bank_accounts[0].holder = "<i>holder</i>".into();
    let mut doc = invoice();
    doc.customer_name = "<script>alert(1)</script>".into();
    doc.customer_address = "<img src=x onerror=alert(2)>".into();
    doc.login = "a\"b'c".into();
    doc.number = "INV/<1>".into();
    doc.lines[0].description = "<b>bold</b> & more".into();
    doc.allocations[0].label = "</td><script>".into();

    let html = invoice_html(&biz, &doc, Lang::Id);
    assert!(!html.contains("<script"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>"));
    assert!(!html.contains("<i>"));
    for needle in [
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "Budi &amp; Sons",
        "Jl. &quot;Kutip&quot; &#39;Satu&#39; &lt;b&gt;",
        "&lt;img src=x onerror=alert(2)&gt;",
        "a&quot;b&#39;c",
        "INV/&lt;1&gt;",
        "&lt;b&gt;bold&lt;/b&gt; &amp; more",
        "&lt;/td&gt;&lt;script&gt;",
        "&lt;i&gt;holder&lt;/i&gt;",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn escape_html_covers_the_five_characters() {
    assert_eq!(
        escape_html(r#"<a href="x">'&'</a>"#),
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    );
    assert_eq!(escape_html("Rp 150.000 ✓"), "Rp 150.000 ✓");
}

#[test]
fn paid_in_full_is_a_receipt_without_transfer_details() {
    let html = invoice_html(&business(), &paid_invoice(), Lang::Id);
    assert!(html.contains("<h2 class=\"title\">KUITANSI</h2>"));
    assert!(html.contains("LUNAS"));
    assert!(html.contains("Transfer"));
    assert!(html.contains("20 November 2026"));
    assert!(html.contains("Rp 0"));
    assert!(!html.contains("Pembayaran melalui transfer ke:"));
}

#[test]
fn void_is_marked_with_reason() {
    let mut doc = invoice();
    doc.status = InvoiceStatus::Void;
    doc.void_reason = Some("Pelanggan berhenti <langganan>".into());
    let html = invoice_html(&business(), &doc, Lang::Id);
    assert!(html.contains("<h2 class=\"title\">DIBATALKAN</h2>"));
    assert!(html.contains("stamp-void"));
    assert!(html.contains("Alasan pembatalan: Pelanggan berhenti &lt;langganan&gt;"));
    assert!(!html.contains("Pembayaran melalui transfer ke:"));

    let en = invoice_html(&business(), &doc, Lang::En);
    assert!(en.contains("<h2 class=\"title\">VOID</h2>"));
    assert!(en.contains("This invoice is void"));
}

#[test]
fn carried_over_names_the_target_invoice() {
    let mut doc = invoice();
    doc.status = InvoiceStatus::CarriedOver;
    doc.owed = 0;
    doc.carried_into = Some("INV/2026/12/00007".into());
    let html = invoice_html(&business(), &doc, Lang::Id);
    assert!(html.contains("<h2 class=\"title\">DIALIHKAN ke INV/2026/12/00007</h2>"));
    assert!(!html.contains("Pembayaran melalui transfer ke:"));
}

#[test]
fn english_option() {
    let html = invoice_html(&business(), &invoice(), Lang::En);
    assert!(html.contains("<html lang=\"en\">"));
    for needle in [
        "<h2 class=\"title\">INVOICE</h2>",
        "Amount due",
        "Due date",
        "Payments received",
        "Pay by bank transfer to:",
        "1 November 2026 \u{2013} 30 November 2026",
        "Partially paid",
        "Rp 116.500",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
    assert!(!html.contains("TAGIHAN"));
}

#[test]
fn no_payments_yet_and_no_bank_accounts() {
    let mut biz = business();
    biz.bank_accounts.clear();
    biz.email = None;
    let mut doc = invoice();
    doc.status = InvoiceStatus::Unpaid;
    doc.allocations.clear();
    doc.paid = 0;
    doc.owed = doc.total;
    let html = invoice_html(&biz, &doc, Lang::Id);
    assert!(html.contains("Belum ada pembayaran."));
    assert!(!html.contains("Pembayaran melalui transfer ke:"));
    assert!(!html.contains("billing@"));
}
