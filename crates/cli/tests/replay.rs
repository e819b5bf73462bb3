//! `switchyard replay`: a changed rule file moves the requests it decides, `--json` carries the
//! whole report, the saved rules move nothing, and a bad rule file or date is refused clearly.
use std::path::Path;

use switchyard_engine::router::{
    default_catalog, to_toml, Action, ChainAction, Condition, Cost, Rule, RuleSet, Usage,
};
use switchyard_engine::store::ledger::LedgerRow;
use switchyard_engine::store::messages::{MessageStatus, Role};
use switchyard_engine::store::rules::RoutingConfig;
use switchyard_engine::store::Store;

mod common;
use common::{switchyard, text};

fn rules(poet: &str) -> RuleSet {
    let chain = |models: &[&str]| {
        Action::Chain(ChainAction {
            models: models.iter().map(|m| m.to_string()).collect(),
            prefer_cost: false,
        })
    };
    RuleSet::with_rules(vec![
        Rule {
            name: "poems".into(),
            enabled: true,
            when: vec![Condition::Keywords(vec!["poem".into()])],
            then: chain(&[poet]),
        },
        Rule {
            name: "default".into(),
            enabled: true,
            when: vec![],
            then: chain(&["gpt-4o-mini"]),
        },
    ])
}

fn price(model: &str, input: u32, output: u32) -> i64 {
    let usage = Usage {
        input_tokens: input,
        output_tokens: output,
        ..Usage::default()
    };
    Cost::of(default_catalog().find(model).unwrap(), &usage)
        .total
        .0 as i64
}

/// Saved rules (poems to gpt-4o) and two requests made under them, one poem and one not.
fn seed(db: &Path) -> String {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::open(db).await.unwrap();
        let config = RoutingConfig {
            rules: rules("gpt-4o"),
            catalog: default_catalog(),
        };
        store.save_routing(&config, "test").await.unwrap();
        let c = store.create_conversation("A poem", "auto").await.unwrap();
        for (prompt, model, rule) in [
            ("Write a poem about rain", "gpt-4o", "poems"),
            ("And what is 2 + 2?", "gpt-4o-mini", "default"),
        ] {
            store
                .insert_message(
                    &c.id,
                    Role::User,
                    prompt,
                    MessageStatus::Complete,
                    Some("auto"),
                )
                .await
                .unwrap();
            let a = store
                .insert_message(
                    &c.id,
                    Role::Assistant,
                    "Sure.",
                    MessageStatus::Complete,
                    None,
                )
                .await
                .unwrap();
            let row = LedgerRow {
                source: "cli".into(),
                conversation_id: Some(c.id.clone()),
                message_id: Some(a.id),
                provider_id: "p".into(),
                provider: "P".into(),
                model: model.into(),
                task: Some("writing".into()),
                rule: Some(rule.into()),
                attempt: 1,
                outcome: "answered".into(),
                input_tokens: 1_000,
                output_tokens: 500,
                cost_nusd: price(model, 1_000, 500) as u64,
                ..LedgerRow::default()
            };
            store.record_usage(&[row]).await.unwrap();
        }
        store.close().await;
        c.id
    })
}

#[test]
fn a_rule_file_replays_the_ledger_as_json_and_as_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    let conversation = seed(&db);
    let file = dir.path().join("draft.toml");
    std::fs::write(
        &file,
        to_toml(&rules("claude-sonnet-4"), &default_catalog()).unwrap(),
    )
    .unwrap();

    let out = switchyard(
        &db,
        &["replay", "--json", "--rules", file.to_str().unwrap()],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["requests"], 2);
    assert_eq!(report["replayed"], 2);
    assert_eq!(report["moved"], 1);
    let m = &report["moves"][0];
    assert_eq!(m["from"], "gpt-4o");
    assert_eq!(m["to"], "claude-sonnet-4");
    assert_eq!(m["rule"], "poems");
    assert_eq!(m["count"], 1);
    let moved = &m["requests"][0];
    assert_eq!(moved["conversation_id"], conversation.as_str());
    assert_eq!(moved["before"]["model"], "gpt-4o");
    assert_eq!(moved["after"]["model"], "claude-sonnet-4");
    assert_eq!(moved["basis"], "repriced");
    let difference = price("claude-sonnet-4", 1_000, 500) - price("gpt-4o", 1_000, 500);
    assert_eq!(
        report["estimated_nusd"].as_i64().unwrap() - report["paid_nusd"].as_i64().unwrap(),
        difference
    );

    let table = switchyard(&db, &["replay", "--rules", file.to_str().unwrap()], None);
    assert!(table.status.success(), "{}", text(&table));
    let shown = String::from_utf8_lossy(&table.stdout);
    assert!(shown.contains("gpt-4o -> claude-sonnet-4"), "{shown}");
    assert!(shown.contains("Replayed 2 of 2 requests"), "{shown}");

    // The saved rules are the ones the requests were made under: nothing moves.
    let saved = switchyard(&db, &["replay", "--json"], None);
    assert!(saved.status.success(), "{}", text(&saved));
    let report: serde_json::Value = serde_json::from_slice(&saved.stdout).unwrap();
    assert_eq!(report["moved"], 0);
    assert_eq!(report["paid_nusd"], report["estimated_nusd"]);

    // A period before the requests holds none.
    let out = switchyard(
        &db,
        &[
            "replay",
            "--json",
            "--since",
            "2001-01-01",
            "--until",
            "2001-12-31",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["requests"], 0);
}

#[test]
fn a_bad_rule_file_or_date_is_refused_with_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    seed(&db);
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[rules]]\nname = \"x\"\nthen = { chain = { models = [\"no-such-model\"] } }\n",
    )
    .unwrap();
    let out = switchyard(&db, &["replay", "--rules", bad.to_str().unwrap()], None);
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("bad.toml"), "{said}");
    assert!(out.stdout.is_empty(), "nothing printed as a report: {said}");

    let out = switchyard(&db, &["replay", "--since", "last week"], None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("--since takes a date as YYYY-MM-DD"),
        "{}",
        text(&out)
    );

    let missing = dir.path().join("missing.db");
    let out = switchyard(&missing, &["replay"], None);
    assert!(!out.status.success());
    assert!(!missing.exists(), "replay creates no database");
}
