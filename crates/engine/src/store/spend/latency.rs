//! Latency p50/p95 per model: exact from the ledger for a period of up to
//! [`EXACT_LATENCY_CALLS`] replies, from the daily histograms beyond.
use std::collections::BTreeMap;

use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::SpendRange;
use crate::error::EngineError;
use crate::store::rollups::{each_entry, percentile, LEDGER_EDGES};
use crate::store::Store;

/// Nearest-rank percentiles of total time over a model's answered calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ModelLatency {
    pub model: String,
    #[ts(type = "number")]
    pub calls: i64,
    #[ts(type = "number")]
    pub p50_ms: i64,
    #[ts(type = "number")]
    pub p95_ms: i64,
    /// Read from a histogram (buckets about 20% wide, placed by rank within a bucket) because
    /// the period holds more than [`EXACT_LATENCY_CALLS`] answered calls.
    pub approximate: bool,
}

/// Answered calls above this many in a period get percentiles from the rollups' histograms
/// (marked approximate); up to it, from every call's own time.
pub const EXACT_LATENCY_CALLS: i64 = 10_000;

impl Store {
    /// p50 and p95 of answered calls' total time, per model: exact up to
    /// [`EXACT_LATENCY_CALLS`] calls in the period, from the latency histograms beyond.
    pub async fn latency_by_model(&self, r: &SpendRange) -> Result<Vec<ModelLatency>, EngineError> {
        let histograms = self.latency_histograms(r).await?;
        let calls: i64 = histograms.values().flatten().map(|(_, c)| c).sum();
        if calls <= EXACT_LATENCY_CALLS {
            return self.exact_latency(r).await;
        }
        let bounds: Vec<i64> = sqlx::query_scalar("SELECT lo FROM latency_buckets ORDER BY lo")
            .fetch_all(self.pool())
            .await?;
        Ok(histograms
            .into_iter()
            .map(|(model, h)| {
                let h: Vec<(i64, i64)> = h.into_iter().collect();
                ModelLatency {
                    calls: h.iter().map(|(_, c)| c).sum(),
                    p50_ms: percentile(&h, &bounds, 50),
                    p95_ms: percentile(&h, &bounds, 95),
                    approximate: true,
                    model,
                }
            })
            .collect())
    }

    /// Answered calls per model and latency bucket (its lower bound in milliseconds).
    async fn latency_histograms(
        &self,
        r: &SpendRange,
    ) -> Result<BTreeMap<String, BTreeMap<i64, i64>>, EngineError> {
        let split = self.split(&r.from, &r.to).await?;
        let mut models: BTreeMap<String, BTreeMap<i64, i64>> = BTreeMap::new();
        let whole = split
            .bind(sqlx::query(
                "SELECT model, latency FROM usage_day_model
                 WHERE day >= ?1 AND day < ?2 AND latency != '{}'",
            ))
            .fetch_all(self.pool())
            .await?;
        for row in &whole {
            let h = models.entry(row.try_get(0)?).or_default();
            each_entry(row.try_get(1)?, |lo, n: i64| *h.entry(lo).or_default() += n)?;
        }
        let part = split
            .bind(sqlx::query(&format!(
                "SELECT model, (SELECT MAX(lo) FROM latency_buckets WHERE lo <= latency_ms),
                        COUNT(*)
                 FROM usage WHERE {LEDGER_EDGES} AND outcome = 'answered' GROUP BY 1, 2"
            )))
            .fetch_all(self.pool())
            .await?;
        for row in &part {
            let h = models.entry(row.try_get(0)?).or_default();
            *h.entry(row.try_get(1)?).or_default() += row.try_get::<i64, _>(2)?;
        }
        Ok(models)
    }

    /// Nearest-rank percentiles from every answered call in the period.
    async fn exact_latency(&self, r: &SpendRange) -> Result<Vec<ModelLatency>, EngineError> {
        let rows = sqlx::query(
            "WITH ranked AS (
                SELECT model, latency_ms,
                       ROW_NUMBER() OVER (PARTITION BY model ORDER BY latency_ms) AS n,
                       COUNT(*) OVER (PARTITION BY model) AS c
                FROM usage WHERE at >= ?1 AND at < ?2 AND outcome = 'answered')
             SELECT model, MAX(c),
                    MIN(CASE WHEN n * 100 >= c * 50 THEN latency_ms END),
                    MIN(CASE WHEN n * 100 >= c * 95 THEN latency_ms END)
             FROM ranked GROUP BY model ORDER BY model",
        )
        .bind(&r.from)
        .bind(&r.to)
        .fetch_all(self.pool())
        .await?;
        let latency = rows
            .iter()
            .map(|row| {
                Ok(ModelLatency {
                    model: row.try_get(0)?,
                    calls: row.try_get(1)?,
                    p50_ms: row.try_get(2)?,
                    p95_ms: row.try_get(3)?,
                    approximate: false,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(latency)
    }
}
