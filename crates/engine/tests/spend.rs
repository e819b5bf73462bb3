//! The Spend screen's figures: ledger costs are catalog price × reported tokens exactly, the
//! baseline is the setting (else the priciest enabled model), and savings follow from both.
mod support;

use support::Setup;
use switchyard_engine::execute::{Billed, CallEnd, CallStart, Meter};
use switchyard_engine::reply::{Hop, HopOutcome};
use switchyard_engine::send::baseline_model;
use switchyard_engine::store::ledger::LedgerRow;
use switchyard_engine::store::spend::{to_csv, GroupBy, OffsetChange, SpendFilter, SpendRange};
use switchyard_engine::store::Store;
use switchyard_router::{Cost, Usage};

fn range() -> SpendRange {
    SpendRange {
        from: "2000-01-01".into(),
        to: "9999-12-31".into(),
        utc_offset_minutes: 0,
        offset_changes: vec![],
    }
}

/// Sends one metered call of `usage` on `model` through the engine's meter, as a request does.
async fn metered_call(
    store: &Store,
    setup: &Setup,
    model: &str,
    usage: Usage,
    baseline: Option<&str>,
) {
    let plan = setup.plan(&[model]);
    let meter = support::metering_against(store, &setup.catalog, baseline);
    let messages = support::ask("hi");
    let start = CallStart {
        target: &plan.targets[0],
        messages: &messages,
        tools: None,
        max_output_tokens: None,
        hop: 0,
        attempt: 1,
    };
    let ticket = meter.open(start).await.unwrap();
    let hop = Hop {
        model: model.into(),
        provider: plan.targets[0].provider.id.clone(),
        provider_name: plan.targets[0].provider.name.clone(),
        attempt: 1,
        outcome: HopOutcome::Answered,
        error: None,
        status: None,
        latency_ms: 100,
        retry_in_ms: None,
    };
    let end = CallEnd {
        hop: &hop,
        usage: Some(Billed {
            usage,
            reported: None,
        }),
        first_token_ms: Some(20),
    };
    meter.settle(ticket, end).await;
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

    // Default baseline: the priciest enabled model (claude-large, $3 + $15).
    assert_eq!(
        baseline_model(&setup.catalog, None).unwrap().id,
        "claude-large"
    );
    metered_call(&store, &setup, "gpt-small", usage, None).await;
    let rows: Vec<(i64, Option<String>, Option<i64>)> =
        sqlx::query_as("SELECT cost_nusd, baseline_model, baseline_cost_nusd FROM usage")
            .fetch_all(store.pool())
            .await
            .unwrap();
    // 1,234 × $3/M + 567 × $15/M = 3,702,000 + 8,505,000.
    assert_eq!(
        rows,
        [(525_300, Some("claude-large".into()), Some(12_207_000))]
    );
    assert_eq!(store.calls_in_flight().await.unwrap(), 0, "settled");

    // The setting wins: gpt-large, $2.50 + $10.
    store.set_baseline_setting(Some("gpt-large")).await.unwrap();
    let setting = store.baseline_setting().await.unwrap();
    metered_call(&store, &setup, "gpt-small", usage, setting.as_deref()).await;

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
    let mut rows: Vec<LedgerRow> = (2..=20)
        .map(|i| row("a", "coding", "answered", 100, i * 10))
        .collect();
    rows.push(row("b", "chat", "failed", 0, 5));
    rows.push(row("b", "chat", "answered", 1_000, 7));
    store.record_usage(&rows).await.unwrap();
    // One call yesterday evening UTC, which is today at UTC+3.
    sqlx::query(
        "INSERT INTO usage (at, provider_id, provider, model, task, rule, outcome, cost_nusd,
                            baseline_cost_nusd, latency_ms)
         VALUES ('2026-03-01T22:00:00.000Z', 'openai', 'OpenAI', 'a', 'coding', 'default',
                 'answered', 100, 400, 10)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    // The ledger is append-only: what was recorded stays as it was.
    let changed = sqlx::query("UPDATE usage SET cost_nusd = 0")
        .execute(store.pool())
        .await;
    assert!(changed.unwrap_err().to_string().contains("append-only"));
    assert!(sqlx::query("DELETE FROM usage")
        .execute(store.pool())
        .await
        .is_err());

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
        source: None,
        client: None,
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

#[tokio::test]
async fn spend_breaks_down_and_filters_by_source_and_endpoint_client() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("clients.db")).await.unwrap();
    let from = |source: &str, client: Option<&str>, cost: u64| LedgerRow {
        source: source.into(),
        client: client.map(Into::into),
        ..row("a", "chat", "answered", cost, 10)
    };
    store
        .record_usage(&[
            from("app", None, 100),
            from("cli", None, 200),
            from("endpoint", Some("vscode"), 400),
            from("endpoint", Some("vscode"), 400),
            from("endpoint", Some("notebook"), 300),
        ])
        .await
        .unwrap();
    // A whole past day comes from the rollups, today from the ledger: both carry the client.
    sqlx::query(
        "INSERT INTO usage (at, source, client, provider_id, provider, model, outcome, cost_nusd,
                            latency_ms)
         VALUES ('2026-03-01T12:00:00.000Z', 'endpoint', 'notebook', 'openai', 'OpenAI', 'a',
                 'answered', 1000, 10)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let d = store.spend_dashboard(&range()).await.unwrap();
    let by = |groups: &[switchyard_engine::store::spend::GroupSpend]| {
        groups
            .iter()
            .map(|g| (g.key.clone(), g.requests, g.spend_nusd))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        by(&d.sources),
        [
            ("endpoint".to_string(), 4, 2_100),
            ("cli".to_string(), 1, 200),
            ("app".to_string(), 1, 100)
        ]
    );
    assert_eq!(
        by(&d.clients),
        [
            ("notebook".to_string(), 2, 1_300),
            ("vscode".to_string(), 2, 800)
        ]
    );
    let filter = SpendFilter {
        range: range(),
        model: None,
        task: None,
        rule: None,
        outcome: None,
        source: Some("endpoint".into()),
        client: Some("vscode".into()),
        limit: 50,
    };
    let listed = store.spend_rows(&filter).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed
        .iter()
        .all(|r| r.source == "endpoint" && r.client.as_deref() == Some("vscode")));
    assert!(to_csv(&listed)
        .lines()
        .nth(1)
        .unwrap()
        .starts_with(&format!("{},endpoint,vscode,", listed[0].at)));
}

