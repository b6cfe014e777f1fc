//! Encryption of stored credentials (subscription passwords) with a key from the OS keyring.

use anyhow::Context as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

const NONCE_LEN: usize = 24;

pub struct Cipher(XChaCha20Poly1305);

impl std::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cipher([redacted])")
    }
}

impl Cipher {
    /// `key` must be 32 bytes.
    pub fn new(key: &[u8]) -> anyhow::Result<Cipher> {
        anyhow::ensure!(
            key.len() == 32,
            "the data key must be 32 bytes, got {}",
            key.len()
        );
        Ok(Cipher(XChaCha20Poly1305::new(Key::from_slice(key))))
    }

    /// nonce ‖ ciphertext
    pub fn seal(&self, plaintext: &str) -> anyhow::Result<Vec<u8>> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let mut out = nonce.to_vec();
        let sealed = self
            .0
            .encrypt(&nonce, plaintext.as_bytes())
            .map_err(|_| anyhow::anyhow!("encryption failed"))?;
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    pub fn open(&self, sealed: &[u8]) -> anyhow::Result<String> {
        anyhow::ensure!(sealed.len() > NONCE_LEN, "sealed value too short");
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let plain = self
            .0
            .decrypt(XNonce::from_slice(nonce), body)
            .map_err(|_| anyhow::anyhow!("decryption failed (wrong data key?)"))?;
        String::from_utf8(plain).context("decrypted value is not UTF-8")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_passwords_open_only_with_the_same_key() {
        let cipher = Cipher::new(&[7u8; 32]).expect("key");
        let sealed = cipher.seal("rahasia-pppoe").expect("seal");
        assert!(!sealed.windows(7).any(|w| w == b"rahasia"));
        assert_eq!(cipher.open(&sealed).expect("open"), "rahasia-pppoe");
        let other = Cipher::new(&[8u8; 32]).expect("key");
        assert!(other.open(&sealed).is_err());
    }
}
