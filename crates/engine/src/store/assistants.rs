//! Assistants: named system prompts a chat can start with.
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use super::Store;
use crate::error::EngineError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Assistant {
    /// None for one not saved yet.
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
    pub system_prompt: String,
}

fn invalid(field: &str, message: &str) -> EngineError {
    EngineError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

impl Store {
    /// Every assistant, by name.
    pub async fn assistants(&self) -> Result<Vec<Assistant>, EngineError> {
        let rows = sqlx::query(
            "SELECT id, name, system_prompt FROM assistants ORDER BY name COLLATE NOCASE",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Assistant {
                    id: Some(r.try_get("id")?),
                    name: r.try_get("name")?,
                    system_prompt: r.try_get("system_prompt")?,
                })
            })
            .collect()
    }

    /// Adds the assistant, or with an id, replaces that one. Names are unique.
    pub async fn save_assistant(&self, a: &Assistant) -> Result<Assistant, EngineError> {
        let name = a.name.trim();
        let prompt = a.system_prompt.trim();
        if name.is_empty() {
            return Err(invalid("name", "Give the assistant a name."));
        }
        if prompt.is_empty() {
            return Err(invalid(
                "system_prompt",
                "Write the assistant's system prompt.",
            ));
        }
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM assistants WHERE name = ?")
            .bind(name)
            .fetch_optional(self.pool())
            .await?;
        if taken.is_some() && taken != a.id {
            return Err(invalid(
                "name",
                &format!("An assistant named “{name}” exists already: choose another name."),
            ));
        }
        let id = match a.id {
            Some(id) => {
                let done =
                    sqlx::query("UPDATE assistants SET name = ?, system_prompt = ? WHERE id = ?")
                        .bind(name)
                        .bind(prompt)
                        .bind(id)
                        .execute(self.pool())
                        .await?;
                if done.rows_affected() == 0 {
                    return Err(EngineError::NotFound(format!("No assistant with id {id}.")));
                }
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO assistants (name, system_prompt) VALUES (?, ?) RETURNING id",
                )
                .bind(name)
                .bind(prompt)
                .fetch_one(self.pool())
                .await?
            }
        };
        Ok(Assistant {
            id: Some(id),
            name: name.into(),
            system_prompt: prompt.into(),
        })
    }

    pub async fn delete_assistant(&self, id: i64) -> Result<(), EngineError> {
        sqlx::query("DELETE FROM assistants WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(id: Option<i64>, name: &str, prompt: &str) -> Assistant {
        Assistant {
            id,
            name: name.into(),
            system_prompt: prompt.into(),
        }
    }

    #[tokio::test]
    async fn assistants_are_saved_renamed_listed_by_name_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a.db")).await.unwrap();
        let t = store
            .save_assistant(&a(None, " Translator ", "Translate into German."))
            .await
            .unwrap();
        store
            .save_assistant(&a(None, "Reviewer", "Review code."))
            .await
            .unwrap();
        assert_eq!(t.name, "Translator");
        let err = store
            .save_assistant(&a(None, "Translator", "again"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("exists already"), "{err}");
        assert!(store.save_assistant(&a(None, "", "x")).await.is_err());
        assert!(store.save_assistant(&a(None, "Empty", "  ")).await.is_err());
        let renamed = store
            .save_assistant(&a(t.id, "German translator", "Translate into German."))
            .await
            .unwrap();
        assert_eq!(renamed.id, t.id);
        let names: Vec<String> = store
            .assistants()
            .await
            .unwrap()
            .into_iter()
            .map(|x| x.name)
            .collect();
        assert_eq!(names, ["German translator", "Reviewer"]);
        store.delete_assistant(t.id.unwrap()).await.unwrap();
        assert_eq!(store.assistants().await.unwrap().len(), 1);
    }
}
