//! What a replay reads: the ledger's calls of a period, and the saved conversations their
//! prompts came from (see `crate::replay`).
use std::collections::HashMap;

use serde::Deserialize;

use super::spend::SpendRange;
use super::Store;
use crate::error::EngineError;

/// One ledger row, with what a replay needs of it. Costs are nano-dollars.
#[derive(Debug, Clone, PartialEq)]
pub struct PastCall {
    pub id: i64,
    pub at: String,
    pub source: String,
    pub conversation_id: Option<String>,
    pub message_id: Option<i64>,
    pub model: String,
    pub task: Option<String>,
    pub rule: Option<String>,
    pub hop: i64,
    pub attempt: i64,
    pub outcome: String,
    pub input_tokens: u32,
    pub output_tokens: u32,
    pub cached_tokens: u32,
    pub reasoning_tokens: u32,
    pub cost_nusd: i64,
    pub cost_estimated: bool,
    pub usage_flag: Option<String>,
}

/// A saved message, as far as rebuilding a request needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct PastMessage {
    pub id: i64,
    pub user: bool,
    pub failed: bool,
    /// The text; `None` for an assistant reply that is plain ASCII and part of the
    /// conversation (see [`Store::past_conversations`]), of which only the length is read.
    pub content: Option<String>,
    /// The text's length in bytes.
    pub bytes: usize,
}

/// A saved conversation whose messages a replay reads: every message before its last request
/// of the period, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct PastConversation {
    pub id: String,
    pub title: String,
    pub system_prompt: Option<String>,
    pub messages: Vec<PastMessage>,
}

/// Conversations with a request in the period, and how far into each a replay reads.
const WANTED: &str = "WITH wanted AS (
        SELECT conversation_id, max(message_id) AS upto FROM usage
        WHERE at >= ?1 AND at < ?2 AND message_id IS NOT NULL AND conversation_id IS NOT NULL
        GROUP BY conversation_id)";

/// A ledger row as the query packs it (see [`Store::past_calls`]).
#[derive(Deserialize)]
struct CallRow(
    i64,
    String,
    String,
    Option<String>,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<String>,
);

/// A message as the query packs it: conversation, id, is the user's, failed, text, bytes.
#[derive(Deserialize)]
struct MessageRow(String, i64, i64, i64, Option<String>, i64);

fn tokens(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn unpack<T: serde::de::DeserializeOwned>(json: Option<String>) -> Result<Vec<T>, EngineError> {
    match json {
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| EngineError::Database(format!("unreadable ledger history: {e}"))),
        None => Ok(Vec::new()),
    }
}

// Both reads pack their rows into one JSON value inside SQLite and parse it here: a hundred
// thousand rows read one by one cost seconds of per-row overhead; as one value, a fraction.
impl Store {
    /// Every ledger row of `range`, oldest first.
    pub async fn past_calls(&self, range: &SpendRange) -> Result<Vec<PastCall>, EngineError> {
        let json: Option<String> = sqlx::query_scalar(
            "SELECT json_group_array(json_array(id, at, source, conversation_id, message_id,
                    model, task, rule, hop, attempt, outcome, input_tokens, output_tokens,
                    cached_tokens, reasoning_tokens, cost_nusd, cost_estimated, usage_flag))
             FROM usage WHERE at >= ?1 AND at < ?2",
        )
        .bind(&range.from)
        .bind(&range.to)
        .fetch_one(self.pool())
        .await?;
        let mut calls: Vec<PastCall> = unpack::<CallRow>(json)?
            .into_iter()
            .map(|r| PastCall {
                id: r.0,
                at: r.1,
                source: r.2,
                conversation_id: r.3,
                message_id: r.4,
                model: r.5,
                task: r.6,
                rule: r.7,
                hop: r.8,
                attempt: r.9,
                outcome: r.10,
                input_tokens: tokens(r.11),
                output_tokens: tokens(r.12),
                cached_tokens: tokens(r.13),
                reasoning_tokens: tokens(r.14),
                cost_nusd: r.15,
                cost_estimated: r.16 != 0,
                usage_flag: r.17,
            })
            .collect();
        calls.sort_unstable_by_key(|c| c.id);
        Ok(calls)
    }

    /// The conversations the requests of `range` were made in (those still saved), each with
    /// its messages up to its last request of the period, oldest first. A reply matters to the
    /// router only through its size, and most replies are plain ASCII, whose approximate token
    /// count is their length alone: those that are part of the conversation (not failed, not
    /// blank) come without their text, which is most of what there is to read.
    pub async fn past_conversations(
        &self,
        range: &SpendRange,
    ) -> Result<Vec<PastConversation>, EngineError> {
        let heads = async {
            let json: Option<String> = sqlx::query_scalar(&format!(
                "{WANTED} SELECT json_group_array(json_array(c.id, c.title, c.system_prompt))
                 FROM wanted w JOIN conversations c ON c.id = w.conversation_id"
            ))
            .bind(&range.from)
            .bind(&range.to)
            .fetch_one(self.pool())
            .await?;
            Ok::<_, EngineError>(json)
        };
        let messages = async {
            let json: Option<String> = sqlx::query_scalar(&format!(
                "{WANTED}, picked AS (
                     SELECT m.conversation_id, m.id, m.role = 'user' AS user,
                            -- Not said: failed, or a compared answer that was not chosen.
                            (m.status = 'failed' OR m.alternative) AS failed, m.content,
                            octet_length(m.content) AS bytes,
                            octet_length(m.content) = length(m.content) AS ascii
                     FROM wanted w JOIN messages m
                       ON m.conversation_id = w.conversation_id AND m.id < w.upto)
                 SELECT json_group_array(json_array(conversation_id, id, user, failed,
                            CASE WHEN user OR NOT ascii THEN content END, bytes))
                 FROM picked
                 WHERE user OR NOT ascii
                    OR (NOT failed AND content GLOB '*[^ ' || char(9, 10, 11, 12, 13) || ']*')"
            ))
            .bind(&range.from)
            .bind(&range.to)
            .fetch_one(self.pool())
            .await?;
            Ok::<_, EngineError>(json)
        };
        let (heads, messages) = tokio::try_join!(heads, messages)?;
        let mut conversations: Vec<PastConversation> =
            unpack::<(String, String, Option<String>)>(heads)?
                .into_iter()
                .map(|(id, title, system_prompt)| PastConversation {
                    id,
                    title,
                    system_prompt,
                    messages: Vec::new(),
                })
                .collect();
        let index: HashMap<String, usize> = conversations
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        for m in unpack::<MessageRow>(messages)? {
            if let Some(&i) = index.get(&m.0) {
                conversations[i].messages.push(PastMessage {
                    id: m.1,
                    user: m.2 != 0,
                    failed: m.3 != 0,
                    content: m.4,
                    bytes: usize::try_from(m.5).unwrap_or(0),
                });
            }
        }
        for c in &mut conversations {
            c.messages.sort_unstable_by_key(|m| m.id);
        }
        Ok(conversations)
    }
}
