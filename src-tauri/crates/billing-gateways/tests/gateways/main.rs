//! One integration-test binary for all gateway plugins (wiremock) and the HTTP fakes.

mod common;
mod duitku;
#[cfg(feature = "fake")]
mod fake_duitku;
#[cfg(feature = "fake")]
mod fake_tripay;
mod midtrans;
mod tripay;
mod xendit;
