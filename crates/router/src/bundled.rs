//! The bundled catalog: the models the presets name (gpt-4o, gpt-4o-mini, o1, claude-opus-4,
//! claude-sonnet-4, claude-haiku, gemini-flash, deepseek-v3) and current models of each provider,
//! at their public list prices on the date below. Users edit it or refresh it from LiteLLM's price file.
use crate::catalog::{Catalog, Model};
use crate::money::PerMtok;

/// When these list prices were taken from the providers' pricing pages.
pub const PRICES_TAKEN: &str = "2025-11-24";

/// One row: id, provider, api id (when it differs), $/Mtok input, output, cached input,
/// reasoning, context window, quality.
type Row = (
    &'static str,
    &'static str,
    Option<&'static str>,
    f64,
    f64,
    Option<f64>,
    Option<f64>,
    u32,
    f64,
);

// Quality is on a 0..1 scale anchored by four models: gpt-4o-mini 0.85, claude-sonnet-4 0.92,
// gpt-4o 0.95, claude-opus-4 0.98 (the bounds of the cost-aware preset are set against these);
// the others are placed between them by their standing on public leaderboards at the date above.
#[rustfmt::skip]
const ROWS: &[Row] = &[
    // OpenAI. Reasoning tokens are billed as output tokens.
    ("gpt-4o", "openai", None, 2.50, 10.00, Some(1.25), None, 128_000, 0.95),
    ("gpt-4o-mini", "openai", None, 0.15, 0.60, Some(0.075), None, 128_000, 0.85),
    ("o1", "openai", None, 15.00, 60.00, Some(7.50), Some(60.00), 200_000, 0.97),
    ("o3", "openai", None, 2.00, 8.00, Some(0.50), Some(8.00), 200_000, 0.97),
    ("o4-mini", "openai", None, 1.10, 4.40, Some(0.275), Some(4.40), 200_000, 0.93),
    ("gpt-4.1", "openai", None, 2.00, 8.00, Some(0.50), None, 1_047_576, 0.94),
    ("gpt-4.1-mini", "openai", None, 0.40, 1.60, Some(0.10), None, 1_047_576, 0.88),
    ("gpt-4.1-nano", "openai", None, 0.10, 0.40, Some(0.025), None, 1_047_576, 0.80),
    ("gpt-5", "openai", None, 1.25, 10.00, Some(0.125), Some(10.00), 400_000, 0.97),
    ("gpt-5-mini", "openai", None, 0.25, 2.00, Some(0.025), Some(2.00), 400_000, 0.92),
    ("gpt-5-nano", "openai", None, 0.05, 0.40, Some(0.005), Some(0.40), 400_000, 0.84),
    // Anthropic. Cached input is the cache-read price.
    ("claude-opus-4", "anthropic", Some("claude-opus-4-20250514"), 15.00, 75.00, Some(1.50), None, 200_000, 0.98),
    ("claude-opus-4-1", "anthropic", Some("claude-opus-4-1-20250805"), 15.00, 75.00, Some(1.50), None, 200_000, 0.98),
    ("claude-opus-4-5", "anthropic", Some("claude-opus-4-5-20251101"), 5.00, 25.00, Some(0.50), None, 200_000, 0.99),
    ("claude-sonnet-4", "anthropic", Some("claude-sonnet-4-20250514"), 3.00, 15.00, Some(0.30), None, 200_000, 0.92),
    ("claude-sonnet-4-5", "anthropic", Some("claude-sonnet-4-5-20250929"), 3.00, 15.00, Some(0.30), None, 200_000, 0.96),
    ("claude-haiku", "anthropic", Some("claude-3-5-haiku-20241022"), 0.80, 4.00, Some(0.08), None, 200_000, 0.84),
    ("claude-haiku-4-5", "anthropic", Some("claude-haiku-4-5-20251001"), 1.00, 5.00, Some(0.10), None, 200_000, 0.90),
    // Google Gemini (prices for prompts up to 200k tokens).
    ("gemini-flash", "gemini", Some("gemini-2.0-flash"), 0.10, 0.40, Some(0.025), None, 1_048_576, 0.84),
    ("gemini-2.5-flash-lite", "gemini", None, 0.10, 0.40, None, None, 1_048_576, 0.82),
    ("gemini-2.5-flash", "gemini", None, 0.30, 2.50, None, None, 1_048_576, 0.90),
    ("gemini-2.5-pro", "gemini", None, 1.25, 10.00, None, None, 1_048_576, 0.96),
    // DeepSeek (V3.2 prices; cached input is the cache-hit price).
    ("deepseek-v3", "deepseek", Some("deepseek-chat"), 0.28, 0.42, Some(0.028), None, 128_000, 0.90),
    ("deepseek-r1", "deepseek", Some("deepseek-reasoner"), 0.28, 0.42, Some(0.028), Some(0.42), 128_000, 0.93),
    // Mistral.
    ("mistral-large", "mistral", Some("mistral-large-2411"), 2.00, 6.00, None, None, 131_072, 0.90),
    ("mistral-medium-3", "mistral", Some("mistral-medium-2505"), 0.40, 2.00, None, None, 131_072, 0.89),
    ("mistral-small", "mistral", Some("mistral-small-2503"), 0.10, 0.30, None, None, 131_072, 0.82),
    ("codestral", "mistral", Some("codestral-2501"), 0.30, 0.90, None, None, 256_000, 0.86),
    // Groq.
    ("llama-3.3-70b-versatile", "groq", None, 0.59, 0.79, None, None, 131_072, 0.86),
    ("llama-3.1-8b-instant", "groq", None, 0.05, 0.08, None, None, 131_072, 0.72),
];

