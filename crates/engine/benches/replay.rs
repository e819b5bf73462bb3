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

/// CPU time this process has used (user + system, every thread), from /proc: on a shared
/// machine the wall time also counts other programs' turns on the cores; this does not.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    // After the command name: state is field 3, utime 14 and stime 15 (1-based), in ticks.
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok()))
        .sum();
    Duration::from_millis(ticks * 10)
}

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
            let mut cpu = Vec::new();
            let mut last = None;
            for _ in 0..5 {
                let (started, cpu_before) = (Instant::now(), cpu_time());
                last = Some(
                    replay(&store, &rules, &catalog, &range, &options)
                        .await
                        .unwrap(),
                );
                samples.push(started.elapsed());
                cpu.push(cpu_time() - cpu_before);
            }
            cpu.sort();
            samples.sort();
            let median: Duration = samples[samples.len() / 2];
            let report = last.unwrap();
            println!(
                "{name}: {} requests, {} replayed, {} moved: {:.0} ms (median of 5), {:.0} ms of CPU time",
                report.requests,
                report.replayed,
                report.moved,
                median.as_secs_f64() * 1e3,
                cpu[cpu.len() / 2].as_secs_f64() * 1e3
            );
        }
        let (started, cpu_before) = (Instant::now(), cpu_time());
        let calls = store.past_calls(&range).await.unwrap();
        let (read_calls, cpu_calls) = (started.elapsed(), cpu_time() - cpu_before);
        let (started, cpu_before) = (Instant::now(), cpu_time());
        let conversations = store.past_conversations(&range).await.unwrap();
        let (read_conversations, cpu_conversations) = (started.elapsed(), cpu_time() - cpu_before);
        println!(
            "  reading them, one after the other: {} ledger rows {:.0} ms ({:.0} ms CPU), \
             {} conversations {:.0} ms ({:.0} ms CPU)",
            calls.len(),
            read_calls.as_secs_f64() * 1e3,
            cpu_calls.as_secs_f64() * 1e3,
            conversations.len(),
            read_conversations.as_secs_f64() * 1e3,
            cpu_conversations.as_secs_f64() * 1e3,
        );
    });
}
