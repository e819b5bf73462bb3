//! What a decision returns: the model and its fallbacks, and the trace that explains them — what
//! the chat's "Why this model?" and the rule editor's live test show.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::complexity::{Complexity, Tier};
use crate::money::Usd;
use crate::task::Task;
use crate::tasks::{Features, TaskDetection};

/// `n` followed by `rest` ("3 questions"): the trace's details, written without `format!`,
/// whose machinery cost a twentieth of a decision when every factor's detail went through it.
pub(crate) fn counted(n: impl itoa::Integer, rest: &str) -> String {
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(n);
    let mut s = String::with_capacity(digits.len() + rest.len());
    s.push_str(digits);
    s.push_str(rest);
    s
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Decision {
    pub model: String,
    pub provider: String,
    /// The name to send to the provider's API.
    pub api_model: String,
    /// Models to try, in order, if the chosen one fails.
    pub fallbacks: Vec<String>,
    pub task: Task,
    pub complexity: ComplexitySummary,
    /// The rule that decided (or `@model tag`, or `last resort`).
    pub rule: String,
    /// The prompt tokens the chosen model is expected to see.
    pub prompt_tokens: u32,
    #[ts(type = "number")]
    pub estimated_cost_usd: Usd,
    pub trace: Trace,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ComplexitySummary {
    pub score: f64,
    pub tier: Tier,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Trace {
    pub tasks: TaskDetection,
    pub features: Features,
    pub complexity: Complexity,
    pub tokens: TokenEstimate,
    /// Each rule tried, in order, up to the one that decided.
    pub rules: Vec<RuleTrial>,
    /// The models the deciding step weighed.
    pub candidates: Vec<Candidate>,
    /// Why the winner won, in a sentence.
    pub reason: String,
    /// The conversation's system prompt, which the task was also read from.
    #[serde(default)]
    pub system_prompt: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TokenEstimate {
    /// The approximation used for every provider (see `tokens::approx_tokens`).
    pub approx: u32,
    /// The exact count under OpenAI's tokenizer, when the caller supplied it.
    pub openai_exact: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RuleOutcome {
    Matched,
    NotMatched,
    Disabled,
    /// The rule matched but none of its models could take the request.
    NoUsableModel,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleTrial {
    pub rule: String,
    pub outcome: RuleOutcome,
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CandidateStatus {
    Chosen,
    Fallback,
    /// Usable, but neither chosen nor listed as a fallback.
    Considered,
    Excluded,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Candidate {
    pub model: String,
    pub provider: String,
    pub quality: f64,
    pub context_window: u32,
    pub prompt_tokens: u32,
    #[ts(type = "number")]
    pub estimated_cost_usd: Usd,
    pub status: CandidateStatus,
    /// Why it was excluded, or what set it apart.
    pub note: String,
}
