//! Complexity: how much a strong model would help. Yes/no factors (long conversation,
//! structured output, code, a short answer asked for, multiple choice, a turned-around choice)
//! and measured ones (size, questions, domain terms, steps, quantities, asks for a justified
//! answer, requirement words, technical vocabulary, a programming task's structure), plus how
//! much the task itself demands, and whether material is handed over with the ask. Each factor is reported with its weight, the value measured
//! and their product; the products sum to the score, and thresholds give the tier.
//!
//! The score doubles as "how much would a strong model help": reasoning, math and code gain the
//! most from a stronger model, simple writing and chat the least, so the task's demand carries
//! the largest weight and the shape factors refine the order within a task.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::task::Task;
use crate::tasks::Features;
use crate::trace::counted;

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
    /// Per doubling of the prompt beyond 16 tokens, up to six doublings; a multiple-choice
    /// question's options are left out.
    pub size: f64,
    /// Per distinct step beyond the first, up to four.
    pub steps: f64,
    /// Per doubling of the quantities (numbers, and number words such as "twice" or "five")
    /// past two, up to five doublings (3 quantities: 0.42, 5: 1, 11: 2, 23: 3): each quantity
    /// of a word problem is a step of its solution, and a computation asked of an exam question
    /// is where a weak model slips. A log scale, because the first quantities say the most and
    /// the twentieth adds little.
    pub quantities: f64,
    /// Per distinct ask for a justified answer ("prove", "explain why", "step by step",
    /// "compare", "optimal"), up to three.
    pub reasoning: f64,
    /// Per distinct requirement word beyond the first ("must", "without", "exactly",
    /// "at most", "each"), up to five.
    pub requirements: f64,
    /// Times the share of words of ten letters or more (technical vocabulary), capped at 0.3.
    pub long_words: f64,
    /// Per sign of a programming problem's structure (signatures, docstrings, headings,
    /// limits), up to three.
    pub code_structure: f64,
    /// A request for a short answer ("in one word", "yes or no"): usually negative.
    pub short_answer: f64,
    /// A multiple-choice question: usually negative, the options bound the answer.
    pub multiple_choice: f64,
    /// A multiple-choice question turned around ("NOT", "EXCEPT") or combining numbered
    /// statements.
    pub tricky_choice: f64,
    /// A multiple-choice question whose options are numbers: the answer must be computed
    /// before it is picked, where a weak model slips (on exam, science and benchmark
    /// questions with real outcomes, these are the ones the weaker model gets wrong more).
    pub numeric_options: f64,
    /// Material handed over with the ask (a text to classify, data to extract from, code to
    /// work on): the answer must stay true to it, where weak models slip.
    pub material: f64,
}

