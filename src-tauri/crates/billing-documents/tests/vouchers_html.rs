mod common;

use billing_documents::{
    builtin_card_template, format_rupiah, vouchers_html, Business, DocumentError, Lang,
    TemplateError, VoucherCard, VoucherPrint, VoucherTemplate, MAX_CARDS,
};
use common::{assert_qr, business, tiny_png, voucher_cards};
use rstest::rstest;

fn render(cards: &[VoucherCard], template: VoucherTemplate) -> String {
    let biz = business();
    vouchers_html(cards, &VoucherPrint::new(template, &biz)).expect("html renders")
}

fn render_custom(cards: &[VoucherCard], custom: &str) -> Result<String, DocumentError> {
    let biz = business();
    let print = VoucherPrint {
        custom_html: Some(custom.to_owned()),
        ..VoucherPrint::new(VoucherTemplate::Default, &biz)
    };
    vouchers_html(cards, &print)
}

/// Each QR code of the page as (modules per side, dark cells) without its
/// light margin, in page order.
fn qr_codes(html: &str) -> Vec<(usize, Vec<(usize, usize)>)> {
    html.split("<svg class=\"v-qrcode\" viewBox=\"0 0 ")
        .skip(1)
        .map(|svg| {
            let side: usize = svg
                .split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("viewBox side");
            let path = svg
                .split("<path d=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .expect("path");
            // Runs written as `M{x} {y}h{len}v1h-{len}z`.
            let mut cells = Vec::new();
            for run in path.split('z').filter(|r| !r.is_empty()) {
                let run = run.strip_prefix('M').expect("M");
                let (xy, rest) = run.split_once('h').expect("h");
                let (x, y) = xy.split_once(' ').expect("x y");
                let (len, tail) = rest.split_once("v1h-").expect("v1h-");
                assert_eq!(len, tail, "run closes where it started");
                let (x, y, len): (usize, usize, usize) = (
                    x.parse().expect("x"),
                    y.parse().expect("y"),
                    len.parse().expect("len"),
                );
                cells.extend((x..x + len).map(|cx| (cx, y)));
            }
            // Drop the light margin: the symbol starts at its first dark module.
            let margin = cells.iter().map(|&(x, _)| x).min().expect("dark modules");
            let cells = cells
                .into_iter()
                .map(|(x, y)| (x - margin, y - margin))
                .collect();
            (side - 2 * margin, cells)
        })
        .collect()
}

#[rstest]
#[case::default(VoucherTemplate::Default)]
#[case::small(VoucherTemplate::Small)]
#[case::thermal(VoucherTemplate::Thermal58)]
fn every_card_shows_its_code_price_and_serial_exactly_once(#[case] template: VoucherTemplate) {
    let cards = voucher_cards(23);
    let html = render(&cards, template);
    for card in &cards {
        assert_eq!(html.matches(&card.code).count(), 1, "{}", card.code);
        assert_eq!(html.matches(&card.serial).count(), 1, "{}", card.serial);
        let price = format!(">{}<", format_rupiah(card.price));
        assert_eq!(html.matches(&price).count(), 1, "{price}");
    }
    assert_eq!(html.matches("<div class=\"card").count(), 23);
    assert!(html.contains(">1 hari<") || html.contains(" 1 hari<"));
    // The login URL travels only inside the QR code.
    assert!(!html.contains("hotspot.lan"));
}

#[test]
fn hostile_isp_name_and_card_values_are_escaped() {
    let mut biz = business();
    biz.name = "<script>alert(1)</script> & \"Net\"".into();
    let mut cards = voucher_cards(2);
    cards[0].code = "<img src=x onerror=alert(2)>".into();
    cards[0].validity = "'1' <b>hari</b>".into();
    cards[0].profile = "a&b".into();
    cards[0].serial = "S\"1".into();
    cards[1].password = Some("</div><i>pw</i>".into());
    let html =
        vouchers_html(&cards, &VoucherPrint::new(VoucherTemplate::Default, &biz)).expect("renders");
    assert!(!html.contains("<script"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>hari") && !html.contains("<i>pw"));
    for needle in [
        "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Net&quot;",
        "&lt;img src=x onerror=alert(2)&gt;",
        "&#39;1&#39; &lt;b&gt;hari&lt;/b&gt;",
        "a&amp;b",
        "S&quot;1",
        "&lt;/div&gt;&lt;i&gt;pw&lt;/i&gt;",
    ] {
        assert!(html.contains(needle), "missing {needle:?}");
    }
}

#[test]
fn password_section_shows_only_for_a_separate_password() {
    let mut cards = voucher_cards(4);
    cards[0].password = None;
    cards[1].password = Some("rahasia9".into());
    cards[2].password = Some(cards[2].code.clone());
    cards[3].password = Some(String::new());
    for template in [
        VoucherTemplate::Default,
        VoucherTemplate::Small,
        VoucherTemplate::Thermal58,
    ] {
        let html = render(&cards, template);
        assert_eq!(
            html.matches("class=\"v-l v-l-password\"").count(),
            1,
            "{template}"
        );
        assert_eq!(html.matches("rahasia9").count(), 1, "{template}");
        assert_eq!(
            html.matches("<div class=\"card pw\">").count(),
            1,
            "{template}"
        );
        assert_eq!(
            html.matches("<div class=\"card\">").count(),
            3,
            "{template}"
        );
    }
}

#[rstest]
#[case::default(VoucherTemplate::Default, None, 25, 3, "@page{size:A4;margin:10mm}", (2, 5))]
#[case::default_12(VoucherTemplate::Default, Some(12), 25, 3, "@page{size:A4;margin:10mm}", (2, 6))]
#[case::default_4(VoucherTemplate::Default, Some(4), 4, 1, "@page{size:A4;margin:10mm}", (2, 2))]
#[case::small(VoucherTemplate::Small, None, 81, 3, "@page{size:A4;margin:10mm}", (4, 10))]
#[case::small_18(VoucherTemplate::Small, Some(18), 37, 3, "@page{size:A4;margin:10mm}", (4, 5))]
#[case::thermal(VoucherTemplate::Thermal58, None, 3, 3, "@page{size:58mm 90mm;margin:0mm}", (1, 1))]
fn sheets_and_page_css_follow_the_template(
    #[case] template: VoucherTemplate,
    #[case] per_page: Option<u32>,
    #[case] cards: usize,
    #[case] sheets: usize,
    #[case] page_rule: &str,
    #[case] (cols, rows): (u32, u32),
) {
    let biz = business();
    let print = VoucherPrint {
        per_page,
        ..VoucherPrint::new(template, &biz)
    };
    let html = vouchers_html(&voucher_cards(cards), &print).expect("renders");
    assert_eq!(html.matches("<section class=\"sheet\">").count(), sheets);
    assert!(html.contains(page_rule), "no {page_rule}");
    assert!(html.contains(&format!(
        "grid-template-columns:repeat({cols},1fr);grid-template-rows:repeat({rows},1fr)"
    )));
    assert!(html.contains(&format!("<body class=\"t-{template}\">")));
    for rule in ["break-after:page", "break-inside:avoid", "dashed"] {
        assert!(html.contains(rule), "no {rule}");
    }
    // Every sheet but the last holds exactly per_page cards.
    let per_page = print.per_page.unwrap_or(template.default_per_page()) as usize;
    let first = html
        .split("<section class=\"sheet\">")
        .nth(1)
        .expect("a sheet");
    let first = first.split("</section>").next().expect("sheet end");
    assert_eq!(
        first.matches("<div class=\"card").count(),
        per_page.min(cards)
    );
}

#[test]
fn labels_are_indonesian_by_default_and_english_on_request() {
    let cards = voucher_cards(2);
    let html = render(&cards, VoucherTemplate::Default);
    assert!(html.contains("<html lang=\"id\">"));
    for label in [
        "\"Kode voucher\"",
        "\"Masa aktif:\"",
        "\"Paket:\"",
        "\"Username\"",
    ] {
        assert!(html.contains(&format!("content:{label}")), "no {label}");
    }
    let biz = business();
    let print = VoucherPrint {
        lang: Lang::En,
        ..VoucherPrint::new(VoucherTemplate::Default, &biz)
    };
    let en = vouchers_html(&cards, &print).expect("renders");
    assert!(en.contains("<html lang=\"en\">"));
    for label in ["\"Voucher code\"", "\"Valid for:\"", "\"Plan:\""] {
        assert!(en.contains(&format!("content:{label}")), "no {label}");
    }
    assert!(!en.contains("Kode voucher") && !en.contains("Masa aktif"));
}

#[test]
fn qr_codes_decode_to_each_login_url() {
    let mut cards = voucher_cards(6);
    cards[5].login_url = format!(
        "http://10.5.50.1/login?username=X&password={}",
        "y".repeat(120)
    );
    for template in [VoucherTemplate::Default, VoucherTemplate::Small] {
        let html = render(&cards, template);
        let codes = qr_codes(&html);
        assert_eq!(codes.len(), cards.len());
        for ((side, cells), card) in codes.iter().zip(&cards) {
            assert_qr(*side, |x, y| cells.contains(&(x, y)), &card.login_url);
        }
    }
}

#[test]
fn logo_is_embedded_once_and_used_by_every_card() {
    let mut biz = business();
    biz.logo_png = Some(tiny_png());
    let cards = voucher_cards(12);
    let html =
        vouchers_html(&cards, &VoucherPrint::new(VoucherTemplate::Default, &biz)).expect("renders");
    assert_eq!(html.matches("data:image/png;base64,iVBORw0KGgo").count(), 1);
    assert_eq!(html.matches("<use href=\"#v-logo\"/>").count(), 12);

    biz.logo_png = Some(b"GIF89a".to_vec());
    let html =
        vouchers_html(&cards, &VoucherPrint::new(VoucherTemplate::Default, &biz)).expect("renders");
    assert!(!html.contains("data:image") && !html.contains("v-logo\""));
}

#[test]
fn page_is_self_contained() {
    let html = render(&voucher_cards(3), VoucherTemplate::Small);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for external in ["http://", "https://", "<link", "<script", "src=\"/", "url("] {
        assert!(!html.contains(external), "external reference {external:?}");
    }
}

#[test]
fn custom_template_replaces_the_card_markup() {
    let mut cards = voucher_cards(2);
    cards[0].code = "A<1>".into();
    let custom = "<p class=\"mine\">{{ code }}|{{price}}|{{validity}}|{{serial}}\
                  {{#password}}|PW={{password}}{{/password}}|{{isp}}</p>";
    let html = render_custom(&cards, custom).expect("valid");
    assert!(
        html.contains("<p class=\"mine\">A&lt;1&gt;|Rp 1.000|1 hari|B12-0000|Nusantara Net</p>")
    );
    assert!(html.contains("<p class=\"mine\">KODE0001X|Rp 2.000|1 hari|B12-0001|PW=pw0001z|"));
    assert!(
        !html.contains("class=\"v-head\""),
        "built-in markup left out"
    );
    // The built-in template is itself a valid custom one.
    let same = render_custom(&cards, builtin_card_template(VoucherTemplate::Default))
        .expect("builtin as custom");
    assert_eq!(same, render(&cards, VoucherTemplate::Default));
}

#[rstest]
#[case::unknown("<b>{{code}}</b>\n{{codes}}", TemplateError::UnknownPlaceholder { name: "codes".into(), line: 2 }, "{{codes}}")]
#[case::unclosed_section("{{code}}{{#password}}{{password}}", TemplateError::UnclosedSection { line: 1 }, "{{/password}}")]
#[case::unopened_section("{{code}}\n\n{{/password}}", TemplateError::UnopenedSection { line: 3 }, "not open")]
#[case::nested("{{code}}{{#password}}\n{{#password}}{{/password}}{{/password}}", TemplateError::NestedSection { line: 2 }, "inside")]
#[case::unknown_section("{{code}}{{#serial}}x{{/serial}}", TemplateError::UnknownPlaceholder { name: "#serial".into(), line: 1 }, "{{#serial}}")]
#[case::script("{{code}}<SCRIPT src=x></script>", TemplateError::Script { line: 1 }, "<script")]
#[case::unclosed_placeholder("{{code}} {{price", TemplateError::UnclosedPlaceholder { line: 1 }, "not closed")]
#[case::no_code("<p>{{price}}</p>", TemplateError::MissingCode, "{{code}}")]
#[case::empty("  \n ", TemplateError::Empty, "empty")]
fn bad_custom_templates_are_refused_naming_the_problem(
    #[case] custom: &str,
    #[case] expected: TemplateError,
    #[case] in_message: &str,
) {
    let err = render_custom(&voucher_cards(1), custom).expect_err("refused");
    let message = err.to_string();
    match err {
        DocumentError::Template(found) => assert_eq!(found, expected),
        other => panic!("unexpected error {other:?}"),
    }
    assert!(message.contains(in_message), "{message}");
}

#[test]
fn templates_over_20_kb_are_refused() {
    let custom = format!("{{{{code}}}}{}", " ".repeat(20 * 1024));
    let err = render_custom(&voucher_cards(1), &custom).expect_err("too large");
    assert!(matches!(
        err,
        DocumentError::Template(TemplateError::TooLarge { max: 20_480, .. })
    ));
    let just_fits = format!("{{{{code}}}}{}", " ".repeat(20 * 1024 - 8));
    render_custom(&voucher_cards(1), &just_fits).expect("20 KB exactly is fine");
}

#[test]
fn empty_oversized_and_badly_paged_batches_are_refused() {
    let biz = Business::default();
    let print = VoucherPrint::new(VoucherTemplate::Default, &biz);
    assert!(matches!(
        vouchers_html(&[], &print),
        Err(DocumentError::NoCards)
    ));
    let too_many = vec![voucher_cards(1).remove(0); MAX_CARDS + 1];
    assert!(matches!(
        vouchers_html(&too_many, &print),
        Err(DocumentError::TooManyCards {
            count: 10_001,
            max: 10_000
        })
    ));
    let print = VoucherPrint {
        per_page: Some(13),
        ..print
    };
    let err = vouchers_html(&voucher_cards(1), &print).expect_err("13 per page");
    assert!(err.to_string().contains("allowed: 4 to 12"), "{err}");
}
