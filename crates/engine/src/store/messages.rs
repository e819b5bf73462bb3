//! The `messages` table and its full-text index.
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use super::Store;
use crate::error::EngineError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Role {
    User,
    Assistant,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Assistant => "assistant",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum MessageStatus {
    /// The reply is arriving; its row is updated as text comes.
    Streaming,
    Complete,
    /// Text arrived, then the provider failed; the text is kept.
    Partial,
    /// The user stopped the reply; what arrived is kept.
    Stopped,
    /// No model produced any text.
    Failed,
    /// The app closed while the reply was streaming.
    Interrupted,
}

impl MessageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Streaming => "streaming",
            Self::Complete => "complete",
            Self::Partial => "partial",
            Self::Stopped => "stopped",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "streaming" => Self::Streaming,
            "partial" => Self::Partial,
            "stopped" => Self::Stopped,
            "failed" => Self::Failed,
            "interrupted" => Self::Interrupted,
            _ => Self::Complete,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ChatMessage {
    #[ts(type = "number")]
    pub id: i64,
    pub conversation_id: String,
    pub role: Role,
    pub content: String,
    pub status: MessageStatus,
    /// What the user asked for: `auto` or a model id.
    pub requested_model: Option<String>,
    /// The model that answered.
    pub model: Option<String>,
    pub provider: Option<String>,
    /// The router's decision and its trace, for "Why this model?".
    #[ts(as = "Option<switchyard_router::Decision>")]
    pub decision: Option<serde_json::Value>,
    /// How the reply went: tokens, cost, timings, every hop.
    #[ts(as = "Option<crate::reply::Reply>")]
    pub details: Option<serde_json::Value>,
    pub created_at: String,
    /// A compared answer: the user message every column of the compare answered.
    #[ts(type = "number | null")]
    pub compare_of: Option<i64>,
    /// Its column: 0 for the routed model, 1.. for the models it was compared with.
    pub compare_column: Option<u32>,
    /// A compared answer that was not chosen: shown, never sent upstream.
    pub alternative: bool,
    /// How the user picked among the compared answers, once they have.
    pub verdict: Option<Verdict>,
    /// The user's thumb on this reply.
    pub thumb: Option<Thumb>,
}

/// How a compare was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Verdict {
    /// One answer was picked (the one that is not an alternative).
    Picked,
    /// "About the same": the routed answer continues.
    Tie,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Thumb {
    Up,
    Down,
}

impl Thumb {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Up => "up",
            Self::Down => "down",
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SearchHit {
    pub conversation_id: String,
    pub conversation_title: String,
    #[ts(type = "number")]
    pub message_id: i64,
    pub role: Role,
    /// The matching passage; matched words are wrapped in `[` `]`.
    pub snippet: String,
}

const COLUMNS: &str = "id, conversation_id, role, content, status, requested_model, model, provider, decision, details, created_at,
    compare_of, compare_column, alternative,
    (SELECT CASE WHEN v.result = 'tie' THEN 'tie' ELSE 'picked' END FROM votes v
     WHERE v.kind = 'compare' AND v.compare_of = messages.compare_of LIMIT 1) AS verdict,
    (SELECT v.result FROM votes v WHERE v.kind = 'thumb' AND v.message_id = messages.id) AS thumb";

fn json(text: Option<String>) -> Option<serde_json::Value> {
    text.and_then(|t| serde_json::from_str(&t).ok())
}

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<ChatMessage, EngineError> {
    let role: String = row.try_get("role")?;
    Ok(ChatMessage {
        id: row.try_get("id")?,
        conversation_id: row.try_get("conversation_id")?,
        role: if role == "user" {
            Role::User
        } else {
            Role::Assistant
        },
        content: row.try_get("content")?,
        status: MessageStatus::parse(&row.try_get::<String, _>("status")?),
        requested_model: row.try_get("requested_model")?,
        model: row.try_get("model")?,
        provider: row.try_get("provider")?,
        decision: json(row.try_get("decision")?),
        details: json(row.try_get("details")?),
        created_at: row.try_get("created_at")?,
        compare_of: row.try_get("compare_of")?,
        compare_column: row.try_get("compare_column")?,
        alternative: row.try_get("alternative")?,
        verdict: row.try_get::<Option<String>, _>("verdict")?.map(|v| {
            if v == "tie" {
                Verdict::Tie
            } else {
                Verdict::Picked
            }
        }),
        thumb: row.try_get::<Option<String>, _>("thumb")?.map(|t| {
            if t == "up" {
                Thumb::Up
            } else {
                Thumb::Down
            }
        }),
    })
}

/// The end state of an assistant message.
pub struct Finished<'a> {
    pub content: &'a str,
    pub status: MessageStatus,
    pub model: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub details: Option<&'a serde_json::Value>,
}

/// Turns what a person types into an FTS5 query that cannot be a syntax error: each word quoted,
/// all required, the last one as a prefix so results come while typing.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    let (last, rest) = words.split_last()?;
    let mut q = rest.join(" ");
    if !q.is_empty() {
        q.push(' ');
    }
    q.push_str(last);
    q.push('*');
    Some(q)
}

