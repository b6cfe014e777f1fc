//! The signed-in account a request acts for, as the access token and the database agree on it.

use billing_domain::{Role, UserId};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    /// The user's token version (checked against the database on every request).
    pub token_version: i32,
    /// The login session this access token belongs to.
    pub session: Option<Uuid>,
}
