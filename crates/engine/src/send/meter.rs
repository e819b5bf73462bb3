//! The engine's [`Meter`]: before each provider call, the budgets are checked and the call is
//! recorded as in flight in one database transaction; when it ends, it becomes a ledger row.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use switchyard_router::{Catalog, Cost, Model, Usage};

use crate::budget::{estimate, lets_through, refusal};
use crate::error::{ErrorCode, ErrorInfo};
use crate::execute::{CallEnd, CallStart, CallTicket, Meter, MeterFuture};
use crate::reply::HopOutcome;
use crate::store::calls::{Admission, NewCall};
use crate::store::ledger::LedgerRow;
use crate::store::Store;

/// How long a call's reservation holds before another process may settle it as abandoned:
/// longer than any call's own deadline, so a live call is never settled under it.
pub const LEASE_SECS: u64 = 30 * 60;

/// Where a request came from, as the ledger's `source` column records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    App,
    Cli,
    Endpoint,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::App => "app",
            Self::Cli => "cli",
            Self::Endpoint => "endpoint",
        }
    }
}

/// The model savings are measured against: the user's choice (the `baseline_model` setting)
/// when it is in the catalog, else the priciest enabled model.
pub fn baseline_model<'a>(catalog: &'a Catalog, setting: Option<&str>) -> Option<&'a Model> {
    setting.and_then(|id| catalog.find(id)).or_else(|| {
        catalog
            .enabled()
            .max_by_key(|m| (m.input.0 + m.output.0, m.id.clone()))
    })
}

/// The ledger context of one request: who asked, for which message, under which rule.
pub struct RequestContext {
    pub source: Source,
    pub conversation_id: Option<String>,
    pub message_id: Option<i64>,
    pub task: Option<String>,
    pub rule: Option<String>,
    pub tier: Option<String>,
    pub complexity_score: Option<f64>,
    /// The endpoint client (its token's name).
    pub client: Option<String>,
}

/// Budgets and ledger for one request.
pub struct Metering {
    store: Store,
    catalog: Arc<Catalog>,
    context: RequestContext,
    baseline: Option<Model>,
    open: Mutex<HashMap<i64, LedgerRow>>,
}

impl Metering {
    pub fn new(
        store: Store,
        catalog: Arc<Catalog>,
        context: RequestContext,
        baseline_setting: Option<&str>,
    ) -> Self {
        let baseline = baseline_model(&catalog, baseline_setting).cloned();
        Self {
            store,
            catalog,
            context,
            baseline,
            open: Mutex::default(),
        }
    }

    fn baseline_cost(&self, usage: &Usage) -> Option<u64> {
        self.baseline.as_ref().map(|b| Cost::of(b, usage).total.0)
    }
}

fn outcome(end: &CallEnd<'_>) -> &'static str {
    let stopped = end
        .hop
        .error
        .as_ref()
        .is_some_and(|e| e.code == ErrorCode::Stopped);
    match end.hop.outcome {
        _ if stopped => "stopped",
        HopOutcome::Answered => "answered",
        HopOutcome::Partial => "partial",
        HopOutcome::Failed => "failed",
        HopOutcome::Skipped => "skipped",
    }
}

impl Meter for Metering {
    fn open<'a>(&'a self, call: CallStart<'a>) -> MeterFuture<'a, Result<CallTicket, ErrorInfo>> {
        Box::pin(async move {
            let target = call.target;
            let (usage, estimate_nusd) = estimate(
                &target.model,
                call.messages,
                call.tools,
                call.max_output_tokens,
            );
            let cx = &self.context;
            let row = LedgerRow {
                source: cx.source.as_str().into(),
                conversation_id: cx.conversation_id.clone(),
                message_id: cx.message_id,
                provider_id: target.provider.id.clone(),
                provider: target.provider.name.clone(),
                model: target.model.id.clone(),
                task: cx.task.clone(),
                rule: cx.rule.clone(),
                tier: cx.tier.clone(),
                complexity_score: cx.complexity_score,
                hop: call.hop,
                attempt: call.attempt,
                input_tokens: usage.input_tokens,
                output_tokens: usage.output_tokens,
                cost_nusd: u64::try_from(estimate_nusd).unwrap_or(0),
                cost_estimated: true,
                baseline_model: self.baseline.as_ref().map(|b| b.id.clone()),
                baseline_cost_nusd: self.baseline_cost(&usage),
                client: cx.client.clone(),
                ..LedgerRow::default()
            };
            let new = NewCall {
                row: row.clone(),
                estimate_nusd,
                lease_secs: LEASE_SECS,
            };
            let (model, catalog) = (target.model.clone(), self.catalog.clone());
            let admitted = self
                .store
                .admit_call(&new, move |b| lets_through(b, &model, &catalog))
                .await
                .map_err(|e| {
                    ErrorInfo::new(
                        ErrorCode::BudgetUnavailable,
                        format!("The budgets could not be checked: {e}"),
                    )
                })?;
            match admitted {
                Admission::Admitted(id) => {
                    self.open.lock().expect("open calls").insert(id, row);
                    Ok(CallTicket(id))
                }
                Admission::Refused(over) => {
                    Err(refusal(&over, &target.provider.name, &self.catalog))
                }
            }
        })
    }

    fn settle<'a>(&'a self, ticket: CallTicket, end: CallEnd<'a>) -> MeterFuture<'a, ()> {
        Box::pin(async move {
            let Some(mut row) = self.open.lock().expect("open calls").remove(&ticket.0) else {
                return;
            };
            row.outcome = outcome(&end).into();
            row.error_code = end.hop.error.as_ref().map(|e| e.code.to_string());
            row.latency_ms = end.hop.latency_ms;
            row.first_token_ms = end.first_token_ms;
            let (tokens, cost) = match &end.usage {
                Some(billed) => {
                    let model = self.catalog.find(&row.model);
                    let cost = model.map_or(0, |m| Cost::of(m, &billed.usage).total.0);
                    row.baseline_cost_nusd = self.baseline_cost(&billed.usage);
                    row.cost_estimated = billed.usage.estimated;
                    row.usage_flag = billed.reported.map(|_| "implausible".to_string());
                    (billed.reported.unwrap_or(billed.usage), cost)
                }
                None => {
                    row.cost_estimated = false;
                    row.baseline_model = None;
                    row.baseline_cost_nusd = None;
                    (Usage::default(), 0)
                }
            };
            row.input_tokens = tokens.input_tokens;
            row.output_tokens = tokens.output_tokens;
            row.cached_tokens = tokens.cached_input_tokens;
            row.reasoning_tokens = tokens.reasoning_tokens;
            row.cost_nusd = cost;
            // The endpoint's client waits for the answer, and the answer does not need the
            // ledger row: the writer thread writes it moments later, and before any call this
            // process admits after it, so the budgets still see it in time. The chat and the
            // CLI wait for it, so what they show next (spend, the CLI's exit) includes it.
            if self.context.source == Source::Endpoint {
                if let Err(e) = self.store.settle_call_later(ticket.0, row) {
                    tracing::warn!(error = %e, call = ticket.0, "could not settle a provider call");
                }
            } else if let Err(e) = self.store.settle_call(ticket.0, &row).await {
                // The call stays in flight and is settled as estimated on a later start.
                tracing::warn!(error = %e, call = ticket.0, "could not settle a provider call");
            }
        })
    }
}
