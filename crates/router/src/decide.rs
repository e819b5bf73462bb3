//! The decision: detect, assess, try the rules in order, pick among the matching rule's models.
use std::cell::OnceCell;

use crate::catalog::{Catalog, Model};
use crate::compiled::{CompiledRules, Matcher, RuleKeywords};
use crate::complexity::{self, Complexity, Tier, TierValues};
use crate::cost::{self, Cost, Usage};
use crate::error::RouteError;
use crate::money::Usd;
use crate::request::Request;
use crate::rules::{Action, ChainAction, CheapestAction, Condition, Rule, RuleSet};
use crate::tasks::{mentions, Features, TaskDetection};
use crate::trace::{
    counted, Candidate, CandidateStatus, ComplexitySummary, Decision, RuleOutcome, RuleTrial,
    TokenEstimate, Trace,
};

/// Decides which model answers `request`. Pure: the same inputs give the same decision.
pub fn decide(
    request: &Request,
    rules: &CompiledRules,
    catalog: &Catalog,
) -> Result<Decision, RouteError> {
    if request.messages.is_empty() {
        return Err(RouteError::EmptyConversation);
    }
    if catalog.enabled().next().is_none() {
        return Err(RouteError::NoEnabledModel);
    }
    let set = &rules.set;
    let text = request.last_user_text();
    let (mut tasks, features) = rules.detector.detect(text);
    let system = request.system_text();
    if let Some(system) = &system {
        rules.detector.absorb_system(&mut tasks, system);
    }
    let tokens = TokenEstimate {
        approx: request.approx_prompt_tokens(),
        openai_exact: request.openai_prompt_tokens,
    };
    let complexity = complexity::assess(
        &set.complexity,
        &complexity::Inputs {
            features: &features,
            task: tasks.task,
            messages: request.messages.len(),
            prompt_tokens: tokens.approx,
        },
    );
    let tier = complexity.tier;
    let ctx = Context {
        request,
        catalog,
        tokens,
        tier,
        output: request
            .max_output_tokens
            .unwrap_or_else(|| set.settings.expected_output_tokens.get(tier)),
        reasoning: set.settings.expected_reasoning_tokens.get(tier),
    };
    let seen = Seen {
        tasks,
        features,
        complexity,
        tokens,
        system,
    };
    let facts = Facts {
        text,
        keywords: &rules.keywords,
        keywords_found: OnceCell::new(),
        tasks: &seen.tasks,
        features: &seen.features,
        complexity: &seen.complexity,
        messages: request.messages.len(),
        prompt_tokens: tokens.approx,
    };
    let mut trials = Vec::new();

    if rules.detector.honor_tags {
        for name in mentions(text) {
            let Some(model) = catalog.find(name) else {
                continue;
            };
            let mut candidate = ctx.candidate(model);
            if candidate.status == CandidateStatus::Excluded {
                trials.push(RuleTrial {
                    rule: format!("@{name}"),
                    outcome: RuleOutcome::NoUsableModel,
                    detail: candidate.note.clone(),
                });
                continue;
            }
            candidate.status = CandidateStatus::Chosen;
            let pick = Pick {
                rule: "@model tag".into(),
                candidates: vec![candidate],
                reason: format!("the message names @{name}"),
            };
            return Ok(finish(pick, trials, seen, catalog));
        }
    }

    for (rule, matchers) in set.rules.iter().zip(&rules.matchers) {
        if !rule.enabled {
            trials.push(trial(rule, RuleOutcome::Disabled, "disabled".into()));
            continue;
        }
        if let Some(why) = first_failure(rule, matchers, &facts) {
            trials.push(trial(rule, RuleOutcome::NotMatched, why));
            continue;
        }
        let pick = ctx.run(rule, set.settings.cheapest_fallbacks);
        if pick
            .candidates
            .iter()
            .any(|c| c.status == CandidateStatus::Chosen)
        {
            let detail = if rule.when.is_empty() {
                "no conditions: the default".to_string()
            } else {
                "all conditions hold".to_string()
            };
            trials.push(trial(rule, RuleOutcome::Matched, detail));
            return Ok(finish(pick, trials, seen, catalog));
        }
        let excluded: Vec<String> = pick
            .candidates
            .iter()
            .map(|c| format!("{}: {}", c.model, c.note))
            .collect();
        trials.push(trial(rule, RuleOutcome::NoUsableModel, excluded.join("; ")));
    }

    // No rule could place the request (its models are disabled or too small for the prompt):
    // rather than fail, take the cheapest enabled model that fits.
    let mut fitting: Vec<Candidate> = catalog
        .enabled()
        .map(|m| ctx.candidate(m))
        .filter(|c| c.status != CandidateStatus::Excluded)
        .collect();
    if fitting.is_empty() {
        return Err(RouteError::NoModelFits {
            prompt_tokens: tokens.approx,
        });
    }
    fitting.sort_by(|a, b| {
        a.estimated_cost_usd
            .cmp(&b.estimated_cost_usd)
            .then(a.model.cmp(&b.model))
    });
    fitting[0].status = CandidateStatus::Chosen;
    let pick = Pick {
        rule: "last resort".into(),
        candidates: fitting,
        reason: "no rule had a usable model; the cheapest enabled model whose context fits".into(),
    };
    Ok(finish(pick, trials, seen, catalog))
}

