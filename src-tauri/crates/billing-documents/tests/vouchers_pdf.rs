mod common;

use std::io::Read as _;

use billing_documents::{
    format_rupiah, vouchers_pdf, DocumentError, Lang, VoucherPrint, VoucherTemplate, MAX_CARDS,
};
use common::{assert_qr, business, tiny_png, voucher_cards};
use printpdf::lopdf::content::{Content, Operation};
use printpdf::lopdf::{Document, Object};
use rstest::rstest;

/// A parsed voucher PDF: per page, its size in pt, its text lines and its
/// QR codes (modules per side, dark cells).
struct Parsed {
    pages: Vec<Page>,
    images: usize,
}

struct Page {
    size: (f32, f32),
    text: Vec<String>,
    qr_codes: Vec<(usize, Vec<(usize, usize)>)>,
}

fn number(obj: &Object) -> f32 {
    match obj {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        other => panic!("not a number: {other:?}"),
    }
}

/// QR codes as drawn: `q`, a scaling `cm`, integer `re` module runs, `f`, `Q`.
fn qr_codes(ops: &[Operation]) -> Vec<(usize, Vec<(usize, usize)>)> {
    let mut codes = Vec::new();
    let mut current: Option<Vec<(i64, i64, i64)>> = None;
    for op in ops {
        match (op.operator.as_str(), current.as_mut()) {
            ("cm", None) => current = Some(Vec::new()),
            ("re", Some(runs)) => {
                let ints: Vec<i64> = op
                    .operands
                    .iter()
                    .map(|o| o.as_i64().expect("integer module units"))
                    .collect();
                assert_eq!(ints[3], 1, "one module high");
                runs.push((ints[0], ints[1], ints[2]));
            }
            ("Q", Some(_)) => {
                let runs = current.take().unwrap_or_default();
                if runs.is_empty() {
                    continue; // the logo: `cm` then `Do`.
                }
                let width = runs.iter().map(|&(x, _, len)| x + len).max().unwrap_or(0);
                let height = runs.iter().map(|&(_, y, _)| y + 1).max().unwrap_or(0);
                assert_eq!(width, height, "square symbol");
                let side = width as usize;
                // PDF rows count from the bottom.
                let cells = runs
                    .iter()
                    .flat_map(|&(x, y, len)| {
                        (x..x + len).map(move |cx| (cx as usize, side - 1 - y as usize))
                    })
                    .collect();
                codes.push((side, cells));
            }
            _ => {}
        }
    }
    codes
}

fn parse(bytes: &[u8]) -> Parsed {
    assert!(bytes.starts_with(b"%PDF-1.4"));
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"));
    let doc = Document::load_mem(bytes).expect("PDF parses");
    let mut images = 0;
    for obj in doc.objects.values() {
        if let Object::Stream(s) = obj {
            let length = s.dict.get(b"Length").and_then(Object::as_i64);
            assert_eq!(length.ok(), Some(s.content.len() as i64), "stream /Length");
        }
        match obj {
            Object::Dictionary(dict)
                if dict.get(b"Type").and_then(Object::as_name_str).ok() == Some("Font") =>
            {
                assert_eq!(dict.get_font_encoding(), "WinAnsiEncoding");
            }
            Object::Stream(s)
                if s.dict.get(b"Subtype").and_then(Object::as_name_str).ok() == Some("Image") =>
            {
                let side = |key: &[u8]| s.dict.get(key).and_then(Object::as_i64).expect("size");
                let mut rgb = Vec::new();
                flate2::read::ZlibDecoder::new(s.content.as_slice())
                    .read_to_end(&mut rgb)
                    .expect("image inflates");
                assert_eq!(rgb.len() as i64, side(b"Width") * side(b"Height") * 3);
                images += 1;
            }
            _ => {}
        }
    }
    let pages = doc
        .get_pages()
        .values()
        .map(|&id| {
            let page = doc.get_dictionary(id).expect("page");
            let media = page
                .get(b"MediaBox")
                .and_then(Object::as_array)
                .expect("MediaBox");
            let content = Content::decode(&doc.get_page_content(id).expect("content"))
                .expect("content decodes");
            let text = content
                .operations
                .iter()
                .filter(|op| op.operator == "Tj")
                .filter_map(|op| match op.operands.first() {
                    Some(Object::String(raw, _)) => {
                        Some(Document::decode_text(Some("WinAnsiEncoding"), raw))
                    }
                    _ => None,
                })
                .collect();
            Page {
                size: (number(&media[2]), number(&media[3])),
                text,
                qr_codes: qr_codes(&content.operations),
            }
        })
        .collect();
    Parsed { pages, images }
}

