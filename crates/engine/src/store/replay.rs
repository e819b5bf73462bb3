//! What a replay reads: the ledger's calls of a period, and the saved conversations their
//! prompts came from (see `crate::replay`).
use sqlx::Row;

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
    pub content: String,
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

impl Store {
    /// Every ledger row of `range`, oldest first.
    pub async fn past_calls(&self, range: &SpendRange) -> Result<Vec<PastCall>, EngineError> {
        let rows = sqlx::query(
            "SELECT id, at, source, conversation_id, message_id, model, task, rule, hop, attempt,
                    outcome, input_tokens, output_tokens, cached_tokens, reasoning_tokens,
                    cost_nusd, cost_estimated, usage_flag
             FROM usage WHERE at >= ?1 AND at < ?2 ORDER BY id",
        )
        .bind(&range.from)
        .bind(&range.to)
        .fetch_all(self.pool())
        .await?;
        let tokens = |row: &sqlx::sqlite::SqliteRow, i: usize| -> Result<u32, sqlx::Error> {
            let n: i64 = row.try_get(i)?;
            Ok(u32::try_from(n.max(0)).unwrap_or(u32::MAX))
        };
        let calls = rows
            .iter()
            .map(|row| {
                Ok(PastCall {
                    id: row.try_get(0)?,
                    at: row.try_get(1)?,
                    source: row.try_get(2)?,
                    conversation_id: row.try_get(3)?,
                    message_id: row.try_get(4)?,
                    model: row.try_get(5)?,
                    task: row.try_get(6)?,
                    rule: row.try_get(7)?,
                    hop: row.try_get(8)?,
                    attempt: row.try_get(9)?,
                    outcome: row.try_get(10)?,
                    input_tokens: tokens(row, 11)?,
                    output_tokens: tokens(row, 12)?,
                    cached_tokens: tokens(row, 13)?,
                    reasoning_tokens: tokens(row, 14)?,
                    cost_nusd: row.try_get(15)?,
                    cost_estimated: row.try_get(16)?,
                    usage_flag: row.try_get(17)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(calls)
    }

    /// The conversations the requests of `range` were made in (those still saved), each with
    /// its messages up to its last request of the period.
    pub async fn past_conversations(
        &self,
        range: &SpendRange,
    ) -> Result<Vec<PastConversation>, EngineError> {
        let heads = sqlx::query(&format!(
            "{WANTED} SELECT c.id, c.title, c.system_prompt FROM wanted w
             JOIN conversations c ON c.id = w.conversation_id ORDER BY c.id"
        ))
        .bind(&range.from)
        .bind(&range.to)
        .fetch_all(self.pool())
        .await?;
        let mut conversations = heads
            .iter()
            .map(|row| {
                Ok(PastConversation {
                    id: row.try_get(0)?,
                    title: row.try_get(1)?,
                    system_prompt: row.try_get(2)?,
                    messages: Vec::new(),
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        let messages = sqlx::query(&format!(
            "{WANTED} SELECT m.conversation_id, m.id, m.role = 'user', m.status = 'failed', m.content
             FROM wanted w JOIN messages m
               ON m.conversation_id = w.conversation_id AND m.id < w.upto
             ORDER BY m.conversation_id, m.id"
        ))
        .bind(&range.from)
        .bind(&range.to)
        .fetch_all(self.pool())
        .await?;
        let mut at = 0;
        for row in &messages {
            let conversation: &str = row.try_get(0)?;
            while at < conversations.len() && conversations[at].id.as_str() < conversation {
                at += 1;
            }
            let Some(c) = conversations.get_mut(at).filter(|c| c.id == conversation) else {
                continue;
            };
            c.messages.push(PastMessage {
                id: row.try_get(1)?,
                user: row.try_get(2)?,
                failed: row.try_get(3)?,
                content: row.try_get(4)?,
            });
        }
        Ok(conversations)
    }
}
