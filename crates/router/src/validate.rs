//! Checks of a rule set against a catalog. Every issue names the rule and the field at fault, so
//! the rule editor can point at the cell and the CLI can print a line a person can act on.
use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::Catalog;
use crate::complexity::Tier;
use crate::rules::{Action, ChainAction, CheapestAction, Condition, Rule, RuleSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum IssueKind {
    NoRules,
    UnknownModel,
    EmptyChain,
    InvalidRegex,
    UnmeetableQuality,
    ShadowedRule,
    /// The last rule must match everything: it is the default.
    NoDefault,
    DuplicateName,
    InvalidValue,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Issue {
    pub kind: IssueKind,
    /// The rule's name; none for the catalog, detector or settings.
    pub rule: Option<String>,
    /// Where in the rule (or file): `then.models[1]`, `when[0].regex`, `catalog.models[3].quality`.
    pub field: String,
    pub message: String,
}

impl Issue {
    pub fn new(
        kind: IssueKind,
        rule: Option<&str>,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        Issue {
            kind,
            rule: rule.map(str::to_string),
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(rule) => write!(f, "rule `{rule}`, field `{}`: {}", self.field, self.message),
            None => write!(f, "`{}`: {}", self.field, self.message),
        }
    }
}

/// Every problem of `set` with `catalog`; empty when the pair is sound.
pub fn validate(set: &RuleSet, catalog: &Catalog) -> Vec<Issue> {
    let mut issues = check_catalog(catalog);
    issues.extend(check_settings(set));
    if set.rules.is_empty() {
        issues.push(Issue::new(
            IssueKind::NoRules,
            None,
            "rules",
            "a rule set needs at least one rule",
        ));
        return issues;
    }
    let mut names = HashSet::new();
    for rule in &set.rules {
        let name = Some(rule.name.as_str());
        if rule.name.trim().is_empty() {
            issues.push(Issue::new(
                IssueKind::InvalidValue,
                name,
                "name",
                "a rule needs a name",
            ));
        } else if !names.insert(rule.name.as_str()) {
            issues.push(Issue::new(
                IssueKind::DuplicateName,
                name,
                "name",
                "another rule has this name",
            ));
        }
        issues.extend(check_conditions(rule));
        issues.extend(check_action(rule, catalog));
    }
    issues.extend(check_shadowing(&set.rules));
    let last = set.rules.last().expect("checked non-empty above");
    if !last.enabled || !last.when.is_empty() {
        issues.push(Issue::new(
            IssueKind::NoDefault,
            Some(&last.name),
            "when",
            "the last rule is the default: it must be enabled and have no conditions",
        ));
    }
    issues
}

fn check_catalog(catalog: &Catalog) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut ids = HashSet::new();
    for (i, m) in catalog.models.iter().enumerate() {
        let field = |f: &str| format!("catalog.models[{i}].{f}");
        if m.id.trim().is_empty() {
            issues.push(Issue::new(
                IssueKind::InvalidValue,
                None,
                &field("id"),
                "a model needs an id",
            ));
        } else if !ids.insert(m.id.as_str()) {
            let msg = format!("model `{}` is listed twice", m.id);
            issues.push(Issue::new(
                IssueKind::DuplicateName,
                None,
                &field("id"),
                msg,
            ));
        }
        if m.provider.trim().is_empty() {
            issues.push(Issue::new(
                IssueKind::InvalidValue,
                None,
                &field("provider"),
                "a model needs a provider",
            ));
        }
        if !(0.0..=1.0).contains(&m.quality) {
            let msg = format!("quality {} is outside 0..1", m.quality);
            issues.push(Issue::new(
                IssueKind::InvalidValue,
                None,
                &field("quality"),
                msg,
            ));
        }
        if m.context_window == 0 {
            issues.push(Issue::new(
                IssueKind::InvalidValue,
                None,
                &field("context_window"),
                "must be above 0",
            ));
        }
    }
    issues
}

fn check_settings(set: &RuleSet) -> Vec<Issue> {
    let mut issues = Vec::new();
    let t = &set.complexity.tiers;
    if !(t.simple <= t.moderate && t.moderate <= t.complex) {
        issues.push(Issue::new(
            IssueKind::InvalidValue,
            None,
            "complexity.tiers",
            "tier thresholds must rise: simple ≤ moderate ≤ complex",
        ));
    }
    let share = set.detector.material_share;
    if !(0.0..=1.0).contains(&share) {
        issues.push(Issue::new(
            IssueKind::InvalidValue,
            None,
            "detector.material_share",
            "the material's share must be between 0 and 1 (0.5 by default)",
        ));
    }
    for list in &set.detector.tasks {
        for (phrase, weight) in &list.keywords {
            if phrase.trim().is_empty() || !weight.is_finite() {
                let field = format!("detector.tasks.{}.keywords", list.task);
                let msg = format!("keyword `{phrase}` needs text and a finite weight");
                issues.push(Issue::new(IssueKind::InvalidValue, None, &field, msg));
            }
        }
    }
    issues
}

fn check_conditions(rule: &Rule) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (i, condition) in rule.when.iter().enumerate() {
        let field = format!("when[{i}].{}", condition.field());
        let mut invalid = |msg: &str| {
            issues.push(Issue::new(
                IssueKind::InvalidValue,
                Some(&rule.name),
                &field,
                msg,
            ))
        };
        match condition {
            Condition::Task(v) if v.is_empty() => invalid("an empty task list never matches"),
            Condition::Tier(v) if v.is_empty() => invalid("an empty tier list never matches"),
            Condition::Keywords(v) if v.iter().all(|k| k.trim().is_empty()) => {
                invalid("an empty keyword list never matches")
            }
            Condition::Tag(t) if t.trim().trim_start_matches('#').is_empty() => {
                invalid("a tag needs a name")
            }
            Condition::Score(r) if r.min.zip(r.max).is_some_and(|(a, b)| a > b) => {
                invalid("min is above max")
            }
            Condition::PromptTokens(r) | Condition::Messages(r)
                if r.min.zip(r.max).is_some_and(|(a, b)| a > b) =>
            {
                invalid("min is above max")
            }
            Condition::Regex(p) => {
                if let Err(e) = regex::Regex::new(p) {
                    let msg = format!("invalid regex: {e}");
                    issues.push(Issue::new(
                        IssueKind::InvalidRegex,
                        Some(&rule.name),
                        &field,
                        msg,
                    ));
                }
            }
            _ => {}
        }
    }
    issues
}

