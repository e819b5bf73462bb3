//! What the Spend screen and `switchyard spend` read from the usage ledger, through its daily
//! rollups (see `rollups.rs`); money stays in nano-dollars.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use ts_rs::TS;

use super::rollups::{
    check_offset, each_entry, iso_date, local_day, percentile, LEDGER_EDGES, SLOT_SECONDS,
};
use super::Store;
use crate::error::EngineError;

/// Calls that produced the reply the user saw: one per request.
const ANSWERING: &str = "outcome IN ('answered', 'partial', 'stopped')";

/// A half-open period `[from, to)` of ledger times (ISO 8601, UTC, as the ledger writes them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpendRange {
    pub from: String,
    pub to: String,
    /// Minutes east of UTC of the user's clock, so "a day" on the chart is the user's day.
    pub utc_offset_minutes: i32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SpendTotals {
    #[ts(type = "number")]
    pub spend_nusd: i64,
    /// Replies (a request with fallbacks is one request and several calls).
    #[ts(type = "number")]
    pub requests: i64,
    #[ts(type = "number")]
    pub calls: i64,
    /// What the same tokens would have cost on the baseline model; a call with no baseline
    /// (it failed before any tokens) counts at its own cost.
    #[ts(type = "number")]
    pub baseline_nusd: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ModelSpend {
    pub model: String,
    pub provider: String,
    #[ts(type = "number")]
    pub requests: i64,
    #[ts(type = "number")]
    pub spend_nusd: i64,
    #[ts(type = "number")]
    pub baseline_nusd: i64,
}

/// One model's spend on one day of the user's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DaySpend {
    pub day: String,
    pub model: String,
    #[ts(type = "number")]
    pub requests: i64,
    #[ts(type = "number")]
    pub spend_nusd: i64,
    #[ts(type = "number")]
    pub baseline_nusd: i64,
}

/// Spend grouped by one key (a task, a rule, a provider, a day); `key` is empty when unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct GroupSpend {
    pub key: String,
    #[ts(type = "number")]
    pub requests: i64,
    #[ts(type = "number")]
    pub spend_nusd: i64,
    #[ts(type = "number")]
    pub baseline_nusd: i64,
}

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub totals: SpendTotals,
    pub models: Vec<ModelSpend>,
    pub days: Vec<DaySpend>,
    pub tasks: Vec<GroupSpend>,
    pub rules: Vec<GroupSpend>,
    pub latency: Vec<ModelLatency>,
}

/// What a spend report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Model,
    Day,
    Task,
    Rule,
    Provider,
}

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

/// Every call of a split period with the keys the dashboard groups by: whole days from the
/// rollups, part days from the ledger (see [`Split::bind`]).
const CALLS: &str = "
    SELECT model, provider_id, task, rule, requests, calls, cost_nusd, baseline_nusd
    FROM usage_daily WHERE day >= ?1 AND day < ?2
    UNION ALL
    SELECT model, provider_id, COALESCE(task, ''), COALESCE(rule, ''),
           outcome IN ('answered', 'partial', 'stopped'), 1, cost_nusd,
           COALESCE(baseline_cost_nusd, cost_nusd)
    FROM usage WHERE ((at >= ?3 AND at < ?4) OR (at >= ?5 AND at < ?6))";

/// Answered calls above this many in a period get percentiles from the rollups' histograms
/// (marked approximate); up to it, from every call's own time.
pub const EXACT_LATENCY_CALLS: i64 = 10_000;

fn group_row(row: &SqliteRow) -> Result<GroupSpend, sqlx::Error> {
    Ok(GroupSpend {
        key: row.try_get(0)?,
        requests: row.try_get(1)?,
        spend_nusd: row.try_get(2)?,
        baseline_nusd: row.try_get(3)?,
    })
}

impl Store {
    pub async fn spend_totals(&self, r: &SpendRange) -> Result<SpendTotals, EngineError> {
        self.totals_between(&r.from, &r.to, None).await
    }

    /// Totals over `[from, to)`, for one provider or all of them.
    pub(crate) async fn totals_between(
        &self,
        from: &str,
        to: &str,
        provider_id: Option<&str>,
    ) -> Result<SpendTotals, EngineError> {
        let split = self.split(from, to).await?;
        let sql = format!(
            "SELECT COALESCE(SUM(cost_nusd), 0), COALESCE(SUM(requests), 0),
                    COALESCE(SUM(calls), 0), COALESCE(SUM(baseline_nusd), 0)
             FROM ({CALLS}) WHERE ?7 IS NULL OR provider_id = ?7"
        );
        let row = split
            .bind(sqlx::query(&sql))
            .bind(provider_id)
            .fetch_one(self.pool())
            .await?;
        Ok(SpendTotals {
            spend_nusd: row.try_get(0)?,
            requests: row.try_get(1)?,
            calls: row.try_get(2)?,
            baseline_nusd: row.try_get(3)?,
        })
    }

