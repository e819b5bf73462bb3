//! The chat end to end below the UI: a real SQLite file, the real keychain, HTTP to the fake
//! provider. Checks what the user sees, what is saved, and what the ledger records.
mod support;

use std::sync::{Arc, Mutex};
use support::harness::{harness, request};
use support::keyring_or_skip;

use switchyard_engine::send::{ChatEvent, SendMode, SendRequest};
use switchyard_engine::store::budgets::{Budget, BudgetPeriod, BudgetPolicy};
use switchyard_engine::store::messages::ChatMessage;
use switchyard_engine::store::messages::{MessageStatus, Role};
use switchyard_engine::store::spend::SpendRange;
use switchyard_fake_provider::Fault;
use switchyard_router::{Cost, Usage};

#[tokio::test]
async fn a_reply_is_saved_priced_and_recorded() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let events = Arc::new(Mutex::new(Vec::new()));
    let seen = events.clone();
    let prompt = "Write a short poem about freight trains";
    let message = h
        .chat
        .send(request(None, prompt), move |e| seen.lock().unwrap().push(e))
        .await
        .unwrap();

    assert_eq!(message.status, MessageStatus::Complete);
    assert_eq!(message.content, format!("Echo: {prompt}"));
    let decision = message.decision.as_ref().unwrap();
    assert_eq!(message.model.as_deref(), decision["model"].as_str());
    assert!(
        message.provider.as_deref().unwrap().starts_with("Fake "),
        "the provider's name, not its id"
    );

    let events = std::mem::take(&mut *events.lock().unwrap());
    assert!(matches!(events.first(), Some(ChatEvent::Accepted { .. })));
    let streamed: String = events
        .iter()
        .filter_map(|e| match e {
            ChatEvent::Text { delta } => Some(delta.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(streamed, message.content);
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })));

    let store = &h.chat.settings().store;
    let saved = store.messages(&message.conversation_id).await.unwrap();
    assert_eq!(saved.len(), 2);
    assert_eq!(saved[0].role, Role::User);
    assert_eq!(saved[1].content, message.content);

    // The ledger's cost is the catalog price times the tokens the provider reported, exactly.
    let rows = store.usage_for_message(message.id).await.unwrap();
    assert_eq!(rows.len(), 1);
    let (model_id, outcome, cost) = &rows[0];
    assert_eq!(outcome, "answered");
    let reply_usage = &message.details.as_ref().unwrap()["usage"];
    let usage = Usage {
        input_tokens: reply_usage["input_tokens"].as_u64().unwrap() as u32,
        output_tokens: reply_usage["output_tokens"].as_u64().unwrap() as u32,
        ..Usage::default()
    };
    let (_, catalog) = store.routing().await.unwrap();
    let expected = Cost::of(catalog.get(model_id).unwrap(), &usage).total.0;
    assert_eq!(*cost, expected as i64);
    assert!(expected > 0);
}

#[tokio::test]
async fn a_failing_primary_falls_back_and_every_call_is_recorded() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let store = &h.chat.settings().store;
    let prompt = "Debug this: TypeError: undefined is not a function";
    // Find the primary the router picks, then make it fail.
    let probe = h.chat.send(request(None, prompt), |_| {}).await.unwrap();
    let primary = probe.decision.as_ref().unwrap()["api_model"]
        .as_str()
        .unwrap()
        .to_string();
    h.server.set_fault(Fault {
        model: primary.clone(),
        status: Some(503),
        ..Fault::default()
    });

    let message = h
        .chat
        .send(request(Some(&probe.conversation_id), prompt), |_| {})
        .await
        .unwrap();
    assert_eq!(message.status, MessageStatus::Complete);
    let decision = message.decision.as_ref().unwrap();
    let fallbacks: Vec<&str> = decision["fallbacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        fallbacks.contains(&message.model.as_deref().unwrap()),
        "{:?} answered",
        message.model
    );
    let rows = store.usage_for_message(message.id).await.unwrap();
    let failed = rows.iter().filter(|(_, o, _)| o == "failed").count();
    assert!(failed >= 1, "{rows:?}");
    assert!(rows
        .iter()
        .filter(|(_, o, _)| o == "failed")
        .all(|(_, _, cost)| *cost == 0));
    assert_eq!(rows.last().unwrap().1, "answered");
}

