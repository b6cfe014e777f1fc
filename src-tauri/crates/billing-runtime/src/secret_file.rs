//! The encrypted secrets file, for machines without an OS keyring service (a headless
//! server): `<data dir>/secrets.enc`, one XChaCha20-Poly1305 box over a JSON map of the
//! secrets, under a key derived with Argon2id from a passphrase the operator supplies
//! (`MIKROBILL_SECRETS_KEY` or `secrets.key_file`). The passphrase is never stored.
//!
//! The header (format, KDF parameters, salt) is authenticated with the contents, writes go
//! through a temporary file and a rename (a crash leaves the old or the new file, never a
//! torn one), and a lock file serialises the app and the command-line tools.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use fs4::FileExt;
use rand::RngCore as _;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub const FILE_NAME: &str = "secrets.enc";
const FORMAT: &str = "mikrobill-secrets-v1";
/// A passphrase shorter than this is refused: the file may be copied off the machine.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum FileStoreError {
    #[error("the secrets key is too short ({0} characters); use at least {MIN_PASSPHRASE_CHARS}")]
    WeakKey(usize),
    #[error(
        "the secrets file {0} could not be opened with the key supplied: the key is wrong, \
         or the file was changed or damaged"
    )]
    WrongKeyOrDamaged(PathBuf),
    #[error("the secrets file {path} is not a mikrobill secrets file: {reason}")]
    Malformed { path: PathBuf, reason: String },
    #[error("the secrets file {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    kdf: KdfParams,
    /// Base64.
    salt: String,
    /// Base64.
    nonce: String,
    /// Base64.
    ciphertext: String,
}

#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
struct KdfParams {
    algorithm: KdfAlgorithm,
    /// KiB.
    memory: u32,
    iterations: u32,
    parallelism: u32,
}

#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
enum KdfAlgorithm {
    Argon2id,
}

impl KdfParams {
    /// OWASP's Argon2id baseline: 19 MiB, 2 passes.
    const DEFAULT: KdfParams = KdfParams {
        algorithm: KdfAlgorithm::Argon2id,
        memory: 19 * 1024,
        iterations: 2,
        parallelism: 1,
    };
}

/// The store: the file's path, the passphrase, and the key derived for the file's salt.
pub struct FileStore {
    path: PathBuf,
    lock_path: PathBuf,
    passphrase: SecretString,
    derived: Mutex<Option<DerivedKey>>,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

type Map = BTreeMap<String, String>;
/// The file's salt and the key derived from the passphrase with it.
type DerivedKey = (Vec<u8>, Zeroizing<[u8; 32]>);

impl FileStore {
    /// Opens (or prepares to create) `<data_dir>/secrets.enc`. An existing file is read
    /// at once, so a wrong key fails at start, not on the first secret.
    pub fn open(data_dir: &Path, passphrase: SecretString) -> Result<FileStore, FileStoreError> {
        let chars = passphrase.expose_secret().chars().count();
        if chars < MIN_PASSPHRASE_CHARS {
            return Err(FileStoreError::WeakKey(chars));
        }
        let store = FileStore {
            path: data_dir.join(FILE_NAME),
            lock_path: data_dir.join(format!("{FILE_NAME}.lock")),
            passphrase,
            derived: Mutex::new(None),
        };
        store.with_lock(false, |s| s.read().map(|_| ()))?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn get(&self, name: &str) -> Result<Option<SecretString>, FileStoreError> {
        self.with_lock(false, |s| {
            Ok(s.read()?
                .and_then(|map| map.get(name).cloned())
                .map(SecretString::from))
        })
    }

    pub fn set(&self, name: &str, value: &SecretString) -> Result<(), FileStoreError> {
        self.with_lock(true, |s| {
            let mut map = s.read()?.unwrap_or_default();
            map.insert(name.to_owned(), value.expose_secret().to_owned());
            s.write(&map)
        })
    }

    pub fn delete(&self, name: &str) -> Result<(), FileStoreError> {
        self.with_lock(true, |s| {
            let Some(mut map) = s.read()? else {
                return Ok(());
            };
            if map.remove(name).is_some() {
                s.write(&map)?;
            }
            Ok(())
        })
    }

    fn io(&self, path: &Path, source: std::io::Error) -> FileStoreError {
        FileStoreError::Io {
            path: path.to_owned(),
            source,
        }
    }

    fn with_lock<T>(
        &self,
        exclusive: bool,
        f: impl FnOnce(&Self) -> Result<T, FileStoreError>,
    ) -> Result<T, FileStoreError> {
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock_path)
            .map_err(|e| self.io(&self.lock_path, e))?;
        if exclusive {
            FileExt::lock(&lock)
        } else {
            FileExt::lock_shared(&lock)
        }
        .map_err(|e| self.io(&self.lock_path, e))?;
        let result = f(self);
        // Dropping the file releases the lock too; unlock first to say so.
        let _ = FileExt::unlock(&lock);
        result
    }

