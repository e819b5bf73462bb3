//! Upstreams that attack rather than fail: a redirect to another host, bodies that echo the key,
//! lines, bodies and replies without end. Each test names the limit that must stop it; a guard
//! only keeps a regression from hanging the suite.
mod support;

use std::future::Future;
use std::time::Duration;

use support::{model, policy, row, run, Setup, KEY};
use switchyard_engine::connection::test_connection;
use switchyard_engine::execute::{Executor, Policy};
use switchyard_engine::provider::ProviderKind;
use switchyard_engine::reply::{HopOutcome, Reply, ReplyStatus};
use switchyard_engine::secrets::Secret;
use switchyard_engine::store::Store;
use switchyard_fake_provider::{FakeProvider, Fault};

/// The key's last four characters, as a masked key shows them.
const MASKED: &str = "••••cdef";
/// Enough of the key to recognise it: no message may hold even this much.
const KEY_PREFIX: &str = "sk-fake-key";

fn fault(model: &str) -> Fault {
    Fault {
        model: model.into(),
        ..Fault::default()
    }
}

fn one_try() -> Policy {
    Policy {
        attempts_per_model: 1,
        ..policy()
    }
}

/// Runs `f` on its own task: a stream that never yields must not take the guard down with it.
async fn guarded<T: Send + 'static>(f: impl Future<Output = T> + Send + 'static) -> T {
    let task = tokio::spawn(f);
    tokio::time::timeout(Duration::from_secs(60), task)
        .await
        .expect("the request never ended: no limit stopped it")
        .unwrap()
}

async fn run_guarded(policy: Policy, setup: &Setup, chain: &[&str], prompt: &str) -> Reply {
    let exec = Executor::new(policy).unwrap();
    let plan = setup.plan(chain);
    let prompt = prompt.to_string();
    guarded(async move { run(&exec, &plan, &prompt).await.0 }).await
}

fn first_error(reply: &Reply) -> (String, String) {
    let e = reply.hops[0].error.as_ref().expect("the first hop failed");
    (e.code.to_string(), e.message.clone())
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_and_no_key_leaves() {
    let setup = Setup::new().await;
    let elsewhere = FakeProvider::start(&[]).await.unwrap();
    let targets = [
        (
            "gpt-large",
            format!("{}/chat/completions", elsewhere.openai_base()),
        ),
        (
            "claude-large",
            format!("{}/v1/messages", elsewhere.anthropic_base()),
        ),
        (
            "gemini-large",
            format!(
                "{}/v1beta/models/gemini-large:streamGenerateContent?alt=sse",
                elsewhere.gemini_base()
            ),
        ),
    ];
    for (model, to) in &targets {
        setup.server.set_fault(Fault {
            redirect_to: Some(to.clone()),
            ..fault(model)
        });
        let reply = run_guarded(one_try(), &setup, &[model], "hi").await;
        assert_eq!(reply.status, ReplyStatus::Failed, "{model}");
        let (code, message) = first_error(&reply);
        assert_eq!(code, "cross_origin_redirect", "{model}");
        assert!(message.contains(&elsewhere.url()), "{model}: {message}");
        assert!(message.contains("key stays with the provider"), "{message}");
    }
    let leaked: Vec<_> = elsewhere
        .requests()
        .into_iter()
        .filter(|r| !r.key_headers.is_empty())
        .map(|r| (r.path, r.key_headers))
        .collect();
    assert!(leaked.is_empty(), "keys reached another host: {leaked:?}");
    assert!(elsewhere.requests().is_empty(), "nothing was sent there");
}

#[tokio::test]
async fn a_redirect_within_the_providers_origin_is_still_followed() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        redirect_to: Some(format!("{}/chat/completions", setup.server.openai_base())),
        times: Some(1),
        ..fault("gpt-large")
    });
    let reply = run_guarded(one_try(), &setup, &["gpt-large"], "hi").await;
    assert_eq!(reply.status, ReplyStatus::Complete);
    assert_eq!(setup.calls("gpt-large"), 2, "the redirect, then the answer");
}

