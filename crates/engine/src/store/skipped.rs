//! The `skipped_calls` table (migration 0016): models a request passed over without calling
//! them. They are not calls, so not in the ledger; Spend counts them beside the calls.
use super::Store;
use crate::error::EngineError;
use crate::reply::{Hop, HopOutcome};

impl Store {
    /// Records the skipped hops of one request (`source` as the ledger writes it).
    pub async fn record_skipped(
        &self,
        source: &str,
        client: Option<&str>,
        hops: &[Hop],
    ) -> Result<(), EngineError> {
        let skipped: Vec<&Hop> = hops
            .iter()
            .filter(|h| h.outcome == HopOutcome::Skipped)
            .collect();
        if skipped.is_empty() {
            return Ok(());
        }
        let mut tx = self.pool().begin().await?;
        for h in skipped {
            let code = h
                .error
                .as_ref()
                .map_or("skipped".to_string(), |e| e.code.to_string());
            sqlx::query(
                "INSERT INTO skipped_calls (source, client, provider_id, model, code)
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(source)
            .bind(client)
            .bind(&h.provider)
            .bind(&h.model)
            .bind(code)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Skipped models in `[from, to)`, for one provider or all.
    pub(crate) async fn skipped_between(
        &self,
        from: &str,
        to: &str,
        provider_id: Option<&str>,
    ) -> Result<i64, EngineError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM skipped_calls
             WHERE at >= strftime('%Y-%m-%dT%H:%M:%fZ', ?1)
               AND at < strftime('%Y-%m-%dT%H:%M:%fZ', ?2)
               AND (?3 IS NULL OR provider_id = ?3)",
        )
        .bind(from)
        .bind(to)
        .bind(provider_id)
        .fetch_one(self.pool())
        .await?)
    }
}
