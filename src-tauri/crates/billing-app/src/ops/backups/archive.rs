//! The backup file: a gzip-compressed tar with `manifest.json` (what is inside, with the
//! SHA-256 of every member and the census of the source), `settings.json` (the app's
//! settings without secrets) and `database.dump` (pg_dump, custom format). Any archiver can
//! open it. The SHA-256 of the whole file is recorded in the database and in `<file>.sha256`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::census::Census;

pub const FORMAT: &str = "mikrobill-backup";
pub const FORMAT_VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
pub const SETTINGS: &str = "settings.json";
pub const DUMP: &str = "database.dump";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub backup_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub app_version: String,
    pub database: DumpInfo,
    pub files: Vec<Member>,
    pub census: Census,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DumpInfo {
    /// The database that was dumped.
    pub name: String,
    pub server_version: String,
    pub server_version_num: i32,
    /// Version of the pg_dump that wrote `database.dump` (pg_restore must be as new).
    pub pg_dump_version: String,
    pub pg_dump_major: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// Why a backup file cannot be used, in words.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("the file is damaged or not a mikrobill backup ({0})")]
    Unreadable(String),
    #[error("the file is not a mikrobill backup: {0}")]
    NotABackup(String),
    #[error("{0} inside the backup is damaged: its checksum does not match the manifest")]
    MemberChecksum(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Writes a hash of everything that passes through.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    written: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// SHA-256 (hex) and size of a file.
pub fn file_sha256(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Writes the archive to `dest` (created new); returns its size and SHA-256.
pub fn write(
    dest: &Path,
    manifest: &Manifest,
    settings: &[u8],
    dump: &Path,
) -> std::io::Result<(u64, String)> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)?;
    let hashing = HashingWriter {
        inner: std::io::BufWriter::new(file),
        hasher: Sha256::new(),
        written: 0,
    };
    let gz = flate2::write::GzEncoder::new(hashing, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    let mtime = u64::try_from(manifest.created_at.timestamp()).unwrap_or(0);
    let manifest_json = serde_json::to_vec_pretty(manifest).map_err(std::io::Error::other)?;
    append(
        &mut tar,
        MANIFEST,
        mtime,
        manifest_json.len() as u64,
        &manifest_json[..],
    )?;
    append(&mut tar, SETTINGS, mtime, settings.len() as u64, settings)?;
    let dump_file = std::fs::File::open(dump)?;
    let dump_len = dump_file.metadata()?.len();
    append(&mut tar, DUMP, mtime, dump_len, dump_file)?;
    let gz = tar.into_inner()?;
    let mut hashing = gz.finish()?;
    hashing.flush()?;
    let file = hashing
        .inner
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    file.sync_all()?;
    Ok((hashing.written, hex::encode(hashing.hasher.finalize())))
}

fn append<W: Write, R: Read>(
    tar: &mut tar::Builder<W>,
    name: &str,
    mtime: u64,
    size: u64,
    data: R,
) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_mtime(mtime);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    tar.append_data(&mut header, name, data)
}

/// What [`extract`] found: the manifest, the settings and the dump written into `into`.
#[derive(Debug)]
pub struct Extracted {
    pub manifest: Manifest,
    pub settings: serde_json::Value,
    pub dump: PathBuf,
}

/// Reads only the manifest (the first member).
pub fn read_manifest(archive: &Path) -> Result<Manifest, ArchiveError> {
    let file = std::fs::File::open(archive)?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)));
    let mut entries = tar.entries().map_err(unreadable)?;
    let mut first = entries
        .next()
        .ok_or_else(|| ArchiveError::NotABackup("it is empty".into()))?
        .map_err(unreadable)?;
    if first.path().map_err(unreadable)?.to_string_lossy() != MANIFEST {
        return Err(ArchiveError::NotABackup(
            "it does not start with manifest.json".into(),
        ));
    }
    parse_manifest(&mut first)
}

fn parse_manifest(reader: &mut impl Read) -> Result<Manifest, ArchiveError> {
    let mut text = Vec::new();
    reader.read_to_end(&mut text).map_err(unreadable)?;
    let manifest: Manifest = serde_json::from_slice(&text)
        .map_err(|e| ArchiveError::NotABackup(format!("manifest.json: {e}")))?;
    if manifest.format != FORMAT || manifest.format_version > FORMAT_VERSION {
        return Err(ArchiveError::NotABackup(format!(
            "format {} version {} (this app reads {FORMAT} up to version {FORMAT_VERSION})",
            manifest.format, manifest.format_version
        )));
    }
    Ok(manifest)
}

