//! The one error type every command returns. It reaches the UI as `{ code, message, field? }`.
use serde::Serialize;
use switchyard_engine::{EngineError, ErrorCode};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppError {
    /// Stable and machine-readable: the UI branches on it.
    pub code: ErrorCode,
    /// Plain words that say what to fix. Never contains a secret.
    pub message: String,
    /// The input field at fault, for inline messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

impl From<EngineError> for AppError {
    fn from(e: EngineError) -> Self {
        let field = e.field().map(str::to_string).or_else(|| match &e {
            EngineError::Conflict(_) => Some("name".to_string()),
            _ => None,
        });
        Self {
            code: e.code(),
            message: e.to_string(),
            field,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
