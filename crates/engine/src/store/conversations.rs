//! The `conversations` table.
use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::Store;
use crate::error::EngineError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Conversation {
    pub id: String,
    pub title: String,
    /// `auto`, or the catalog id of the model this conversation uses.
    pub model: String,
    /// Sent first with every message of the conversation; the router reads it for the task.
    pub system_prompt: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "id, title, model, system_prompt, created_at, updated_at";

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Conversation, EngineError> {
    Ok(Conversation {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        model: row.try_get("model")?,
        system_prompt: row.try_get("system_prompt")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn not_found(id: &str) -> EngineError {
    EngineError::NotFound(format!(
        "No conversation with id '{id}'. It may have been deleted."
    ))
}

/// A title from the first words of a prompt: one line, at most 60 characters.
pub fn title_from(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return "New chat".into();
    }
    if line.chars().count() <= 60 {
        return line;
    }
    let cut: String = line.chars().take(57).collect();
    let cut = cut
        .rsplit_once(' ')
        .map_or(cut.as_str(), |(head, _)| head)
        .to_string();
    format!("{cut}…")
}

impl Store {
    pub async fn create_conversation(
        &self,
        title: &str,
        model: &str,
    ) -> Result<Conversation, EngineError> {
        let id = uuid::Uuid::new_v4().to_string();
        sqlx::query("INSERT INTO conversations (id, title, model) VALUES (?, ?, ?)")
            .bind(&id)
            .bind(title_from(title))
            .bind(model)
            .execute(self.pool())
            .await?;
        self.conversation(&id).await
    }

    pub async fn conversation(&self, id: &str) -> Result<Conversation, EngineError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM conversations WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| not_found(id))?;
        from_row(&row)
    }

    /// Newest activity first.
    pub async fn list_conversations(&self) -> Result<Vec<Conversation>, EngineError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM conversations ORDER BY updated_at DESC, rowid DESC"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn rename_conversation(
        &self,
        id: &str,
        title: &str,
    ) -> Result<Conversation, EngineError> {
        let title = title.trim();
        if title.is_empty() {
            return Err(EngineError::Invalid {
                field: "title".into(),
                message: "Give the conversation a title.".into(),
            });
        }
        let title: String = title.chars().take(200).collect();
        let done = sqlx::query("UPDATE conversations SET title = ? WHERE id = ?")
            .bind(&title)
            .bind(id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found(id));
        }
        self.conversation(id).await
    }

    pub async fn set_conversation_model(
        &self,
        id: &str,
        model: &str,
    ) -> Result<Conversation, EngineError> {
        self.set_conversation_field(id, "model", Some(model)).await
    }

    /// Sets (or, with a blank text, clears) the conversation's system prompt.
    pub async fn set_conversation_system_prompt(
        &self,
        id: &str,
        system_prompt: Option<&str>,
    ) -> Result<Conversation, EngineError> {
        let text = system_prompt.map(str::trim).filter(|t| !t.is_empty());
        self.set_conversation_field(id, "system_prompt", text).await
    }

    /// Writes one of the conversation's own columns (`column` is always a literal name).
    async fn set_conversation_field(
        &self,
        id: &str,
        column: &'static str,
        value: Option<&str>,
    ) -> Result<Conversation, EngineError> {
        let done = sqlx::query(&format!(
            "UPDATE conversations SET {column} = ? WHERE id = ?"
        ))
        .bind(value)
        .bind(id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(not_found(id));
        }
        self.conversation(id).await
    }

    pub async fn touch_conversation(&self, id: &str) -> Result<(), EngineError> {
        sqlx::query("UPDATE conversations SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Deletes the conversation and, by cascade, its messages (and their search entries).
    pub async fn delete_conversation(&self, id: &str) -> Result<(), EngineError> {
        let done = sqlx::query("DELETE FROM conversations WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(not_found(id));
        }
        self.remove_attachment_files(id).await?;
        self.forget_drafts_of(id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_one_short_line() {
        assert_eq!(title_from("  Hello\n  world "), "Hello world");
        assert_eq!(title_from(""), "New chat");
        let long = title_from(&"word ".repeat(40));
        assert!(long.chars().count() <= 60 && long.ends_with('…'), "{long}");
    }

    #[tokio::test]
    async fn newest_first_rename_and_delete() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("c.db")).await.unwrap();
        let a = s.create_conversation("first", "auto").await.unwrap();
        let b = s.create_conversation("second", "auto").await.unwrap();
        let ids: Vec<_> = s
            .list_conversations()
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, vec![b.id.clone(), a.id.clone()]);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        s.touch_conversation(&a.id).await.unwrap();
        assert_eq!(s.list_conversations().await.unwrap()[0].id, a.id);
        assert_eq!(
            s.rename_conversation(&a.id, " Renamed ")
                .await
                .unwrap()
                .title,
            "Renamed"
        );
        assert_eq!(
            s.rename_conversation(&a.id, "  ").await.unwrap_err().code(),
            "invalid_input"
        );
        s.delete_conversation(&a.id).await.unwrap();
        assert_eq!(s.conversation(&a.id).await.unwrap_err().code(), "not_found");
    }
}