#[tokio::test]
async fn stopping_keeps_what_arrived() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let words: Vec<String> = (0..200).map(|i| format!("w{i}")).collect();
    h.server.set_fault(Fault {
        model: "*".into(),
        reply: Some(words.join(" ")),
        chunk_delay_ms: 20,
        ..Fault::default()
    });
    let chat = h.chat.clone();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        chat.send(request(None, "Summarize rail history"), move |e| {
            let _ = tx.send(e);
        })
        .await
    });
    let mut conversation = None;
    let mut texts = 0;
    while let Some(event) = rx.recv().await {
        match event {
            ChatEvent::Accepted {
                conversation: c, ..
            } => conversation = Some(c.id),
            ChatEvent::Text { .. } => {
                texts += 1;
                if texts == 5 {
                    assert!(h.chat.stop(conversation.as_deref().unwrap()));
                }
            }
            _ => {}
        }
    }
    let message = task.await.unwrap().unwrap();
    assert_eq!(message.status, MessageStatus::Stopped);
    assert!(
        message.content.starts_with("w0 w1 w2"),
        "{}",
        message.content
    );
    assert!(!message.content.contains("w199"));
    let saved = h.chat.settings().store.message(message.id).await.unwrap();
    assert_eq!(saved.content, message.content);
    let rows = h
        .chat
        .settings()
        .store
        .usage_for_message(message.id)
        .await
        .unwrap();
    assert_eq!(rows.last().unwrap().1, "stopped");
    assert!(
        rows.last().unwrap().2 > 0,
        "the tokens that were generated are billed"
    );
}

#[tokio::test]
async fn regenerate_and_edit_replace_the_last_turn() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let store = &h.chat.settings().store;
    let first = h
        .chat
        .send(request(None, "Translate hello into French"), |_| {})
        .await
        .unwrap();
    let c = first.conversation_id.clone();
    let again = h
        .chat
        .send(
            SendRequest {
                conversation_id: Some(c.clone()),
                text: String::new(),
                model: "auto".into(),
                mode: SendMode::Regenerate,
                model_once: false,
                system_prompt: None,
                attachments: Vec::new(),
            },
            |_| {},
        )
        .await
        .unwrap();
    assert_ne!(again.id, first.id);
    assert_eq!(
        store.messages(&c).await.unwrap().len(),
        2,
        "the old reply is replaced"
    );

    let edited = h
        .chat
        .send(
            SendRequest {
                conversation_id: Some(c.clone()),
                text: "Translate goodbye into French".into(),
                model: "auto".into(),
                mode: SendMode::EditLast,
                model_once: false,
                system_prompt: None,
                attachments: Vec::new(),
            },
            |_| {},
        )
        .await
        .unwrap();
    let all = store.messages(&c).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].content, "Translate goodbye into French");
    assert_eq!(edited.content, "Echo: Translate goodbye into French");
}

#[tokio::test]
async fn no_usable_provider_fails_at_once_with_what_to_do() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let settings = h.chat.settings();
    for p in settings.store.list_providers().await.unwrap() {
        settings.set_enabled(&p.id, false).await.unwrap();
    }
    let message = h.chat.send(request(None, "Hello"), |_| {}).await.unwrap();
    assert_eq!(message.status, MessageStatus::Failed);
    let error = &message.details.as_ref().unwrap()["error"];
    assert_eq!(error["code"], "no_usable_provider");
    assert!(
        error["message"].as_str().unwrap().contains("Providers"),
        "{error}"
    );
    assert!(h.server.requests().is_empty(), "nothing was sent");

    let chosen = SendRequest {
        model: "no-such-model".into(),
        ..request(None, "Hi")
    };
    assert_eq!(
        h.chat.send(chosen, |_| {}).await.unwrap_err().code(),
        "invalid_input"
    );
    let blank = request(None, "   ");
    assert_eq!(
        h.chat.send(blank, |_| {}).await.unwrap_err().code(),
        "invalid_input"
    );
}

