//! A rule set made ready to decide: the detector's phrase table built, regular expressions and
//! keyword conditions compiled once rather than per request. The keywords of every rule share
//! one matcher, so a decision reads the text for them once however many rules list keywords.
use regex::Regex;

use crate::phrases::PhraseMatcher;
use crate::rules::{Condition, RuleSet};
use crate::tasks::Detector;
use crate::validate::{Issue, IssueKind};

#[derive(Debug, Clone)]
pub enum Matcher {
    None,
    /// The keyword condition's number in [`RuleKeywords`].
    Keywords(usize),
    Regex(Regex),
}

/// The keywords of every keyword condition, in one matcher.
#[derive(Debug, Clone)]
pub struct RuleKeywords {
    matcher: PhraseMatcher,
    /// Per phrase of the matcher: the keyword condition it belongs to.
    condition: Vec<usize>,
    conditions: usize,
}

impl RuleKeywords {
    /// Per keyword condition: whether one of its keywords occurs in `text` as a whole word.
    pub fn found(&self, text: &str) -> Vec<bool> {
        let mut found = vec![false; self.conditions];
        self.matcher
            .for_each(text, |i, _| found[self.condition[i]] = true);
        found
    }
}

#[derive(Debug, Clone)]
pub struct CompiledRules {
    pub(crate) set: RuleSet,
    pub(crate) detector: Detector,
    /// Per rule, per condition: the compiled matcher of keyword and regex conditions.
    pub(crate) matchers: Vec<Vec<Matcher>>,
    pub(crate) keywords: RuleKeywords,
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
        let mut phrases: Vec<&str> = Vec::new();
        let mut owner = Vec::new();
        let mut conditions = 0;
        let mut matchers = Vec::with_capacity(set.rules.len());
        for rule in &set.rules {
            let mut compiled = Vec::with_capacity(rule.when.len());
            for (i, condition) in rule.when.iter().enumerate() {
                let field = format!("when[{i}].{}", condition.field());
                let matcher = match condition {
                    Condition::Keywords(words) => {
                        phrases.extend(words.iter().map(String::as_str));
                        owner.resize(phrases.len(), conditions);
                        conditions += 1;
                        Matcher::Keywords(conditions - 1)
                    }
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
        let matcher = PhraseMatcher::new(&phrases)
            .map_err(|e| vec![Issue::new(IssueKind::InvalidValue, None, "keywords", e)])?;
        let keywords = RuleKeywords {
            matcher,
            condition: owner,
            conditions,
        };
        if issues.is_empty() {
            Ok(CompiledRules {
                set,
                detector,
                matchers,
                keywords,
            })
        } else {
            Err(issues)
        }
    }

    pub fn rule_set(&self) -> &RuleSet {
        &self.set
    }
}
