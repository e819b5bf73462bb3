//! Complexity: five yes/no factors (long conversation, structured output, several questions,
//! domain terms, code) plus the prompt's size, its distinct steps and how much the task itself
//! demands, each reported with its contribution, summed to a score and a tier.
//!
//! The score doubles as "how much would a strong model help": reasoning, math and code gain the
//! most from a stronger model, simple writing and chat the least, so the task's demand carries
//! the largest weight and the shape factors refine the order within a task.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::task::Task;
use crate::tasks::Features;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Tier {
    Trivial,
    Simple,
    Moderate,
    Complex,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::Trivial, Tier::Simple, Tier::Moderate, Tier::Complex];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Trivial => "trivial",
            Tier::Simple => "simple",
            Tier::Moderate => "moderate",
            Tier::Complex => "complex",
        }
    }
}

/// One value per tier (expected output tokens, a quality bound…).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct TierValues<T> {
    pub trivial: T,
    pub simple: T,
    pub moderate: T,
    pub complex: T,
}

impl<T: Copy> TierValues<T> {
    pub fn get(&self, tier: Tier) -> T {
        match tier {
            Tier::Trivial => self.trivial,
            Tier::Simple => self.simple,
            Tier::Moderate => self.moderate,
            Tier::Complex => self.complex,
        }
    }
}

