//! A finished reply as ledger rows: one per provider call, the answering call with its tokens.
use switchyard_router::{Catalog, Decision, Model};

use crate::execute::{HopOutcome, Reply};
use crate::store::ledger::LedgerRow;
use crate::store::providers::ProviderRow;
use crate::usage::Cost;

/// The model savings are measured against: the user's choice (the `baseline_model` setting)
/// when it is in the catalog, else the priciest enabled model, as the seed's "everything goes
/// to GPT-4o".
pub fn baseline_model<'a>(catalog: &'a Catalog, setting: Option<&str>) -> Option<&'a Model> {
    setting.and_then(|id| catalog.find(id)).or_else(|| {
        catalog
            .enabled()
            .max_by_key(|m| (m.input.0 + m.output.0, m.id.clone()))
    })
}

pub struct Context<'a> {
    pub source: &'a str,
    pub conversation_id: Option<&'a str>,
    pub message_id: Option<i64>,
    pub decision: Option<&'a Decision>,
    pub catalog: &'a Catalog,
    /// The baseline-model setting, if the user chose one.
    pub baseline: Option<&'a str>,
    pub providers: &'a [ProviderRow],
    /// The user stopped the reply: the answering call is recorded as stopped.
    pub stopped: bool,
}

pub fn rows(reply: &Reply, cx: &Context<'_>) -> Vec<LedgerRow> {
    let baseline = baseline_model(cx.catalog, cx.baseline);
    let mut model_order: Vec<&str> = Vec::new();
    reply
        .hops
        .iter()
        .filter(|h| h.outcome != HopOutcome::Skipped)
        .map(|hop| {
            if !model_order.contains(&hop.model.as_str()) {
                model_order.push(&hop.model);
            }
            let answering = matches!(hop.outcome, HopOutcome::Answered | HopOutcome::Partial)
                && reply.model.as_deref() == Some(hop.model.as_str());
            let mut row = LedgerRow {
                source: cx.source.into(),
                conversation_id: cx.conversation_id.map(Into::into),
                message_id: cx.message_id,
                provider_id: hop.provider.clone(),
                provider: super::provider_name(cx.providers, &hop.provider),
                model: hop.model.clone(),
                task: cx.decision.map(|d| d.task.as_str().to_string()),
                rule: cx.decision.map(|d| d.rule.clone()),
                hop: (model_order.len() - 1) as u32,
                attempt: hop.attempt,
                outcome: match hop.outcome {
                    HopOutcome::Answered => "answered".into(),
                    HopOutcome::Partial if cx.stopped => "stopped".into(),
                    HopOutcome::Partial => "partial".into(),
                    HopOutcome::Failed => "failed".into(),
                    HopOutcome::Skipped => "skipped".into(),
                },
                error_code: hop.error.as_ref().map(|e| e.code.clone()),
                latency_ms: hop.latency_ms,
                ..LedgerRow::default()
            };
            if answering {
                if let Some(usage) = reply.usage {
                    row.input_tokens = usage.input_tokens;
                    row.output_tokens = usage.output_tokens;
                    row.cached_tokens = usage.cached_input_tokens;
                    row.reasoning_tokens = usage.reasoning_tokens;
                    row.cost_estimated = usage.estimated;
                    row.cost_nusd = reply.cost.map_or(0, |c| c.total.0);
                    if let Some(b) = baseline {
                        row.baseline_model = Some(b.id.clone());
                        row.baseline_cost_nusd = Some(Cost::of(b, &usage).total.0);
                    }
                }
                row.first_token_ms = reply.first_token_ms;
            }
            row
        })
        .collect()
}
