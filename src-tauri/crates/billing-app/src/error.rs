use billing_domain::ValidationError;

/// What a use-case can fail with, in the language of the business.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("{field}: {message}")]
    Validation {
        field: &'static str,
        message: String,
    },
    #[error("{message}")]
    Conflict {
        field: Option<&'static str>,
        message: String,
    },
    #[error("{0}")]
    Unauthorized(String),
    /// Logged in, but this account may not do that.
    #[error("{0}")]
    Forbidden(String),
    /// A router could not be reached or refused the request; the message says what to do.
    #[error("{0}")]
    Router(String),
    #[error(
        "too many failed login attempts from this address; try again in {retry_after_secs} seconds"
    )]
    TooManyAttempts { retry_after_secs: i64 },
    /// An operation (a backup, a restore) could not be completed; the message says why and
    /// what to do, and is shown as it is.
    #[error("{0}")]
    Failed(String),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl Error {
    pub fn validation(field: &'static str, message: impl Into<String>) -> Error {
        Error::Validation {
            field,
            message: message.into(),
        }
    }

    /// Checks one money input against [`billing_domain::money::MAX_INPUT`] and its sign;
    /// refused as a validation error naming `field`.
    pub fn money(
        field: &'static str,
        amount: i64,
        sign: billing_domain::money::InputSign,
    ) -> Result<i64, Error> {
        billing_domain::money::check_input(amount, sign)
            .map(billing_domain::Money::minor)
            .map_err(|e| Error::validation(field, e.to_string()))
    }

    pub fn conflict(message: impl Into<String>) -> Error {
        Error::Conflict {
            field: None,
            message: message.into(),
        }
    }

    pub fn conflict_on(field: &'static str, message: impl Into<String>) -> Error {
        Error::Conflict {
            field: Some(field),
            message: message.into(),
        }
    }
}

impl From<ValidationError> for Error {
    fn from(err: ValidationError) -> Self {
        Error::Validation {
            field: err.field,
            message: err.message,
        }
    }
}

impl From<crate::ports::SecretsPortError> for Error {
    fn from(err: crate::ports::SecretsPortError) -> Self {
        Error::Unexpected(anyhow::Error::new(err))
    }
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        Error::Unexpected(anyhow::Error::new(err).context("database query failed"))
    }
}

/// Is this error the violation of the named constraint?
pub(crate) fn is_constraint_violation(err: &sqlx::Error, constraint: &str) -> bool {
    match err {
        sqlx::Error::Database(db) => db.constraint() == Some(constraint),
        _ => false,
    }
}
