//! The grid (task × tier) is what `decide` does: checked against real decisions on the eval
//! prompts for every preset, and its edits against decisions after them.
use std::collections::BTreeMap;

use switchyard_router::{
    assign_grid_cells, decide, default_catalog, grid, presets, validate, CellRef, ChainAction,
    CompiledRules, Condition, Decision, Grid, Request, Rule, RuleSet, Task, Tier,
};

/// Prompts of every kind: the repository's eval sets (development and authored).
fn prompts() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval");
    let mut out = Vec::new();
    for file in [
        "tasks-dev.jsonl",
        "tasks-authored.jsonl",
        "quality-dev.jsonl",
        "quality-authored.jsonl",
    ] {
        let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            out.push(row["prompt"].as_str().unwrap().to_string());
        }
    }
    assert!(out.len() > 200, "the eval sets are there");
    out
}

fn cell(g: &Grid, task: Task, tier: Tier) -> &switchyard_router::GridCell {
    g.cells
        .iter()
        .find(|c| c.task == task && c.tier == tier)
        .unwrap()
}

fn decide_all(set: &RuleSet, prompts: &[String]) -> Vec<Decision> {
    let rules = CompiledRules::new(set.clone()).unwrap();
    let catalog = default_catalog();
    prompts
        .iter()
        .map(|p| decide(&Request::from_prompt(p.as_str()), &rules, &catalog).unwrap())
        .collect()
}

#[test]
fn every_presets_grid_is_what_decide_returns_for_its_cells() {
    let catalog = default_catalog();
    let prompts = prompts();
    for (name, set) in presets::all() {
        let g = grid(&set, &catalog, &BTreeMap::new());
        assert_eq!(g.cells.len(), Task::ALL.len() * Tier::ALL.len());
        let mut checked = BTreeMap::new();
        for d in decide_all(&set, &prompts) {
            let c = cell(&g, d.task, d.complexity.tier);
            // A request an exception took (none in the presets) is not the cell's to answer.
            assert!(
                c.exceptions.is_empty(),
                "{name}: presets have no exceptions"
            );
            assert_eq!(
                c.rule_name,
                d.rule,
                "{name}: rule of {:?}",
                (d.task, d.complexity.tier)
            );
            let mut chain = vec![d.model.clone()];
            chain.extend(d.fallbacks.iter().cloned());
            if c.models != chain {
                // A cost-aware cell assumes a typical prompt for its tier; the price order of
                // the admitted models can differ for a much longer or shorter one, never the
                // bound they meet.
                let rule = &set.rules[c.rule.unwrap()];
                assert!(
                    matches!(rule.then, switchyard_router::Action::Cheapest(_)),
                    "{name}: {:?} shows {:?}, decide chose {chain:?}",
                    (d.task, d.complexity.tier),
                    c.models
                );
                let bound = match &rule.then {
                    switchyard_router::Action::Cheapest(a) => a.min_quality.get(d.complexity.tier),
                    _ => unreachable!(),
                };
                for m in c.models.iter().chain(&chain) {
                    assert!(
                        catalog.get(m).unwrap().quality >= bound,
                        "{name}: {m} meets the bound"
                    );
                }
            }
            *checked.entry((d.task, d.complexity.tier)).or_insert(0) += 1;
        }
        assert!(
            checked.len() >= 12,
            "{name}: the prompts reach many cells ({} reached)",
            checked.len()
        );
    }
}

fn with_exception(mut set: RuleSet, at: usize) -> RuleSet {
    set.rules.insert(
        at,
        Rule {
            name: "urgent code".into(),
            enabled: true,
            when: vec![
                Condition::Task(vec![Task::Code]),
                Condition::Keywords(vec!["urgent".into()]),
            ],
            then: switchyard_router::Action::Chain(ChainAction {
                models: vec!["claude-opus-4".into()],
                prefer_cost: false,
            }),
        },
    );
    set
}

#[test]
fn an_exception_marks_exactly_the_cells_it_can_take_and_changes_no_chain() {
    let catalog = default_catalog();
    let plain = presets::balanced();
    // After the "simple" rule: it can only take code requests that rule leaves (moderate and
    // complex); the simple tiers' code requests never reach it.
    let set = with_exception(plain.clone(), 1);
    let (before, after) = (
        grid(&plain, &catalog, &BTreeMap::new()),
        grid(&set, &catalog, &BTreeMap::new()),
    );
    assert_eq!(after.exceptions.len(), 1);
    assert_eq!(after.exceptions[0].conditions, vec!["keywords"]);
    assert_eq!(after.exceptions[0].tasks, vec![Task::Code]);
    for (b, a) in before.cells.iter().zip(&after.cells) {
        assert_eq!(b.models, a.models, "no chain changes");
        let marked = !a.exceptions.is_empty();
        let expected = a.task == Task::Code && matches!(a.tier, Tier::Moderate | Tier::Complex);
        assert_eq!(marked, expected, "{:?} {:?}", a.task, a.tier);
    }
    // And decide agrees: an urgent simple code request still goes by the grid.
    let rules = CompiledRules::new(set).unwrap();
    let d = decide(
        &Request::from_prompt("Write a Python function that reverses a string. Urgent."),
        &rules,
        &catalog,
    )
    .unwrap();
    if matches!(d.complexity.tier, Tier::Trivial | Tier::Simple) {
        assert_eq!(d.rule, "simple");
    }
}

