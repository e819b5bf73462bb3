//! The `provider_models` table: each provider's last fetched model list.
use std::collections::HashMap;

use sqlx::Row;

use super::Store;
use crate::error::EngineError;
use crate::provider::ServedModels;

impl Store {
    /// Replaces the stored list of `provider_id` with `models`. An empty list is not stored (the
    /// provider is then treated as having no list), so a server that answers with nothing for a
    /// moment does not lock every model out.
    pub async fn replace_provider_models(
        &self,
        provider_id: &str,
        models: &[String],
    ) -> Result<(), EngineError> {
        if models.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM provider_models WHERE provider_id = ?1")
            .bind(provider_id)
            .execute(&mut *tx)
            .await?;
        for model in models {
            sqlx::query(
                "INSERT OR IGNORE INTO provider_models (provider_id, model_id) VALUES (?1, ?2)",
            )
            .bind(provider_id)
            .bind(model)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every stored list, by provider id.
    pub async fn provider_models(&self) -> Result<HashMap<String, ServedModels>, EngineError> {
        let rows = sqlx::query("SELECT provider_id, model_id, fetched_at FROM provider_models")
            .fetch_all(&self.pool)
            .await?;
        let mut out: HashMap<String, ServedModels> = HashMap::new();
        for row in rows {
            let served = out.entry(row.try_get("provider_id")?).or_default();
            served.models.insert(row.try_get("model_id")?);
            served.fetched_at = served.fetched_at.max(row.try_get("fetched_at")?);
        }
        Ok(out)
    }

    /// The ids of the enabled providers whose list is missing or older than `max_age_secs`.
    pub async fn providers_with_stale_models(
        &self,
        max_age_secs: i64,
    ) -> Result<Vec<String>, EngineError> {
        let rows = sqlx::query(
            "SELECT p.id FROM providers p
             LEFT JOIN provider_models m ON m.provider_id = p.id
             WHERE p.enabled
             GROUP BY p.id
             HAVING max(m.fetched_at) IS NULL OR unixepoch() - max(m.fetched_at) > ?1
             ORDER BY p.name",
        )
        .bind(max_age_secs)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| r.try_get("id").map_err(EngineError::from))
            .collect()
    }
}