/// The composer's route preview is the send's own routing: for a first message, a follow-up in
/// a conversation and a pinned model, the preview names the model, rule, task and tier the send
/// then uses; a one-off model answers one message and the conversation keeps its own.
/// Spend counts what happened to every model a request went through: the calls sent, those
/// that brought no reply, and the models passed over without a call.
#[tokio::test]
async fn spend_counts_failed_and_skipped_calls_beside_requests() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let store = &h.chat.settings().store;
    let prompt = "Fix this Python function: def f(xs): return sum(xs) / len(xs)";
    let count = |m: &ChatMessage, outcome: &str| {
        m.details.as_ref().unwrap()["hops"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["outcome"] == outcome)
            .count() as i64
    };
    let answered = h.chat.send(request(None, prompt), |_| {}).await.unwrap();
    assert_eq!(answered.status, MessageStatus::Complete);
    assert_eq!(count(&answered, "failed"), 0);
    let conversation = answered.conversation_id.clone();

    // Every model answers 400 (not retried): each one is tried once and fails.
    h.server.set_fault(Fault {
        status: Some(400),
        ..Fault::default()
    });
    let failed = h
        .chat
        .send(request(Some(&conversation), prompt), |_| {})
        .await
        .unwrap();
    assert_eq!(failed.status, MessageStatus::Failed);
    let failed_hops = count(&failed, "failed");
    assert!(failed_hops >= 2, "{:?}", failed.details);
    h.server.clear_faults();

    // A budget already used up by the first reply: every model of the next request is
    // skipped, and nothing is sent.
    store
        .save_budget(&Budget {
            id: 0,
            provider_id: None,
            period: BudgetPeriod::Day,
            limit_nusd: 1,
            policy: BudgetPolicy::Block,
            min_quality: 0.5,
        })
        .await
        .unwrap();
    let sent_before = h.server.chat_requests().len();
    let refused = h
        .chat
        .send(request(Some(&conversation), prompt), |_| {})
        .await
        .unwrap();
    assert_eq!(
        refused.status,
        MessageStatus::Failed,
        "{:?}",
        refused.details
    );
    assert_eq!(
        h.server.chat_requests().len(),
        sent_before,
        "nothing was sent"
    );
    let skipped_hops = count(&refused, "skipped");
    assert!(skipped_hops >= 1, "{:?}", refused.details);
    assert_eq!(count(&refused, "failed"), 0);

    let range = SpendRange {
        from: "2000-01-01".into(),
        to: "9999-12-31".into(),
        utc_offset_minutes: 0,
        offset_changes: vec![],
    };
    let totals = store.spend_totals(&range).await.unwrap();
    assert_eq!(totals.requests, 1, "{totals:?}");
    assert_eq!(totals.calls, failed_hops + 1, "{totals:?}");
    assert_eq!(totals.failed_calls, failed_hops, "{totals:?}");
    assert_eq!(
        totals.skipped_calls,
        skipped_hops + count(&answered, "skipped") + count(&failed, "skipped"),
        "{totals:?}"
    );
    // A period before the requests counts none of them.
    let before = SpendRange {
        to: "2001-01-01".into(),
        ..range
    };
    let none = store.spend_totals(&before).await.unwrap();
    assert_eq!(
        (none.calls, none.failed_calls, none.skipped_calls),
        (0, 0, 0)
    );
}

