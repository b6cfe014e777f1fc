//! The batch as a PDF: A4 sheets with a grid of cards, or one 58 mm × 90 mm
//! page per card. Built directly on `lopdf` (which `printpdf` re-exports)
//! rather than through `printpdf`'s page objects: each page's content is
//! encoded and compressed as soon as it is drawn, and the fonts, the logo and
//! the page resources are stored once for the whole batch. `printpdf` keeps
//! every page's operations until the end: for 10,000 cards that is about
//! 2.5 million QR rectangles, hundreds of megabytes, where this stays under
//! 30 MB (see `examples/voucher-pdf-bench.rs`).

use std::io::Write as _;

use flate2::write::ZlibEncoder;
use flate2::Compression;
use printpdf::lopdf::content::Content;
use printpdf::lopdf::xref::XrefType;
use printpdf::lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::layout::{Layout, THERMAL_PRINT_W};
use super::pdf_canvas::{fit, pt, Canvas};
use super::qr::QrMatrix;
use super::VoucherTemplate;
use super::{check_batch, voucher_labels, VoucherCard, VoucherLabels, VoucherPrint};
use crate::format::format_rupiah;
use crate::logo::{decode_png, RgbImage};
use crate::model::DocumentError;
use crate::pdf_text::to_win_ansi;
use crate::pdf_writer::{Style, BLACK, BLUE, GREY};

const CUT: (u8, u8, u8) = (138, 147, 156);

fn pdf_err(err: impl std::fmt::Display) -> DocumentError {
    DocumentError::Pdf(err.to_string())
}

fn style(bold: bool, size: f32, rgb: (u8, u8, u8)) -> Style {
    Style { bold, size, rgb }
}

/// What every card of the batch shares.
struct Ctx<'a> {
    layout: Layout,
    labels: &'a VoucherLabels,
    isp: &'a str,
    logo: Option<(f32, f32)>,
}

/// All cards as a PDF in the built-in layout of [`VoucherPrint::template`],
/// with the fonts built into every PDF reader (Helvetica).
///
/// [`VoucherPrint::custom_html`] does not apply here: the PDF always uses the
/// built-in layout.
pub fn vouchers_pdf(
    cards: &[VoucherCard],
    print: &VoucherPrint<'_>,
) -> Result<Vec<u8>, DocumentError> {
    check_batch(cards)?;
    let layout = Layout::for_print(print)?;
    let mut doc = Document::with_version("1.4");
    doc.reference_table.cross_reference_type = XrefType::CrossReferenceTable;
    let pages_id = doc.new_object_id();

    let font = |name: &str| {
        dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => Object::Name(name.as_bytes().to_vec()),
            "Encoding" => "WinAnsiEncoding",
        }
    };
    let regular = doc.add_object(font("Helvetica"));
    let bold = doc.add_object(font("Helvetica-Bold"));
    let mut resources = dictionary! {
        "Font" => dictionary! { "F1" => regular, "F2" => bold },
    };
    // Only the default template shows the logo; stored once, used on every page.
    let logo = match layout.template {
        VoucherTemplate::Default => print.business.logo_png.as_deref().and_then(decode_png),
        VoucherTemplate::Small | VoucherTemplate::Thermal58 => None,
    };
    let logo_box = logo.as_ref().map(|img| logo_size(img, 14.0, 7.0));
    if let Some(img) = logo {
        let image = image_stream(img)?;
        let id = doc.add_object(image);
        resources.set("XObject", dictionary! { "Logo" => id });
    }
    let resources_id = doc.add_object(resources);

    let ctx = Ctx {
        layout,
        labels: voucher_labels(print.lang),
        isp: &print.business.name,
        logo: logo_box,
    };
    let media_box = vec![0.into(), 0.into(), pt(layout.page_w), pt(layout.page_h)];
    let mut kids: Vec<Object> = Vec::new();
    for page in cards.chunks(layout.per_page as usize) {
        let mut canvas = Canvas::default();
        draw_cut_lines(&mut canvas, &layout, page.len());
        for (slot, card) in page.iter().enumerate() {
            let (x, y) = layout.card_origin(slot);
            let qr = QrMatrix::for_card(card)?;
            match layout.template {
                VoucherTemplate::Default => draw_default(&mut canvas, &ctx, card, &qr, x, y),
                VoucherTemplate::Small => draw_small(&mut canvas, &ctx, card, &qr, x, y),
                VoucherTemplate::Thermal58 => draw_thermal(&mut canvas, &ctx, card, &qr),
            }
        }
        let content = Content {
            operations: canvas.into_operations(),
        };
        let content_id = doc.add_object(deflated(
            Dictionary::new(),
            &content.encode().map_err(pdf_err)?,
        )?);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => media_box.clone(),
            "Resources" => resources_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog: ObjectId =
        doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let title = format!("{} - {}", ctx.labels.title, print.business.name);
    let info = doc.add_object(dictionary! {
        "Title" => Object::String(win_ansi_bytes(&title), StringFormat::Literal),
        "Producer" => Object::string_literal("mikrobill"),
    });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(pdf_err)?;
    Ok(bytes)
}

