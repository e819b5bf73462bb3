use switchyard_router::{
    decide, default_catalog, Action, ChainAction, Condition, Cost, Request, Rule, RuleSet, Usage,
};

use super::*;
use crate::store::ledger::LedgerRow;
use crate::store::messages::{MessageStatus, Role};

fn chain(models: &[&str]) -> Action {
    Action::Chain(ChainAction {
        models: models.iter().map(|m| m.to_string()).collect(),
        prefer_cost: false,
    })
}

/// Poems to `poet`, everything else to gpt-4o-mini.
fn rules(poet: &str) -> CompiledRules {
    let set = RuleSet::with_rules(vec![
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
    ]);
    CompiledRules::new(set).unwrap()
}

fn all_time() -> SpendRange {
    SpendRange {
        from: "2000-01-01T00:00:00.000Z".into(),
        to: "2100-01-01T00:00:00.000Z".into(),
        utc_offset_minutes: 0,
        offset_changes: vec![],
    }
}

fn call(model: &str, rule: &str, outcome: &str, input: u32, output: u32) -> LedgerRow {
    let usage = Usage {
        input_tokens: input,
        output_tokens: output,
        ..Usage::default()
    };
    let price = default_catalog()
        .find(model)
        .map_or(0, |m| Cost::of(m, &usage).total.0);
    LedgerRow {
        source: "app".into(),
        provider_id: "p".into(),
        provider: "P".into(),
        model: model.into(),
        task: Some("writing".into()),
        rule: Some(rule.into()),
        outcome: outcome.into(),
        input_tokens: input,
        output_tokens: output,
        cost_nusd: price,
        attempt: 1,
        ..LedgerRow::default()
    }
}

/// A conversation with one exchange per `(prompt, calls)`: the user's message, the assistant's,
/// and the ledger rows of its calls. Returns the conversation's id.
async fn chat(store: &Store, turns: &[(&str, Vec<LedgerRow>)]) -> String {
    let c = store.create_conversation(turns[0].0, "auto").await.unwrap();
    for (prompt, calls) in turns {
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
                "An answer.",
                MessageStatus::Complete,
                Some("auto"),
            )
            .await
            .unwrap();
        let rows: Vec<LedgerRow> = calls
            .iter()
            .map(|r| LedgerRow {
                conversation_id: Some(c.id.clone()),
                message_id: Some(a.id),
                ..r.clone()
            })
            .collect();
        store.record_usage(&rows).await.unwrap();
    }
    c.id
}

fn cost(model: &str, input: u32, output: u32) -> i64 {
    let usage = Usage {
        input_tokens: input,
        output_tokens: output,
        ..Usage::default()
    };
    Cost::of(default_catalog().find(model).unwrap(), &usage)
        .total
        .0 as i64
}