    fn key_for(&self, salt: &[u8], kdf: KdfParams) -> Result<Zeroizing<[u8; 32]>, FileStoreError> {
        let mut cached = self
            .derived
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((s, key)) = cached.as_ref() {
            if s.as_slice() == salt {
                return Ok(key.clone());
            }
        }
        let params = argon2::Params::new(kdf.memory, kdf.iterations, kdf.parallelism, Some(32))
            .map_err(|e| FileStoreError::Malformed {
                path: self.path.clone(),
                reason: format!("key derivation parameters: {e}"),
            })?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = Zeroizing::new([0u8; 32]);
        argon
            .hash_password_into(
                self.passphrase.expose_secret().as_bytes(),
                salt,
                key.as_mut(),
            )
            .map_err(|e| FileStoreError::Malformed {
                path: self.path.clone(),
                reason: format!("key derivation: {e}"),
            })?;
        *cached = Some((salt.to_vec(), key.clone()));
        Ok(key)
    }

    /// The map, or `None` when there is no file yet.
    fn read(&self) -> Result<Option<Map>, FileStoreError> {
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(&self.path, e)),
        };
        let malformed = |reason: String| FileStoreError::Malformed {
            path: self.path.clone(),
            reason,
        };
        let envelope: Envelope =
            serde_json::from_slice(&bytes).map_err(|e| malformed(e.to_string()))?;
        if envelope.format != FORMAT {
            return Err(malformed(format!("unknown format {:?}", envelope.format)));
        }
        let decode = |field: &str, value: &str| {
            B64.decode(value)
                .map_err(|e| malformed(format!("{field}: {e}")))
        };
        let salt = decode("salt", &envelope.salt)?;
        let nonce = decode("nonce", &envelope.nonce)?;
        let ciphertext = decode("ciphertext", &envelope.ciphertext)?;
        if nonce.len() != 24 || salt.len() < 16 {
            return Err(malformed("salt or nonce has the wrong length".into()));
        }
        let key = self.key_for(&salt, envelope.kdf)?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
        let aad = header(&envelope.kdf, &salt);
        let plain = Zeroizing::new(
            cipher
                .decrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &ciphertext,
                        aad: &aad,
                    },
                )
                .map_err(|_| FileStoreError::WrongKeyOrDamaged(self.path.clone()))?,
        );
        serde_json::from_slice(&plain)
            .map(Some)
            .map_err(|e| malformed(format!("contents: {e}")))
    }

    fn write(&self, map: &Map) -> Result<(), FileStoreError> {
        // One salt per file: kept across writes so the derived key stays cached.
        let salt = match self
            .derived
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
        {
            Some((salt, _)) => salt.clone(),
            None => {
                let mut salt = vec![0u8; 16];
                OsRng.fill_bytes(&mut salt);
                salt
            }
        };
        let kdf = KdfParams::DEFAULT;
        let key = self.key_for(&salt, kdf)?;
        let cipher = XChaCha20Poly1305::new(Key::from_slice(key.as_ref()));
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let plain =
            Zeroizing::new(
                serde_json::to_vec(map).map_err(|e| FileStoreError::Malformed {
                    path: self.path.clone(),
                    reason: e.to_string(),
                })?,
            );
        let aad = header(&kdf, &salt);
        let ciphertext = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .map_err(|_| FileStoreError::Malformed {
                path: self.path.clone(),
                reason: "encryption failed".into(),
            })?;
        let envelope = Envelope {
            format: FORMAT.into(),
            kdf,
            salt: B64.encode(&salt),
            nonce: B64.encode(nonce),
            ciphertext: B64.encode(ciphertext),
        };
        let bytes =
            serde_json::to_vec_pretty(&envelope).map_err(|e| FileStoreError::Malformed {
                path: self.path.clone(),
                reason: e.to_string(),
            })?;
        let tmp = self.path.with_extension("enc.tmp");
        let mut file = create_private(&tmp).map_err(|e| self.io(&tmp, e))?;
        file.write_all(&bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| self.io(&tmp, e))?;
        drop(file);
        std::fs::rename(&tmp, &self.path).map_err(|e| self.io(&self.path, e))?;
        if let Some(dir) = self.path.parent() {
            // Make the rename durable (best effort: not every platform can open a folder).
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

/// The authenticated header: a changed parameter or salt fails decryption.
fn header(kdf: &KdfParams, salt: &[u8]) -> Vec<u8> {
    format!(
        "{FORMAT}|{:?}|{}|{}|{}|{}",
        kdf.algorithm,
        kdf.memory,
        kdf.iterations,
        kdf.parallelism,
        B64.encode(salt)
    )
    .into_bytes()
}

#[cfg(unix)]
fn create_private(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn secrets_survive_a_reopen_and_never_appear_in_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = FileStore::open(dir.path(), key("kunci-rahasia-panjang")).expect("open");
        assert!(store.get("jwt").expect("get").is_none());
        store
            .set("router-password/1", &key("sandi-router-Q7f3"))
            .expect("set");
        store.set("jwt", &key("")).expect("an empty value is fine");
        let bytes = std::fs::read(store.path()).expect("file");
        assert!(
            !String::from_utf8_lossy(&bytes).contains("sandi-router-Q7f3"),
            "the secret is in the file in plain text"
        );
        assert!(
            !String::from_utf8_lossy(&bytes).contains("router-password"),
            "even the names are encrypted"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(store.path())
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }

        let again = FileStore::open(dir.path(), key("kunci-rahasia-panjang")).expect("reopen");
        let value = again.get("router-password/1").expect("get").expect("kept");
        assert_eq!(value.expose_secret(), "sandi-router-Q7f3");
        again.delete("router-password/1").expect("delete");
        assert!(again.get("router-password/1").expect("get").is_none());
        assert_eq!(
            again
                .get("jwt")
                .expect("get")
                .expect("kept")
                .expose_secret(),
            ""
        );
    }

    #[test]
    fn a_wrong_key_a_short_key_and_a_changed_file_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = FileStore::open(dir.path(), key("kunci-rahasia-panjang")).expect("open");
        store.set("a", &key("nilai")).expect("set");

        let err = FileStore::open(dir.path(), key("kunci-yang-salah-sekali")).expect_err("wrong");
        assert!(matches!(err, FileStoreError::WrongKeyOrDamaged(_)), "{err}");
        assert!(err.to_string().contains("key is wrong"), "{err}");

        let err = FileStore::open(dir.path(), key("pendek")).expect_err("short");
        assert!(matches!(err, FileStoreError::WeakKey(6)), "{err}");

        // Lower the KDF cost in the header: authenticated, so decryption fails.
        let path = dir.path().join(FILE_NAME);
        let mut env: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
        env["kdf"]["iterations"] = 1.into();
        std::fs::write(&path, serde_json::to_vec(&env).expect("json")).expect("write");
        let err = FileStore::open(dir.path(), key("kunci-rahasia-panjang")).expect_err("changed");
        assert!(matches!(err, FileStoreError::WrongKeyOrDamaged(_)), "{err}");

        std::fs::write(&path, b"not json").expect("write");
        let err = FileStore::open(dir.path(), key("kunci-rahasia-panjang")).expect_err("junk");
        assert!(matches!(err, FileStoreError::Malformed { .. }), "{err}");
    }

    #[test]
    fn two_stores_on_one_file_see_each_others_writes() {
        // The app and a command-line tool on the same data directory.
        let dir = tempfile::tempdir().expect("tempdir");
        let a = FileStore::open(dir.path(), key("kunci-rahasia-panjang")).expect("a");
        let b = FileStore::open(dir.path(), key("kunci-rahasia-panjang")).expect("b");
        a.set("x", &key("1")).expect("set x");
        b.set("y", &key("2")).expect("set y");
        assert_eq!(a.get("y").expect("get").expect("y").expose_secret(), "2");
        assert_eq!(b.get("x").expect("get").expect("x").expose_secret(), "1");
    }
}
