//! What carrying out a chain produces: a [`Reply`], with one [`Hop`] per try.
use serde::Serialize;
use switchyard_router::{Cost, ToolCall, Usage};
use ts_rs::TS;

use crate::error::ErrorInfo;
use crate::providers::FinishReason;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReplyStatus {
    /// A model answered to the end (`finish` says why it stopped).
    Complete,
    /// Text arrived, then the stream failed or was stopped: `text` is what came.
    Partial,
    /// No model produced any text.
    Failed,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Reply {
    pub status: ReplyStatus,
    /// The catalog id of the model whose text this is (none when every hop failed).
    pub model: Option<String>,
    pub provider: Option<String>,
    pub text: String,
    /// The tools the model called (only when the request offered tools: the local endpoint's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ToolCall>>", optional)]
    pub tool_calls: Vec<ToolCall>,
    pub finish: Option<FinishReason>,
    /// Tokens of the call that produced `text`; estimated when the provider reported none.
    pub usage: Option<Usage>,
    pub cost: Option<Cost>,
    pub hops: Vec<Hop>,
    #[ts(type = "number")]
    pub latency_ms: u64,
    /// From the start of the request to the first piece of text.
    #[ts(type = "number | null")]
    pub first_token_ms: Option<u64>,
    pub error: Option<ErrorInfo>,
    /// Providers whose key was refused (401/403) during this request.
    pub failing_keys: Vec<String>,
}

impl Reply {
    /// Whether the user (or a signal) stopped this reply.
    pub fn stopped(&self) -> bool {
        self.error
            .as_ref()
            .is_some_and(|e| e.code == crate::error::ErrorCode::Stopped)
    }
}

/// One try of one model.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Hop {
    pub model: String,
    /// The configured provider's id (or the catalog's provider name when none is configured).
    pub provider: String,
    /// What the user calls that provider, for display.
    pub provider_name: String,
    /// 1 for the first try of this model, 2 for its first retry, …
    pub attempt: u32,
    pub outcome: HopOutcome,
    pub error: Option<ErrorInfo>,
    /// The HTTP status, when the provider answered with one.
    pub status: Option<u16>,
    #[ts(type = "number")]
    pub latency_ms: u64,
    /// Set when the same model is tried again after this wait.
    #[ts(type = "number | null")]
    pub retry_in_ms: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HopOutcome {
    Answered,
    /// Text came, then the stream failed or was stopped; the request ended here.
    Partial,
    Failed,
    /// Not tried: no usable provider, open circuit, refused key, budget, or a window too small.
    Skipped,
}
