//! The one answer to "can this model be called now?", used by the router (through the request's
//! unavailable set), the plan, the chat's model picker and the rule editor's pickers.
use std::collections::BTreeMap;

use serde::Serialize;
use switchyard_router::Model;
use ts_rs::TS;

use crate::provider::{needs_key, serves, KeyInfo, Provider};

/// Whether a catalog model can be called now, and through which configured provider.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ModelAvailability {
    pub model: String,
    /// The catalog's provider name for the model (`openai`, `anthropic`, a server's name).
    pub catalog_provider: String,
    pub available: bool,
    /// The id of the configured provider that serves it, when there is one.
    pub provider_id: Option<String>,
    /// The name of that provider.
    pub provider: Option<String>,
    /// Why it is unavailable; empty when it is available.
    pub reason: String,
}

/// Why `provider` cannot take requests now, or `None` when it can.
fn unusable(provider: &Provider) -> Option<String> {
    if !provider.enabled {
        return Some(format!("{} is disabled", provider.name));
    }
    match &provider.key {
        KeyInfo::Set { .. } => None,
        // A local server runs without a key, whatever the keychain says.
        _ if !needs_key(provider) => None,
        KeyInfo::Missing => Some(format!("{} has no API key", provider.name)),
        KeyInfo::Unavailable { reason } => Some(format!(
            "the key for {} cannot be read from the keychain: {reason}",
            provider.name
        )),
    }
}

/// Why `provider` cannot call `model` even when it takes requests: its fetched model list lacks
/// the model. With no list fetched yet the model is assumed served, so nobody offline is locked
/// out.
fn not_served(provider: &Provider, model: &Model) -> Option<String> {
    let list = provider.models.as_ref()?;
    if list.contains(model.api_name()) || list.contains(&model.id) {
        return None;
    }
    Some(format!(
        "not served by {} (its model list has no {})",
        provider.name,
        model.api_name()
    ))
}

/// Why `model` cannot be called through `provider` now, or `None` when it can.
fn blocked(provider: &Provider, model: &Model) -> Option<String> {
    unusable(provider).or_else(|| not_served(provider, model))
}

/// The configured provider that serves catalog provider `name`, a usable one first.
pub fn provider_for<'a>(name: &str, providers: &'a [Provider]) -> Option<&'a Provider> {
    let mut matching = providers.iter().filter(|p| serves(p, name));
    let first = matching.clone().next();
    matching.find(|p| unusable(p).is_none()).or(first)
}

/// The configured provider for `model`: one that can call it, else a usable one, else the first.
fn provider_of<'a>(model: &Model, providers: &'a [Provider]) -> Option<&'a Provider> {
    providers
        .iter()
        .filter(|p| serves(p, &model.provider))
        .find(|p| blocked(p, model).is_none())
        .or_else(|| provider_for(&model.provider, providers))
}

/// Whether `model` can be called with `providers` as configured now.
pub fn of_model(model: &Model, providers: &[Provider]) -> ModelAvailability {
    let provider = provider_of(model, providers);
    let reason = if !model.enabled {
        format!("{} is disabled in the catalog", model.id)
    } else {
        match provider {
            None => format!("no {} provider is configured", model.provider),
            Some(p) => blocked(p, model).unwrap_or_default(),
        }
    };
    ModelAvailability {
        model: model.id.clone(),
        catalog_provider: model.provider.clone(),
        available: reason.is_empty(),
        provider_id: provider.map(|p| p.id.clone()),
        provider: provider.map(|p| p.name.clone()),
        reason,
    }
}

/// Availability of each model of `models`, in order.
pub fn of_models<'a>(
    models: impl IntoIterator<Item = &'a Model>,
    providers: &[Provider],
) -> Vec<ModelAvailability> {
    models.into_iter().map(|m| of_model(m, providers)).collect()
}

