//! Dashboard users: validated names and passwords, roles.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub Uuid);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// A login name: 3–32 characters of `a-z`, `0-9`, `.`, `_`, `-`; stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim().to_ascii_lowercase();
        let len = name.chars().count();
        if !(3..=32).contains(&len) {
            return Err(ValidationError::new(
                "username",
                "username must be 3 to 32 characters long",
            ));
        }
        if let Some(bad) = name.chars().find(|c| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        }) {
            return Err(ValidationError::new(
                "username",
                format!("username may only contain a-z, 0-9, '.', '_' and '-' (found {bad:?})"),
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password as typed by a person. Never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let len = raw.chars().count();
        if len < Self::MIN_CHARS {
            return Err(ValidationError::new(
                "password",
                format!(
                    "password must be at least {} characters long",
                    Self::MIN_CHARS
                ),
            ));
        }
        if len > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "password",
                format!(
                    "password must be at most {} characters long",
                    Self::MAX_CHARS
                ),
            ));
        }
        if raw.trim().is_empty() {
            return Err(ValidationError::new(
                "password",
                "password must not be only spaces",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including owner accounts, gateway keys and restoring backups.
    Owner,
    /// Everything except what only the owner may do.
    Admin,
    /// Customers, invoices, payments, receipts, selling and printing vouchers.
    Cashier,
    /// Routers, PPPoE, monitoring and the router side of vouchers; no money.
    Technician,
    /// Sells vouchers from their own stock; sees nothing else.
    Reseller,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Admin,
        Role::Cashier,
        Role::Technician,
        Role::Reseller,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Cashier => "cashier",
            Role::Technician => "technician",
            Role::Reseller => "reseller",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// Staff work in the dashboard; resellers only have their own pages.
    pub fn is_staff(self) -> bool {
        self != Role::Reseller
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("admin", "admin")]
    #[case("  Budi.Santoso ", "budi.santoso")]
    #[case("op_1-x", "op_1-x")]
    fn valid_usernames_are_normalised(#[case] raw: &str, #[case] expected: &str) {
        assert_eq!(Username::parse(raw).expect("valid").as_str(), expected);
    }

    #[rstest]
    #[case("ab")]
    #[case("")]
    #[case("budi santoso")]
    #[case("budi@rtrw")]
    #[case("a234567890123456789012345678901234")]
    fn invalid_usernames_name_the_field(#[case] raw: &str) {
        let err = Username::parse(raw).expect_err("invalid");
        assert_eq!(err.field, "username");
    }

    #[test]
    fn short_password_is_rejected_and_never_printed() {
        let err = Password::parse("pendek").expect_err("too short");
        assert_eq!(err.field, "password");
        let ok = Password::parse("rahasia-sekali-123").expect("long enough");
        assert!(!format!("{ok:?}").contains("rahasia"));
    }
}
