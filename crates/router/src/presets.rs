//! Ready-made rule sets for the four routing strategies the app offers (a model chain per task,
//! one model per task, one model per complexity tier, cheapest model meeting a quality bound),
//! for the rule editor to load.
use crate::complexity::{Tier, TierValues};
use crate::rules::{Action, ChainAction, CheapestAction, Condition, Rule, RuleSet};
use crate::task::Task;

fn chain(models: &[&str]) -> Action {
    Action::Chain(ChainAction {
        models: models.iter().map(|m| m.to_string()).collect(),
        prefer_cost: false,
    })
}

fn rule(name: &str, when: Vec<Condition>, then: Action) -> Rule {
    Rule {
        name: name.into(),
        enabled: true,
        when,
        then,
    }
}

fn for_task(task: Task, models: &[&str]) -> Rule {
    rule(
        task.as_str(),
        vec![Condition::Task(vec![task])],
        chain(models),
    )
}

const WRITING_CHAIN: &[&str] = &["claude-sonnet-4", "gpt-4o-mini", "gemini-flash"];

/// SmartRouter preset, the default: per task two preferred models then a cheaper fallback, so
/// a failing provider still leaves an answer; hard tasks (reasoning, math, code) start at the strongest models, simple ones
/// (classification, summarization, formatting) at the cheapest. Writing is the default. Code
/// falls back to `deepseek-v3`, a cheap model strong at code that has a published price.
pub fn smart_router() -> RuleSet {
    RuleSet::with_rules(vec![
        for_task(
            Task::Reasoning,
            &["claude-opus-4", "gpt-4o", "claude-sonnet-4"],
        ),
        for_task(Task::Math, &["o1", "claude-opus-4", "gpt-4o"]),
        for_task(Task::Code, &["claude-opus-4", "gpt-4o", "deepseek-v3"]),
        for_task(Task::Writing, WRITING_CHAIN),
        for_task(
            Task::Analysis,
            &["gpt-4o", "claude-sonnet-4", "deepseek-v3"],
        ),
        for_task(
            Task::Translation,
            &["gpt-4o-mini", "gemini-flash", "claude-haiku"],
        ),
        for_task(
            Task::Classification,
            &["gpt-4o-mini", "claude-haiku", "gemini-flash"],
        ),
        for_task(
            Task::Extraction,
            &["gpt-4o-mini", "deepseek-v3", "claude-haiku"],
        ),
        for_task(
            Task::Summarization,
            &["claude-haiku", "gemini-flash", "gpt-4o-mini"],
        ),
        for_task(
            Task::Formatting,
            &["claude-haiku", "gemini-flash", "gpt-4o-mini"],
        ),
        rule("default", vec![], chain(WRITING_CHAIN)),
    ])
}

/// Task-based preset: one model per task, no fallback, `gpt-4o-mini` by default. One
/// "complex_reasoning" rule sends reasoning, math and code to the strongest model; tasks
/// without a rule take the default.
pub fn task_based() -> RuleSet {
    RuleSet::with_rules(vec![
        rule(
            "complex_reasoning",
            vec![Condition::Task(vec![
                Task::Reasoning,
                Task::Math,
                Task::Code,
            ])],
            chain(&["claude-opus-4"]),
        ),
        for_task(Task::Analysis, &["gpt-4o"]),
        for_task(Task::Writing, &["claude-sonnet-4"]),
        for_task(Task::Classification, &["gpt-4o-mini"]),
        for_task(Task::Extraction, &["deepseek-v3"]),
        for_task(Task::Formatting, &["gemini-flash"]),
        rule("default", vec![], chain(&["gpt-4o-mini"])),
    ])
}

/// Complexity preset: one model per complexity tier, stronger (and dearer) as the tier rises.
pub fn complexity_based() -> RuleSet {
    let tier = |name: &str, tier: Tier, model: &str| {
        rule(name, vec![Condition::Tier(vec![tier])], chain(&[model]))
    };
    RuleSet::with_rules(vec![
        tier("complex", Tier::Complex, "claude-opus-4"),
        tier("moderate", Tier::Moderate, "gpt-4o"),
        tier("simple", Tier::Simple, "claude-sonnet-4"),
        rule("trivial", vec![], chain(&["gpt-4o-mini"])),
    ])
}

/// Cost-aware preset: the cheapest enabled model whose quality (0..1, see `Model::quality`)
/// meets 0.95 for complex requests, 0.90 for moderate ones and 0.80 below; 0.95 is gpt-4o's
/// quality, 0.90 lets claude-sonnet-4 in, 0.80 admits the mini models.
pub fn cost_aware() -> RuleSet {
    RuleSet::with_rules(vec![rule(
        "cheapest meeting quality",
        vec![],
        Action::Cheapest(CheapestAction {
            min_quality: TierValues {
                trivial: 0.80,
                simple: 0.80,
                moderate: 0.90,
                complex: 0.95,
            },
            providers: Vec::new(),
        }),
    )])
}

/// Every preset with the name the rule editor shows.
pub fn all() -> Vec<(&'static str, RuleSet)> {
    vec![
        ("smart_router", smart_router()),
        ("task_based", task_based()),
        ("complexity_based", complexity_based()),
        ("cost_aware", cost_aware()),
    ]
}
