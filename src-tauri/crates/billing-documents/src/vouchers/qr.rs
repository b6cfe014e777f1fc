//! QR codes of the login URLs: the module matrix, its dark runs, and the
//! inline SVG for the HTML. The PDF draws the same runs as filled rectangles.

use std::fmt::Write as _;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::types::QrResult;
use qrcode::{Color, EcLevel};

use super::VoucherCard;
use crate::model::DocumentError;

/// Light modules kept around the code inside its SVG.
pub(crate) const QUIET: usize = 2;

/// A square QR code, row by row from the top; `true` is dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QrMatrix {
    width: usize,
    dark: Vec<bool>,
}

/// The eight QR mask patterns, in the order `qrcode` tries them.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

impl QrMatrix {
    /// The QR code of `card.login_url`, error correction M (15 %: survives
    /// a smudge or a rough cut).
    pub(crate) fn for_card(card: &VoucherCard) -> Result<Self, DocumentError> {
        Self::encode(card.login_url.as_bytes()).map_err(|err| DocumentError::Qr {
            serial: card.serial.clone(),
            reason: err.to_string(),
        })
    }

    /// The same symbol as `QrCode::with_error_correction_level(data, M)`,
    /// built from `qrcode`'s parts: its mask choice scores all eight masks
    /// with a slow generic grid (about 0.5 ms per code, 5 s for a batch of
    /// 10,000); here the same penalty rules run on a plain bit grid.
    fn encode(data: &[u8]) -> QrResult<Self> {
        let bits = qrcode::bits::encode_auto(data, EcLevel::M)?;
        let version = bits.version();
        let (data_words, ec_words) =
            qrcode::ec::construct_codewords(&bits.into_bytes(), version, EcLevel::M)?;
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&data_words, &ec_words);
        let width = usize::try_from(version.width()).unwrap_or_default();
        let mut best: Option<(u32, Vec<bool>)> = None;
        for mask in MASKS {
            let mut masked = canvas.clone();
            masked.apply_mask(mask);
            let dark: Vec<bool> = masked
                .into_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect();
            let score = penalty(&dark, width);
            // The first of equally good masks wins, as in `qrcode`.
            if best.as_ref().is_none_or(|(lowest, _)| score < *lowest) {
                best = Some((score, dark));
            }
        }
        let dark = best.map(|(_, dark)| dark).unwrap_or_default();
        Ok(Self { width, dark })
    }

    /// Modules per side (without quiet zone).
    pub(crate) fn width(&self) -> usize {
        self.width
    }

    /// Horizontal runs of dark modules as `(x, y, length)`, y from the top.
    pub(crate) fn runs(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        self.dark
            .chunks(self.width.max(1))
            .enumerate()
            .flat_map(|(y, row)| {
                let mut x = 0;
                std::iter::from_fn(move || {
                    while row.get(x) == Some(&false) {
                        x += 1;
                    }
                    let start = x;
                    while row.get(x) == Some(&true) {
                        x += 1;
                    }
                    (x > start).then_some((start, y, x - start))
                })
            })
    }

    /// Inline SVG (no namespace needed inside HTML), one path, scaled by CSS.
    pub(crate) fn svg(&self) -> String {
        let side = self.width + 2 * QUIET;
        let mut out = String::with_capacity(64 + self.dark.len() * 4);
        // Writing into a String cannot fail.
        let _ = write!(
            out,
            "<svg class=\"v-qrcode\" viewBox=\"0 0 {side} {side}\" \
             shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR\"><path d=\""
        );
        for (x, y, len) in self.runs() {
            let _ = write!(out, "M{} {}h{len}v1h-{len}z", x + QUIET, y + QUIET);
        }
        out.push_str("\"/></svg>");
        out
    }
}

/// A finder look-alike (dark 1:1:3:1:1) with 4 light modules before it, as
/// the high 11 bits of a 15-module window…
const FINDER_LIGHT_BEFORE: u32 = 0b000_0101_1101;
/// …and with 4 light modules after it, as the low 11 bits.
const FINDER_LIGHT_AFTER: u32 = 0b101_1101_0000;

