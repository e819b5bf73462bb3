//! "Suggest changes": where the votes say a task's rule should start with another model. A
//! cheaper model that wins or ties at least `cheaper_share`% of at least `min_comparisons`
//! comparisons is proposed in place of the routed one; a routed model that loses at least
//! `loss_share`% of at least `min_comparisons` judgements (compare losses and regenerations)
//! to a model that is not cheaper is proposed to give way to it. Nothing changes until the user
//! accepts, which saves a new rules version through the rules' saving path.
use serde::{Deserialize, Serialize};
use switchyard_router::{Action, Catalog, Cost, Model, Usage};
use ts_rs::TS;

use super::{aggregate, Matchup};
use crate::error::EngineError;
use crate::send::Engine;
use crate::store::rules::RoutingConfig;
use crate::store::rules::RuleVersion;

const MIN_COMPARISONS: &str = "quality.min_comparisons";
const CHEAPER_SHARE: &str = "quality.cheaper_share";
const LOSS_SHARE: &str = "quality.loss_share";

/// When a suggestion is made. Shares are percentages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Thresholds {
    pub min_comparisons: u32,
    pub cheaper_share: u32,
    pub loss_share: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            min_comparisons: 5,
            cheaper_share: 70,
            loss_share: 60,
        }
    }
}

