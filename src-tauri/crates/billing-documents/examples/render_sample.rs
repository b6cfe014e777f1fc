//! Writes a sample invoice as HTML and PDF for a visual check:
//! `cargo run -p billing-documents --example render_sample -- OUT_DIR [id|en] [unpaid|paid|void|carried]`.

use billing_documents::{
    invoice_html, invoice_pdf, BankAccount, Business, DocAllocation, DocLine, InvoiceDoc,
    InvoiceStatus, Lang,
};
use chrono::NaiveDate;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let lang = match args.next().as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Id,
    };
    let variant = args.next().unwrap_or_default();
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).ok_or("bad date");
    let business = Business {
        name: "Nusantara Net".into(),
        address: "Jl. Merdeka No. 17\nBandung 40115".into(),
        phone: "022-1234567".into(),
        email: Some("billing@nusantara.net.id".into()),
        logo_png: None,
        bank_accounts: vec![BankAccount {
            bank: "BCA".into(),
            number: "1234567890".into(),
            holder: "PT Nusantara Net".into(),
        }],
    };
    let doc = InvoiceDoc {
        number: "INV/2026/11/00042".into(),
        status: InvoiceStatus::Partial,
        customer_name: "Budi Santoso".into(),
        customer_phone: "6281234567890".into(),
        customer_address: "Gg. Mawar 3, RT 02/RW 05, Cimahi".into(),
        login: "budi.santoso".into(),
        plan_name: "Home 20 Mbps".into(),
        period_start: day(11, 1)?,
        period_end: day(11, 30)?,
        issued_on: day(10, 25)?,
        due_on: day(11, 28)?,
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
            at: day(11, 3)?,
            amount: 50_000,
        }],
        paid: 50_000,
        owed: 116_500,
        carried_into: None,
        void_reason: None,
    };
    let mut doc = doc;
    match variant.as_str() {
        "paid" => {
            doc.status = InvoiceStatus::Paid;
            doc.allocations.push(DocAllocation {
                label: "Transfer".into(),
                at: day(11, 20)?,
                amount: 116_500,
            });
            doc.paid = 166_500;
            doc.owed = 0;
        }
        "void" => {
            doc.status = InvoiceStatus::Void;
            doc.void_reason = Some("Pelanggan berhenti berlangganan".into());
        }
        "carried" => {
            doc.status = InvoiceStatus::CarriedOver;
            doc.carried_into = Some("INV/2026/12/00007".into());
        }
        _ => {}
    }
    let mut business = business;
    business.logo_png = Some(sample_logo()?);
    std::fs::write(
        out.join("invoice.html"),
        invoice_html(&business, &doc, lang),
    )?;
    std::fs::write(out.join("invoice.pdf"), invoice_pdf(&business, &doc, lang)?)?;
    Ok(())
}

/// A 64x64 blue disc with a transparent background.
fn sample_logo() -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut pixels = Vec::with_capacity(64 * 64 * 4);
    for y in 0..64_i32 {
        for x in 0..64_i32 {
            let inside = (x - 32).pow(2) + (y - 32).pow(2) < 30 * 30;
            pixels.extend_from_slice(if inside {
                &[29, 78, 137, 255]
            } else {
                &[0, 0, 0, 0]
            });
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, 64, 64);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.write_header()?.write_image_data(&pixels)?;
    Ok(out)
}
