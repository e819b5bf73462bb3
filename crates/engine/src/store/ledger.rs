//! The usage ledger: one row per provider call, from the app and the CLI alike.
use super::Store;
use crate::error::EngineError;

/// One provider call as recorded. Costs are nano-dollars.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LedgerRow {
    pub source: String,
    pub conversation_id: Option<String>,
    pub message_id: Option<i64>,
    pub provider_id: String,
    pub provider: String,
    pub model: String,
    pub task: Option<String>,
    pub rule: Option<String>,
    /// The request's complexity tier and score, as the router saw them.
    pub tier: Option<String>,
    pub complexity_score: Option<f64>,
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
    /// The endpoint client (its token's name) that made the call; None for the app and CLI.
    pub client: Option<String>,
}

fn i64_of(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Writes one ledger row on the writer's connection (inside its transaction).
pub(super) fn insert(conn: &rusqlite::Connection, r: &LedgerRow) -> Result<(), EngineError> {
    conn.prepare_cached(
        "INSERT INTO usage (source, conversation_id, message_id, provider_id, provider, model, task, rule, hop,
         attempt, outcome, error_code, input_tokens, output_tokens, cached_tokens, reasoning_tokens, cost_nusd,
         cost_estimated, baseline_model, baseline_cost_nusd, first_token_ms, latency_ms, usage_flag, tier,
         complexity_score, client)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
             ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
    )?
    .execute(rusqlite::params![
        r.source,
        r.conversation_id,
        r.message_id,
        r.provider_id,
        r.provider,
        r.model,
        r.task,
        r.rule,
        r.hop,
        r.attempt,
        r.outcome,
        r.error_code,
        r.input_tokens,
        r.output_tokens,
        r.cached_tokens,
        r.reasoning_tokens,
        i64_of(r.cost_nusd),
        r.cost_estimated,
        r.baseline_model,
        r.baseline_cost_nusd.map(i64_of),
        r.first_token_ms.map(i64_of),
        i64_of(r.latency_ms),
        r.usage_flag,
        r.tier,
        r.complexity_score,
        r.client,
    ])?;
    Ok(())
}

/// The most tokens a call on a model with this context window can really use: the whole
/// window as prompt, and as much again as output (the engine's plausibility bound when the
/// caller set no output limit).
fn plausible_tokens(window: u32) -> (u64, u64) {
    (u64::from(window), 2 * u64::from(window))
}

impl Store {
    /// Offsets ledger rows written before reported usage was checked whose tokens no call on
    /// their model can have used (a provider reporting billions of tokens). Each gets one
    /// `correction` row, with the negative of its cost and baseline, so the ledger stays
    /// append-only and every sum drops the absurd amount. The call itself still counts as a
    /// call; only its money is corrected (its prompt is not kept, so there is no estimate to
    /// put in its place). Returns how many rows were corrected.
    pub async fn correct_implausible_usage(
        &self,
        catalog: &switchyard_router::Catalog,
    ) -> Result<u64, EngineError> {
        let mut corrected = 0;
        for model in &catalog.models {
            let (max_input, max_total) = plausible_tokens(model.context_window);
            let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
            let done = sqlx::query(
                "INSERT INTO usage (source, conversation_id, message_id, provider_id, provider,
                     model, task, rule, hop, attempt, outcome, error_code, cost_nusd,
                     cost_estimated, baseline_model, baseline_cost_nusd, latency_ms, corrects, client)
                 SELECT u.source, u.conversation_id, u.message_id, u.provider_id, u.provider,
                     u.model, u.task, u.rule, u.hop, u.attempt, 'correction', 'implausible_usage',
                     -u.cost_nusd, u.cost_estimated, u.baseline_model,
                     -COALESCE(u.baseline_cost_nusd, u.cost_nusd), 0, u.id, u.client
                 FROM usage u
                 WHERE u.model = ?1 AND u.usage_flag IS NULL AND u.outcome != 'correction'
                   AND (u.input_tokens > ?2 OR u.input_tokens + u.output_tokens > ?3)
                   AND NOT EXISTS (SELECT 1 FROM usage c WHERE c.corrects = u.id)",
            )
            .bind(&model.id)
            .bind(i64::try_from(max_input).unwrap_or(i64::MAX))
            .bind(i64::try_from(max_total).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            corrected += done;
        }
        Ok(corrected)
    }

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

    /// Runs [`Store::correct_implausible_usage`] once per database, with the saved catalog:
    /// rows written since are checked as they are written.
    pub async fn correct_implausible_usage_once(&self) -> Result<u64, EngineError> {
        const DONE: &str = "ledger.implausible_usage_corrected";
        let done: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(DONE)
            .fetch_optional(self.pool())
            .await?;
        if done.is_some() {
            return Ok(0);
        }
        let (_, catalog) = self.routing().await?;
        let corrected = self.correct_implausible_usage(&catalog).await?;
        sqlx::query("INSERT OR REPLACE INTO settings (key, value) VALUES (?, '1')")
            .bind(DONE)
            .execute(self.pool())
            .await?;
        Ok(corrected)
    }

    /// Records the calls of one request together (through the writer, in one transaction).
    pub async fn record_usage(&self, rows: &[LedgerRow]) -> Result<(), EngineError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.writer.send(super::writer::Job::Record {
            rows: rows.to_vec(),
            reply,
        })?;
        answer.await.map_err(|_| super::calls::writer_gone())?
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
