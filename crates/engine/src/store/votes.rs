//! The `votes` and `suggestions` tables: compare picks, thumbs and "regenerate with…" signals,
//! and the suggestions the user accepted or dismissed. They never leave the machine but in the
//! user's own export.
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use super::Store;
use crate::error::EngineError;

/// What kind of judgement a vote is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum VoteKind {
    Compare,
    Thumb,
    Regenerate,
}

impl VoteKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Compare => "compare",
            Self::Thumb => "thumb",
            Self::Regenerate => "regenerate",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "compare" => Self::Compare,
            "thumb" => Self::Thumb,
            _ => Self::Regenerate,
        }
    }
}

/// One judgement. `result` is `win`, `tie` or `loss` of `model` against `other_model` (compare,
/// regenerate), or `up` / `down` (thumb).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Vote {
    pub kind: VoteKind,
    pub at: String,
    pub task: String,
    pub rule: Option<String>,
    pub model: String,
    pub other_model: Option<String>,
    pub result: String,
}

/// A vote to write.
pub struct NewVote<'a> {
    pub kind: VoteKind,
    pub conversation_id: Option<&'a str>,
    pub message_id: Option<i64>,
    pub compare_of: Option<i64>,
    pub task: &'a str,
    pub rule: Option<&'a str>,
    pub model: &'a str,
    pub other_model: Option<&'a str>,
    pub result: &'a str,
}

/// A suggestion the user answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AnsweredSuggestion {
    pub key: String,
    /// `accepted` or `dismissed`.
    pub state: String,
    pub at: String,
    #[ts(type = "number | null")]
    pub version_id: Option<i64>,
}

impl Store {
    /// Writes the votes of one judgement in one transaction, replacing any earlier pick of the
    /// same compare.
    pub async fn record_votes(&self, votes: &[NewVote<'_>]) -> Result<(), EngineError> {
        let mut tx = self.pool().begin().await?;
        for v in votes {
            if v.kind == VoteKind::Compare {
                sqlx::query("DELETE FROM votes WHERE kind = 'compare' AND compare_of = ?")
                    .bind(v.compare_of)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        for v in votes {
            sqlx::query(
                "INSERT INTO votes (kind, conversation_id, message_id, compare_of, task, rule,
                                    model, other_model, result)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(v.kind.as_str())
            .bind(v.conversation_id)
            .bind(v.message_id)
            .bind(v.compare_of)
            .bind(v.task)
            .bind(v.rule)
            .bind(v.model)
            .bind(v.other_model)
            .bind(v.result)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sets the thumb on reply `message_id` (replacing the other one), or clears it with None.
    pub async fn set_thumb(
        &self,
        message_id: i64,
        vote: Option<NewVote<'_>>,
    ) -> Result<(), EngineError> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("DELETE FROM votes WHERE kind = 'thumb' AND message_id = ?")
            .bind(message_id)
            .execute(&mut *tx)
            .await?;
        if let Some(v) = vote {
            sqlx::query(
                "INSERT INTO votes (kind, conversation_id, message_id, task, rule, model, result)
                 VALUES ('thumb', ?, ?, ?, ?, ?, ?)",
            )
            .bind(v.conversation_id)
            .bind(message_id)
            .bind(v.task)
            .bind(v.rule)
            .bind(v.model)
            .bind(v.result)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every vote cast in `[from, to)` (ISO 8601 UTC), oldest first.
    pub async fn votes(&self, from: &str, to: &str) -> Result<Vec<Vote>, EngineError> {
        let rows = sqlx::query(
            "SELECT kind, at, task, rule, model, other_model, result FROM votes
             WHERE at >= ? AND at < ? ORDER BY id",
        )
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Vote {
                    kind: VoteKind::parse(&r.try_get::<String, _>("kind")?),
                    at: r.try_get("at")?,
                    task: r.try_get("task")?,
                    rule: r.try_get("rule")?,
                    model: r.try_get("model")?,
                    other_model: r.try_get("other_model")?,
                    result: r.try_get("result")?,
                })
            })
            .collect()
    }

    /// Remembers the user's answer to a suggestion.
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_suggestion(
        &self,
        key: &str,
        state: &str,
        task: &str,
        rule: &str,
        from_model: &str,
        to_model: &str,
        direction: &str,
        evidence: &serde_json::Value,
        version_id: Option<i64>,
    ) -> Result<(), EngineError> {
        sqlx::query(
            "INSERT INTO suggestions (key, state, task, rule, from_model, to_model, direction,
                                      evidence, version_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET state = excluded.state, at = excluded.at,
                 evidence = excluded.evidence, version_id = excluded.version_id",
        )
        .bind(key)
        .bind(state)
        .bind(task)
        .bind(rule)
        .bind(from_model)
        .bind(to_model)
        .bind(direction)
        .bind(evidence.to_string())
        .bind(version_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Every suggestion the user answered.
    pub async fn answered_suggestions(&self) -> Result<Vec<AnsweredSuggestion>, EngineError> {
        let rows = sqlx::query("SELECT key, state, at, version_id FROM suggestions ORDER BY at")
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AnsweredSuggestion {
                    key: r.try_get("key")?,
                    state: r.try_get("state")?,
                    at: r.try_get("at")?,
                    version_id: r.try_get("version_id")?,
                })
            })
            .collect()
    }

    /// The token counts and cost of the answered ledger rows of `task` under `rule` by
    /// `model` in `[from, to)`: the past requests a suggestion reprices.
    pub async fn ledger_usage_of(
        &self,
        task: &str,
        rule: &str,
        model: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<PastUsage>, EngineError> {
        let rows = sqlx::query(
            "SELECT input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_nusd
             FROM usage WHERE task = ? AND rule = ? AND model = ? AND at >= ? AND at < ?
               AND outcome IN ('answered', 'partial', 'stopped')",
        )
        .bind(task)
        .bind(rule)
        .bind(model)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PastUsage {
                    input_tokens: r.try_get("input_tokens")?,
                    output_tokens: r.try_get("output_tokens")?,
                    cached_tokens: r.try_get("cached_tokens")?,
                    reasoning_tokens: r.try_get("reasoning_tokens")?,
                    cost_nusd: r.try_get("cost_nusd")?,
                })
            })
            .collect()
    }
}

/// One past request's tokens and what it cost.
#[derive(Debug, Clone, Copy)]
pub struct PastUsage {
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cached_tokens: i64,
    pub reasoning_tokens: i64,
    pub cost_nusd: i64,
}
