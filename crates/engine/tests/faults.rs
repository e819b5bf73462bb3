//! Every fault the fake server can inject, carried out through the executor: which model
//! answered, what the user saw, what was recorded.
mod support;

use std::time::{Duration, Instant};

use support::{policy, run, shown_text, Setup};
use switchyard_engine::execute::Executor;
use switchyard_engine::reply::{HopOutcome, ReplyStatus};
use switchyard_engine::send::ChatEvent;
use switchyard_fake_provider::Fault;
use switchyard_router::Usd;

fn fault(model: &str) -> Fault {
    Fault {
        model: model.into(),
        ..Fault::default()
    }
}

fn outcomes(reply: &switchyard_engine::reply::Reply) -> Vec<(String, HopOutcome, Option<String>)> {
    reply
        .hops
        .iter()
        .map(|h| {
            (
                h.model.clone(),
                h.outcome,
                h.error.as_ref().map(|e| e.code.to_string()),
            )
        })
        .collect()
}

fn hop(
    model: &str,
    outcome: HopOutcome,
    code: Option<&str>,
) -> (String, HopOutcome, Option<String>) {
    (model.into(), outcome, code.map(str::to_string))
}

#[tokio::test]
async fn a_clean_reply_is_priced_exactly_and_says_who_answered() {
    let setup = Setup::new().await;
    let exec = Executor::new(policy()).unwrap();
    let (reply, events) = run(
        &exec,
        &setup.plan(&["gpt-large", "claude-large"]),
        "price this please",
    )
    .await;
    assert_eq!(reply.status, ReplyStatus::Complete);
    assert_eq!(reply.model.as_deref(), Some("gpt-large"));
    assert_eq!(reply.text, "Echo: price this please");
    assert_eq!(shown_text(&events), reply.text);
    assert!(
        matches!(&events[0], ChatEvent::Started { model, provider } if model == "gpt-large" && provider == "openai")
    );
    assert!(matches!(events.last(), Some(ChatEvent::Text { .. })));
    let usage = reply.usage.unwrap();
    assert_eq!(
        (usage.input_tokens, usage.output_tokens, usage.estimated),
        (3, 4, false)
    );
    // 3 × $2.50/M + 4 × $10/M = $0.0000475
    assert_eq!(reply.cost.unwrap().total, Usd(47_500));
    assert_eq!(
        outcomes(&reply),
        [hop("gpt-large", HopOutcome::Answered, None)]
    );
    assert!(reply.first_token_ms.is_some());
}

#[tokio::test]
async fn a_429_is_retried_on_the_same_model_after_retry_after() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        status: Some(429),
        retry_after: Some(1.into()),
        times: Some(1),
        ..fault("gpt-large")
    });
    let exec = Executor::new(policy()).unwrap();
    let started = Instant::now();
    let (reply, _) = run(&exec, &setup.plan(&["gpt-large", "claude-large"]), "hi").await;
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(reply.model.as_deref(), Some("gpt-large"));
    assert_eq!(
        outcomes(&reply),
        [
            hop("gpt-large", HopOutcome::Failed, Some("rate_limited")),
            hop("gpt-large", HopOutcome::Answered, None)
        ]
    );
    assert_eq!(reply.hops[0].retry_in_ms, Some(1000));
    assert_eq!(reply.hops[0].status, Some(429));
    assert_eq!(setup.calls("claude-large"), 0);
}

#[tokio::test]
async fn a_retry_after_longer_than_the_limit_moves_on_at_once() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        status: Some(429),
        retry_after: Some(120.into()),
        ..fault("gpt-large")
    });
    let exec = Executor::new(policy()).unwrap();
    let started = Instant::now();
    let (reply, _) = run(&exec, &setup.plan(&["gpt-large", "claude-large"]), "hi").await;
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(reply.model.as_deref(), Some("claude-large"));
    assert_eq!(setup.calls("gpt-large"), 1);
    assert_eq!(reply.hops[0].retry_in_ms, None);
}