/// What the router is told cannot be called (a request's `unavailable`): the models `found`
/// unavailable, with why. With nothing callable at all it is empty: the router still names a
/// model, and the plan says what to set up.
pub fn unavailable_set(found: Vec<ModelAvailability>) -> BTreeMap<String, String> {
    if !found.iter().any(|a| a.available) {
        return BTreeMap::new();
    }
    found
        .into_iter()
        .filter(|a| !a.available)
        .map(|a| (a.model, a.reason))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::{ProviderKind, ProviderRow, ServedModels};
    use crate::store::rules::RoutingConfig;

    fn provider(name: &str, preset: &str, enabled: bool, key: KeyInfo) -> Provider {
        Provider {
            row: ProviderRow {
                id: format!("id-{name}"),
                name: name.into(),
                kind: ProviderKind::OpenaiCompatible,
                preset: preset.into(),
                base_url: "http://localhost".into(),
                headers: Vec::new(),
                enabled,
                header_secrets: Vec::new(),
            },
            headers: Vec::new(),
            key,
            models: None,
        }
    }

    #[test]
    fn a_model_is_available_only_through_an_enabled_provider_with_a_key_it_needs() {
        let catalog = RoutingConfig::bundled().catalog;
        let set = KeyInfo::Set {
            last4: "abcd".into(),
        };
        let providers = vec![
            provider("Work", "openai", true, set.clone()),
            provider("Claude", "anthropic", true, KeyInfo::Missing),
            provider("Gem", "gemini", false, set),
        ];
        let all = of_models(&catalog.models, &providers);
        let of = |id: &str| all.iter().find(|a| a.model == id).unwrap();
        assert!(of("gpt-4o").available);
        assert_eq!(of("gpt-4o").provider.as_deref(), Some("Work"));
        assert_eq!(of("gpt-4o").provider_id.as_deref(), Some("id-Work"));
        assert!(!of("claude-haiku").available);
        assert_eq!(of("claude-haiku").reason, "Claude has no API key");
        assert_eq!(of("gemini-flash").reason, "Gem is disabled");
        assert_eq!(
            of("deepseek-v3").reason,
            "no deepseek provider is configured"
        );

        // A local server needs no key; a provider may also be named after the catalog's name.
        let local = vec![provider("deepseek", "custom", true, KeyInfo::Missing)];
        assert!(of_models(&catalog.models, &local)
            .iter()
            .any(|a| a.model == "deepseek-v3" && a.available));
    }

    #[test]
    fn an_unreadable_keychain_and_a_disabled_model_say_so() {
        let mut catalog = RoutingConfig::bundled().catalog;
        let providers = vec![provider(
            "Work",
            "openai",
            true,
            KeyInfo::Unavailable {
                reason: "locked".into(),
            },
        )];
        let gpt = catalog.get("gpt-4o").unwrap().clone();
        let a = of_model(&gpt, &providers);
        assert!(!a.available);
        assert!(a.reason.contains("keychain") && a.reason.contains("locked"));
        catalog.models[0].enabled = false;
        let off = of_model(&catalog.models[0], &[]);
        assert!(
            off.reason.contains("disabled in the catalog"),
            "{}",
            off.reason
        );
    }

    #[test]
    fn a_fetched_model_list_that_lacks_a_model_makes_it_unavailable() {
        let catalog = RoutingConfig::bundled().catalog;
        let set = KeyInfo::Set {
            last4: "abcd".into(),
        };
        let mut work = provider("Work", "openai", true, set.clone());
        let all = of_models(&catalog.models, std::slice::from_ref(&work));
        let of = |all: &[ModelAvailability], id: &str| {
            all.iter().find(|a| a.model == id).cloned().unwrap()
        };
        // No list yet: every model of the provider is assumed served.
        assert!(of(&all, "o1").available);
        work.models = Some(ServedModels {
            models: ["gpt-4o".to_string(), "gpt-4o-mini".to_string()].into(),
            fetched_at: 1,
        });
        let all = of_models(&catalog.models, std::slice::from_ref(&work));
        assert!(of(&all, "gpt-4o").available);
        let o1 = of(&all, "o1");
        assert!(!o1.available);
        assert_eq!(o1.reason, "not served by Work (its model list has no o1)");
        assert_eq!(o1.provider.as_deref(), Some("Work"));

        // Listed under its API name (a dated snapshot), the model is served.
        let mut claude = provider("Claude", "anthropic", true, set.clone());
        claude.models = Some(ServedModels {
            models: ["claude-3-5-haiku-20241022".to_string()].into(),
            fetched_at: 1,
        });
        let all = of_models(&catalog.models, std::slice::from_ref(&claude));
        assert!(of(&all, "claude-haiku").available);
        assert!(!of(&all, "claude-sonnet-4").available);

        // Of two providers for one catalog name, the one whose list has the model serves it.
        let mut other = provider("Other", "openai", true, set);
        other.models = Some(ServedModels {
            models: ["o1".to_string()].into(),
            fetched_at: 1,
        });
        let all = of_models(&catalog.models, &[work, other]);
        assert!(of(&all, "o1").available);
        assert_eq!(of(&all, "o1").provider.as_deref(), Some("Other"));
        assert_eq!(of(&all, "gpt-4o").provider.as_deref(), Some("Work"));
    }
}
