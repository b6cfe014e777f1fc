//! Low-level page writer for the PDF: fonts, colours, text placement,
//! rules, table bands and page breaks. Coordinates in mm from the bottom left.

use printpdf::path::PaintMode;
use printpdf::{
    Color, ColorBits, ColorSpace, Image, ImageTransform, ImageXObject, IndirectFontRef, Line, Mm,
    PdfDocumentReference, PdfLayerReference, Point, Px, Rect, Rgb,
};

use crate::logo::decode_png;
use crate::pdf_text::{text_width_mm, to_win_ansi, wrap};

pub(crate) const PAGE_W: f32 = 210.0;
pub(crate) const PAGE_H: f32 = 297.0;
pub(crate) const LEFT: f32 = 15.0;
pub(crate) const RIGHT: f32 = PAGE_W - 15.0;
pub(crate) const TOP: f32 = PAGE_H - 15.0;
pub(crate) const BOTTOM: f32 = 18.0;
pub(crate) const BODY: f32 = 9.5;
pub(crate) const LINE: f32 = 4.6;

pub(crate) const BLACK: (u8, u8, u8) = (29, 35, 43);
pub(crate) const GREY: (u8, u8, u8) = (91, 101, 112);
pub(crate) const BLUE: (u8, u8, u8) = (29, 78, 137);
pub(crate) const RED: (u8, u8, u8) = (179, 38, 30);
pub(crate) const GREEN: (u8, u8, u8) = (30, 125, 50);
pub(crate) const AMBER: (u8, u8, u8) = (138, 90, 0);
pub(crate) const RULE: (u8, u8, u8) = (217, 221, 227);

pub(crate) fn color((r, g, b): (u8, u8, u8)) -> Color {
    Color::Rgb(Rgb::new(
        f32::from(r) / 255.0,
        f32::from(g) / 255.0,
        f32::from(b) / 255.0,
        None,
    ))
}

/// Text style: bold or not, size in pt, colour.
#[derive(Clone, Copy)]
pub(crate) struct Style {
    pub(crate) bold: bool,
    pub(crate) size: f32,
    pub(crate) rgb: (u8, u8, u8),
}

pub(crate) const NORMAL: Style = Style {
    bold: false,
    size: BODY,
    rgb: BLACK,
};
pub(crate) const STRONG: Style = Style {
    bold: true,
    ..NORMAL
};
pub(crate) const MUTED: Style = Style {
    rgb: GREY,
    ..NORMAL
};
pub(crate) const HEADING: Style = Style {
    bold: true,
    size: 8.5,
    rgb: GREY,
};

/// Writes onto pages top to bottom, starting new pages as needed.
pub(crate) struct Writer {
    pub(crate) doc: PdfDocumentReference,
    pub(crate) layer: PdfLayerReference,
    pub(crate) regular: IndirectFontRef,
    pub(crate) bold: IndirectFontRef,
    pub(crate) y: f32,
}

impl Writer {
    pub(crate) fn text(&self, x: f32, y: f32, text: &str, style: Style) {
        let font = if style.bold {
            &self.bold
        } else {
            &self.regular
        };
        self.layer.set_fill_color(color(style.rgb));
        self.layer
            .use_text(to_win_ansi(text), style.size, Mm(x), Mm(y), font);
    }

    pub(crate) fn text_right(&self, right: f32, y: f32, text: &str, style: Style) {
        let clean = to_win_ansi(text);
        let width = text_width_mm(&clean, style.bold, style.size);
        self.text(right - width, y, &clean, style);
    }

    /// Wrapped text from the current position; moves `y` below it.
    pub(crate) fn para(&mut self, x: f32, width: f32, text: &str, style: Style) {
        for line in wrap(text, style.bold, style.size, width) {
            self.ensure(LINE);
            self.text(x, self.y, &line, style);
            self.y -= LINE;
        }
    }

