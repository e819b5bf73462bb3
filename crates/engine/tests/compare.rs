//! Compare, thumbs, "regenerate with…" and suggestions end to end below the UI: a real SQLite
//! file, the real keychain, HTTP to the fake provider.
mod support;

use std::sync::{Arc, Mutex};
use support::harness::{harness, request, Harness};
use support::keyring_or_skip;

use switchyard_engine::send::compare::{CompareEvent, ComparePick, CompareRequest};
use switchyard_engine::send::{ChatEvent, SendMode, SendOptions, SendRequest, Source};
use switchyard_engine::store::messages::ChatMessage;
use switchyard_engine::store::messages::{MessageStatus, Role, Thumb, Verdict};
use switchyard_engine::store::votes::{NewVote, VoteKind};
use switchyard_engine::store::Store;
use switchyard_fake_provider::Fault;
use switchyard_router::Action;
use tokio_util::sync::CancellationToken;

/// A callable catalog model other than `not`, and the name the provider knows it by.
async fn other_model(store: &Store, not: &str) -> (String, String) {
    let (_, catalog) = store.routing().await.unwrap();
    let m = catalog
        .enabled()
        .find(|m| m.id != not && ["openai", "anthropic", "gemini"].contains(&m.provider.as_str()))
        .unwrap();
    (m.id.clone(), m.api_name().to_string())
}

async fn compare(
    h: &Harness,
    send: SendRequest,
    models: Vec<String>,
) -> (Vec<ChatMessage>, Vec<CompareEvent>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let results = h
        .chat
        .engine
        .compare(
            CompareRequest { send, models },
            SendOptions::from(Source::App),
            move |e| seen.lock().unwrap().push(e),
            CancellationToken::new(),
        )
        .await
        .unwrap();
    let messages = results.into_iter().map(|r| r.unwrap().message).collect();
    let events = std::mem::take(&mut *events.lock().unwrap());
    (messages, events)
}