    /// Spend per model, the most expensive first.
    pub async fn spend_by_model(&self, r: &SpendRange) -> Result<Vec<ModelSpend>, EngineError> {
        let split = self.split(&r.from, &r.to).await?;
        let sql = format!(
            "SELECT model, MAX(provider_id), SUM(requests), SUM(cost_nusd), SUM(baseline_nusd)
             FROM ({CALLS}) GROUP BY model ORDER BY 4 DESC, model"
        );
        let rows = split.bind(sqlx::query(&sql)).fetch_all(self.pool()).await?;
        let models = rows
            .iter()
            .map(|row| {
                Ok(ModelSpend {
                    model: row.try_get(0)?,
                    provider: row.try_get(1)?,
                    requests: row.try_get(2)?,
                    spend_nusd: row.try_get(3)?,
                    baseline_nusd: row.try_get(4)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(models)
    }

    /// Spend per day of the user's calendar and model, oldest first. Whole UTC days come from
    /// the rollups' quarter-hours, each put on the local day it falls in.
    pub async fn spend_by_day(&self, r: &SpendRange) -> Result<Vec<DaySpend>, EngineError> {
        check_offset(r.utc_offset_minutes)?;
        let split = self.split(&r.from, &r.to).await?;
        let mut days: BTreeMap<(i64, String), [i64; 3]> = BTreeMap::new();
        // A UTC day's quarter-hours fall on the local day before, the same, or after.
        let mut add = |day: i64, model: String, sums: &[Option<[i64; 3]>; 3]| {
            for (local, s) in (day - 1..).zip(sums) {
                if let Some(s) = s {
                    let total = days.entry((local, model.clone())).or_default();
                    for (t, v) in total.iter_mut().zip(s) {
                        *t += v;
                    }
                }
            }
        };
        let on_local_day = |sums: &mut [Option<[i64; 3]>; 3], day: i64, slot: i64, s: [i64; 3]| {
            let local = local_day(day, slot, r.utc_offset_minutes) - day + 1;
            let total = sums[local as usize].get_or_insert_default();
            for (t, v) in total.iter_mut().zip(s) {
                *t += v;
            }
        };
        let whole = split
            .bind(sqlx::query(
                "SELECT day, model, slots FROM usage_day_model WHERE day >= ?1 AND day < ?2",
            ))
            .fetch_all(self.pool())
            .await?;
        for row in &whole {
            let day: i64 = row.try_get(0)?;
            let mut sums = [None; 3];
            each_entry(row.try_get(2)?, |slot, s| {
                on_local_day(&mut sums, day, slot, s)
            })?;
            add(day, row.try_get(1)?, &sums);
        }
        let part = split
            .bind(sqlx::query(&format!(
                "SELECT unixepoch(at) / 86400, (unixepoch(at) % 86400) / {SLOT_SECONDS}, model,
                        SUM({ANSWERING}), SUM(cost_nusd), SUM(COALESCE(baseline_cost_nusd, cost_nusd))
                 FROM usage WHERE {LEDGER_EDGES} GROUP BY 1, 2, 3"
            )))
            .fetch_all(self.pool())
            .await?;
        for row in &part {
            let (day, slot): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
            let mut sums = [None; 3];
            let s = [row.try_get(3)?, row.try_get(4)?, row.try_get(5)?];
            on_local_day(&mut sums, day, slot, s);
            add(day, row.try_get(2)?, &sums);
        }
        Ok(days
            .into_iter()
            .map(
                |((day, model), [requests, spend_nusd, baseline_nusd])| DaySpend {
                    day: iso_date(day),
                    model,
                    requests,
                    spend_nusd,
                    baseline_nusd,
                },
            )
            .collect())
    }

    /// Spend grouped by `by`, the largest first (by day: oldest first).
    pub async fn spend_by(
        &self,
        r: &SpendRange,
        by: GroupBy,
    ) -> Result<Vec<GroupSpend>, EngineError> {
        let column = match by {
            GroupBy::Model => "model",
            GroupBy::Task => "task",
            GroupBy::Rule => "rule",
            GroupBy::Provider => "provider_id",
            GroupBy::Day => return self.spend_per_day(r).await,
        };
        let split = self.split(&r.from, &r.to).await?;
        let sql = format!(
            "SELECT {column} AS k, SUM(requests), SUM(cost_nusd), SUM(baseline_nusd)
             FROM ({CALLS}) GROUP BY k ORDER BY 3 DESC, 1"
        );
        let rows = split.bind(sqlx::query(&sql)).fetch_all(self.pool()).await?;
        Ok(rows.iter().map(group_row).collect::<Result<_, _>>()?)
    }

    async fn spend_per_day(&self, r: &SpendRange) -> Result<Vec<GroupSpend>, EngineError> {
        let mut days: Vec<GroupSpend> = Vec::new();
        for d in self.spend_by_day(r).await? {
            match days.last_mut() {
                Some(g) if g.key == d.day => {
                    g.requests += d.requests;
                    g.spend_nusd += d.spend_nusd;
                    g.baseline_nusd += d.baseline_nusd;
                }
                _ => days.push(GroupSpend {
                    key: d.day,
                    requests: d.requests,
                    spend_nusd: d.spend_nusd,
                    baseline_nusd: d.baseline_nusd,
                }),
            }
        }
        Ok(days)
    }

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

    pub async fn spend_dashboard(&self, r: &SpendRange) -> Result<Dashboard, EngineError> {
        Ok(Dashboard {
            totals: self.spend_totals(r).await?,
            models: self.spend_by_model(r).await?,
            days: self.spend_by_day(r).await?,
            tasks: self.spend_by(r, GroupBy::Task).await?,
            rules: self.spend_by(r, GroupBy::Rule).await?,
            latency: self.latency_by_model(r).await?,
        })
    }

    /// The ledger's time `days` days ago, for a period that ends now.
    pub async fn days_ago(&self, days: u32) -> Result<String, EngineError> {
        Ok(
            sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?)")
                .bind(format!("-{days} days"))
                .fetch_one(self.pool())
                .await?,
        )
    }

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
