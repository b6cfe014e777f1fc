//! What failed, how bad it is, and what the owner should do about it — in Indonesian and
//! English. Every failure the app handles (a scheduled job, a router command, a gateway
//! call, a WhatsApp send, the database, the disk, a backup) is classified here into a
//! category (seed §10: critical, high, medium, low) and a stable code; the words are made
//! from the code when they are shown, so they can be improved without touching stored rows.
//!
//! Categories, as the seed defines them:
//! - critical: the database, a router connection, payments, security;
//! - high: a WhatsApp session, authentication, a subscription (provisioning);
//! - medium: validation, rate limits, temporary service errors;
//! - low: missing data, warnings.
//!
//! Critical and high failures raise an alert (see `monitoring::alerts`).

use serde::Serialize;

use crate::Error;

/// How bad a failure is (seed §10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Critical,
    High,
    Medium,
    Low,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Critical => "critical",
            Category::High => "high",
            Category::Medium => "medium",
            Category::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Some(match s {
            "critical" => Category::Critical,
            "high" => Category::High,
            "medium" => Category::Medium,
            "low" => Category::Low,
            _ => return None,
        })
    }

    /// Whether the owner is alerted (dashboard, desktop, WhatsApp, live event).
    pub fn alerts(self) -> bool {
        matches!(self, Category::Critical | Category::High)
    }
}

/// A text in both languages of the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Words {
    /// Bahasa Indonesia (the default).
    pub id: String,
    pub en: String,
}

impl Words {
    fn new(id: impl Into<String>, en: impl Into<String>) -> Words {
        Words {
            id: id.into(),
            en: en.into(),
        }
    }
}

/// A classified failure: what the dashboard shows next to a failed job, command or message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Failure {
    /// Stable, machine-readable: `database_unavailable`, `router_unreachable`,
    /// `router_profile_missing`, … (see `docs/failures.md`).
    pub code: String,
    pub category: Category,
    /// What failed, in plain words.
    pub what: Words,
    /// What to do about it.
    pub todo: Words,
    /// The technical cause, as the part that failed reported it (English).
    pub detail: String,
}

/// A code with its category; the words come from [`explain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub category: Category,
}

const fn code(code: &'static str, category: Category) -> Code {
    Code { code, category }
}

pub const DATABASE_UNAVAILABLE: Code = code("database_unavailable", Category::Critical);
pub const DATABASE_ERROR: Code = code("database_error", Category::High);
pub const ROUTER_UNREACHABLE: Code = code("router_unreachable", Category::Critical);
pub const ROUTER_LOGIN_FAILED: Code = code("router_login_failed", Category::Critical);
pub const ROUTER_PERMISSION: Code = code("router_permission", Category::High);
pub const ROUTER_PROFILE_MISSING: Code = code("router_profile_missing", Category::High);
pub const ROUTER_NOT_ASSIGNED: Code = code("router_not_assigned", Category::High);
pub const ROUTER_SECRET_MISSING: Code = code("router_secret_missing", Category::High);
pub const ROUTER_REFUSED: Code = code("router_refused", Category::High);
pub const SECRET_UNREADABLE: Code = code("secret_unreadable", Category::Critical);
pub const GATEWAY_FAILED: Code = code("gateway_failed", Category::Critical);
pub const WHATSAPP_FAILED: Code = code("whatsapp_failed", Category::High);
pub const BACKUP_FAILED: Code = code("backup_failed", Category::Critical);
pub const DISK_FULL: Code = code("disk_full", Category::Critical);
pub const INVALID_DATA: Code = code("invalid_data", Category::Medium);
pub const BUSY: Code = code("busy", Category::Low);
pub const UNEXPECTED: Code = code("unexpected", Category::High);

/// Every code, for the documentation test and the dashboard's legend.
pub const CODES: &[Code] = &[
    DATABASE_UNAVAILABLE,
    DATABASE_ERROR,
    ROUTER_UNREACHABLE,
    ROUTER_LOGIN_FAILED,
    ROUTER_PERMISSION,
    ROUTER_PROFILE_MISSING,
    ROUTER_NOT_ASSIGNED,
    ROUTER_SECRET_MISSING,
    ROUTER_REFUSED,
    SECRET_UNREADABLE,
    GATEWAY_FAILED,
    WHATSAPP_FAILED,
    BACKUP_FAILED,
    DISK_FULL,
    INVALID_DATA,
    BUSY,
    UNEXPECTED,
];

