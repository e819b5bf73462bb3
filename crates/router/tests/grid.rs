//! The grid (task × tier) is what `decide` does: checked against real decisions on the eval
//! prompts for every preset, and its edits against decisions after them.
use std::collections::BTreeMap;

use switchyard_router::{
    assign_grid_cells, decide, default_catalog, grid, presets, validate, Action, CellRef,
    ChainAction, CompiledRules, Condition, Decision, Grid, Request, Rule, RuleSet, Task, Tier,
    TierThresholds,
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

/// `set` with tier thresholds that put every request in `tier`: the rules, the detector and
/// the catalog are untouched, so `decide` reaches that tier's cells with any prompt.
fn at_tier(mut set: RuleSet, tier: Tier) -> RuleSet {
    let (low, high) = (-1e12, 1e12);
    let (simple, moderate, complex) = match tier {
        Tier::Trivial => (high, high, high),
        Tier::Simple => (low, high, high),
        Tier::Moderate => (low, low, high),
        Tier::Complex => (low, low, low),
    };
    set.complexity.tiers = TierThresholds {
        simple,
        moderate,
        complex,
    };
    set
}

/// Asserts that cell (`d.task`, `d.complexity.tier`) of `g` is what `d` chose.
fn agrees(name: &str, set: &RuleSet, g: &Grid, d: &Decision) {
    let catalog = default_catalog();
    let c = cell(g, d.task, d.complexity.tier);
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
        // A cost-aware cell assumes a typical prompt for its tier; the price order of the
        // admitted models can differ for a much longer or shorter one, never the bound they
        // meet.
        let rule = &set.rules[c.rule.unwrap()];
        let bound = match &rule.then {
            Action::Cheapest(a) => a.min_quality.get(d.complexity.tier),
            _ => panic!(
                "{name}: {:?} shows {:?}, decide chose {chain:?}",
                (d.task, d.complexity.tier),
                c.models
            ),
        };
        for m in c.models.iter().chain(&chain) {
            assert!(
                catalog.get(m).unwrap().quality >= bound,
                "{name}: {m} meets the bound"
            );
        }
    }
}

