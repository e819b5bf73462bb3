//! Errors the engine reports. Each has a stable code the UI and CLI branch on.
use thiserror::Error;

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
    Connection { code: &'static str, message: String },
}

impl EngineError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Invalid { .. } => "invalid_input",
            Self::NotFound(_) => "not_found",
            Self::Conflict(_) => "conflict",
            Self::KeychainUnavailable(_) => "keychain_unavailable",
            Self::Database(_) => "database",
            Self::Connection { code, .. } => code,
        }
    }

    /// The input field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for EngineError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for EngineError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Database(e.to_string())
    }
}
