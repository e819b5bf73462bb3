//! What spans requests or ends them early: circuit breakers, a chain with nothing usable,
//! cancellation by dropping, and keys kept out of everything a caller can see.
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use support::{ask, policy, run, Setup, KEY};
use switchyard_engine::execute::{
    ExecError, Executor, HopOutcome, Plan, Policy, ReplyEvent, ReplyStatus,
};
use switchyard_fake_provider::Fault;

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
    assert!(matches!(events.as_slice(), [ReplyEvent::Done { .. }]));
}

#[tokio::test]
async fn a_chain_with_no_usable_provider_is_refused_with_what_to_configure() {
    let mut setup = Setup::new().await;
    setup.keys.clear();
    setup
        .providers
        .iter_mut()
        .filter(|p| p.id == "gemini")
        .for_each(|p| p.enabled = false);
    let chain: Vec<String> = ["gpt-large", "gemini-large", "no-such-model", "mistral-x"]
        .map(String::from)
        .to_vec();
    let err = Plan::new(&chain, &setup.catalog, &setup.providers, &HashMap::new()).unwrap_err();
    assert!(matches!(err, ExecError::NoUsableProvider(_)));
    assert_eq!(err.code(), "no_usable_provider");
    let message = err.to_string();
    for expected in [
        "no API key is stored for 'Fake openai'",
        "'Fake gemini' is disabled",
        "'no-such-model' is not in the model catalog",
        "switchyard keys set",
    ] {
        assert!(
            message.contains(expected),
            "missing {expected:?} in {message}"
        );
    }
}

#[tokio::test]
async fn models_that_cannot_be_called_are_left_out_of_a_plan_that_has_others() {
    let mut setup = Setup::new().await;
    setup.keys.remove("openai");
    let plan = setup.plan(&["gpt-large", "claude-large"]);
    let ids: Vec<&str> = plan.targets.iter().map(|t| t.model.id.as_str()).collect();
    assert_eq!(ids, ["claude-large"]);
}

#[tokio::test]
async fn dropping_the_reply_stream_closes_the_connection_to_the_provider() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        model: "gpt-large".into(),
        chunk_delay_ms: 100,
        ..Fault::default()
    });
    let exec = Executor::new(policy()).unwrap();
    let mut stream = exec.stream(
        setup.plan(&["gpt-large"]),
        ask("one two three four five six"),
        None,
    );
    loop {
        if let Some(ReplyEvent::Text { .. }) = stream.next().await {
            break;
        }
    }
    drop(stream);
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
    let run = exec.run(&plan, &messages, None, |_| {});
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
async fn the_stream_ends_with_done_carrying_the_reply() {
    let setup = Setup::new().await;
    let exec = Executor::new(policy()).unwrap();
    let events: Vec<ReplyEvent> = exec
        .stream(setup.plan(&["gemini-small"]), ask("hey"), None)
        .collect()
        .await;
    let Some(ReplyEvent::Done { reply }) = events.last() else {
        panic!("no Done: {events:?}")
    };
    assert_eq!(reply.text, "Echo: hey");
    assert_eq!(reply.model.as_deref(), Some("gemini-small"));
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