impl Store {
    pub async fn insert_message(
        &self,
        conversation_id: &str,
        role: Role,
        content: &str,
        status: MessageStatus,
        requested_model: Option<&str>,
    ) -> Result<ChatMessage, EngineError> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (conversation_id, role, content, status, requested_model) VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(conversation_id)
        .bind(role.as_str())
        .bind(content)
        .bind(status.as_str())
        .bind(requested_model)
        .fetch_one(self.pool())
        .await?;
        self.touch_conversation(conversation_id).await?;
        self.message(id).await
    }

    pub async fn message(&self, id: i64) -> Result<ChatMessage, EngineError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM messages WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("No message with id {id}.")))?;
        from_row(&row)
    }

    pub async fn messages(&self, conversation_id: &str) -> Result<Vec<ChatMessage>, EngineError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id"
        ))
        .bind(conversation_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn set_message_decision(
        &self,
        id: i64,
        decision: &serde_json::Value,
    ) -> Result<(), EngineError> {
        sqlx::query("UPDATE messages SET decision = ? WHERE id = ?")
            .bind(decision.to_string())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Saves the text that has arrived so far, so a crash loses at most the last moments.
    pub async fn save_progress(
        &self,
        id: i64,
        content: &str,
        model: Option<&str>,
        provider: Option<&str>,
    ) -> Result<(), EngineError> {
        sqlx::query(
            "UPDATE messages SET content = ?, model = COALESCE(?, model), provider = COALESCE(?, provider),
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
        )
        .bind(content)
        .bind(model)
        .bind(provider)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn finish_message(
        &self,
        id: i64,
        end: Finished<'_>,
    ) -> Result<ChatMessage, EngineError> {
        sqlx::query(
            "UPDATE messages SET content = ?, status = ?, model = COALESCE(?, model), provider = COALESCE(?, provider),
             details = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
        )
        .bind(end.content)
        .bind(end.status.as_str())
        .bind(end.model)
        .bind(end.provider)
        .bind(end.details.map(|d| d.to_string()))
        .bind(id)
        .execute(self.pool())
        .await?;
        self.message(id).await
    }

    pub async fn update_message_content(&self, id: i64, content: &str) -> Result<(), EngineError> {
        sqlx::query("UPDATE messages SET content = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
            .bind(content)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Removes every message of the conversation after `id` (for regenerate and edit-and-resend).
    pub async fn delete_messages_after(
        &self,
        conversation_id: &str,
        id: i64,
    ) -> Result<(), EngineError> {
        sqlx::query("DELETE FROM messages WHERE conversation_id = ? AND id > ?")
            .bind(conversation_id)
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Marks a reply as one column of a compare of `compare_of`; the routed column (0) is the
    /// one the conversation continues with until the user picks.
    pub async fn mark_compared(
        &self,
        id: i64,
        compare_of: i64,
        column: u32,
    ) -> Result<(), EngineError> {
        sqlx::query(
            "UPDATE messages SET compare_of = ?, compare_column = ?, alternative = ? WHERE id = ?",
        )
        .bind(compare_of)
        .bind(column)
        .bind(column != 0)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The answers of the compare of user message `compare_of`, by column.
    pub async fn compared(&self, compare_of: i64) -> Result<Vec<ChatMessage>, EngineError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM messages WHERE compare_of = ? ORDER BY compare_column"
        ))
        .bind(compare_of)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Makes `chosen` the answer of the compare of `compare_of` that the conversation continues
    /// with; the others become alternatives.
    pub async fn choose_compared(&self, compare_of: i64, chosen: i64) -> Result<(), EngineError> {
        sqlx::query("UPDATE messages SET alternative = (id != ?) WHERE compare_of = ?")
            .bind(chosen)
            .bind(compare_of)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Replies left streaming by a crash or a kill are marked so, keeping their text.
    pub async fn mark_interrupted(&self) -> Result<u64, EngineError> {
        let done =
            sqlx::query("UPDATE messages SET status = 'interrupted' WHERE status = 'streaming'")
                .execute(self.pool())
                .await?;
        Ok(done.rows_affected())
    }

    pub async fn search_messages(
        &self,
        input: &str,
        limit: u32,
    ) -> Result<Vec<SearchHit>, EngineError> {
        let Some(query) = fts_query(input) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query(
            "SELECT m.id, m.conversation_id, m.role, c.title,
                    snippet(messages_fts, 0, '[', ']', '…', 12) AS snippet
             FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
             JOIN conversations c ON c.id = m.conversation_id
             WHERE messages_fts MATCH ? ORDER BY rank LIMIT ?",
        )
        .bind(query)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                Ok(SearchHit {
                    conversation_id: r.try_get("conversation_id")?,
                    conversation_title: r.try_get("title")?,
                    message_id: r.try_get("id")?,
                    role: if role == "user" {
                        Role::User
                    } else {
                        Role::Assistant
                    },
                    snippet: r.try_get("snippet")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_queries_quote_every_word() {
        assert_eq!(
            fts_query("rust AND \"x"),
            Some("\"rust\" \"AND\" \"x\"*".into())
        );
        assert_eq!(fts_query("  ()  "), None);
        assert_eq!(fts_query("naïve café"), Some("\"naïve\" \"café\"*".into()));
    }

    #[tokio::test]
    async fn messages_are_searchable_and_follow_edits_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("m.db")).await.unwrap();
        let c = s.create_conversation("Trip", "auto").await.unwrap();
        let u = s
            .insert_message(
                &c.id,
                Role::User,
                "Plan a trip to Reykjavík",
                MessageStatus::Complete,
                Some("auto"),
            )
            .await
            .unwrap();
        let a = s
            .insert_message(
                &c.id,
                Role::Assistant,
                "",
                MessageStatus::Streaming,
                Some("auto"),
            )
            .await
            .unwrap();
        s.save_progress(
            a.id,
            "Day one: the Blue Lagoon",
            Some("gpt-4o-mini"),
            Some("openai"),
        )
        .await
        .unwrap();

        let hits = s.search_messages("reykjavik", 10).await.unwrap();
        assert_eq!(hits.len(), 1, "diacritics are folded");
        assert_eq!(hits[0].message_id, u.id);
        assert!(
            hits[0].snippet.contains("[Reykjavík]"),
            "{}",
            hits[0].snippet
        );
        assert_eq!(
            s.search_messages("lago", 10).await.unwrap()[0].message_id,
            a.id,
            "prefix match"
        );

        assert_eq!(s.mark_interrupted().await.unwrap(), 1);
        let kept = s.message(a.id).await.unwrap();
        assert_eq!(kept.status, MessageStatus::Interrupted);
        assert_eq!(kept.content, "Day one: the Blue Lagoon");

        s.delete_messages_after(&c.id, u.id).await.unwrap();
        assert!(s.search_messages("lagoon", 10).await.unwrap().is_empty());
        s.delete_conversation(&c.id).await.unwrap();
        assert!(s.search_messages("trip", 10).await.unwrap().is_empty());
        assert!(s
            .search_messages("\"unbalanced", 10)
            .await
            .unwrap()
            .is_empty());
    }
}