fn win_ansi_bytes(text: &str) -> Vec<u8> {
    Document::encode_text(Some("WinAnsiEncoding"), &to_win_ansi(text))
}

/// Shown size (mm) of an image fitted into a `box_w` × `box_h` box.
fn logo_size(img: &RgbImage, box_w: f32, box_h: f32) -> (f32, f32) {
    let (w, h) = (img.width as f32, img.height as f32);
    let scale = (box_w / w).min(box_h / h);
    (w * scale, h * scale)
}

/// A `FlateDecode` stream of `data` at the default level: `lopdf`'s own
/// `compress` uses the best level, which made a big batch take twice as long
/// for files only 3 % smaller.
fn deflated(mut dict: Dictionary, data: &[u8]) -> Result<Stream, DocumentError> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).map_err(pdf_err)?;
    let compressed = encoder.finish().map_err(pdf_err)?;
    dict.set("Filter", "FlateDecode");
    Ok(Stream::new(dict, compressed))
}

fn image_stream(img: RgbImage) -> Result<Stream, DocumentError> {
    let dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => i64::from(img.width),
        "Height" => i64::from(img.height),
        "ColorSpace" => "DeviceRGB",
        "BitsPerComponent" => 8,
        "Interpolate" => true,
    };
    deflated(dict, &img.rgb)
}

/// Dashed lines along every card edge of the rows in use.
fn draw_cut_lines(canvas: &mut Canvas, layout: &Layout, cards_on_page: usize) {
    if layout.template == VoucherTemplate::Thermal58 {
        canvas.cut_line((0.0, 0.6), (layout.page_w, 0.6), BLACK);
        return;
    }
    let cols = layout.cols as usize;
    let rows = cards_on_page.div_ceil(cols);
    let (cw, ch) = (layout.card_w(), layout.card_h());
    let (left, top) = (layout.margin, layout.page_h - layout.margin);
    let right = left + cols as f32 * cw;
    let bottom = top - rows as f32 * ch;
    for row in 0..=rows {
        let y = top - row as f32 * ch;
        canvas.cut_line((left, y), (right, y), CUT);
    }
    for col in 0..=cols {
        let x = left + col as f32 * cw;
        canvas.cut_line((x, bottom), (x, top), CUT);
    }
}

/// "Masa aktif: 1 hari".
fn labelled(label: &str, value: &str) -> String {
    format!("{label}: {value}")
}

fn draw_default(c: &mut Canvas, ctx: &Ctx<'_>, card: &VoucherCard, qr: &QrMatrix, x: f32, y: f32) {
    let (cw, ch) = (ctx.layout.card_w(), ctx.layout.card_h());
    let pad = 3.0;
    let top = y + ch - pad;
    let right = x + cw - pad;

    // Header: logo, ISP name, price.
    let mut name_x = x + pad;
    if let Some((lw, lh)) = ctx.logo {
        c.logo(x + pad, top - 7.0 + (7.0 - lh) / 2.0, lw, lh);
        name_x += lw + 2.0;
    }
    let (price, price_size) = fit(&format_rupiah(card.price), true, 13.0, 8.0, cw / 2.0);
    let price_style = style(true, price_size, BLACK);
    c.text_right(right, top - 5.5, &price, price_style);
    let price_w = crate::pdf_text::text_width_mm(&price, true, price_size);
    let (isp, isp_size) = fit(ctx.isp, true, 9.5, 6.5, right - price_w - 3.0 - name_x);
    c.text(name_x, top - 5.0, &isp, style(true, isp_size, BLUE));
    c.rule(x + pad, right, top - 8.3, 0.35, BLUE);

    // QR on the right, the rest on the left.
    let body_top = top - 10.0;
    let q = ctx.layout.qr_mm();
    c.qr(qr, right - q, body_top - q, q);
    let info_w = cw - 2.0 * pad - q - 2.0;
    let mut ty = body_top - 3.0;
    let small = style(false, 8.0, GREY);
    for line in [
        labelled(ctx.labels.validity, &card.validity),
        labelled(ctx.labels.profile, &card.profile),
    ] {
        let (line, size) = fit(&line, false, 8.0, 6.0, info_w);
        c.text(x + pad, ty, &line, Style { size, ..small });
        ty -= 4.0;
    }
    let password = card.separate_password();
    let code_label = match password {
        Some(_) => ctx.labels.username,
        None => ctx.labels.code,
    };
    let mut pairs = vec![(code_label, card.code.as_str())];
    pairs.extend(password.map(|pw| (ctx.labels.password, pw)));
    for (label, value) in pairs {
        ty -= 1.5;
        c.text(x + pad, ty, label, style(false, 7.0, GREY));
        ty -= 5.5;
        let (value, size) = fit(value, true, 13.0, 7.0, info_w);
        c.text(x + pad, ty, &value, style(true, size, BLACK));
        ty -= 3.0;
    }
    let (serial, size) = fit(&card.serial, false, 6.0, 5.0, cw / 2.0);
    c.text_right(right, y + 1.5, &serial, style(false, size, GREY));
}

