//! Token counts as providers report them, and their exact cost under the catalog's prices.
use serde::Serialize;
use switchyard_router::tokens::{approx_tokens, PER_MESSAGE_OVERHEAD, PER_REPLY_OVERHEAD};
use switchyard_router::Message;
use switchyard_router::Model;
use switchyard_router::Usd;
use ts_rs::TS;

/// Tokens of one call, normalised across providers: `input_tokens` is the whole prompt (cached
/// part included) and `output_tokens` the whole output (reasoning included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Usage {
    pub input_tokens: u32,
    pub output_tokens: u32,
    /// The part of the prompt served from the provider's cache.
    pub cached_input_tokens: u32,
    /// The part of the output spent on hidden reasoning.
    pub reasoning_tokens: u32,
    /// True when the provider reported nothing and these are Switchyard's approximation.
    pub estimated: bool,
}

impl Usage {
    /// An approximation for a provider that reported no usage (or a reply cut off before it did).
    pub fn estimate(messages: &[Message], reply: &str) -> Self {
        let prompt = messages
            .iter()
            .map(|m| approx_tokens(&m.content).saturating_add(PER_MESSAGE_OVERHEAD))
            .fold(PER_REPLY_OVERHEAD, u32::saturating_add);
        Self {
            input_tokens: prompt,
            output_tokens: approx_tokens(reply),
            estimated: true,
            ..Self::default()
        }
    }
}

/// A call's cost in nano-dollars, by what was paid for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct Cost {
    #[ts(type = "number")]
    pub input: Usd,
    #[ts(type = "number")]
    pub cached_input: Usd,
    #[ts(type = "number")]
    pub output: Usd,
    #[ts(type = "number")]
    pub reasoning: Usd,
    #[ts(type = "number")]
    pub total: Usd,
}

impl Cost {
    /// Prices `usage` with `model`'s catalog prices. Cached input falls back to the input price
    /// and reasoning to the output price where the catalog lists none, as providers bill them.
    pub fn of(model: &Model, usage: &Usage) -> Self {
        let cached = usage.cached_input_tokens.min(usage.input_tokens);
        let reasoning = usage.reasoning_tokens.min(usage.output_tokens);
        let input = model.input.cost(usage.input_tokens - cached);
        let cached_input = model.cached_input.unwrap_or(model.input).cost(cached);
        let output = model.output.cost(usage.output_tokens - reasoning);
        let reasoning = model.reasoning.unwrap_or(model.output).cost(reasoning);
        let total = input
            .saturating_add(cached_input)
            .saturating_add(output)
            .saturating_add(reasoning);
        Self {
            input,
            cached_input,
            output,
            reasoning,
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use switchyard_router::PerMtok;

    use super::*;

    fn model(input: u64, output: u64, cached: Option<u64>, reasoning: Option<u64>) -> Model {
        Model {
            id: "m".into(),
            provider: "p".into(),
            api_id: None,
            input: PerMtok(input),
            output: PerMtok(output),
            cached_input: cached.map(PerMtok),
            reasoning: reasoning.map(PerMtok),
            context_window: 128_000,
            quality: 0.9,
            enabled: true,
        }
    }

    #[test]
    fn cost_is_exact_to_the_nano_dollar_for_each_kind_of_token() {
        // $2.50 in, $10 out, $1.25 cached, reasoning at the output price.
        let m = model(2_500_000, 10_000_000, Some(1_250_000), None);
        let u = Usage {
            input_tokens: 1000,
            output_tokens: 500,
            cached_input_tokens: 400,
            reasoning_tokens: 100,
            estimated: false,
        };
        let c = Cost::of(&m, &u);
        assert_eq!(c.input, Usd(1_500_000)); // 600 × $2.50/M = $0.0015
        assert_eq!(c.cached_input, Usd(500_000)); // 400 × $1.25/M
        assert_eq!(c.output, Usd(4_000_000)); // 400 × $10/M
        assert_eq!(c.reasoning, Usd(1_000_000)); // 100 × $10/M
        assert_eq!(c.total, Usd(7_000_000));
    }

    #[test]
    fn a_million_one_token_calls_sum_to_exactly_the_price_of_a_million_tokens() {
        let m = model(150_000, 600_000, None, None);
        let one = Cost::of(
            &m,
            &Usage {
                input_tokens: 1,
                output_tokens: 1,
                ..Usage::default()
            },
        )
        .total;
        let sum = (0..1_000_000).fold(Usd(0), |acc, _| acc.saturating_add(one));
        assert_eq!(sum, Usd(750_000_000)); // $0.15 + $0.60
    }

    #[test]
    fn counts_reported_inconsistently_never_underflow() {
        let m = model(1_000_000, 1_000_000, None, None);
        let u = Usage {
            input_tokens: 5,
            output_tokens: 2,
            cached_input_tokens: 9,
            reasoning_tokens: 9,
            estimated: false,
        };
        assert_eq!(Cost::of(&m, &u).total, Usd(7_000));
    }

    #[test]
    fn estimates_are_marked_and_grow_with_the_text() {
        let msgs = [Message {
            role: "user".into(),
            content: "x".repeat(400),
        }];
        let u = Usage::estimate(&msgs, &"y".repeat(40));
        assert!(u.estimated);
        assert_eq!(
            u.input_tokens,
            100 + PER_MESSAGE_OVERHEAD + PER_REPLY_OVERHEAD
        );
        assert_eq!(u.output_tokens, 10);
    }
}