/// Unpacks the settings and the dump into `into`, checking each member's SHA-256 against
/// the manifest.
pub fn extract(archive: &Path, into: &Path) -> Result<Extracted, ArchiveError> {
    let file = std::fs::File::open(archive)?;
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)));
    let mut manifest: Option<Manifest> = None;
    let mut settings = None;
    let mut dump = None;
    for entry in tar.entries().map_err(unreadable)? {
        let mut entry = entry.map_err(unreadable)?;
        let name = entry
            .path()
            .map_err(unreadable)?
            .to_string_lossy()
            .into_owned();
        if name == MANIFEST {
            manifest = Some(parse_manifest(&mut entry)?);
            continue;
        }
        let Some(m) = &manifest else {
            return Err(ArchiveError::NotABackup(
                "it does not start with manifest.json".into(),
            ));
        };
        let Some(expected) = m.files.iter().find(|f| f.name == name).cloned() else {
            continue;
        };
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 1 << 16];
        let mut sink: Box<dyn Write> = if name == DUMP {
            let path = into.join(DUMP);
            let out = std::fs::File::create(&path)?;
            dump = Some(path);
            Box::new(std::io::BufWriter::new(out))
        } else {
            Box::new(Vec::new())
        };
        let mut kept = Vec::new();
        loop {
            let n = entry.read(&mut buf).map_err(unreadable)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            size += n as u64;
            if name == SETTINGS {
                kept.extend_from_slice(&buf[..n]);
            } else {
                sink.write_all(&buf[..n])?;
            }
        }
        sink.flush()?;
        if size != expected.size || hex::encode(hasher.finalize()) != expected.sha256 {
            return Err(ArchiveError::MemberChecksum(name));
        }
        if name == SETTINGS {
            settings = Some(
                serde_json::from_slice(&kept)
                    .map_err(|e| ArchiveError::NotABackup(format!("settings.json: {e}")))?,
            );
        }
    }
    let manifest =
        manifest.ok_or_else(|| ArchiveError::NotABackup("there is no manifest.json".into()))?;
    for member in &manifest.files {
        let present = match member.name.as_str() {
            DUMP => dump.is_some(),
            SETTINGS => settings.is_some(),
            _ => true,
        };
        if !present {
            return Err(ArchiveError::Unreadable(format!(
                "{} is missing",
                member.name
            )));
        }
    }
    Ok(Extracted {
        manifest,
        settings: settings.unwrap_or(serde_json::Value::Null),
        dump: dump.ok_or_else(|| ArchiveError::NotABackup("there is no database.dump".into()))?,
    })
}

fn unreadable(e: std::io::Error) -> ArchiveError {
    ArchiveError::Unreadable(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(dump: &[u8], settings: &[u8]) -> Manifest {
        let member = |name: &str, data: &[u8]| Member {
            name: name.into(),
            size: data.len() as u64,
            sha256: hex::encode(Sha256::digest(data)),
        };
        Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            backup_id: Uuid::nil(),
            created_at: DateTime::<Utc>::from_timestamp(1_795_000_000, 0).expect("time"),
            app_version: "0.1.0".into(),
            database: DumpInfo {
                name: "mikrobill".into(),
                server_version: "15.18".into(),
                server_version_num: 150_018,
                pg_dump_version: "15.18".into(),
                pg_dump_major: 15,
            },
            files: vec![member(SETTINGS, settings), member(DUMP, dump)],
            census: Census::default(),
        }
    }

    fn write_sample(dir: &Path, dump: &[u8]) -> PathBuf {
        let dump_path = dir.join("in.dump");
        std::fs::write(&dump_path, dump).expect("write dump");
        let settings = br#"{"business":{"timezone":"Asia/Jakarta"}}"#;
        let dest = dir.join("backup.tar.gz");
        let (size, sha) =
            write(&dest, &manifest(dump, settings), settings, &dump_path).expect("write");
        assert_eq!(file_sha256(&dest).expect("sha"), (sha, size));
        dest
    }

    #[test]
    fn an_archive_round_trips_with_checked_members() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dump = b"PGDMP fake dump bytes".repeat(1000);
        let dest = write_sample(dir.path(), &dump);
        assert_eq!(
            read_manifest(&dest).expect("manifest").database.name,
            "mikrobill"
        );
        let out = dir.path().join("out");
        std::fs::create_dir(&out).expect("mkdir");
        let extracted = extract(&dest, &out).expect("extract");
        assert_eq!(std::fs::read(extracted.dump).expect("read"), dump);
        assert_eq!(extracted.settings["business"]["timezone"], "Asia/Jakarta");
    }

    #[test]
    fn a_damaged_archive_is_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dest = write_sample(dir.path(), &b"PGDMP fake dump bytes".repeat(1000));
        let mut bytes = std::fs::read(&dest).expect("read");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x55;
        std::fs::write(&dest, &bytes).expect("write");
        let out = dir.path().join("out");
        std::fs::create_dir(&out).expect("mkdir");
        let err = extract(&dest, &out).expect_err("damaged");
        // Depending on where the byte lands: a broken stream, a broken manifest, or a member
        // whose checksum no longer matches. Never silently accepted.
        assert!(
            matches!(
                err,
                ArchiveError::Unreadable(_)
                    | ArchiveError::MemberChecksum(_)
                    | ArchiveError::NotABackup(_)
            ),
            "{err:?}"
        );

        std::fs::write(&dest, b"not a backup at all").expect("write");
        let err = read_manifest(&dest).expect_err("garbage");
        assert!(
            err.to_string()
                .contains("damaged or not a mikrobill backup"),
            "{err}"
        );
    }
}
