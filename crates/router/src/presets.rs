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

/// SmartRouter preset: per task two preferred models then a cheaper fallback, so
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

/// Balanced preset, the default for new installs: simple requests (trivial and simple tiers)
/// go to an inexpensive model whatever their task; harder ones to a model suited to the task,
/// a mid-priced one for moderate requests and a strong one for complex requests. Every chain
/// starts with a model of OpenAI, Anthropic or Google and has two fallbacks.
pub fn balanced() -> RuleSet {
    let when = |tasks: &[Task], tiers: &[Tier]| {
        let mut when = Vec::new();
        if !tasks.is_empty() {
            when.push(Condition::Task(tasks.to_vec()));
        }
        when.push(Condition::Tier(tiers.to_vec()));
        when
    };
    let reasoning = [Task::Reasoning, Task::Math];
    let prose = [Task::Writing, Task::Analysis];
    RuleSet::with_rules(vec![
        rule(
            "simple",
            when(&[], &[Tier::Trivial, Tier::Simple]),
            chain(&["gpt-4o-mini", "gemini-flash", "claude-haiku"]),
        ),
        rule(
            "complex reasoning and math",
            when(&reasoning, &[Tier::Complex]),
            chain(&["o3", "gemini-2.5-pro", "claude-opus-4-5"]),
        ),
        rule(
            "complex code",
            when(&[Task::Code], &[Tier::Complex]),
            chain(&["claude-sonnet-4-5", "gpt-5", "deepseek-v3"]),
        ),
        rule(
            "complex writing and analysis",
            when(&prose, &[Tier::Complex]),
            chain(&["claude-sonnet-4-5", "gpt-5", "gemini-2.5-pro"]),
        ),
        rule(
            "moderate reasoning and math",
            when(&reasoning, &[Tier::Moderate]),
            chain(&["o4-mini", "gemini-2.5-flash", "deepseek-r1"]),
        ),
        rule(
            "moderate code",
            when(&[Task::Code], &[Tier::Moderate]),
            chain(&["gpt-4.1", "claude-haiku-4-5", "deepseek-v3"]),
        ),
        rule(
            "default",
            vec![],
            chain(&["gpt-4.1-mini", "gemini-2.5-flash", "gpt-4o-mini"]),
        ),
    ])
}

/// The rules new installs start with, and that the CLI uses without a database or rule file:
/// the balanced preset.
pub fn bundled_default() -> RuleSet {
    balanced()
}

/// Every preset with the name the rule editor shows; the first is the bundled default.
pub fn all() -> Vec<(&'static str, RuleSet)> {
    vec![
        ("balanced", balanced()),
        ("smart_router", smart_router()),
        ("task_based", task_based()),
        ("complexity_based", complexity_based()),
        ("cost_aware", cost_aware()),
    ]
}
