//! From a router decision's chain of model ids to the calls the executor can make: each model
//! with its provider's endpoint and key, or the reason it cannot be called.
use std::collections::HashMap;

use switchyard_router::{Catalog, Decision, Model};
use thiserror::Error;

use crate::error::EngineError;
use crate::provider::{presets, ProviderKind};
use crate::providers::Endpoint;
use crate::secrets::Secret;
use crate::settings::Settings;
use crate::store::providers::ProviderRow;

/// A model the executor may call.
#[derive(Debug, Clone)]
pub struct Target {
    pub model: Model,
    pub provider: ProviderRow,
    pub endpoint: Endpoint,
}

/// The chain, resolved: the targets in order.
#[derive(Debug, Clone)]
pub struct Plan {
    pub targets: Vec<Target>,
}

#[derive(Debug, Error)]
pub enum ExecError {
    #[error("{0}")]
    NoUsableProvider(String),
    #[error("{0}")]
    Config(String),
}

impl ExecError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoUsableProvider(_) => "no_usable_provider",
            Self::Config(_) => "invalid_config",
        }
    }
}

impl From<ExecError> for EngineError {
    fn from(e: ExecError) -> Self {
        EngineError::Connection {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// The chain of a routing decision: the chosen model, then its fallbacks.
pub fn chain(decision: &Decision) -> Vec<String> {
    std::iter::once(decision.model.clone())
        .chain(decision.fallbacks.iter().cloned())
        .collect()
}

/// A catalog provider name matches a configured provider by id, preset or name.
fn serves(row: &ProviderRow, provider: &str) -> bool {
    row.id == provider || row.preset == provider || row.name.eq_ignore_ascii_case(provider)
}

/// Whether calls to this provider need a key: local servers (Ollama, LM Studio, a custom one)
/// run without one.
pub fn needs_key(row: &ProviderRow) -> bool {
    presets()
        .into_iter()
        .find(|p| p.id == row.preset)
        .map_or(row.kind != ProviderKind::OpenaiCompatible, |p| p.needs_key)
}

impl Plan {
    /// Plans `chain` with the app's settings: providers from the database, and from the
    /// keychain the keys of those the chain uses. A key that cannot be read leaves its provider
    /// out, and the error says why when nothing is left.
    pub async fn from_settings(
        settings: &Settings,
        chain: &[String],
        catalog: &Catalog,
    ) -> Result<Self, EngineError> {
        let providers = settings.providers_for_calls().await?;
        let mut keys = HashMap::new();
        let mut unreadable = Vec::new();
        for row in Self::providers_for(chain, catalog, &providers) {
            match settings.key(&row.id).await {
                Ok(Some(key)) => {
                    keys.insert(row.id.clone(), key);
                }
                Ok(None) => {}
                Err(e) if needs_key(row) => {
                    unreadable.push(format!("the key for '{}' could not be read: {e}", row.name))
                }
                Err(_) => {}
            }
        }
        Self::new(chain, catalog, &providers, &keys).map_err(|e| match e {
            ExecError::NoUsableProvider(message) if !unreadable.is_empty() => {
                ExecError::NoUsableProvider(format!("{message} Also: {}.", unreadable.join("; ")))
                    .into()
            }
            other => other.into(),
        })
    }

    /// The enabled providers that serve some model of `chain`: the ones whose keys
    /// [`Plan::new`] needs, so a caller reads only those from the keychain.
    pub fn providers_for<'a>(
        chain: &[String],
        catalog: &Catalog,
        providers: &'a [ProviderRow],
    ) -> Vec<&'a ProviderRow> {
        let wanted: Vec<&str> = chain
            .iter()
            .filter_map(|id| catalog.find(id))
            .map(|m| m.provider.as_str())
            .collect();
        providers
            .iter()
            .filter(|row| row.enabled && wanted.iter().any(|p| serves(row, p)))
            .collect()
    }

    /// Resolves `chain` (catalog model ids, first choice first). Models that cannot be called are
    /// left out; when none can, the error says what to configure.
    pub fn new(
        chain: &[String],
        catalog: &Catalog,
        providers: &[ProviderRow],
        keys: &HashMap<String, Secret>,
    ) -> Result<Self, ExecError> {
        let mut targets = Vec::new();
        let mut problems = Vec::new();
        for id in chain {
            let Some(model) = catalog.find(id) else {
                problems.push(format!("'{id}' is not in the model catalog"));
                continue;
            };
            let candidates: Vec<&ProviderRow> = providers
                .iter()
                .filter(|p| serves(p, &model.provider))
                .collect();
            let Some(row) = candidates.iter().find(|p| p.enabled) else {
                problems.push(match candidates.first() {
                    Some(p) => format!("{id}: the provider '{}' is disabled", p.name),
                    None => format!("{id}: no '{}' provider is set up", model.provider),
                });
                continue;
            };
            let key = keys.get(&row.id);
            if key.is_none() && needs_key(row) {
                problems.push(format!("{id}: no API key is stored for '{}'", row.name));
                continue;
            }
            let endpoint =
                Endpoint::new(row, key).map_err(|e| ExecError::Config(format!("{id}: {e}")))?;
            targets.push(Target {
                model: model.clone(),
                provider: (*row).clone(),
                endpoint,
            });
        }
        if targets.is_empty() {
            let what = if problems.is_empty() {
                "the routing decision named no model".to_string()
            } else {
                problems.join("; ")
            };
            return Err(ExecError::NoUsableProvider(format!(
                "No model in the chain can be called ({what}). Add the provider and its API key under Providers, \
                 or with `switchyard providers add` and `switchyard keys set`, or enable the model in the catalog."
            )));
        }
        Ok(Self { targets })
    }
}
