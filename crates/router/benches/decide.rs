//! Decision time: a 2 KB prompt (target ≤ 20 µs median), prompts from 1 KB to 1 MB (target:
//! linear), and a 100-rule table. Measured with the allocator the shipped binaries use
//! (`switchyard` and the app set mimalloc as theirs).
use std::hint::black_box;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use switchyard_router::{
    decide, default_catalog, presets, Action, ChainAction, CompiledRules, Condition, Request, Rule,
    RuleSet,
};

/// Mixed prose, a question and a code snippet, repeated to `bytes`.
fn prompt(bytes: usize) -> String {
    const UNIT: &str = "Here is a Python function to find the length of the longest common \
        subsequence of two input strings. Can you identify any bug in this function and explain \
        the time complexity? Please answer step by step, then summarize in a table.\n```\ndef \
        lcs(a, b):\n    m, n = len(a), len(b)\n    dp = [[0] * (n + 1) for _ in range(m + 1)]\n    \
        return dp[m][n]\n```\nThe report also covers quarterly revenue of $8000, growth of 12% \
        and the views of customers in Berlin and Paris.\n";
    let mut text = String::with_capacity(bytes + UNIT.len());
    while text.len() < bytes {
        text.push_str(UNIT);
    }
    text.truncate(bytes);
    text
}

fn two_kb(c: &mut Criterion) {
    let rules = CompiledRules::new(presets::smart_router()).unwrap();
    let catalog = default_catalog();
    let request = Request::from_prompt(prompt(2048));
    c.bench_function("decide/2KB", |b| {
        b.iter(|| decide(black_box(&request), &rules, &catalog).unwrap())
    });
}

fn scaling(c: &mut Criterion) {
    let rules = CompiledRules::new(presets::smart_router()).unwrap();
    let catalog = default_catalog();
    let mut group = c.benchmark_group("decide/size");
    group.sample_size(20);
    for kb in [1usize, 4, 16, 64, 256, 1024] {
        let request = Request::from_prompt(prompt(kb * 1024));
        group.throughput(Throughput::Bytes((kb * 1024) as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{kb}KB")),
            &request,
            |b, r| b.iter(|| decide(black_box(r), &rules, &catalog).unwrap()),
        );
    }
    group.finish();
}

fn hundred_rules(c: &mut Criterion) {
    // 99 rules that do not match (keyword, regex, tier and token conditions all evaluated),
    // then the default: the worst case of a first-match table.
    let mut rules: Vec<Rule> = (0..99)
        .map(|i| Rule {
            name: format!("rule {i}"),
            enabled: true,
            when: match i % 3 {
                0 => vec![Condition::Keywords(vec![
                    format!("zebra{i}"),
                    format!("quokka {i}"),
                ])],
                1 => vec![Condition::Regex(format!("(?i)unicorn-{i}\\d+"))],
                _ => vec![Condition::PromptTokens(switchyard_router::Range {
                    min: Some(1_000_000 + i),
                    max: None,
                })],
            },
            then: Action::Chain(ChainAction {
                models: vec!["gpt-4o".into()],
                prefer_cost: false,
            }),
        })
        .collect();
    rules.push(Rule {
        name: "default".into(),
        enabled: true,
        when: vec![],
        then: Action::Chain(ChainAction {
            models: vec!["gpt-4o-mini".into()],
            prefer_cost: false,
        }),
    });
    let compiled = CompiledRules::new(RuleSet::with_rules(rules)).unwrap();
    let catalog = default_catalog();
    let request = Request::from_prompt(prompt(2048));
    c.bench_function("decide/2KB, 100 rules", |b| {
        b.iter(|| decide(black_box(&request), &compiled, &catalog).unwrap())
    });
}

criterion_group!(benches, two_kb, scaling, hundred_rules);
criterion_main!(benches);