/// The code of a stored code name (unknown names read as `unexpected`).
pub fn lookup(name: &str) -> Code {
    CODES
        .iter()
        .copied()
        .find(|c| c.code == name)
        .unwrap_or(UNEXPECTED)
}

/// Whether retrying the same thing later can succeed without someone changing something.
/// Router commands that failed for a permanent reason stop retrying and wait for "Coba lagi".
pub fn is_permanent(code: Code) -> bool {
    [
        ROUTER_PROFILE_MISSING,
        ROUTER_NOT_ASSIGNED,
        ROUTER_SECRET_MISSING,
        SECRET_UNREADABLE,
        INVALID_DATA,
    ]
    .contains(&code)
}

/// The technical text of an error with its causes (`{:#}`), never just the outermost
/// context ("database query failed" says nothing).
pub fn detail_of(err: &Error) -> String {
    match err {
        Error::Unexpected(e) => format!("{e:#}"),
        other => other.to_string(),
    }
}

/// Classifies a use-case error, e.g. the one a scheduled job ended with.
pub fn classify(err: &Error) -> Code {
    match err {
        Error::Unexpected(e) => {
            if let Some(db) = e.downcast_ref::<sqlx::Error>() {
                return classify_database(db);
            }
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                return classify_io(io);
            }
            classify_text(&format!("{e:#}"))
        }
        Error::Router(message) => classify_router(message),
        Error::Validation { .. } | Error::NotFound(_) => INVALID_DATA,
        Error::Conflict { .. } | Error::TooManyAttempts { .. } => BUSY,
        Error::Failed(message) => classify_text(message),
        Error::Unauthorized(_) | Error::Forbidden(_) => UNEXPECTED,
    }
}

fn classify_database(err: &sqlx::Error) -> Code {
    match err {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => DATABASE_UNAVAILABLE,
        sqlx::Error::Database(db) => match db.code().as_deref() {
            // disk_full, insufficient_resources
            Some("53100") | Some("53000") => DISK_FULL,
            // admin_shutdown, crash_shutdown, cannot_connect_now
            Some("57P01") | Some("57P02") | Some("57P03") => DATABASE_UNAVAILABLE,
            _ => DATABASE_ERROR,
        },
        _ => DATABASE_ERROR,
    }
}

fn classify_io(err: &std::io::Error) -> Code {
    // ENOSPC has no stable ErrorKind on every toolchain; its text is stable.
    if err.raw_os_error() == Some(28) || err.to_string().contains("No space left") {
        DISK_FULL
    } else {
        UNEXPECTED
    }
}

/// Classifies what a router command or a router call reported (the adapter's words,
/// `billing-router/src/words.rs`, and RouterOS's own trap messages).
pub fn classify_router(message: &str) -> Code {
    let m = message.to_ascii_lowercase();
    if m.contains("input does not match any value of profile")
        || m.contains("profile") && m.contains("does not exist")
    {
        ROUTER_PROFILE_MISSING
    } else if m.contains("no router is assigned") {
        ROUTER_NOT_ASSIGNED
    } else if m.contains("password is missing") || m.contains("router was not found") {
        ROUTER_SECRET_MISSING
    } else if m.contains("cannot decrypt") {
        SECRET_UNREADABLE
    } else if m.contains("not enough permissions") || m.contains("permission") {
        ROUTER_PERMISSION
    } else if m.contains("invalid user name or password")
        || m.contains("cannot log in")
        || m.contains("login failed")
        || m.contains("wrong password")
    {
        ROUTER_LOGIN_FAILED
    } else if m.contains("unreachable")
        || m.contains("timed out")
        || m.contains("timeout")
        || m.contains("connection refused")
        || m.contains("could not connect")
        || m.contains("not answer")
        || m.contains("connection reset")
        || m.contains("broken pipe")
        || m.contains("offline")
        || m.contains("closed")
    {
        ROUTER_UNREACHABLE
    } else {
        ROUTER_REFUSED
    }
}

fn classify_text(message: &str) -> Code {
    let m = message.to_ascii_lowercase();
    if m.contains("no space left") || m.contains("disk") && m.contains("full") {
        DISK_FULL
    } else if m.contains("backup") || m.contains("pg_dump") || m.contains("pg_restore") {
        BACKUP_FAILED
    } else if m.contains("router") {
        classify_router(message)
    } else if m.contains("gateway") || m.contains("duitku") || m.contains("tripay") {
        GATEWAY_FAILED
    } else if m.contains("whatsapp") {
        WHATSAPP_FAILED
    } else if m.contains("database") || m.contains("pool timed out") {
        DATABASE_ERROR
    } else {
        UNEXPECTED
    }
}

