//! Page geometry shared by the HTML and the PDF: page size, margins and the
//! grid of cards. Millimetres throughout.

use super::{VoucherPrint, VoucherTemplate};
use crate::model::DocumentError;

pub(crate) const A4_W: f32 = 210.0;
pub(crate) const A4_H: f32 = 297.0;
pub(crate) const A4_MARGIN: f32 = 10.0;
pub(crate) const THERMAL_W: f32 = 58.0;
pub(crate) const THERMAL_H: f32 = 90.0;
/// 58 mm printers print about 48 mm wide, centred.
pub(crate) const THERMAL_PRINT_W: f32 = 48.0;

/// Cards-per-page rules of a template.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    pub(crate) default_per_page: u32,
    pub(crate) min_per_page: u32,
    pub(crate) max_per_page: u32,
    pub(crate) cols: u32,
}

pub(crate) fn rules(template: VoucherTemplate) -> Rules {
    match template {
        VoucherTemplate::Default => Rules {
            default_per_page: 10,
            min_per_page: 4,
            max_per_page: 12,
            cols: 2,
        },
        VoucherTemplate::Small => Rules {
            default_per_page: 40,
            min_per_page: 16,
            max_per_page: 48,
            cols: 4,
        },
        VoucherTemplate::Thermal58 => Rules {
            default_per_page: 1,
            min_per_page: 1,
            max_per_page: 1,
            cols: 1,
        },
    }
}

/// Where the cards go: `per_page` cards in a `cols` × `rows` grid, row by row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Layout {
    pub(crate) template: VoucherTemplate,
    pub(crate) per_page: u32,
    pub(crate) cols: u32,
    pub(crate) rows: u32,
    pub(crate) page_w: f32,
    pub(crate) page_h: f32,
    pub(crate) margin: f32,
}

impl Layout {
    pub(crate) fn for_print(print: &VoucherPrint<'_>) -> Result<Self, DocumentError> {
        let rules = rules(print.template);
        let per_page = print.per_page.unwrap_or(rules.default_per_page);
        if !(rules.min_per_page..=rules.max_per_page).contains(&per_page) {
            return Err(DocumentError::PerPage {
                template: print.template,
                per_page,
                min: rules.min_per_page,
                max: rules.max_per_page,
            });
        }
        let (page_w, page_h, margin) = match print.template {
            VoucherTemplate::Thermal58 => (THERMAL_W, THERMAL_H, 0.0),
            VoucherTemplate::Default | VoucherTemplate::Small => (A4_W, A4_H, A4_MARGIN),
        };
        Ok(Self {
            template: print.template,
            per_page,
            cols: rules.cols,
            rows: per_page.div_ceil(rules.cols),
            page_w,
            page_h,
            margin,
        })
    }

    pub(crate) fn card_w(&self) -> f32 {
        (self.page_w - 2.0 * self.margin) / self.cols as f32
    }

    pub(crate) fn card_h(&self) -> f32 {
        (self.page_h - 2.0 * self.margin) / self.rows as f32
    }

    /// Side of a card's QR code in mm, its light margin included.
    pub(crate) fn qr_mm(&self) -> f32 {
        let (w, h) = (self.card_w(), self.card_h());
        match self.template {
            VoucherTemplate::Default => (h - 17.0).min(w * 0.42).min(36.0),
            VoucherTemplate::Small => (h - 4.0).min(w * 0.48).min(24.0),
            VoucherTemplate::Thermal58 => 34.0,
        }
    }

    /// Bottom-left corner of the `slot`-th card of a page (row by row from the top).
    pub(crate) fn card_origin(&self, slot: usize) -> (f32, f32) {
        let cols = self.cols as usize;
        let (col, row) = (slot % cols, slot / cols);
        let x = self.margin + col as f32 * self.card_w();
        let y = self.page_h - self.margin - (row + 1) as f32 * self.card_h();
        (x, y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Business, Lang};

    fn layout(template: VoucherTemplate, per_page: Option<u32>) -> Result<Layout, DocumentError> {
        let business = Business::default();
        let print = VoucherPrint {
            per_page,
            lang: Lang::Id,
            ..VoucherPrint::new(template, &business)
        };
        Layout::for_print(&print)
    }

    #[test]
    fn grids_fill_the_printable_area() {
        let l = layout(VoucherTemplate::Default, None).expect("default");
        assert_eq!((l.per_page, l.cols, l.rows), (10, 2, 5));
        assert_eq!((l.card_w(), l.card_h()), (95.0, 55.4));
        assert_eq!(l.card_origin(0), (10.0, 287.0 - 55.4));
        let (x, y) = l.card_origin(9);
        assert_eq!(x, 105.0);
        assert!(
            (y - 10.0).abs() < 1e-3,
            "last row sits on the bottom margin: {y}"
        );

        let l = layout(VoucherTemplate::Small, Some(18)).expect("small");
        assert_eq!(
            (l.cols, l.rows),
            (4, 5),
            "a partial last row still gets its row"
        );
        let l = layout(VoucherTemplate::Thermal58, Some(1)).expect("thermal");
        assert_eq!((l.card_w(), l.card_h()), (58.0, 90.0));
    }

    #[test]
    fn per_page_outside_the_range_is_refused() {
        for (template, bad) in [
            (VoucherTemplate::Default, 3),
            (VoucherTemplate::Default, 13),
            (VoucherTemplate::Small, 49),
            (VoucherTemplate::Thermal58, 2),
            (VoucherTemplate::Small, 0),
        ] {
            let err = layout(template, Some(bad)).expect_err("out of range");
            assert!(
                matches!(err, DocumentError::PerPage { per_page, .. } if per_page == bad),
                "{template}: {err}"
            );
        }
    }
}