impl Default for FactorWeights {
    fn default() -> Self {
        FactorWeights {
            long_conversation: 1.0,
            structured_output: 0.25,
            several_questions: 0.25,
            domain_terms: 0.25,
            code: 0.5,
            size: 0.45,
            steps: 0.1,
            quantities: 0.75,
            reasoning: 0.8,
            requirements: 0.15,
            long_words: 0.5,
            code_structure: 0.25,
            short_answer: -0.75,
            multiple_choice: -0.5,
            tricky_choice: 0.75,
            numeric_options: 0.5,
            material: 0.5,
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
        // Tasks with one right answer gain the most from a strong model: reasoning, math and
        // code, then extraction, formatting and classification, where the answer must match the
        // material exactly. Open prose (writing, explanations) gains the least: a weak model's
        // essay is judged close to a strong one's.
        let demand = |task| match task {
            Task::Reasoning | Task::Math | Task::Code | Task::Extraction => 1.5,
            Task::Formatting | Task::Classification => 1.0,
            Task::Translation => 0.75,
            Task::Summarization => 0.5,
            Task::Analysis => 0.25,
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
            // The trivial tier's bound keeps the development sets' share of trivial
            // requests where it was before the quantities went to a log scale and technical
            // vocabulary lost weight (about one in seven of MT-Bench's questions).
            tiers: TierThresholds {
                simple: 0.75,
                moderate: 2.0,
                complex: 3.0,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Factor {
    /// The name of its weight in `FactorWeights` (`size`, `quantities`, `reasoning`…), or
    /// `task` for the task's demand.
    pub name: String,
    pub detail: String,
    /// The configured weight…
    pub weight: f64,
    /// …times what was measured (1 or 0 for a yes/no factor, a count, a share)…
    pub value: f64,
    /// …is what the factor adds to the score.
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
    let yes = |b: bool| if b { 1.0 } else { 0.0 };
    let extra_questions = f.questions.saturating_sub(1).min(2);
    let terms = f.domain_terms.len().min(3) as f64;
    // A multiple-choice question's options bound the answer; its stem measures the question
    // (on exam and science questions with real outcomes, long options go with easy ones).
    // A few-shot prompt is measured from its question on, as the task is read there.
    let option_tokens = f.option_bytes.div_ceil(4);
    let example_tokens = f.example_bytes.div_ceil(4);
    let size_tokens = input
        .prompt_tokens
        .saturating_sub(option_tokens)
        .saturating_sub(example_tokens)
        .max(1);
    let doublings = (f64::from(size_tokens) / 16.0).log2().clamp(0.0, 6.0);
    let extra_steps = f.steps.saturating_sub(1).min(4);
    let quantities = (f64::from(f.numbers.saturating_add(f.number_words).saturating_add(1)) / 3.0)
        .log2()
        .clamp(0.0, 5.0);
    let asks = f.reasoning_asks.len().min(3) as f64;
    let requirements = f.requirements.saturating_sub(1).min(5);
    let long_share = if f.words == 0 {
        0.0
    } else {
        (f64::from(f.long_words) / f64::from(f.words)).min(0.3)
    };
    let structure = f.code_structure.min(3);
    let choice = f.options >= 3;
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
            w.long_conversation,
            yes(long),
        ),
        factor(
            "structured_output",
            if f.structured_output.is_empty() {
                "no structured output asked for".into()
            } else {
                format!("asks for {}", f.structured_output.join(", "))
            },
            w.structured_output,
            yes(!f.structured_output.is_empty()),
        ),
        factor(
            "several_questions",
            counted(f.questions, " questions"),
            w.several_questions,
            f64::from(extra_questions),
        ),
        factor(
            "domain_terms",
            if f.domain_terms.is_empty() {
                "no domain terms".into()
            } else {
                f.domain_terms.join(", ")
            },
            w.domain_terms,
            terms,
        ),
        factor(
            "code",
            if f.has_code {
                "code in the prompt"
            } else {
                "no code in the prompt"
            }
            .into(),
            w.code,
            yes(f.has_code),
        ),
        factor(
            "size",
            if option_tokens > 0 || example_tokens > 0 {
                let without = match (option_tokens > 0, example_tokens > 0) {
                    (true, true) => "the solved examples and the options",
                    (true, false) => "the options",
                    _ => "the solved examples",
                };
                format!(
                    "about {} prompt tokens, {size_tokens} without {without}, {doublings:.2} doublings past 16",
                    input.prompt_tokens
                )
            } else {
                format!(
                    "about {} prompt tokens, {doublings:.2} doublings past 16",
                    input.prompt_tokens
                )
            },
            w.size,
            doublings,
        ),
        factor(
            "steps",
            counted(f.steps, " distinct steps"),
            w.steps,
            f64::from(extra_steps),
        ),
        factor(
            "quantities",
            format!(
                "{} numbers and {} number words, {quantities:.2} doublings past two",
                f.numbers, f.number_words
            ),
            w.quantities,
            quantities,
        ),
        factor(
            "reasoning",
            if f.reasoning_asks.is_empty() {
                "no ask for a justified answer".into()
            } else {
                f.reasoning_asks.join(", ")
            },
            w.reasoning,
            asks,
        ),
        factor(
            "requirements",
            counted(f.requirements, " requirement words"),
            w.requirements,
            f64::from(requirements),
        ),
        factor(
            "long_words",
            format!(
                "{} of {} words have ten letters or more",
                f.long_words, f.words
            ),
            w.long_words,
            long_share,
        ),
        factor(
            "code_structure",
            counted(f.code_structure, " signs of a programming task's structure"),
            w.code_structure,
            f64::from(structure),
        ),
        factor(
            "short_answer",
            if f.short_answer {
                "asks for a short answer"
            } else {
                "no short answer asked for"
            }
            .into(),
            w.short_answer,
            yes(f.short_answer),
        ),
        factor(
            "multiple_choice",
            counted(f.options, " lettered options"),
            w.multiple_choice,
            yes(choice),
        ),
        factor(
            "tricky_choice",
            if f.tricky_choice {
                "options to a question turned around or combining statements"
            } else {
                "no turned-around or combined options"
            }
            .into(),
            w.tricky_choice,
            yes(f.tricky_choice),
        ),
        factor(
            "numeric_options",
            if f.numeric_options {
                "options that are numbers"
            } else {
                "no options that are numbers"
            }
            .into(),
            w.numeric_options,
            yes(f.numeric_options),
        ),
        factor(
            "material",
            if f.material_bytes == 0 {
                "no material handed over with the ask".into()
            } else {
                counted(f.material_bytes, " bytes of material with the ask")
            },
            w.material,
            yes(f.material_bytes > 0),
        ),
        factor(
            "task",
            format!("{} demands {demand}", input.task),
            1.0,
            demand,
        ),
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

fn factor(name: &str, detail: String, weight: f64, value: f64) -> Factor {
    Factor {
        name: name.into(),
        detail,
        weight,
        value,
        contribution: weight * value,
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
    fn every_factor_is_reported_with_its_weight_and_sums_to_the_score() {
        let f = Features {
            has_code: true,
            questions: 3,
            steps: 3,
            numbers: 6,
            words: 100,
            long_words: 12,
            requirements: 3,
            code_structure: 2,
            options: 4,
            tricky_choice: true,
            numeric_options: true,
            short_answer: true,
            reasoning_asks: vec!["prove".into()],
            domain_terms: vec!["algorithm".into()],
            structured_output: vec!["json".into()],
            material_bytes: 300,
            ..Features::default()
        };
        let c = score(&f, Task::Code, 12, 1024);
        assert_eq!(c.factors.len(), 18);
        let sum: f64 = c.factors.iter().map(|f| f.contribution).sum();
        assert!((sum - c.score).abs() < 1e-3);
        for factor in &c.factors {
            assert_ne!(factor.contribution, 0.0, "{factor:?}");
            assert!((factor.weight * factor.value - factor.contribution).abs() < 1e-9);
        }
        assert_eq!(c.tier, Tier::Complex);
    }

    #[test]
    fn within_a_task_more_steps_and_asks_rank_higher_and_short_answers_lower() {
        let base = Features {
            numbers: 2,
            words: 30,
            ..Features::default()
        };
        let plain = score(&base, Task::Math, 1, 40).score;
        let more_quantities = Features {
            numbers: 7,
            ..base.clone()
        };
        assert!(score(&more_quantities, Task::Math, 1, 40).score > plain);
        // Quantities written as words count as the digits do.
        let in_words = Features {
            number_words: 5,
            ..base.clone()
        };
        assert_eq!(
            score(&in_words, Task::Math, 1, 40).score,
            score(&more_quantities, Task::Math, 1, 40).score
        );
        let asks_proof = Features {
            reasoning_asks: vec!["prove".into()],
            ..base.clone()
        };
        assert!(score(&asks_proof, Task::Math, 1, 40).score > plain);
        let short = Features {
            short_answer: true,
            ..base.clone()
        };
        assert!(score(&short, Task::Math, 1, 40).score < plain);
        // A longer prompt counts, but only as one factor among several.
        assert!(score(&base, Task::Math, 1, 160).score > plain);
    }

    #[test]
    fn a_multiple_choice_question_is_measured_without_its_options() {
        let stem = Features {
            options: 4,
            ..Features::default()
        };
        let with_long_options = Features {
            option_bytes: 800,
            ..stem.clone()
        };
        let size = |f: &Features| {
            let c = score(f, Task::Reasoning, 1, 260);
            c.factors.iter().find(|f| f.name == "size").unwrap().value
        };
        // 260 tokens, 200 of them options: sized as a 60-token question.
        assert!((size(&with_long_options) - (60.0f64 / 16.0).log2()).abs() < 1e-9);
        assert!(size(&with_long_options) < size(&stem));
        // Solved examples before the question are left out the same way.
        let after_examples = Features {
            example_bytes: 800,
            ..with_long_options.clone()
        };
        assert_eq!(
            size(&after_examples),
            0.0,
            "a 260-token prompt, 400 of it left out"
        );
    }

    #[test]
    fn options_that_are_numbers_rank_a_question_higher() {
        let words = Features {
            options: 4,
            ..Features::default()
        };
        let numbers = Features {
            numeric_options: true,
            ..words.clone()
        };
        let score = |f: &Features| score(f, Task::Analysis, 1, 60).score;
        assert!(score(&numbers) > score(&words));
    }

    #[test]
    fn quantities_count_per_doubling_past_two() {
        let q = |numbers: u32, number_words: u32| {
            let f = Features {
                numbers,
                number_words,
                ..Features::default()
            };
            let c = score(&f, Task::Math, 1, 40);
            let factor = c.factors.iter().find(|f| f.name == "quantities").unwrap();
            factor.value
        };
        assert_eq!(q(0, 0), 0.0);
        assert_eq!(q(2, 0), 0.0);
        assert!((q(5, 0) - 1.0).abs() < 1e-9);
        assert!((q(3, 2) - 1.0).abs() < 1e-9);
        assert!((q(11, 0) - 2.0).abs() < 1e-9);
        // Each doubling adds the same, so the twentieth number adds less than the third.
        assert!(q(3, 0) - q(2, 0) > q(20, 0) - q(19, 0));
        assert_eq!(q(10_000, 0), 5.0);
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
