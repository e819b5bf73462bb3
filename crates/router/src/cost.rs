//! The estimated cost of one request on one model.
use crate::catalog::Model;
use crate::money::Usd;

/// The tokens a request is expected to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub prompt: u32,
    /// Of `prompt`, those served from the provider's cache.
    pub cached: u32,
    pub output: u32,
    /// Hidden reasoning tokens; counted only for models priced for them.
    pub reasoning: u32,
}

pub fn estimate(model: &Model, usage: Usage) -> Usd {
    let cached = usage.cached.min(usage.prompt);
    let fresh = usage.prompt - cached;
    let mut cost = model.input.cost(fresh);
    cost = cost.saturating_add(model.cached_input.unwrap_or(model.input).cost(cached));
    cost = cost.saturating_add(model.output.cost(usage.output));
    if let Some(price) = model.reasoning {
        cost = cost.saturating_add(price.cost(usage.reasoning));
    }
    cost
}

/// Whether the prompt and the expected reply fit the model's context window.
pub fn fits(model: &Model, prompt: u32, output: u32) -> bool {
    u64::from(prompt) + u64::from(output) <= u64::from(model.context_window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundled::default_catalog;

    #[test]
    fn prices_input_cached_output_and_reasoning() {
        let catalog = default_catalog();
        let gpt4o = catalog.get("gpt-4o").unwrap();
        let usage = Usage {
            prompt: 1000,
            cached: 0,
            output: 500,
            reasoning: 999,
        };
        // 1000 × $2.50/M + 500 × $10/M = $0.0075; gpt-4o has no reasoning price.
        assert_eq!(estimate(gpt4o, usage), Usd(7_500_000));
        let cached = Usage {
            cached: 1000,
            ..usage
        };
        // Cached input at $1.25/M halves the input part.
        assert_eq!(estimate(gpt4o, cached), Usd(6_250_000));
        let o1 = catalog.get("o1").unwrap();
        let with_reasoning = estimate(o1, usage);
        let without = estimate(
            o1,
            Usage {
                reasoning: 0,
                ..usage
            },
        );
        assert_eq!(with_reasoning.0 - without.0, 999 * 60_000);
    }

    #[test]
    fn context_fit_counts_prompt_and_reply() {
        let catalog = default_catalog();
        let m = catalog.get("gpt-4o").unwrap();
        assert!(fits(m, 127_000, 1000));
        assert!(!fits(m, 127_500, 1000));
        assert!(!fits(m, u32::MAX, u32::MAX));
    }
}
