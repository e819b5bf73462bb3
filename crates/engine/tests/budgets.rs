//! Budgets enforced before every hop: warn at 80%, block or downgrade at 100%, and requests
//! racing at the limit overshoot it by at most one request's estimate.
mod support;

use support::{ask, metering, policy, Recorder, Setup};
use switchyard_engine::budget::{estimate, BudgetLevel, Budgets};
use switchyard_engine::execute::{CallStart, Executor, Meter, Plan};
use switchyard_engine::reply::{HopOutcome, Reply, ReplyStatus};
use switchyard_engine::store::budgets::{Budget, BudgetPeriod, BudgetPolicy};
use switchyard_engine::store::ledger::LedgerRow;
use switchyard_engine::store::Store;
use tokio_util::sync::CancellationToken;

async fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    (dir, store)
}

fn budget(provider: Option<&str>, limit: i64, policy: BudgetPolicy) -> Budget {
    Budget {
        id: 0,
        provider_id: provider.map(Into::into),
        period: BudgetPeriod::Day,
        limit_nusd: limit,
        policy,
        min_quality: 0.5,
    }
}

/// Runs `plan` with the budgets and ledger of `store`.
async fn run_metered(store: &Store, setup: &Setup, plan: &Plan) -> Reply {
    run_limited(store, setup, plan, None).await
}

/// Runs `plan` with the budgets and ledger of `store`, the reply limited to `max_output`.
async fn run_limited(store: &Store, setup: &Setup, plan: &Plan, max_output: Option<u32>) -> Reply {
    let meter = metering(store, &setup.catalog);
    Executor::new(policy())
        .unwrap()
        .execute(
            plan,
            &ask("hello"),
            max_output,
            None,
            Some(&meter),
            &mut Recorder::default(),
            &CancellationToken::new(),
        )
        .await
}

/// Records a call of `cost` nano-dollars on `provider`, now.
async fn spend(store: &Store, provider: &str, cost: u64) {
    let row = LedgerRow {
        source: "test".into(),
        provider_id: provider.into(),
        provider: provider.into(),
        model: "gpt-large".into(),
        outcome: "answered".into(),
        attempt: 1,
        cost_nusd: cost,
        ..LedgerRow::default()
    };
    store.record_usage(&[row]).await.unwrap();
}

#[tokio::test]
async fn warns_from_80_percent_and_is_over_at_the_limit() {
    let setup = Setup::new().await;
    let (_dir, store) = store().await;
    store
        .save_budget(&budget(None, 1_000_000, BudgetPolicy::Block))
        .await
        .unwrap();
    let budgets = Budgets::new(store.clone());
    spend(&store, "openai", 790_000).await;
    let level = |b: &Budgets| {
        let b = b.clone();
        let catalog = setup.catalog.clone();
        async move { b.status(&catalog).await.unwrap()[0].level }
    };
    assert_eq!(level(&budgets).await, BudgetLevel::Ok);
    spend(&store, "openai", 10_000).await;
    assert_eq!(level(&budgets).await, BudgetLevel::Warn);
    spend(&store, "openai", 200_000).await;
    let status = budgets.status(&setup.catalog).await.unwrap();
    assert_eq!(status[0].level, BudgetLevel::Over);
    assert_eq!(status[0].spent_nusd, 1_000_000);
    assert!(
        status[0].message.contains("used up")
            && status[0]
                .message
                .ends_with("Requests are blocked until it resets at midnight."),
        "{}",
        status[0].message
    );
    // The app's banner links to Spend itself: the status names no CLI command.
    assert!(
        !status[0].message.contains("switchyard"),
        "{}",
        status[0].message
    );
}

#[tokio::test]
async fn a_used_up_budget_blocks_before_any_call() {
    let setup = Setup::new().await;
    let (_dir, store) = store().await;
    store
        .save_budget(&budget(None, 1_000, BudgetPolicy::Block))
        .await
        .unwrap();
    spend(&store, "openai", 1_000).await;
    let plan = setup.plan(&["gpt-large", "claude-small"]);
    let reply = run_metered(&store, &setup, &plan).await;
    assert_eq!(reply.status, ReplyStatus::Failed);
    let error = reply.error.unwrap();
    assert_eq!(error.code, "budget_exceeded");
    assert!(error.message.contains("daily budget"), "{}", error.message);
    // The refusal reaches the CLI and the endpoint as is: it names the command.
    assert!(
        error.message.contains("`switchyard budgets set`"),
        "{}",
        error.message
    );
    assert!(reply.hops.iter().all(|h| h.outcome == HopOutcome::Skipped));
    assert_eq!(setup.server.requests().len(), 0, "no provider was called");
}