#[tokio::test]
async fn server_errors_are_retried_then_the_next_model_answers() {
    for status in [500, 502, 503, 504] {
        let setup = Setup::new().await;
        setup.server.set_fault(Fault {
            status: Some(status),
            ..fault("gpt-large")
        });
        let exec = Executor::new(policy()).unwrap();
        let (reply, events) = run(&exec, &setup.plan(&["gpt-large", "claude-large"]), "hi").await;
        assert_eq!(reply.model.as_deref(), Some("claude-large"), "{status}");
        assert_eq!(setup.calls("gpt-large"), 3, "{status}: three tries");
        assert_eq!(reply.hops.len(), 4, "{status}");
        assert!(
            reply.hops[..2].iter().all(|h| h.retry_in_ms.is_some()),
            "{status}"
        );
        assert_eq!(
            reply.hops[2].retry_in_ms, None,
            "{status}: the last try moves on"
        );
        assert_eq!(
            shown_text(&events),
            "Echo: hi",
            "{status}: failed tries show nothing"
        );
        let hop_events = events
            .iter()
            .filter(|e| matches!(e, ChatEvent::Hop { .. }))
            .count();
        assert_eq!(
            hop_events, 3,
            "{status}: each failure is reported as it happens"
        );
    }
}

#[tokio::test]
async fn anthropic_529_overloaded_is_retried() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        status: Some(529),
        times: Some(2),
        ..fault("claude-large")
    });
    let exec = Executor::new(policy()).unwrap();
    let (reply, _) = run(&exec, &setup.plan(&["claude-large", "gpt-large"]), "hi").await;
    assert_eq!(reply.model.as_deref(), Some("claude-large"));
    assert_eq!(
        outcomes(&reply),
        [
            hop("claude-large", HopOutcome::Failed, Some("overloaded")),
            hop("claude-large", HopOutcome::Failed, Some("overloaded")),
            hop("claude-large", HopOutcome::Answered, None)
        ]
    );
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        status: Some(400),
        ..fault("gemini-large")
    });
    let exec = Executor::new(policy()).unwrap();
    let (reply, _) = run(&exec, &setup.plan(&["gemini-large", "gpt-large"]), "hi").await;
    assert_eq!(setup.calls("gemini-large"), 1);
    assert_eq!(reply.model.as_deref(), Some("gpt-large"));
    assert_eq!(
        outcomes(&reply)[0],
        hop("gemini-large", HopOutcome::Failed, Some("bad_request"))
    );
}

#[tokio::test]
async fn a_context_overflow_skips_to_a_model_with_a_larger_window() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        context_length: true,
        ..fault("gpt-small")
    });
    let exec = Executor::new(policy()).unwrap();
    // claude-small has the same 8k window, so it is skipped without a call.
    let (reply, _) = run(
        &exec,
        &setup.plan(&["gpt-small", "claude-small", "gemini-large"]),
        "long",
    )
    .await;
    assert_eq!(reply.model.as_deref(), Some("gemini-large"));
    assert_eq!(
        outcomes(&reply),
        [
            hop("gpt-small", HopOutcome::Failed, Some("context_length")),
            hop(
                "claude-small",
                HopOutcome::Skipped,
                Some("context_too_small")
            ),
            hop("gemini-large", HopOutcome::Answered, None)
        ]
    );
    assert_eq!(setup.calls("claude-small"), 0);
}

#[tokio::test]
async fn a_refused_key_skips_the_provider_and_is_reported() {
    let mut setup = Setup::new().await;
    setup.keys.insert(
        "openai".into(),
        switchyard_engine::secrets::Secret::new("sk-revoked-key").unwrap(),
    );
    let exec = Executor::new(policy()).unwrap();
    let (reply, _) = run(
        &exec,
        &setup.plan(&["gpt-large", "gpt-small", "claude-large"]),
        "hi",
    )
    .await;
    assert_eq!(reply.model.as_deref(), Some("claude-large"));
    assert_eq!(
        outcomes(&reply),
        [
            hop("gpt-large", HopOutcome::Failed, Some("auth_failed")),
            hop("gpt-small", HopOutcome::Skipped, Some("key_failing")),
            hop("claude-large", HopOutcome::Answered, None)
        ]
    );
    assert_eq!(reply.failing_keys, ["openai"]);
    assert_eq!(setup.calls("gpt-large"), 1, "a 401 is not retried");
}

#[tokio::test]
async fn geminis_400_for_a_bad_key_counts_as_a_refused_key() {
    let mut setup = Setup::new().await;
    setup.keys.insert(
        "gemini".into(),
        switchyard_engine::secrets::Secret::new("bad").unwrap(),
    );
    let exec = Executor::new(policy()).unwrap();
    let (reply, _) = run(&exec, &setup.plan(&["gemini-large", "gpt-large"]), "hi").await;
    assert_eq!(reply.failing_keys, ["gemini"]);
    assert_eq!(reply.hops[0].status, Some(400));
}

