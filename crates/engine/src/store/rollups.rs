//! How a spend query reads a period: whole UTC days from the daily rollups that migration
//! 0005 keeps, and the ledger row by row for the part days at either end, so a figure over a
//! year reads a few thousand rows and is still exact to the millisecond edge of its range.
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use sqlx::query::Query;
use sqlx::sqlite::{Sqlite, SqliteArguments};

use super::Store;
use crate::error::EngineError;

pub(super) const DAY_SECONDS: i64 = 86_400;
/// The rollups split each day into quarter-hours, the finest step of any time zone's offset.
pub(super) const SLOT_SECONDS: i64 = 900;

/// A period `[from, to)` cut into whole days and the part days around them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Split {
    /// Whole UTC days (days since 1970) read from the rollups: `[first_day, end_day)`.
    pub first_day: i64,
    pub end_day: i64,
    /// Ledger ranges read row by row; an empty range is `("", "")`.
    pub edges: [(String, String); 2],
}

impl Split {
    /// Binds `?1`..`?6`: the days, then both edges, for SQL that reads the rollups with
    /// `day >= ?1 AND day < ?2` and the ledger with [`LEDGER_EDGES`].
    pub fn bind<'q>(
        &'q self,
        q: Query<'q, Sqlite, SqliteArguments<'q>>,
    ) -> Query<'q, Sqlite, SqliteArguments<'q>> {
        q.bind(self.first_day)
            .bind(self.end_day)
            .bind(&self.edges[0].0)
            .bind(&self.edges[0].1)
            .bind(&self.edges[1].0)
            .bind(&self.edges[1].1)
    }
}

/// The ledger rows of a split's part days.
pub(super) const LEDGER_EDGES: &str = "((at >= ?3 AND at < ?4) OR (at >= ?5 AND at < ?6))";