#[tokio::test]
async fn a_provider_budget_leaves_other_providers_alone() {
    let setup = Setup::new().await;
    let (_dir, store) = store().await;
    store
        .save_budget(&budget(Some("openai"), 1_000, BudgetPolicy::Block))
        .await
        .unwrap();
    spend(&store, "openai", 5_000).await;
    let plan = setup.plan(&["gpt-large", "claude-small"]);
    let reply = run_metered(&store, &setup, &plan).await;
    assert_eq!(reply.status, ReplyStatus::Complete);
    assert_eq!(reply.model.as_deref(), Some("claude-small"));
    assert_eq!(setup.calls("gpt-large"), 0);
}

#[tokio::test]
async fn downgrade_sends_the_request_to_the_cheapest_good_enough_model() {
    let setup = Setup::new().await;
    let (_dir, store) = store().await;
    store
        .save_budget(&budget(None, 1_000, BudgetPolicy::Downgrade))
        .await
        .unwrap();
    spend(&store, "openai", 1_000).await;
    let budgets = Budgets::new(store.clone());
    let mut chain = vec!["gpt-large".to_string()];
    budgets
        .extend_chain(&mut chain, &setup.catalog)
        .await
        .unwrap();
    // compat-model ($0.20 + $0.20) is the cheapest model with quality ≥ 0.5 in the test catalog.
    assert_eq!(chain, ["gpt-large", "compat-model"]);
    let refs: Vec<&str> = chain.iter().map(String::as_str).collect();
    let plan = setup.plan(&refs);
    let reply = run_metered(&store, &setup, &plan).await;
    assert_eq!(reply.status, ReplyStatus::Complete);
    assert_eq!(reply.model.as_deref(), Some("compat-model"));
    assert_eq!(
        reply.hops[0].error.as_ref().unwrap().code,
        "budget_downgraded"
    );
    assert_eq!(setup.calls("gpt-large"), 0);
}

#[tokio::test]
async fn two_requests_racing_at_the_limit_overshoot_by_at_most_one_estimate() {
    let setup = Setup::new().await;
    let (_dir, store) = store().await;
    let plan = setup.plan(&["gpt-large"]);
    let target = &plan.targets[0];
    let messages = ask("hello");
    let one = estimate(&target.model, &messages, None, None).1;
    // Room for less than one more request.
    let limit = 10 * one;
    store
        .save_budget(&budget(None, limit, BudgetPolicy::Block))
        .await
        .unwrap();
    spend(&store, "openai", (limit - one / 2) as u64).await;
    let start = || CallStart {
        target,
        messages: &messages,
        tools: None,
        max_output_tokens: None,
        hop: 0,
        attempt: 1,
    };
    // Two requests, as two processes would hold them: separate meters on one database.
    let (a, b) = (
        metering(&store, &setup.catalog),
        metering(&store, &setup.catalog),
    );
    let (ra, rb) = tokio::join!(a.open(start()), b.open(start()));
    assert_eq!(
        u8::from(ra.is_ok()) + u8::from(rb.is_ok()),
        1,
        "exactly one of two racing requests gets the last headroom"
    );
    assert_eq!(store.calls_in_flight().await.unwrap(), 1);
    // While one request holds the headroom, a third is refused too.
    let third = metering(&store, &setup.catalog);
    let refused = third.open(start()).await.unwrap_err();
    assert_eq!(refused.code, "budget_exceeded");
}

