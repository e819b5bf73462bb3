//! Quality beside money: what the user's votes say about each model, per task, and the rule
//! changes they suggest. Votes are written by compare picks, thumbs and "regenerate with…"
//! (`send::compare`, [`feedback`]); this module only reads them.
pub mod feedback;
pub mod suggest;

use std::collections::BTreeMap;

use serde::Serialize;
use ts_rs::TS;

use crate::error::EngineError;
use crate::send::{baseline_model, Engine};
use crate::store::votes::{Vote, VoteKind};

/// How one routed model fared against one other model on one task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Matchup {
    pub task: String,
    /// The rule the routed model answered under (the newest vote's).
    pub rule: Option<String>,
    /// The routed model.
    pub model: String,
    /// The model it was compared with (or regenerated with).
    pub other_model: String,
    /// Compare picks: the routed answer chosen, "about the same", the other chosen.
    pub wins: u32,
    pub ties: u32,
    pub losses: u32,
    /// Times the user asked `other_model` to answer again instead of `model`.
    pub regenerations: u32,
}

impl Matchup {
    /// Compare votes (regenerations are not comparisons).
    pub fn comparisons(&self) -> u32 {
        self.wins + self.ties + self.losses
    }
}

/// Thumbs on one model's replies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ModelThumbs {
    pub model: String,
    pub up: u32,
    pub down: u32,
    /// Thumbs up out of all thumbs, in percent (rounded); None with no thumbs.
    pub up_percent: Option<u32>,
}

/// The Quality view: matchups per task (routed model against each other model), the baseline
/// they are read against, and thumbs per model.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct QualityReport {
    pub baseline: Option<String>,
    pub matchups: Vec<Matchup>,
    pub thumbs: Vec<ModelThumbs>,
}

/// Counts the votes: compare picks and regenerations per (task, model, other model), thumbs per
/// model. Sorted by task, then model, then other model.
pub fn aggregate(votes: &[Vote]) -> (Vec<Matchup>, Vec<ModelThumbs>) {
    let mut matchups: BTreeMap<(String, String, String), Matchup> = BTreeMap::new();
    let mut thumbs: BTreeMap<String, ModelThumbs> = BTreeMap::new();
    for v in votes {
        match v.kind {
            VoteKind::Thumb => {
                let t = thumbs
                    .entry(v.model.clone())
                    .or_insert_with(|| ModelThumbs {
                        model: v.model.clone(),
                        ..ModelThumbs::default()
                    });
                match v.result.as_str() {
                    "up" => t.up += 1,
                    _ => t.down += 1,
                }
            }
            VoteKind::Compare | VoteKind::Regenerate => {
                let Some(other) = &v.other_model else {
                    continue;
                };
                let m = matchups
                    .entry((v.task.clone(), v.model.clone(), other.clone()))
                    .or_insert_with(|| Matchup {
                        task: v.task.clone(),
                        model: v.model.clone(),
                        other_model: other.clone(),
                        ..Matchup::default()
                    });
                if v.rule.is_some() {
                    m.rule = v.rule.clone();
                }
                match (v.kind, v.result.as_str()) {
                    (VoteKind::Regenerate, _) => m.regenerations += 1,
                    (_, "win") => m.wins += 1,
                    (_, "tie") => m.ties += 1,
                    _ => m.losses += 1,
                }
            }
        }
    }
    let thumbs = thumbs
        .into_values()
        .map(|t| ModelThumbs {
            up_percent: (t.up + t.down > 0)
                .then(|| (t.up * 100 + (t.up + t.down) / 2) / (t.up + t.down)),
            ..t
        })
        .collect();
    (matchups.into_values().collect(), thumbs)
}

impl Engine {
    /// The votes cast in `[from, to)` (ISO 8601 UTC), counted.
    pub async fn quality(&self, from: &str, to: &str) -> Result<QualityReport, EngineError> {
        let store = &self.settings().store;
        let votes = store.votes(from, to).await?;
        let (matchups, thumbs) = aggregate(&votes);
        let catalog = self.routing().await?.catalog;
        let setting = store.baseline_setting().await?;
        Ok(QualityReport {
            baseline: baseline_model(&catalog, setting.as_deref()).map(|m| m.id.clone()),
            matchups,
            thumbs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(kind: VoteKind, task: &str, model: &str, other: Option<&str>, result: &str) -> Vote {
        Vote {
            kind,
            at: "2026-11-26T10:00:00Z".into(),
            task: task.into(),
            rule: Some("r".into()),
            model: model.into(),
            other_model: other.map(str::to_string),
            result: result.into(),
        }
    }

    #[test]
    fn votes_count_as_wins_ties_losses_regenerations_and_thumbs() {
        use VoteKind::*;
        let votes = [
            vote(Compare, "code", "mini", Some("big"), "win"),
            vote(Compare, "code", "mini", Some("big"), "tie"),
            vote(Compare, "code", "mini", Some("big"), "loss"),
            vote(Compare, "code", "mini", Some("big"), "loss"),
            vote(Regenerate, "code", "mini", Some("big"), "loss"),
            vote(Compare, "code", "mini", Some("other"), "win"),
            vote(Compare, "chat", "mini", Some("big"), "tie"),
            vote(Thumb, "code", "mini", None, "up"),
            vote(Thumb, "chat", "mini", None, "up"),
            vote(Thumb, "chat", "mini", None, "down"),
            vote(Thumb, "chat", "big", None, "down"),
            vote(Thumb, "chat", "mini", None, "up"),
        ];
        let (matchups, thumbs) = aggregate(&votes);
        let find = |task: &str, other: &str| {
            matchups
                .iter()
                .find(|m| m.task == task && m.model == "mini" && m.other_model == other)
                .unwrap()
                .clone()
        };
        let code_big = find("code", "big");
        assert_eq!(
            (
                code_big.wins,
                code_big.ties,
                code_big.losses,
                code_big.regenerations
            ),
            (1, 1, 2, 1)
        );
        assert_eq!(code_big.comparisons(), 4);
        let code_other = find("code", "other");
        assert_eq!((code_other.wins, code_other.comparisons()), (1, 1));
        let chat_big = find("chat", "big");
        assert_eq!((chat_big.ties, chat_big.comparisons()), (1, 1));
        assert_eq!(matchups.len(), 3);
        assert_eq!(
            thumbs,
            vec![
                ModelThumbs {
                    model: "big".into(),
                    up: 0,
                    down: 1,
                    up_percent: Some(0),
                },
                ModelThumbs {
                    model: "mini".into(),
                    up: 3,
                    down: 1,
                    up_percent: Some(75),
                },
            ]
        );
    }
}