impl Thresholds {
    fn check(&self) -> Result<(), EngineError> {
        let bad = |field: &str, message: &str| {
            Err(EngineError::Invalid {
                field: field.into(),
                message: message.into(),
            })
        };
        if self.min_comparisons == 0 || self.min_comparisons > 10_000 {
            return bad(
                "min_comparisons",
                "The number of comparisons must be between 1 and 10000.",
            );
        }
        if !(1..=100).contains(&self.cheaper_share) {
            return bad(
                "cheaper_share",
                "The share for a cheaper model must be between 1% and 100%.",
            );
        }
        if !(1..=100).contains(&self.loss_share) {
            return bad(
                "loss_share",
                "The share of losses must be between 1% and 100%.",
            );
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Direction {
    /// A cheaper model holds up: move to it and save.
    Cheaper,
    /// The routed model keeps losing: move to the one it loses to.
    Stronger,
}

/// A proposed rule change from the votes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Suggestion {
    /// Names the change; a dismissed key is not offered again.
    pub key: String,
    pub direction: Direction,
    pub task: String,
    pub rule: String,
    pub from_model: String,
    pub to_model: String,
    /// The evidence: the routed model's results against `to_model` on this task.
    pub matchup: Matchup,
    /// The rule's chain now and as proposed.
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// The cost effect, an estimate: this many past requests of the task under the rule,
    /// answered by `from_model`, as paid and repriced at `to_model` with their recorded tokens.
    pub past_requests: u32,
    #[ts(type = "number")]
    pub paid_nusd: i64,
    #[ts(type = "number")]
    pub estimated_nusd: i64,
}

fn price(m: &Model) -> u64 {
    m.input.0 + m.output.0
}

/// The matchups whose counts meet the thresholds, with the direction and the proposed model.
pub fn candidates(
    matchups: &[Matchup],
    catalog: &Catalog,
    t: &Thresholds,
) -> Vec<(Direction, Matchup)> {
    let mut out = Vec::new();
    for m in matchups {
        let (Some(model), Some(other)) = (catalog.find(&m.model), catalog.find(&m.other_model))
        else {
            continue;
        };
        if m.rule.is_none() || m.model == m.other_model {
            continue;
        }
        if price(other) < price(model) {
            let n = m.comparisons();
            let held = m.ties + m.losses;
            if n >= t.min_comparisons
                && u64::from(held) * 100 >= u64::from(t.cheaper_share) * u64::from(n)
            {
                out.push((Direction::Cheaper, m.clone()));
            }
        } else {
            let n = m.comparisons() + m.regenerations;
            let lost = m.losses + m.regenerations;
            if n >= t.min_comparisons
                && u64::from(lost) * 100 >= u64::from(t.loss_share) * u64::from(n)
            {
                out.push((Direction::Stronger, m.clone()));
            }
        }
    }
    out
}

/// `config` with rule `rule`'s chain starting at `to` (the chain's other models keep their
/// order as fallbacks); None when the rule is gone, is not a chain, or already starts there.
pub fn apply(config: &RoutingConfig, rule: &str, to: &str) -> Option<(Vec<String>, RoutingConfig)> {
    let mut draft = config.clone();
    let r = draft.rules.rules.iter_mut().find(|r| r.name == rule)?;
    let Action::Chain(chain) = &mut r.then else {
        return None;
    };
    if chain.models.first().map(String::as_str) == Some(to) {
        return None;
    }
    let before = chain.models.clone();
    chain.models.retain(|m| m != to);
    chain.models.insert(0, to.to_string());
    Some((before, draft))
}

fn key(direction: Direction, m: &Matchup) -> String {
    let d = match direction {
        Direction::Cheaper => "cheaper",
        Direction::Stronger => "stronger",
    };
    format!(
        "{d}|{}|{}|{}|{}",
        m.task,
        m.rule.as_deref().unwrap_or_default(),
        m.model,
        m.other_model
    )
}

fn tokens(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl Engine {
    pub async fn thresholds(&self) -> Result<Thresholds, EngineError> {
        let store = &self.settings().store;
        let d = Thresholds::default();
        let read =
            |v: Option<String>, default: u32| v.and_then(|s| s.parse().ok()).unwrap_or(default);
        Ok(Thresholds {
            min_comparisons: read(store.setting(MIN_COMPARISONS).await?, d.min_comparisons),
            cheaper_share: read(store.setting(CHEAPER_SHARE).await?, d.cheaper_share),
            loss_share: read(store.setting(LOSS_SHARE).await?, d.loss_share),
        })
    }

    pub async fn set_thresholds(&self, t: &Thresholds) -> Result<Thresholds, EngineError> {
        t.check()?;
        let store = &self.settings().store;
        store
            .set_setting(MIN_COMPARISONS, &t.min_comparisons.to_string())
            .await?;
        store
            .set_setting(CHEAPER_SHARE, &t.cheaper_share.to_string())
            .await?;
        store
            .set_setting(LOSS_SHARE, &t.loss_share.to_string())
            .await?;
        self.thresholds().await
    }

    /// The suggestions the votes of `[from, to)` support, without those already answered.
    pub async fn suggestions(&self, from: &str, to: &str) -> Result<Vec<Suggestion>, EngineError> {
        Ok(self
            .drafts(from, to)
            .await?
            .into_iter()
            .map(|(s, _)| s)
            .collect())
    }

    async fn drafts(
        &self,
        from: &str,
        to: &str,
    ) -> Result<Vec<(Suggestion, RoutingConfig)>, EngineError> {
        let store = &self.settings().store;
        let thresholds = self.thresholds().await?;
        let (matchups, _) = aggregate(&store.votes(from, to).await?);
        let config = store.saved_routing().await?.config;
        let answered: Vec<String> = store
            .answered_suggestions()
            .await?
            .into_iter()
            .map(|a| a.key)
            .collect();
        let mut out = Vec::new();
        for (direction, m) in candidates(&matchups, &config.catalog, &thresholds) {
            let key = key(direction, &m);
            if answered.contains(&key) {
                continue;
            }
            let rule = m.rule.clone().unwrap_or_default();
            let Some((before, draft)) = apply(&config, &rule, &m.other_model) else {
                continue;
            };
            let after = match &draft
                .rules
                .rules
                .iter()
                .find(|r| r.name == rule)
                .map(|r| &r.then)
            {
                Some(Action::Chain(c)) => c.models.clone(),
                _ => continue,
            };
            let target = config
                .catalog
                .find(&m.other_model)
                .expect("checked by candidates");
            let past = store
                .ledger_usage_of(&m.task, &rule, &m.model, from, to)
                .await?;
            let paid_nusd = past.iter().map(|p| p.cost_nusd).sum();
            let estimated_nusd = past
                .iter()
                .map(|p| {
                    let usage = Usage {
                        input_tokens: tokens(p.input_tokens),
                        output_tokens: tokens(p.output_tokens),
                        cached_input_tokens: tokens(p.cached_tokens),
                        reasoning_tokens: tokens(p.reasoning_tokens),
                        estimated: true,
                    };
                    i64::try_from(Cost::of(target, &usage).total.0).unwrap_or(i64::MAX)
                })
                .fold(0i64, i64::saturating_add);
            out.push((
                Suggestion {
                    key,
                    direction,
                    task: m.task.clone(),
                    rule,
                    from_model: m.model.clone(),
                    to_model: m.other_model.clone(),
                    matchup: m,
                    before,
                    after,
                    past_requests: past.len() as u32,
                    paid_nusd,
                    estimated_nusd,
                },
                draft,
            ));
        }
        Ok(out)
    }

    /// Saves the suggestion `key` (as the votes of `[from, to)` support it now) as a new rules
    /// version and remembers it as accepted.
    pub async fn accept_suggestion(
        &self,
        key: &str,
        from: &str,
        to: &str,
    ) -> Result<RuleVersion, EngineError> {
        let (s, draft) = self.find_draft(key, from, to).await?;
        let store = &self.settings().store;
        let m = &s.matchup;
        let note = format!(
            "Suggested from your votes: rule '{}' starts with {} instead of {} for {} ({} wins, {} ties, {} losses, {} regenerations)",
            s.rule, s.to_model, s.from_model, s.task, m.wins, m.ties, m.losses, m.regenerations
        );
        let version = store.save_routing(&draft, &note).await?;
        self.remember(&s, "accepted", Some(version.id)).await?;
        Ok(version)
    }

    /// Remembers the suggestion `key` as dismissed: it is not offered again.
    pub async fn dismiss_suggestion(
        &self,
        key: &str,
        from: &str,
        to: &str,
    ) -> Result<(), EngineError> {
        let (s, _) = self.find_draft(key, from, to).await?;
        self.remember(&s, "dismissed", None).await
    }

    async fn find_draft(
        &self,
        key: &str,
        from: &str,
        to: &str,
    ) -> Result<(Suggestion, RoutingConfig), EngineError> {
        self.drafts(from, to)
            .await?
            .into_iter()
            .find(|(s, _)| s.key == key)
            .ok_or_else(|| {
                EngineError::NotFound(
                    "This suggestion no longer applies (the votes or the rules changed). Press Suggest changes again."
                        .into(),
                )
            })
    }

    async fn remember(
        &self,
        s: &Suggestion,
        state: &str,
        version: Option<i64>,
    ) -> Result<(), EngineError> {
        let evidence = serde_json::to_value(&s.matchup).expect("matchups serialize");
        let direction = serde_json::to_value(s.direction).expect("directions serialize");
        self.settings()
            .store
            .answer_suggestion(
                &s.key,
                state,
                &s.task,
                &s.rule,
                &s.from_model,
                &s.to_model,
                direction.as_str().unwrap_or_default(),
                &evidence,
                version,
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use switchyard_router::default_catalog;

    use super::*;

    fn matchup(model: &str, other: &str, wins: u32, ties: u32, losses: u32, regen: u32) -> Matchup {
        Matchup {
            task: "code".into(),
            rule: Some("code".into()),
            model: model.into(),
            other_model: other.into(),
            wins,
            ties,
            losses,
            regenerations: regen,
        }
    }

    fn pricier_and_cheaper(catalog: &Catalog) -> (String, String) {
        let mut models: Vec<&Model> = catalog.enabled().collect();
        models.sort_by_key(|m| price(m));
        (
            models.last().unwrap().id.clone(),
            models.first().unwrap().id.clone(),
        )
    }

    #[test]
    fn a_cheaper_model_is_proposed_exactly_at_the_thresholds() {
        let catalog = default_catalog();
        let (big, small) = pricier_and_cheaper(&catalog);
        let t = Thresholds::default();
        // 4 comparisons, all held: one short of the minimum.
        assert!(candidates(&[matchup(&big, &small, 0, 2, 2, 0)], &catalog, &t).is_empty());
        // 5 comparisons, 4 held (80%): a suggestion, to the cheaper model.
        let found = candidates(&[matchup(&big, &small, 1, 2, 2, 0)], &catalog, &t);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Direction::Cheaper);
        assert_eq!(found[0].1.other_model, small);
        // 10 comparisons: 7 held is exactly 70%; 6 is below.
        assert_eq!(
            candidates(&[matchup(&big, &small, 3, 4, 3, 0)], &catalog, &t).len(),
            1
        );
        assert!(candidates(&[matchup(&big, &small, 4, 3, 3, 0)], &catalog, &t).is_empty());
        // Regenerations are not comparisons for a cheaper model.
        assert!(candidates(&[matchup(&big, &small, 0, 2, 2, 5)], &catalog, &t).is_empty());
    }

    #[test]
    fn a_losing_model_gives_way_to_a_stronger_one_exactly_at_the_thresholds() {
        let catalog = default_catalog();
        let (big, small) = pricier_and_cheaper(&catalog);
        let t = Thresholds::default();
        // 3 of 5 lost (60%): a suggestion, to the stronger model.
        let found = candidates(&[matchup(&small, &big, 2, 0, 3, 0)], &catalog, &t);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Direction::Stronger);
        assert_eq!(found[0].1.other_model, big);
        // 2 of 5 lost and a tie: 40%, none.
        assert!(candidates(&[matchup(&small, &big, 2, 1, 2, 0)], &catalog, &t).is_empty());
        // 4 judgements: one short.
        assert!(candidates(&[matchup(&small, &big, 1, 0, 3, 0)], &catalog, &t).is_empty());
        // Regenerations count as losses: 2 losses + 1 regeneration of 5.
        assert_eq!(
            candidates(&[matchup(&small, &big, 2, 0, 2, 1)], &catalog, &t).len(),
            1
        );
        // A cheaper model winning is never a "stronger" suggestion the other way round.
        assert!(candidates(&[matchup(&small, &big, 5, 0, 0, 0)], &catalog, &t).is_empty());
    }

    #[test]
    fn applying_moves_the_model_to_the_front_of_the_rule_chain() {
        let config = RoutingConfig::bundled();
        let rule = config
            .rules
            .rules
            .iter()
            .find(|r| matches!(&r.then, Action::Chain(c) if c.models.len() > 1))
            .unwrap();
        let Action::Chain(chain) = &rule.then else {
            unreachable!()
        };
        let second = chain.models[1].clone();
        let (before, draft) = apply(&config, &rule.name, &second).unwrap();
        assert_eq!(before, chain.models);
        let moved = draft
            .rules
            .rules
            .iter()
            .find(|r| r.name == rule.name)
            .unwrap();
        let Action::Chain(after) = &moved.then else {
            unreachable!()
        };
        assert_eq!(after.models[0], second);
        assert_eq!(after.models.len(), chain.models.len());
        assert!(apply(&config, &rule.name, &chain.models[0]).is_none());
        assert!(apply(&config, "no such rule", &second).is_none());
    }
}
