//! Fixtures from gateways.md and small helpers shared by the gateway tests.

use std::sync::Arc;

use billing_domain::{Clock, FixedClock};
use billing_gateways::CreatePayment;
use chrono::{DateTime, TimeZone, Utc};

pub const DUITKU_MERCHANT: &str = "DS12345";
pub const DUITKU_KEY: &str = "0123456789abcdef0123456789abcdef";
pub const ORDER: &str = "INV-2025-0001";

pub const TRIPAY_MERCHANT: &str = "T12345";
pub const TRIPAY_PRIVATE_KEY: &str = "abcde-fghij-klmno-pqrst-uvwxy";
pub const TRIPAY_API_KEY: &str = "DEV-tripay-api-key";

pub const MIDTRANS_SERVER_KEY: &str = "SB-Mid-server-TEST0123456789";

pub const XENDIT_SECRET_KEY: &str = "xnd_development_TEST";
pub const XENDIT_CALLBACK_TOKEN: &str = "test-xendit-callback-token";

/// 2025-01-15 10:00:00 in Jakarta (the §A.10 getpaymentmethod fixture time).
pub fn fixture_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 15, 3, 0, 0)
        .single()
        .expect("valid time")
}

pub fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock::new(fixture_now()))
}

/// The §A.3 order: INV-2025-0001, Rp 150.000, BCA VA, 1440 minutes.
pub fn payment(method: &str) -> CreatePayment {
    CreatePayment {
        merchant_ref: ORDER.to_owned(),
        amount: 150_000,
        method: method.to_owned(),
        customer_name: "Budi Santoso".to_owned(),
        phone: "6281234567890".to_owned(),
        email: Some("budi@example.com".to_owned()),
        description: "Internet 10 Mbps Januari 2025".to_owned(),
        callback_url: "https://billing.example.id/cb/duitku".to_owned(),
        return_url: "https://billing.example.id/invoice/INV-2025-0001".to_owned(),
        expiry_minutes: 1440,
    }
}

pub fn headers(pairs: &[(&'static str, &str)]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for (name, value) in pairs {
        map.insert(*name, value.parse().expect("header value"));
    }
    map
}