#[tokio::test]
async fn a_changed_rule_moves_the_requests_it_decides_and_reprices_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    let catalog = default_catalog();
    let rain = chat(
        &store,
        &[
            (
                "Write a poem about rain",
                vec![call("gpt-4o", "poems", "answered", 1_000, 2_000)],
            ),
            (
                "Thanks! What is 2 + 2?",
                vec![call("gpt-4o-mini", "default", "answered", 1_200, 10)],
            ),
        ],
    )
    .await;
    // The first model failed; the fallback answered.
    let sea = chat(
        &store,
        &[(
            "Write a poem about the sea",
            vec![
                call("gpt-4o", "poems", "failed", 0, 0),
                LedgerRow {
                    hop: 1,
                    ..call("gpt-4o-mini", "poems", "answered", 500, 300)
                },
            ],
        )],
    )
    .await;
    // The user chose gpt-4o for this conversation: the rules do not route it.
    chat(
        &store,
        &[(
            "A poem, please",
            vec![call(
                "gpt-4o",
                crate::send::CHOSEN_BY_YOU,
                "answered",
                100,
                100,
            )],
        )],
    )
    .await;
    // Every call failed: no tokens to reprice.
    chat(
        &store,
        &[(
            "Write a poem about snow",
            vec![call("gpt-4o", "poems", "failed", 0, 0)],
        )],
    )
    .await;
    // A conversation since deleted, and two endpoint requests (their prompts never saved).
    let gone = chat(
        &store,
        &[(
            "An old poem",
            vec![call("gpt-4o", "poems", "answered", 10, 10)],
        )],
    )
    .await;
    store.delete_conversation(&gone).await.unwrap();
    let endpoint = LedgerRow {
        source: "endpoint".into(),
        ..call("gpt-4o", "poems", "answered", 40, 40)
    };
    let retried = LedgerRow {
        attempt: 2,
        ..endpoint.clone()
    };
    store
        .record_usage(&[endpoint.clone(), retried, endpoint])
        .await
        .unwrap();

    let range = all_time();
    let options = ReplayOptions::default();
    let same = replay(&store, &rules("gpt-4o"), &catalog, &range, &options)
        .await
        .unwrap();
    assert_eq!(same.requests, 8);
    assert_eq!(same.replayed, 5);
    assert_eq!(same.moved, 0, "{:?}", same.moves);
    assert_eq!(same.paid_nusd, same.estimated_nusd);

    let report = replay(
        &store,
        &rules("claude-sonnet-4"),
        &catalog,
        &range,
        &options,
    )
    .await
    .unwrap();
    assert_eq!((report.requests, report.replayed, report.moved), (8, 5, 3));
    assert_eq!(report.chosen_by_user, 1);
    let skipped: Vec<(&str, Unreplayable, u64, i64)> = report
        .not_replayed
        .iter()
        .map(|n| (n.source.as_str(), n.reason, n.requests, n.paid_nusd))
        .collect();
    assert_eq!(
        skipped,
        [
            ("app", Unreplayable::Deleted, 1, cost("gpt-4o", 10, 10)),
            (
                "endpoint",
                Unreplayable::NotStored,
                2,
                3 * cost("gpt-4o", 40, 40)
            ),
        ]
    );

    let poem_task = decide(
        &Request::from_prompt("Write a poem about rain"),
        &rules("x"),
        &catalog,
    )
    .map(|d| d.task.as_str().to_string())
    .unwrap_or_default();
    assert_eq!(report.moves.len(), 1, "{:?}", report.moves);
    let m = &report.moves[0];
    assert_eq!(
        (m.from.as_str(), m.to.as_str(), m.rule.as_str()),
        ("gpt-4o", "claude-sonnet-4", "poems")
    );
    assert_eq!(m.task, poem_task);
    assert_eq!(m.count, 3);
    let rain_estimate = cost("claude-sonnet-4", 1_000, 2_000);
    let sea_estimate = cost("claude-sonnet-4", 500, 300);
    let sea_paid = cost("gpt-4o-mini", 500, 300);
    assert_eq!(m.estimated_nusd, rain_estimate + sea_estimate);
    assert_eq!(m.paid_nusd, cost("gpt-4o", 1_000, 2_000) + sea_paid);
    // Newest first, each with both decisions and its conversation.
    let listed: Vec<(&str, Basis)> = m
        .requests
        .iter()
        .map(|r| (r.conversation_id.as_str(), r.basis))
        .collect();
    assert_eq!(listed[1], (sea.as_str(), Basis::Repriced));
    assert_eq!(listed[2], (rain.as_str(), Basis::Repriced));
    assert_eq!(listed[0].1, Basis::NoTokens);
    let first = &m.requests[2];
    assert_eq!(first.before.model, "gpt-4o");
    assert_eq!(first.before.rule, "poems");
    assert_eq!(first.after.model, "claude-sonnet-4");
    assert_eq!(first.conversation_title, "Write a poem about rain");
    assert_eq!(
        (
            report.basis.as_paid,
            report.basis.repriced,
            report.basis.no_tokens
        ),
        (2, 2, 1)
    );

    // The difference per task is the moved requests' repricing, nothing else.
    let task = report.tasks.iter().find(|t| t.task == poem_task).unwrap();
    assert_eq!(task.moved, 3);
    assert_eq!(
        task.difference_nusd,
        rain_estimate + sea_estimate - cost("gpt-4o", 1_000, 2_000) - sea_paid
    );
    assert_eq!(
        report.estimated_nusd - report.paid_nusd,
        report.tasks.iter().map(|t| t.difference_nusd).sum::<i64>()
    );
    let poems = report.rules.iter().find(|r| r.rule == "poems").unwrap();
    assert_eq!((poems.requests, poems.moved), (3, 3));

    // Listing is capped when asked; counts are not.
    let capped = ReplayOptions {
        requests_per_move: Some(1),
        ..ReplayOptions::default()
    };
    let capped = replay(&store, &rules("claude-sonnet-4"), &catalog, &range, &capped)
        .await
        .unwrap();
    assert_eq!(capped.moves[0].requests.len(), 1);
    assert_eq!(capped.moves[0].count, 3);
}