fn render(cards: usize, template: VoucherTemplate, per_page: Option<u32>) -> Parsed {
    let biz = business();
    let print = VoucherPrint {
        per_page,
        ..VoucherPrint::new(template, &biz)
    };
    parse(&vouchers_pdf(&voucher_cards(cards), &print).expect("pdf renders"))
}

#[rstest]
#[case::default(VoucherTemplate::Default, None, 25, 3)]
#[case::default_4(VoucherTemplate::Default, Some(4), 9, 3)]
#[case::default_12(VoucherTemplate::Default, Some(12), 24, 2)]
#[case::small(VoucherTemplate::Small, None, 81, 3)]
#[case::small_48(VoucherTemplate::Small, Some(48), 48, 1)]
#[case::thermal(VoucherTemplate::Thermal58, None, 5, 5)]
fn pages_hold_the_template_s_cards(
    #[case] template: VoucherTemplate,
    #[case] per_page: Option<u32>,
    #[case] cards: usize,
    #[case] pages: usize,
) {
    let parsed = render(cards, template, per_page);
    assert_eq!(parsed.pages.len(), pages);
    let expected_size = match template {
        VoucherTemplate::Thermal58 => (164.41, 255.12),
        VoucherTemplate::Default | VoucherTemplate::Small => (595.28, 841.89),
    };
    let per_page = per_page.unwrap_or(template.default_per_page()) as usize;
    for (i, page) in parsed.pages.iter().enumerate() {
        assert_eq!(page.size, expected_size);
        let on_page = per_page.min(cards - i * per_page);
        assert_eq!(page.qr_codes.len(), on_page, "page {i}");
    }
}

#[rstest]
#[case::default(VoucherTemplate::Default)]
#[case::small(VoucherTemplate::Small)]
#[case::thermal(VoucherTemplate::Thermal58)]
fn every_code_price_and_serial_is_printed_once(#[case] template: VoucherTemplate) {
    let cards = voucher_cards(23);
    let parsed = render(23, template, None);
    let lines: Vec<&String> = parsed.pages.iter().flat_map(|p| &p.text).collect();
    for card in &cards {
        assert_eq!(
            lines.iter().filter(|l| l.contains(&card.code)).count(),
            1,
            "{}",
            card.code
        );
        assert_eq!(
            lines.iter().filter(|l| l.as_str() == card.serial).count(),
            1,
            "{}",
            card.serial
        );
        let price = format_rupiah(card.price);
        assert_eq!(
            lines.iter().filter(|l| l.as_str() == price).count(),
            1,
            "{price}"
        );
        if let Some(pw) = card.separate_password() {
            assert_eq!(lines.iter().filter(|l| l.contains(pw)).count(), 1, "{pw}");
        }
    }
    assert!(lines.iter().all(|l| !l.contains("hotspot.lan")));
}

#[rstest]
#[case::default(VoucherTemplate::Default)]
#[case::small(VoucherTemplate::Small)]
#[case::thermal(VoucherTemplate::Thermal58)]
fn qr_codes_decode_to_each_login_url(#[case] template: VoucherTemplate) {
    let mut cards = voucher_cards(7);
    cards[6].login_url = format!("http://10.5.50.1/login?dst=&username={}", "z".repeat(150));
    let biz = business();
    let bytes = vouchers_pdf(&cards, &VoucherPrint::new(template, &biz)).expect("pdf");
    let codes: Vec<_> = parse(&bytes)
        .pages
        .into_iter()
        .flat_map(|p| p.qr_codes)
        .collect();
    assert_eq!(codes.len(), cards.len());
    for ((side, cells), card) in codes.iter().zip(&cards) {
        assert_qr(*side, |x, y| cells.contains(&(x, y)), &card.login_url);
    }
}