    pub(crate) fn rule(&self, x1: f32, x2: f32, y: f32, thickness: f32, rgb: (u8, u8, u8)) {
        self.layer.set_outline_color(color(rgb));
        self.layer.set_outline_thickness(thickness);
        self.layer.add_line(Line {
            points: vec![
                (Point::new(Mm(x1), Mm(y)), false),
                (Point::new(Mm(x2), Mm(y)), false),
            ],
            is_closed: false,
        });
    }

    pub(crate) fn fill(&self, x1: f32, y1: f32, x2: f32, y2: f32, rgb: (u8, u8, u8)) {
        self.layer.set_fill_color(color(rgb));
        self.layer
            .add_rect(Rect::new(Mm(x1), Mm(y1), Mm(x2), Mm(y2)).with_mode(PaintMode::Fill));
    }

    /// Starts a new page unless `height` mm still fit; true if it did.
    pub(crate) fn ensure(&mut self, height: f32) -> bool {
        if self.y - height >= BOTTOM {
            return false;
        }
        let (page, layer) = self.doc.add_page(Mm(PAGE_W), Mm(PAGE_H), "Layer 1");
        self.layer = self.doc.get_page(page).get_layer(layer);
        self.y = TOP - 4.0;
        true
    }

    /// A table header band; `cols` are (x, text, right-aligned).
    pub(crate) fn table_header(&mut self, cols: &[(f32, &str, bool)]) {
        self.ensure(LINE * 3.0);
        self.fill(LEFT, self.y - 2.0, RIGHT, self.y + 4.2, BLUE);
        let white = Style {
            rgb: (255, 255, 255),
            ..STRONG
        };
        for &(x, label, right) in cols {
            if right {
                self.text_right(x, self.y, label, white);
            } else {
                self.text(x, self.y, label, white);
            }
        }
        self.y -= LINE + 2.0;
    }

    /// One table row: wrapped first column, the others single-line.
    pub(crate) fn table_row(
        &mut self,
        header: &[(f32, &str, bool)],
        first_width: f32,
        cells: &[&str],
    ) {
        let Some((&(x0, _, _), rest)) = header.split_first() else {
            return;
        };
        let first = wrap(
            cells.first().copied().unwrap_or(""),
            false,
            BODY,
            first_width,
        );
        let height = first.len() as f32 * LINE + 1.5;
        if self.ensure(height + 1.0) {
            self.table_header(header);
        }
        let top = self.y;
        for (i, line) in first.iter().enumerate() {
            self.text(x0, top - i as f32 * LINE, line, NORMAL);
        }
        for (&(x, _, right), cell) in rest.iter().zip(cells.iter().skip(1)) {
            if right {
                self.text_right(x, top, cell, NORMAL);
            } else {
                self.text(x, top, cell, NORMAL);
            }
        }
        self.y -= height;
        self.rule(LEFT, RIGHT, self.y + LINE - 1.2, 0.4, RULE);
    }

    pub(crate) fn logo(&self, logo_png: &[u8], box_w: f32, box_h: f32) -> Option<(f32, f32)> {
        let img = decode_png(logo_png)?;
        let (w, h) = (img.width as f32, img.height as f32);
        // dots per inch that make the image fit the box.
        let dpi = (w * 25.4 / box_w).max(h * 25.4 / box_h);
        let (shown_w, shown_h) = (w * 25.4 / dpi, h * 25.4 / dpi);
        let xobj = ImageXObject {
            width: Px(img.width as usize),
            height: Px(img.height as usize),
            color_space: ColorSpace::Rgb,
            bits_per_component: ColorBits::Bit8,
            interpolate: true,
            image_data: img.rgb,
            image_filter: None,
            smask: None,
            clipping_bbox: None,
        };
        Image::from(xobj).add_to_layer(
            self.layer.clone(),
            ImageTransform {
                translate_x: Some(Mm(LEFT)),
                translate_y: Some(Mm(TOP - shown_h)),
                dpi: Some(dpi),
                ..ImageTransform::default()
            },
        );
        Some((shown_w, shown_h))
    }
}
