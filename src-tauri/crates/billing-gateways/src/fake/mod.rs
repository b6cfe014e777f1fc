//! HTTP fakes of the gateways (cargo feature `fake`): axum servers on `127.0.0.1:0` that follow
//! the documented formats (gateways.md), check request signatures like the vendor would, keep
//! transactions in memory and can sign and deliver callbacks. For end-to-end tests, browser
//! tests and benchmarks; never for production.

mod duitku;
mod tripay;

pub use self::duitku::{FakeDuitku, FakeDuitkuTransaction};
pub use self::tripay::{FakeTripay, FakeTripayTransaction};
use crate::GatewayError;

/// The state of a transaction inside a fake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FakeStatus {
    Pending,
    Paid,
    Failed,
    Expired,
}

/// What the integrator's endpoint answered to a delivered callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackDelivery {
    pub status: u16,
    pub body: String,
}

/// A running axum server; stops when the last handle is dropped.
#[derive(Debug)]
struct Server {
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Binds first so the fake knows its own base URL before building its router.
    async fn bind() -> std::io::Result<(tokio::net::TcpListener, String)> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        Ok((listener, base_url))
    }

    fn serve(listener: tokio::net::TcpListener, router: axum::Router) -> Server {
        let task = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::error!(error = %e, "fake gateway server stopped");
            }
        });
        Server { task }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap_or_default()
}

async fn send_callback(request: reqwest::RequestBuilder) -> Result<CallbackDelivery, GatewayError> {
    let response = request.send().await?;
    let status = response.status().as_u16();
    let body = response.text().await?;
    Ok(CallbackDelivery { status, body })
}

/// A plausible dynamic QRIS payload (EMVCo TLV with a valid CRC-16/CCITT-FALSE) for `amount`.
pub fn qris_payload(merchant_name: &str, reference: &str, amount: i64) -> String {
    fn tlv(id: &str, value: &str) -> String {
        format!("{id}{:02}{value}", value.len())
    }
    let account = tlv("00", "ID.CO.QRIS.WWW") + &tlv("01", "936008990000000001");
    let name: String = merchant_name
        .chars()
        .filter(char::is_ascii)
        .take(25)
        .collect();
    let reference: String = reference.chars().filter(char::is_ascii).take(25).collect();
    let mut payload = [
        tlv("00", "01"),
        tlv("01", "12"),
        tlv("26", &account),
        tlv("52", "4812"),
        tlv("53", "360"),
        tlv("54", &amount.to_string()),
        tlv("58", "ID"),
        tlv("59", &name),
        tlv("60", "JAKARTA"),
        tlv("62", &tlv("05", &reference)),
    ]
    .concat();
    payload.push_str("6304");
    let crc = crc16_ccitt(payload.as_bytes());
    payload.push_str(&format!("{crc:04X}"));
    payload
}

fn crc16_ccitt(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for byte in data {
        crc ^= u16::from(*byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn should_compute_crc16_ccitt_false() {
        assert_eq!(crc16_ccitt(b"123456789"), 0x29B1);
    }

    #[test]
    fn should_build_qris_with_amount_and_crc() {
        let qr = qris_payload("ISP CONTOH", "DS1234525000001", 150_000);
        assert!(qr.starts_with("000201010212"));
        assert!(qr.contains("5406150000"));
        assert_eq!(qr.len() - qr.rfind("6304").expect("crc tag"), 8);
    }
}
