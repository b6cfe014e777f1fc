//! The batch as one self-contained printable HTML page: inline CSS with the
//! page size, one `.sheet` per printed page, dashed cut lines between cards,
//! QR codes as inline SVG and the logo once as a data URL.

use std::fmt::Write as _;

use super::layout::Layout;
use super::qr::QrMatrix;
use super::template::{builtin_card_template, CardTemplate, Field};
use super::{check_batch, voucher_labels, VoucherCard, VoucherPrint, VoucherTemplate};
use crate::format::format_rupiah;
use crate::html::{escape_html, logo_data_url};
use crate::logo::decode_png;
use crate::model::DocumentError;

const CSS: &str = r#"
*{box-sizing:border-box}
body{margin:0;background:#e9ecef;color:#1d232b;font:10pt/1.3 "Helvetica Neue",Arial,sans-serif}
.sheet{display:grid;margin:8mm auto;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.2);overflow:hidden;break-after:page;border-top:.3mm dashed #8a939c;border-left:.3mm dashed #8a939c}
.sheet:last-child{break-after:auto}
.card{position:relative;min-width:0;min-height:0;overflow:hidden;break-inside:avoid;padding:2.5mm;border-right:.3mm dashed #8a939c;border-bottom:.3mm dashed #8a939c}
.v-qrcode{display:block;width:100%;height:100%}
.v-logo{display:inline-block;width:14mm;height:7mm;vertical-align:middle}
.v-code,.v-pass{font-family:"DejaVu Sans Mono",Consolas,"Courier New",monospace;font-weight:700;overflow-wrap:anywhere}
.v-l,.v-row,.v-serial{color:#5b6570}
.v-serial{font-size:6pt}
.t-default .card{display:flex;flex-direction:column;gap:1mm}
.t-default .v-head{display:flex;align-items:center;gap:2mm;padding-bottom:1mm;border-bottom:.4mm solid #1d4e89}
.t-default .v-logo{flex:none}
.t-default .v-isp{flex:1;min-width:0;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;font-weight:700;color:#1d4e89}
.t-default .v-price{font-size:13pt;font-weight:800;white-space:nowrap}
.t-default .v-main{flex:1;display:flex;gap:2mm;min-height:0}
.t-default .v-info{flex:1;min-width:0}
.t-default .v-row{font-size:8pt}
.t-default .v-l{margin-top:1.2mm;font-size:7pt}
.t-default .v-code{font-size:13pt;line-height:1.15}
.t-default .v-serial{position:absolute;right:2.5mm;bottom:1mm}
.t-small .card{display:flex;align-items:center;gap:1.5mm;padding:1.5mm}
.t-small .v-qr{flex:none}
.t-small .v-info{flex:1;min-width:0}
.t-small .v-price{font-size:9.5pt;font-weight:800}
.t-small .v-code{font-size:10pt}
.t-small .v-pass{font-size:8pt}
.t-small .v-l{font:6.5pt Arial,sans-serif}
.t-small .v-row{font-size:7pt}
.t-small .v-serial{font-size:5.5pt}
.t-thermal58 .sheet{margin:0 auto;border:0}
.t-thermal58 .card{display:flex;flex-direction:column;align-items:center;gap:.5mm;padding:3mm 5mm;border:0;border-bottom:.3mm dashed #000;text-align:center;color:#000}
.t-thermal58 .v-isp{font-size:10pt;font-weight:700;overflow-wrap:anywhere}
.t-thermal58 .v-price{font-size:15pt;font-weight:800}
.t-thermal58 .v-l,.t-thermal58 .v-row,.t-thermal58 .v-serial{color:#000}
.t-thermal58 .v-row{font-size:8pt}
.t-thermal58 .v-l{margin-top:1mm;font-size:7pt}
.t-thermal58 .v-code{font-size:13pt}
.t-thermal58 .v-qr{margin-top:1mm}
.t-thermal58 .v-serial{font-size:7pt}
@media print{body{background:#fff}.sheet{margin:0;box-shadow:none}}
"#;

/// Page size, grid and the wording of the labels, for this batch.
fn layout_css(layout: &Layout, print: &VoucherPrint<'_>) -> String {
    let l = voucher_labels(print.lang);
    let page = match layout.template {
        VoucherTemplate::Thermal58 => format!("{}mm {}mm", layout.page_w, layout.page_h),
        VoucherTemplate::Default | VoucherTemplate::Small => "A4".to_owned(),
    };
    let qr = layout.qr_mm();
    format!(
        "@page{{size:{page};margin:{margin}mm}}\n\
         .sheet{{width:{w}mm;height:{h}mm;grid-template-columns:repeat({cols},1fr);\
         grid-template-rows:repeat({rows},1fr)}}\n\
         .v-qr{{width:{qr:.1}mm;height:{qr:.1}mm}}\n\
         .v-l-validity::before{{content:\"{validity}:\"}}\n\
         .v-l-profile::before{{content:\"{profile}:\"}}\n\
         .v-l-code::before{{content:\"{code}\"}}\n\
         .pw .v-l-code::before{{content:\"{username}\"}}\n\
         .v-l-password::before{{content:\"{password}\"}}\n",
        margin = layout.margin,
        // A hair under the printable area, so rounding never spills a blank page.
        w = layout.page_w - 2.0 * layout.margin - 0.5,
        h = layout.page_h - 2.0 * layout.margin - 0.5,
        cols = layout.cols,
        rows = layout.rows,
        validity = l.validity,
        profile = l.profile,
        code = l.code,
        username = l.username,
        password = l.password,
    )
}

/// The logo defined once as an SVG symbol (each card only references it,
/// so 10,000 cards do not repeat the image), and the markup of `{{logo}}`.
fn logo_parts(logo_png: Option<&[u8]>) -> Option<(String, String)> {
    let png = logo_png?;
    let url = logo_data_url(Some(png))?;
    let img = decode_png(png)?;
    let (w, h) = (img.width, img.height);
    let defs = format!(
        "<svg style=\"position:absolute;width:0;height:0\" aria-hidden=\"true\"><defs>\
         <symbol id=\"v-logo\" viewBox=\"0 0 {w} {h}\"><image href=\"{url}\" width=\"{w}\" \
         height=\"{h}\"/></symbol></defs></svg>\n"
    );
    let usage = format!(
        "<svg class=\"v-logo\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Logo\">\
         <use href=\"#v-logo\"/></svg>"
    );
    Some((defs, usage))
}

/// All cards as one printable HTML page (A4 sheets, or 58 mm × 90 mm pages
/// for [`VoucherTemplate::Thermal58`]).
///
/// The card markup is [`VoucherPrint::custom_html`] when given (checked: see
/// [`crate::TemplateError`]), else [`builtin_card_template`]. Each card is
/// wrapped in `<div class="card">` (`class="card pw"` when it has a separate
/// password).
pub fn vouchers_html(
    cards: &[VoucherCard],
    print: &VoucherPrint<'_>,
) -> Result<String, DocumentError> {
    check_batch(cards)?;
    let layout = Layout::for_print(print)?;
    let source = print
        .custom_html
        .as_deref()
        .unwrap_or_else(|| builtin_card_template(print.template));
    let template = CardTemplate::parse(source)?;
    let l = voucher_labels(print.lang);
    let isp = escape_html(&print.business.name);
    let logo = if template.uses(Field::Logo) {
        logo_parts(print.business.logo_png.as_deref())
    } else {
        None
    };

    let mut out = String::with_capacity(4096 + cards.len() * (source.len() + 3072));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} \u{2013} {isp}</title><style>{CSS}{}</style></head>\
         <body class=\"t-{}\">\n",
        l.lang_tag,
        l.title,
        layout_css(&layout, print),
        layout.template,
    );
    if let Some((defs, _)) = &logo {
        out.push_str(defs);
    }
    for page in cards.chunks(layout.per_page as usize) {
        out.push_str("<section class=\"sheet\">\n");
        for card in page {
            let password = card.separate_password();
            let qr = if template.uses(Field::Qr) {
                QrMatrix::for_card(card)?.svg()
            } else {
                String::new()
            };
            out.push_str(if password.is_some() {
                "<div class=\"card pw\">"
            } else {
                "<div class=\"card\">"
            });
            template.render(password.is_some(), &mut out, |field, out| match field {
                Field::Isp => out.push_str(&isp),
                Field::Logo => out.push_str(logo.as_ref().map_or("", |(_, usage)| usage)),
                Field::Code => out.push_str(&escape_html(&card.code)),
                Field::Password => out.push_str(&escape_html(password.unwrap_or(&card.code))),
                Field::Price => out.push_str(&escape_html(&format_rupiah(card.price))),
                Field::Validity => out.push_str(&escape_html(&card.validity)),
                Field::Profile => out.push_str(&escape_html(&card.profile)),
                Field::Qr => out.push_str(&qr),
                Field::Serial => out.push_str(&escape_html(&card.serial)),
            });
            out.push_str("</div>\n");
        }
        out.push_str("</section>\n");
    }
    out.push_str("</body></html>\n");
    Ok(out)
}
