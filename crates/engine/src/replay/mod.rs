//! Replay: what a rule set would have done with the requests of a period. Every past request
//! whose prompt is saved (the app's and the CLI's, in their conversations) is rebuilt as the
//! router saw it (system prompt and history up to it), routed again with the given rules over
//! the router's parallel batch path, and compared with what happened: which model it went to
//! then and would go to now, and what it cost then and would cost now. Requests whose prompt is
//! not saved (the local endpoint's, a deleted conversation's) are counted, never dropped.
//! Reads only; nothing is saved or sent.
mod rebuild;
mod report;

use std::collections::BTreeMap;

use serde::Serialize;
use switchyard_router::{Catalog, CompiledRules};
use ts_rs::TS;

use crate::availability::unavailable_set;
use crate::error::{EngineError, ErrorCode};
use crate::send::Engine;
use crate::store::rules::RoutingConfig;
use crate::store::spend::SpendRange;
use crate::store::Store;

/// How a replay runs.
#[derive(Debug, Clone, Default)]
pub struct ReplayOptions {
    /// Catalog models that cannot be called now, with why: the router skips them, as a send
    /// would. Empty: every enabled model is taken as callable.
    pub unavailable: BTreeMap<String, String>,
    /// At most this many requests listed per move (the newest); `None` lists them all. The
    /// counts and sums always cover every request.
    pub requests_per_move: Option<usize>,
}

/// The model, rule and task of one decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Choice {
    pub model: String,
    pub rule: String,
    pub task: String,
}

/// What an estimate under the rules replayed rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Basis {
    /// Not moved: the same model, so what was paid.
    AsPaid,
    /// Moved: the tokens the provider reported for its answer, at the new model's price.
    Repriced,
    /// Moved: Switchyard's own token estimate for its answer (the provider reported none), at
    /// the new model's price.
    RepricedEstimate,
    /// Moved, but no answer's tokens are known (every call failed): counted at what was paid.
    NoTokens,
}

/// One past request under the rules replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReplayedRequest {
    /// The ledger id of the request's first provider call.
    #[ts(type = "number")]
    pub request_id: i64,
    /// The assistant message that held the reply.
    #[ts(type = "number")]
    pub message_id: i64,
    pub at: String,
    /// `app` or `cli`.
    pub source: String,
    pub conversation_id: String,
    pub conversation_title: String,
    /// What happened: the first model the request was sent to, under the rule that chose it.
    pub before: Choice,
    /// What the rules replayed decide.
    pub after: Choice,
    /// Every call of the request, fallbacks included.
    #[ts(type = "number")]
    pub paid_nusd: i64,
    #[ts(type = "number")]
    pub estimated_nusd: i64,
    pub basis: Basis,
}

/// Requests that went from one model to another, under one rule of the replayed set, for one
/// task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Move {
    pub from: String,
    pub to: String,
    /// The task as the replayed rules read it.
    pub task: String,
    /// The replayed rule that decided.
    pub rule: String,
    #[ts(type = "number")]
    pub count: u64,
    #[ts(type = "number")]
    pub paid_nusd: i64,
    #[ts(type = "number")]
    pub estimated_nusd: i64,
    /// The requests, newest first (at most `ReplayOptions::requests_per_move`).
    pub requests: Vec<ReplayedRequest>,
}

/// Cost per task: as paid, and as estimated under the rules replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TaskCost {
    pub task: String,
    #[ts(type = "number")]
    pub requests: u64,
    #[ts(type = "number")]
    pub moved: u64,
    #[ts(type = "number")]
    pub paid_nusd: i64,
    #[ts(type = "number")]
    pub estimated_nusd: i64,
    /// Estimated minus paid: negative is a saving.
    #[ts(type = "number")]
    pub difference_nusd: i64,
}

/// How many replayed requests each rule of the replayed set decided, and how many of them
/// moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RuleCount {
    pub rule: String,
    #[ts(type = "number")]
    pub requests: u64,
    #[ts(type = "number")]
    pub moved: u64,
}

