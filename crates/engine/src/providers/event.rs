//! The one event type every adapter's stream maps to.
use serde::Serialize;
use ts_rs::TS;

use switchyard_router::{ToolCall, Usage};

/// One thing a provider said while streaming. Errors travel as the stream's `Err` items.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// A piece of the reply's visible text.
    Text(String),
    /// Token counts; when a provider reports them in parts, the last event has them all.
    Usage(Usage),
    /// A whole tool call, its argument fragments put together.
    ToolCall(ToolCall),
    /// Why the model stopped.
    Finish(FinishReason),
}

impl StreamEvent {
    /// The piece of text, when this is one.
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Text(t) => Some(t),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    /// The model finished its answer (or hit a stop sequence).
    Stop,
    /// The output limit cut the answer short.
    Length,
    /// The provider withheld or stopped the answer for safety reasons.
    ContentFilter,
    /// The model called tools (the reply's `tool_calls`).
    ToolCalls,
    /// A reason this engine does not know, as the provider spelled it.
    Other(String),
}

impl FinishReason {
    pub fn from_openai(reason: &str) -> Self {
        match reason {
            "stop" => Self::Stop,
            "length" => Self::Length,
            "content_filter" => Self::ContentFilter,
            "tool_calls" | "function_call" => Self::ToolCalls,
            other => Self::Other(other.into()),
        }
    }

    pub fn from_anthropic(reason: &str) -> Self {
        match reason {
            "end_turn" | "stop_sequence" => Self::Stop,
            "max_tokens" => Self::Length,
            "refusal" => Self::ContentFilter,
            "tool_use" => Self::ToolCalls,
            other => Self::Other(other.into()),
        }
    }

    pub fn from_gemini(reason: &str) -> Self {
        match reason {
            "STOP" => Self::Stop,
            "MAX_TOKENS" => Self::Length,
            "SAFETY" | "RECITATION" | "BLOCKLIST" | "PROHIBITED_CONTENT" | "SPII"
            | "IMAGE_SAFETY" => Self::ContentFilter,
            other => Self::Other(other.into()),
        }
    }
}