#[tokio::test]
async fn a_stream_cut_before_the_first_token_falls_back_silently() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        cut_after: Some(0),
        ..fault("gpt-large")
    });
    let exec = Executor::new(policy()).unwrap();
    let (reply, events) = run(
        &exec,
        &setup.plan(&["gpt-large", "claude-large"]),
        "hi there",
    )
    .await;
    assert_eq!(reply.status, ReplyStatus::Complete);
    assert_eq!(reply.model.as_deref(), Some("claude-large"));
    assert_eq!(
        shown_text(&events),
        "Echo: hi there",
        "nothing from the cut stream reaches the user"
    );
    assert_eq!(
        reply.hops[0].error.as_ref().unwrap().code,
        "connection_lost"
    );
    let started: Vec<_> = events
        .iter()
        .filter(|e| matches!(e, ChatEvent::Started { .. }))
        .collect();
    assert_eq!(started.len(), 1);
}

#[tokio::test]
async fn a_stream_cut_after_text_keeps_the_partial_text_and_stops() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        cut_after: Some(2),
        ..fault("claude-large")
    });
    let exec = Executor::new(policy()).unwrap();
    let (reply, events) = run(
        &exec,
        &setup.plan(&["claude-large", "gpt-large"]),
        "one two three",
    )
    .await;
    assert_eq!(reply.status, ReplyStatus::Partial);
    assert_eq!(reply.text, "Echo: one ");
    assert_eq!(
        shown_text(&events),
        "Echo: one ",
        "no text is repeated or added"
    );
    assert_eq!(reply.model.as_deref(), Some("claude-large"));
    assert_eq!(reply.error.as_ref().unwrap().code, "connection_lost");
    assert_eq!(
        outcomes(&reply),
        [hop(
            "claude-large",
            HopOutcome::Partial,
            Some("connection_lost")
        )]
    );
    assert_eq!(setup.calls("gpt-large"), 0, "no fallback after text");
    assert!(
        reply.usage.unwrap().estimated,
        "a cut stream never reported usage"
    );
    assert!(reply.cost.unwrap().total > Usd(0));
}

#[tokio::test]
async fn malformed_json_before_text_is_retried_and_after_text_stops() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        malformed_after: Some(0),
        times: Some(1),
        ..fault("gpt-large")
    });
    let exec = Executor::new(policy()).unwrap();
    let (reply, _) = run(&exec, &setup.plan(&["gpt-large"]), "hi").await;
    assert_eq!(reply.status, ReplyStatus::Complete);
    assert_eq!(
        outcomes(&reply)[0],
        hop("gpt-large", HopOutcome::Failed, Some("malformed"))
    );

    setup.server.set_fault(Fault {
        malformed_after: Some(1),
        ..fault("gemini-large")
    });
    let (reply, events) = run(&exec, &setup.plan(&["gemini-large", "gpt-large"]), "a b").await;
    assert_eq!(reply.status, ReplyStatus::Partial);
    assert_eq!(shown_text(&events), "Echo: ");
    assert_eq!(reply.error.unwrap().code, "malformed");
}

#[tokio::test]
async fn an_anthropic_error_event_mid_stream_stops_with_the_partial_text() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        error_after: Some(1),
        ..fault("claude-large")
    });
    let exec = Executor::new(policy()).unwrap();
    let (reply, _) = run(&exec, &setup.plan(&["claude-large", "gpt-large"]), "a b c").await;
    assert_eq!(reply.status, ReplyStatus::Partial);
    assert_eq!(reply.text, "Echo: ");
    assert_eq!(reply.error.unwrap().code, "overloaded");
}

#[tokio::test]
async fn a_first_token_that_comes_too_late_times_out_and_falls_back() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        first_chunk_delay_ms: 2_000,
        ..fault("gpt-large")
    });
    setup.server.set_fault(Fault {
        delay_ms: 2_000,
        ..fault("claude-large")
    });
    let exec = Executor::new(attempts(1)).unwrap();
    let started = Instant::now();
    let (reply, _) = run(
        &exec,
        &setup.plan(&["gpt-large", "claude-large", "gemini-large"]),
        "hi",
    )
    .await;
    assert_eq!(reply.model.as_deref(), Some("gemini-large"));
    assert_eq!(
        outcomes(&reply),
        [
            hop("gpt-large", HopOutcome::Failed, Some("timeout")),
            hop("claude-large", HopOutcome::Failed, Some("timeout")),
            hop("gemini-large", HopOutcome::Answered, None)
        ]
    );
    assert!(
        started.elapsed() < Duration::from_millis(1_800),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_reasoning_model_is_given_longer_to_think_before_its_first_token() {
    let mut setup = Setup::new().await;
    let reasoner = setup
        .catalog
        .models
        .iter_mut()
        .find(|m| m.id == "gpt-large")
        .unwrap();
    reasoner.reasoning = Some(switchyard_router::PerMtok(10_000_000));
    setup.server.set_fault(Fault {
        first_chunk_delay_ms: 1_000,
        ..fault("gpt-large")
    });
    let exec = Executor::new(attempts(1)).unwrap();
    let (reply, _) = run(&exec, &setup.plan(&["gpt-large", "claude-large"]), "think").await;
    assert_eq!(reply.model.as_deref(), Some("gpt-large"));
    assert!(reply.first_token_ms.unwrap() >= 1_000);
}

#[tokio::test]
async fn a_stall_between_chunks_times_out_with_the_partial_text() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        chunk_delay_ms: 1_000,
        ..fault("gpt-large")
    });
    let exec = Executor::new(policy()).unwrap();
    let (reply, _) = run(&exec, &setup.plan(&["gpt-large", "claude-large"]), "a b").await;
    assert_eq!(reply.status, ReplyStatus::Partial);
    assert_eq!(reply.text, "Echo: ");
    assert_eq!(reply.error.as_ref().unwrap().code, "timeout");
    assert!(reply.error.unwrap().message.contains("next chunk"));
}

