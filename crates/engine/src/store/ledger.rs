//! The usage ledger: one row per provider call, from the app and the CLI alike.
use super::Store;
use crate::error::EngineError;

/// One provider call as recorded. Costs are nano-dollars.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerRow {
    pub source: String,
    pub conversation_id: Option<String>,
    pub message_id: Option<i64>,
    pub provider_id: String,
    pub provider: String,
    pub model: String,
    pub task: Option<String>,
    pub rule: Option<String>,
    pub hop: u32,
    pub attempt: u32,
    pub outcome: String,
    pub error_code: Option<String>,
    pub input_tokens: u32,
    pub output_tokens: u32,
    pub cached_tokens: u32,
    pub reasoning_tokens: u32,
    pub cost_nusd: u64,
    pub cost_estimated: bool,
    pub baseline_model: Option<String>,
    pub baseline_cost_nusd: Option<u64>,
    pub first_token_ms: Option<u64>,
    pub latency_ms: u64,
    /// Set when the provider's reported usage was not believed (see `usage_flag` in the
    /// schema); the cost is then the estimate.
    pub usage_flag: Option<String>,
}

fn i64_of(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Writes one ledger row on `conn` (inside the caller's transaction).
pub(super) async fn insert(
    conn: &mut sqlx::SqliteConnection,
    r: &LedgerRow,
) -> Result<(), EngineError> {
    sqlx::query(
        "INSERT INTO usage (source, conversation_id, message_id, provider_id, provider, model, task, rule, hop,
         attempt, outcome, error_code, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_nusd,
         cost_estimated, baseline_model, baseline_cost_nusd, first_token_ms, latency_ms, usage_flag)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&r.source)
    .bind(&r.conversation_id)
    .bind(r.message_id)
    .bind(&r.provider_id)
    .bind(&r.provider)
    .bind(&r.model)
    .bind(&r.task)
    .bind(&r.rule)
    .bind(r.hop)
    .bind(r.attempt)
    .bind(&r.outcome)
    .bind(&r.error_code)
    .bind(r.input_tokens)
    .bind(r.output_tokens)
    .bind(r.cached_tokens)
    .bind(r.reasoning_tokens)
    .bind(i64_of(r.cost_nusd))
    .bind(r.cost_estimated)
    .bind(&r.baseline_model)
    .bind(r.baseline_cost_nusd.map(i64_of))
    .bind(r.first_token_ms.map(i64_of))
    .bind(i64_of(r.latency_ms))
    .bind(&r.usage_flag)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Provider names by provider id, for showing spend per provider: the configured name,
    /// or for a provider since removed the name its last ledger row was recorded under.
    pub async fn provider_names(
        &self,
    ) -> Result<std::collections::HashMap<String, String>, EngineError> {
        let mut names: std::collections::HashMap<String, String> = sqlx::query_as(
            "SELECT provider_id, provider FROM usage
             WHERE id IN (SELECT max(id) FROM usage GROUP BY provider_id)",
        )
        .fetch_all(self.pool())
        .await?
        .into_iter()
        .collect();
        for row in self.list_providers().await? {
            names.insert(row.id, row.name);
        }
        Ok(names)
    }

    /// Records the calls of one request together.
    pub async fn record_usage(&self, rows: &[LedgerRow]) -> Result<(), EngineError> {
        let mut tx = self.pool().begin().await?;
        for r in rows {
            insert(&mut tx, r).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Rows for one assistant message, oldest first: (model, outcome, cost in nano-dollars).
    pub async fn usage_for_message(
        &self,
        message_id: i64,
    ) -> Result<Vec<(String, String, i64)>, EngineError> {
        Ok(sqlx::query_as(
            "SELECT model, outcome, cost_nusd FROM usage WHERE message_id = ? ORDER BY id",
        )
        .bind(message_id)
        .fetch_all(self.pool())
        .await?)
    }
}