#[tokio::test]
async fn history_and_system_prompt_are_replayed_as_sent_and_periods_bound_the_requests() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    let catalog = default_catalog();
    // The second turn's own text has no keyword; only a rule on the conversation's length
    // tells it apart, which needs the history rebuilt.
    let c = chat(
        &store,
        &[
            (
                "Hello",
                vec![call("gpt-4o-mini", "default", "answered", 10, 10)],
            ),
            (
                "Go on",
                vec![call("gpt-4o-mini", "default", "answered", 10, 10)],
            ),
        ],
    )
    .await;
    store
        .set_conversation_system_prompt(&c, Some("Be brief."))
        .await
        .unwrap();
    let mut set = rules("gpt-4o").rule_set().clone();
    set.rules.insert(
        0,
        Rule {
            name: "long".into(),
            enabled: true,
            // system + user + assistant + user
            when: vec![Condition::Messages(switchyard_router::Range {
                min: Some(4),
                max: None,
            })],
            then: chain(&["gpt-4o"]),
        },
    );
    let rules = CompiledRules::new(set).unwrap();
    let report = replay(
        &store,
        &rules,
        &catalog,
        &all_time(),
        &ReplayOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(report.moved, 1, "{:?}", report.moves);
    assert_eq!(report.moves[0].rule, "long");
    assert_eq!(report.moves[0].requests[0].before.model, "gpt-4o-mini");

    // A model that cannot be called now is skipped as a send would skip it.
    let options = ReplayOptions {
        unavailable: [("gpt-4o".to_string(), "no key".to_string())].into(),
        ..ReplayOptions::default()
    };
    let report = replay(&store, &rules, &catalog, &all_time(), &options)
        .await
        .unwrap();
    assert_ne!(report.moves.first().map(|m| m.to.as_str()), Some("gpt-4o"));

    let before = SpendRange {
        to: "2001-01-01T00:00:00.000Z".into(),
        ..all_time()
    };
    let empty = replay(&store, &rules, &catalog, &before, &ReplayOptions::default())
        .await
        .unwrap();
    assert_eq!(
        (empty.requests, empty.replayed, empty.moves.len()),
        (0, 0, 0)
    );
}

#[tokio::test]
async fn a_catalog_with_no_enabled_model_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    let mut catalog = default_catalog();
    for m in &mut catalog.models {
        m.enabled = false;
    }
    let e = replay(
        &store,
        &rules("gpt-4o"),
        &catalog,
        &all_time(),
        &ReplayOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("Enable a model"), "{e}");
}

#[tokio::test]
async fn a_request_is_rebuilt_with_the_size_the_send_path_gave_the_router() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("app.db")).await.unwrap();
    let c = store.create_conversation("Sizes", "auto").await.unwrap();
    store
        .set_conversation_system_prompt(&c.id, Some("Answer in English."))
        .await
        .unwrap();
    // Replies of every kind: plain ASCII (read by length only), non-ASCII, blank, failed.
    let replies = [
        (
            "Tell me about tea",
            "Tea is brewed from leaves. ".repeat(40),
            MessageStatus::Complete,
        ),
        (
            "And in Russian?",
            "Чай заваривают из листьев — ".repeat(20),
            MessageStatus::Complete,
        ),
        ("Once more", " \n\t ".to_string(), MessageStatus::Complete),
        ("Again", "half a reply".to_string(), MessageStatus::Failed),
    ];
    for (prompt, reply, status) in &replies {
        store
            .insert_message(&c.id, Role::User, prompt, MessageStatus::Complete, None)
            .await
            .unwrap();
        store
            .insert_message(&c.id, Role::Assistant, reply, *status, None)
            .await
            .unwrap();
    }
    store
        .insert_message(
            &c.id,
            Role::User,
            "Thanks, and coffee?",
            MessageStatus::Complete,
            None,
        )
        .await
        .unwrap();
    let last = store
        .insert_message(&c.id, Role::Assistant, "", MessageStatus::Complete, None)
        .await
        .unwrap();
    let row = LedgerRow {
        conversation_id: Some(c.id.clone()),
        message_id: Some(last.id),
        ..call("gpt-4o-mini", "default", "answered", 10, 10)
    };
    store.record_usage(&[row]).await.unwrap();

    // What the send path gave the router for the last message.
    let saved = store.messages(&c.id).await.unwrap();
    let mut messages =
        crate::chat::history::to_messages(&saved[..saved.len() - 1], &Default::default());
    messages.insert(
        0,
        switchyard_router::Message::text("system", "Answer in English."),
    );
    let sent = Request {
        messages,
        ..Request::default()
    };
    let (tokens, count) = (sent.approx_prompt_tokens(), sent.messages.len() as u32);
    let exactly = |n: u32| switchyard_router::Range {
        min: Some(n),
        max: Some(n),
    };
    let mut set = rules("gpt-4o").rule_set().clone();
    set.rules.insert(
        0,
        Rule {
            name: "this size".into(),
            enabled: true,
            when: vec![
                Condition::PromptTokens(exactly(tokens)),
                Condition::Messages(exactly(count)),
            ],
            then: chain(&["claude-haiku"]),
        },
    );
    let report = replay(
        &store,
        &CompiledRules::new(set).unwrap(),
        &default_catalog(),
        &all_time(),
        &ReplayOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(
        report.moved, 1,
        "{:?} (sent {tokens} tokens in {count} messages)",
        report.rules
    );
    assert_eq!(report.moves[0].rule, "this size");
}
