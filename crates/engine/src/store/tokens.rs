//! The names of the local endpoint's bearer tokens. The secrets are only in the keychain.
use super::Store;
use crate::error::EngineError;

/// A token as it may be shown: its name and when it was made, never its value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TokenName {
    pub name: String,
    pub created_at: String,
}

impl Store {
    /// Records a token name and the id of its keychain entry; false when the name is taken.
    pub async fn add_token_name(&self, name: &str, id: &str) -> Result<bool, EngineError> {
        let done = sqlx::query("INSERT OR IGNORE INTO endpoint_tokens (name, id) VALUES (?, ?)")
            .bind(name)
            .bind(id)
            .execute(self.pool())
            .await?
            .rows_affected();
        Ok(done == 1)
    }

    /// Forgets a token name; false when there was none.
    pub async fn remove_token_name(&self, name: &str) -> Result<bool, EngineError> {
        let done = sqlx::query("DELETE FROM endpoint_tokens WHERE name = ?")
            .bind(name)
            .execute(self.pool())
            .await?
            .rows_affected();
        Ok(done == 1)
    }

    /// Every token's name and keychain entry id, oldest first.
    pub async fn token_ids(&self) -> Result<Vec<(String, String)>, EngineError> {
        Ok(
            sqlx::query_as("SELECT name, id FROM endpoint_tokens ORDER BY created_at, name")
                .fetch_all(self.pool())
                .await?,
        )
    }

    /// Every token name, oldest first.
    pub async fn token_names(&self) -> Result<Vec<TokenName>, EngineError> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, created_at FROM endpoint_tokens ORDER BY created_at, name",
        )
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(name, created_at)| TokenName { name, created_at })
            .collect())
    }
}
