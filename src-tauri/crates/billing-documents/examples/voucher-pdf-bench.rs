//! Times voucher printing for big batches and prints duration, output size
//! and peak memory (Linux):
//! `cargo run --release -p billing-documents --example voucher-pdf-bench [OUT_DIR]`.
//! With OUT_DIR, the 1,000-card outputs are written there for a visual check.

use std::time::Instant;

use billing_documents::{
    vouchers_html, vouchers_pdf, Business, Lang, VoucherCard, VoucherPrint, VoucherTemplate,
};

/// Deterministic, varied 8-character codes from an alphabet without 0/O/1/I.
fn code(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from(ALPHABET[(x % ALPHABET.len() as u64) as usize])
        })
        .collect()
}

fn cards(n: usize) -> Vec<VoucherCard> {
    (0..n)
        .map(|i| {
            let user = code(i as u64, 8);
            let password = (i % 2 == 1).then(|| code(i as u64 + 1_000_000, 6));
            let pw = password.clone().unwrap_or_else(|| user.clone());
            VoucherCard {
                login_url: format!("http://hotspot.lan/login?username={user}&password={pw}"),
                code: user,
                password,
                price: 5_000,
                validity: "1 hari".into(),
                profile: "1-hari-5M".into(),
                serial: format!("B12-{:05}", i + 1),
            }
        })
        .collect()
}

/// Resets the peak resident set size (Linux); false elsewhere.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Peak resident set size since the last reset, in MiB.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out_dir = std::env::args().nth(1).map(std::path::PathBuf::from);
    let business = Business {
        name: "Nusantara Net".into(),
        ..Business::default()
    };
    println!("template    cards  format   seconds        bytes  peak RSS MiB");
    for template in [
        VoucherTemplate::Default,
        VoucherTemplate::Small,
        VoucherTemplate::Thermal58,
    ] {
        let print = VoucherPrint {
            lang: Lang::Id,
            ..VoucherPrint::new(template, &business)
        };
        for n in [1_000, 10_000] {
            let batch = cards(n);
            for format in ["pdf", "html"] {
                let tracked = reset_peak();
                let start = Instant::now();
                let bytes = match format {
                    "pdf" => vouchers_pdf(&batch, &print)?,
                    _ => vouchers_html(&batch, &print)?.into_bytes(),
                };
                let secs = start.elapsed().as_secs_f64();
                let peak = peak_mib()
                    .filter(|_| tracked)
                    .map_or_else(|| "n/a".to_owned(), |m| format!("{m:.0}"));
                println!(
                    "{:<10} {n:>6}  {format:<5} {secs:>9.2} {:>12}  {peak:>12}",
                    template.to_string(),
                    bytes.len()
                );
                if let (Some(dir), 1_000) = (&out_dir, n) {
                    std::fs::write(dir.join(format!("vouchers-{template}.{format}")), &bytes)?;
                }
            }
        }
    }
    Ok(())
}
