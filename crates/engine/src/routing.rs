//! The rule editor's service: what the router would decide under an unsaved draft, and the
//! routing strategies as presets.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use switchyard_router::litellm::{self, ImportReport};
use switchyard_router::{
    decide, presets, Catalog, CellRef, CompiledRules, ConfigError, Decision, Grid, Issue, Request,
    RouteError, Rule,
};
use ts_rs::TS;

use crate::availability::ModelAvailability;
use crate::error::{ErrorCode, ErrorInfo};
use crate::store::rules::RoutingConfig;

/// A routing strategy (SmartRouter chains, task-based, complexity-based, cost-aware) as a rule
/// table, loadable in one step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoutingPreset {
    pub id: String,
    pub label: String,
    pub description: String,
    pub rules: Vec<Rule>,
}

/// The presets the rule editor offers. Only the rules: loading one keeps the user's keyword
/// lists, weights and catalog.
pub fn routing_presets() -> Vec<RoutingPreset> {
    let about = |id: &'static str| {
        match id {
        "balanced" => (
            "Balanced (default)",
            "Simple requests to an inexpensive model whatever their task; moderate and complex ones to a model suited to the task.",
        ),
        "smart_router" => (
            "SmartRouter with fallbacks",
            "A model chain per task, each with its fallbacks; writing is the default.",
        ),
        "task_based" => ("Task-based", "One model per task; gpt-4o-mini by default."),
        "complexity_based" => (
            "Complexity-based",
            "One model per complexity tier, from gpt-4o-mini to claude-opus-4.",
        ),
        "cost_aware" => (
            "Cost-aware with quality bounds",
            "The cheapest enabled model meeting 0.95 quality for complex requests, 0.90 for moderate, 0.80 below.",
        ),
        other => (other, ""),
    }
    };
    presets::all()
        .into_iter()
        .map(|(id, set)| {
            let (label, description) = about(id);
            RoutingPreset {
                id: id.into(),
                label: label.into(),
                description: description.into(),
                rules: set.rules,
            }
        })
        .collect()
}

/// The draft as a task × tier grid, with `availability` (the rule editor's) deciding which
/// models can answer. When no model can be called yet, none is marked, as in the chat.
pub fn grid(draft: &RoutingConfig, availability: &[ModelAvailability]) -> Grid {
    let unavailable = if availability.iter().any(|a| a.available) {
        availability
            .iter()
            .filter(|a| !a.available)
            .map(|a| (a.model.clone(), a.reason.clone()))
            .collect()
    } else {
        BTreeMap::new()
    };
    switchyard_router::grid(&draft.rules, &draft.catalog, &unavailable)
}

/// The draft with `cells` answered by the chain `models` (see `switchyard_router::grid::assign`).
pub fn assign_cells(
    draft: &RoutingConfig,
    cells: &[CellRef],
    models: Vec<String>,
) -> RoutingConfig {
    RoutingConfig {
        rules: switchyard_router::assign_grid_cells(&draft.rules, &draft.catalog, cells, models),
        catalog: draft.catalog.clone(),
    }
}

/// The router's answer for one request of a preview.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum PreviewOutcome {
    Decided { decision: Box<Decision> },
    Failed(ErrorInfo),
}

/// A draft's issues and what it decides for each request, nothing sent anywhere.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Preview {
    pub issues: Vec<Issue>,
    /// Whether the router can run the draft at all; when not, its issues say why.
    pub compiles: bool,
    /// One per request, in order; empty when the draft does not compile.
    pub outcomes: Vec<PreviewOutcome>,
}

/// Validates `draft` and routes every request with it. A draft with issues is still tried when
/// it compiles (an unknown model only makes its rule unusable), so the live test keeps up with
/// a half-edited table.
pub fn preview(draft: &RoutingConfig, requests: &[Request]) -> Preview {
    let issues = draft.issues();
    let Ok(rules) = CompiledRules::new(draft.rules.clone()) else {
        return Preview {
            issues,
            compiles: false,
            outcomes: Vec::new(),
        };
    };
    let outcomes = requests
        .iter()
        .map(|request| match decide(request, &rules, &draft.catalog) {
            Ok(decision) => PreviewOutcome::Decided {
                decision: Box::new(decision),
            },
            Err(e) => PreviewOutcome::Failed(route_error(&e)),
        })
        .collect();
    Preview {
        issues,
        compiles: true,
        outcomes,
    }
}

/// The code and words for a decision the router could not make.
pub fn route_error(e: &RouteError) -> ErrorInfo {
    let code = match e {
        RouteError::EmptyConversation => ErrorCode::InvalidInput,
        _ => ErrorCode::RouteFailed,
    };
    ErrorInfo::new(code, e.to_string())
}

/// A catalog after an import of LiteLLM's price file, and what the import changed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CatalogImport {
    pub catalog: Catalog,
    pub report: ImportReport,
}

/// Merges LiteLLM's `model_prices_and_context_window.json` into `base` (see `litellm::import`).
pub fn import_litellm(json: &str, base: &Catalog) -> Result<CatalogImport, ConfigError> {
    let (catalog, report) = litellm::import(json, base)?;
    Ok(CatalogImport { catalog, report })
}

#[cfg(test)]
mod tests {
    use switchyard_router::{Action, ChainAction, Condition, IssueKind, Task};

    use super::*;

    #[test]
    fn previews_an_unsaved_draft_and_reports_its_issues() {
        let mut draft = RoutingConfig {
            // The SmartRouter preset has a rule for code alone.
            rules: switchyard_router::presets::smart_router(),
            ..RoutingConfig::bundled()
        };
        let code = draft
            .rules
            .rules
            .iter_mut()
            .find(|r| r.when == vec![Condition::Task(vec![Task::Code])])
            .unwrap();
        code.then = Action::Chain(ChainAction {
            models: vec!["deepseek-v3".into()],
            prefer_cost: false,
        });
        let requests = [
            Request::from_prompt("Fix this Python function: def f(x): return x +"),
            Request::default(),
        ];
        let preview = preview(&draft, &requests);
        assert!(preview.issues.is_empty() && preview.compiles);
        match &preview.outcomes[0] {
            PreviewOutcome::Decided { decision } => {
                assert_eq!(decision.model, "deepseek-v3");
                assert_eq!(decision.rule, "code");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            &preview.outcomes[1],
            PreviewOutcome::Failed(e) if e.code == ErrorCode::InvalidInput
        ));

        draft.rules.rules[0].when = vec![Condition::Regex("(unclosed".into())];
        let broken = super::preview(&draft, &requests);
        assert!(!broken.compiles && broken.outcomes.is_empty());
        assert_eq!(broken.issues[0].kind, IssueKind::InvalidRegex);
        assert_eq!(broken.issues[0].field, "when[0].regex");
    }

    #[test]
    fn every_preset_is_valid_over_the_bundled_catalog() {
        let presets = routing_presets();
        assert_eq!(presets.len(), 5);
        assert_eq!(presets[0].id, "balanced", "the bundled default comes first");
        for p in presets {
            let mut config = RoutingConfig::bundled();
            config.rules.rules = p.rules;
            assert_eq!(config.issues(), vec![], "{}", p.id);
            assert!(!p.description.is_empty());
        }
    }
}
