//! What the Spend screen and `switchyard spend` read from the usage ledger, through its daily
//! rollups (see `../rollups.rs`); money stays in nano-dollars.
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use ts_rs::TS;

use super::Store;
use crate::error::EngineError;

mod cells;
mod days;
mod latency;
mod requests;

pub use cells::{CellUsage, CellVotes, GridUsage};
pub use latency::{ModelLatency, EXACT_LATENCY_CALLS};
pub use requests::{to_csv, usd_decimal, SpendFilter, SpendRow};

/// Calls that produced the reply the user saw: one per request.
const ANSWERING: &str = "outcome IN ('answered', 'partial', 'stopped')";

/// A half-open period `[from, to)` of ledger times (ISO 8601, UTC, as the ledger writes them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpendRange {
    pub from: String,
    pub to: String,
    /// Minutes east of UTC of the user's clock at `from`, so "a day" on the chart is the
    /// user's day.
    pub utc_offset_minutes: i32,
    /// Where the clock moves within the period (daylight saving time), in order.
    #[serde(default)]
    pub offset_changes: Vec<OffsetChange>,
}

/// From `at_ms` (milliseconds since 1970, UTC) on, the user's clock is this far east of UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OffsetChange {
    #[ts(type = "number")]
    pub at_ms: i64,
    pub utc_offset_minutes: i32,
}

impl SpendRange {
    /// The user's offset in minutes at `at` (seconds since 1970).
    pub(crate) fn offset_at(&self, at: i64) -> i32 {
        self.offset_changes
            .iter()
            .take_while(|c| c.at_ms.div_euclid(1000) <= at)
            .last()
            .map_or(self.utc_offset_minutes, |c| c.utc_offset_minutes)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SpendTotals {
    #[ts(type = "number")]
    pub spend_nusd: i64,
    /// Replies (a request with fallbacks is one request and several calls).
    #[ts(type = "number")]
    pub requests: i64,
    /// Calls sent to a provider: every try, retries and fallbacks included (the ledger's rows,
    /// corrections left out).
    #[ts(type = "number")]
    pub calls: i64,
    /// Calls that brought no reply: errors, timeouts, calls cut off when the app quit.
    #[ts(type = "number")]
    pub failed_calls: i64,
    /// Models a request passed over without sending anything (no provider or key, an open
    /// circuit, a budget, a window too small); not among the calls.
    #[ts(type = "number")]
    pub skipped_calls: i64,
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub totals: SpendTotals,
    pub models: Vec<ModelSpend>,
    pub days: Vec<DaySpend>,
    pub tasks: Vec<GroupSpend>,
    pub rules: Vec<GroupSpend>,
    pub latency: Vec<ModelLatency>,
    /// Spend by where requests came from: `app`, `cli`, `endpoint`.
    pub sources: Vec<GroupSpend>,
    /// Spend by endpoint client (the token's name).
    pub clients: Vec<GroupSpend>,
}

/// What a spend report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Model,
    Day,
    Task,
    Rule,
    Provider,
    /// `app`, `cli` or `endpoint`.
    Source,
    /// The endpoint's clients (token names); calls from the app and the CLI are left out.
    Client,
}

/// Every call of a split period with the keys the dashboard groups by: whole days from the
/// rollups, part days from the ledger (bound by `rollups::Split::bind`).
const CALLS: &str = "
    SELECT model, provider_id, task, rule, source, client, requests, calls, cost_nusd,
           baseline_nusd
    FROM usage_daily WHERE day >= ?1 AND day < ?2
    UNION ALL
    SELECT model, provider_id, COALESCE(task, ''), COALESCE(rule, ''), source,
           COALESCE(client, ''),
           outcome IN ('answered', 'partial', 'stopped'), outcome != 'correction', cost_nusd,
           COALESCE(baseline_cost_nusd, cost_nusd)
    FROM usage WHERE ((at >= ?3 AND at < ?4) OR (at >= ?5 AND at < ?6))";

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
        let (row, skipped_calls) = tokio::try_join!(
            async {
                Ok::<_, EngineError>(
                    split
                        .bind(sqlx::query(&sql))
                        .bind(provider_id)
                        .fetch_one(self.pool())
                        .await?,
                )
            },
            self.skipped_between(from, to, provider_id),
        )?;
        let (requests, calls): (i64, i64) = (row.try_get(1)?, row.try_get(2)?);
        Ok(SpendTotals {
            spend_nusd: row.try_get(0)?,
            requests,
            calls,
            // Every call that is not a correction either answered (a request) or did not.
            failed_calls: calls - requests,
            skipped_calls,
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
            GroupBy::Source => "source",
            GroupBy::Client => "client",
            GroupBy::Day => return self.spend_per_day(r).await,
        };
        let only_clients = if by == GroupBy::Client {
            "WHERE client != ''"
        } else {
            ""
        };
        let split = self.split(&r.from, &r.to).await?;
        let sql = format!(
            "SELECT {column} AS k, SUM(requests), SUM(cost_nusd), SUM(baseline_nusd)
             FROM ({CALLS}) {only_clients} GROUP BY k ORDER BY 3 DESC, 1"
        );
        let rows = split.bind(sqlx::query(&sql)).fetch_all(self.pool()).await?;
        Ok(rows.iter().map(group_row).collect::<Result<_, _>>()?)
    }

    /// Every figure of the Spend screen, read side by side on the pool's connections.
    pub async fn spend_dashboard(&self, r: &SpendRange) -> Result<Dashboard, EngineError> {
        let (totals, models, days, tasks, rules, latency, sources, clients) = tokio::try_join!(
            self.spend_totals(r),
            self.spend_by_model(r),
            self.spend_by_day(r),
            self.spend_by(r, GroupBy::Task),
            self.spend_by(r, GroupBy::Rule),
            self.latency_by_model(r),
            self.spend_by(r, GroupBy::Source),
            self.spend_by(r, GroupBy::Client),
        )?;
        Ok(Dashboard {
            totals,
            models,
            days,
            tasks,
            rules,
            latency,
            sources,
            clients,
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
}

/// Nano-dollars spent from `from` on, for one provider or all, read on the writer's
/// connection (inside its transaction).
pub(crate) fn spent_since_in(
    conn: &rusqlite::Connection,
    from: &str,
    provider_id: Option<&str>,
) -> Result<i64, EngineError> {
    // Past any time the ledger can hold.
    let split = super::rollups::split_in(conn, from, "9999-12-31")?;
    // Built once: the writer asks this for every budget of every batch.
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "SELECT COALESCE(SUM(cost_nusd), 0) FROM ({CALLS}) WHERE ?7 IS NULL OR provider_id = ?7"
        )
    });
    let [(a, b), (c, d)] = &split.edges;
    Ok(conn.prepare_cached(&SQL)?.query_row(
        rusqlite::params![split.first_day, split.end_day, a, b, c, d, provider_id],
        |r| r.get(0),
    )?)
}
