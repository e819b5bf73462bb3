//! The local endpoint's saved state: whether it runs and on which port, and the names of its
//! bearer tokens (the secrets are only in the keychain).
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

const ENABLED: &str = "endpoint.enabled";
const PORT: &str = "endpoint.port";

/// Whether the app runs the endpoint, and on which port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointSetting {
    pub enabled: bool,
    pub port: u16,
}

impl Store {
    /// The saved endpoint setting; off on `default_port` when never saved.
    pub async fn endpoint_setting(
        &self,
        default_port: u16,
    ) -> Result<EndpointSetting, EngineError> {
        let read = |key: &'static str| async move {
            sqlx::query_scalar::<_, String>("SELECT value FROM settings WHERE key = ?")
                .bind(key)
                .fetch_optional(self.pool())
                .await
        };
        let enabled = read(ENABLED).await?.is_some_and(|v| v == "1");
        let port = read(PORT)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(default_port);
        Ok(EndpointSetting { enabled, port })
    }

    pub async fn set_endpoint_setting(&self, setting: EndpointSetting) -> Result<(), EngineError> {
        let mut tx = self.pool().begin().await?;
        for (key, value) in [
            (ENABLED, if setting.enabled { "1" } else { "0" }.to_string()),
            (PORT, setting.port.to_string()),
        ] {
            sqlx::query("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)")
                .bind(key)
                .bind(value)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
