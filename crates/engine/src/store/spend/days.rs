//! Spend per day of the user's calendar: whole UTC days from the rollups' quarter-hours, each
//! put on the local day it falls in, and the ledger's own rows for the part days.
use std::collections::BTreeMap;

use sqlx::Row;

use super::{DaySpend, GroupSpend, SpendRange, ANSWERING};
use crate::error::EngineError;
use crate::store::rollups::{
    check_offset, each_entry, iso_date, local_day, DAY_SECONDS, LEDGER_EDGES, SLOT_SECONDS,
};
use crate::store::Store;

impl Store {
    /// Spend per day of the user's calendar and model, oldest first. Whole UTC days come from
    /// the rollups' quarter-hours, each put on the local day it falls in at the offset the
    /// user's clock had then (clock changes fall on quarter-hours too).
    pub async fn spend_by_day(&self, r: &SpendRange) -> Result<Vec<DaySpend>, EngineError> {
        check_offset(r.utc_offset_minutes)?;
        for c in &r.offset_changes {
            check_offset(c.utc_offset_minutes)?;
        }
        let split = self.split(&r.from, &r.to).await?;
        let mut days: BTreeMap<(i64, String), [i64; 3]> = BTreeMap::new();
        // One UTC day of one model: its quarter-hours summed by the local day each falls on,
        // then added to those days' totals.
        let place = |day: i64, slot: i64| {
            let offset = r.offset_at(day * DAY_SECONDS + slot * SLOT_SECONDS);
            (local_day(day, slot, offset) - day + 1) as usize
        };
        let mut add = |day: i64, model: String, around: [Option<[i64; 3]>; 3]| {
            for (local, sums) in (day - 1..).zip(around) {
                if let Some(sums) = sums {
                    add_sums(days.entry((local, model.clone())).or_default(), sums);
                }
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
            let mut around = [None; 3];
            each_entry(row.try_get(2)?, |slot, sums| {
                add_sums(around[place(day, slot)].get_or_insert_default(), sums)
            })?;
            add(day, row.try_get(1)?, around);
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
            let mut around = [None; 3];
            around[place(day, slot)] = Some([row.try_get(3)?, row.try_get(4)?, row.try_get(5)?]);
            add(day, row.try_get(2)?, around);
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

    pub(super) async fn spend_per_day(
        &self,
        r: &SpendRange,
    ) -> Result<Vec<GroupSpend>, EngineError> {
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
}

/// Requests, spend and baseline, added in place.
fn add_sums(total: &mut [i64; 3], sums: [i64; 3]) {
    for (t, v) in total.iter_mut().zip(sums) {
        *t += v;
    }
}
