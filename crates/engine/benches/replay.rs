//! Replay of 100,000 past requests (25,000 saved conversations of four exchanges, in a real
//! SQLite file) under the bundled rules and a changed rule set, through the same call the app's
//! "Replay history" and `switchyard replay` make. Prints the median of 5 runs.
//! `cargo bench -p switchyard-engine --bench replay`
use std::time::{Duration, Instant};

use switchyard_engine::replay::{replay, ReplayOptions};
use switchyard_engine::router::{default_catalog, presets, CompiledRules};
use switchyard_engine::store::spend::SpendRange;
use switchyard_engine::store::Store;

const GENERATE: &str = include_str!("replay-history.sql");

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
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
            "generated 100,000 requests (25,000 conversations) in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let range = SpendRange {
            from: store.days_ago(30).await.unwrap(),
            to: "9999-12-31".into(),
            utc_offset_minutes: 0,
            offset_changes: vec![],
        };
        let catalog = default_catalog();
        // As the app asks: at most 200 requests listed per move.
        let options = ReplayOptions {
            requests_per_move: Some(200),
            ..ReplayOptions::default()
        };
        for (name, set) in [
            ("bundled rules", presets::bundled_default()),
            ("task-based rules", presets::task_based()),
        ] {
            let rules = CompiledRules::new(set).unwrap();
            let mut samples = Vec::new();
            let mut last = None;
            for _ in 0..5 {
                let started = Instant::now();
                last = Some(
                    replay(&store, &rules, &catalog, &range, &options)
                        .await
                        .unwrap(),
                );
                samples.push(started.elapsed());
            }
            samples.sort();
            let median: Duration = samples[samples.len() / 2];
            let report = last.unwrap();
            println!(
                "{name}: {} requests, {} replayed, {} moved: {:.0} ms (median of 5)",
                report.requests,
                report.replayed,
                report.moved,
                median.as_secs_f64() * 1e3
            );
        }
        let started = Instant::now();
        let calls = store.past_calls(&range).await.unwrap();
        let read_calls = started.elapsed();
        let started = Instant::now();
        let conversations = store.past_conversations(&range).await.unwrap();
        println!(
            "  reading them, one after the other: {} ledger rows {:.0} ms, {} conversations {:.0} ms",
            calls.len(),
            read_calls.as_secs_f64() * 1e3,
            conversations.len(),
            started.elapsed().as_secs_f64() * 1e3
        );
    });
}