/// The lowest score of each tier above trivial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct TierThresholds {
    pub simple: f64,
    pub moderate: f64,
    pub complex: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct TaskWeight {
    pub task: Task,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct FactorWeights {
    pub long_conversation: f64,
    pub structured_output: f64,
    /// Per question beyond the first, up to two.
    pub several_questions: f64,
    /// Per distinct domain term, up to three.
    pub domain_terms: f64,
    pub code: f64,
    /// Per doubling of the prompt beyond 64 tokens, up to four doublings.
    pub size: f64,
    /// Per distinct step beyond the first, up to four.
    pub steps: f64,
}

impl Default for FactorWeights {
    fn default() -> Self {
        FactorWeights {
            long_conversation: 1.0,
            structured_output: 0.25,
            several_questions: 0.25,
            domain_terms: 0.25,
            code: 1.0,
            size: 0.25,
            steps: 0.1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct ComplexityConfig {
    pub weights: FactorWeights,
    /// More messages than this make a long conversation (10 by default: five exchanges of a
    /// user message and a reply).
    pub long_conversation_messages: u32,
    /// What each task adds by itself.
    pub task_demand: Vec<TaskWeight>,
    pub tiers: TierThresholds,
}

impl Default for ComplexityConfig {
    fn default() -> Self {
        let demand = |task| match task {
            Task::Reasoning | Task::Math | Task::Code => 2.0,
            Task::Analysis | Task::Extraction => 1.0,
            Task::Classification | Task::Translation => 0.5,
            Task::Summarization | Task::Formatting => 0.25,
            Task::Writing => 0.0,
        };
        ComplexityConfig {
            weights: FactorWeights::default(),
            long_conversation_messages: 10,
            task_demand: Task::ALL
                .into_iter()
                .map(|task| TaskWeight {
                    task,
                    weight: demand(task),
                })
                .collect(),
            tiers: TierThresholds {
                simple: 1.0,
                moderate: 2.0,
                complex: 3.0,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Factor {
    /// `long_conversation`, `structured_output`, `several_questions`, `domain_terms`, `code`,
    /// `size`, `steps` or `task`.
    pub name: String,
    pub detail: String,
    pub contribution: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Complexity {
    pub score: f64,
    pub tier: Tier,
    /// Every factor, the ones that add nothing included, so the trace shows what was checked.
    pub factors: Vec<Factor>,
}

/// What the complexity is computed from.
pub struct Inputs<'a> {
    pub features: &'a Features,
    pub task: Task,
    pub messages: usize,
    pub prompt_tokens: u32,
}

pub fn assess(config: &ComplexityConfig, input: &Inputs<'_>) -> Complexity {
    let w = &config.weights;
    let f = input.features;
    let long = input.messages > config.long_conversation_messages as usize;
    let extra_questions = f.questions.saturating_sub(1).min(2);
    let terms = f.domain_terms.len().min(3) as f64;
    let doublings = (f64::from(input.prompt_tokens.max(1)) / 64.0)
        .log2()
        .clamp(0.0, 4.0);
    let extra_steps = f.steps.saturating_sub(1).min(4);
    let demand = config
        .task_demand
        .iter()
        .find(|d| d.task == input.task)
        .map_or(0.0, |d| d.weight);

    let factors = vec![
        factor(
            "long_conversation",
            format!(
                "{} messages (long above {})",
                input.messages, config.long_conversation_messages
            ),
            if long { w.long_conversation } else { 0.0 },
        ),
        factor(
            "structured_output",
            if f.structured_output.is_empty() {
                "no structured output asked for".into()
            } else {
                format!("asks for {}", f.structured_output.join(", "))
            },
            if f.structured_output.is_empty() {
                0.0
            } else {
                w.structured_output
            },
        ),
        factor(
            "several_questions",
            format!("{} questions", f.questions),
            w.several_questions * f64::from(extra_questions),
        ),
        factor(
            "domain_terms",
            if f.domain_terms.is_empty() {
                "no domain terms".into()
            } else {
                f.domain_terms.join(", ")
            },
            w.domain_terms * terms,
        ),
        factor(
            "code",
            if f.has_code {
                "code in the prompt"
            } else {
                "no code in the prompt"
            }
            .into(),
            if f.has_code { w.code } else { 0.0 },
        ),
        factor(
            "size",
            format!("about {} prompt tokens", input.prompt_tokens),
            w.size * doublings,
        ),
        factor(
            "steps",
            format!("{} distinct steps", f.steps),
            w.steps * f64::from(extra_steps),
        ),
        factor("task", format!("{} demands {demand}", input.task), demand),
    ];
    let score = factors.iter().map(|f| f.contribution).sum::<f64>();
    // Round away float noise so equal prompts tie exactly and the score prints cleanly.
    let score = (score * 1000.0).round() / 1000.0;
    Complexity {
        score,
        tier: tier_of(&config.tiers, score),
        factors,
    }
}

pub fn tier_of(t: &TierThresholds, score: f64) -> Tier {
    if score >= t.complex {
        Tier::Complex
    } else if score >= t.moderate {
        Tier::Moderate
    } else if score >= t.simple {
        Tier::Simple
    } else {
        Tier::Trivial
    }
}

fn factor(name: &str, detail: String, contribution: f64) -> Factor {
    Factor {
        name: name.into(),
        detail,
        contribution,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(features: &Features, task: Task, messages: usize, tokens: u32) -> Complexity {
        let input = Inputs {
            features,
            task,
            messages,
            prompt_tokens: tokens,
        };
        assess(&ComplexityConfig::default(), &input)
    }

    #[test]
    fn every_factor_is_reported_and_sums_to_the_score() {
        let f = Features {
            has_code: true,
            questions: 3,
            steps: 3,
            domain_terms: vec!["algorithm".into()],
            structured_output: vec!["json".into()],
            ..Features::default()
        };
        let c = score(&f, Task::Code, 12, 1024);
        assert_eq!(c.factors.len(), 8);
        let sum: f64 = c.factors.iter().map(|f| f.contribution).sum();
        assert!((sum - c.score).abs() < 1e-3);
        assert!(
            c.factors.iter().all(|f| f.contribution > 0.0),
            "{:?}",
            c.factors
        );
        assert_eq!(c.tier, Tier::Complex);
    }

    #[test]
    fn a_short_chat_is_trivial_and_hard_tasks_rank_higher() {
        let f = Features::default();
        let chat = score(&f, Task::Writing, 1, 10);
        assert_eq!(chat.score, 0.0);
        assert_eq!(chat.tier, Tier::Trivial);
        assert!(score(&f, Task::Math, 1, 10).score > score(&f, Task::Summarization, 1, 10).score);
    }
}
