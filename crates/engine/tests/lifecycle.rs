//! What spans requests or ends them early: circuit breakers, a chain with nothing usable,
//! cancellation by dropping, and keys kept out of everything a caller can see.
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use support::{ask, policy, run, Recorder, Setup, KEY};
use switchyard_engine::execute::{Executor, Plan, Policy};
use switchyard_engine::provider::KeyInfo;
use switchyard_engine::reply::{HopOutcome, ReplyStatus};
use switchyard_engine::ErrorCode;
use switchyard_fake_provider::Fault;
use tokio_util::sync::CancellationToken;

fn breaker_policy() -> Policy {
    Policy {
        attempts_per_model: 1,
        breaker_threshold: 2,
        breaker_cooldown: Duration::from_millis(1_500),
        ..policy()
    }
}

#[tokio::test]
async fn a_failing_provider_is_skipped_during_its_cool_down_then_tried_again() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        model: "gpt-large".into(),
        status: Some(503),
        ..Fault::default()
    });
    let exec = Executor::new(breaker_policy()).unwrap();
    let plan = setup.plan(&["gpt-large", "claude-large"]);
    for _ in 0..2 {
        let (reply, _) = run(&exec, &plan, "hi").await;
        assert_eq!(reply.model.as_deref(), Some("claude-large"));
    }
    assert_eq!(setup.calls("gpt-large"), 2);

    // Open: the provider is not called at all.
    let (reply, _) = run(&exec, &plan, "hi").await;
    assert_eq!(reply.hops[0].outcome, HopOutcome::Skipped);
    assert_eq!(reply.hops[0].error.as_ref().unwrap().code, "circuit_open");
    assert_eq!(setup.calls("gpt-large"), 2);

    // After the cool-down one trial goes through, and its success closes the circuit.
    setup.server.clear_faults();
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    let (reply, _) = run(&exec, &plan, "hi").await;
    assert_eq!(reply.model.as_deref(), Some("gpt-large"));
    assert_eq!(setup.calls("gpt-large"), 3);
}

#[tokio::test]
async fn a_bad_request_does_not_open_the_circuit() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        model: "gpt-large".into(),
        status: Some(400),
        ..Fault::default()
    });
    let exec = Executor::new(breaker_policy()).unwrap();
    let plan = setup.plan(&["gpt-large", "claude-large"]);
    for _ in 0..4 {
        run(&exec, &plan, "hi").await;
    }
    assert_eq!(setup.calls("gpt-large"), 4);
}

#[tokio::test]
async fn when_every_circuit_is_open_the_request_fails_at_once() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        model: "*".into(),
        status: Some(500),
        ..Fault::default()
    });
    let exec = Executor::new(Policy {
        breaker_cooldown: Duration::from_secs(60),
        ..breaker_policy()
    })
    .unwrap();
    let plan = setup.plan(&["gpt-large", "claude-large"]);
    run(&exec, &plan, "hi").await;
    run(&exec, &plan, "hi").await;
    let before = setup.server.requests().len();
    let started = Instant::now();
    let (reply, events) = run(&exec, &plan, "hi").await;
    assert!(started.elapsed() < Duration::from_millis(200));
    assert_eq!(setup.server.requests().len(), before, "nothing was sent");
    assert_eq!(reply.status, ReplyStatus::Failed);
    let error = reply.error.unwrap();
    assert_eq!(error.code, "no_usable_provider");
    assert!(
        error.message.contains("Fake openai") && error.message.contains("Fake anthropic"),
        "{}",
        error.message
    );
    assert!(events.is_empty(), "{events:?}");
}