/// The models that read images sent with a message, from each provider's model documentation.
/// Not these: DeepSeek's chat models, Mistral Large 2411 and Codestral, the Groq Llama text
/// models, and Claude 3.5 Haiku (launched text-only).
const VISION: &[&str] = &[
    "gpt-4o",
    "gpt-4o-mini",
    "o1",
    "o3",
    "o4-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "claude-opus-4",
    "claude-opus-4-1",
    "claude-opus-4-5",
    "claude-sonnet-4",
    "claude-sonnet-4-5",
    "claude-haiku-4-5",
    "gemini-flash",
    "gemini-2.5-flash-lite",
    "gemini-2.5-flash",
    "gemini-2.5-pro",
    "mistral-medium-3",
    "mistral-small",
];

/// The models that cannot call tools (function calling), from each provider's documentation:
/// DeepSeek's reasoner refuses `tools`. Every other bundled model takes them.
const NO_TOOLS: &[&str] = &["deepseek-r1"];

fn price(usd: f64) -> PerMtok {
    PerMtok::from_usd(usd).expect("bundled prices are valid dollar amounts")
}

/// The bundled catalog, every model enabled.
pub fn default_catalog() -> Catalog {
    let models = ROWS
        .iter()
        .map(
            |&(id, provider, api_id, input, output, cached, reasoning, context_window, quality)| {
                Model {
                    id: id.into(),
                    provider: provider.into(),
                    api_id: api_id.map(Into::into),
                    input: price(input),
                    output: price(output),
                    cached_input: cached.map(price),
                    reasoning: reasoning.map(price),
                    context_window,
                    quality,
                    enabled: true,
                    vision: VISION.contains(&id),
                    tools: !NO_TOOLS.contains(&id),
                }
            },
        )
        .collect();
    Catalog {
        prices_taken: Some(PRICES_TAKEN.into()),
        models,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn bundled_catalog_is_consistent() {
        let catalog = default_catalog();
        let ids: HashSet<_> = catalog.models.iter().map(|m| &m.id).collect();
        assert_eq!(ids.len(), catalog.models.len(), "duplicate ids");
        for provider in [
            "openai",
            "anthropic",
            "gemini",
            "deepseek",
            "mistral",
            "groq",
        ] {
            assert!(
                catalog.models.iter().any(|m| m.provider == provider),
                "{provider}"
            );
        }
        for m in &catalog.models {
            assert!((0.0..=1.0).contains(&m.quality), "{}", m.id);
            assert!(m.output >= m.input || m.provider == "groq", "{}", m.id);
            assert!(m.context_window >= 100_000, "{}", m.id);
        }
        // The anchor qualities the cost-aware preset's bounds are set against.
        assert_eq!(catalog.get("claude-opus-4").unwrap().quality, 0.98);
        assert_eq!(catalog.get("gpt-4o-mini").unwrap().quality, 0.85);
        assert_eq!(catalog.find("deepseek-chat").unwrap().id, "deepseek-v3");
        for id in VISION {
            assert!(catalog.get(id).is_some_and(|m| m.vision), "{id}");
        }
        assert!(!catalog.get("deepseek-v3").unwrap().vision);
        assert!(!catalog.get("deepseek-r1").unwrap().tools);
        for id in [
            "gpt-4o-mini",
            "claude-haiku",
            "gemini-flash",
            "deepseek-v3",
            "mistral-small",
        ] {
            assert!(catalog.get(id).unwrap().tools, "{id}");
        }
    }
}
