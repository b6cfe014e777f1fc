//! Argon2id password hashing, off the async executor.

use anyhow::Context as _;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};

use crate::Error;

pub async fn hash(password: String) -> Result<String, Error> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))
    })
    .await
    .context("password hashing task failed")?
    .map_err(Error::Unexpected)
}

/// Verifies `password` against `stored` (or a dummy hash when the user is unknown, so
/// the answer takes as long either way).
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, Error> {
    tokio::task::spawn_blocking(move || {
        let Some(stored) = stored else {
            // Unknown user: spend the same effort as a real check, then say no.
            let salt = SaltString::generate(&mut OsRng);
            let _ = Argon2::default().hash_password(password.as_bytes(), &salt);
            return false;
        };
        match PasswordHash::new(&stored) {
            Ok(parsed) => Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        }
    })
    .await
    .context("password verification task failed")
    .map_err(Error::Unexpected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_verifies_only_the_same_password() {
        let hashed = hash("kata-sandi-rahasia".into()).await.expect("hash");
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify("kata-sandi-rahasia".into(), Some(hashed.clone()))
            .await
            .expect("v"));
        assert!(!verify("kata-sandi-salah!".into(), Some(hashed))
            .await
            .expect("v"));
    }

    #[tokio::test]
    async fn unknown_user_never_verifies() {
        assert!(!verify("anything-at-all".into(), None).await.expect("v"));
    }
}
