//! The ledger records each request's complexity tier and score, and the routing grid's heatmap
//! counts requests and spend per task and tier from it: real `switchyard chat` runs against the
//! fake provider, checked against the ledger and the decisions stored with the replies.
mod common;

use switchyard_engine::store::spend::{CellVotes, SpendRange};
use switchyard_engine::store::votes::{NewVote, VoteKind};
use switchyard_engine::store::Store;
use switchyard_fake_provider::FakeProvider;

const MODEL: &str = "gpt-4o-mini";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_land_in_their_task_and_tier() {
    let server = FakeProvider::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("grid.db");
    let rules = common::local_provider(&db, &server.openai_base(), MODEL);
    let prompts = [
        "hi",
        "Write a Python function that reverses a string.",
        "Design and implement a lock-free concurrent hash map in Rust with resizing, \
         explain the memory ordering of every atomic operation, prove it linearizable, \
         and analyse its complexity under contention step by step.",
    ];
    for prompt in prompts {
        let out = common::switchyard(
            &db,
            &["chat", "--rules", &rules, "--model", MODEL, prompt],
            None,
        );
        assert!(out.status.success(), "{out:?}");
    }
    let store = Store::open(&db).await.unwrap();
    let range = SpendRange {
        from: "2000-01-01".into(),
        to: "9999-12-31".into(),
        utc_offset_minutes: 0,
        offset_changes: vec![],
    };

    // Every call carries the tier and score of its message's decision.
    let rows: Vec<(String, String, f64, String, f64)> = sqlx::query_as(
        "SELECT u.task, u.tier, u.complexity_score,
                json_extract(m.decision, '$.complexity.tier'),
                json_extract(m.decision, '$.complexity.score')
         FROM usage u JOIN messages m ON m.id = u.message_id ORDER BY u.id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 3);
    for (_, tier, score, decided_tier, decided_score) in &rows {
        assert_eq!(tier, decided_tier);
        assert!((score - decided_score).abs() < 1e-9);
    }
    let tiers: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_ne!(
        tiers[0], tiers[2],
        "a greeting and a hard design task differ in tier"
    );

    // The heatmap's counts are the ledger's, per task and tier.
    let usage = store.grid_usage(&range).await.unwrap();
    assert_eq!(usage.unknown_requests, 0);
    let total: i64 = usage.cells.iter().map(|c| c.requests).sum();
    assert_eq!(total, 3);
    for (task, tier, ..) in &rows {
        let expected = rows.iter().filter(|r| &r.0 == task && &r.1 == tier).count() as i64;
        let cell = usage
            .cells
            .iter()
            .find(|c| &c.task == task && &c.tier == tier)
            .unwrap();
        assert_eq!(cell.requests, expected);
        assert_eq!(cell.recovered, 0);
    }
    let spent: i64 = sqlx::query_scalar("SELECT SUM(cost_nusd) FROM usage")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(usage.cells.iter().map(|c| c.spend_nusd).sum::<i64>(), spent);

    // A row from before tiers were recorded is placed by the decision stored with its reply;
    // one with no reply to read is unknown.
    // (The ledger is append-only: the old row is a new row without a tier, for the first
    // reply.)
    sqlx::query(
        "INSERT INTO usage (source, message_id, provider_id, provider, model, outcome, cost_nusd)
         SELECT 'app', message_id, provider_id, provider, model, 'answered', 7000
         FROM usage WHERE id = 1",
    )
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO usage (source, provider_id, provider, model, outcome, cost_nusd)
         VALUES ('cli', 'p', 'P', 'gpt-4o-mini', 'answered', 5000)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let usage = store.grid_usage(&range).await.unwrap();
    let cell = usage
        .cells
        .iter()
        .find(|c| c.task == rows[0].0 && c.tier == rows[0].1)
        .unwrap();
    let first = rows
        .iter()
        .filter(|r| r.0 == rows[0].0 && r.1 == rows[0].1)
        .count() as i64;
    assert_eq!(cell.requests, first + 1);
    assert_eq!(cell.recovered, 1);
    assert_eq!(usage.unknown_requests, 1);
    assert_eq!(usage.unknown_spend_nusd, 5000);

    assert_eq!(usage.unknown_votes, 0);
    assert!(usage.cells.iter().all(|c| c.votes == CellVotes::default()));
}

