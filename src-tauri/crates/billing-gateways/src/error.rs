//! The adapter-layer error. Display never contains keys, signatures or raw secrets.

/// What went wrong talking to (or hearing from) a payment gateway.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// Network failure, timeout or a 5xx from the gateway: retry later.
    #[error("gateway unreachable: {0}")]
    Http(String),
    /// The gateway answered something we could not understand.
    #[error("cannot decode gateway data: {0}")]
    Decode(String),
    /// The gateway understood the request and said no (4xx, or an error code in the body).
    #[error("gateway rejected the request ({code}): {message}")]
    Rejected { code: String, message: String },
    /// A callback whose authenticity could not be proven. Record nothing.
    #[error("callback authenticity check failed: {0}")]
    Signature(String),
    /// The gateway reported a different amount than the one we asked for.
    #[error("amount mismatch: expected {expected}, gateway said {actual}")]
    AmountMismatch { expected: i64, actual: i64 },
    /// The operation does not exist for this gateway (or needs data we do not have).
    #[error("not supported: {0}")]
    NotSupported(&'static str),
    /// Bad configuration (base URL, keys, client construction).
    #[error("gateway configuration: {0}")]
    Config(String),
}

impl GatewayError {
    /// True for transport problems where the same request may succeed later.
    pub fn is_retryable(&self) -> bool {
        matches!(self, GatewayError::Http(_))
    }

    /// A stable machine-readable kind, for logs and API error mapping.
    pub fn kind(&self) -> &'static str {
        match self {
            GatewayError::Http(_) => "http",
            GatewayError::Decode(_) => "decode",
            GatewayError::Rejected { .. } => "rejected",
            GatewayError::Signature(_) => "signature",
            GatewayError::AmountMismatch { .. } => "amount_mismatch",
            GatewayError::NotSupported(_) => "not_supported",
            GatewayError::Config(_) => "config",
        }
    }
}

impl From<reqwest::Error> for GatewayError {
    fn from(err: reqwest::Error) -> Self {
        // `without_url` keeps query strings (references) out of logs and messages.
        let err = err.without_url();
        if err.is_decode() {
            GatewayError::Decode(err.to_string())
        } else if err.is_builder() {
            GatewayError::Config(err.to_string())
        } else {
            GatewayError::Http(err.to_string())
        }
    }
}
