//! Shared sample data for the integration tests.
#![allow(dead_code)]

use billing_documents::{
    BankAccount, Business, DocAllocation, DocLine, InvoiceDoc, InvoiceStatus, VoucherCard,
};
use chrono::NaiveDate;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

pub fn business() -> Business {
    Business {
        name: "Nusantara Net".into(),
        address: "Jl. Merdeka No. 17\nBandung 40115".into(),
        phone: "022-1234567".into(),
        email: Some("billing@nusantara.net.id".into()),
        logo_png: None,
        bank_accounts: vec![
            BankAccount {
                bank: "BCA".into(),
                number: "1234567890".into(),
                holder: "PT Nusantara Net".into(),
            },
            BankAccount {
                bank: "BRI".into(),
                number: "0987-01-000123-50-1".into(),
                holder: "Siti Aminah".into(),
            },
        ],
    }
}

/// Partly paid: total 166.500, paid 50.000, owed 116.500.
pub fn invoice() -> InvoiceDoc {
    InvoiceDoc {
        number: "INV/2026/11/00042".into(),
        status: InvoiceStatus::Partial,
        customer_name: "Budi Santoso".into(),
        customer_phone: "6281234567890".into(),
        customer_address: "Gg. Mawar 3, RT 02/RW 05\nCimahi".into(),
        login: "budi.santoso".into(),
        plan_name: "Home 20 Mbps".into(),
        period_start: date(2026, 11, 1),
        period_end: date(2026, 11, 30),
        issued_on: date(2026, 10, 25),
        due_on: date(2026, 11, 28),
        lines: vec![
            DocLine {
                description: "Paket Home 20 Mbps (November 2026)".into(),
                amount: 150_000,
            },
            DocLine {
                description: "PPN 11%".into(),
                amount: 16_500,
            },
        ],
        total: 166_500,
        allocations: vec![DocAllocation {
            label: "Tunai".into(),
            at: date(2026, 11, 3),
            amount: 50_000,
        }],
        paid: 50_000,
        owed: 116_500,
        carried_into: None,
        void_reason: None,
    }
}

/// The sample, fully paid.
pub fn paid_invoice() -> InvoiceDoc {
    let mut doc = invoice();
    doc.status = InvoiceStatus::Paid;
    doc.allocations.push(DocAllocation {
        label: "Transfer".into(),
        at: date(2026, 11, 20),
        amount: 116_500,
    });
    doc.paid = 166_500;
    doc.owed = 0;
    doc
}

/// A tiny RGBA PNG (4x3, half transparent red).
pub fn tiny_png() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 4, 3);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut writer = enc.write_header().expect("png header");
        writer
            .write_image_data(&[255, 0, 0, 128].repeat(12))
            .expect("png data");
    }
    out
}

/// `n` voucher cards: even ones without a separate password, odd ones with;
/// codes, serials and prices (1.000, 2.000, …) all distinct.
pub fn voucher_cards(n: usize) -> Vec<VoucherCard> {
    (0..n)
        .map(|i| {
            let code = format!("KODE{i:04}X");
            let password = (i % 2 == 1).then(|| format!("pw{i:04}z"));
            let pw = password.clone().unwrap_or_else(|| code.clone());
            VoucherCard {
                login_url: format!("http://hotspot.lan/login?username={code}&password={pw}"),
                code,
                password,
                price: 1_000 * (i as i64 + 1),
                validity: "1 hari".into(),
                profile: "1-hari-5M".into(),
                serial: format!("B12-{i:04}"),
            }
        })
        .collect()
}

/// Checks a drawn QR symbol of `modules` × `modules` cells (no quiet zone)
/// against `url`: upright, read back by an independent decoder (`rqrr`), and
/// module for module the symbol the `qrcode` crate makes for it, so that
/// even damage the error correction would hide is caught.
pub fn assert_qr(modules: usize, dark: impl Fn(usize, usize) -> bool, url: &str) {
    let reference =
        qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).expect("reference QR");
    assert_eq!(modules, reference.width(), "symbol size for {url}");
    let colors = reference.to_colors();
    for y in 0..modules {
        for x in 0..modules {
            let expected = colors[y * modules + x] == qrcode::Color::Dark;
            assert_eq!(dark(x, y), expected, "module ({x}, {y}) of {url}");
        }
    }
    assert_eq!(decode_qr(modules, dark), url);
}

/// Decodes a QR symbol given as `modules` × `modules` dark/light cells
/// (no quiet zone): drawn at 4 px a module with a white border and read
/// with an independent decoder.
pub fn decode_qr(modules: usize, dark: impl Fn(usize, usize) -> bool) -> String {
    const PX: usize = 4;
    const BORDER: usize = 4;
    let side = (modules + 2 * BORDER) * PX;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        let (mx, my) = (x / PX, y / PX);
        let inside =
            (BORDER..BORDER + modules).contains(&mx) && (BORDER..BORDER + modules).contains(&my);
        if inside && dark(mx - BORDER, my - BORDER) {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "expected exactly one QR code");
    let (_, content) = grids[0].decode().expect("QR decodes");
    content
}
