//! Rule sets for each of the seed's strategies, for the rule editor to load.
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

/// The seed's SmartRouter table: per task, its two models then its fallback; writing is the
/// default. The seed's code fallback, `deepseek-v4`, has no published price, so the chain ends
/// with `deepseek-v3`, the seed's other DeepSeek model.
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

/// The seed's explicit task map, one model per task, `gpt-4o-mini` by default. Its
/// "complex_reasoning" covers reasoning, math and code; its "embeddings" entry is not a chat
/// task and is left out.
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

/// The seed's complexity routing: one model per tier.
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

/// The seed's CostAwareRouter: the cheapest model meeting 0.95 for complex requests, 0.90 for
/// moderate ones and 0.80 below.
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
