//! The `settings` table (flags and choices kept with the database), and the preferences in it: where the chat was left (the last
//! conversation and each conversation's unsent draft) and the app's settings screen choices.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Store;
use crate::error::EngineError;

const LAST_CONVERSATION: &str = "chat.last_conversation";
const THEME: &str = "ui.theme";
const DEFAULT_MODEL: &str = "chat.default_model";

fn draft_key(conversation: Option<&str>) -> String {
    format!("chat.draft.{}", conversation.unwrap_or("new"))
}

/// The settings screen's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Preferences {
    /// `system`, `light` or `dark`.
    pub theme: String,
    /// `auto` or a catalog model id: the model new chats start with.
    pub default_model: String,
}

/// Where the chat was left: the conversation open last (none for a new chat) and its draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ChatResume {
    pub conversation_id: Option<String>,
    pub draft: String,
}

impl Store {
    /// A value of the `settings` table (a flag or a choice kept with the database).
    pub async fn setting(&self, key: &str) -> Result<Option<String>, EngineError> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                .bind(key)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), EngineError> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn clear_setting(&self, key: &str) -> Result<(), EngineError> {
        sqlx::query("DELETE FROM settings WHERE key = ?")
            .bind(key)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Keeps `text` as the unsent draft of `conversation` (None: a new chat) and remembers it
    /// as the conversation open last.
    pub async fn save_draft(
        &self,
        conversation: Option<&str>,
        text: &str,
    ) -> Result<(), EngineError> {
        let key = draft_key(conversation);
        if text.is_empty() {
            self.clear_setting(&key).await?;
        } else {
            self.set_setting(&key, text).await?;
        }
        self.set_setting(LAST_CONVERSATION, conversation.unwrap_or(""))
            .await
    }

    /// The draft of `conversation` (None: a new chat); empty when there is none.
    pub async fn draft(&self, conversation: Option<&str>) -> Result<String, EngineError> {
        Ok(self
            .setting(&draft_key(conversation))
            .await?
            .unwrap_or_default())
    }

    /// The conversation open last, if it still exists, with its draft.
    pub async fn chat_resume(&self) -> Result<ChatResume, EngineError> {
        let last = self
            .setting(LAST_CONVERSATION)
            .await?
            .filter(|id| !id.is_empty());
        let conversation_id = match last {
            Some(id) if self.conversation(&id).await.is_ok() => Some(id),
            _ => None,
        };
        let draft = self.draft(conversation_id.as_deref()).await?;
        Ok(ChatResume {
            conversation_id,
            draft,
        })
    }

    /// Forgets what was kept for a deleted conversation.
    pub(crate) async fn forget_drafts_of(&self, conversation: &str) -> Result<(), EngineError> {
        self.clear_setting(&draft_key(Some(conversation))).await
    }

    pub async fn preferences(&self) -> Result<Preferences, EngineError> {
        Ok(Preferences {
            theme: self
                .setting(THEME)
                .await?
                .unwrap_or_else(|| "system".into()),
            default_model: self
                .setting(DEFAULT_MODEL)
                .await?
                .unwrap_or_else(|| "auto".into()),
        })
    }

    pub async fn set_preferences(&self, p: &Preferences) -> Result<Preferences, EngineError> {
        if !matches!(p.theme.as_str(), "system" | "light" | "dark") {
            return Err(EngineError::Invalid {
                field: "theme".into(),
                message: format!("Unknown theme '{}': choose system, light or dark.", p.theme),
            });
        }
        let model = p.default_model.trim();
        self.set_setting(THEME, &p.theme).await?;
        let model = if model.is_empty() { "auto" } else { model };
        self.set_setting(DEFAULT_MODEL, model).await?;
        self.preferences().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_chat_resumes_where_it_was_left_and_deleted_conversations_are_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.db")).await.unwrap();
        assert_eq!(
            store.chat_resume().await.unwrap(),
            ChatResume {
                conversation_id: None,
                draft: String::new()
            }
        );
        let c = store.create_conversation("Trains", "auto").await.unwrap();
        store.save_draft(None, "half a new question").await.unwrap();
        store
            .save_draft(Some(&c.id), "half a follow-up")
            .await
            .unwrap();
        let resume = store.chat_resume().await.unwrap();
        assert_eq!(resume.conversation_id.as_deref(), Some(c.id.as_str()));
        assert_eq!(resume.draft, "half a follow-up");
        assert_eq!(store.draft(None).await.unwrap(), "half a new question");
        // Sending clears the draft; a new chat opened last resumes as a new chat.
        store.save_draft(Some(&c.id), "").await.unwrap();
        assert_eq!(store.draft(Some(&c.id)).await.unwrap(), "");
        store.save_draft(Some(&c.id), "again").await.unwrap();
        store.delete_conversation(&c.id).await.unwrap();
        assert_eq!(store.chat_resume().await.unwrap().conversation_id, None);
        assert_eq!(store.draft(Some(&c.id)).await.unwrap(), "");
    }

    #[tokio::test]
    async fn preferences_default_and_refuse_an_unknown_theme() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.db")).await.unwrap();
        let p = store.preferences().await.unwrap();
        assert_eq!(
            (p.theme.as_str(), p.default_model.as_str()),
            ("system", "auto")
        );
        let set = Preferences {
            theme: "dark".into(),
            default_model: "gpt-4o".into(),
        };
        assert_eq!(store.set_preferences(&set).await.unwrap(), set);
        let bad = Preferences {
            theme: "purple".into(),
            ..set.clone()
        };
        assert!(store
            .set_preferences(&bad)
            .await
            .unwrap_err()
            .to_string()
            .contains("purple"));
        assert_eq!(store.preferences().await.unwrap(), set);
    }
}
