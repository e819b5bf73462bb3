//! Each format's exact request body for a tool exchange (tool results with images, Gemini's
//! thought signatures), and each format's streamed calls put back together.
use std::collections::VecDeque;

use eventsource_stream::Event;
use reqwest::header::HeaderMap;
use serde_json::{json, Value};
use switchyard_router::{Message, ToolCall};

use super::tools::*;
use crate::provider::ProviderKind;
use crate::providers::sse::Decoder;
use crate::providers::{anthropic, gemini, openai, ChatCall, Endpoint, FinishReason, StreamEvent};
use crate::redact::Redactor;

fn endpoint(kind: ProviderKind) -> Endpoint {
    Endpoint {
        kind,
        base_url: "http://up".into(),
        headers: HeaderMap::new(),
        redactor: Redactor::new(None, &HeaderMap::new()),
    }
}

fn tools() -> Tools {
    Tools {
        list: vec![
            Tool {
                name: "get_weather".into(),
                description: Some("The weather in a city".into()),
                parameters: Some(json!({
                    "$schema": "http://json-schema.org/draft-07/schema#",
                    "type": "object",
                    "properties": {
                        "city": {"type": "string"},
                        "additionalProperties": {"type": "boolean"},
                    },
                    "required": ["city"],
                    "additionalProperties": false,
                })),
            },
            Tool {
                name: "clock".into(),
                description: None,
                parameters: None,
            },
        ],
        choice: Some(ToolChoice::Tool("get_weather".into())),
    }
}