/// The ledger's time format at the start of a UTC day: `2026-03-02T00:00:00.000Z`.
fn day_start(day: i64) -> String {
    format!("{}T00:00:00.000Z", iso_date(day))
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub(super) fn iso_date(day: i64) -> String {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The local day (days since 1970 on the user's calendar) of a UTC day's quarter-hour.
pub(super) fn local_day(day: i64, slot: i64, utc_offset_minutes: i32) -> i64 {
    (day * DAY_SECONDS + slot * SLOT_SECONDS + i64::from(utc_offset_minutes) * 60)
        .div_euclid(DAY_SECONDS)
}

/// Checks that day boundaries at this offset fall on the rollups' quarter-hours.
pub(super) fn check_offset(utc_offset_minutes: i32) -> Result<(), EngineError> {
    if utc_offset_minutes % 15 != 0 || utc_offset_minutes.abs() > 18 * 60 {
        return Err(EngineError::Invalid {
            field: "utc_offset_minutes".into(),
            message: format!(
                "a UTC offset of {utc_offset_minutes} minutes is not a time zone's; \
                 use a multiple of 15 between -1080 and 1080"
            ),
        });
    }
    Ok(())
}

impl Store {
    /// Cuts `[from, to)` (ISO 8601 dates or times, UTC) into whole days and part days.
    pub(super) async fn split(&self, from: &str, to: &str) -> Result<Split, EngineError> {
        split_on(self.pool(), from, to).await
    }
}

const EPOCHS: &str = "SELECT unixepoch(?1, 'subsec'), unixepoch(?2, 'subsec')";

/// [`Store::split`] on any connection (inside a caller's transaction).
pub(super) async fn split_on<'c>(
    on: impl sqlx::SqliteExecutor<'c>,
    from: &str,
    to: &str,
) -> Result<Split, EngineError> {
    let (f, t): (Option<f64>, Option<f64>) = sqlx::query_as(EPOCHS)
        .bind(from)
        .bind(to)
        .fetch_one(on)
        .await?;
    Split::of(from, to, f, t)
}

/// [`Store::split`] on the writer's connection (inside its transaction).
pub(super) fn split_in(
    conn: &rusqlite::Connection,
    from: &str,
    to: &str,
) -> Result<Split, EngineError> {
    let (f, t) = conn
        .prepare_cached(EPOCHS)?
        .query_row([from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Split::of(from, to, f, t)
}

impl Split {
    /// Cuts `[from, to)`, given their times in seconds since 1970 (none: not a date).
    fn of(from: &str, to: &str, f: Option<f64>, t: Option<f64>) -> Result<Self, EngineError> {
        let invalid = |field: &str, value: &str| EngineError::Invalid {
            field: field.into(),
            message: format!("'{value}' is not a date; use YYYY-MM-DD or an ISO 8601 UTC time"),
        };
        let f = f.ok_or_else(|| invalid("from", from))?;
        let t = t.ok_or_else(|| invalid("to", to))?;
        let day = DAY_SECONDS as f64;
        let (first_day, end_day) = ((f / day).ceil() as i64, (t / day).floor() as i64);
        let empty = || (String::new(), String::new());
        Ok(if first_day < end_day {
            Split {
                first_day,
                end_day,
                edges: [
                    (from.to_string(), day_start(first_day)),
                    (day_start(end_day), to.to_string()),
                ],
            }
        } else {
            Split {
                first_day: 0,
                end_day: 0,
                edges: [(from.to_string(), to.to_string()), empty()],
            }
        })
    }
}

/// Calls `f` with each entry of a rollup's JSON object (`slots` or `latency`), its key read as
/// an integer, without building a map: a year's dashboard reads some 400,000 of them.
pub(super) fn each_entry<'a, V: Deserialize<'a>>(
    json: &'a str,
    f: impl FnMut(i64, V),
) -> Result<(), EngineError> {
    struct Each<F, V>(F, PhantomData<V>);
    impl<'de, F: FnMut(i64, V), V: Deserialize<'de>> Visitor<'de> for Each<F, V> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object of counts")
        }
        fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
            while let Some((key, value)) = map.next_entry::<i64, V>()? {
                (self.0)(key, value);
            }
            Ok(())
        }
    }
    let mut de = serde_json::Deserializer::from_str(json);
    de.deserialize_map(Each(f, PhantomData))
        .and_then(|()| de.end())
        .map_err(|e| EngineError::Database(format!("a usage rollup is unreadable: {e}")))
}

/// Nearest-rank percentile `p` of a latency histogram — `(bucket lower bound, calls)` sorted by
/// bound — placed within its bucket by rank. `bounds` are every bucket's lower bound, sorted;
/// the value is exact in buckets one millisecond wide.
pub(super) fn percentile(histogram: &[(i64, i64)], bounds: &[i64], p: i64) -> i64 {
    let n: i64 = histogram.iter().map(|(_, c)| c).sum();
    // The smallest rank k (from 1) with k / n >= p / 100.
    let k = ((n * p + 99) / 100).max(1);
    let mut before = 0;
    for &(lo, count) in histogram {
        if before + count >= k {
            let hi = bounds.iter().copied().find(|&b| b > lo).unwrap_or(lo);
            let within = 2 * (k - before) - 1;
            return lo + (hi - lo) * within / (2 * count);
        }
        before += count;
    }
    histogram.last().map_or(0, |&(lo, _)| lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_day_numbers() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(20_514), "2026-03-02");
        assert_eq!(iso_date(19_782), "2024-02-29");
        assert_eq!(iso_date(-1), "1969-12-31");
        assert_eq!(iso_date(2_932_896), "9999-12-31");
    }

    #[test]
    fn local_days_follow_the_offset() {
        // 22:00 UTC on day 20513 (slot 88) is the next day at UTC+3 and the same at UTC-5.
        assert_eq!(local_day(20_513, 88, 180), 20_514);
        assert_eq!(local_day(20_513, 88, -300), 20_513);
        // 00:15 UTC is the previous day at UTC-0:30.
        assert_eq!(local_day(20_514, 1, -30), 20_513);
        assert!(check_offset(330).is_ok());
        assert!(check_offset(-570).is_ok());
        assert!(check_offset(7).is_err());
    }

    #[test]
    fn rollup_objects_are_read_entry_by_entry() {
        let mut seen = Vec::new();
        each_entry(r#"{"57":[1,5,20],"3":[0,0,0]}"#, |k, v: [i64; 3]| {
            seen.push((k, v))
        })
        .unwrap();
        assert_eq!(seen, [(57, [1, 5, 20]), (3, [0, 0, 0])]);
        assert!(each_entry(r#"{"x":1}"#, |_, _: i64| ()).is_err());
        assert!(each_entry("{} trailing", |_, _: i64| ()).is_err());
    }

    #[test]
    fn percentiles_are_exact_in_narrow_buckets_and_placed_by_rank_in_wide_ones() {
        let bounds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20];
        // 1 ms ×2, 2 ms ×1, 3 ms ×1: ranks 1..4.
        let narrow = [(1, 2), (2, 1), (3, 1)];
        assert_eq!(percentile(&narrow, &bounds, 50), 1);
        assert_eq!(percentile(&narrow, &bounds, 95), 3);
        // Ten calls in [12, 15): rank 5 sits just below the middle, 12 + 3 × 4.5 / 10.
        assert_eq!(percentile(&[(12, 10)], &bounds, 50), 13);
        // 20 calls, 19 in [12, 15) and one in [15, 20): rank 19 is the top of [12, 15).
        assert_eq!(
            percentile(&[(12, 19), (15, 1)], &bounds, 95),
            12 + 3 * 37 / 38
        );
        assert_eq!(percentile(&[(15, 1)], &bounds, 50), 15 + 5 / 2);
        assert_eq!(percentile(&[], &bounds, 50), 0);
    }
}
