//! The request table and its CSV export: ledger rows, newest first, filtered.
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use super::SpendRange;
use crate::error::EngineError;
use crate::store::Store;

/// Which requests the table and the CSV export show; `None` matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpendFilter {
    pub range: SpendRange,
    pub model: Option<String>,
    pub task: Option<String>,
    pub rule: Option<String>,
    pub outcome: Option<String>,
    /// At most this many rows, newest first.
    pub limit: u32,
}

/// One ledger row for the request table, with its conversation's title to link back to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SpendRow {
    #[ts(type = "number")]
    pub id: i64,
    pub at: String,
    pub source: String,
    pub conversation_id: Option<String>,
    pub conversation_title: Option<String>,
    pub provider: String,
    pub model: String,
    pub task: Option<String>,
    pub rule: Option<String>,
    #[ts(type = "number")]
    pub hop: i64,
    pub outcome: String,
    pub error_code: Option<String>,
    #[ts(type = "number")]
    pub input_tokens: i64,
    #[ts(type = "number")]
    pub output_tokens: i64,
    #[ts(type = "number")]
    pub cost_nusd: i64,
    pub cost_estimated: bool,
    #[ts(type = "number | null")]
    pub baseline_cost_nusd: Option<i64>,
    #[ts(type = "number | null")]
    pub first_token_ms: Option<i64>,
    #[ts(type = "number")]
    pub latency_ms: i64,
}

impl Store {
    /// Ledger rows matching `f`, newest first.
    pub async fn spend_rows(&self, f: &SpendFilter) -> Result<Vec<SpendRow>, EngineError> {
        let rows = sqlx::query(
            "SELECT u.id, u.at, u.source, u.conversation_id, c.title, u.provider, u.model, u.task,
                    u.rule, u.hop, u.outcome, u.error_code, u.input_tokens, u.output_tokens,
                    u.cost_nusd, u.cost_estimated, u.baseline_cost_nusd, u.first_token_ms,
                    u.latency_ms
             FROM usage u LEFT JOIN conversations c ON c.id = u.conversation_id
             WHERE u.at >= ?1 AND u.at < ?2
               AND (?3 IS NULL OR u.model = ?3) AND (?4 IS NULL OR u.task = ?4)
               AND (?5 IS NULL OR u.rule = ?5) AND (?6 IS NULL OR u.outcome = ?6)
             ORDER BY u.at DESC, u.id DESC LIMIT ?7",
        )
        .bind(&f.range.from)
        .bind(&f.range.to)
        .bind(&f.model)
        .bind(&f.task)
        .bind(&f.rule)
        .bind(&f.outcome)
        .bind(f.limit)
        .fetch_all(self.pool())
        .await?;
        let rows = rows
            .iter()
            .map(|row| {
                Ok(SpendRow {
                    id: row.try_get(0)?,
                    at: row.try_get(1)?,
                    source: row.try_get(2)?,
                    conversation_id: row.try_get(3)?,
                    conversation_title: row.try_get(4)?,
                    provider: row.try_get(5)?,
                    model: row.try_get(6)?,
                    task: row.try_get(7)?,
                    rule: row.try_get(8)?,
                    hop: row.try_get(9)?,
                    outcome: row.try_get(10)?,
                    error_code: row.try_get(11)?,
                    input_tokens: row.try_get(12)?,
                    output_tokens: row.try_get(13)?,
                    cost_nusd: row.try_get(14)?,
                    cost_estimated: row.try_get(15)?,
                    baseline_cost_nusd: row.try_get(16)?,
                    first_token_ms: row.try_get(17)?,
                    latency_ms: row.try_get(18)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(rows)
    }
}

/// Nano-dollars as exact decimal dollars (`0.000123450`), for files people open in a spreadsheet.
pub fn usd_decimal(nusd: i64) -> String {
    let sign = if nusd < 0 { "-" } else { "" };
    let n = nusd.unsigned_abs();
    format!("{sign}{}.{:09}", n / 1_000_000_000, n % 1_000_000_000)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The request table as CSV, one ledger row per line.
pub fn to_csv(rows: &[SpendRow]) -> String {
    let mut out = String::from(
        "time,source,conversation,provider,model,task,rule,hop,outcome,error,input_tokens,\
         output_tokens,cost_usd,cost_estimated,baseline_cost_usd,first_token_ms,latency_ms\n",
    );
    for r in rows {
        let fields = [
            r.at.clone(),
            r.source.clone(),
            r.conversation_title.clone().unwrap_or_default(),
            r.provider.clone(),
            r.model.clone(),
            r.task.clone().unwrap_or_default(),
            r.rule.clone().unwrap_or_default(),
            r.hop.to_string(),
            r.outcome.clone(),
            r.error_code.clone().unwrap_or_default(),
            r.input_tokens.to_string(),
            r.output_tokens.to_string(),
            usd_decimal(r.cost_nusd),
            r.cost_estimated.to_string(),
            r.baseline_cost_nusd.map(usd_decimal).unwrap_or_default(),
            r.first_token_ms.map(|t| t.to_string()).unwrap_or_default(),
            r.latency_ms.to_string(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}