#[test]
fn labels_follow_the_language() {
    let cards = voucher_cards(2);
    let biz = business();
    let text = |lang| {
        let print = VoucherPrint {
            lang,
            ..VoucherPrint::new(VoucherTemplate::Default, &biz)
        };
        let parsed = parse(&vouchers_pdf(&cards, &print).expect("pdf"));
        parsed
            .pages
            .into_iter()
            .flat_map(|p| p.text)
            .collect::<Vec<_>>()
    };
    let id = text(Lang::Id);
    for needle in [
        "Kode voucher",
        "Masa aktif: 1 hari",
        "Paket: 1-hari-5M",
        "Username",
        "Password",
    ] {
        assert!(
            id.iter().any(|l| l == needle),
            "missing {needle:?} in {id:?}"
        );
    }
    let en = text(Lang::En);
    for needle in ["Voucher code", "Valid for: 1 hari", "Plan: 1-hari-5M"] {
        assert!(
            en.iter().any(|l| l == needle),
            "missing {needle:?} in {en:?}"
        );
    }
}

#[test]
fn logo_is_stored_once_for_all_pages_of_the_default_template() {
    let mut biz = business();
    biz.logo_png = Some(tiny_png());
    let cards = voucher_cards(25);
    let bytes =
        vouchers_pdf(&cards, &VoucherPrint::new(VoucherTemplate::Default, &biz)).expect("pdf");
    let parsed = parse(&bytes);
    assert_eq!((parsed.pages.len(), parsed.images), (3, 1));
    let bytes =
        vouchers_pdf(&cards, &VoucherPrint::new(VoucherTemplate::Small, &biz)).expect("pdf");
    assert_eq!(parse(&bytes).images, 0, "the small card has no logo");
}

#[test]
fn custom_html_does_not_change_the_pdf() {
    let biz = business();
    let cards = voucher_cards(3);
    let plain =
        vouchers_pdf(&cards, &VoucherPrint::new(VoucherTemplate::Default, &biz)).expect("pdf");
    let print = VoucherPrint {
        custom_html: Some("<p>{{code}}</p>".into()),
        ..VoucherPrint::new(VoucherTemplate::Default, &biz)
    };
    assert_eq!(vouchers_pdf(&cards, &print).expect("pdf"), plain);
}

#[test]
fn hostile_and_long_values_fit_or_are_cut_without_failing() {
    let mut biz = business();
    biz.name = "東京 (Net) \\ ".repeat(30);
    let mut cards = voucher_cards(3);
    cards[0].code = "W".repeat(200);
    cards[1].validity = "😀 hari\n(lama)".into();
    cards[2].price = i64::MAX;
    for template in [
        VoucherTemplate::Default,
        VoucherTemplate::Small,
        VoucherTemplate::Thermal58,
    ] {
        let bytes = vouchers_pdf(&cards, &VoucherPrint::new(template, &biz)).expect("pdf");
        let lines: Vec<String> = parse(&bytes)
            .pages
            .into_iter()
            .flat_map(|p| p.text)
            .collect();
        assert!(lines
            .iter()
            .any(|l| l.starts_with("WWWW") && l.ends_with('\u{2026}')));
        assert!(
            lines.iter().any(|l| l.contains("? hari (lama)")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|l| l.starts_with("Rp 9.223.372")),
            "{lines:?}"
        );
    }
}

#[test]
fn empty_oversized_and_badly_paged_batches_are_refused() {
    let biz = business();
    let print = VoucherPrint::new(VoucherTemplate::Small, &biz);
    assert!(matches!(
        vouchers_pdf(&[], &print),
        Err(DocumentError::NoCards)
    ));
    let too_many = vec![voucher_cards(1).remove(0); MAX_CARDS + 1];
    assert!(matches!(
        vouchers_pdf(&too_many, &print),
        Err(DocumentError::TooManyCards { .. })
    ));
    let print = VoucherPrint {
        per_page: Some(49),
        ..print
    };
    assert!(matches!(
        vouchers_pdf(&voucher_cards(1), &print),
        Err(DocumentError::PerPage {
            per_page: 49,
            min: 16,
            max: 48,
            ..
        })
    ));
    let mut cards = voucher_cards(1);
    cards[0].login_url = "x".repeat(4_000);
    let err = vouchers_pdf(&cards, &VoucherPrint::new(VoucherTemplate::Default, &biz))
        .expect_err("too long for a QR code");
    assert!(matches!(err, DocumentError::Qr { ref serial, .. } if serial == "B12-0000"));
}