/// Why a request could not be replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Unreplayable {
    /// Its prompt was never saved: the local endpoint keeps no conversation.
    NotStored,
    /// Its conversation (or the message it answered) has been deleted since.
    Deleted,
    /// The rules replayed route it nowhere (no enabled model's context window fits it).
    NoModelFits,
}

/// Requests that could not be replayed, by source and reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct NotReplayed {
    pub source: String,
    pub reason: Unreplayable,
    #[ts(type = "number")]
    pub requests: u64,
    #[ts(type = "number")]
    pub paid_nusd: i64,
}

/// How many replayed requests each estimate rests on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BasisCounts {
    #[ts(type = "number")]
    pub as_paid: u64,
    #[ts(type = "number")]
    pub repriced: u64,
    #[ts(type = "number")]
    pub repriced_estimate: u64,
    #[ts(type = "number")]
    pub no_tokens: u64,
}

/// What the rules replayed would have done over a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ReplayReport {
    pub from: String,
    pub to: String,
    /// Every request of the period.
    #[ts(type = "number")]
    pub requests: u64,
    /// Those routed again.
    #[ts(type = "number")]
    pub replayed: u64,
    /// Those the replayed rules send to another model.
    #[ts(type = "number")]
    pub moved: u64,
    /// Requests in a conversation the user set to one model: the rules do not route them, so
    /// they stay where they went (counted as replayed, never moved).
    #[ts(type = "number")]
    pub chosen_by_user: u64,
    pub not_replayed: Vec<NotReplayed>,
    /// Most requests first.
    pub moves: Vec<Move>,
    pub tasks: Vec<TaskCost>,
    pub rules: Vec<RuleCount>,
    /// Over the replayed requests.
    #[ts(type = "number")]
    pub paid_nusd: i64,
    #[ts(type = "number")]
    pub estimated_nusd: i64,
    pub basis: BasisCounts,
}

/// Replays the requests of `range` under `rules` and `catalog`. Reads the ledger and the saved
/// conversations; saves nothing.
pub async fn replay(
    store: &Store,
    rules: &CompiledRules,
    catalog: &Catalog,
    range: &SpendRange,
    options: &ReplayOptions,
) -> Result<ReplayReport, EngineError> {
    if catalog.enabled().next().is_none() {
        return Err(EngineError::coded(
            ErrorCode::InvalidRules,
            "No model in the catalog is enabled, so the rules route nothing. Enable a model first.",
        ));
    }
    let (calls, conversations) =
        tokio::try_join!(store.past_calls(range), store.past_conversations(range))?;
    let requests = rebuild::requests(calls);
    let rules = rules.clone();
    let catalog = catalog.clone();
    let options = options.clone();
    let range = range.clone();
    // Routing is CPU work over every core: off the async runtime's threads.
    let report = tokio::task::spawn_blocking(move || {
        let outcomes = rebuild::route(&requests, &conversations, &rules, &catalog, &options);
        report::build(
            &range,
            requests,
            &conversations,
            outcomes,
            &catalog,
            &options,
        )
    })
    .await
    // A panic while routing is a bug: pass it on unchanged.
    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    Ok(report)
}

/// Replays a rule editor's draft (saved or not) as the app would route with it now: models
/// that cannot be called now are skipped, and at most `requests_per_move` requests are listed
/// per move. A draft the router refuses is an error saying what to fix.
pub async fn replay_draft(
    engine: &Engine,
    draft: &RoutingConfig,
    range: &SpendRange,
    requests_per_move: Option<usize>,
) -> Result<ReplayReport, EngineError> {
    let rules = CompiledRules::new(draft.rules.clone()).map_err(|issues| {
        EngineError::coded(
            ErrorCode::InvalidRules,
            format!(
                "These rules cannot be replayed until they are fixed: {}",
                issues
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        )
    })?;
    let options = ReplayOptions {
        unavailable: unavailable_set(engine.availability(&draft.catalog).await?),
        requests_per_move,
    };
    replay(
        &engine.settings().store,
        &rules,
        &draft.catalog,
        range,
        &options,
    )
    .await
}

#[cfg(test)]
mod tests;
