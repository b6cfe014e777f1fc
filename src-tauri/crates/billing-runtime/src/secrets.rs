//! One small store for secrets, over the OS keyring: the Secret Service on Linux
//! desktops with the kernel keyring (keyutils) as fallback, the platform stores on
//! Windows and macOS. Where no keyring service exists (a headless server), an encrypted
//! file in the data directory under a key the operator supplies (`secret_file`), with a
//! visible warning. Secrets never touch the database, settings files or logs.

use std::path::Path;
use std::sync::Arc;

use keyring::credential::CredentialBuilder;
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::secret_file::{FileStore, FileStoreError};
use crate::settings::SecretsSettings;

const SERVICE: &str = "id.mikrobill.app";
/// Stands for an empty secret (a NUL byte: never part of a real password).
const EMPTY: &str = "\u{0}";

#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("the OS keyring ({backend}) could not {action} the secret {name:?}: {source}")]
    Keyring {
        backend: &'static str,
        action: &'static str,
        name: String,
        #[source]
        source: keyring::Error,
    },
    #[error("{0}")]
    File(#[from] FileStoreError),
    #[error(
        "this installation keeps its secrets in the encrypted file {0}; supply its key \
         (MIKROBILL_SECRETS_KEY, or secrets.key_file in settings.toml)"
    )]
    KeyMissing(String),
    #[error("secrets.key_file {path}: {source}")]
    KeyFile {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

enum Backend {
    Keyring {
        builder: Arc<CredentialBuilder>,
        scope: String,
    },
    File(Arc<FileStore>),
}

/// Secrets of one installation (one data directory), kept apart from other
/// installations of the same user by a short hash of the data directory.
#[derive(Clone)]
pub struct SecretStore {
    inner: Arc<Backend>,
    backend: &'static str,
    warning: Option<String>,
}

impl std::fmt::Debug for SecretStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretStore")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

const FILE_WARNING: &str = "No OS keyring service is available, so secrets are kept in the \
    encrypted file secrets.enc in the data folder. Keep its key safe: without it the router \
    passwords, gateway keys and the database password cannot be read.";
const KEYUTILS_WARNING: &str = "No OS keyring service is available, so secrets are kept in \
    the kernel keyring, which forgets them when the computer restarts. Supply a key \
    (MIKROBILL_SECRETS_KEY or secrets.key_file) to keep them in an encrypted file instead.";

impl SecretStore {
    /// Opens the store for a data directory. `settings.backend` is `auto`, `file`,
    /// `secret-service` or `keyutils` (the latter two only on Linux). With `auto` an
    /// existing secrets file wins (so an installation never loses its secrets when a
    /// keyring appears later), then the OS keyring, then the file when a key is supplied.
    pub fn open(data_dir: &Path, settings: &SecretsSettings) -> Result<SecretStore, SecretError> {
        let file_path = data_dir.join(crate::secret_file::FILE_NAME);
        // `key`: the passphrase when the caller has already read it (read it once).
        let file = |key: Option<SecretString>, warning: &str| -> Result<SecretStore, SecretError> {
            let key = match key {
                Some(key) => key,
                None => settings
                    .passphrase()?
                    .ok_or_else(|| SecretError::KeyMissing(file_path.display().to_string()))?,
            };
            let store = FileStore::open(data_dir, key)?;
            tracing::warn!("{warning}");
            Ok(SecretStore {
                inner: Arc::new(Backend::File(Arc::new(store))),
                backend: "encrypted-file",
                warning: Some(warning.to_owned()),
            })
        };
        match settings.backend.as_str() {
            "file" => return file(None, FILE_WARNING),
            "auto" if file_path.exists() => return file(None, FILE_WARNING),
            _ => {}
        }
        let canonical = data_dir
            .canonicalize()
            .unwrap_or_else(|_| data_dir.to_owned());
        let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
        let scope = hex::encode(&digest[..6]);
        let (builder, name, fell_back) = choose_backend(&settings.backend, &scope)?;
        if fell_back {
            if let Some(key) = settings.passphrase()? {
                return file(Some(key), FILE_WARNING);
            }
        }
        let warning = fell_back.then(|| {
            tracing::warn!("{KEYUTILS_WARNING}");
            KEYUTILS_WARNING.to_owned()
        });
        tracing::debug!(backend = name, "secret store opened");
        Ok(SecretStore {
            inner: Arc::new(Backend::Keyring {
                builder: Arc::from(builder),
                scope,
            }),
            backend: name,
            warning,
        })
    }

    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// Why the owner should know where the secrets are kept, when it is not an OS keyring
    /// service (shown on the health page).
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, SecretError> {
        let Backend::Keyring { builder, scope } = self.inner.as_ref() else {
            unreachable!("entry() is only called for keyring backends")
        };
        let user = format!("{scope}/{name}");
        builder
            .build(None, SERVICE, &user)
            .map(keyring::Entry::new_with_credential)
            .map_err(|source| self.err("open", name, source))
    }

    pub fn get(&self, name: &str) -> Result<Option<SecretString>, SecretError> {
        if let Backend::File(store) = self.inner.as_ref() {
            return Ok(store.get(name)?);
        }
        match self.retrying(name, |entry| entry.get_password())? {
            Ok(value) if value == EMPTY => Ok(Some(SecretString::from(String::new()))),
            Ok(value) => Ok(Some(SecretString::from(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(source) => Err(self.err("read", name, source)),
        }
    }

    pub fn set(&self, name: &str, value: &SecretString) -> Result<(), SecretError> {
        if let Backend::File(store) = self.inner.as_ref() {
            return Ok(store.set(name, value)?);
        }
        // Keyrings refuse empty values, but an empty password is real (a MikroTik fresh
        // from the box has `admin` with none); it is stored as a marker no password has.
        let raw = match value.expose_secret() {
            "" => EMPTY,
            other => other,
        };
        self.retrying(name, |entry| entry.set_password(raw))?
            .map_err(|source| self.err("store", name, source))
    }

    pub fn delete(&self, name: &str) -> Result<(), SecretError> {
        if let Backend::File(store) = self.inner.as_ref() {
            return Ok(store.delete(name)?);
        }
        match self.retrying(name, keyring::Entry::delete_credential)? {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(source) => Err(self.err("delete", name, source)),
        }
    }

    /// Returns the secret, generating and storing a random one (`bytes` of entropy,
    /// URL-safe base64) the first time.
    pub fn get_or_generate(&self, name: &str, bytes: usize) -> Result<SecretString, SecretError> {
        if let Some(existing) = self.get(name)? {
            return Ok(existing);
        }
        let value = SecretString::from(random_token(bytes));
        self.set(name, &value)?;
        // Read it back: a keyring that accepts writes but forgets them must fail here,
        // not after the cluster has been initialised with a password nobody remembers.
        match self.get(name)? {
            Some(stored) if stored.expose_secret() == value.expose_secret() => Ok(value),
            _ => Err(self.err("keep", name, keyring::Error::NoEntry)),
        }
    }

    /// Runs a keyring call, again after a short pause when the keyring service failed on its
    /// side (a Secret Service daemon that crashed or restarted: D-Bus starts it again on the
    /// next call). A missing entry, a refusal or bad data are answered at once.
    fn retrying<T>(
        &self,
        name: &str,
        call: impl Fn(&keyring::Entry) -> keyring::Result<T>,
    ) -> Result<keyring::Result<T>, SecretError> {
        const PAUSES: [std::time::Duration; 2] = [
            std::time::Duration::from_millis(100),
            std::time::Duration::from_millis(400),
        ];
        let mut attempt = 0;
        loop {
            let entry = self.entry(name)?;
            match call(&entry) {
                Err(
                    err @ (keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_)),
                ) if attempt < PAUSES.len() => {
                    tracing::warn!(secret = name, error = %err, "the keyring failed; trying again");
                    std::thread::sleep(PAUSES[attempt]);
                    attempt += 1;
                }
                result => return Ok(result),
            }
        }
    }

    fn err(&self, action: &'static str, name: &str, source: keyring::Error) -> SecretError {
        SecretError::Keyring {
            backend: self.backend,
            action,
            name: name.to_owned(),
            source,
        }
    }
}

pub fn random_token(bytes: usize) -> String {
    use base64::Engine as _;
    let mut raw = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
}

#[cfg(target_os = "linux")]
fn choose_backend(
    backend: &str,
    scope: &str,
) -> Result<(Box<CredentialBuilder>, &'static str, bool), SecretError> {
    let ss = || -> (Box<CredentialBuilder>, &'static str) {
        (
            keyring::secret_service::default_credential_builder(),
            "secret-service",
        )
    };
    let ku = || -> (Box<CredentialBuilder>, &'static str) {
        (keyring::keyutils::default_credential_builder(), "keyutils")
    };
    match backend {
        "secret-service" => {
            let (b, n) = ss();
            Ok((b, n, false))
        }
        "keyutils" => {
            let (b, n) = ku();
            Ok((b, n, false))
        }
        _ => {
            // Probe the Secret Service: it needs a D-Bus session and an unlocked keyring.
            let (builder, name) = ss();
            let probe = builder
                .build(None, SERVICE, &format!("{scope}/probe"))
                .and_then(|c| match c.get_password() {
                    Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
                    Err(e) => Err(e),
                });
            match probe {
                Ok(()) => Ok((builder, name, false)),
                Err(err) => {
                    tracing::info!(error = %err, "Secret Service unavailable");
                    let (b, n) = ku();
                    Ok((b, n, true))
                }
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn choose_backend(
    _backend: &str,
    _scope: &str,
) -> Result<(Box<CredentialBuilder>, &'static str, bool), SecretError> {
    Ok((
        keyring::default::default_credential_builder(),
        "os-keyring",
        false,
    ))
}

use billing_app::ports::SecretsPortError;

impl billing_app::ports::SecretsPort for SecretStore {
    fn get(&self, name: &str) -> Result<Option<SecretString>, SecretsPortError> {
        SecretStore::get(self, name).map_err(|e| SecretsPortError::from_error(&e))
    }

    fn set(&self, name: &str, value: &SecretString) -> Result<(), SecretsPortError> {
        SecretStore::set(self, name, value).map_err(|e| SecretsPortError::from_error(&e))
    }

    fn delete(&self, name: &str) -> Result<(), SecretsPortError> {
        SecretStore::delete(self, name).map_err(|e| SecretsPortError::from_error(&e))
    }

    fn backend(&self) -> &str {
        self.backend
    }

    fn warning(&self) -> Option<String> {
        self.warning.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_round_trip_through_the_real_keyring_and_stay_per_installation() {
        let a = tempfile::tempdir().expect("tempdir");
        let b = tempfile::tempdir().expect("tempdir");
        let store_a = SecretStore::open(a.path(), &SecretsSettings::default()).expect("open a");
        let store_b = SecretStore::open(b.path(), &SecretsSettings::default()).expect("open b");

        let generated = store_a
            .get_or_generate("jwt-signing-key", 32)
            .expect("generate");
        let again = store_a
            .get_or_generate("jwt-signing-key", 32)
            .expect("read back");
        assert_eq!(generated.expose_secret(), again.expose_secret());
        assert!(
            store_b.get("jwt-signing-key").expect("get").is_none(),
            "installations share secrets"
        );

        let empty = SecretString::from(String::new());
        store_a
            .set("router-password/x", &empty)
            .expect("an empty secret is storable");
        let back = store_a
            .get("router-password/x")
            .expect("get")
            .expect("stored");
        assert_eq!(back.expose_secret(), "");
        store_a.delete("router-password/x").expect("delete");

        store_a.delete("jwt-signing-key").expect("delete");
        assert!(store_a.get("jwt-signing-key").expect("get").is_none());
    }
}
