//! Database access: the embedded migrator and plain async query functions over a
//! `PgConnection`, so the use-case that owns the transaction decides its boundary.

pub mod login_attempts;
pub mod refresh_tokens;
pub mod users;

pub use sqlx::{PgConnection, PgPool, Postgres, Transaction};

/// All migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../../migrations");

/// Is this error the violation of the named constraint?
pub fn is_constraint_violation(err: &sqlx::Error, constraint: &str) -> bool {
    match err {
        sqlx::Error::Database(db) => db.constraint() == Some(constraint),
        _ => false,
    }
}
