//! The schema: every migration in `migrations/`, embedded in the binary. Queries do not live
//! here; each use-case's SQL sits beside it in `billing-app` (see `ARCHITECTURE.md`).

/// All migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../../migrations");