/// The failure of `err` in words, for `subject` (e.g. "penagihan" / the job's or router's
/// name; empty when it adds nothing).
pub fn of_error(err: &Error, subject: &str) -> Failure {
    explain(classify(err), subject, &detail_of(err))
}

/// The words for a code, about `subject`, with the technical `detail`.
pub fn explain(code: Code, subject: &str, detail: &str) -> Failure {
    let of = |id: &str, en: &str| {
        if subject.is_empty() {
            Words::new(id, en)
        } else {
            Words::new(format!("{id} ({subject})"), format!("{en} ({subject})"))
        }
    };
    let (what, todo) = match code.code {
        "database_unavailable" => (
            of("Database tidak dapat dihubungi", "The database cannot be reached"),
            Words::new(
                "Periksa bahwa komputer toko menyala dan database berjalan (Kesehatan sistem → Database). Pekerjaan akan dicoba lagi otomatis.",
                "Check that the shop PC is on and the database is running (System health → Database). The work is retried automatically.",
            ),
        ),
        "database_error" => (
            of("Perintah ke database gagal", "A database operation failed"),
            Words::new(
                "Jalankan lagi dari Tugas terjadwal. Jika gagal lagi, kirim rincian di bawah ini ke dukungan mikrobill.",
                "Run it again from Scheduled jobs. If it fails again, send the details below to mikrobill support.",
            ),
        ),
        "router_unreachable" => (
            of("Router tidak dapat dihubungi", "The router cannot be reached"),
            Words::new(
                "Periksa listrik dan kabel router, serta alamat dan port API di halaman Router. Perintah tetap di antrean dan dikirim saat router kembali.",
                "Check the router's power and cable, and the API address and port on the Router page. Commands stay queued and are sent when it is back.",
            ),
        ),
        "router_login_failed" => (
            of("Router menolak login aplikasi", "The router refused the app's login"),
            Words::new(
                "Perbarui nama pengguna dan kata sandi API di halaman Router, lalu tekan Tes koneksi.",
                "Update the API user name and password on the Router page, then press Test connection.",
            ),
        ),
        "router_permission" => (
            of("Pengguna API router tidak punya hak menulis", "The router's API user may not write"),
            Words::new(
                "Beri pengguna API grup dengan hak write (di router: /user set <nama> group=full), lalu Tes koneksi.",
                "Give the API user a group with write rights (on the router: /user set <name> group=full), then Test connection.",
            ),
        ),
        "router_profile_missing" => (
            of("Profil paket tidak ada di router", "The plan's profile does not exist on the router"),
            Words::new(
                "Buat profil itu di router (PPP → Profiles atau Hotspot → User Profiles) atau ubah \"Profil router\" paket, lalu tekan Coba lagi.",
                "Create that profile on the router (PPP → Profiles or Hotspot → User Profiles) or change the plan's \"Router profile\", then press Retry.",
            ),
        ),
        "router_not_assigned" => (
            of("Langganan belum punya router", "The subscription has no router"),
            Words::new(
                "Pilih router untuk langganan ini (Ubah langganan), lalu tekan Coba lagi.",
                "Choose a router for this subscription (Edit subscription), then press Retry.",
            ),
        ),
        "router_secret_missing" => (
            of("Kata sandi router tidak ada di komputer ini", "The router's password is not on this PC"),
            Words::new(
                "Masukkan lagi kata sandi API router di halaman Router, lalu tekan Coba lagi.",
                "Enter the router's API password again on the Router page, then press Retry.",
            ),
        ),
        "router_refused" => (
            of("Router menolak perintah", "The router refused the command"),
            Words::new(
                "Baca rincian di bawah (pesan dari router), perbaiki di router atau di aplikasi, lalu tekan Coba lagi.",
                "Read the details below (the router's message), fix it on the router or in the app, then press Retry.",
            ),
        ),
        "secret_unreadable" => (
            of("Data rahasia tidak dapat dibuka di komputer ini", "Secret data cannot be opened on this PC"),
            Words::new(
                "Kunci data di keyring komputer ini berbeda dari yang dipakai saat data dibuat. Jalankan aplikasi di komputer asal atau pulihkan keyring-nya.",
                "The data key in this PC's keyring differs from the one the data was made with. Run the app on the original PC or restore its keyring.",
            ),
        ),
        "gateway_failed" => (
            of("Gateway pembayaran gagal dihubungi", "The payment gateway call failed"),
            Words::new(
                "Periksa koneksi internet dan kunci gateway di Pengaturan → Pembayaran online. Pembayaran tertunda dicek lagi tiap 5 menit.",
                "Check the internet connection and the gateway keys under Settings → Online payments. Pending payments are checked again every 5 minutes.",
            ),
        ),
        "whatsapp_failed" => (
            of("Pengiriman WhatsApp gagal", "Sending on WhatsApp failed"),
            Words::new(
                "Periksa sesi WhatsApp (halaman WhatsApp); pesan menunggu dan dikirim lewat sesi lain atau saat sesi pulih.",
                "Check the WhatsApp sessions (WhatsApp page); messages wait and go out through another session or when it recovers.",
            ),
        ),
        "backup_failed" => (
            of("Pencadangan gagal", "The backup failed"),
            Words::new(
                "Periksa ruang disk dan folder cadangan (Cadangan), lalu tekan Buat cadangan sekarang.",
                "Check the disk space and the backup folder (Backups), then press Back up now.",
            ),
        ),
        "disk_full" => (
            of("Disk penuh", "The disk is full"),
            Words::new(
                "Kosongkan ruang di disk folder data (hapus cadangan lama atau pindahkan ke USB). Data tidak dapat disimpan sampai ada ruang.",
                "Free space on the data folder's disk (remove old backups or move them to USB). Data cannot be saved until there is room.",
            ),
        ),
        "invalid_data" => (
            of("Data tidak lengkap atau tidak valid", "Data is missing or invalid"),
            Words::new(
                "Baca rincian di bawah, lengkapi datanya, lalu jalankan lagi.",
                "Read the details below, complete the data, then run it again.",
            ),
        ),
        "busy" => (
            of("Sedang dikerjakan", "Already in progress"),
            Words::new(
                "Tunggu sampai selesai; tidak perlu tindakan.",
                "Wait until it is done; nothing to do.",
            ),
        ),
        _ => (
            of("Terjadi kesalahan tak terduga", "An unexpected error happened"),
            Words::new(
                "Jalankan lagi. Jika terulang, kirim rincian di bawah dan log aplikasi (Pengaturan → folder log) ke dukungan mikrobill.",
                "Run it again. If it happens again, send the details below and the application log (Settings → log folder) to mikrobill support.",
            ),
        ),
    };
    Failure {
        code: code.code.to_owned(),
        category: code.category,
        what,
        todo,
        detail: detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn router_messages_are_classified_by_what_the_owner_must_do() {
        for (message, expected) in [
            (
                "router Kantor: input does not match any value of profile",
                ROUTER_PROFILE_MISSING,
            ),
            (
                "no router is assigned to this subscription; assign one",
                ROUTER_NOT_ASSIGNED,
            ),
            (
                "the subscription's router was not found (or its password is missing)",
                ROUTER_SECRET_MISSING,
            ),
            (
                "cannot decrypt the login password: aead::Error",
                SECRET_UNREADABLE,
            ),
            (
                "router Kantor Pusat (127.0.0.1:8728) is unreachable: connection refused",
                ROUTER_UNREACHABLE,
            ),
            (
                "router Kantor: not enough permissions (9)",
                ROUTER_PERMISSION,
            ),
            (
                "router Kantor: failure: already have such name",
                ROUTER_REFUSED,
            ),
        ] {
            assert_eq!(classify_router(message), expected, "{message}");
        }
    }

    #[test]
    fn a_database_error_says_its_cause_not_only_that_a_query_failed() {
        let err = Error::from(sqlx::Error::Protocol("update or delete violates fk".into()));
        assert!(
            detail_of(&err).contains("violates fk"),
            "{}",
            detail_of(&err)
        );
        assert_eq!(classify(&err), DATABASE_ERROR);
        assert_eq!(
            classify(&Error::from(sqlx::Error::PoolTimedOut)),
            DATABASE_UNAVAILABLE
        );
    }

    #[test]
    fn every_code_has_its_own_words_in_both_languages() {
        let mut seen = std::collections::HashSet::new();
        for c in CODES {
            let f = explain(*c, "", "");
            assert!(!f.what.id.is_empty() && !f.what.en.is_empty(), "{}", c.code);
            assert_ne!(f.what.id, f.what.en, "{} is not translated", c.code);
            assert!(
                seen.insert(f.what.en.clone()),
                "{} shares its words",
                c.code
            );
            assert_eq!(lookup(c.code), *c);
        }
    }
}
