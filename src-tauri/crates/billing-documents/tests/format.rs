mod common;

use billing_documents::{
    document_title, format_date_id, format_period, format_phone, format_rupiah, InvoiceStatus, Lang,
};
use common::{date, invoice};
use rstest::rstest;

#[rstest]
#[case(0, "Rp 0")]
#[case(1, "Rp 1")]
#[case(999, "Rp 999")]
#[case(1_000, "Rp 1.000")]
#[case(10_000, "Rp 10.000")]
#[case(150_000, "Rp 150.000")]
#[case(1_234_567, "Rp 1.234.567")]
#[case(-1, "-Rp 1")]
#[case(-5_000, "-Rp 5.000")]
#[case(-1_234_567, "-Rp 1.234.567")]
#[case(i64::MAX, "Rp 9.223.372.036.854.775.807")]
#[case(i64::MIN, "-Rp 9.223.372.036.854.775.808")]
fn rupiah(#[case] amount: i64, #[case] expected: &str) {
    assert_eq!(format_rupiah(amount), expected);
}

#[rstest]
#[case(2026, 11, 28, Lang::Id, "28 November 2026")]
#[case(2026, 1, 1, Lang::Id, "1 Januari 2026")]
#[case(2026, 2, 14, Lang::Id, "14 Februari 2026")]
#[case(2026, 3, 9, Lang::Id, "9 Maret 2026")]
#[case(2026, 5, 20, Lang::Id, "20 Mei 2026")]
#[case(2026, 6, 1, Lang::Id, "1 Juni 2026")]
#[case(2026, 7, 1, Lang::Id, "1 Juli 2026")]
#[case(2026, 8, 17, Lang::Id, "17 Agustus 2026")]
#[case(2026, 10, 31, Lang::Id, "31 Oktober 2026")]
#[case(2026, 12, 31, Lang::Id, "31 Desember 2026")]
#[case(2028, 2, 29, Lang::Id, "29 Februari 2028")]
#[case(2026, 8, 17, Lang::En, "17 August 2026")]
#[case(2026, 5, 20, Lang::En, "20 May 2026")]
#[case(2026, 12, 31, Lang::En, "31 December 2026")]
fn dates(
    #[case] y: i32,
    #[case] m: u32,
    #[case] d: u32,
    #[case] lang: Lang,
    #[case] expected: &str,
) {
    assert_eq!(format_date_id(date(y, m, d), lang), expected);
}

#[test]
fn period_uses_both_dates() {
    assert_eq!(
        format_period(date(2026, 11, 1), date(2026, 11, 30), Lang::Id),
        "1 November 2026 \u{2013} 30 November 2026"
    );
}

#[rstest]
#[case("6281234567890", "+6281234567890")]
#[case(" 6281234567890 ", "+6281234567890")]
#[case("081234567890", "081234567890")]
#[case("62-812", "62-812")]
#[case("", "")]
fn phones(#[case] input: &str, #[case] expected: &str) {
    assert_eq!(format_phone(input), expected);
}

#[rstest]
#[case(InvoiceStatus::Unpaid, 166_500, None, Lang::Id, "TAGIHAN")]
#[case(InvoiceStatus::Partial, 116_500, None, Lang::Id, "TAGIHAN")]
#[case(InvoiceStatus::Partial, 116_500, None, Lang::En, "INVOICE")]
#[case(InvoiceStatus::Paid, 0, None, Lang::Id, "KUITANSI")]
#[case(InvoiceStatus::Paid, 0, None, Lang::En, "RECEIPT")]
#[case(InvoiceStatus::Unpaid, 0, None, Lang::Id, "KUITANSI")]
#[case(InvoiceStatus::Paid, -5_000, None, Lang::Id, "KUITANSI")]
#[case(InvoiceStatus::Void, 116_500, None, Lang::Id, "DIBATALKAN")]
#[case(InvoiceStatus::Void, 0, None, Lang::En, "VOID")]
#[case(
    InvoiceStatus::CarriedOver,
    0,
    Some("INV/2026/12/00007"),
    Lang::Id,
    "DIALIHKAN ke INV/2026/12/00007"
)]
#[case(
    InvoiceStatus::CarriedOver,
    0,
    Some("INV/2026/12/00007"),
    Lang::En,
    "CARRIED OVER to INV/2026/12/00007"
)]
#[case(InvoiceStatus::CarriedOver, 0, None, Lang::Id, "DIALIHKAN")]
#[case(InvoiceStatus::CarriedOver, 0, Some("  "), Lang::Id, "DIALIHKAN")]
fn titles(
    #[case] status: InvoiceStatus,
    #[case] owed: i64,
    #[case] carried_into: Option<&str>,
    #[case] lang: Lang,
    #[case] expected: &str,
) {
    let mut doc = invoice();
    doc.status = status;
    doc.owed = owed;
    doc.carried_into = carried_into.map(str::to_owned);
    assert_eq!(document_title(&doc, lang), expected);
}