fn check_action(rule: &Rule, catalog: &Catalog) -> Vec<Issue> {
    let mut issues = Vec::new();
    let name = Some(rule.name.as_str());
    match &rule.then {
        Action::Chain(ChainAction { models, .. }) => {
            if models.is_empty() {
                issues.push(Issue::new(
                    IssueKind::EmptyChain,
                    name,
                    "then.models",
                    "a chain needs at least one model",
                ));
            }
            for (i, id) in models.iter().enumerate() {
                if catalog.get(id).is_none() {
                    let msg = format!("unknown model `{id}`: it is not in the catalog");
                    issues.push(Issue::new(
                        IssueKind::UnknownModel,
                        name,
                        &format!("then.models[{i}]"),
                        msg,
                    ));
                }
            }
        }
        Action::Cheapest(CheapestAction {
            min_quality,
            providers,
        }) => {
            for (i, p) in providers.iter().enumerate() {
                if !catalog.models.iter().any(|m| &m.provider == p) {
                    let msg = format!("no model in the catalog is from provider `{p}`");
                    issues.push(Issue::new(
                        IssueKind::InvalidValue,
                        name,
                        &format!("then.providers[{i}]"),
                        msg,
                    ));
                }
            }
            let allowed =
                |provider: &str| providers.is_empty() || providers.iter().any(|p| p == provider);
            for tier in Tier::ALL {
                let bound = min_quality.get(tier);
                let met = catalog
                    .enabled()
                    .any(|m| allowed(&m.provider) && m.quality >= bound);
                if !met {
                    let msg = format!("no enabled model has quality ≥ {bound}");
                    let field = format!("then.min_quality.{}", tier.as_str());
                    issues.push(Issue::new(IssueKind::UnmeetableQuality, name, &field, msg));
                }
            }
        }
    }
    issues
}

/// A rule is shadowed when an earlier enabled rule matches every request it would match.
fn check_shadowing(rules: &[Rule]) -> Vec<Issue> {
    let mut issues = Vec::new();
    for (j, later) in rules.iter().enumerate() {
        if let Some(earlier) = rules[..j].iter().find(|r| r.enabled && covers(r, later)) {
            let msg = format!(
                "can never match: rule `{}` before it matches every request this one would",
                earlier.name
            );
            issues.push(Issue::new(
                IssueKind::ShadowedRule,
                Some(&later.name),
                "when",
                msg,
            ));
        }
    }
    issues
}

/// Whether `a` matches whenever `b` does: each of a's conditions is implied by one of b's.
fn covers(a: &Rule, b: &Rule) -> bool {
    a.when
        .iter()
        .all(|ca| b.when.iter().any(|cb| implies(cb, ca)))
}

fn implies(b: &Condition, a: &Condition) -> bool {
    use Condition as C;
    let lower = |v: &[String]| {
        v.iter()
            .map(|s| s.trim().to_lowercase())
            .collect::<HashSet<_>>()
    };
    match (a, b) {
        (C::Task(x), C::Task(y)) => y.iter().all(|t| x.contains(t)),
        (C::Tier(x), C::Tier(y)) => y.iter().all(|t| x.contains(t)),
        (C::Score(x), C::Score(y)) => x.covers(y),
        (C::Keywords(x), C::Keywords(y)) => lower(y).is_subset(&lower(x)),
        (C::Regex(x), C::Regex(y)) => x == y,
        (C::HasCode(x), C::HasCode(y)) | (C::AsksJson(x), C::AsksJson(y)) => x == y,
        (C::PromptTokens(x), C::PromptTokens(y)) | (C::Messages(x), C::Messages(y)) => x.covers(y),
        (C::Tag(x), C::Tag(y)) => x
            .trim_start_matches('#')
            .eq_ignore_ascii_case(y.trim_start_matches('#')),
        _ => false,
    }
}
