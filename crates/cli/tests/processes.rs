//! Guarantees that must hold across real processes on one database: a budget is never overspent
//! by concurrent `switchyard chat` runs, and every call a provider saw is in the ledger after
//! Ctrl-C, SIGTERM or `kill -9`, once the next run has started.
mod common;

use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use common::spawn;

use switchyard_engine::budget::estimate;
use switchyard_engine::store::budgets::{Budget, BudgetPeriod, BudgetPolicy};
use switchyard_engine::store::Store;
use switchyard_fake_provider::{FakeProvider, Fault};
use switchyard_router::{default_catalog, Message};

/// The catalog model the tests route to, moved onto the fake provider.
const MODEL: &str = "gpt-4o-mini";
const PROMPT: &str = "Summarize the history of railways in one line";

/// A scratch database with the fake behind [`MODEL`], and the rule file that says so.
fn scratch(server: &FakeProvider, dir: &Path) -> (PathBuf, String) {
    let db = dir.join("procs.db");
    let rules = common::local_provider(&db, &server.openai_base(), MODEL);
    (db, rules)
}

fn chat_args(rules: &str) -> [&str; 6] {
    ["chat", "--rules", rules, "--model", MODEL, PROMPT]
}

/// (calls in the ledger that reached a provider, their total cost in nano-dollars).
async fn ledger(db: &Path) -> (i64, i64) {
    let store = Store::open(db).await.unwrap();
    let row: (i64, i64) = sqlx::query_as(
        "SELECT count(*), COALESCE(SUM(cost_nusd), 0) FROM usage WHERE outcome != 'skipped'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    store.close().await;
    row
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_processes_at_once_overshoot_a_budget_by_at_most_one_estimate() {
    let server = FakeProvider::start(&[]).await.unwrap();
    // Each reply is slow enough that the runs overlap, and bills about what was reserved.
    server.set_fault(Fault {
        model: "*".into(),
        first_chunk_delay_ms: 300,
        usage_tokens: Some(800),
        ..Fault::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let (db, rules) = scratch(&server, dir.path());
    let model = default_catalog().get(MODEL).unwrap().clone();
    let messages = [Message {
        role: "user".into(),
        content: PROMPT.into(),
        ..Default::default()
    }];
    let one = estimate(&model, &messages, None, None).1;
    let limit = 3 * one;
    let store = Store::open(&db).await.unwrap();
    store
        .save_budget(&Budget {
            id: 0,
            provider_id: None,
            period: BudgetPeriod::Day,
            limit_nusd: limit,
            policy: BudgetPolicy::Block,
            min_quality: 0.0,
        })
        .await
        .unwrap();
    store.close().await;

    let children: Vec<Child> = (0..20).map(|_| spawn(&db, &chat_args(&rules))).collect();
    let outputs: Vec<_> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    let answered = outputs.iter().filter(|o| o.status.success()).count();
    let refused = outputs
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stderr).contains("budget_exceeded"))
        .count();
    assert!(answered >= 1, "{outputs:?}");
    assert_eq!(answered + refused, 20, "{outputs:?}");
    let (calls, spent) = ledger(&db).await;
    eprintln!("{answered} of 20 answered, {refused} refused; spent {spent} of {limit} (one estimate {one})");
    assert_eq!(calls as usize, server.chat_requests().len());
    assert!(
        spent <= limit + one,
        "spent {spent} nano-dollars against a limit of {limit} (one estimate is {one}); \
         {answered} of 20 answered"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_cut_by_sigint_sigterm_and_sigkill_are_all_in_the_ledger_after_the_next_start() {
    let server = FakeProvider::start(&[]).await.unwrap();
    // A slow drip (five seconds a word): every run is still mid-reply when its signal arrives,
    // however staggered their starts on a loaded machine (another test starts twenty processes
    // at the same time).
    server.set_fault(Fault {
        model: "*".into(),
        chunk_delay_ms: 5_000,
        ..Fault::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let (db, rules) = scratch(&server, dir.path());
    let signals = [
        libc::SIGINT,
        libc::SIGTERM,
        libc::SIGKILL,
        libc::SIGINT,
        libc::SIGTERM,
        libc::SIGKILL,
    ];
    let mut children: Vec<Child> = signals
        .iter()
        .map(|_| spawn(&db, &chat_args(&rules)))
        .collect();
    // Wait until the provider has seen every call (a generous bound: this waits for a state,
    // it measures nothing).
    let deadline = Instant::now() + Duration::from_secs(90);
    while server.chat_requests().len() < signals.len() {
        assert!(
            Instant::now() < deadline,
            "the calls never reached the fake"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for (child, signal) in children.iter().zip(signals) {
        // SAFETY: the pid is our own running child.
        assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0);
    }
    for (child, signal) in children.iter_mut().zip(signals) {
        let status = child.wait().unwrap();
        if signal != libc::SIGKILL {
            // Stopped cleanly: the exit code says which signal, as a shell reports it.
            assert_eq!(status.code(), Some(128 + signal), "{status:?}");
        }
    }
    // The SIGKILLed runs left their calls in flight; nothing else did. Every call the provider
    // saw is either in the ledger or in flight.
    let (before, _) = ledger(&db).await;
    let store = Store::open(&db).await.unwrap();
    let in_flight = store.calls_in_flight().await.unwrap();
    store.close().await;
    assert_eq!(before, 4, "the four stopped runs settled their own calls");
    assert_eq!(in_flight, 2, "the two killed runs left theirs in flight");
    assert_eq!((before + in_flight) as usize, server.chat_requests().len());

    // The next start settles what the killed runs left, as estimated.
    server.clear_faults();
    let next = spawn(&db, &chat_args(&rules)).wait_with_output().unwrap();
    assert!(next.status.success(), "{next:?}");
    let (calls, _) = ledger(&db).await;
    assert_eq!(calls as usize, server.chat_requests().len());
    let store = Store::open(&db).await.unwrap();
    let outcomes: Vec<(String, bool)> =
        sqlx::query_as("SELECT outcome, cost_estimated FROM usage ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let count = |o: &str| outcomes.iter().filter(|(x, _)| x == o).count();
    assert_eq!(count("stopped"), 4, "{outcomes:?}");
    assert_eq!(count("interrupted"), 2, "{outcomes:?}");
    assert_eq!(count("answered"), 1, "{outcomes:?}");
    assert!(outcomes
        .iter()
        .filter(|(o, _)| o != "answered")
        .all(|(_, estimated)| *estimated));
    assert_eq!(store.calls_in_flight().await.unwrap(), 0);
}