#[tokio::test]
async fn test_connection_refuses_a_redirect_to_another_host() {
    let setup = Setup::new().await;
    let elsewhere = FakeProvider::start(&[]).await.unwrap();
    setup.server.set_fault(Fault {
        redirect_to: Some(format!("{}/v1/models", elsewhere.anthropic_base())),
        ..fault("*")
    });
    let provider = row("a", ProviderKind::Anthropic, setup.server.anthropic_base());
    let err = test_connection(&provider, Some(&Secret::new(KEY).unwrap()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cross_origin_redirect", "{err}");
    assert!(err.to_string().contains(&elsewhere.url()), "{err}");
    assert!(elsewhere.requests().is_empty());
}

#[tokio::test]
async fn errors_that_echo_the_request_headers_never_show_the_key() {
    let mut setup = Setup::new().await;
    // A refused key, echoed in the 400 Gemini sends for it.
    let wrong = "AIza-wrong-key-000000000000wxyz";
    setup
        .keys
        .insert("gemini".into(), Secret::new(wrong).unwrap());
    let echo = |f: Fault| Fault {
        echo_headers: true,
        ..f
    };
    setup.server.set_fault(echo(Fault {
        status: Some(401),
        ..fault("claude-large")
    }));
    setup.server.set_fault(echo(Fault {
        status: Some(500),
        ..fault("gpt-large")
    }));
    setup.server.set_fault(echo(Fault {
        error_after: Some(1),
        ..fault("claude-small")
    }));
    setup.server.set_fault(echo(Fault {
        malformed_after: Some(0),
        ..fault("compat-model")
    }));
    setup.server.set_fault(echo(fault("gemini-large")));
    let mut seen = Vec::new();
    for chain in [
        "claude-large",
        "gpt-large",
        "claude-small",
        "compat-model",
        "gemini-large",
    ] {
        let reply = run_guarded(one_try(), &setup, &[chain], "hi there").await;
        assert_ne!(reply.status, ReplyStatus::Complete, "{chain}");
        let everything = serde_json::to_string(&reply).unwrap();
        assert!(
            !everything.contains(KEY_PREFIX) && !everything.contains("AIza-wrong"),
            "{chain}: a key in {everything}"
        );
        seen.push(everything);
    }
    let all = seen.join("\n");
    assert!(
        all.contains(MASKED),
        "the masked key shows where it was: {all}"
    );
    assert!(all.contains("••••wxyz"), "{all}");
    assert!(
        all.contains("anthropic-version"),
        "the rest of the echo stays: {all}"
    );
}

#[tokio::test]
async fn test_connection_masks_an_echoed_key() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        echo_headers: true,
        ..fault("*")
    });
    let provider = row("o", ProviderKind::Openai, setup.server.openai_base());
    let wrong = "sk-wrong-but-secret-0000ab12";
    let err = test_connection(&provider, Some(&Secret::new(wrong).unwrap()))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert_eq!(err.code(), "auth_failed");
    assert!(!text.contains("sk-wrong"), "{text}");
    assert!(text.contains("••••ab12"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_line_ends_the_hop_at_the_line_limit() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        endless_line: true,
        ..fault("gpt-large")
    });
    let limited = Policy {
        max_line_bytes: 64 << 10,
        // Far longer than the flood needs to pass the limit: the line limit must be what ends it.
        first_token_timeout: Duration::from_secs(30),
        ..one_try()
    };
    let reply = run_guarded(limited, &setup, &["gpt-large", "claude-large"], "hi").await;
    let (code, message) = first_error(&reply);
    assert_eq!(code, "line_too_long");
    assert!(message.contains("64 KiB"), "{message}");
    assert_eq!(
        reply.model.as_deref(),
        Some("claude-large"),
        "the next model answers"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_without_line_breaks_still_times_out() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        endless_line: true,
        ..fault("gpt-large")
    });
    // A line limit too high to matter here: only the first-token timeout can end the flood.
    let roomy = Policy {
        max_line_bytes: 1 << 30,
        first_token_timeout: Duration::from_millis(300),
        ..one_try()
    };
    let reply = run_guarded(roomy, &setup, &["gpt-large"], "hi").await;
    let (code, message) = first_error(&reply);
    assert_eq!(code, "timeout");
    assert!(message.contains("first token, limit 300 ms"), "{message}");
    // The same wording as every network failure: which server, and what to check.
    assert!(
        message.starts_with("127.0.0.1:") && message.contains("did not answer in time"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_error_body_is_read_only_up_to_its_limit() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        status: Some(500),
        huge_error_body_bytes: Some(300 << 20),
        ..fault("gpt-large")
    });
    let reply = run_guarded(one_try(), &setup, &["gpt-large"], "hi").await;
    let (code, message) = first_error(&reply);
    assert_eq!(code, "server_error");
    assert_eq!(reply.hops[0].status, Some(500));
    assert!(message.ends_with("(truncated after 64 KiB)"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_past_the_size_limit_ends_as_a_partial_reply() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        huge_reply_bytes: Some(8 << 20),
        ..fault("claude-large")
    });
    let small = Policy {
        max_reply_bytes: 256 << 10,
        ..one_try()
    };
    let reply = run_guarded(small, &setup, &["claude-large", "gpt-large"], "hi").await;
    assert_eq!(reply.status, ReplyStatus::Partial);
    assert_eq!(
        reply.text.len(),
        256 << 10,
        "the text up to the limit is kept"
    );
    let error = reply.error.as_ref().unwrap();
    assert_eq!(error.code, "reply_too_large");
    assert!(error.message.contains("256 KiB"), "{}", error.message);
    assert_eq!(reply.hops[0].outcome, HopOutcome::Partial);
    assert_eq!(setup.calls("gpt-large"), 0, "no fallback after text");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tool_call_without_end_stops_at_the_reply_size_limit() {
    // OpenAI and Anthropic send a call's arguments in pieces; an upstream that never closes
    // the call must not make the engine hold more than the reply limit of it.
    for model in ["gpt-large", "claude-large"] {
        let setup = Setup::new().await;
        setup.server.set_fault(Fault {
            endless_tool_call: true,
            ..fault(model)
        });
        let small = Policy {
            max_reply_bytes: 256 << 10,
            // Far longer than the flood needs: the size limit must be what ends it.
            request_deadline: Duration::from_secs(50),
            first_token_timeout: Duration::from_secs(50),
            ..one_try()
        };
        let reply = run_guarded(small, &setup, &[model], "hi").await;
        let (code, message) = first_error(&reply);
        assert_eq!(code, "reply_too_large", "{model}: {message}");
        assert!(
            message.contains("a tool call passed the reply size limit (256 KiB)"),
            "{message}"
        );
        assert!(
            reply.tool_calls.is_empty(),
            "{model}: no half call is passed on"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_stream_ends_at_the_request_deadline() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        endless_stream: true,
        chunk_delay_ms: 20,
        ..fault("gemini-large")
    });
    let short = Policy {
        request_deadline: Duration::from_secs(1),
        ..one_try()
    };
    let reply = run_guarded(short, &setup, &["gemini-large"], "hi").await;
    assert_eq!(reply.status, ReplyStatus::Partial);
    assert!(!reply.text.is_empty());
    let error = reply.error.unwrap();
    assert_eq!(error.code, "timeout");
    assert!(
        error.message.contains("at the request deadline of 1 s"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn a_failing_model_opens_its_own_circuit_not_its_providers() {
    let mut setup = Setup::new().await;
    setup
        .catalog
        .models
        .push(model("gpt-mini", "openai", 8_000, 100_000, 400_000));
    for m in ["gpt-small", "gpt-large"] {
        setup.server.set_fault(Fault {
            status: Some(500),
            ..fault(m)
        });
    }
    let breaking = Policy {
        attempts_per_model: 3,
        breaker_threshold: 2,
        ..policy()
    };
    let exec = Executor::new(breaking).unwrap();
    let plan = setup.plan(&["gpt-small", "gpt-large", "gpt-mini"]);
    let (reply, _) = run(&exec, &plan, "hi").await;
    assert_eq!(reply.model.as_deref(), Some("gpt-mini"), "{:?}", reply.hops);
    assert_eq!(
        setup.calls("gpt-small"),
        2,
        "its circuit opened after two failures"
    );
    assert_eq!(setup.calls("gpt-large"), 2);

    // The next request skips the two open models without calling them.
    let (reply, _) = run(&exec, &plan, "hi").await;
    assert_eq!(reply.model.as_deref(), Some("gpt-mini"));
    let codes: Vec<_> = reply
        .hops
        .iter()
        .map(|h| h.error.as_ref().map(|e| e.code.to_string()))
        .collect();
    let open = Some("circuit_open".to_string());
    assert_eq!(codes, [open.clone(), open, None]);
    assert_eq!(setup.calls("gpt-small"), 2);
}

#[tokio::test]
async fn limits_come_from_the_settings_table_and_bad_values_keep_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("limits.db")).await.unwrap();
    for (key, value) in [
        ("limits.max_reply_bytes", "1048576"),
        ("limits.request_deadline_secs", "90"),
        ("limits.max_line_bytes", "lots"),
    ] {
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?)")
            .bind(key)
            .bind(value)
            .execute(store.pool())
            .await
            .unwrap();
    }
    let p = Policy::with_overrides(&store).await;
    assert_eq!(p.max_reply_bytes, 1 << 20);
    assert_eq!(p.request_deadline, Duration::from_secs(90));
    assert_eq!(p.max_line_bytes, Policy::default().max_line_bytes);
}
