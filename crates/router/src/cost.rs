//! Tokens and their price: one [`Usage`] and one formula ([`Cost::of`]) for both the router's
//! estimate before a call and the engine's bill after it, so the two never disagree.
use serde::Serialize;
use ts_rs::TS;

use crate::catalog::Model;
use crate::money::Usd;
use crate::request::Message;
use crate::tokens::{approx_tokens, PER_MESSAGE_OVERHEAD, PER_REPLY_OVERHEAD};

/// Tokens of one call, normalised across providers: `input_tokens` is the whole prompt (cached
/// part included) and `output_tokens` the whole output (reasoning included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Usage {
    pub input_tokens: u32,
    pub output_tokens: u32,
    /// The part of the prompt served from the provider's cache.
    pub cached_input_tokens: u32,
    /// The part of the output spent on hidden reasoning.
    pub reasoning_tokens: u32,
    /// True when these are Switchyard's approximation rather than the provider's report.
    pub estimated: bool,
}

impl Usage {
    /// An approximation for a call the provider reported nothing for (or that was cut off).
    pub fn estimate(messages: &[Message], reply: &str) -> Self {
        let prompt = messages
            .iter()
            .map(|m| {
                // A model's earlier tool calls are sent back as part of the prompt.
                m.tool_calls
                    .iter()
                    .map(|c| approx_tokens(&c.name).saturating_add(approx_tokens(&c.arguments)))
                    .fold(approx_tokens(&m.content), u32::saturating_add)
                    .saturating_add(PER_MESSAGE_OVERHEAD)
            })
            .fold(PER_REPLY_OVERHEAD, u32::saturating_add);
        Self {
            input_tokens: prompt,
            output_tokens: approx_tokens(reply),
            estimated: true,
            ..Self::default()
        }
    }

    /// What a request is expected to use before it is sent: `output` visible tokens, plus
    /// `reasoning` hidden ones for models that reason (those the catalog prices for reasoning).
    pub fn expected(model: &Model, prompt: u32, cached: u32, output: u32, reasoning: u32) -> Self {
        let reasoning = if model.reasoning.is_some() {
            reasoning
        } else {
            0
        };
        Self {
            input_tokens: prompt,
            output_tokens: output.saturating_add(reasoning),
            cached_input_tokens: cached.min(prompt),
            reasoning_tokens: reasoning,
            estimated: true,
        }
    }
}

/// A call's cost in nano-dollars, by what was paid for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
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

/// Whether the prompt and the expected reply fit the model's context window.
pub fn fits(model: &Model, prompt: u32, output: u32) -> bool {
    u64::from(prompt) + u64::from(output) <= u64::from(model.context_window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundled::default_catalog;
    use crate::money::PerMtok;

    #[test]
    fn earlier_tool_calls_count_as_prompt() {
        let text = vec![Message::text("user", "Weather in Paris?")];
        let mut called = text.clone();
        called.push(Message {
            role: "assistant".into(),
            tool_calls: vec![crate::ToolCall {
                id: "c1".into(),
                name: "get_weather".into(),
                arguments: r#"{"city": "Paris", "units": "metric", "days": 7}"#.into(),
                signature: None,
            }],
            ..Message::default()
        });
        let (plain, with_call) = (Usage::estimate(&text, ""), Usage::estimate(&called, ""));
        let call_tokens = crate::tokens::approx_tokens("get_weather")
            + crate::tokens::approx_tokens(r#"{"city": "Paris", "units": "metric", "days": 7}"#);
        assert!(call_tokens > 0);
        assert_eq!(
            with_call.input_tokens,
            plain.input_tokens + call_tokens + PER_MESSAGE_OVERHEAD
        );
    }

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
            vision: false,
            tools: false,
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
    fn the_estimate_and_the_bill_agree_for_every_priced_kind_of_token() {
        // Each model prices a different mix: plain, cached input, reasoning, both.
        let models = [
            model(2_500_000, 10_000_000, None, None),
            model(2_500_000, 10_000_000, Some(1_250_000), None),
            model(15_000_000, 60_000_000, None, Some(60_000_000)),
            model(3_000_000, 15_000_000, Some(300_000), Some(20_000_000)),
        ];
        for m in &models {
            let expected = Usage::expected(m, 1200, 200, 800, 3000);
            // The provider reports the same tokens after the call.
            let reported = Usage {
                estimated: false,
                ..expected
            };
            assert_eq!(
                Cost::of(m, &expected).total,
                Cost::of(m, &reported).total,
                "{m:?}"
            );
            // And each kind is priced at its own rate in both.
            let c = Cost::of(m, &expected);
            assert_eq!(c.cached_input, m.cached_input.unwrap_or(m.input).cost(200));
            if let Some(price) = m.reasoning {
                assert_eq!(c.reasoning, price.cost(3000));
                assert_eq!(c.output, m.output.cost(800));
            } else {
                // A model that does not reason is not expected to bill reasoning tokens.
                assert_eq!(c.reasoning, Usd(0));
            }
        }
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
            ..Default::default()
        }];
        let u = Usage::estimate(&msgs, &"y".repeat(40));
        assert!(u.estimated);
        assert_eq!(
            u.input_tokens,
            100 + PER_MESSAGE_OVERHEAD + PER_REPLY_OVERHEAD
        );
        assert_eq!(u.output_tokens, 10);
    }

    #[test]
    fn the_bundled_catalog_prices_reasoning_only_for_models_that_reason() {
        let catalog = default_catalog();
        let gpt4o = catalog.get("gpt-4o").unwrap();
        // 1000 × $2.50/M + 500 × $10/M = $0.0075; gpt-4o does not reason.
        let u = Usage::expected(gpt4o, 1000, 0, 500, 999);
        assert_eq!(Cost::of(gpt4o, &u).total, Usd(7_500_000));
        let o1 = catalog.get("o1").unwrap();
        let with = Cost::of(o1, &Usage::expected(o1, 1000, 0, 500, 999)).total;
        let without = Cost::of(o1, &Usage::expected(o1, 1000, 0, 500, 0)).total;
        assert_eq!(with.0 - without.0, 999 * 60_000);
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
