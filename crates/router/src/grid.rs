//! The rule set seen as a grid: task × complexity tier, each cell the model chain that answers
//! a request of that task and tier, as `decide` would choose it. Rules that test anything else
//! (keywords, regex, tags, code, JSON, sizes, score) are the grid's exceptions: they can take
//! some requests of a cell before its rule does. Editing a cell writes rules into the same set.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::Catalog;
use crate::complexity::{Tier, TierValues};
use crate::decide::offer;
use crate::request::Request;
use crate::rules::{Action, ChainAction, Condition, Rule, RuleSet};
use crate::task::Task;
use crate::trace::CandidateStatus;

/// Prompt sizes a cell's cost estimate assumes, per tier (they only order models by price).
const PROMPT_TOKENS: TierValues<u32> = TierValues {
    trivial: 40,
    simple: 200,
    moderate: 800,
    complex: 2000,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Grid {
    /// One cell per task and tier, tasks in `Task::ALL` order, tiers within a task in order.
    pub cells: Vec<GridCell>,
    /// Rules that can take a request before its cell's rule does, in rule order.
    pub exceptions: Vec<GridException>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GridCell {
    pub task: Task,
    pub tier: Tier,
    /// Index of the rule that answers the cell; none when no rule has a usable model and the
    /// router's last resort (the cheapest model that fits) answers.
    pub rule: Option<usize>,
    pub rule_name: String,
    /// The model that answers first, then its fallbacks. Empty when no model can answer.
    pub models: Vec<String>,
    /// Models of earlier matching rules, or of the answering chain, that cannot answer, and why.
    pub skipped: Vec<SkippedModel>,
    /// Indexes of the exception rules that can take some of this cell's requests.
    pub exceptions: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SkippedModel {
    pub model: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GridException {
    pub rule: usize,
    pub name: String,
    /// The conditions that make it an exception: `keywords`, `regex`, `tag`, ...
    pub conditions: Vec<String>,
    /// The tasks and tiers it is limited to; empty means all.
    pub tasks: Vec<Task>,
    pub tiers: Vec<Tier>,
}

/// The cells a grid edit sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CellRef {
    pub task: Task,
    pub tier: Tier,
}

/// Whether a condition is one of the grid's axes.
fn is_axis(c: &Condition) -> bool {
    matches!(c, Condition::Task(_) | Condition::Tier(_))
}

/// Whether `rule` can match requests of `task` and `tier` (its axis conditions admit them).
fn admits(rule: &Rule, task: Task, tier: Tier) -> bool {
    rule.when.iter().all(|c| match c {
        Condition::Task(tasks) => tasks.contains(&task),
        Condition::Tier(tiers) => tiers.contains(&tier),
        _ => true,
    })
}

fn is_exception(rule: &Rule) -> bool {
    rule.when.iter().any(|c| !is_axis(c))
}

/// The grid of `set` over `catalog`, with `unavailable` models (id → why) unable to answer.
pub fn grid(set: &RuleSet, catalog: &Catalog, unavailable: &BTreeMap<String, String>) -> Grid {
    let mut request = Request::from_prompt("");
    request.unavailable = unavailable.clone();
    let mut cells = Vec::with_capacity(Task::ALL.len() * Tier::ALL.len());
    for task in Task::ALL {
        for tier in Tier::ALL {
            cells.push(cell(set, catalog, &request, task, tier));
        }
    }
    let exceptions = set
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.enabled && is_exception(r))
        .map(|(i, r)| GridException {
            rule: i,
            name: r.name.clone(),
            conditions: r
                .when
                .iter()
                .filter(|c| !is_axis(c))
                .map(|c| c.field().to_string())
                .collect(),
            tasks: r
                .when
                .iter()
                .find_map(|c| match c {
                    Condition::Task(t) => Some(t.clone()),
                    _ => None,
                })
                .unwrap_or_default(),
            tiers: r
                .when
                .iter()
                .find_map(|c| match c {
                    Condition::Tier(t) => Some(t.clone()),
                    _ => None,
                })
                .unwrap_or_default(),
        })
        .collect();
    Grid { cells, exceptions }
}

fn cell(set: &RuleSet, catalog: &Catalog, request: &Request, task: Task, tier: Tier) -> GridCell {
    let mut skipped = Vec::new();
    let mut exceptions = Vec::new();
    for (i, rule) in set.rules.iter().enumerate() {
        if !rule.enabled || !admits(rule, task, tier) {
            continue;
        }
        if is_exception(rule) {
            exceptions.push(i);
            continue;
        }
        let candidates = offer(rule, set, catalog, request, tier, PROMPT_TOKENS.get(tier));
        let models: Vec<String> = candidates
            .iter()
            .filter(|c| {
                matches!(
                    c.status,
                    CandidateStatus::Chosen | CandidateStatus::Fallback
                )
            })
            .map(|c| c.model.clone())
            .collect();
        let excluded = candidates
            .iter()
            .filter(|c| c.status == CandidateStatus::Excluded);
        // A `cheapest` action lists every model it passed over; only a chain's are news.
        if matches!(rule.then, Action::Chain(_)) {
            skipped.extend(excluded.map(|c| SkippedModel {
                model: c.model.clone(),
                why: c.note.clone(),
            }));
        }
        if models.is_empty() {
            continue;
        }
        return GridCell {
            task,
            tier,
            rule: Some(i),
            rule_name: rule.name.clone(),
            models,
            skipped,
            exceptions,
        };
    }
    GridCell {
        task,
        tier,
        rule: None,
        rule_name: "last resort".into(),
        models: Vec::new(),
        skipped,
        exceptions,
    }
}

/// `set` with `cells` answered by the chain `models`: one rule per group of cells (tasks that
/// share the same tiers), placed just before the first rule that answers any of its cells, so
/// it takes effect there. A cell's exceptions (rules that can take some of its requests before
/// its rule does) must stay in front of its new rule; a group that cannot be placed so as one
/// rule is split by the rule that answers its cells, each part placed just before that rule.
/// Rules the edit leaves answering no cell are removed; the default rule stays last.
pub fn assign(set: &RuleSet, catalog: &Catalog, cells: &[CellRef], models: Vec<String>) -> RuleSet {
    let none = BTreeMap::new();
    let before = grid(set, catalog, &none);
    let mut out = set.clone();
    if cells.is_empty() || models.is_empty() {
        return out;
    }
    let default_at = set.rules.len().saturating_sub(1);
    let of = |c: &CellRef| {
        before
            .cells
            .iter()
            .find(|x| x.task == c.task && x.tier == c.tier)
    };
    // Where a cell's new rule may go: after its last exception, at or before its rule.
    let latest = |c: &CellRef| {
        of(c)
            .and_then(|x| x.rule)
            .unwrap_or(default_at)
            .min(default_at)
    };
    let earliest = |c: &CellRef| {
        of(c)
            .and_then(|x| x.exceptions.iter().filter(|&&e| e < latest(c)).max())
            .map_or(0, |e| e + 1)
    };
    let mut placed: BTreeMap<usize, Vec<Rectangle>> = BTreeMap::new();
    for (tasks, tiers) in groups(cells) {
        let group: Vec<CellRef> = tasks
            .iter()
            .flat_map(|&task| tiers.iter().map(move |&tier| CellRef { task, tier }))
            .collect();
        let at = group.iter().map(latest).min().unwrap_or(default_at);
        if group.iter().all(|c| earliest(c) <= at) {
            placed.entry(at).or_default().push((tasks, tiers));
            continue;
        }
        let mut by_rule: BTreeMap<usize, Vec<CellRef>> = BTreeMap::new();
        for c in group {
            by_rule.entry(latest(&c)).or_default().push(c);
        }
        for (at, part) in by_rule {
            placed.entry(at).or_default().extend(groups(&part));
        }
    }
    // Each rule's index in `set`, or None for a new one; inserted from the last position back,
    // so the positions still to come stay where they were.
    let mut origin: Vec<Option<usize>> = (0..set.rules.len()).map(Some).collect();
    for (at, rects) in placed.into_iter().rev() {
        let mut new_rules: Vec<Rule> = Vec::new();
        for (tasks, tiers) in rects {
            let mut when = Vec::new();
            if tasks.len() < Task::ALL.len() {
                when.push(Condition::Task(tasks.clone()));
            }
            if tiers.len() < Tier::ALL.len() {
                when.push(Condition::Tier(tiers.clone()));
            }
            let taken: Vec<Rule> = out.rules.iter().chain(&new_rules).cloned().collect();
            new_rules.push(Rule {
                name: unique_name(&taken, &name_of(&tasks, &tiers)),
                enabled: true,
                when,
                then: Action::Chain(ChainAction {
                    models: models.clone(),
                    prefer_cost: false,
                }),
            });
        }
        let added = new_rules.len();
        out.rules.splice(at..at, new_rules);
        origin.splice(at..at, std::iter::repeat_n(None, added));
    }

    // Rules that answered a cell before and none now are dead weight: drop them, never the
    // new ones or the default.
    let after = grid(&out, catalog, &none);
    let answered_before: Vec<usize> = before.cells.iter().filter_map(|c| c.rule).collect();
    let answers_now = |i: usize| after.cells.iter().any(|c| c.rule == Some(i));
    let last = out.rules.len() - 1;
    let mut keep = Vec::with_capacity(out.rules.len());
    for (i, rule) in out.rules.drain(..).enumerate() {
        let dead = i != last
            && !is_exception(&rule)
            && rule.enabled
            && origin[i].is_some_and(|o| answered_before.contains(&o))
            && !answers_now(i);
        if !dead {
            keep.push(rule);
        }
    }
    out.rules = keep;
    out
}

/// Cells as tasks × tiers: every listed tier of every listed task.
type Rectangle = (Vec<Task>, Vec<Tier>);

/// Groups cells into rectangles: tasks that share the same set of tiers go in one rule.
fn groups(cells: &[CellRef]) -> Vec<Rectangle> {
    let mut by_task: BTreeMap<Task, Vec<Tier>> = BTreeMap::new();
    for c in cells {
        let tiers = by_task.entry(c.task).or_default();
        if !tiers.contains(&c.tier) {
            tiers.push(c.tier);
        }
    }
    let mut by_tiers: BTreeMap<Vec<Tier>, Vec<Task>> = BTreeMap::new();
    for (task, mut tiers) in by_task {
        tiers.sort();
        by_tiers.entry(tiers).or_default().push(task);
    }
    by_tiers
        .into_iter()
        .map(|(tiers, tasks)| (tasks, tiers))
        .collect()
}

fn name_of(tasks: &[Task], tiers: &[Tier]) -> String {
    let list = |names: Vec<&str>, all: bool, every: &str| {
        if all {
            every.to_string()
        } else {
            names.join(", ")
        }
    };
    format!(
        "Grid: {} · {}",
        list(
            tasks.iter().map(|t| t.as_str()).collect(),
            tasks.len() == Task::ALL.len(),
            "every task"
        ),
        list(
            tiers.iter().map(|t| t.as_str()).collect(),
            tiers.len() == Tier::ALL.len(),
            "every tier"
        )
    )
}

fn unique_name(rules: &[Rule], name: &str) -> String {
    let taken = |n: &str| rules.iter().any(|r| r.name == n);
    if !taken(name) {
        return name.to_string();
    }
    (2..)
        .map(|k| format!("{name} ({k})"))
        .find(|n| !taken(n))
        .expect("an unused name exists")
}
