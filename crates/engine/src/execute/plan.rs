//! From a router decision's chain of model ids to the calls the executor can make: each model
//! with its provider's endpoint and key, or the reason it cannot be called.
use std::collections::HashMap;

use switchyard_router::{Catalog, Decision, Model};

use crate::availability;
use crate::error::{ErrorCode, ErrorInfo};
use crate::provider::{Provider, ProviderRow};
use crate::providers::Endpoint;
use crate::secrets::Secret;

/// A model the executor may call.
#[derive(Debug, Clone)]
pub struct Target {
    pub model: Model,
    pub provider: ProviderRow,
    pub endpoint: Endpoint,
}

/// A model of the chain that cannot be called, and why.
#[derive(Debug, Clone)]
pub struct Unplanned {
    pub model: String,
    /// The configured provider's id, or the catalog's provider name when none is configured.
    pub provider: String,
    /// That provider's name as the user gave it (the catalog's name when none is configured).
    pub provider_name: String,
    pub error: ErrorInfo,
}

/// The chain, resolved: the targets in order, and the models left out.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub targets: Vec<Target>,
    pub unplanned: Vec<Unplanned>,
    /// Ask each model for its whole answer at once instead of a stream: for callers that wait
    /// for the whole answer anyway (the local endpoint's non-streamed requests). Costs less on
    /// both ends; nothing is shown before the end.
    pub whole_answers: bool,
}

/// The chain of a routing decision: the chosen model, then its fallbacks.
pub fn chain(decision: &Decision) -> Vec<String> {
    std::iter::once(decision.model.clone())
        .chain(decision.fallbacks.iter().cloned())
        .collect()
}

impl Plan {
    /// Resolves `chain` (catalog model ids, first choice first) with the providers as configured
    /// and the keys read for them. Models that cannot be called are listed with the reason.
    pub fn new(
        chain: &[String],
        catalog: &Catalog,
        providers: &[Provider],
        keys: &HashMap<String, Secret>,
    ) -> Self {
        let mut plan = Plan::default();
        for id in chain {
            let Some(model) = catalog.find(id) else {
                plan.unplanned.push(Unplanned {
                    model: id.clone(),
                    provider: String::new(),
                    provider_name: String::new(),
                    error: ErrorInfo::new(
                        ErrorCode::Unavailable,
                        format!("'{id}' is not in the model catalog"),
                    ),
                });
                continue;
            };
            let found = availability::of_model(model, providers);
            let row = found
                .provider_id
                .as_ref()
                .and_then(|id| providers.iter().find(|p| &p.id == id));
            let target = match row {
                Some(row) if found.available => Endpoint::new(row, keys.get(&row.id))
                    .map(|endpoint| Target {
                        model: model.clone(),
                        provider: row.row.clone(),
                        endpoint,
                    })
                    .map_err(|e| e.to_string()),
                _ => Err(found.reason.clone()),
            };
            match target {
                Ok(target) => plan.targets.push(target),
                Err(reason) => plan.unplanned.push(Unplanned {
                    model: model.id.clone(),
                    provider: found.provider_id.unwrap_or_else(|| model.provider.clone()),
                    provider_name: found.provider.unwrap_or_else(|| model.provider.clone()),
                    error: ErrorInfo::new(ErrorCode::Unavailable, reason),
                }),
            }
        }
        plan
    }

    /// Why nothing could be called, in words that say what to configure.
    pub fn nothing_callable(&self) -> ErrorInfo {
        let what = if self.unplanned.is_empty() {
            "the routing decision named no model".to_string()
        } else {
            self.unplanned
                .iter()
                .map(|u| format!("{}: {}", u.model, u.error.message))
                .collect::<Vec<_>>()
                .join("; ")
        };
        ErrorInfo::new(
            ErrorCode::NoUsableProvider,
            format!(
                "No model in the chain can be called ({what}). Add the provider and its API key under Providers, \
                 or with `switchyard providers add` and `switchyard keys set`, or enable the model in the catalog."
            ),
        )
    }
}