/// The candidates `rule` offers a request like `request` of `tier` with `prompt_tokens`: the
/// chosen model first, then its fallbacks, and the excluded models with why. What the grid
/// shows in a cell, by the same code that decides.
pub(crate) fn offer(
    rule: &Rule,
    set: &RuleSet,
    catalog: &Catalog,
    request: &Request,
    tier: Tier,
    prompt_tokens: u32,
) -> Vec<Candidate> {
    let ctx = Context {
        request,
        catalog,
        tokens: TokenEstimate {
            approx: prompt_tokens,
            openai_exact: None,
        },
        tier,
        output: request
            .max_output_tokens
            .unwrap_or_else(|| set.settings.expected_output_tokens.get(tier)),
        reasoning: set.settings.expected_reasoning_tokens.get(tier),
    };
    ctx.run(rule, set.settings.cheapest_fallbacks).candidates
}

struct Context<'a> {
    request: &'a Request,
    catalog: &'a Catalog,
    tokens: TokenEstimate,
    tier: Tier,
    output: u32,
    reasoning: u32,
}

struct Facts<'a> {
    text: &'a str,
    keywords: &'a RuleKeywords,
    /// Which keyword conditions hold, read from the text when the first one is tried.
    keywords_found: OnceCell<Vec<bool>>,
    tasks: &'a TaskDetection,
    features: &'a Features,
    complexity: &'a Complexity,
    messages: usize,
    prompt_tokens: u32,
}

/// What the deciding step chose: its candidates (the winner marked `Chosen`) and why.
struct Pick {
    rule: String,
    candidates: Vec<Candidate>,
    reason: String,
}

fn trial(rule: &Rule, outcome: RuleOutcome, detail: String) -> RuleTrial {
    RuleTrial {
        rule: rule.name.clone(),
        outcome,
        detail,
    }
}

/// Why the rule does not match, or `None` when every condition holds.
fn first_failure(rule: &Rule, matchers: &[Matcher], f: &Facts<'_>) -> Option<String> {
    for (condition, matcher) in rule.when.iter().zip(matchers) {
        let failed = match condition {
            Condition::Task(tasks) => (!tasks.contains(&f.tasks.task)).then(|| {
                let names: Vec<&str> = tasks.iter().map(|t| t.as_str()).collect();
                [
                    "task is ",
                    f.tasks.task.as_str(),
                    ", not ",
                    &names.join(" or "),
                ]
                .concat()
            }),
            Condition::Tier(tiers) => (!tiers.contains(&f.complexity.tier)).then(|| {
                let names: Vec<&str> = tiers.iter().map(|t| t.as_str()).collect();
                [
                    "tier is ",
                    f.complexity.tier.as_str(),
                    ", not ",
                    &names.join(" or "),
                ]
                .concat()
            }),
            Condition::Score(range) => (!range.contains(f.complexity.score))
                .then(|| format!("complexity score {} is out of range", f.complexity.score)),
            Condition::Keywords(_) | Condition::Regex(_) => {
                let found = match matcher {
                    Matcher::Keywords(c) => {
                        f.keywords_found.get_or_init(|| f.keywords.found(f.text))[*c]
                    }
                    Matcher::Regex(r) => r.is_match(f.text),
                    Matcher::None => false,
                };
                (!found).then(|| ["no ", condition.field(), " match"].concat())
            }
            Condition::HasCode(want) => (f.features.has_code != *want)
                .then(|| format!("has_code is {}", f.features.has_code)),
            Condition::AsksJson(want) => (f.features.asks_json != *want)
                .then(|| format!("asks_json is {}", f.features.asks_json)),
            Condition::PromptTokens(range) => (!range.contains(f.prompt_tokens))
                .then(|| counted(f.prompt_tokens, " prompt tokens is out of range")),
            Condition::Messages(range) => {
                let n = u32::try_from(f.messages).unwrap_or(u32::MAX);
                (!range.contains(n)).then(|| counted(n, " messages is out of range"))
            }
            Condition::Tag(tag) => {
                let tag = tag.trim_start_matches('#').to_ascii_lowercase();
                (!f.features.tags.contains(&tag)).then(|| format!("no #{tag} tag"))
            }
        };
        if failed.is_some() {
            return failed;
        }
    }
    None
}

