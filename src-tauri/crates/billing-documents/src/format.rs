//! Money, date and phone formatting, Indonesian conventions.

use chrono::{Datelike, NaiveDate};

use crate::model::Lang;

/// Whole rupiah with '.' thousands separators: `Rp 150.000`, `-Rp 5.000`.
/// Works for the whole `i64` range, `i64::MIN` included.
pub fn format_rupiah(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    // ASCII digits, so every 3-byte chunk is valid UTF-8.
    let grouped = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or("?"))
        .collect::<Vec<_>>()
        .join(".");
    if amount < 0 {
        format!("-Rp {grouped}")
    } else {
        format!("Rp {grouped}")
    }
}

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Day, month name, year: `28 November 2026`, `1 Agustus 2026` / `1 August 2026`.
pub fn format_date_id(date: NaiveDate, lang: Lang) -> String {
    let months = match lang {
        Lang::Id => &MONTHS_ID,
        Lang::En => &MONTHS_EN,
    };
    // month0() is always 0..=11.
    let month = months.get(date.month0() as usize).copied().unwrap_or("?");
    format!("{} {} {}", date.day(), month, date.year())
}

/// `1 November 2026 – 30 November 2026` (en dash).
pub fn format_period(start: NaiveDate, end: NaiveDate, lang: Lang) -> String {
    format!(
        "{} \u{2013} {}",
        format_date_id(start, lang),
        format_date_id(end, lang)
    )
}

/// `6281234567890` → `+6281234567890`; anything else is shown as given.
pub fn format_phone(phone: &str) -> String {
    let trimmed = phone.trim();
    if trimmed.starts_with("62") && trimmed.chars().all(|c| c.is_ascii_digit()) {
        format!("+{trimmed}")
    } else {
        trimmed.to_owned()
    }
}
