//! The Spend screen's figures: ledger costs are catalog price × reported tokens exactly, the
//! baseline is the setting (else the priciest enabled model), and savings follow from both.
mod support;

use support::Setup;
use switchyard_engine::chat::ledger::{self, baseline_model};
use switchyard_engine::execute::{Hop, HopOutcome, Reply, ReplyStatus};
use switchyard_engine::store::ledger::LedgerRow;
use switchyard_engine::store::spend::{to_csv, GroupBy, SpendFilter, SpendRange};
use switchyard_engine::store::Store;
use switchyard_engine::usage::{Cost, Usage};

fn range() -> SpendRange {
    SpendRange {
        from: "2000-01-01".into(),
        to: "9999-12-31".into(),
        utc_offset_minutes: 0,
    }
}

fn answered(model: &str, provider: &str, usage: Usage, cost: Cost) -> Reply {
    Reply {
        status: ReplyStatus::Complete,
        model: Some(model.into()),
        provider: Some(provider.into()),
        text: "hi".into(),
        finish: None,
        usage: Some(usage),
        cost: Some(cost),
        hops: vec![Hop {
            model: model.into(),
            provider: provider.into(),
            attempt: 1,
            outcome: HopOutcome::Answered,
            error: None,
            latency_ms: 100,
            retry_in_ms: None,
        }],
        latency_ms: 100,
        first_token_ms: Some(20),
        error: None,
        failing_keys: vec![],
    }
}

#[tokio::test]
async fn ledger_costs_are_exact_and_savings_are_against_the_baseline() {
    let setup = Setup::new().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    let usage = Usage {
        input_tokens: 1_234,
        output_tokens: 567,
        ..Usage::default()
    };
    let small = setup.catalog.find("gpt-small").unwrap();
    let cost = Cost::of(small, &usage);
    // 1,234 × $0.15/M + 567 × $0.60/M = 185,100 + 340,200 nano-dollars.
    assert_eq!(cost.total.0, 525_300);
    let reply = answered("gpt-small", "openai", usage, cost);

    // Default baseline: the priciest enabled model (claude-large, $3 + $15).
    assert_eq!(
        baseline_model(&setup.catalog, None).unwrap().id,
        "claude-large"
    );
    let cx = |baseline| ledger::Context {
        source: "cli",
        conversation_id: None,
        message_id: None,
        decision: None,
        catalog: &setup.catalog,
        baseline,
        providers: &setup.providers,
        stopped: false,
    };
    let rows = ledger::rows(&reply, &cx(None));
    assert_eq!(rows[0].cost_nusd, 525_300);
    assert_eq!(rows[0].baseline_model.as_deref(), Some("claude-large"));
    // 1,234 × $3/M + 567 × $15/M = 3,702,000 + 8,505,000.
    assert_eq!(rows[0].baseline_cost_nusd, Some(12_207_000));
    store.record_usage(&rows).await.unwrap();

    // The setting wins: gpt-large, $2.50 + $10.
    store.set_baseline_setting(Some("gpt-large")).await.unwrap();
    let setting = store.baseline_setting().await.unwrap();
    let rows = ledger::rows(&reply, &cx(setting.as_deref()));
    assert_eq!(rows[0].baseline_cost_nusd, Some(3_085_000 + 5_670_000));
    store.record_usage(&rows).await.unwrap();

    let totals = store.spend_totals(&range()).await.unwrap();
    assert_eq!(totals.spend_nusd, 2 * 525_300);
    assert_eq!(totals.requests, 2);
    assert_eq!(totals.baseline_nusd, 12_207_000 + 8_755_000);
    let by_model = store.spend_by_model(&range()).await.unwrap();
    assert_eq!(by_model.len(), 1);
    assert_eq!(by_model[0].spend_nusd, 1_050_600);
}

fn row(model: &str, task: &str, outcome: &str, cost: u64, latency: u64) -> LedgerRow {
    LedgerRow {
        source: "app".into(),
        provider_id: "openai".into(),
        provider: "OpenAI".into(),
        model: model.into(),
        task: Some(task.into()),
        rule: Some("default".into()),
        attempt: 1,
        outcome: outcome.into(),
        cost_nusd: cost,
        baseline_cost_nusd: (outcome == "answered").then_some(cost * 4),
        latency_ms: latency,
        ..LedgerRow::default()
    }
}

#[tokio::test]
async fn the_dashboard_groups_ranks_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    let mut rows: Vec<LedgerRow> = (1..=20)
        .map(|i| row("a", "coding", "answered", 100, i * 10))
        .collect();
    rows.push(row("b", "chat", "failed", 0, 5));
    rows.push(row("b", "chat", "answered", 1_000, 7));
    store.record_usage(&rows).await.unwrap();
    // Move one call to yesterday evening UTC, which is today at UTC+3.
    sqlx::query("UPDATE usage SET at = '2026-03-01T22:00:00.000Z' WHERE id = 1")
        .execute(store.pool())
        .await
        .unwrap();

    let d = store.spend_dashboard(&range()).await.unwrap();
    assert_eq!(d.totals.spend_nusd, 3_000);
    assert_eq!(d.totals.requests, 21);
    assert_eq!(d.totals.calls, 22);
    // The failed call has no baseline and counts at its own cost (0).
    assert_eq!(d.totals.baseline_nusd, 12_000);
    assert_eq!(d.models[0].model, "a");
    assert_eq!(d.tasks[0].key, "coding");
    assert_eq!(d.tasks[0].spend_nusd, 2_000);
    let a = d.latency.iter().find(|l| l.model == "a").unwrap();
    // Latencies 10..=200: nearest rank 10 of 20 is 100, rank 19 is 190.
    assert_eq!((a.calls, a.p50_ms, a.p95_ms), (20, 100, 190));

    let mut shifted = range();
    shifted.utc_offset_minutes = 180;
    let days = store.spend_by(&shifted, GroupBy::Day).await.unwrap();
    assert_eq!(days[0].key, "2026-03-02");

    let filter = SpendFilter {
        range: range(),
        model: Some("b".into()),
        task: None,
        rule: None,
        outcome: Some("answered".into()),
        limit: 50,
    };
    let listed = store.spend_rows(&filter).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].cost_nusd, 1_000);
    let csv = to_csv(&listed);
    assert!(
        csv.lines().nth(1).unwrap().contains(",0.000001000,"),
        "{csv}"
    );
}