/// 4,000 calls over ten days at pseudo-random milliseconds: three models on two providers,
/// four tasks, three rules, one call in seven failed, one in eleven without a baseline.
const SCATTER: &str = "
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
INSERT INTO usage (at, provider_id, provider, model, task, rule, outcome, cost_nusd,
                   baseline_cost_nusd, latency_ms)
SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2026-03-01', '+' || ((i * 7919) % 864000) || ' seconds',
                '+' || (((i * 31) % 1000) / 1000.0) || ' seconds'),
       'p' || (i % 2), 'Provider ' || (i % 2), 'model-' || (i % 3),
       CASE WHEN i % 5 = 0 THEN NULL ELSE 'task-' || (i % 4) END, 'rule-' || (i % 3),
       CASE WHEN i % 7 = 0 THEN 'failed' WHEN i % 13 = 0 THEN 'stopped' ELSE 'answered' END,
       (i * 104729) % 50000, CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 104729) % 50000 * 3 END,
       (i * 7) % 3000
FROM n";

/// A time inside the scattered ten days (and a little beyond), to the millisecond.
fn instant(rng: &mut fastrand::Rng) -> String {
    iso_millis(1_772_323_200_000 + rng.i64(-86_400_000..950_400_000))
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` from milliseconds since 1970, for times around March 2026.
fn iso_millis(ms: i64) -> String {
    let (days, rest) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Days from 2026-03-01 (day 20,513) only move within March 2026 and its neighbours.
    let (y, m, d) = match days - 20_513 {
        n if n < 0 => (2026, 2, 28 + n + 1),
        n => (2026, 3, 1 + n),
    };
    format!(
        "{y}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1_000 % 60,
        rest % 1_000
    )
}

async fn ledger_groups(store: &Store, key: &str, r: &SpendRange) -> Vec<(String, i64, i64, i64)> {
    sqlx::query_as(&format!(
        "SELECT {key} AS k, SUM(outcome IN ('answered', 'partial', 'stopped')), SUM(cost_nusd),
                SUM(COALESCE(baseline_cost_nusd, cost_nusd))
         FROM usage WHERE at >= ?1 AND at < ?2 GROUP BY k ORDER BY k"
    ))
    .bind(&r.from)
    .bind(&r.to)
    .bind(format!("{:+} minutes", r.utc_offset_minutes))
    .fetch_all(store.pool())
    .await
    .unwrap()
}

fn sorted(
    groups: Vec<switchyard_engine::store::spend::GroupSpend>,
) -> Vec<(String, i64, i64, i64)> {
    let mut g: Vec<_> = groups
        .into_iter()
        .map(|g| (g.key, g.requests, g.spend_nusd, g.baseline_nusd))
        .collect();
    g.sort();
    g
}

/// Compares every grouped figure the store gives for `cases` random periods (to the
/// millisecond, at random time-zone offsets) with the same sums taken over the ledger itself.
async fn check_against_the_ledger(store: &Store, cases: u32, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    for case in 0..cases {
        let (a, b) = (instant(&mut rng), instant(&mut rng));
        let (from, to) = if a < b { (a, b) } else { (b, a) };
        let r = SpendRange {
            from,
            to,
            utc_offset_minutes: rng.i32(-48..=56) * 15,
            offset_changes: vec![],
        };
        let why = format!("case {case}: {r:?}");

        let totals = store.spend_totals(&r).await.unwrap();
        let (spend, requests, calls, baseline): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(cost_nusd), 0),
                    COALESCE(SUM(outcome IN ('answered', 'partial', 'stopped')), 0), COUNT(*),
                    COALESCE(SUM(COALESCE(baseline_cost_nusd, cost_nusd)), 0)
             FROM usage WHERE at >= ?1 AND at < ?2",
        )
        .bind(&r.from)
        .bind(&r.to)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(
            (
                totals.spend_nusd,
                totals.requests,
                totals.calls,
                totals.baseline_nusd
            ),
            (spend, requests, calls, baseline),
            "{why}"
        );

        for (by, key) in [
            (GroupBy::Model, "model"),
            (GroupBy::Task, "COALESCE(task, '')"),
            (GroupBy::Rule, "rule"),
            (GroupBy::Provider, "provider_id"),
            (GroupBy::Day, "strftime('%Y-%m-%d', at, ?3)"),
        ] {
            assert_eq!(
                sorted(store.spend_by(&r, by).await.unwrap()),
                ledger_groups(store, key, &r).await,
                "{why}, by {key}"
            );
        }

        let latency = store.latency_by_model(&r).await.unwrap();
        let counts: Vec<(String, i64)> = sqlx::query_as(
            "SELECT model, COUNT(*) FROM usage
             WHERE at >= ?1 AND at < ?2 AND outcome = 'answered' GROUP BY model ORDER BY model",
        )
        .bind(&r.from)
        .bind(&r.to)
        .fetch_all(store.pool())
        .await
        .unwrap();
        let got: Vec<(String, i64)> = latency.iter().map(|l| (l.model.clone(), l.calls)).collect();
        assert_eq!(got, counts, "{why}");
        assert!(latency.iter().all(|l| !l.approximate), "{why}");
    }
}

#[tokio::test]
async fn the_rollups_give_the_ledgers_own_figures_for_any_period() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    sqlx::query(SCATTER).execute(store.pool()).await.unwrap();
    check_against_the_ledger(&store, 60, 7).await;

    let odd = SpendRange {
        utc_offset_minutes: 7,
        ..range()
    };
    let refused = store.spend_by_day(&odd).await.unwrap_err();
    assert_eq!(refused.field(), Some("utc_offset_minutes"));
    let garbage = SpendRange {
        from: "last tuesday".into(),
        ..range()
    };
    assert_eq!(
        store.spend_totals(&garbage).await.unwrap_err().field(),
        Some("from")
    );
}

#[tokio::test]
async fn past_ten_thousand_calls_latency_comes_from_histograms_close_to_the_exact_figures() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    // 12,000 answered calls over five days, latencies 200 ms to 8 s in a skewed spread.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)
         INSERT INTO usage (at, provider_id, provider, model, outcome, latency_ms)
         SELECT strftime('%Y-%m-%dT%H:%M:%fZ', '2026-03-01', '+' || (i * 36) || ' seconds'),
                'p', 'P', 'model-' || (i % 2), 'answered',
                200 + ((i * 7919) % 1000) * ((i * 7919) % 1000) * 78 / 10000
         FROM n",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let r = SpendRange {
        from: "2026-03-01T05:30:00.000Z".into(),
        to: "2026-03-06".into(),
        utc_offset_minutes: 0,
        offset_changes: vec![],
    };
    let exact: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "WITH ranked AS (
            SELECT model, latency_ms,
                   ROW_NUMBER() OVER (PARTITION BY model ORDER BY latency_ms) AS n,
                   COUNT(*) OVER (PARTITION BY model) AS c
            FROM usage WHERE at >= ?1 AND at < ?2 AND outcome = 'answered')
         SELECT model, MAX(c), MIN(CASE WHEN n * 100 >= c * 50 THEN latency_ms END),
                MIN(CASE WHEN n * 100 >= c * 95 THEN latency_ms END)
         FROM ranked GROUP BY model ORDER BY model",
    )
    .bind(&r.from)
    .bind(&r.to)
    .fetch_all(store.pool())
    .await
    .unwrap();
    let latency = store.latency_by_model(&r).await.unwrap();
    assert_eq!(latency.len(), 2);
    for (l, (model, calls, p50, p95)) in latency.iter().zip(exact) {
        assert!(l.approximate);
        assert_eq!((&l.model, l.calls), (&model, calls));
        for (got, want) in [(l.p50_ms, p50), (l.p95_ms, p95)] {
            let error = (got - want).abs() as f64 / want as f64;
            assert!(error < 0.05, "{model}: {got} ms against {want} ms exactly");
        }
    }
}

#[tokio::test]
async fn upgrading_a_database_builds_the_rollups_from_its_ledger() {
    // A database as the release before the rollups left it: migrations 0001–0004 and a ledger.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("migrations");
    std::fs::create_dir(&old).unwrap();
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for entry in std::fs::read_dir(&here).unwrap() {
        let name = entry.unwrap().file_name();
        if name.to_string_lossy().as_ref() < "0005" {
            std::fs::copy(here.join(&name), old.join(&name)).unwrap();
        }
    }
    let db = dir.path().join("app.db");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&db)
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    sqlx::query(SCATTER).execute(&pool).await.unwrap();
    let rollups: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE name = 'usage_daily'")
            .fetch_optional(&pool)
            .await
            .unwrap();
    assert_eq!(rollups, None);
    pool.close().await;

    let store = Store::open(&db).await.unwrap();
    check_against_the_ledger(&store, 20, 11).await;

    // The upgrade's rollups are the ones the trigger builds call by call.
    let fresh = Store::open(&dir.path().join("fresh.db")).await.unwrap();
    sqlx::query(SCATTER).execute(fresh.pool()).await.unwrap();
    assert_eq!(rollups_of(&store).await, rollups_of(&fresh).await);
}

type DayModel = (i64, String, serde_json::Value, serde_json::Value);
type Daily = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
);

async fn rollups_of(store: &Store) -> (Vec<Daily>, Vec<DayModel>) {
    let daily: Vec<Daily> =
        sqlx::query_as("SELECT * FROM usage_daily ORDER BY 1, 2, 3, 4, 5, 6, 7")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT day, model, latency, slots FROM usage_day_model ORDER BY 1, 2")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let parse = |json: &str| serde_json::from_str::<serde_json::Value>(json).unwrap();
    let day_model = rows
        .into_iter()
        .map(|(day, model, latency, slots)| (day, model, parse(&latency), parse(&slots)))
        .collect();
    assert!(daily.len() > 100);
    (daily, day_model)
}

#[tokio::test]
async fn days_follow_the_users_clock_across_a_daylight_saving_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    // Berlin: UTC+1 until 2026-03-29 01:00 UTC, UTC+2 after. Each call is at 00:30 local time,
    // the first day of its date, so every date gets exactly one.
    for (at, cost) in [
        ("2026-03-27T23:30:00.000Z", 1),
        ("2026-03-28T23:30:00.000Z", 10),
        ("2026-03-29T22:30:00.000Z", 100),
        ("2026-03-30T22:30:00.000Z", 1_000),
    ] {
        sqlx::query(
            "INSERT INTO usage (at, provider_id, provider, model, outcome, cost_nusd)
             VALUES (?, 'p', 'P', 'm', 'answered', ?)",
        )
        .bind(at)
        .bind(cost)
        .execute(store.pool())
        .await
        .unwrap();
    }
    let berlin = SpendRange {
        from: "2026-03-26T23:00:00.000Z".into(),
        to: "2026-03-31T22:00:00.000Z".into(),
        utc_offset_minutes: 60,
        offset_changes: vec![OffsetChange {
            at_ms: 1_774_746_000_000, // 2026-03-29T01:00:00Z
            utc_offset_minutes: 120,
        }],
    };
    let days: Vec<(String, i64)> = store
        .spend_by_day(&berlin)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.day, d.spend_nusd))
        .collect();
    let want = [
        ("2026-03-28", 1),
        ("2026-03-29", 10),
        ("2026-03-30", 100),
        ("2026-03-31", 1_000),
    ];
    assert_eq!(days, want.map(|(d, c)| (d.to_string(), c)));

    // With one offset for the whole period, the calls after the change land a day early.
    let fixed = SpendRange {
        offset_changes: vec![],
        ..berlin
    };
    let early = store.spend_by_day(&fixed).await.unwrap();
    let day29 = early.iter().find(|d| d.day == "2026-03-29").unwrap();
    assert_eq!(day29.spend_nusd, 10 + 100);
}