#[tokio::test]
async fn a_chain_with_no_usable_provider_is_refused_with_what_to_configure() {
    let mut setup = Setup::new().await;
    setup.keys.clear();
    for p in &mut setup.providers {
        p.key = KeyInfo::Missing;
        if p.id == "gemini" {
            p.row.enabled = false;
        }
    }
    let chain: Vec<String> = ["gpt-large", "gemini-large", "no-such-model", "mistral-x"]
        .map(String::from)
        .to_vec();
    let plan = Plan::new(&chain, &setup.catalog, &setup.providers, &HashMap::new());
    assert!(plan.targets.is_empty());
    let exec = Executor::new(policy()).unwrap();
    let (reply, events) = run(&exec, &plan, "hi").await;
    let error = reply.error.unwrap();
    assert_eq!(error.code, ErrorCode::NoUsableProvider);
    // Each model is listed as skipped, with its own reason.
    assert_eq!(reply.hops.len(), 4);
    assert!(reply.hops.iter().all(|h| h.outcome == HopOutcome::Skipped));
    // Hops name the provider as the user does, the ledger keeps its id.
    assert_eq!(reply.hops[0].provider, "openai");
    assert_eq!(reply.hops[0].provider_name, "Fake openai");
    assert_eq!(events.len(), 4, "one hop event per skipped model");
    for expected in [
        "Fake openai has no API key",
        "Fake gemini is disabled",
        "'no-such-model' is not in the model catalog",
        "'mistral-x' is not in the model catalog",
        "switchyard keys set",
    ] {
        assert!(
            error.message.contains(expected),
            "missing {expected:?} in {}",
            error.message
        );
    }
}

#[tokio::test]
async fn models_that_cannot_be_called_are_left_out_of_a_plan_that_has_others() {
    let mut setup = Setup::new().await;
    setup.keys.remove("openai");
    setup.providers[0].key = KeyInfo::Missing;
    let plan = setup.plan(&["gpt-large", "claude-large"]);
    let ids: Vec<&str> = plan.targets.iter().map(|t| t.model.id.as_str()).collect();
    assert_eq!(ids, ["claude-large"]);
    assert_eq!(plan.unplanned[0].model, "gpt-large");
    assert_eq!(plan.unplanned[0].error.code, ErrorCode::Unavailable);
}

#[tokio::test]
async fn cancelling_stops_the_call_keeps_the_text_and_closes_the_connection() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        model: "gpt-large".into(),
        chunk_delay_ms: 100,
        ..Fault::default()
    });
    let exec = Executor::new(policy()).unwrap();
    let plan = setup.plan(&["gpt-large", "claude-large"]);
    let messages = ask("one two three four five six");
    let cancel = CancellationToken::new();
    let stopper = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(250)).await;
        stopper.cancel();
    });
    let mut events = Recorder::default();
    let reply = exec
        .execute(&plan, &messages, None, None, None, &mut events, &cancel)
        .await;
    assert_eq!(reply.status, ReplyStatus::Partial);
    assert!(reply.stopped());
    assert!(reply.text.starts_with("Echo:"), "{}", reply.text);
    assert!(reply.usage.unwrap().estimated);
    // The fallback is not tried after a stop.
    assert_eq!(setup.calls("claude-large"), 0);
    wait_for_disconnect(&setup).await;
}

#[tokio::test]
async fn dropping_the_run_future_cancels_too() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        model: "gpt-large".into(),
        chunk_delay_ms: 100,
        ..Fault::default()
    });
    let exec = Executor::new(policy()).unwrap();
    let plan = setup.plan(&["gpt-large"]);
    let messages = ask("one two three four five six");
    let cancel = CancellationToken::new();
    let mut events = Recorder::default();
    let run = exec.execute(&plan, &messages, None, None, None, &mut events, &cancel);
    assert!(tokio::time::timeout(Duration::from_millis(250), run)
        .await
        .is_err());
    wait_for_disconnect(&setup).await;
}

/// The server notices a closed connection at its next write; the drip makes that soon.
async fn wait_for_disconnect(setup: &Setup) {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let outcome = setup.server.requests()[0].outcome.clone();
        if outcome == "client_disconnected" {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the server saw {outcome:?}, not a disconnect"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn keys_appear_in_no_event_reply_error_or_debug_output() {
    let mut setup = Setup::new().await;
    let wrong = "sk-this-wrong-key-must-stay-secret";
    setup.keys.insert(
        "anthropic".into(),
        switchyard_engine::secrets::Secret::new(wrong).unwrap(),
    );
    let exec = Executor::new(policy()).unwrap();
    let plan = setup.plan(&["claude-large", "gpt-large"]);
    let (reply, events) = run(&exec, &plan, "hi").await;
    assert_eq!(reply.failing_keys, ["anthropic"]);
    let visible = format!(
        "{} {:?} {:?} {:?}",
        serde_json::to_string(&events).unwrap(),
        events,
        reply,
        plan
    );
    for secret in [KEY, wrong] {
        assert!(!visible.contains(secret), "a key leaked into {visible}");
    }
}
