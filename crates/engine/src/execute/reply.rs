//! What carrying out a chain produces: events while it runs, a [`Reply`] when it ends.
use serde::Serialize;
use ts_rs::TS;

use crate::providers::FinishReason;
use crate::usage::{Cost, Usage};

/// One event for the caller (the UI's channel, the CLI's stdout), in order.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReplyEvent {
    /// A model started answering: text from it follows. Sent once per reply; earlier models
    /// that failed before their first token are only hops.
    Started { model: String, provider: String },
    /// The next piece of the reply, forwarded as the provider sent it.
    Text { delta: String },
    /// An attempt ended without the answer, or was skipped; more attempts may follow.
    Hop { hop: Hop },
    /// The end, whatever happened.
    Done { reply: Box<Reply> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReplyStatus {
    /// A model answered to the end (`finish` says why it stopped).
    Complete,
    /// Text arrived, then the stream failed: `text` is what came, `error` what went wrong.
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
    pub error: Option<ReplyError>,
    /// Providers whose key was refused (401/403) during this request.
    pub failing_keys: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReplyError {
    pub code: String,
    pub message: String,
}

/// One try of one model.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Hop {
    pub model: String,
    pub provider: String,
    /// 1 for the first try of this model, 2 for its first retry, …
    pub attempt: u32,
    pub outcome: HopOutcome,
    pub error: Option<HopError>,
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
    /// Text came, then the stream failed; the request stopped here.
    Partial,
    Failed,
    /// Not tried: open circuit, refused key, or a context window too small.
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HopError {
    pub code: String,
    pub message: String,
    /// The HTTP status, when the provider answered with one.
    pub status: Option<u16>,
}
