//! The detector's data: keyword lists and the weights of the text's shape. Part of the rule
//! file, so a user tunes detection without a rebuild.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::keywords;
use crate::task::Task;

/// Keywords of one task: phrase → weight of one distinct hit. Matching is case-insensitive on
/// whole words and phrases (a trailing plural "s" is allowed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct TaskKeywords {
    pub task: Task,
    pub keywords: BTreeMap<String, f64>,
}

/// How much each feature of the text's shape adds to a task's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct ShapeWeights {
    /// A fenced code block, to code.
    pub code_fence: f64,
    /// A stack trace or compiler error, to code.
    pub stack_trace: f64,
    /// Lines that read as source code, to code.
    pub source_code: f64,
    /// Equations, operators between numbers and variables, LaTeX, to math.
    pub math_notation: f64,
    /// Several numbers in a word problem, to math.
    pub numbers: f64,
    /// A question asking for a quantity ("how many", "how much") beside at least two
    /// quantities given in the text, to math.
    pub word_problem: f64,
    /// Text mostly in another language, to translation.
    pub other_language: f64,
    /// "into French", "from German", to translation.
    pub target_language: f64,
    /// A request for JSON, YAML, CSV or a table, to extraction.
    pub structured_output: f64,
    /// Lettered options after a question, to reasoning.
    pub multiple_choice: f64,
    /// One comparison repeated in a text without numbers ("A is taller than B, B is taller
    /// than C"), to reasoning, at full weight from two repeats: an order puzzle.
    pub comparison_chain: f64,
    /// A question mark, to analysis: a question with no other sign asks for an explanation.
    pub question: f64,
    /// A function or method signature in a common language, to code.
    pub signature: f64,
    /// A docstring or a doctest prompt (`>>> f(3)`), to code.
    pub docstring: f64,
    /// A programming problem's headings (`Input`, `Output`, `Constraints`, `Sample Input`), to
    /// code, at full weight from three headings.
    pub io_format: f64,
    /// Limits such as `1 ≤ n ≤ 10^5`, to code.
    pub constraints: f64,
    /// Indented lines under a block opener, to code, at full weight from four lines.
    pub indented_block: f64,
    /// Names written as code writes them (`snake_case`, `camelCase`, `df.groupby(`, `app.py`,
    /// `--flag`, inline backticks), to code, at full weight from four.
    pub code_tokens: f64,
    /// When the text is shaped like a programming task (its code structure alone scores at
    /// least `code_shape_threshold`), math's score is multiplied by this: numbers, operators
    /// and words like "integer" or "sum" then name the program's topic, not the ask.
    pub math_beside_code: f64,
    pub code_shape_threshold: f64,
    /// …or when the ask's code keywords (outside any material, at their listed weight) add up
    /// to this: "write a function that…", "in Python".
    pub code_words_threshold: f64,
}

impl Default for ShapeWeights {
    fn default() -> Self {
        ShapeWeights {
            code_fence: 3.0,
            stack_trace: 3.0,
            source_code: 3.0,
            math_notation: 3.0,
            numbers: 1.0,
            word_problem: 2.0,
            other_language: 2.0,
            target_language: 2.5,
            structured_output: 0.5,
            multiple_choice: 1.5,
            comparison_chain: 1.5,
            question: 0.5,
            signature: 4.0,
            docstring: 2.0,
            io_format: 4.0,
            constraints: 2.0,
            indented_block: 1.5,
            code_tokens: 2.0,
            math_beside_code: 0.3,
            code_shape_threshold: 3.0,
            code_words_threshold: 2.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct DetectorConfig {
    pub tasks: Vec<TaskKeywords>,
    pub shape: ShapeWeights,
    /// The task reported when nothing scores (writing by default: an open-ended prompt with no
    /// signal is most often a request for prose).
    pub default_task: Task,
    /// Terms of art counted by the complexity's domain factor.
    pub domain_terms: Vec<String>,
    /// Keywords that lead a sentence or clause (the ask, not the topic) count this many times.
    pub lead_boost: f64,
    /// Keywords found only in the material handed over with the ask (the review to classify,
    /// the article to summarize) count this share: they name its topic, not the ask.
    pub material_share: f64,
    /// Honour `#task` and `@model` tags written in the message, so a user can override the
    /// detector.
    pub honor_tags: bool,
}

impl Default for DetectorConfig {
    fn default() -> Self {
        let tasks = Task::ALL
            .into_iter()
            .map(|task| TaskKeywords {
                task,
                keywords: keywords::for_task(task)
                    .iter()
                    .map(|&(k, w)| (k.to_string(), w))
                    .collect(),
            })
            .collect();
        DetectorConfig {
            tasks,
            shape: ShapeWeights::default(),
            default_task: Task::Writing,
            domain_terms: keywords::DOMAIN_TERMS
                .iter()
                .map(|s| s.to_string())
                .collect(),
            lead_boost: 2.0,
            material_share: 0.5,
            honor_tags: true,
        }
    }
}
