//! Digest helpers. Inputs and outputs here are secrets or signatures: never log them.

use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha2::{Sha256, Sha512};

pub(crate) fn md5_hex(input: &str) -> String {
    hex::encode(Md5::digest(input.as_bytes()))
}

pub(crate) fn sha256_hex(input: &str) -> String {
    hex::encode(Sha256::digest(input.as_bytes()))
}

pub(crate) fn sha512_hex(input: &str) -> String {
    hex::encode(Sha512::digest(input.as_bytes()))
}

pub(crate) fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    hex::encode(hmac_sha256(key, message))
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// Compares a received hex signature with the expected one in constant time (case-insensitive).
pub(crate) fn hex_eq(expected_hex: &str, received: &str) -> bool {
    let received = received.trim().to_ascii_lowercase();
    constant_time_eq(expected_hex.as_bytes(), received.as_bytes())
}

/// Constant-time equality for equal-length inputs; different lengths are simply unequal.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
