//! Where past requests fell on the routing grid: requests and spend per task and complexity
//! tier over a period, for the Rules screen's heatmap.
use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::SpendRange;
use crate::error::EngineError;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GridUsage {
    pub cells: Vec<CellUsage>,
    /// Requests whose tier is not known: written before tiers were recorded, with no stored
    /// decision to read it from.
    #[ts(type = "number")]
    pub unknown_requests: i64,
    #[ts(type = "number")]
    pub unknown_spend_nusd: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CellUsage {
    pub task: String,
    pub tier: String,
    /// Requests answered (fully, in part, or stopped by the user), as the Spend screen counts.
    #[ts(type = "number")]
    pub requests: i64,
    /// Every call's cost, failed calls and corrections included, in nano-dollars.
    #[ts(type = "number")]
    pub spend_nusd: i64,
    /// Of `requests`, those whose tier was read from the message's stored decision rather than
    /// recorded in the ledger (rows from before the ledger kept tiers).
    #[ts(type = "number")]
    pub recovered: i64,
}

impl Store {
    /// Requests and spend per task and tier in `range`. The ledger's own tier is used; for
    /// older rows, the tier of the decision stored with the reply; rows with neither are
    /// counted as unknown.
    pub async fn grid_usage(&self, range: &SpendRange) -> Result<GridUsage, EngineError> {
        let rows = sqlx::query(
            "SELECT COALESCE(u.task, json_extract(m.decision, '$.task')),
                    COALESCE(u.tier, json_extract(m.decision, '$.complexity.tier')),
                    u.tier IS NULL,
                    SUM(u.outcome IN ('answered', 'partial', 'stopped')),
                    COALESCE(SUM(u.cost_nusd), 0)
             FROM usage u LEFT JOIN messages m ON m.id = u.message_id AND m.decision IS NOT NULL
             WHERE u.at >= ?1 AND u.at < ?2
             GROUP BY 1, 2, 3",
        )
        .bind(&range.from)
        .bind(&range.to)
        .fetch_all(self.pool())
        .await?;
        let mut out = GridUsage {
            cells: Vec::new(),
            unknown_requests: 0,
            unknown_spend_nusd: 0,
        };
        for row in rows {
            let task: Option<String> = row.try_get(0)?;
            let tier: Option<String> = row.try_get(1)?;
            let recovered: bool = row.try_get(2)?;
            let requests: i64 = row.try_get(3)?;
            let spend: i64 = row.try_get(4)?;
            let (Some(task), Some(tier)) = (task, tier) else {
                out.unknown_requests += requests;
                out.unknown_spend_nusd += spend;
                continue;
            };
            let at = match out
                .cells
                .iter()
                .position(|c| c.task == task && c.tier == tier)
            {
                Some(i) => i,
                None => {
                    out.cells.push(CellUsage {
                        task,
                        tier,
                        requests: 0,
                        spend_nusd: 0,
                        recovered: 0,
                    });
                    out.cells.len() - 1
                }
            };
            let cell = &mut out.cells[at];
            cell.requests += requests;
            cell.spend_nusd += spend;
            if recovered {
                cell.recovered += requests;
            }
        }
        Ok(out)
    }
}