#[tokio::test]
async fn a_compare_answers_in_columns_with_a_ledger_row_each_and_continues_with_the_pick() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let store = &h.chat.settings().store;
    let prompt = "Write a short poem about freight trains";
    // Which model auto picks, so the compared one differs and answers differently.
    let routed = store
        .messages(
            &h.chat
                .send(request(None, prompt), |_| {})
                .await
                .unwrap()
                .conversation_id,
        )
        .await
        .unwrap()[1]
        .model
        .clone()
        .unwrap();
    let (other, other_api) = other_model(store, &routed).await;
    h.server.set_fault(Fault {
        model: other_api,
        reply: Some("Answer from the other model".into()),
        ..Fault::default()
    });

    let (answers, events) = compare(&h, request(None, prompt), vec![other.clone()]).await;
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0].model.as_deref(), Some(routed.as_str()));
    assert_eq!(answers[0].content, format!("Echo: {prompt}"));
    assert_eq!(answers[1].model.as_deref(), Some(other.as_str()));
    assert_eq!(answers[1].content, "Answer from the other model");
    // Both columns streamed their own text and ended.
    for column in 0..2u32 {
        let text: String = events
            .iter()
            .filter(|e| e.column == column)
            .filter_map(|e| match &e.event {
                ChatEvent::Text { delta } => Some(delta.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(text, answers[column as usize].content);
        assert!(events
            .iter()
            .any(|e| e.column == column && matches!(e.event, ChatEvent::Done { .. })));
    }
    // One ledger row per model, each priced.
    for a in &answers {
        let rows = store.usage_for_message(a.id).await.unwrap();
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(rows[0].0, *a.model.as_ref().unwrap());
        assert_eq!(rows[0].1, "answered");
    }
    // One user message, two answers marked as compared; until a pick, the routed one continues.
    let conversation = answers[0].conversation_id.clone();
    let saved = store.messages(&conversation).await.unwrap();
    assert_eq!(saved.len(), 3);
    let user = &saved[0];
    assert_eq!(user.role, Role::User);
    assert_eq!(saved[1].compare_of, Some(user.id));
    assert_eq!(saved[2].compare_of, Some(user.id));
    assert!(!saved[1].alternative && saved[2].alternative);
    assert!(saved.iter().all(|m| m.verdict.is_none()), "no pick yet");

    // Pick the other model's answer: it continues, the routed one becomes the alternative.
    let picked = h
        .chat
        .engine
        .pick_compared(&ComparePick {
            compare_of: user.id,
            chosen: Some(answers[1].id),
        })
        .await
        .unwrap();
    assert!(picked[0].alternative && !picked[1].alternative);
    assert!(picked.iter().all(|m| m.verdict == Some(Verdict::Picked)));
    let quality = h
        .chat
        .engine
        .quality("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z")
        .await
        .unwrap();
    assert_eq!(quality.matchups.len(), 1);
    let m = &quality.matchups[0];
    assert_eq!(
        (m.model.as_str(), m.other_model.as_str()),
        (routed.as_str(), other.as_str())
    );
    assert_eq!((m.wins, m.ties, m.losses), (0, 0, 1));

    // The next turn sends only the chosen answer upstream.
    h.server.clear_requests();
    h.server.clear_faults();
    h.chat
        .send(request(Some(&conversation), "And one about ships"), |_| {})
        .await
        .unwrap();
    let sent = h.server.chat_requests();
    assert_eq!(sent.len(), 1);
    let body = sent[0].body.to_string();
    assert!(body.contains("Answer from the other model"), "{body}");
    assert!(!body.contains(&format!("Echo: {prompt}")), "{body}");

    // Picking again ("about the same") replaces the earlier pick: the routed answer continues.
    let again = h
        .chat
        .engine
        .pick_compared(&ComparePick {
            compare_of: user.id,
            chosen: None,
        })
        .await
        .unwrap();
    assert!(!again[0].alternative && again[1].alternative);
    assert_eq!(again[0].verdict, Some(Verdict::Tie));
    let quality = h
        .chat
        .engine
        .quality("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z")
        .await
        .unwrap();
    let m = &quality.matchups[0];
    assert_eq!((m.wins, m.ties, m.losses), (0, 1, 0));
}

#[tokio::test]
async fn a_compare_refuses_bad_model_lists_before_sending_anything() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let store = &h.chat.settings().store;
    let (a, _) = other_model(store, "").await;
    for (models, says) in [
        (vec![], "Pick one to 3"),
        (
            vec!["no-such-model".to_string()],
            "not in the model catalog",
        ),
        (vec![a.clone(), a.clone()], "picked twice"),
        (vec![a.clone(); 4], "Pick one to 3"),
    ] {
        let err = h
            .chat
            .engine
            .compare(
                CompareRequest {
                    send: request(None, "Hello"),
                    models,
                },
                SendOptions::from(Source::App),
                |_| {},
                CancellationToken::new(),
            )
            .await
            .err()
            .unwrap();
        assert!(err.to_string().contains(says), "{err}");
    }
    assert!(store.list_conversations().await.unwrap().is_empty());
    assert!(h.server.chat_requests().is_empty());
}

#[tokio::test]
async fn stopping_a_compare_stops_every_column_and_keeps_what_arrived() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let store = &h.chat.settings().store;
    let words: Vec<String> = (0..300).map(|i| format!("w{i}")).collect();
    h.server.set_fault(Fault {
        model: "*".into(),
        reply: Some(words.join(" ")),
        chunk_delay_ms: 20,
        ..Fault::default()
    });
    let (other, _) = other_model(store, "").await;
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let texts = Arc::new(Mutex::new([0usize; 2]));
    let seen = texts.clone();
    let results = h
        .chat
        .engine
        .compare(
            CompareRequest {
                send: request(None, "Count slowly"),
                models: vec![other],
            },
            SendOptions::from(Source::App),
            move |e| {
                if let ChatEvent::Text { .. } = e.event {
                    let mut t = seen.lock().unwrap();
                    t[e.column as usize] += 1;
                    if t[0] >= 3 && t[1] >= 3 {
                        stop.cancel();
                    }
                }
            },
            cancel,
        )
        .await
        .unwrap();
    for r in results {
        let m = r.unwrap().message;
        assert_eq!(m.status, MessageStatus::Stopped, "{m:?}");
        assert!(m.content.starts_with("w0 w1"), "{}", m.content);
        assert!(!m.content.contains("w299"));
        assert_eq!(store.usage_for_message(m.id).await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn thumbs_toggle_one_vote_per_reply_and_count_per_model() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let engine = &h.chat.engine;
    let reply = h
        .chat
        .send(request(None, "Hello there"), |_| {})
        .await
        .unwrap();
    let up = engine.thumb(reply.id, Thumb::Up).await.unwrap();
    assert_eq!(up.thumb, Some(Thumb::Up));
    let down = engine.thumb(reply.id, Thumb::Down).await.unwrap();
    assert_eq!(down.thumb, Some(Thumb::Down));
    let q = engine.quality("2000-01-01", "2100-01-01").await.unwrap();
    assert_eq!(
        (q.thumbs[0].up, q.thumbs[0].down),
        (0, 1),
        "one vote per reply"
    );
    assert_eq!(q.thumbs[0].up_percent, Some(0));
    let cleared = engine.thumb(reply.id, Thumb::Down).await.unwrap();
    assert_eq!(cleared.thumb, None, "the same thumb again takes it back");
    assert!(engine
        .quality("2000-01-01", "2100-01-01")
        .await
        .unwrap()
        .thumbs
        .is_empty());
    engine.thumb(reply.id, Thumb::Up).await.unwrap();
    let q = engine.quality("2000-01-01", "2100-01-01").await.unwrap();
    assert_eq!(
        (q.thumbs[0].model.as_str(), q.thumbs[0].up),
        (reply.model.as_deref().unwrap(), 1)
    );
    // The user's own message cannot be rated.
    let user = h
        .chat
        .settings()
        .store
        .messages(&reply.conversation_id)
        .await
        .unwrap()[0]
        .id;
    assert!(engine.thumb(user, Thumb::Up).await.is_err());
}

#[tokio::test]
async fn regenerating_with_another_model_is_a_signal_against_the_first() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let store = &h.chat.settings().store;
    let first = h
        .chat
        .send(request(None, "Hello there"), |_| {})
        .await
        .unwrap();
    let first_model = first.model.clone().unwrap();
    let (other, _) = other_model(store, &first_model).await;
    let again = |model: &str| SendRequest {
        model: model.into(),
        mode: SendMode::Regenerate,
        model_once: true,
        ..request(Some(&first.conversation_id), "")
    };
    // The same model again says nothing about it.
    h.chat.send(again(&first_model), |_| {}).await.unwrap();
    let q = h
        .chat
        .engine
        .quality("2000-01-01", "2100-01-01")
        .await
        .unwrap();
    assert!(q.matchups.is_empty());
    let second = h.chat.send(again(&other), |_| {}).await.unwrap();
    assert_eq!(second.model.as_deref(), Some(other.as_str()));
    let q = h
        .chat
        .engine
        .quality("2000-01-01", "2100-01-01")
        .await
        .unwrap();
    assert_eq!(q.matchups.len(), 1);
    let m = &q.matchups[0];
    assert_eq!(
        (m.model.as_str(), m.other_model.as_str()),
        (first_model.as_str(), other.as_str())
    );
    assert_eq!((m.regenerations, m.comparisons()), (1, 0));
}

/// Compare votes on the `complex code` rule, `model` against `other`, one compare each from `start`.
async fn votes(store: &Store, model: &str, other: &str, start: i64, results: &[&str]) {
    for (i, result) in results.iter().enumerate() {
        store
            .record_votes(&[NewVote {
                kind: VoteKind::Compare,
                conversation_id: None,
                message_id: None,
                compare_of: Some(start + i as i64),
                task: "code",
                rule: Some("complex code"),
                model,
                other_model: Some(other),
                result,
            }])
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_suggestion_appears_at_its_threshold_and_accepting_saves_a_version() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let engine = &h.chat.engine;
    let store = &h.chat.settings().store;
    let config = store.saved_routing().await.unwrap().config;
    let code = config
        .rules
        .rules
        .iter()
        .find(|r| r.name == "complex code")
        .unwrap();
    let Action::Chain(chain) = &code.then else {
        panic!("the bundled code rule is a chain")
    };
    let first = chain.models[0].clone();
    let price = |id: &str| {
        let m = config.catalog.find(id).unwrap();
        m.input.0 + m.output.0
    };
    let cheaper = config
        .catalog
        .enabled()
        .filter(|m| price(&m.id) < price(&first))
        .min_by_key(|m| price(&m.id))
        .unwrap()
        .id
        .clone();
    let (from, to) = ("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z");
    // Four comparisons, all held by the cheaper model: one short of the default minimum.
    votes(store, &first, &cheaper, 0, &["tie", "loss", "tie", "loss"]).await;
    assert!(engine.suggestions(from, to).await.unwrap().is_empty());
    // The fifth: 5 of 5.
    votes(store, &first, &cheaper, 4, &["win"]).await;
    let found = engine.suggestions(from, to).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let s = &found[0];
    assert_eq!(
        (s.rule.as_str(), s.to_model.as_str()),
        ("complex code", cheaper.as_str())
    );
    assert_eq!(s.after[0], cheaper);
    assert_eq!(s.before, chain.models);

    // Raising the minimum hides it; the defaults bring it back.
    let mut t = engine.thresholds().await.unwrap();
    assert_eq!(
        (t.min_comparisons, t.cheaper_share, t.loss_share),
        (5, 70, 60)
    );
    t.min_comparisons = 6;
    engine.set_thresholds(&t).await.unwrap();
    assert!(engine.suggestions(from, to).await.unwrap().is_empty());
    t.min_comparisons = 0;
    assert!(engine.set_thresholds(&t).await.is_err());
    t.min_comparisons = 5;
    engine.set_thresholds(&t).await.unwrap();

    let versions = store.rule_versions().await.unwrap().len();
    let version = engine.accept_suggestion(&s.key, from, to).await.unwrap();
    assert_eq!(store.rule_versions().await.unwrap().len(), versions + 1);
    assert!(
        version.note.contains("Suggested from your votes"),
        "{}",
        version.note
    );
    let saved = store.saved_routing().await.unwrap().config;
    let Action::Chain(now) = &saved
        .rules
        .rules
        .iter()
        .find(|r| r.name == "complex code")
        .unwrap()
        .then
    else {
        panic!()
    };
    assert_eq!(now.models[0], cheaper);
    // Nothing is offered twice.
    assert!(engine.suggestions(from, to).await.unwrap().is_empty());
    assert!(engine.accept_suggestion(&s.key, from, to).await.is_err());
    let answered = store.answered_suggestions().await.unwrap();
    assert_eq!(answered.len(), 1);
    assert_eq!(
        (answered[0].state.as_str(), answered[0].version_id),
        ("accepted", Some(version.id))
    );

    // The export carries the votes and the answered suggestion.
    let export: serde_json::Value =
        serde_json::from_str(&store.export_everything("1.0.0").await.unwrap()).unwrap();
    assert_eq!(export["tables"]["votes"].as_array().unwrap().len(), 5);
    assert_eq!(export["tables"]["suggestions"][0]["state"], "accepted");
}

#[tokio::test]
async fn a_losing_model_gets_a_stronger_suggestion_and_a_dismissal_is_remembered() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let engine = &h.chat.engine;
    let store = &h.chat.settings().store;
    let config = store.saved_routing().await.unwrap().config;
    let code = config
        .rules
        .rules
        .iter()
        .find(|r| r.name == "complex code")
        .unwrap();
    let Action::Chain(chain) = &code.then else {
        panic!()
    };
    let first = chain.models[0].clone();
    let price = |id: &str| {
        let m = config.catalog.find(id).unwrap();
        m.input.0 + m.output.0
    };
    let stronger = config
        .catalog
        .enabled()
        .filter(|m| price(&m.id) > price(&first))
        .max_by_key(|m| price(&m.id))
        .unwrap()
        .id
        .clone();
    let (from, to) = ("2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z");
    // 2 of 5 lost: below 60%.
    votes(
        store,
        &first,
        &stronger,
        0,
        &["loss", "loss", "win", "win", "tie"],
    )
    .await;
    assert!(engine.suggestions(from, to).await.unwrap().is_empty());
    // 3 of 5 lost: picking again on the same compares replaces their votes.
    votes(
        store,
        &first,
        &stronger,
        0,
        &["loss", "loss", "loss", "win", "tie"],
    )
    .await;
    let found = engine.suggestions(from, to).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].to_model, stronger);
    assert_eq!(
        serde_json::to_value(found[0].direction).unwrap(),
        serde_json::json!("stronger")
    );
    engine
        .dismiss_suggestion(&found[0].key, from, to)
        .await
        .unwrap();
    assert!(engine.suggestions(from, to).await.unwrap().is_empty());
    let versions = store.rule_versions().await.unwrap().len();
    assert_eq!(versions, 0, "a dismissal changes no rule");
}