#[tokio::test]
async fn the_route_preview_is_what_the_send_does() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let decision_of = |m: &ChatMessage| m.decision.clone().unwrap();
    let same = |preview: &switchyard_router::Decision, sent: &serde_json::Value| {
        assert_eq!(sent["model"], preview.model.as_str());
        assert_eq!(sent["rule"], preview.rule.as_str());
        assert_eq!(sent["task"], preview.task.as_str());
        assert_eq!(sent["complexity"]["tier"], preview.complexity.tier.as_str());
        assert_eq!(sent["fallbacks"], serde_json::json!(preview.fallbacks));
        assert_eq!(
            sent["estimated_cost_usd"],
            serde_json::json!(preview.estimated_cost_usd)
        );
    };

    let first = request(None, "Write a Python function that reverses a string.");
    let preview = h.chat.engine.preview(&first).await.unwrap();
    let reply = h.chat.send(first, |_| {}).await.unwrap();
    same(&preview, &decision_of(&reply));

    // A follow-up is routed with the conversation's history, by both.
    let conversation = reply.conversation_id.clone();
    let follow = request(
        Some(&conversation),
        "Now translate its docstring into French, please.",
    );
    let preview = h.chat.engine.preview(&follow).await.unwrap();
    assert_eq!(preview.task, switchyard_router::Task::Translation);
    let reply = h.chat.send(follow, |_| {}).await.unwrap();
    same(&preview, &decision_of(&reply));

    // A model picked for one message: previewed and used, and the conversation stays on Auto.
    let once = SendRequest {
        model: "claude-haiku".into(),
        model_once: true,
        ..request(Some(&conversation), "Summarize our chat in one line.")
    };
    let preview = h.chat.engine.preview(&once).await.unwrap();
    assert_eq!(preview.model, "claude-haiku");
    // Said as one pick, for this message, never "for this conversation".
    assert!(
        preview
            .trace
            .reason
            .starts_with("You picked claude-haiku for this message. Auto would have picked "),
        "{}",
        preview.trace.reason
    );
    let reply = h.chat.send(once, |_| {}).await.unwrap();
    same(&preview, &decision_of(&reply));
    assert_eq!(
        decision_of(&reply)["trace"]["reason"],
        preview.trace.reason.as_str()
    );
    assert_eq!(reply.model.as_deref(), Some("claude-haiku"));
    let kept = h
        .chat
        .settings()
        .store
        .conversation(&conversation)
        .await
        .unwrap();
    assert_eq!(kept.model, "auto");

    // A model that is not in the catalog is refused by the preview as by the send.
    let unknown = SendRequest {
        model: "gpt-9".into(),
        ..request(None, "Hi")
    };
    assert_eq!(
        h.chat.engine.preview(&unknown).await.unwrap_err().code(),
        "invalid_input"
    );
}

/// A conversation's system prompt goes first in each provider's own format, is read by the
/// router for the task (and shown in its trace), and stays with the conversation.
#[tokio::test]
async fn a_system_prompt_reaches_every_format_and_steers_the_task() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let system =
        "You are a professional translator. Translate everything the user writes into German.";
    let user = "The weather is lovely today and every train is on time.";
    for (model, format) in [
        ("gpt-4o-mini", "openai"),
        ("claude-haiku", "anthropic"),
        ("gemini-flash", "gemini"),
    ] {
        h.server.clear_requests();
        let first = SendRequest {
            model: model.into(),
            system_prompt: Some(system.into()),
            ..request(None, user)
        };
        let preview = h.chat.engine.preview(&first).await.unwrap();
        assert_eq!(preview.task, switchyard_router::Task::Translation);
        let reply = h.chat.send(first, |_| {}).await.unwrap();
        let decision = reply.decision.clone().unwrap();
        assert_eq!(decision["task"], "translation");
        assert_eq!(decision["trace"]["system_prompt"], system);
        let sent = h.server.requests();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].format, format);
        let body = &sent[0].body;
        match format {
            "openai" => {
                assert_eq!(body["messages"][0]["role"], "system");
                assert_eq!(body["messages"][0]["content"], system);
                assert_eq!(body["messages"][1]["content"], user);
            }
            "anthropic" => {
                assert_eq!(body["system"], system);
                assert_eq!(body["messages"][0]["role"], "user");
            }
            _ => {
                assert_eq!(body["systemInstruction"]["parts"][0]["text"], system);
                assert_eq!(body["contents"][0]["role"], "user");
            }
        }
        // The next message of the conversation carries it too, without asking again.
        let conversation = h
            .chat
            .settings()
            .store
            .conversation(&reply.conversation_id)
            .await
            .unwrap();
        assert_eq!(conversation.system_prompt.as_deref(), Some(system));
        h.server.clear_requests();
        let follow = SendRequest {
            model: model.into(),
            ..request(Some(&conversation.id), "And the trains are late tomorrow.")
        };
        h.chat.send(follow, |_| {}).await.unwrap();
        let body = &h.server.requests()[0].body;
        let carried = body["messages"][0]["content"] == system
            || body["system"] == system
            || body["systemInstruction"]["parts"][0]["text"] == system;
        assert!(carried, "{body}");
    }
}