impl Context<'_> {
    fn prompt_tokens(&self, model: &Model) -> u32 {
        match self.tokens.openai_exact {
            Some(exact) if model.provider == "openai" => exact,
            _ => self.tokens.approx,
        }
    }

    fn candidate(&self, model: &Model) -> Candidate {
        let prompt = self.prompt_tokens(model);
        let usage = Usage::expected(
            model,
            prompt,
            self.request.cached_prompt_tokens,
            self.output,
            self.reasoning,
        );
        let (status, note) = if !model.enabled {
            (CandidateStatus::Excluded, "disabled".to_string())
        } else if let Some(why) = self.request.unavailable.get(&model.id) {
            (CandidateStatus::Excluded, format!("unavailable: {why}"))
        } else if self.request.images > 0 && !model.vision {
            let note = match self.request.images {
                1 => "cannot read images (the conversation has an image)".to_string(),
                n => format!("cannot read images (the conversation has {n} images)"),
            };
            (CandidateStatus::Excluded, note)
        } else if self.request.tools && !model.tools {
            (
                CandidateStatus::Excluded,
                "cannot call tools (the request offers tools)".to_string(),
            )
        } else if !cost::fits(model, prompt, self.output) {
            let note = format!(
                "context window {} is too small for {prompt} prompt + {} output tokens",
                model.context_window, self.output
            );
            (CandidateStatus::Excluded, note)
        } else {
            (CandidateStatus::Considered, String::new())
        };
        Candidate {
            model: model.id.clone(),
            provider: model.provider.clone(),
            quality: model.quality,
            context_window: model.context_window,
            prompt_tokens: prompt,
            estimated_cost_usd: Cost::of(model, &usage).total,
            status,
            note,
        }
    }

    fn run(&self, rule: &Rule, cheapest_fallbacks: u32) -> Pick {
        match &rule.then {
            Action::Chain(ChainAction {
                models,
                prefer_cost,
            }) => self.chain(rule, models, *prefer_cost || self.request.prefer_cost),
            Action::Cheapest(CheapestAction {
                min_quality,
                providers,
            }) => self.cheapest(rule, min_quality, providers, cheapest_fallbacks),
        }
    }

    fn chain(&self, rule: &Rule, models: &[String], prefer_cost: bool) -> Pick {
        let mut candidates: Vec<Candidate> = models
            .iter()
            .map(|id| match self.catalog.get(id) {
                Some(model) => self.candidate(model),
                None => Candidate {
                    model: id.clone(),
                    provider: String::new(),
                    quality: 0.0,
                    context_window: 0,
                    prompt_tokens: self.tokens.approx,
                    estimated_cost_usd: Usd::default(),
                    status: CandidateStatus::Excluded,
                    note: "not in the catalog".into(),
                },
            })
            .collect();
        let usable: Vec<usize> = (0..candidates.len())
            .filter(|&i| candidates[i].status != CandidateStatus::Excluded)
            .collect();
        let Some(&first) = usable.first() else {
            return Pick {
                rule: rule.name.clone(),
                candidates,
                reason: String::new(),
            };
        };
        let (winner, reason) = if prefer_cost {
            let cheapest = usable
                .iter()
                .copied()
                .min_by_key(|&i| candidates[i].estimated_cost_usd)
                .unwrap_or(first);
            let reason = format!(
                "prefer_cost: the cheapest usable model of rule `{}`'s chain, at an estimated {}",
                rule.name, candidates[cheapest].estimated_cost_usd
            );
            (cheapest, reason)
        } else {
            let reason = if first == 0 {
                format!("the primary model of rule `{}`'s chain", rule.name)
            } else {
                format!(
                    "the first usable model of rule `{}`'s chain (those before it are excluded)",
                    rule.name
                )
            };
            (first, reason)
        };
        for &i in &usable {
            candidates[i].status = if i == winner {
                CandidateStatus::Chosen
            } else {
                CandidateStatus::Fallback
            };
        }
        // The winner leads; the other usable models follow in the chain's order.
        let chosen = candidates.remove(winner);
        candidates.insert(0, chosen);
        Pick {
            rule: rule.name.clone(),
            candidates,
            reason,
        }
    }

    fn cheapest(
        &self,
        rule: &Rule,
        bounds: &TierValues<f64>,
        providers: &[String],
        fallbacks: u32,
    ) -> Pick {
        let bound = bounds.get(self.tier);
        let mut candidates: Vec<Candidate> = self
            .catalog
            .enabled()
            .filter(|m| providers.is_empty() || providers.contains(&m.provider))
            .map(|m| {
                let mut c = self.candidate(m);
                if c.status != CandidateStatus::Excluded && m.quality < bound {
                    c.status = CandidateStatus::Excluded;
                    c.note = format!("quality {} is below {bound}", m.quality);
                }
                c
            })
            .collect();
        // Cheapest first; at equal cost the better model; then by name, so ties are stable.
        candidates.sort_by(|a, b| {
            let excluded = |c: &Candidate| c.status == CandidateStatus::Excluded;
            excluded(a)
                .cmp(&excluded(b))
                .then(a.estimated_cost_usd.cmp(&b.estimated_cost_usd))
                .then(b.quality.total_cmp(&a.quality))
                .then(a.model.cmp(&b.model))
        });
        let mut usable = candidates
            .iter_mut()
            .filter(|c| c.status != CandidateStatus::Excluded);
        let mut reason = String::new();
        if let Some(winner) = usable.next() {
            winner.status = CandidateStatus::Chosen;
            reason = format!(
                "the cheapest enabled model with quality ≥ {bound} (the {} tier's bound), at an estimated {}",
                self.tier.as_str(),
                winner.estimated_cost_usd
            );
        }
        for c in usable.take(fallbacks as usize) {
            c.status = CandidateStatus::Fallback;
        }
        Pick {
            rule: rule.name.clone(),
            candidates,
            reason,
        }
    }
}

