//! The router's errors. Each has a stable code the UI and CLI branch on.
use thiserror::Error;

use crate::validate::Issue;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RouteError {
    #[error("the conversation has no messages")]
    EmptyConversation,
    #[error("no model in the catalog is enabled")]
    NoEnabledModel,
    #[error("no enabled model has a context window for a prompt of about {prompt_tokens} tokens")]
    NoModelFits { prompt_tokens: u32 },
}

impl RouteError {
    pub fn code(&self) -> &'static str {
        match self {
            RouteError::EmptyConversation => "empty_conversation",
            RouteError::NoEnabledModel => "no_enabled_model",
            RouteError::NoModelFits { .. } => "no_model_fits",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    /// The file is not TOML (or JSON), or does not have the rule file's shape.
    #[error("not a valid rule file: {0}")]
    Parse(String),
    /// The file parsed, but rules or catalog are inconsistent; every problem is listed.
    #[error("{}", list(.0))]
    Invalid(Vec<Issue>),
}

impl ConfigError {
    pub fn code(&self) -> &'static str {
        match self {
            ConfigError::Parse(_) => "parse",
            ConfigError::Invalid(_) => "invalid_rules",
        }
    }
}

fn list(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