#[test]
fn setting_two_code_cells_routes_simple_and_hard_code_to_each() {
    let catalog = default_catalog();
    let prompts = prompts();
    let base = presets::balanced();
    let set = assign_grid_cells(
        &base,
        &catalog,
        &[CellRef {
            task: Task::Code,
            tier: Tier::Simple,
        }],
        vec!["deepseek-v3".into()],
    );
    let set = assign_grid_cells(
        &set,
        &catalog,
        &[CellRef {
            task: Task::Code,
            tier: Tier::Complex,
        }],
        vec!["claude-opus-4".into(), "gpt-4o".into()],
    );
    assert!(
        validate(&set, &catalog).is_empty(),
        "{:?}",
        validate(&set, &catalog)
    );
    let g = grid(&set, &catalog, &BTreeMap::new());
    assert_eq!(
        cell(&g, Task::Code, Tier::Simple).models,
        vec!["deepseek-v3"]
    );
    assert_eq!(
        cell(&g, Task::Code, Tier::Complex).models,
        vec!["claude-opus-4", "gpt-4o"]
    );
    // Every other cell answers as before.
    let old = grid(&base, &catalog, &BTreeMap::new());
    for (o, n) in old.cells.iter().zip(&g.cells) {
        if n.task == Task::Code && matches!(n.tier, Tier::Simple | Tier::Complex) {
            continue;
        }
        assert_eq!(o.models, n.models, "{:?} {:?}", n.task, n.tier);
    }
    // The rule that answered code·complex alone ("complex code") is gone; "simple" stays, as
    // it still answers other cells.
    let names: Vec<&str> = set.rules.iter().map(|r| r.name.as_str()).collect();
    assert!(!names.contains(&"complex code"), "{names:?}");
    assert!(names.contains(&"simple"));
    assert_eq!(names.last(), Some(&"default"));
    // Real decisions follow the edit.
    let mut seen = BTreeMap::new();
    for d in decide_all(&set, &prompts) {
        if d.task == Task::Code {
            let want = &cell(&g, Task::Code, d.complexity.tier).models[0];
            assert_eq!(&d.model, want);
            seen.insert(d.complexity.tier, d.model.clone());
        }
    }
    assert_eq!(
        seen.get(&Tier::Simple).map(String::as_str),
        Some("deepseek-v3")
    );
    assert_eq!(
        seen.get(&Tier::Complex).map(String::as_str),
        Some("claude-opus-4")
    );
}

#[test]
fn a_column_or_a_row_becomes_one_rule_and_leaves_no_dead_rules() {
    let catalog = default_catalog();
    let column: Vec<CellRef> = Task::ALL
        .iter()
        .map(|&task| CellRef {
            task,
            tier: Tier::Complex,
        })
        .collect();
    let set = assign_grid_cells(
        &presets::complexity_based(),
        &catalog,
        &column,
        vec!["gpt-4o".into()],
    );
    let names: Vec<&str> = set.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names[0], "Grid: every task · complex");
    assert!(
        !names.contains(&"complex"),
        "the replaced tier rule is dropped: {names:?}"
    );
    assert_eq!(
        set.rules[0].when,
        vec![Condition::Tier(vec![Tier::Complex])]
    );
    assert!(validate(&set, &catalog).is_empty());

    let row: Vec<CellRef> = Tier::ALL
        .iter()
        .map(|&tier| CellRef {
            task: Task::Math,
            tier,
        })
        .collect();
    let set = assign_grid_cells(&presets::balanced(), &catalog, &row, vec!["o1".into()]);
    let rule = set
        .rules
        .iter()
        .find(|r| r.name.starts_with("Grid:"))
        .unwrap();
    assert_eq!(rule.name, "Grid: math · every tier");
    assert_eq!(rule.when, vec![Condition::Task(vec![Task::Math])]);
    let g = grid(&set, &catalog, &BTreeMap::new());
    for tier in Tier::ALL {
        assert_eq!(cell(&g, Task::Math, tier).models, vec!["o1"]);
        assert_eq!(
            cell(&g, Task::Reasoning, tier).models,
            cell(
                &grid(&presets::balanced(), &catalog, &BTreeMap::new()),
                Task::Reasoning,
                tier
            )
            .models
        );
    }
    assert!(
        validate(&set, &catalog).is_empty(),
        "{:?}",
        validate(&set, &catalog)
    );
}

#[test]
fn an_edit_keeps_earlier_exceptions_in_front() {
    let catalog = default_catalog();
    let set = with_exception(presets::balanced(), 1);
    let set = assign_grid_cells(
        &set,
        &catalog,
        &[CellRef {
            task: Task::Code,
            tier: Tier::Moderate,
        }],
        vec!["gpt-4o".into()],
    );
    let at = |name: &str| set.rules.iter().position(|r| r.name == name).unwrap();
    assert!(at("urgent code") < at("Grid: code · moderate"));
    let g = grid(&set, &catalog, &BTreeMap::new());
    assert_eq!(
        cell(&g, Task::Code, Tier::Moderate).exceptions,
        vec![at("urgent code")]
    );
}

#[test]
fn unavailable_models_are_skipped_with_their_reason() {
    let catalog = default_catalog();
    let unavailable =
        BTreeMap::from([("gpt-4o-mini".to_string(), "no key for OpenAI".to_string())]);
    let g = grid(&presets::balanced(), &catalog, &unavailable);
    let c = cell(&g, Task::Writing, Tier::Simple);
    assert_eq!(c.models[0], "gemini-flash");
    assert_eq!(c.skipped[0].model, "gpt-4o-mini");
    assert!(
        c.skipped[0].why.contains("no key for OpenAI"),
        "{}",
        c.skipped[0].why
    );
}
