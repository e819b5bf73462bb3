//! A rule set made ready to decide: the detector's automaton built, regular expressions and
//! keyword conditions compiled once rather than per request.
use regex::Regex;

use crate::phrases::PhraseMatcher;
use crate::rules::{Condition, RuleSet};
use crate::tasks::Detector;
use crate::validate::{Issue, IssueKind};

#[derive(Debug, Clone)]
pub enum Matcher {
    None,
    Keywords(PhraseMatcher),
    Regex(Regex),
}

#[derive(Debug, Clone)]
pub struct CompiledRules {
    pub(crate) set: RuleSet,
    pub(crate) detector: Detector,
    /// Per rule, per condition: the compiled matcher of keyword and regex conditions.
    pub(crate) matchers: Vec<Vec<Matcher>>,
}

/// Regular expressions larger than this once compiled are refused, so a rule file cannot make
/// every decision slow or exhaust memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

impl CompiledRules {
    /// Compiles `set`; the issues name the rule and field of every regex or list that fails.
    pub fn new(set: RuleSet) -> Result<Self, Vec<Issue>> {
        let mut issues = Vec::new();
        let detector = Detector::new(&set.detector)
            .map_err(|e| vec![Issue::new(IssueKind::InvalidValue, None, "detector", e)])?;
        let mut matchers = Vec::with_capacity(set.rules.len());
        for rule in &set.rules {
            let mut compiled = Vec::with_capacity(rule.when.len());
            for (i, condition) in rule.when.iter().enumerate() {
                let field = format!("when[{i}].{}", condition.field());
                let matcher = match condition {
                    Condition::Keywords(words) => match PhraseMatcher::few(words) {
                        Ok(m) => Matcher::Keywords(m),
                        Err(e) => {
                            issues.push(Issue::new(
                                IssueKind::InvalidValue,
                                Some(&rule.name),
                                &field,
                                e,
                            ));
                            Matcher::None
                        }
                    },
                    Condition::Regex(pattern) => {
                        match regex::RegexBuilder::new(pattern)
                            .size_limit(REGEX_SIZE_LIMIT)
                            .build()
                        {
                            Ok(r) => Matcher::Regex(r),
                            Err(e) => {
                                let message = format!("invalid regex: {e}");
                                issues.push(Issue::new(
                                    IssueKind::InvalidRegex,
                                    Some(&rule.name),
                                    &field,
                                    message,
                                ));
                                Matcher::None
                            }
                        }
                    }
                    _ => Matcher::None,
                };
                compiled.push(matcher);
            }
            matchers.push(compiled);
        }
        if issues.is_empty() {
            Ok(CompiledRules {
                set,
                detector,
                matchers,
            })
        } else {
            Err(issues)
        }
    }

    pub fn rule_set(&self) -> &RuleSet {
        &self.set
    }
}
