//! Tool calling through the executor against the fake provider, in each wire format: the tools
//! reach the provider in its shape, the streamed call comes back whole (fragments put
//! together), and the tool's result sent back gets the final text.
mod support;

use serde_json::json;
use support::{policy, Recorder, Setup};
use switchyard_engine::execute::Executor;
use switchyard_engine::providers::{FinishReason, Tool, ToolChoice, Tools};
use switchyard_engine::reply::{Reply, ReplyStatus};
use switchyard_engine::send::ChatEvent;
use switchyard_fake_provider::tools::ToolCallFault;
use switchyard_fake_provider::Fault;
use switchyard_router::{Message, ToolCall};
use tokio_util::sync::CancellationToken;

fn tools() -> Tools {
    Tools {
        list: vec![
            Tool {
                name: "lookup".into(),
                description: Some("Looks a word up".into()),
                parameters: Some(json!({"type": "object",
                    "properties": {"query": {"type": "string"}}, "required": ["query"]})),
            },
            Tool {
                name: "clock".into(),
                description: None,
                parameters: None,
            },
        ],
        choice: Some(ToolChoice::Auto),
    }
}

async fn send(
    setup: &Setup,
    model: &str,
    messages: &[Message],
    tools: Option<&Tools>,
) -> (Reply, Vec<ChatEvent>) {
    let executor = Executor::new(policy()).unwrap();
    let mut events = Recorder::default();
    let reply = executor
        .execute(
            &setup.plan(&[model]),
            messages,
            None,
            tools,
            None,
            &mut events,
            &CancellationToken::new(),
        )
        .await;
    (reply, events.0)
}

#[tokio::test]
async fn each_format_calls_a_tool_and_answers_its_result() {
    let setup = Setup::new().await;
    for (model, format) in [
        ("gpt-small", "openai"),
        ("claude-small", "anthropic"),
        ("gemini-small", "gemini"),
    ] {
        setup.server.clear_requests();
        let ask = vec![Message::text("user", "define ferrule")];
        let (reply, events) = send(&setup, model, &ask, Some(&tools())).await;
        assert_eq!(reply.status, ReplyStatus::Complete, "{format}: {reply:?}");
        assert_eq!(reply.finish, Some(FinishReason::ToolCalls), "{format}");
        assert_eq!(reply.text, "", "{format}");
        assert_eq!(reply.tool_calls.len(), 1, "{format}");
        let call = &reply.tool_calls[0];
        assert_eq!(call.name, "lookup", "{format}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&call.arguments).unwrap(),
            json!({"query": "define ferrule"}),
            "{format}"
        );
        assert!(!call.id.is_empty(), "{format}");
        // A reply that only calls a tool has still started (the endpoint streams on it).
        assert!(matches!(events[0], ChatEvent::Started { .. }), "{format}");
        let seen = setup.server.chat_requests();
        assert_eq!(seen[0].format, format);
        assert_eq!(seen[0].tools, ["lookup", "clock"], "{format}");

        // The client runs the tool and sends the result back.
        let mut next = ask.clone();
        next.push(Message {
            role: "assistant".into(),
            tool_calls: reply.tool_calls.clone(),
            ..Message::default()
        });
        next.push(Message {
            role: "tool".into(),
            content: "a metal band".into(),
            tool_call_id: Some(call.id.clone()),
            ..Message::default()
        });
        let (answer, _) = send(&setup, model, &next, Some(&tools())).await;
        assert_eq!(answer.status, ReplyStatus::Complete, "{format}");
        assert!(answer.tool_calls.is_empty(), "{format}");
        assert_eq!(answer.finish, Some(FinishReason::Stop), "{format}");
        assert!(
            answer.text.contains("a metal band"),
            "{format}: {}",
            answer.text
        );
    }
}

#[tokio::test]
async fn a_fault_names_the_tool_and_arguments_and_usage_is_billed() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        model: "claude-small".into(),
        tool_call: Some(ToolCallFault {
            name: Some("clock".into()),
            arguments: Some(json!({"zone": "UTC", "nested": {"a": [1, 2]}})),
        }),
        ..Fault::default()
    });
    let (reply, _) = send(
        &setup,
        "claude-small",
        &[Message::text("user", "what time is it")],
        Some(&tools()),
    )
    .await;
    assert_eq!(
        reply.tool_calls,
        [ToolCall {
            id: reply.tool_calls[0].id.clone(),
            name: "clock".into(),
            arguments: json!({"zone": "UTC", "nested": {"a": [1, 2]}}).to_string(),
            signature: None,
        }]
    );
    assert!(reply.tool_calls[0].id.starts_with("toolu_"));
    assert!(reply
        .usage
        .is_some_and(|u| !u.estimated && u.output_tokens > 0));
}
