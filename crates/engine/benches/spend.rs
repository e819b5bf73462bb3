//! Every Spend dashboard query against 1,000,000 generated ledger rows spread over a year,
//! for today, the last 30 days and the whole year, and what recording a request costs with
//! the rollup trigger. Prints the median of 5 runs per query.
//! `cargo bench -p switchyard-engine --bench spend`
use std::time::{Duration, Instant};

use switchyard_engine::store::budgets::{Budget, BudgetPeriod, BudgetPolicy};
use switchyard_engine::store::calls::{Admission, NewCall};
use switchyard_engine::store::ledger::LedgerRow;
use switchyard_engine::store::spend::{GroupBy, SpendFilter, SpendRange};
use switchyard_engine::store::Store;

/// What `ledger-year.sql` generates.
const ROWS: u32 = 1_000_000;
const GENERATE: &str = include_str!("ledger-year.sql");

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn time<F, Fut, T>(label: &str, mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut samples = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        std::hint::black_box(f().await);
        samples.push(started.elapsed());
    }
    let m = median(samples);
    println!("  {label:<34} {:>8.1} ms", m.as_secs_f64() * 1e3);
    m
}

async fn bench_range(store: &Store, name: &str, range: &SpendRange) -> Duration {
    println!("{name}:");
    let filter = SpendFilter {
        range: range.clone(),
        model: None,
        task: None,
        rule: None,
        outcome: None,
        source: None,
        client: None,
        limit: 200,
    };
    let model_filter = SpendFilter {
        model: Some("model-7".into()),
        ..filter.clone()
    };
    [
        time("totals", || store.spend_totals(range)).await,
        time("spend per model", || store.spend_by_model(range)).await,
        time("spend per day and model", || store.spend_by_day(range)).await,
        time("by task", || store.spend_by(range, GroupBy::Task)).await,
        time("by rule", || store.spend_by(range, GroupBy::Rule)).await,
        time("latency p50/p95 per model", || {
            store.latency_by_model(range)
        })
        .await,
        time("request table (200 newest)", || store.spend_rows(&filter)).await,
        time("request table, one model", || {
            store.spend_rows(&model_filter)
        })
        .await,
        time("whole dashboard", || store.spend_dashboard(range)).await,
    ]
    .into_iter()
    .max()
    .unwrap()
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("bench.db")).await.unwrap();
        let started = Instant::now();
        sqlx::raw_sql(GENERATE).execute(store.pool()).await.unwrap();
        sqlx::query("ANALYZE").execute(store.pool()).await.unwrap();
        println!(
            "generated {ROWS} ledger rows in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let month = SpendRange {
            from: store.days_ago(30).await.unwrap(),
            to: "9999-12-31".into(),
            utc_offset_minutes: 60,
            offset_changes: vec![],
        };
        let year = SpendRange {
            from: store.days_ago(366).await.unwrap(),
            ..month.clone()
        };
        let today = SpendRange {
            from: store.days_ago(1).await.unwrap(),
            ..month.clone()
        };
        let slowest_today = bench_range(&store, "last 24 hours (~2,700 rows)", &today).await;
        let slowest_month = bench_range(&store, "last 30 days (~82,000 rows)", &month).await;
        let slowest_year = bench_range(&store, "whole year (1,000,000 rows)", &year).await;
        println!("one provider call, as the meter records it:");
        for (period, provider) in [(BudgetPeriod::Month, None), (BudgetPeriod::Day, Some("p1"))] {
            store
                .save_budget(&Budget {
                    id: 0,
                    provider_id: provider.map(Into::into),
                    period,
                    limit_nusd: i64::MAX / 2,
                    policy: BudgetPolicy::Block,
                    min_quality: 0.0,
                })
                .await
                .unwrap();
        }
        let call = LedgerRow {
            source: "app".into(),
            provider_id: "p1".into(),
            provider: "Provider 1".into(),
            model: "model-1".into(),
            task: Some("task-1".into()),
            rule: Some("rule-1".into()),
            attempt: 1,
            outcome: "answered".into(),
            cost_nusd: 12_345,
            baseline_cost_nusd: Some(49_380),
            latency_ms: 1_234,
            ..LedgerRow::default()
        };
        let new = NewCall {
            row: call.clone(),
            estimate_nusd: 20_000,
            lease_secs: 1_800,
        };
        let mut open = Vec::new();
        time(
            "before it is sent: two budgets checked, the call recorded in flight",
            || {
                let (store, new) = (&store, &new);
                async move { store.admit_call(new, |_| false).await.unwrap() }
            },
        )
        .await;
        for _ in 0..15 {
            if let Admission::Admitted(id) = store.admit_call(&new, |_| false).await.unwrap() {
                open.push(id);
            }
        }
        let ids = std::cell::RefCell::new(open.into_iter());
        time(
            "when it ends: the ledger row and its rollups written, the call settled",
            || {
                let id = ids.borrow_mut().next().unwrap_or(0);
                let (store, call) = (&store, &call);
                async move { store.settle_call(id, call).await.unwrap() }
            },
        )
        .await;
        println!(
            "slowest dashboard query: {:.1} ms (24 hours), {:.1} ms (30 days), {:.1} ms (year)",
            slowest_today.as_secs_f64() * 1e3,
            slowest_month.as_secs_f64() * 1e3,
            slowest_year.as_secs_f64() * 1e3
        );
    });
}
