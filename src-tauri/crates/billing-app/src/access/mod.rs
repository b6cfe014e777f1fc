//! Who may do what: accounts and their rows, login, sessions (refresh tokens), second
//! factor, staff users, the audit trail and the security log.

pub mod access_log;
pub mod accounts;
pub mod audit;
pub mod auth;
pub mod current_user;
pub mod login_attempts;
pub mod password;
pub mod refresh_tokens;
pub mod security;
pub mod totp;
pub mod users;