/// A request that limits its reply reserves the most that reply can cost, so calls admitted
/// side by side cannot together bill past what they reserved; a provider that reports more
/// output than the limit is not believed, and its call is billed from the text that came.
#[tokio::test]
async fn a_request_with_an_output_limit_reserves_that_limit_and_is_billed_within_it() {
    let setup = Setup::new().await;
    let (_dir, store) = store().await;
    let plan = setup.plan(&["gpt-large"]);
    let target = &plan.targets[0];
    let messages = ask("hello");
    let (typical, typical_cost) = estimate(&target.model, &messages, None, None);
    let (limited, limited_cost) = estimate(&target.model, &messages, None, Some(5_000));
    assert_eq!(typical.output_tokens, 1_000);
    assert_eq!(limited.output_tokens, 5_000);
    assert!(
        limited_cost > typical_cost * 4,
        "{limited_cost} vs {typical_cost}"
    );

    let meter = metering(&store, &setup.catalog);
    let ticket = meter
        .open(CallStart {
            target,
            messages: &messages,
            tools: None,
            max_output_tokens: Some(5_000),
            hop: 0,
            attempt: 1,
        })
        .await
        .unwrap();
    let reserved: i64 = sqlx::query_scalar("SELECT estimate_nusd FROM calls_in_flight")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(reserved, limited_cost);
    let _ = ticket;

    // The fake claims 1,500 tokens each way against a limit of 64: within the context window,
    // past the limit.
    setup.server.set_fault(switchyard_fake_provider::Fault {
        model: "gpt-large".into(),
        usage_tokens: Some(1_500),
        ..Default::default()
    });
    let (_dir2, store) = self::store().await;
    let reply = run_limited(&store, &setup, &plan, Some(64)).await;
    let usage = reply.usage.unwrap();
    assert!(usage.estimated, "{usage:?}");
    assert!(usage.output_tokens <= 64, "{usage:?}");
    let (output, flag): (i64, Option<String>) =
        sqlx::query_as("SELECT output_tokens, usage_flag FROM usage")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(output, 1_500, "the report is kept as it came");
    assert_eq!(flag.as_deref(), Some("implausible"));
}

/// Many calls admitted at once, through two stores on one file (two processes' writers, each
/// batching its own calls into shared transactions): the budget admits exactly as many as its
/// limit holds, no more, and every admitted call becomes exactly one ledger row.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn batched_admissions_from_two_writers_stay_within_the_budget_exactly() {
    use switchyard_engine::store::calls::{Admission, NewCall};
    let (dir, a) = store().await;
    let b = Store::open(&dir.path().join("app.db")).await.unwrap();
    a.save_budget(&budget(None, 10 * 1_000, BudgetPolicy::Block))
        .await
        .unwrap();
    let call = NewCall {
        row: LedgerRow {
            source: "test".into(),
            provider_id: "p".into(),
            provider: "P".into(),
            model: "gpt-large".into(),
            attempt: 1,
            ..LedgerRow::default()
        },
        estimate_nusd: 1_000,
        lease_secs: 60,
    };
    let mut tasks = Vec::new();
    for i in 0..60 {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        let call = call.clone();
        tasks.push(tokio::spawn(async move {
            store.admit_call(&call, |_| false).await.unwrap()
        }));
    }
    let mut admitted = Vec::new();
    for t in tasks {
        if let Admission::Admitted(id) = t.await.unwrap() {
            admitted.push(id);
        }
    }
    assert_eq!(
        admitted.len(),
        10,
        "a $10,000-nano budget holds ten 1,000-nano reservations"
    );
    assert_eq!(a.calls_in_flight().await.unwrap(), 10);

    // Settled in parallel from both writers: one ledger row per call, nothing left in flight.
    let mut settles = Vec::new();
    for (i, id) in admitted.iter().copied().enumerate() {
        let store = if i % 2 == 0 { a.clone() } else { b.clone() };
        let mut row = call.row.clone();
        row.outcome = "answered".into();
        row.cost_nusd = 900;
        settles.push(tokio::spawn(async move {
            store.settle_call(id, &row).await.unwrap()
        }));
    }
    for s in settles {
        s.await.unwrap();
    }
    // Settling twice (another process after the lease) writes nothing more.
    let mut row = call.row.clone();
    row.outcome = "answered".into();
    b.settle_call(admitted[0], &row).await.unwrap();
    assert_eq!(a.calls_in_flight().await.unwrap(), 0);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM usage")
        .fetch_one(a.pool())
        .await
        .unwrap();
    assert_eq!(rows, 10);
    // 9,000 spent of 10,000: one more fits, the one after does not.
    assert!(matches!(
        a.admit_call(&call, |_| false).await.unwrap(),
        Admission::Admitted(_)
    ));
    assert!(matches!(
        b.admit_call(&call, |_| false).await.unwrap(),
        Admission::Refused(_)
    ));
}

/// A closed store refuses calls with a clear error instead of hanging.
#[tokio::test]
async fn a_closed_store_refuses_calls() {
    use switchyard_engine::store::calls::NewCall;
    let (_dir, s) = store().await;
    s.close().await;
    let e = s
        .admit_call(&NewCall::default(), |_| false)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("closed"), "{e}");
}
