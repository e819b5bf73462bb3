//! Where past requests fell on the routing grid: requests, spend and quality votes per task and
//! complexity tier over a period, for the Rules screen's heatmap.
use serde::Serialize;
use sqlx::Row;
use ts_rs::TS;

use super::SpendRange;
use crate::error::EngineError;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct GridUsage {
    /// Every cell with a request or a vote in the period.
    pub cells: Vec<CellUsage>,
    /// Requests whose tier is not known: written before tiers were recorded, with no stored
    /// decision to read it from.
    #[ts(type = "number")]
    pub unknown_requests: i64,
    #[ts(type = "number")]
    pub unknown_spend_nusd: i64,
    /// Votes on replies whose tier is not known (no decision stored with the reply).
    #[ts(type = "number")]
    pub unknown_votes: i64,
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
    /// The quality votes cast in the period on replies of this task and tier.
    pub votes: CellVotes,
}

/// Votes on a cell's replies, as the Quality view counts them: thumbs, compare picks of the
/// routed answer against another model's, and "regenerate with…" another model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CellVotes {
    pub up: u32,
    pub down: u32,
    pub wins: u32,
    pub ties: u32,
    pub losses: u32,
    pub regenerations: u32,
    /// The share of votes for the cell's answers (thumbs up and wins, a tie counting half), in
    /// percent (rounded); None with no votes.
    pub favourable_percent: Option<u32>,
}

impl CellVotes {
    pub fn total(&self) -> u32 {
        self.up + self.down + self.wins + self.ties + self.losses + self.regenerations
    }

    fn count(&mut self, kind: &str, result: &str, n: u32) {
        match (kind, result) {
            ("thumb", "up") => self.up += n,
            ("thumb", _) => self.down += n,
            ("regenerate", _) => self.regenerations += n,
            (_, "win") => self.wins += n,
            (_, "tie") => self.ties += n,
            _ => self.losses += n,
        }
        let total = self.total();
        // In halves, so a tie counts half and the rounding is exact.
        let halves = 2 * (self.up + self.wins) + self.ties;
        self.favourable_percent = (total > 0).then(|| (halves * 100 + total) / (2 * total));
    }
}

impl GridUsage {
    fn cell(&mut self, task: String, tier: String) -> &mut CellUsage {
        let at = match self
            .cells
            .iter()
            .position(|c| c.task == task && c.tier == tier)
        {
            Some(i) => i,
            None => {
                self.cells.push(CellUsage {
                    task,
                    tier,
                    requests: 0,
                    spend_nusd: 0,
                    recovered: 0,
                    votes: CellVotes::default(),
                });
                self.cells.len() - 1
            }
        };
        &mut self.cells[at]
    }
}

impl Store {
    /// Requests, spend and votes per task and tier in `range`. A request's tier is the
    /// ledger's own; for older rows, the tier of the decision stored with the reply; rows with
    /// neither are counted as unknown. A vote falls in the task and tier of the reply it judges
    /// (the decision stored with it, which is what the reply's ledger rows recorded).
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
            unknown_votes: 0,
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
            let cell = out.cell(task, tier);
            cell.requests += requests;
            cell.spend_nusd += spend;
            if recovered {
                cell.recovered += requests;
            }
        }

        let votes = sqlx::query(
            "SELECT COALESCE(json_extract(m.decision, '$.task'), v.task),
                    json_extract(m.decision, '$.complexity.tier'),
                    v.kind, v.result, COUNT(*)
             FROM votes v LEFT JOIN messages m ON m.id = v.message_id
             WHERE v.at >= ?1 AND v.at < ?2
             GROUP BY 1, 2, 3, 4",
        )
        .bind(&range.from)
        .bind(&range.to)
        .fetch_all(self.pool())
        .await?;
        for row in votes {
            let task: Option<String> = row.try_get(0)?;
            let tier: Option<String> = row.try_get(1)?;
            let kind: String = row.try_get(2)?;
            let result: String = row.try_get(3)?;
            let n: i64 = row.try_get(4)?;
            let (Some(task), Some(tier)) = (task, tier) else {
                out.unknown_votes += n;
                continue;
            };
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            out.cell(task, tier).votes.count(&kind, &result, n);
        }
        Ok(out)
    }
}
