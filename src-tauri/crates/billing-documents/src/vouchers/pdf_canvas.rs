//! Drawing one voucher page as PDF content operations: text in the built-in
//! Helvetica fonts (`/F1` regular, `/F2` bold), dashed cut lines, QR codes as
//! filled rectangles and the logo image (`/Logo`). Coordinates in mm from
//! the bottom left, like the invoice's `pdf_writer`.

use printpdf::lopdf::content::Operation;
use printpdf::lopdf::{Document, Object, StringFormat};

use super::qr::{QrMatrix, QUIET};
use crate::pdf_text::{text_width_mm, to_win_ansi};
use crate::pdf_writer::Style;

const PT_PER_MM: f32 = 72.0 / 25.4;

/// A length in points, rounded to 1/100 pt (keeps the content stream short).
pub(crate) fn pt(mm: f32) -> Object {
    Object::Real((mm * PT_PER_MM * 100.0).round() / 100.0)
}

fn unit((r, g, b): (u8, u8, u8)) -> Vec<Object> {
    [r, g, b]
        .into_iter()
        .map(|c| Object::Real((f32::from(c) / 255.0 * 1000.0).round() / 1000.0))
        .collect()
}

/// `text` on one line at `size` pt, shrunk down to `min_size` to fit
/// `max_mm`, then cut with an ellipsis: (line, size used).
pub(crate) fn fit(text: &str, bold: bool, size: f32, min_size: f32, max_mm: f32) -> (String, f32) {
    let clean = to_win_ansi(text);
    let width = text_width_mm(&clean, bold, size);
    if width <= max_mm {
        return (clean, size);
    }
    let shrunk = size * max_mm / width;
    if shrunk >= min_size {
        return (clean, shrunk);
    }
    let mut cut = clean;
    while !cut.is_empty() && text_width_mm(&format!("{cut}\u{2026}"), bold, min_size) > max_mm {
        cut.pop();
    }
    (format!("{cut}\u{2026}"), min_size)
}

/// The operations of one page.
#[derive(Default)]
pub(crate) struct Canvas {
    ops: Vec<Operation>,
    fill: Option<(u8, u8, u8)>,
}

impl Canvas {
    fn op(&mut self, operator: &str, operands: Vec<Object>) {
        self.ops.push(Operation::new(operator, operands));
    }

    fn set_fill(&mut self, rgb: (u8, u8, u8)) {
        if self.fill != Some(rgb) {
            self.op("rg", unit(rgb));
            self.fill = Some(rgb);
        }
    }

    /// One line of text with its baseline at `y`; `text` is made WinAnsi.
    pub(crate) fn text(&mut self, x: f32, y: f32, text: &str, style: Style) {
        self.set_fill(style.rgb);
        let font = if style.bold { "F2" } else { "F1" };
        let bytes = Document::encode_text(Some("WinAnsiEncoding"), &to_win_ansi(text));
        self.op("BT", vec![]);
        self.op(
            "Tf",
            vec![Object::Name(font.into()), Object::Real(style.size)],
        );
        self.op("Td", vec![pt(x), pt(y)]);
        self.op("Tj", vec![Object::String(bytes, StringFormat::Literal)]);
        self.op("ET", vec![]);
    }

    pub(crate) fn text_right(&mut self, right: f32, y: f32, text: &str, style: Style) {
        let width = text_width_mm(&to_win_ansi(text), style.bold, style.size);
        self.text(right - width, y, text, style);
    }

    pub(crate) fn text_centered(&mut self, center: f32, y: f32, text: &str, style: Style) {
        let width = text_width_mm(&to_win_ansi(text), style.bold, style.size);
        self.text(center - width / 2.0, y, text, style);
    }

    /// A dashed cut line.
    pub(crate) fn cut_line(&mut self, from: (f32, f32), to: (f32, f32), rgb: (u8, u8, u8)) {
        self.op("q", vec![]);
        self.op("d", vec![Object::Array(vec![3.into(), 2.into()]), 0.into()]);
        self.op("w", vec![Object::Real(0.5)]);
        self.op("RG", unit(rgb));
        self.op("m", vec![pt(from.0), pt(from.1)]);
        self.op("l", vec![pt(to.0), pt(to.1)]);
        self.op("S", vec![]);
        self.op("Q", vec![]);
    }

    /// A solid horizontal rule.
    pub(crate) fn rule(&mut self, x1: f32, x2: f32, y: f32, width_mm: f32, rgb: (u8, u8, u8)) {
        self.set_fill(rgb);
        self.op("re", vec![pt(x1), pt(y), pt(x2 - x1), pt(width_mm)]);
        self.op("f", vec![]);
    }

    /// `qr` in black with its light margin, in a `size` mm square whose
    /// bottom-left corner is (`x`, `y`). Modules are drawn in module units
    /// (integers) under one scaling matrix: one `re` per horizontal run.
    pub(crate) fn qr(&mut self, qr: &QrMatrix, x: f32, y: f32, size: f32) {
        let width = qr.width();
        let module = size / (width + 2 * QUIET) as f32;
        self.set_fill((0, 0, 0));
        self.op("q", vec![]);
        let (tx, ty) = (x + module * QUIET as f32, y + module * QUIET as f32);
        let scale = Object::Real(module * PT_PER_MM);
        self.op(
            "cm",
            vec![scale.clone(), 0.into(), 0.into(), scale, pt(tx), pt(ty)],
        );
        for (mx, my, len) in qr.runs() {
            let row = (width - 1 - my) as i64;
            self.op(
                "re",
                vec![
                    (mx as i64).into(),
                    row.into(),
                    (len as i64).into(),
                    1.into(),
                ],
            );
        }
        self.op("f", vec![]);
        self.op("Q", vec![]);
    }

    /// The page's `/Logo` image stretched to `w` × `h` mm at (`x`, `y`).
    pub(crate) fn logo(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.op("q", vec![]);
        self.op("cm", vec![pt(w), 0.into(), 0.into(), pt(h), pt(x), pt(y)]);
        self.op("Do", vec![Object::Name(b"Logo".to_vec())]);
        self.op("Q", vec![]);
    }

    pub(crate) fn into_operations(self) -> Vec<Operation> {
        self.ops
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_shrinks_then_cuts() {
        assert_eq!(fit("ABC", true, 12.0, 6.0, 100.0), ("ABC".to_owned(), 12.0));
        let (line, size) = fit("ABCDEFGHIJ", true, 12.0, 6.0, 25.0);
        assert_eq!(line, "ABCDEFGHIJ");
        assert!((6.0..12.0).contains(&size));
        assert!(text_width_mm(&line, true, size) <= 25.01);
        let (line, size) = fit(&"W".repeat(100), true, 12.0, 6.0, 30.0);
        assert!(line.ends_with('\u{2026}') && line.len() < 100, "{line}");
        assert_eq!(size, 6.0);
        assert!(text_width_mm(&line, true, size) <= 30.0);
    }
}