/// Quality votes fall in the cell of the reply they judge: thumbs, compare picks and
/// "regenerate with…", counted per task and tier with the share in favour of the cell's answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_land_in_the_cell_of_the_reply_they_judge() {
    let server = FakeProvider::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("votes.db");
    let rules = common::local_provider(&db, &server.openai_base(), MODEL);
    for prompt in [
        "hi",
        "Design and implement a lock-free concurrent hash map in Rust with resizing, \
         explain the memory ordering of every atomic operation, prove it linearizable, \
         and analyse its complexity under contention step by step.",
    ] {
        let out = common::switchyard(
            &db,
            &["chat", "--rules", &rules, "--model", MODEL, prompt],
            None,
        );
        assert!(out.status.success(), "{out:?}");
    }
    let store = Store::open(&db).await.unwrap();
    // Each reply with the task and tier its ledger row recorded.
    let replies: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT message_id, task, tier FROM usage ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(replies.len(), 2);
    assert_ne!(replies[0].2, replies[1].2, "two different cells");
    let (greeting, hard) = (replies[0].0, replies[1].0);
    let task_of = |i: usize| replies[i].1.as_str();
    store
        .set_thumb(
            greeting,
            Some(vote(VoteKind::Thumb, greeting, task_of(0), None, "up")),
        )
        .await
        .unwrap();
    store
        .record_votes(&[vote(
            VoteKind::Regenerate,
            greeting,
            task_of(0),
            Some("gpt-4o"),
            "loss",
        )])
        .await
        .unwrap();
    store
        .set_thumb(
            hard,
            Some(vote(VoteKind::Thumb, hard, task_of(1), None, "down")),
        )
        .await
        .unwrap();
    store
        .record_votes(&[
            vote(VoteKind::Compare, hard, task_of(1), Some("gpt-4o"), "win"),
            vote(
                VoteKind::Compare,
                hard,
                task_of(1),
                Some("claude-haiku"),
                "tie",
            ),
            vote(VoteKind::Compare, hard, task_of(1), Some("o3"), "loss"),
        ])
        .await
        .unwrap();
    // A vote on no stored reply has no tier; one cast before the period is not counted.
    sqlx::query(
        "INSERT INTO votes (kind, task, model, result) VALUES ('thumb', 'code', 'm', 'up')",
    )
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO votes (kind, at, message_id, task, model, other_model, result)
         VALUES ('regenerate', '2001-01-01T00:00:00.000Z', ?, 'code', 'm', 'o3', 'loss')",
    )
    .bind(hard)
    .execute(store.pool())
    .await
    .unwrap();

    let range = SpendRange {
        from: "2020-01-01".into(),
        to: "9999-12-31".into(),
        utc_offset_minutes: 0,
        offset_changes: vec![],
    };
    let usage = store.grid_usage(&range).await.unwrap();
    let cell = |i: usize| {
        usage
            .cells
            .iter()
            .find(|c| c.task == replies[i].1 && c.tier == replies[i].2)
            .unwrap()
    };
    assert_eq!(
        cell(0).votes,
        CellVotes {
            up: 1,
            regenerations: 1,
            favourable_percent: Some(50),
            ..CellVotes::default()
        }
    );
    // 1 win and half of 1 tie, of 4 votes: 37.5%.
    assert_eq!(
        cell(1).votes,
        CellVotes {
            down: 1,
            wins: 1,
            ties: 1,
            losses: 1,
            favourable_percent: Some(38),
            ..CellVotes::default()
        }
    );
    assert_eq!(cell(0).requests, 1);
    assert_eq!(cell(1).requests, 1);
    assert_eq!(usage.unknown_votes, 1);
    assert_eq!(
        usage.cells.iter().map(|c| c.votes.total()).sum::<u32>(),
        6,
        "the old vote is outside the period"
    );
}

fn vote<'a>(
    kind: VoteKind,
    message: i64,
    task: &'a str,
    other: Option<&'a str>,
    result: &'a str,
) -> NewVote<'a> {
    NewVote {
        kind,
        conversation_id: None,
        message_id: Some(message),
        compare_of: (kind == VoteKind::Compare).then_some(message - 1),
        task,
        rule: None,
        model: MODEL,
        other_model: other,
        result,
    }
}