/// The QR penalty score of a masked symbol (ISO/IEC 18004 §7.8.3, as
/// `qrcode` computes it): long runs, 2×2 blocks, finder look-alikes and the
/// dark/light balance. Lower is better. Branch-light: random-looking
/// modules make branches mispredict.
fn penalty(dark: &[bool], width: usize) -> u32 {
    if width == 0 {
        return 0;
    }
    let mut columns = vec![false; dark.len()];
    for (y, row) in dark.chunks_exact(width).enumerate() {
        for (x, &module) in row.iter().enumerate() {
            if let Some(cell) = columns.get_mut(x * width + y) {
                *cell = module;
            }
        }
    }
    let mut score = 0_u32;
    for lines in [dark, columns.as_slice()] {
        score += lines.chunks_exact(width).map(line_penalty).sum::<u32>();
        // The three real finder patterns match 9 times per direction.
        score = score.saturating_sub(9 * 40);
    }
    // 2×2 blocks of one colour: 3 points each.
    for (top, bottom) in dark
        .chunks_exact(width)
        .zip(dark.chunks_exact(width).skip(1))
    {
        for (t, b) in top.windows(2).zip(bottom.windows(2)) {
            score += 3 * u32::from((t[0] == t[1]) & (b[0] == b[1]) & (t[0] == b[0]));
        }
    }
    // Deviation from half dark.
    let ratio = dark.iter().filter(|&&d| d).count() * 200 / dark.len().max(1);
    score + u32::try_from(ratio.abs_diff(100)).unwrap_or(u32::MAX)
}

/// Penalty of one row or column: runs of 5 + n modules of one colour score
/// 3 + n (3 when a run reaches 5, 1 for each module after); a finder
/// look-alike with 4 light modules (or the edge) on a side scores 40.
fn line_penalty(line: &[bool]) -> u32 {
    let mut score = 0_u32;
    let mut run = 0_u32;
    let mut previous = None;
    for &module in line {
        run = if previous == Some(module) { run + 1 } else { 1 };
        previous = Some(module);
        score += 3 * u32::from(run == 5) + u32::from(run > 5);
    }
    // Slide a 15-module window over the line padded with 4 light modules
    // each side; it holds a candidate's 4 neighbours, 7 modules and 4 more.
    let mut window = 0_u32;
    let padded = line.iter().copied().chain([false; 4]);
    for (end, module) in [false; 4].into_iter().chain(padded).enumerate() {
        window = ((window << 1) | u32::from(module)) & 0x7FFF;
        let before = window >> 4 == FINDER_LIGHT_BEFORE;
        let after = window & 0x7FF == FINDER_LIGHT_AFTER;
        score += 40 * u32::from((before | after) & (end >= 14));
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(url: &str) -> VoucherCard {
        VoucherCard {
            code: "K7PM4Q".into(),
            password: None,
            price: 5_000,
            validity: "1 hari".into(),
            profile: "1-hari".into(),
            login_url: url.into(),
            serial: "B1-0001".into(),
        }
    }

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        let m =
            QrMatrix::for_card(&card("http://hotspot.lan/login?username=K7PM4Q")).expect("encodes");
        let mut painted = vec![false; m.width * m.width];
        for (x, y, len) in m.runs() {
            for i in x..x + len {
                assert!(!painted[y * m.width + i], "overlap at {i},{y}");
                painted[y * m.width + i] = true;
            }
        }
        assert_eq!(painted, m.dark);
        // Finder pattern: the top-left 7 modules of the first row are dark.
        assert_eq!(m.runs().next(), Some((0, 0, 7)));
    }

    #[test]
    fn symbols_match_the_qrcode_crate_exactly() {
        // Lengths from 1 to 300 bytes cover versions 1 to 13 and every mask.
        let mut masks_seen = std::collections::HashSet::new();
        for len in (1..=300).step_by(3) {
            let url = format!(
                "http://hotspot.lan/login?username={}",
                "K7PM4Q9x".repeat(len / 8 + 1)
            )
            .chars()
            .take(len)
            .collect::<String>();
            let ours = QrMatrix::encode(url.as_bytes()).expect("ours");
            let theirs = qrcode::QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
                .expect("theirs");
            assert_eq!(ours.width, theirs.width(), "{url}");
            let expected: Vec<bool> = theirs
                .to_colors()
                .iter()
                .map(|&c| c == Color::Dark)
                .collect();
            assert!(ours.dark == expected, "different symbol for {url:?}");
            masks_seen.insert(format!(
                "{:?}",
                ours.dark.get(8 * ours.width + 2..8 * ours.width + 5)
            ));
        }
        assert!(
            masks_seen.len() > 3,
            "too few masks exercised: {masks_seen:?}"
        );
    }

    #[test]
    fn a_url_too_long_for_any_qr_is_an_error_naming_the_card() {
        let err = QrMatrix::for_card(&card(&"x".repeat(5_000))).expect_err("too long");
        assert!(err.to_string().contains("B1-0001"), "{err}");
    }
}
