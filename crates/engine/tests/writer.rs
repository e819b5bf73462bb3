//! The writer of provider calls when the database is not its alone: another process holding
//! the write lock, and the write-ahead log copied into the database file behind the callers.
use std::time::Duration;

use switchyard_engine::store::budgets::{Budget, BudgetPeriod, BudgetPolicy};
use switchyard_engine::store::calls::{Admission, NewCall};
use switchyard_engine::store::ledger::LedgerRow;
use switchyard_engine::store::Store;

fn call(estimate_nusd: i64) -> NewCall {
    NewCall {
        row: LedgerRow {
            source: "test".into(),
            provider_id: "p".into(),
            provider: "P".into(),
            model: "gpt-large".into(),
            attempt: 1,
            ..LedgerRow::default()
        },
        estimate_nusd,
        lease_secs: 60,
    }
}

/// A daily budget over every provider that blocks calls past `limit_nusd`.
async fn block_over(store: &Store, limit_nusd: i64) {
    store
        .save_budget(&Budget {
            id: 0,
            provider_id: None,
            period: BudgetPeriod::Day,
            limit_nusd,
            policy: BudgetPolicy::Block,
            min_quality: 0.5,
        })
        .await
        .unwrap();
}

/// Another process holds the write lock while it spends the whole budget: a call admitted
/// meanwhile waits for that transaction instead of failing or reading around it, and is
/// refused by what it wrote.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admission_waits_for_another_process_and_sees_what_it_spent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let store = Store::open(&path).await.unwrap();
    block_over(&store, 10_000).await;
    // Admitted while the database is free.
    assert!(matches!(
        store.admit_call(&call(1_000), |_| false).await.unwrap(),
        Admission::Admitted(_)
    ));

    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    other
        .execute(
            "INSERT INTO usage (provider_id, provider, model, outcome, cost_nusd)
             VALUES ('p', 'P', 'gpt-large', 'answered', 9000)",
            [],
        )
        .unwrap();
    let waiting = {
        let store = store.clone();
        tokio::spawn(async move { store.admit_call(&call(1_000), |_| false).await })
    };
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(
        !waiting.is_finished(),
        "the admission waits while another process holds the write lock"
    );
    other.execute_batch("COMMIT").unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("answered once the lock is free")
        .unwrap()
        .unwrap();
    // 9,000 spent by the other process + 1,000 reserved here = the whole 10,000.
    let Admission::Refused(over) = answer else {
        panic!("admitted over a spent budget: {answer:?}")
    };
    assert_eq!(over[0].used_nusd, 10_000);
    assert_eq!(store.calls_in_flight().await.unwrap(), 1);
}

/// Calls written by the writer reach the database file itself within a second, with no
/// caller waiting for that copy: the file alone (without its write-ahead log) holds them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn written_calls_reach_the_database_file_behind_the_callers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let store = Store::open(&path).await.unwrap();
    for _ in 0..20 {
        store.admit_call(&call(1), |_| false).await.unwrap();
    }
    let copy = dir.path().join("copy.db");
    let mut found = 0;
    for _ in 0..30 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        // The main file only: what a checkpoint copied there.
        std::fs::copy(&path, &copy).unwrap();
        let c = rusqlite::Connection::open(&copy).unwrap();
        found = c
            .query_row("SELECT count(*) FROM calls_in_flight", [], |r| r.get(0))
            .unwrap_or(0);
        drop(c);
        std::fs::remove_file(&copy).unwrap();
        if found == 20 {
            break;
        }
    }
    assert_eq!(found, 20, "the database file holds every admitted call");
}

/// Calls written without a pause (a busy endpoint) do not make the write-ahead log grow
/// without end: it is copied into the database and starts again from its beginning.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_starts_again_while_calls_keep_coming() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let store = Store::open(&path).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..2_500 {
                let Admission::Admitted(id) = store.admit_call(&call(1), |_| false).await.unwrap()
                else {
                    panic!("no budget to refuse")
                };
                let mut row = call(1).row;
                row.outcome = "answered".into();
                store.settle_call(id, &row).await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM usage")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(rows, 20_000);
    let mut wal = path.clone().into_os_string();
    wal.push("-wal");
    let size = std::fs::metadata(&wal).map_or(0, |m| m.len());
    eprintln!("log: {} KiB", size / 1024);
    // About 400 MiB of log pages are written for these calls; the log starts again once it
    // holds 16 MiB, and a longer one is cut back to 64 MiB when it does.
    assert!(
        size <= 64 << 20,
        "the log grew to {} MiB for 20,000 calls",
        size >> 20
    );
}

/// A run killed while another goes on (a CLI chat while the app or `serve` runs): the one still
/// running settles the dead run's call within its period, as estimated, without a restart; its
/// own calls in flight are left alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_process_settles_the_calls_a_killed_one_left() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let store = Store::open(&path).await.unwrap();
    let Admission::Admitted(id) = store.admit_call(&call(1_000), |_| false).await.unwrap() else {
        panic!("not admitted")
    };
    // The row as a killed run leaves it: in flight under a process id that runs no more.
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE calls_in_flight SET pid = ?1 WHERE id = ?2",
            (dead, id),
        )
        .unwrap();
    // A call of this process, still going.
    assert!(matches!(
        store.admit_call(&call(500), |_| false).await.unwrap(),
        Admission::Admitted(_)
    ));

    let task = store.settle_abandoned_every(Duration::from_millis(100));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while store.calls_in_flight().await.unwrap() > 1 {
        assert!(
            std::time::Instant::now() < deadline,
            "the dead run's call is still in flight"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT outcome, cost_nusd FROM usage")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(rows, [("interrupted".to_string(), 1_000)]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        store.calls_in_flight().await.unwrap(),
        1,
        "this process's own call stays in flight"
    );

    store.close().await;
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .expect("the task stops once the store is closed")
        .unwrap();
}

/// A settlement nobody waits for (the endpoint's) is still written before the next admission
/// of the same process, so a budget it spends refuses that admission at once; `flush` writes
/// what is still queued.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_settlement_not_waited_for_is_seen_by_the_next_admission() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    block_over(&store, 10_000).await;
    let settled = |cost_nusd| LedgerRow {
        outcome: "answered".into(),
        cost_nusd,
        ..call(0).row
    };
    for round in 0..50 {
        let Admission::Admitted(id) = store.admit_call(&call(100), |_| false).await.unwrap() else {
            panic!("round {round}: refused under budget")
        };
        store.settle_call_later(id, settled(1)).unwrap();
    }
    let Admission::Admitted(id) = store.admit_call(&call(100), |_| false).await.unwrap() else {
        panic!("refused under budget")
    };
    // Reserved 100; the call turns out to cost 9,950, which spends the budget's 10,000.
    store.settle_call_later(id, settled(9_950)).unwrap();
    // Asked at once: refused. Read before that settlement, 50 spent and 100 reserved would
    // leave room and this would be admitted.
    let answer = store.admit_call(&call(100), |_| false).await.unwrap();
    let Admission::Refused(over) = answer else {
        panic!("admitted over a spent budget: {answer:?}")
    };
    assert_eq!(over[0].used_nusd, 10_000);

    store.flush().await;
    assert_eq!(store.calls_in_flight().await.unwrap(), 0);
    let (rows, spent): (i64, i64) =
        sqlx::query_as("SELECT count(*), SUM(cost_nusd) FROM usage WHERE outcome = 'answered'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!((rows, spent), (51, 10_000));
}
