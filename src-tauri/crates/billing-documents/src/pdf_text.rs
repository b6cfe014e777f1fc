//! Text for the PDF's built-in Helvetica fonts: reduce any input to what
//! WinAnsiEncoding can show, measure it, and wrap it to a width.

/// Characters of WinAnsiEncoding (cp1252) outside ASCII and Latin-1.
const WIN_ANSI_EXTRA: &str = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";

/// Whether Helvetica with WinAnsiEncoding has a glyph for `ch`.
pub fn is_win_ansi(ch: char) -> bool {
    (matches!(ch, ' '..='~' | '\u{A1}'..='\u{FF}') && ch != '\u{AD}') || WIN_ANSI_EXTRA.contains(ch)
}

/// One line of text reduced to WinAnsi: whitespace and line breaks become a
/// space, invisible controls disappear, a few look-alikes are substituted and
/// anything else becomes `?`. Never fails.
pub fn to_win_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            c if is_win_ansi(c) => out.push(c),
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}' => {}
            c if c.is_whitespace() => out.push(' '),
            c if c.is_control() => {}
            '\u{2010}'..='\u{2012}' | '\u{2212}' | '\u{2043}' => out.push('-'),
            '\u{2015}' => out.push('\u{2014}'),
            '\u{2032}' | '\u{02B9}' => out.push('\''),
            '\u{2033}' => out.push('"'),
            _ => out.push('?'),
        }
    }
    out
}

/// Helvetica advance widths (1/1000 em) for ' '..='~'.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
    556, // '0'..'?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
    778, // '@'..'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
    556, // 'P'..'_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556,
    556, // '`'..'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p'..'~'
];

/// Helvetica-Bold advance widths (1/1000 em) for ' '..='~'.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584,
    611, // '0'..'?'
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722,
    778, // '@'..'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584,
    556, // 'P'..'_'
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611,
    611, // '`'..'o'
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // 'p'..'~'
];

/// Advance width of one character in 1/1000 em. Characters outside ASCII
/// are estimated (an average letter): exact enough for alignment and wrapping.
fn char_units(ch: char, bold: bool) -> u64 {
    let table = if bold { &HELVETICA_BOLD } else { &HELVETICA };
    let idx = (ch as usize).wrapping_sub(' ' as usize);
    u64::from(
        table
            .get(idx)
            .copied()
            .unwrap_or(if bold { 611 } else { 556 }),
    )
}

/// Width of `text` in 1/1000 em.
pub fn text_units(text: &str, bold: bool) -> u64 {
    text.chars().map(|ch| char_units(ch, bold)).sum()
}

/// Width of `text` in millimetres at `size_pt`.
pub fn text_width_mm(text: &str, bold: bool, size_pt: f32) -> f32 {
    units_to_mm(text_units(text, bold), size_pt)
}

fn units_to_mm(units: u64, size_pt: f32) -> f32 {
    // Layout only (never money): precision loss on absurd lengths is harmless.
    units as f32 / 1000.0 * size_pt * 25.4 / 72.0
}

/// Splits `text` into WinAnsi lines no wider than `max_mm`: explicit line
/// breaks are kept, words wrap at spaces, words wider than a line are cut.
/// Always returns at least one (possibly empty) line.
pub fn wrap(text: &str, bold: bool, size_pt: f32, max_mm: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for raw in text.lines() {
        let clean = to_win_ansi(raw);
        let mut current = String::new();
        for word in clean.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if current.is_empty() {
                word.to_owned()
            } else {
                format!("{current} {word}")
            };
            if text_width_mm(&candidate, bold, size_pt) <= max_mm {
                current = candidate;
                continue;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
            }
            // The word alone may still be too wide: cut it.
            let mut units = 0_u64;
            for ch in word.chars() {
                let w = char_units(ch, bold);
                if !current.is_empty() && units_to_mm(units + w, size_pt) > max_mm {
                    lines.push(std::mem::take(&mut current));
                    units = 0;
                }
                current.push(ch);
                units += w;
            }
        }
        lines.push(current);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use printpdf::lopdf::Document;

    #[test]
    fn win_ansi_set_matches_the_pdf_encoder() {
        // Every char we let through encodes to exactly one byte...
        for ch in (0..=0x2FFF_u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_win_ansi(c))
        {
            let encoded = Document::encode_text(Some("WinAnsiEncoding"), &ch.to_string());
            assert_eq!(encoded.len(), 1, "{ch:?} ({:#x})", ch as u32);
        }
        // ...and everything the encoder knows (bar soft hyphen) is let through.
        for byte in 0x20_u8..=0xFF {
            let decoded = Document::decode_text(Some("WinAnsiEncoding"), &[byte]);
            for ch in decoded.chars().filter(|&c| c != '\u{AD}' && c != '\u{A0}') {
                assert!(is_win_ansi(ch), "{ch:?} from byte {byte:#x}");
            }
        }
    }

    #[test]
    fn to_win_ansi_replaces_safely() {
        assert_eq!(to_win_ansi("Rp 150.000"), "Rp 150.000");
        assert_eq!(to_win_ansi("José – “ok” €5"), "José – “ok” €5");
        assert_eq!(to_win_ansi("a\tb\nc\r\u{0}d\u{200B}e\u{AD}f"), "a b c def");
        assert_eq!(to_win_ansi("東京😀"), "???");
        assert_eq!(to_win_ansi("x\u{2212}1 \u{2011}"), "x-1 -");
        assert_eq!(to_win_ansi(""), "");
    }

    #[test]
    fn widths_follow_helvetica_metrics() {
        assert_eq!(text_units("0123456789", false), 5560);
        assert_eq!(text_units("Rp ", false), 722 + 556 + 278);
        assert_eq!(text_units("W", true), 944);
        assert!(text_width_mm("i", false, 10.0) < text_width_mm("m", false, 10.0));
    }

    #[test]
    fn wrap_keeps_lines_within_width() {
        let text = "Paket Home 20 Mbps untuk periode November 2026 termasuk PPN";
        let lines = wrap(text, false, 9.5, 40.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        for line in &lines {
            assert!(text_width_mm(line, false, 9.5) <= 40.0, "{line:?}");
        }
        let long = wrap(&"W".repeat(300), true, 9.5, 30.0);
        assert!(long.len() > 5);
        assert!(long.iter().all(|l| text_width_mm(l, true, 9.5) <= 30.0));
        assert_eq!(long.concat(), "W".repeat(300));
        assert_eq!(wrap("", false, 9.5, 30.0), vec![String::new()]);
        assert_eq!(wrap("a\nb", false, 9.5, 30.0), vec!["a", "b"]);
        // A single glyph wider than the line still goes out, alone.
        assert_eq!(wrap("WW", true, 9.5, 0.1), vec!["W", "W"]);
    }
}
