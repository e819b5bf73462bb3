//! Import of LiteLLM's `model_prices_and_context_window.json`: refreshes the prices and context
//! windows of the catalog's models and adds the chat models it does not know yet.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::{Catalog, Model};
use crate::error::ConfigError;
use crate::money::PerMtok;

/// One entry of LiteLLM's file, the fields the catalog uses (the file has many more).
#[derive(Debug, Deserialize)]
struct Entry {
    litellm_provider: Option<String>,
    mode: Option<String>,
    max_input_tokens: Option<f64>,
    max_tokens: Option<f64>,
    input_cost_per_token: Option<f64>,
    output_cost_per_token: Option<f64>,
    cache_read_input_token_cost: Option<f64>,
    output_cost_per_reasoning_token: Option<f64>,
    supports_reasoning: Option<bool>,
    supports_vision: Option<bool>,
    supports_function_calling: Option<bool>,
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    /// Catalog models whose prices or context window were refreshed.
    pub updated: Vec<String>,
    /// New models, added disabled: LiteLLM has no quality score, so the user sets one first.
    pub added: Vec<String>,
    /// Entries left out: not chat models, or without prices or a context window.
    pub skipped: u32,
}

/// The quality given to added models until the user sets one.
pub const UNRATED_QUALITY: f64 = 0.5;

/// LiteLLM's provider names, mapped to the catalog's.
fn provider_name(litellm: &str) -> &str {
    match litellm {
        "vertex_ai-language-models" | "gemini" => "gemini",
        "text-completion-openai" | "openai" => "openai",
        other => other,
    }
}

/// Merges `json` into `base`. Models are matched by id, then by API name, then by LiteLLM's key
/// without its `provider/` prefix.
pub fn import(json: &str, base: &Catalog) -> Result<(Catalog, ImportReport), ConfigError> {
    let raw: BTreeMap<String, serde_json::Value> = serde_json::from_str(json)
        .map_err(|e| ConfigError::Parse(format!("LiteLLM price file: {e}")))?;
    let mut catalog = base.clone();
    let mut report = ImportReport::default();
    for (key, value) in raw {
        // The file opens with a "sample_spec" documenting its fields; it and any entry of
        // another shape are skipped, not fatal.
        let Ok(entry) = serde_json::from_value::<Entry>(value) else {
            report.skipped += 1;
            continue;
        };
        let Some(model) = to_model(&key, &entry) else {
            report.skipped += 1;
            continue;
        };
        let short = key.rsplit_once('/').map_or(key.as_str(), |(_, name)| name);
        let existing = catalog
            .models
            .iter_mut()
            .find(|m| m.id == key || m.id == short || m.api_id.as_deref() == Some(short));
        match existing {
            Some(m) => {
                m.input = model.input;
                m.output = model.output;
                m.cached_input = model.cached_input.or(m.cached_input);
                m.reasoning = model.reasoning.or(m.reasoning);
                m.context_window = model.context_window;
                m.vision = m.vision || model.vision;
                m.tools = m.tools || model.tools;
                if !report.updated.contains(&m.id) {
                    report.updated.push(m.id.clone());
                }
            }
            None => {
                report.added.push(model.id.clone());
                catalog.models.push(model);
            }
        }
    }
    Ok((catalog, report))
}

fn to_model(key: &str, e: &Entry) -> Option<Model> {
    if e.mode.as_deref().is_some_and(|m| m != "chat") {
        return None;
    }
    let context = e.max_input_tokens.or(e.max_tokens)?;
    let context_window =
        (context.is_finite() && context >= 1.0).then(|| context.min(f64::from(u32::MAX)) as u32)?;
    let input = PerMtok::from_usd_per_token(e.input_cost_per_token?)?;
    let output = PerMtok::from_usd_per_token(e.output_cost_per_token?)?;
    let cached_input = e
        .cache_read_input_token_cost
        .and_then(PerMtok::from_usd_per_token);
    // Reasoning models without a separate price bill reasoning tokens as output.
    let reasoning = e
        .output_cost_per_reasoning_token
        .and_then(PerMtok::from_usd_per_token)
        .or_else(|| e.supports_reasoning.unwrap_or(false).then_some(output));
    let provider = e
        .litellm_provider
        .as_deref()
        .map_or("unknown", provider_name);
    let api_id = key
        .strip_prefix(&format!("{provider}/"))
        .map(str::to_string);
    Some(Model {
        id: key.to_string(),
        provider: provider.to_string(),
        api_id,
        input,
        output,
        cached_input,
        reasoning,
        context_window,
        quality: UNRATED_QUALITY,
        enabled: false,
        vision: e.supports_vision.unwrap_or(false),
        tools: e.supports_function_calling.unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundled::default_catalog;

    const SAMPLE: &str = r#"{
        "sample_spec": { "max_tokens": "set to max_output_tokens if provider specifies it" },
        "gpt-4o": { "max_input_tokens": 128000, "max_tokens": 16384, "input_cost_per_token": 2e-06,
                    "output_cost_per_token": 8e-06, "cache_read_input_token_cost": 1e-06,
                    "litellm_provider": "openai", "mode": "chat" },
        "groq/qwen-qwq-32b": { "max_input_tokens": 128000, "input_cost_per_token": 2.9e-07,
                    "output_cost_per_token": 3.9e-07, "litellm_provider": "groq", "mode": "chat",
                    "supports_reasoning": true },
        "text-embedding-3-small": { "max_input_tokens": 8191, "input_cost_per_token": 2e-08,
                    "output_cost_per_token": 0, "litellm_provider": "openai", "mode": "embedding" }
    }"#;

    #[test]
    fn refreshes_known_models_and_adds_new_ones_disabled() {
        let base = default_catalog();
        let (catalog, report) = import(SAMPLE, &base).unwrap();
        assert_eq!(report.updated, vec!["gpt-4o"]);
        assert_eq!(report.added, vec!["groq/qwen-qwq-32b"]);
        assert_eq!(report.skipped, 2);
        let gpt4o = catalog.get("gpt-4o").unwrap();
        assert_eq!(gpt4o.input, PerMtok(2_000_000));
        assert_eq!(gpt4o.cached_input, Some(PerMtok(1_000_000)));
        assert_eq!(gpt4o.quality, base.get("gpt-4o").unwrap().quality);
        let qwq = catalog.get("groq/qwen-qwq-32b").unwrap();
        assert!(!qwq.enabled);
        assert_eq!(qwq.provider, "groq");
        assert_eq!(qwq.api_name(), "qwen-qwq-32b");
        assert_eq!(qwq.reasoning, Some(qwq.output));
        assert_eq!(catalog.models.len(), base.models.len() + 1);
    }

    #[test]
    fn a_file_that_is_not_json_is_an_error() {
        assert!(matches!(
            import("nope", &Catalog::default()),
            Err(ConfigError::Parse(_))
        ));
    }
}