/// What the router read from the request, carried into the decision's trace.
struct Seen {
    tasks: TaskDetection,
    features: Features,
    complexity: Complexity,
    tokens: TokenEstimate,
    system: Option<String>,
}

fn finish(pick: Pick, rules: Vec<RuleTrial>, seen: Seen, catalog: &Catalog) -> Decision {
    let Seen {
        tasks,
        features,
        complexity,
        tokens,
        system: system_prompt,
    } = seen;
    let winner = pick
        .candidates
        .iter()
        .find(|c| c.status == CandidateStatus::Chosen)
        .expect("a pick is finished only with a chosen candidate");
    let api_model = catalog
        .get(&winner.model)
        .map_or(winner.model.as_str(), Model::api_name)
        .to_string();
    let fallbacks = pick
        .candidates
        .iter()
        .filter(|c| c.status == CandidateStatus::Fallback)
        .map(|c| c.model.clone())
        .collect();
    Decision {
        model: winner.model.clone(),
        provider: winner.provider.clone(),
        api_model,
        fallbacks,
        task: tasks.task,
        complexity: ComplexitySummary {
            score: complexity.score,
            tier: complexity.tier,
        },
        rule: pick.rule,
        prompt_tokens: winner.prompt_tokens,
        estimated_cost_usd: winner.estimated_cost_usd,
        trace: Trace {
            tasks,
            features,
            complexity,
            tokens,
            rules,
            candidates: pick.candidates,
            reason: pick.reason,
            system_prompt,
        },
    }
}
