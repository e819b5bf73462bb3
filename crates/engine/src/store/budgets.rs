//! The `budgets` table and the `settings` key/value table (the baseline model lives there).
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use super::Store;
use crate::error::EngineError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BudgetPeriod {
    Day,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BudgetPolicy {
    /// Refuse the request with `budget_exceeded`.
    Block,
    /// Send it to the cheapest enabled model whose quality is at least `min_quality`.
    Downgrade,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Budget {
    /// Ignored when saving: a budget is identified by its provider and period.
    #[ts(type = "number")]
    pub id: i64,
    /// `None` limits every provider together.
    pub provider_id: Option<String>,
    pub period: BudgetPeriod,
    #[ts(type = "number")]
    pub limit_nusd: i64,
    pub policy: BudgetPolicy,
    pub min_quality: f64,
}

impl BudgetPeriod {
    fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
        }
    }

    /// SQLite modifiers for the start of the current period on the user's clock, in UTC.
    pub(crate) fn start_modifier(self) -> &'static str {
        match self {
            Self::Day => "start of day",
            Self::Month => "start of month",
        }
    }
}

const BASELINE_KEY: &str = "baseline_model";

/// Every budget, its columns in the order [`budget_of`] takes them.
const LIST_BUDGETS: &str =
    "SELECT id, provider_id, period, limit_nusd, policy, min_quality FROM budgets
     ORDER BY provider_id, period";

/// A budget from its row's columns, in [`LIST_BUDGETS`] order.
fn budget_of(
    (id, provider, period, limit_nusd, policy, min_quality): (
        i64,
        String,
        String,
        i64,
        String,
        f64,
    ),
) -> Budget {
    Budget {
        id,
        provider_id: (!provider.is_empty()).then_some(provider),
        period: if period == "month" {
            BudgetPeriod::Month
        } else {
            BudgetPeriod::Day
        },
        limit_nusd,
        policy: if policy == "downgrade" {
            BudgetPolicy::Downgrade
        } else {
            BudgetPolicy::Block
        },
        min_quality,
    }
}

fn budget_from(row: &sqlx::sqlite::SqliteRow) -> Result<Budget, EngineError> {
    Ok(budget_of((
        row.try_get(0)?,
        row.try_get(1)?,
        row.try_get(2)?,
        row.try_get(3)?,
        row.try_get(4)?,
        row.try_get(5)?,
    )))
}

/// Every budget, read on the writer's connection (inside its transaction).
pub(super) fn list_budgets_in(conn: &rusqlite::Connection) -> Result<Vec<Budget>, EngineError> {
    let mut statement = conn.prepare_cached(LIST_BUDGETS)?;
    let rows = statement.query_map([], |r| {
        Ok(budget_of((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        )))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every budget.
async fn list_budgets_on<'c>(
    on: impl sqlx::SqliteExecutor<'c>,
) -> Result<Vec<Budget>, EngineError> {
    let rows = sqlx::query(LIST_BUDGETS).fetch_all(on).await?;
    rows.iter().map(budget_from).collect()
}

impl Store {
    pub async fn list_budgets(&self) -> Result<Vec<Budget>, EngineError> {
        list_budgets_on(self.pool()).await
    }

    /// Creates the budget, or replaces the one with the same provider and period.
    pub async fn save_budget(&self, b: &Budget) -> Result<Budget, EngineError> {
        if b.limit_nusd <= 0 {
            return Err(EngineError::Invalid {
                field: "limit".into(),
                message: "A budget's limit must be more than $0.".into(),
            });
        }
        if !(0.0..=1.0).contains(&b.min_quality) {
            return Err(EngineError::Invalid {
                field: "min_quality".into(),
                message: "The minimum quality is between 0 and 1.".into(),
            });
        }
        let row = sqlx::query(
            "INSERT INTO budgets (provider_id, period, limit_nusd, policy, min_quality)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (provider_id, period) DO UPDATE SET limit_nusd = excluded.limit_nusd,
                 policy = excluded.policy, min_quality = excluded.min_quality
             RETURNING id, provider_id, period, limit_nusd, policy, min_quality",
        )
        .bind(b.provider_id.as_deref().unwrap_or(""))
        .bind(b.period.as_str())
        .bind(b.limit_nusd)
        .bind(match b.policy {
            BudgetPolicy::Block => "block",
            BudgetPolicy::Downgrade => "downgrade",
        })
        .bind(b.min_quality)
        .fetch_one(self.pool())
        .await?;
        budget_from(&row)
    }

    pub async fn delete_budget(&self, id: i64) -> Result<(), EngineError> {
        sqlx::query("DELETE FROM budgets WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Nano-dollars spent since the start of the current `period` (the user's local day or
    /// month), for one provider or all of them.
    pub async fn spent_in(
        &self,
        period: BudgetPeriod,
        provider_id: Option<&str>,
    ) -> Result<i64, EngineError> {
        let start: String = sqlx::query_scalar(
            "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', 'localtime', ?1, 'utc')",
        )
        .bind(period.start_modifier())
        .fetch_one(self.pool())
        .await?;
        // Past any time the ledger can hold.
        let totals = self
            .totals_between(&start, "9999-12-31", provider_id)
            .await?;
        Ok(totals.spend_nusd)
    }

    /// What a send reads before its calls, in one query: the baseline setting, and whether
    /// any budget downgrades (only then does the chain need each budget's spend).
    pub async fn send_settings(&self) -> Result<(Option<String>, bool), EngineError> {
        Ok(sqlx::query_as(
            "SELECT (SELECT value FROM settings WHERE key = ?1),
                    EXISTS (SELECT 1 FROM budgets WHERE policy = 'downgrade')",
        )
        .bind(BASELINE_KEY)
        .fetch_one(self.pool())
        .await?)
    }

    /// The model savings are measured against, when the user chose one.
    pub async fn baseline_setting(&self) -> Result<Option<String>, EngineError> {
        Ok(
            sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
                .bind(BASELINE_KEY)
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// `None` goes back to the default (the priciest enabled model).
    pub async fn set_baseline_setting(&self, model: Option<&str>) -> Result<(), EngineError> {
        match model {
            Some(m) => sqlx::query(
                "INSERT INTO settings (key, value) VALUES (?, ?)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(BASELINE_KEY)
            .bind(m),
            None => sqlx::query("DELETE FROM settings WHERE key = ?").bind(BASELINE_KEY),
        }
        .execute(self.pool())
        .await?;
        Ok(())
    }
}
