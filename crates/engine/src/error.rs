//! Errors the engine reports. Every error that leaves the engine (over IPC, in `--json`, in a
//! stored reply) carries one [`ErrorCode`]; the UI switches on it exhaustively, so a new code
//! does not type-check until it has a message.
use serde::{Deserialize, Serialize};
use thiserror::Error;
use ts_rs::TS;

/// Every machine-readable error code, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    // Input and state.
    InvalidInput,
    NotFound,
    Conflict,
    KeychainUnavailable,
    Database,
    Io,
    /// The saved rules or a rule file cannot be used.
    InvalidRules,
    /// The router could not decide (no messages, no enabled model, nothing fits).
    RouteFailed,
    // Connecting to a provider.
    InvalidConfig,
    BadUrl,
    /// The host could not be reached (refused, DNS, TLS).
    Unreachable,
    KeyMissing,
    ProviderError,
    // One call to a provider.
    RateLimited,
    Overloaded,
    ServerError,
    AuthFailed,
    ContextLength,
    BadRequest,
    ConnectFailed,
    Timeout,
    ConnectionLost,
    Malformed,
    Truncated,
    /// One SSE line or event was longer than the limit (`limits.max_line_bytes`).
    LineTooLong,
    /// The reply grew past the limit (`limits.max_reply_bytes`); the text so far is kept.
    ReplyTooLarge,
    /// The provider redirected to another host; the key is never sent there.
    CrossOriginRedirect,
    // Carrying out a chain.
    /// No model of the chain could be called (no provider, no key, all paused).
    NoUsableProvider,
    /// Skipped: the provider refused its key earlier in this request.
    KeyFailing,
    /// Skipped: the prompt overflowed a window at least as large.
    ContextTooSmall,
    /// Skipped: the model or provider failed repeatedly and is paused.
    CircuitOpen,
    /// Skipped: the model's provider is missing, disabled or has no key.
    Unavailable,
    /// A budget is used up and blocks requests.
    BudgetExceeded,
    /// A budget is used up and sends requests to a cheaper model instead.
    BudgetDowngraded,
    BudgetUnavailable,
    /// The user (or a signal) stopped the reply.
    Stopped,
    /// The process ended while the call was in flight; settled on the next start.
    Interrupted,
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = serde_json::to_value(self).map_err(|_| std::fmt::Error)?;
        f.write_str(v.as_str().unwrap_or("unknown"))
    }
}

/// Codes compare with their wire names, so a test or a caller can say `code == "timeout"`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        serde_json::to_value(self).is_ok_and(|v| v == *other)
    }
}

/// A code and the words that say what to do about it: the shape of every error a reply, a hop
/// or a preview carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErrorInfo {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorInfo {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

#[derive(Debug, Error)]
pub enum EngineError {
    #[error("{message}")]
    Invalid { field: String, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("The system keychain is unavailable: {0}")]
    KeychainUnavailable(String),
    #[error("Database error: {0}")]
    Database(String),
    #[error("{message}")]
    Coded { code: ErrorCode, message: String },
}

impl EngineError {
    pub fn coded(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::Coded {
            code,
            message: message.into(),
        }
    }

    /// A stable, machine-readable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Invalid { .. } => ErrorCode::InvalidInput,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::KeychainUnavailable(_) => ErrorCode::KeychainUnavailable,
            Self::Database(_) => ErrorCode::Database,
            Self::Coded { code, .. } => *code,
        }
    }

    /// The input field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    pub fn info(&self) -> ErrorInfo {
        ErrorInfo::new(self.code(), self.to_string())
    }
}

impl From<sqlx::Error> for EngineError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e.to_string())
    }
}

impl From<rusqlite::Error> for EngineError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Database(e.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for EngineError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Database(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_snake_case_names() {
        assert_eq!(ErrorCode::BudgetDowngraded.to_string(), "budget_downgraded");
        let back: ErrorCode = serde_json::from_str("\"circuit_open\"").unwrap();
        assert_eq!(back, ErrorCode::CircuitOpen);
    }
}