#[tokio::test]
async fn a_slow_drip_within_the_limits_is_forwarded_chunk_by_chunk() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        chunk_delay_ms: 100,
        ..fault("gpt-large")
    });
    let exec = Executor::new(policy()).unwrap();
    struct Arrivals(Instant, Vec<Duration>);
    impl switchyard_engine::execute::ReplySink for Arrivals {
        fn started(&mut self, _: &str, _: &str) {}
        fn text(&mut self, _: &str) {
            self.1.push(self.0.elapsed());
        }
        fn hop(&mut self, _: &switchyard_engine::reply::Hop) {}
    }
    let mut sink = Arrivals(Instant::now(), Vec::new());
    let reply = exec
        .execute(
            &setup.plan(&["gpt-large"]),
            &support::ask("a b c d"),
            None,
            None,
            None,
            &mut sink,
            &tokio_util::sync::CancellationToken::new(),
        )
        .await;
    let arrivals = sink.1;
    assert_eq!(reply.text, "Echo: a b c d");
    assert_eq!(arrivals.len(), 5);
    // The chunks reach the caller as they arrive, spread over the drip, not when the stream
    // ends. (Spans rather than single gaps, so a stalled test thread cannot fake a bunching.)
    assert!(
        arrivals[4] - arrivals[0] >= Duration::from_millis(350),
        "{arrivals:?}"
    );
    assert!(
        arrivals[2] - arrivals[0] >= Duration::from_millis(150),
        "{arrivals:?}"
    );
}

#[tokio::test]
async fn a_reply_without_usage_is_priced_from_an_estimate_marked_as_such() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        no_usage: true,
        ..fault("compat-model")
    });
    let exec = Executor::new(policy()).unwrap();
    let (reply, _) = run(&exec, &setup.plan(&["compat-model"]), "some words here").await;
    let usage = reply.usage.unwrap();
    assert!(usage.estimated);
    assert!(usage.input_tokens > 0 && usage.output_tokens > 0);
    assert!(reply.cost.unwrap().total > Usd(0));
}

#[tokio::test]
async fn html_in_a_reply_is_passed_through_as_text() {
    let setup = Setup::new().await;
    let html = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    setup.server.set_fault(Fault {
        reply: Some(html.into()),
        ..fault("gpt-large")
    });
    let exec = Executor::new(policy()).unwrap();
    let (reply, events) = run(&exec, &setup.plan(&["gpt-large"]), "hi").await;
    assert_eq!(reply.text, html);
    assert_eq!(shown_text(&events), html);
}

#[tokio::test]
async fn every_model_failing_ends_with_the_last_error_and_all_hops() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        status: Some(500),
        ..fault("*")
    });
    let exec = Executor::new(attempts(1)).unwrap();
    let (reply, events) = run(&exec, &setup.plan(&["gpt-large", "claude-large"]), "hi").await;
    assert_eq!(reply.status, ReplyStatus::Failed);
    assert_eq!(reply.model, None);
    assert_eq!(reply.hops.len(), 2);
    let error = reply.error.unwrap();
    assert_eq!(error.code, "server_error");
    assert!(error.message.contains("claude-large"), "{}", error.message);
    assert!(shown_text(&events).is_empty());
}

fn attempts(n: u32) -> switchyard_engine::execute::Policy {
    switchyard_engine::execute::Policy {
        attempts_per_model: n,
        ..policy()
    }
}
