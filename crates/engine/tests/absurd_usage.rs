//! A provider that reports absurd usage (billions of tokens) is recorded as reported but flagged,
//! priced from the estimate; rows recorded before the check get an offsetting correction.
mod support;

use support::{ask, metering, policy, Recorder, Setup};
use switchyard_engine::execute::Executor;
use switchyard_engine::store::ledger::LedgerRow;
use switchyard_engine::store::spend::SpendRange;
use switchyard_engine::store::Store;
use switchyard_fake_provider::Fault;
use tokio_util::sync::CancellationToken;

fn today() -> SpendRange {
    SpendRange {
        from: "2000-01-01".into(),
        to: "2100-01-01".into(),
        utc_offset_minutes: 0,
        offset_changes: Vec::new(),
    }
}

#[tokio::test]
async fn a_reply_claiming_billions_of_tokens_is_flagged_and_priced_from_the_estimate() {
    // 4e9 fits the counts' type; 1e15 does not, and must not make the reply unreadable: it is
    // kept as the largest count and judged like the other.
    for (claimed, kept) in [
        (4_000_000_000u64, 4_000_000_000i64),
        (1_000_000_000_000_000, i64::from(u32::MAX)),
    ] {
        claims(claimed, kept).await;
    }
}

async fn claims(claimed: u64, kept: i64) {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        model: "gpt-large".into(),
        usage_tokens: Some(claimed),
        ..Fault::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    let meter = metering(&store, &setup.catalog);
    let reply = Executor::new(policy())
        .unwrap()
        .execute(
            &setup.plan(&["gpt-large"]),
            &ask("hello there"),
            None,
            None,
            Some(&meter),
            &mut Recorder::default(),
            &CancellationToken::new(),
        )
        .await;
    // The reply the user sees is priced from the estimate, not from 4e9 tokens.
    let usage = reply.usage.unwrap();
    assert!(usage.estimated);
    assert!(usage.input_tokens < 100, "{usage:?}");
    let cost = reply.cost.unwrap().total.0;
    assert!(cost < 1_000_000, "cost {cost} nano-dollars");

    let (tokens, recorded, flag): (i64, i64, Option<String>) =
        sqlx::query_as("SELECT input_tokens, cost_nusd, usage_flag FROM usage")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(tokens, kept, "the report is kept as it came, within range");
    assert!(!reply.text.is_empty(), "the answer is kept");
    assert_eq!(recorded as u64, cost, "the ledger charges the estimate");
    assert_eq!(flag.as_deref(), Some("implausible"));
    let rows = store
        .spend_rows(&switchyard_engine::store::spend::SpendFilter {
            range: today(),
            model: None,
            task: None,
            rule: None,
            outcome: None,
            source: None,
            client: None,
            limit: 10,
        })
        .await
        .unwrap();
    assert_eq!(rows[0].usage_flag.as_deref(), Some("implausible"));
}

#[tokio::test]
async fn an_absurd_row_from_before_the_check_is_offset_by_a_correction_once() {
    let setup = Setup::new().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    let row = |input: u32, cost: u64| LedgerRow {
        source: "cli".into(),
        provider_id: "openai".into(),
        provider: "openai".into(),
        model: "gpt-large".into(),
        outcome: "answered".into(),
        attempt: 1,
        input_tokens: input,
        output_tokens: 10,
        cost_nusd: cost,
        ..LedgerRow::default()
    };
    // One honest call, and one that claimed 4e9 tokens and was billed $12,000.
    store
        .record_usage(&[row(1_000, 5_000), row(4_000_000_000, 12_000_000_000_000)])
        .await
        .unwrap();
    let before = store.spend_totals(&today()).await.unwrap();
    assert_eq!(before.spend_nusd, 12_000_000_005_000);

    assert_eq!(
        store
            .correct_implausible_usage(&setup.catalog)
            .await
            .unwrap(),
        1
    );
    // Running it again changes nothing.
    assert_eq!(
        store
            .correct_implausible_usage(&setup.catalog)
            .await
            .unwrap(),
        0
    );
    let after = store.spend_totals(&today()).await.unwrap();
    assert_eq!(after.spend_nusd, 5_000);
    assert_eq!(after.calls, before.calls, "a correction is not a call");
    // Nothing was changed or removed: the ledger has one row more.
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM usage")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(rows, 3);
}
