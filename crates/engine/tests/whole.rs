//! Models asked for their whole answer at once (the endpoint's non-streamed requests), against
//! the fake server's exact non-streamed formats: the same reply as streamed, one request body
//! each, and broken or oversized bodies handled as a broken stream is.
mod support;

use serde_json::json;
use support::{policy, Recorder, Setup};
use switchyard_engine::execute::{Executor, Policy};
use switchyard_engine::providers::{FinishReason, Tool, ToolChoice, Tools};
use switchyard_engine::reply::{HopOutcome, Reply, ReplyStatus};
use switchyard_fake_provider::tools::ToolCallFault;
use switchyard_fake_provider::Fault;
use switchyard_router::Message;
use tokio_util::sync::CancellationToken;

const MODELS: [(&str, &str); 4] = [
    ("gpt-small", "openai"),
    ("claude-small", "anthropic"),
    ("gemini-small", "gemini"),
    ("compat-model", "openai"),
];

async fn send(
    setup: &Setup,
    policy: Policy,
    chain: &[&str],
    whole: bool,
    tools: Option<&Tools>,
) -> Reply {
    let mut plan = setup.plan(chain);
    plan.whole_answers = whole;
    Executor::new(policy)
        .unwrap()
        .execute(
            &plan,
            &[Message::text("user", "Name three railway stations")],
            Some(64),
            tools,
            None,
            &mut Recorder::default(),
            &CancellationToken::new(),
        )
        .await
}

#[tokio::test]
async fn a_whole_answer_is_the_streamed_answer_in_one_body() {
    let setup = Setup::new().await;
    for (model, format) in MODELS {
        setup.server.clear_requests();
        let streamed = send(&setup, policy(), &[model], false, None).await;
        let whole = send(&setup, policy(), &[model], true, None).await;
        assert_eq!(whole.status, ReplyStatus::Complete, "{format}: {whole:?}");
        assert_eq!(whole.text, streamed.text, "{format}");
        assert!(!whole.text.is_empty(), "{format}");
        assert_eq!(whole.finish, Some(FinishReason::Stop), "{format}");
        assert_eq!(whole.usage, streamed.usage, "{format}");
        assert!(whole.usage.is_some_and(|u| !u.estimated), "{format}");
        let seen = setup.server.chat_requests();
        assert_eq!(seen.len(), 2, "{format}");
        assert!(seen[0].stream, "{format}: the first was streamed");
        assert!(
            !seen[1].stream,
            "{format}: the second asked for the whole answer"
        );
        assert_eq!(seen[1].format, format);
        assert!(
            seen[1].body.get("stream_options").is_none(),
            "{format}: {}",
            seen[1].body
        );
    }
}

#[tokio::test]
async fn a_whole_answer_carries_its_tool_calls() {
    let setup = Setup::new().await;
    let tools = Tools {
        list: vec![Tool {
            name: "lookup".into(),
            description: None,
            parameters: Some(json!({"type": "object",
                "properties": {"query": {"type": "string"}}})),
        }],
        choice: Some(ToolChoice::Auto),
    };
    for (model, format) in MODELS {
        setup.server.set_fault(Fault {
            model: model.into(),
            times: Some(1),
            tool_call: Some(ToolCallFault {
                name: Some("lookup".into()),
                arguments: Some(json!({"query": "ferrule"})),
            }),
            ..Fault::default()
        });
        let reply = send(&setup, policy(), &[model], true, Some(&tools)).await;
        assert_eq!(reply.status, ReplyStatus::Complete, "{format}: {reply:?}");
        assert_eq!(reply.finish, Some(FinishReason::ToolCalls), "{format}");
        assert_eq!(reply.tool_calls.len(), 1, "{format}");
        assert_eq!(reply.tool_calls[0].name, "lookup");
        assert!(!reply.tool_calls[0].id.is_empty(), "{format}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&reply.tool_calls[0].arguments).unwrap(),
            json!({"query": "ferrule"}),
            "{format}"
        );
    }
}

/// A body cut off part-way or one that does not parse fails that model like a broken stream,
/// and the next model answers.
#[tokio::test]
async fn a_broken_whole_body_falls_back_to_the_next_model() {
    let setup = Setup::new().await;
    for broken in [
        Fault {
            model: "gpt-small".into(),
            cut_after: Some(0),
            ..Fault::default()
        },
        Fault {
            model: "gpt-small".into(),
            malformed_after: Some(0),
            ..Fault::default()
        },
    ] {
        setup.server.clear_faults();
        setup.server.set_fault(broken);
        let reply = send(&setup, policy(), &["gpt-small", "claude-small"], true, None).await;
        assert_eq!(reply.status, ReplyStatus::Complete, "{reply:?}");
        assert_eq!(reply.model.as_deref(), Some("claude-small"));
        let failed = &reply.hops[0];
        assert_eq!(failed.model, "gpt-small");
        assert_eq!(failed.outcome, HopOutcome::Failed);
    }
}

/// A whole body past the reply size limit is not read further.
#[tokio::test]
async fn a_whole_body_past_the_reply_limit_is_refused() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        model: "gpt-small".into(),
        reply: Some("x".repeat(64 * 1024)),
        ..Fault::default()
    });
    let small = Policy {
        max_reply_bytes: 16 * 1024,
        ..policy()
    };
    let reply = send(&setup, small, &["gpt-small"], true, None).await;
    assert_eq!(reply.status, ReplyStatus::Failed, "{reply:?}");
    let error = reply.hops[0].error.as_ref().unwrap();
    assert_eq!(error.code.to_string(), "reply_too_large", "{error:?}");
    assert!(error.message.contains("16 KiB"), "{}", error.message);
}

/// A server that streams although the whole answer was asked for is read as a stream.
#[tokio::test]
async fn a_server_that_streams_anyway_is_read_as_a_stream() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = vec![0u8; 64 * 1024];
            let _ = socket.read(&mut request).await;
            let frames = [
                r#"{"choices":[{"index":0,"delta":{"content":"Streamed "}}]}"#,
                r#"{"choices":[{"index":0,"delta":{"content":"anyway"},"finish_reason":"stop"}]}"#,
                r#"{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2}}"#,
                "[DONE]",
            ];
            let body: String = frames.iter().map(|f| format!("data: {f}\n\n")).collect();
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body.as_bytes()).await;
        }
    });
    let mut setup = Setup::new().await;
    let compat = setup
        .providers
        .iter_mut()
        .find(|p| p.row.id == "compat")
        .unwrap();
    compat.row.base_url = format!("http://{addr}/v1");
    let reply = send(&setup, policy(), &["compat-model"], true, None).await;
    assert_eq!(reply.status, ReplyStatus::Complete, "{reply:?}");
    assert_eq!(reply.text, "Streamed anyway");
    assert_eq!(reply.usage.map(|u| u.output_tokens), Some(2));
}
