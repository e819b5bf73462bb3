//! Tool (function) calling as the engine carries it between wire formats: the tools a request
//! offers, which one the model may or must call, and what each format needs to say it.
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use switchyard_router::tokens::approx_tokens;
use switchyard_router::Message;

/// One tool the model may call: a name, what it does, and its arguments' JSON schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Tool {
    pub name: String,
    pub description: Option<String>,
    /// A JSON schema of an object (`{"type": "object", …}`); `None` when the client sent none.
    pub parameters: Option<Value>,
}

/// Whether the model may, must, or must not call a tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolChoice {
    /// The model decides (every format's default).
    Auto,
    /// No tool call.
    None,
    /// Some tool call (OpenAI `required`, Anthropic `any`, Gemini `ANY`).
    Required,
    /// This tool.
    Tool(String),
}

/// The tools of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Tools {
    pub list: Vec<Tool>,
    /// `None` leaves the provider's default (auto).
    pub choice: Option<ToolChoice>,
}

impl Tools {
    /// About how many prompt tokens the tool definitions take (names, descriptions and
    /// schemas are sent with every request that offers them).
    pub fn prompt_tokens(&self) -> u32 {
        self.list
            .iter()
            .map(|t| {
                let description = t.description.as_deref().unwrap_or("");
                approx_tokens(&t.name)
                    .saturating_add(approx_tokens(description))
                    .saturating_add(approx_tokens(&t.schema().to_string()))
                    .saturating_add(TOOL_OVERHEAD_TOKENS)
            })
            .fold(0, u32::saturating_add)
    }
}

/// The framing each tool definition adds around its name, description and schema.
const TOOL_OVERHEAD_TOKENS: u32 = 8;

impl Tool {
    /// The schema, or an object with no properties when the client gave none (Anthropic
    /// requires one).
    pub fn schema(&self) -> Value {
        self.parameters
            .clone()
            .unwrap_or_else(|| json!({"type": "object", "properties": {}}))
    }
}

/// A call's arguments as a JSON object: the text parsed, `{}` when empty, and text that is not
/// an object kept under `"arguments"` (so nothing the model said is lost).
pub fn arguments_object(arguments: &str) -> Value {
    if arguments.trim().is_empty() {
        return Value::Object(Map::new());
    }
    match serde_json::from_str::<Value>(arguments) {
        Ok(v @ Value::Object(_)) => v,
        Ok(other) => json!({ "arguments": other }),
        Err(_) => json!({ "arguments": arguments }),
    }
}

/// An id for a call whose format gives none (Gemini): the same call at the same place of a
/// reply gets the same id, so a client's retry sees the same one.
pub fn stable_id(name: &str, arguments: &str, index: usize) -> String {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([0]);
    h.update(arguments.as_bytes());
    h.update([0]);
    h.update(index.to_le_bytes());
    let digest = h.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("call_{hex}")
}

/// An id as Anthropic accepts it (`^[a-zA-Z0-9_-]+$`): other characters become `_`. Applied to
/// both the call and its result, so the two still match.
pub fn anthropic_id(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.is_empty() {
        "call".into()
    } else {
        safe
    }
}

/// The name of the tool whose call `id` a result answers, from the assistant turns before it
/// (Gemini's `functionResponse` names the function, not the call).
pub fn name_of_call<'a>(messages: &'a [Message], id: &str) -> Option<&'a str> {
    messages
        .iter()
        .flat_map(|m| &m.tool_calls)
        .find(|c| c.id == id)
        .map(|c| c.name.as_str())
}

/// A tool message's result.
pub fn is_tool_result(m: &Message) -> bool {
    m.role.eq_ignore_ascii_case("tool")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_definitions_count_as_prompt_tokens() {
        let weather = Tool {
            name: "get_weather".into(),
            description: Some("The forecast for a city, day by day.".into()),
            parameters: Some(json!({"type": "object", "properties": {
                "city": {"type": "string", "description": "The city's name"},
                "days": {"type": "integer", "minimum": 1, "maximum": 14}}})),
        };
        let one = Tools {
            list: vec![weather.clone()],
            choice: None,
        };
        let schema = approx_tokens(&weather.schema().to_string());
        assert!(one.prompt_tokens() > schema, "the schema and more");
        let two = Tools {
            list: vec![weather.clone(), weather],
            choice: None,
        };
        assert_eq!(two.prompt_tokens(), 2 * one.prompt_tokens());
        let none = Tools {
            list: vec![],
            choice: None,
        };
        assert_eq!(none.prompt_tokens(), 0);
        // A call's reservation covers them.
        let catalog = switchyard_router::default_catalog();
        let model = &catalog.models[0];
        let messages = [Message::text("user", "Weather in Paris?")];
        let (bare, bare_cost) = crate::budget::estimate(model, &messages, None);
        let (offered, offered_cost) = crate::budget::estimate(model, &messages, Some(&two));
        assert_eq!(
            offered.input_tokens,
            bare.input_tokens + two.prompt_tokens()
        );
        assert!(offered_cost > bare_cost);
    }

    #[test]
    fn arguments_become_an_object_without_losing_text() {
        assert_eq!(arguments_object(""), json!({}));
        assert_eq!(arguments_object(r#"{"a":1}"#), json!({"a": 1}));
        assert_eq!(arguments_object("[1]"), json!({"arguments": [1]}));
        assert_eq!(arguments_object("{oops"), json!({"arguments": "{oops"}));
    }

    #[test]
    fn ids_are_stable_and_safe() {
        assert_eq!(stable_id("f", "{}", 0), stable_id("f", "{}", 0));
        assert_ne!(stable_id("f", "{}", 0), stable_id("f", "{}", 1));
        assert!(stable_id("f", "{}", 0).starts_with("call_"));
        assert_eq!(anthropic_id("call_ab-1"), "call_ab-1");
        assert_eq!(anthropic_id("call.ab:1"), "call_ab_1");
    }
}

/// Each format's exact request body for a tool exchange, and each format's streamed calls put
/// back together.
#[cfg(test)]
mod wire_tests {
    use std::collections::VecDeque;

    use eventsource_stream::Event;
    use reqwest::header::HeaderMap;
    use serde_json::{json, Value};
    use switchyard_router::{Message, ToolCall};

    use super::*;
    use crate::provider::ProviderKind;
    use crate::providers::sse::Decoder;
    use crate::providers::{
        anthropic, gemini, openai, ChatCall, Endpoint, FinishReason, StreamEvent,
    };
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
                {"role": "model", "parts": [
                    {"text": "Checking."},
                    {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}},
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
}