/// A user asks, the assistant calls the tool twice (after a word), both results come back.
fn exchange() -> Vec<Message> {
    let call = |id: &str, city: &str| ToolCall {
        id: id.into(),
        name: "get_weather".into(),
        arguments: format!(r#"{{"city":"{city}"}}"#),
        signature: None,
    };
    let result = |id: &str, text: &str| Message {
        role: "tool".into(),
        content: text.into(),
        tool_call_id: Some(id.into()),
        ..Message::default()
    };
    vec![
        Message::text("system", "Be brief."),
        Message::text("user", "Weather in Paris and Oslo?"),
        Message {
            role: "assistant".into(),
            content: "Checking.".into(),
            tool_calls: vec![call("call_1", "Paris"), call("call.2", "Oslo")],
            ..Message::default()
        },
        result("call_1", "18C sunny"),
        result("call.2", r#"{"temp":"4C"}"#),
        Message::text("user", "Which is warmer?"),
    ]
}

fn body(kind: ProviderKind) -> Value {
    let messages = exchange();
    let tools = tools();
    let call = ChatCall {
        model: "m",
        messages: &messages,
        max_output_tokens: None,
        tools: Some(&tools),
    };
    let e = endpoint(kind);
    match kind {
        ProviderKind::Anthropic => anthropic::request(&e, call).1,
        ProviderKind::Gemini => gemini::request(&e, call).1,
        _ => openai::request(&e, call).1,
    }
}

#[test]
fn openai_body_carries_function_tools_tool_calls_and_tool_messages() {
    let b = body(ProviderKind::Openai);
    assert_eq!(
        b["messages"],
        json!([
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Weather in Paris and Oslo?"},
            {"role": "assistant", "content": "Checking.", "tool_calls": [
                {"id": "call_1", "type": "function",
                 "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}},
                {"id": "call.2", "type": "function",
                 "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}},
            ]},
            {"role": "tool", "tool_call_id": "call_1", "content": "18C sunny"},
            {"role": "tool", "tool_call_id": "call.2", "content": "{\"temp\":\"4C\"}"},
            {"role": "user", "content": "Which is warmer?"},
        ])
    );
    assert_eq!(
        b["tools"],
        json!([
            {"type": "function", "function": {
                "name": "get_weather", "description": "The weather in a city",
                "parameters": tools().list[0].parameters,
            }},
            {"type": "function", "function": {
                "name": "clock", "parameters": {"type": "object", "properties": {}},
            }},
        ])
    );
    assert_eq!(
        b["tool_choice"],
        json!({"type": "function", "function": {"name": "get_weather"}})
    );
}

#[test]
fn anthropic_body_carries_tool_use_and_tool_result_blocks_with_safe_ids() {
    let b = body(ProviderKind::Anthropic);
    assert_eq!(b["system"], "Be brief.");
    assert_eq!(
        b["messages"],
        json!([
            {"role": "user", "content": "Weather in Paris and Oslo?"},
            {"role": "assistant", "content": [
                {"type": "text", "text": "Checking."},
                {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"city": "Paris"}},
                {"type": "tool_use", "id": "call_2", "name": "get_weather", "input": {"city": "Oslo"}},
            ]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "call_1", "content": "18C sunny"},
                {"type": "tool_result", "tool_use_id": "call_2", "content": "{\"temp\":\"4C\"}"},
                {"type": "text", "text": "Which is warmer?"},
            ]},
        ])
    );
    assert_eq!(
        b["tools"],
        json!([
            {"name": "get_weather", "description": "The weather in a city",
             "input_schema": tools().list[0].parameters},
            {"name": "clock", "input_schema": {"type": "object", "properties": {}}},
        ])
    );
    assert_eq!(
        b["tool_choice"],
        json!({"type": "tool", "name": "get_weather"})
    );
}

#[test]
fn gemini_body_carries_function_declarations_calls_and_named_responses() {
    let b = body(ProviderKind::Gemini);
    assert_eq!(
        b["contents"],
        json!([
            {"role": "user", "parts": [{"text": "Weather in Paris and Oslo?"}]},
            // The calls have no thought signature (another model made them): the first
            // carries the one Gemini documents for that.
            {"role": "model", "parts": [
                {"text": "Checking."},
                {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}},
                 "thoughtSignature": "skip_thought_signature_validator"},
                {"functionCall": {"name": "get_weather", "args": {"city": "Oslo"}}},
            ]},
            {"role": "user", "parts": [
                {"functionResponse": {"name": "get_weather", "response": {"result": "18C sunny"}}},
                {"functionResponse": {"name": "get_weather", "response": {"temp": "4C"}}},
                {"text": "Which is warmer?"},
            ]},
        ])
    );
    // Gemini's schema subset: `$schema` and `additionalProperties` left out (a property of
    // that name kept), and a tool without arguments declared without `parameters`.
    assert_eq!(
        b["tools"],
        json!([{"functionDeclarations": [
            {"name": "get_weather", "description": "The weather in a city",
             "parameters": {"type": "object",
                            "properties": {"city": {"type": "string"},
                                           "additionalProperties": {"type": "boolean"}},
                            "required": ["city"]}},
            {"name": "clock"},
        ]}])
    );
    assert_eq!(
        b["toolConfig"],
        json!({"functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}})
    );
}

#[test]
fn without_tools_no_tool_fields_are_sent() {
    let messages = vec![Message::text("user", "hi")];
    let call = ChatCall {
        model: "m",
        messages: &messages,
        max_output_tokens: None,
        tools: None,
    };
    for kind in [
        ProviderKind::Openai,
        ProviderKind::Anthropic,
        ProviderKind::Gemini,
    ] {
        let e = endpoint(kind);
        let b = match kind {
            ProviderKind::Anthropic => anthropic::request(&e, call).1,
            ProviderKind::Gemini => gemini::request(&e, call).1,
            _ => openai::request(&e, call).1,
        };
        for field in ["tools", "tool_choice", "toolConfig"] {
            assert!(b.get(field).is_none(), "{kind:?} {field}");
        }
    }
}

fn decode(decoder: &mut dyn Decoder, frames: &[&str]) -> Vec<StreamEvent> {
    let mut out = VecDeque::new();
    for data in frames {
        let event = Event {
            data: (*data).into(),
            ..Event::default()
        };
        decoder.decode(&event, &mut out).unwrap();
    }
    out.into()
}

fn calls(events: &[StreamEvent]) -> Vec<ToolCall> {
    events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::ToolCall(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

fn call(id: &str, name: &str, arguments: &str) -> ToolCall {
    ToolCall {
        id: id.into(),
        name: name.into(),
        arguments: arguments.into(),
        signature: None,
    }
}

#[test]
fn openai_call_fragments_are_put_together_by_index() {
    let events = decode(
        &mut openai::OpenAiDecoder::default(),
        &[
            r#"{"choices":[{"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":"{}"}}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Paris\"}"}}]}}]}"#,
            r#"{"choices":[{"delta":{},"finish_reason":"tool_calls"}]}"#,
            "[DONE]",
        ],
    );
    assert_eq!(
        calls(&events),
        [
            call("call_a", "get_weather", r#"{"city":"Paris"}"#),
            call("call_b", "get_time", "{}")
        ]
    );
    assert_eq!(
        events.last(),
        Some(&StreamEvent::Finish(FinishReason::ToolCalls))
    );
}

#[test]
fn anthropic_tool_use_blocks_are_put_together_from_input_json_deltas() {
    let events = decode(
        &mut anthropic::AnthropicDecoder::default(),
        &[
            r#"{"type":"message_start","message":{"usage":{"input_tokens":10,"output_tokens":1}}}"#,
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me check."}}"#,
            r#"{"type":"content_block_stop","index":0}"#,
            r#"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01","name":"get_weather","input":{}}}"#,
            r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#,
            r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": "}}"#,
            r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"Oslo\"}"}}"#,
            r#"{"type":"content_block_stop","index":1}"#,
            r#"{"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_02","name":"get_time","input":{}}}"#,
            r#"{"type":"content_block_stop","index":2}"#,
            r#"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":30}}"#,
            r#"{"type":"message_stop"}"#,
        ],
    );
    assert_eq!(events[0], StreamEvent::Text("Let me check.".into()));
    assert_eq!(
        calls(&events),
        [
            call("toolu_01", "get_weather", r#"{"city": "Oslo"}"#),
            call("toolu_02", "get_time", "{}")
        ]
    );
    assert_eq!(
        events.last(),
        Some(&StreamEvent::Finish(FinishReason::ToolCalls))
    );
}

#[test]
fn gemini_function_calls_get_stable_ids_and_a_tool_calls_finish() {
    let frames = [
        r#"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Rome"}}}]}}]}"#,
        r#"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"id":"g-7","name":"get_time","args":{}}}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":3}}"#,
    ];
    let events = decode(&mut gemini::GeminiDecoder::default(), &frames);
    let first_id = stable_id("get_weather", r#"{"city":"Rome"}"#, 0);
    assert_eq!(
        calls(&events),
        [
            call(&first_id, "get_weather", r#"{"city":"Rome"}"#),
            call("g-7", "get_time", "{}")
        ]
    );
    assert_eq!(
        events.last(),
        Some(&StreamEvent::Finish(FinishReason::ToolCalls))
    );
    // The same reply read again gets the same ids.
    let again = decode(&mut gemini::GeminiDecoder::default(), &frames);
    assert_eq!(calls(&again), calls(&events));
}

/// A conversation whose tool results bring images: the first result text and an image, the
/// second only an image.
fn results_with_images() -> Vec<Message> {
    let png = |name: &str| switchyard_router::Image {
        name: name.into(),
        media_type: "image/png".into(),
        data: "iVBORw0KGgo=".into(),
    };
    let call = |id: &str, name: &str| ToolCall {
        id: id.into(),
        name: name.into(),
        arguments: "{}".into(),
        signature: None,
    };
    vec![
        Message::text("user", "Draw both charts."),
        Message {
            role: "assistant".into(),
            tool_calls: vec![call("call_1", "chart"), call("call_2", "map")],
            ..Message::default()
        },
        Message {
            role: "tool".into(),
            content: "the chart".into(),
            images: vec![png("chart.png")],
            tool_call_id: Some("call_1".into()),
            ..Message::default()
        },
        Message {
            role: "tool".into(),
            images: vec![png("map.png")],
            tool_call_id: Some("call_2".into()),
            ..Message::default()
        },
        Message::text("user", "Compare them."),
    ]
}

fn body_of(kind: ProviderKind, messages: &[Message]) -> Value {
    let call = ChatCall {
        model: "m",
        messages,
        max_output_tokens: None,
        tools: None,
    };
    let e = endpoint(kind);
    match kind {
        ProviderKind::Anthropic => anthropic::request(&e, call).1,
        ProviderKind::Gemini => gemini::request(&e, call).1,
        _ => openai::request(&e, call).1,
    }
}

#[test]
fn openai_tool_messages_stay_text_and_their_images_follow_in_a_user_message() {
    let b = body_of(ProviderKind::Openai, &results_with_images());
    let url = "data:image/png;base64,iVBORw0KGgo=";
    assert_eq!(
        b["messages"].as_array().unwrap()[2..],
        json!([
            {"role": "tool", "tool_call_id": "call_1", "content": "the chart"},
            {"role": "tool", "tool_call_id": "call_2",
             "content": "The result is the images in the next message."},
            {"role": "user", "content": [
                {"type": "text", "text": "The images chart returned (call call_1):"},
                {"type": "image_url", "image_url": {"url": url}},
                {"type": "text", "text": "The images map returned (call call_2):"},
                {"type": "image_url", "image_url": {"url": url}},
            ]},
            {"role": "user", "content": "Compare them."},
        ])
        .as_array()
        .unwrap()[..]
    );
    // The file names are for messages about the images, never sent.
    assert!(!b.to_string().contains("chart.png"));
}

#[test]
fn anthropic_tool_results_carry_their_image_blocks() {
    let b = body_of(ProviderKind::Anthropic, &results_with_images());
    let image = json!({"type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}});
    assert_eq!(
        b["messages"][2],
        json!({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "call_1",
             "content": [{"type": "text", "text": "the chart"}, image]},
            {"type": "tool_result", "tool_use_id": "call_2", "content": [image]},
            {"type": "text", "text": "Compare them."},
        ]})
    );
}

#[test]
fn gemini_function_responses_come_first_then_each_result_s_images() {
    let b = body_of(ProviderKind::Gemini, &results_with_images());
    let inline = json!({"inline_data": {"mime_type": "image/png", "data": "iVBORw0KGgo="}});
    assert_eq!(
        b["contents"][2],
        json!({"role": "user", "parts": [
            {"functionResponse": {"name": "chart", "response": {"result": "the chart"}}},
            {"functionResponse": {"name": "map", "response": {"result": ""}}},
            {"text": "The images chart returned:"},
            inline,
            {"text": "The images map returned:"},
            inline,
            {"text": "Compare them."},
        ]})
    );
}

#[test]
fn gemini_thought_signatures_are_read_streaming_and_sent_back_on_their_calls() {
    // Parallel calls: Gemini signs the first only.
    let frames = [
        r#"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Rome"}},"thoughtSignature":"CiQBsig1=="}]}}]}"#,
        r#"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Oslo"}}}]},"finishReason":"STOP"}]}"#,
    ];
    let got = calls(&decode(&mut gemini::GeminiDecoder::default(), &frames));
    assert_eq!(got[0].signature.as_deref(), Some("CiQBsig1=="));
    assert_eq!(got[1].signature, None);
    let messages = vec![
        Message::text("user", "Weather in Rome and Oslo?"),
        Message {
            role: "assistant".into(),
            tool_calls: got.clone(),
            ..Message::default()
        },
    ];
    let b = body_of(ProviderKind::Gemini, &messages);
    let parts = &b["contents"][1]["parts"];
    assert_eq!(parts[0]["thoughtSignature"], "CiQBsig1==");
    // Gemini's own calls go back as they came: no signature where it gave none.
    assert!(parts[1].get("thoughtSignature").is_none(), "{parts}");
    // The other formats never see it.
    for kind in [ProviderKind::Openai, ProviderKind::Anthropic] {
        let b = body_of(kind, &messages).to_string();
        assert!(!b.contains("CiQBsig1"), "{kind:?}: {b}");
    }
}
