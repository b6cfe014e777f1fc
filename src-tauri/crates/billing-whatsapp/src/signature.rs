//! `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, raw_body)>` — used by Meta (app
//! secret) and GOWA (webhook secret).

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use crate::{client, ProviderKind, SendError};

pub(crate) const HEADER: &str = "x-hub-signature-256";

/// `sha256=<hex>` for `raw_body` under `secret`.
pub fn hub_signature(secret: &str, raw_body: &[u8]) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(raw_body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Verifies the header in constant time.
pub(crate) fn verify_hub_signature(
    provider: ProviderKind,
    secret: &SecretString,
    headers: &http::HeaderMap,
    raw_body: &[u8],
) -> Result<(), SendError> {
    let given = client::header(headers, HEADER)
        .ok_or_else(|| SendError::signature(provider, "missing X-Hub-Signature-256"))?;
    let hex_part = given
        .trim()
        .strip_prefix("sha256=")
        .ok_or_else(|| SendError::signature(provider, "signature is not sha256=<hex>"))?;
    let given = hex::decode(hex_part)
        .map_err(|_| SendError::signature(provider, "signature is not hex"))?;
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.expose_secret().as_bytes())
        .map_err(|_| SendError::signature(provider, "unusable secret"))?;
    mac.update(raw_body);
    mac.verify_slice(&given)
        .map_err(|_| SendError::signature(provider, "signature does not match"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture from gateways.md §C.1 (app secret `test_app_secret`).
    const META_FIXTURE: &str = include_str!("../tests/fixtures/meta_status_failed.json");

    #[test]
    fn meta_fixture_signature_matches_the_documented_value() {
        assert_eq!(
            hub_signature("test_app_secret", META_FIXTURE.trim_end().as_bytes()),
            "sha256=da3ebe40f61825c253afa2012ab7534c436d4fde97821e1bf58f5bcb34f7cae6"
        );
    }

    #[test]
    fn tampered_body_is_rejected() {
        let secret = SecretString::from("test_app_secret");
        let body = META_FIXTURE.trim_end().as_bytes();
        let mut headers = http::HeaderMap::new();
        let sig = hub_signature("test_app_secret", body);
        headers.insert(HEADER, http::HeaderValue::from_str(&sig).expect("ascii"));
        assert!(verify_hub_signature(ProviderKind::MetaCloud, &secret, &headers, body).is_ok());
        let err = verify_hub_signature(ProviderKind::MetaCloud, &secret, &headers, b"{}")
            .expect_err("tampered");
        assert_eq!(err.kind(), crate::SendErrorKind::Signature);
    }
}
