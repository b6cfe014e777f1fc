//! Hotspot voucher cards for printing and cutting: a batch of cards (up to
//! [`MAX_CARDS`]) laid out on A4 sheets or on a 58 mm thermal roll, as one
//! self-contained HTML page ([`vouchers_html`]) or as a PDF ([`vouchers_pdf`]).
//!
//! Each card carries a QR code of its [`VoucherCard::login_url`], so a customer
//! can log in to the hotspot by scanning it.
//!
//! The HTML card markup is an editable template (see [`builtin_card_template`]
//! and [`VoucherPrint::custom_html`]); the PDF always uses the built-in layout.

mod html;
mod layout;
mod pdf;
mod pdf_canvas;
mod qr;
mod template;

use std::fmt;

use crate::model::{Business, DocumentError, Lang};

pub use html::vouchers_html;
pub use pdf::vouchers_pdf;
pub use template::{builtin_card_template, TemplateError, MAX_TEMPLATE_BYTES};

/// Most cards one call renders (a print batch).
pub const MAX_CARDS: usize = 10_000;

/// One hotspot voucher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherCard {
    /// Login name, printed large, e.g. "K7PM4Q".
    pub code: String,
    /// A password different from the code; `None` when username = password.
    /// `Some` of an empty string or of the code itself counts as `None`.
    pub password: Option<String>,
    /// Whole rupiah.
    pub price: i64,
    /// Already human text, e.g. "1 hari".
    pub validity: String,
    /// Hotspot user profile, e.g. "1-hari-5M".
    pub profile: String,
    /// What the QR code carries, e.g.
    /// `http://hotspot.lan/login?username=K7PM4Q&password=K7PM4Q`.
    pub login_url: String,
    /// Batch and sequence for bookkeeping, e.g. "B12-0007".
    pub serial: String,
}

impl VoucherCard {
    /// The password to print separately, if there is one.
    pub fn separate_password(&self) -> Option<&str> {
        self.password
            .as_deref()
            .filter(|pw| !pw.is_empty() && *pw != self.code)
    }
}

/// Card layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum VoucherTemplate {
    /// Logo, ISP name, price, validity, profile, code, password and QR;
    /// 10 per A4 (4–12 with [`VoucherPrint::per_page`]).
    #[default]
    Default,
    /// Code, price, validity and a small QR; 40 per A4 (16–48).
    Small,
    /// One card per 58 mm × 90 mm page, for receipt printers (no logo).
    Thermal58,
}

impl VoucherTemplate {
    /// Cards per page when [`VoucherPrint::per_page`] is `None`.
    pub fn default_per_page(self) -> u32 {
        layout::rules(self).default_per_page
    }

    /// The cards per page a caller may ask for.
    pub fn per_page_range(self) -> std::ops::RangeInclusive<u32> {
        let rules = layout::rules(self);
        rules.min_per_page..=rules.max_per_page
    }
}

impl fmt::Display for VoucherTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Default => "default",
            Self::Small => "small",
            Self::Thermal58 => "thermal58",
        })
    }
}

/// How a batch is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherPrint<'a> {
    pub template: VoucherTemplate,
    /// Cards per A4 page instead of the template's default; must lie in
    /// [`VoucherTemplate::per_page_range`] (only 1 for [`VoucherTemplate::Thermal58`]).
    pub per_page: Option<u32>,
    pub lang: Lang,
    /// ISP name and logo (only those are printed).
    pub business: &'a Business,
    /// Card markup replacing [`builtin_card_template`] in the HTML (not in the PDF).
    pub custom_html: Option<String>,
}

impl<'a> VoucherPrint<'a> {
    /// The built-in card layout of `template`, default page fill, Indonesian.
    pub fn new(template: VoucherTemplate, business: &'a Business) -> Self {
        Self {
            template,
            per_page: None,
            lang: Lang::Id,
            business,
            custom_html: None,
        }
    }
}

/// Fixed wording on the cards.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VoucherLabels {
    pub(crate) lang_tag: &'static str,
    pub(crate) title: &'static str,
    pub(crate) code: &'static str,
    pub(crate) username: &'static str,
    pub(crate) password: &'static str,
    pub(crate) validity: &'static str,
    pub(crate) profile: &'static str,
}

pub(crate) fn voucher_labels(lang: Lang) -> &'static VoucherLabels {
    match lang {
        Lang::Id => &VoucherLabels {
            lang_tag: "id",
            title: "Voucher Hotspot",
            code: "Kode voucher",
            username: "Username",
            password: "Password",
            validity: "Masa aktif",
            profile: "Paket",
        },
        Lang::En => &VoucherLabels {
            lang_tag: "en",
            title: "Hotspot vouchers",
            code: "Voucher code",
            username: "Username",
            password: "Password",
            validity: "Valid for",
            profile: "Plan",
        },
    }
}

/// Rejects an empty batch or one over [`MAX_CARDS`].
fn check_batch(cards: &[VoucherCard]) -> Result<(), DocumentError> {
    if cards.is_empty() {
        return Err(DocumentError::NoCards);
    }
    if cards.len() > MAX_CARDS {
        return Err(DocumentError::TooManyCards {
            count: cards.len(),
            max: MAX_CARDS,
        });
    }
    Ok(())
}