#[test]
fn every_presets_grid_is_what_decide_returns_for_its_cells() {
    let catalog = default_catalog();
    let prompts = prompts();
    for (name, set) in presets::all() {
        let g = grid(&set, &catalog, &BTreeMap::new());
        assert_eq!(g.cells.len(), Task::ALL.len() * Tier::ALL.len());
        // The prompts at the tiers they have.
        let mut natural = BTreeMap::new();
        for d in decide_all(&set, &prompts) {
            agrees(name, &set, &g, &d);
            *natural.entry((d.task, d.complexity.tier)).or_insert(0) += 1;
        }
        assert!(
            natural.len() >= 12,
            "{name}: the prompts reach many cells ({} reached)",
            natural.len()
        );
        // Every cell: the same prompts, each put in one tier after the other.
        let mut checked = BTreeMap::new();
        for tier in Tier::ALL {
            let forced = at_tier(set.clone(), tier);
            assert_eq!(grid(&forced, &catalog, &BTreeMap::new()), g, "{name}");
            for d in decide_all(&forced, &prompts) {
                assert_eq!(d.complexity.tier, tier);
                agrees(name, &forced, &g, &d);
                *checked.entry((d.task, d.complexity.tier)).or_insert(0) += 1;
            }
        }
        let missing: Vec<_> = Task::ALL
            .iter()
            .flat_map(|&t| Tier::ALL.map(|r| (t, r)))
            .filter(|k| !checked.contains_key(k))
            .collect();
        assert!(
            missing.is_empty(),
            "{name}: cells never checked: {missing:?}"
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
            then: Action::Chain(ChainAction {
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
    // And decide agrees: an urgent code request goes to the exception at the tiers it marks,
    // and by the grid at the others; a code request that is not urgent goes by the grid.
    let urgent = "Write a Python function that reverses a string. Urgent.";
    let plain_prompt = "Write a Python function that reverses a string.";
    for tier in Tier::ALL {
        let rules = CompiledRules::new(at_tier(set.clone(), tier)).unwrap();
        let d = decide(&Request::from_prompt(urgent), &rules, &catalog).unwrap();
        assert_eq!((d.task, d.complexity.tier), (Task::Code, tier));
        let marked = !cell(&after, Task::Code, tier).exceptions.is_empty();
        let expected_rule = if marked {
            "urgent code".to_string()
        } else {
            cell(&after, Task::Code, tier).rule_name.clone()
        };
        assert_eq!(d.rule, expected_rule, "{tier:?}");
        let d = decide(&Request::from_prompt(plain_prompt), &rules, &catalog).unwrap();
        assert_eq!(d.rule, cell(&after, Task::Code, tier).rule_name, "{tier:?}");
    }
    assert_eq!(cell(&after, Task::Code, Tier::Complex).exceptions, vec![1]);
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

#[test]
fn a_multi_cell_edit_keeps_each_cells_exceptions_in_front_of_its_new_rule() {
    let catalog = default_catalog();
    // "urgent code" (index 1) sits between "simple" (0), which answers writing·simple, and
    // "moderate code" (6), which answers code·moderate, and can take code·moderate requests.
    let set = with_exception(presets::balanced(), 1);
    let edited = assign_grid_cells(
        &set,
        &catalog,
        &[
            CellRef {
                task: Task::Writing,
                tier: Tier::Simple,
            },
            CellRef {
                task: Task::Code,
                tier: Tier::Moderate,
            },
        ],
        vec!["gpt-4o".into()],
    );
    assert!(
        validate(&edited, &catalog).is_empty(),
        "{:?}",
        validate(&edited, &catalog)
    );
    let at = |name: &str| {
        edited
            .rules
            .iter()
            .position(|r| r.name == name)
            .unwrap_or_else(|| panic!("no rule {name}"))
    };
    assert!(at("Grid: writing · simple") < at("simple"));
    assert!(at("urgent code") < at("Grid: code · moderate"));
    let names: Vec<&str> = edited.rules.iter().map(|r| r.name.as_str()).collect();
    assert!(
        !names.contains(&"moderate code"),
        "it answers nothing now: {names:?}"
    );

    let g = grid(&edited, &catalog, &BTreeMap::new());
    let old = grid(&set, &catalog, &BTreeMap::new());
    for (o, n) in old.cells.iter().zip(&g.cells) {
        let edited_cell = matches!(
            (n.task, n.tier),
            (Task::Writing, Tier::Simple) | (Task::Code, Tier::Moderate)
        );
        if edited_cell {
            assert_eq!(n.models, vec!["gpt-4o"]);
        } else {
            assert_eq!(o.models, n.models, "{:?} {:?}", n.task, n.tier);
        }
        // The exception still can take exactly the cells it could.
        assert_eq!(
            o.exceptions.is_empty(),
            n.exceptions.is_empty(),
            "{:?} {:?}",
            n.task,
            n.tier
        );
    }
    assert_eq!(
        cell(&g, Task::Code, Tier::Moderate).exceptions,
        vec![at("urgent code")]
    );
    // Decisions: an urgent moderate code request still goes to the exception, a plain one to
    // the new rule.
    let rules = CompiledRules::new(at_tier(edited.clone(), Tier::Moderate)).unwrap();
    let urgent = decide(
        &Request::from_prompt("Write a Python function that reverses a string. Urgent."),
        &rules,
        &catalog,
    )
    .unwrap();
    assert_eq!(urgent.rule, "urgent code");
    let plain = decide(
        &Request::from_prompt("Write a Python function that reverses a string."),
        &rules,
        &catalog,
    )
    .unwrap();
    assert_eq!(
        (plain.rule.as_str(), plain.model.as_str()),
        ("Grid: code · moderate", "gpt-4o")
    );
}

#[test]
fn a_selection_that_is_no_rectangle_sets_exactly_its_cells() {
    let catalog = default_catalog();
    let picked = [
        (Task::Code, Tier::Simple),
        (Task::Code, Tier::Moderate),
        (Task::Analysis, Tier::Complex),
        (Task::Math, Tier::Trivial),
    ];
    let cells: Vec<CellRef> = picked
        .iter()
        .map(|&(task, tier)| CellRef { task, tier })
        .collect();
    for (name, set) in presets::all() {
        let edited = assign_grid_cells(&set, &catalog, &cells, vec!["claude-haiku".into()]);
        assert!(
            validate(&edited, &catalog).is_empty(),
            "{name}: {:?}",
            validate(&edited, &catalog)
        );
        let old = grid(&set, &catalog, &BTreeMap::new());
        let new = grid(&edited, &catalog, &BTreeMap::new());
        for (o, n) in old.cells.iter().zip(&new.cells) {
            if picked.contains(&(n.task, n.tier)) {
                assert_eq!(
                    n.models,
                    vec!["claude-haiku"],
                    "{name}: {:?}",
                    (n.task, n.tier)
                );
                assert!(n.rule_name.starts_with("Grid: "), "{name}: {}", n.rule_name);
            } else {
                assert_eq!(o.models, n.models, "{name}: {:?}", (n.task, n.tier));
            }
        }
        // Every new rule is a rectangle of picked cells: none admits a cell outside them.
        for rule in edited.rules.iter().filter(|r| r.name.starts_with("Grid: ")) {
            for c in &new.cells {
                let admits = rule.when.iter().all(|w| match w {
                    Condition::Task(t) => t.contains(&c.task),
                    Condition::Tier(t) => t.contains(&c.tier),
                    _ => true,
                });
                assert!(
                    !admits || picked.contains(&(c.task, c.tier)),
                    "{name}: {} admits {:?}",
                    rule.name,
                    (c.task, c.tier)
                );
            }
        }
        assert_eq!(
            edited.rules.last().unwrap().name,
            set.rules.last().unwrap().name
        );
    }
}

#[test]
fn a_row_across_an_exception_is_split_where_the_exception_needs_it() {
    let catalog = default_catalog();
    let set = with_exception(presets::balanced(), 1);
    let row: Vec<CellRef> = Tier::ALL
        .iter()
        .map(|&tier| CellRef {
            task: Task::Code,
            tier,
        })
        .collect();
    let edited = assign_grid_cells(&set, &catalog, &row, vec!["gpt-4o".into()]);
    assert!(validate(&edited, &catalog).is_empty());
    let g = grid(&edited, &catalog, &BTreeMap::new());
    let urgent = edited
        .rules
        .iter()
        .position(|r| r.name == "urgent code")
        .unwrap();
    for tier in Tier::ALL {
        let c = cell(&g, Task::Code, tier);
        assert_eq!(c.models, vec!["gpt-4o"], "{tier:?}");
        let answering = c.rule.unwrap();
        if matches!(tier, Tier::Moderate | Tier::Complex) {
            // The exception still comes first for the tiers it could take.
            assert!(urgent < answering, "{tier:?}");
            assert_eq!(c.exceptions, vec![urgent], "{tier:?}");
        } else {
            assert!(
                answering < urgent,
                "{tier:?}: placed before the exception it never met"
            );
        }
    }
    let grid_rules = edited
        .rules
        .iter()
        .filter(|r| r.name.starts_with("Grid: "))
        .count();
    assert!(grid_rules >= 2, "split at the exception");
}
