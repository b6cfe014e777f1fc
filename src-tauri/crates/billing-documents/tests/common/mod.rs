//! Shared sample data for the integration tests.
#![allow(dead_code)]

use billing_documents::{BankAccount, Business, DocAllocation, DocLine, InvoiceDoc, InvoiceStatus};
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
