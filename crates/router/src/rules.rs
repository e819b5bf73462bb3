//! The rule table: every routing strategy (by task, by complexity, cheapest meeting a quality
//! bound) expressed as ordered rules, first match wins, the last rule is the default.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::complexity::{ComplexityConfig, Tier, TierValues};
use crate::detector::DetectorConfig;
use crate::task::Task;

/// An inclusive range; a missing end is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Range<T> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<T>,
}

impl<T: PartialOrd + Copy> Range<T> {
    pub fn contains(&self, v: T) -> bool {
        self.min.is_none_or(|m| v >= m) && self.max.is_none_or(|m| v <= m)
    }

    /// Whether every value in `other` is also in `self`.
    pub fn covers(&self, other: &Range<T>) -> bool {
        let low = match (self.min, other.min) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a <= b,
        };
        let high = match (self.max, other.max) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(a), Some(b)) => a >= b,
        };
        low && high
    }
}

/// One test a rule makes; all of a rule's conditions must hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Condition {
    /// The detected task is one of these.
    Task(Vec<Task>),
    /// The complexity tier is one of these.
    Tier(Vec<Tier>),
    /// The complexity score is in this range.
    Score(Range<f64>),
    /// Any of these words or phrases occurs (whole words, case-insensitive).
    Keywords(Vec<String>),
    /// The last user message matches this regular expression.
    Regex(String),
    /// The prompt holds code (or holds none, with `false`).
    HasCode(bool),
    /// The prompt asks for JSON (or does not, with `false`).
    AsksJson(bool),
    /// The estimated prompt tokens of the whole conversation are in this range.
    PromptTokens(Range<u32>),
    /// The number of messages in the conversation is in this range.
    Messages(Range<u32>),
    /// The message carries this `#tag` (written without the `#`).
    Tag(String),
}

impl Condition {
    pub fn field(&self) -> &'static str {
        match self {
            Condition::Task(_) => "task",
            Condition::Tier(_) => "tier",
            Condition::Score(_) => "score",
            Condition::Keywords(_) => "keywords",
            Condition::Regex(_) => "regex",
            Condition::HasCode(_) => "has_code",
            Condition::AsksJson(_) => "asks_json",
            Condition::PromptTokens(_) => "prompt_tokens",
            Condition::Messages(_) => "messages",
            Condition::Tag(_) => "tag",
        }
    }
}

/// What a matching rule does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum Action {
    /// A model chain: the primary, then fallbacks in order, tried when a provider fails.
    Chain(ChainAction),
    /// The cheapest enabled model whose quality meets the bound for the request's tier,
    /// optionally only from some providers.
    Cheapest(CheapestAction),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ChainAction {
    pub models: Vec<String>,
    /// Start at the chain's cheapest member for this request, to save money where the caller
    /// accepts a weaker answer.
    #[serde(default)]
    pub prefer_cost: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CheapestAction {
    pub min_quality: TierValues<f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub providers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Rule {
    pub name: String,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Conditions that must all hold; none makes the rule match everything.
    #[serde(default)]
    pub when: Vec<Condition>,
    pub then: Action,
}

fn enabled_by_default() -> bool {
    true
}

/// Settings of the cost estimate and of the chain's length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct Settings {
    /// Output tokens expected when the request sets no limit.
    pub expected_output_tokens: TierValues<u32>,
    /// Hidden reasoning tokens expected from models priced for them.
    pub expected_reasoning_tokens: TierValues<u32>,
    /// How many fallbacks a `cheapest` action lists after its winner.
    pub cheapest_fallbacks: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            expected_output_tokens: TierValues {
                trivial: 150,
                simple: 400,
                moderate: 800,
                complex: 1500,
            },
            expected_reasoning_tokens: TierValues {
                trivial: 200,
                simple: 600,
                moderate: 1500,
                complex: 4000,
            },
            cheapest_fallbacks: 2,
        }
    }
}

/// Everything that decides, apart from the catalog: detection data, complexity weights,
/// settings and the ordered rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RuleSet {
    #[serde(default)]
    pub settings: Settings,
    #[serde(default)]
    pub detector: DetectorConfig,
    #[serde(default)]
    pub complexity: ComplexityConfig,
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// Rules with the bundled detector, complexity weights and settings.
    pub fn with_rules(rules: Vec<Rule>) -> Self {
        RuleSet {
            settings: Settings::default(),
            detector: DetectorConfig::default(),
            complexity: ComplexityConfig::default(),
            rules,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_contain_and_cover() {
        let r = Range {
            min: Some(2),
            max: None,
        };
        assert!(r.contains(2) && r.contains(1_000) && !r.contains(1));
        let open = Range::<u32>::default();
        assert!(open.covers(&r) && !r.covers(&open));
        assert!(r.covers(&Range {
            min: Some(3),
            max: Some(9)
        }));
    }
}