fn draw_small(c: &mut Canvas, ctx: &Ctx<'_>, card: &VoucherCard, qr: &QrMatrix, x: f32, y: f32) {
    let (cw, ch) = (ctx.layout.card_w(), ctx.layout.card_h());
    let pad = 1.5;
    let q = ctx.layout.qr_mm();
    c.qr(qr, x + pad, y + (ch - q) / 2.0, q);
    let tx = x + pad + q + 1.0;
    let width = x + cw - pad - tx;

    // (text, bold, size, min size, colour, line height)
    let mut lines = vec![
        (format_rupiah(card.price), true, 9.5, 6.0, BLACK, 4.2),
        (card.code.clone(), true, 10.0, 6.0, BLACK, 4.4),
    ];
    if let Some(pw) = card.separate_password() {
        lines.push((
            labelled(ctx.labels.password, pw),
            true,
            7.5,
            5.0,
            BLACK,
            3.6,
        ));
    }
    lines.push((card.validity.clone(), false, 7.0, 5.0, GREY, 3.3));
    lines.push((card.serial.clone(), false, 5.5, 4.5, GREY, 2.8));
    let block: f32 = lines.iter().map(|line| line.5).sum();
    let mut ty = y + (ch + block) / 2.0 - 3.2;
    for (text, bold, size, min, rgb, height) in lines {
        let (text, size) = fit(&text, bold, size, min, width);
        c.text(tx, ty, &text, style(bold, size, rgb));
        ty -= height;
    }
}

fn draw_thermal(c: &mut Canvas, ctx: &Ctx<'_>, card: &VoucherCard, qr: &QrMatrix) {
    let page_w = ctx.layout.page_w;
    let center = page_w / 2.0;
    let w = THERMAL_PRINT_W;
    let mut ty = ctx.layout.page_h - 7.0;
    let mut line = |c: &mut Canvas, text: &str, bold: bool, size: f32, advance: f32| {
        let (text, size) = fit(text, bold, size, 6.0, w);
        c.text_centered(center, ty, &text, style(bold, size, BLACK));
        ty -= advance;
    };
    line(c, ctx.isp, true, 10.0, 7.5);
    line(c, &format_rupiah(card.price), true, 15.0, 5.0);
    line(
        c,
        &labelled(ctx.labels.validity, &card.validity),
        false,
        8.0,
        4.0,
    );
    line(
        c,
        &labelled(ctx.labels.profile, &card.profile),
        false,
        8.0,
        5.0,
    );
    let password = card.separate_password();
    let code_label = match password {
        Some(_) => ctx.labels.username,
        None => ctx.labels.code,
    };
    line(c, code_label, false, 7.0, 5.5);
    line(c, &card.code, true, 13.0, 4.5);
    if let Some(pw) = password {
        line(c, ctx.labels.password, false, 7.0, 5.5);
        line(c, pw, true, 13.0, 4.5);
    }
    let q = ctx.layout.qr_mm();
    let qr_y = ty - q + 1.0;
    c.qr(qr, center - q / 2.0, qr_y, q);
    let (serial, size) = fit(&card.serial, false, 7.0, 5.0, w);
    c.text_centered(center, qr_y - 2.5, &serial, style(false, size, BLACK));
}
