//! The Anthropic messages format: reading a request, writing a `message` and the stream of
//! `message_start` … `message_stop` events.
use serde_json::{json, Value};
use switchyard_engine::providers::tools::{anthropic_id, arguments_object};
use switchyard_engine::providers::{Tool, ToolChoice};
use switchyard_engine::reply::Reply;
use switchyard_router::{Message, ToolCall};

use crate::call_ids;
use crate::inbound::{self, bad, text_content, Images, Inbound};
use crate::wire::{ApiError, Facts, Format};

const F: Format = Format::Anthropic;

pub fn parse(v: &Value) -> Result<Inbound, ApiError> {
    let model = inbound::model_name(F, v)?;
    let tools = inbound::tools(F, parse_tools(v)?, parse_choice(v)?)?;
    let mut messages = Vec::new();
    if let Some(system) = v.get("system").filter(|s| !s.is_null()) {
        let text = text_content(F, system, "system")?;
        if !text.is_empty() {
            messages.push(Message::text("system", text));
        }
    }
    let Some(list) = v.get("messages").and_then(Value::as_array) else {
        return Err(bad(
            F,
            "messages: Field required (an array of {role, content}).",
        ));
    };
    for (i, m) in list.iter().enumerate() {
        let at = format!("messages.{i}");
        let role = match m.get("role").and_then(Value::as_str).unwrap_or("") {
            "user" => "user",
            "assistant" => "assistant",
            other => {
                return Err(bad(
                    F,
                    format!("{at}.role: '{other}' is not one of user, assistant."),
                ))
            }
        };
        let content = m.get("content").unwrap_or(&Value::Null);
        match content.as_array() {
            Some(blocks) if has_tool_blocks(blocks) => {
                turn_with_tools(role, blocks, &at, &mut messages)?;
            }
            _ => {
                let (text, images) = inbound::content(F, content, &at, images_in(role))?;
                let mut message = Message::text(role, text);
                message.images = images;
                messages.push(message);
            }
        }
    }
    Ok(Inbound {
        model,
        messages,
        stream: inbound::stream_flag(F, v)?,
        max_tokens: inbound::token_limit(F, v, "max_tokens")?,
        include_usage: false,
        tools,
    })
}

/// A user's turn carries images, an assistant's does not (as in Anthropic's API).
fn images_in(role: &str) -> Images {
    if role == "user" {
        Images::Taken
    } else {
        Images::Refused
    }
}

fn has_tool_blocks(blocks: &[Value]) -> bool {
    blocks.iter().any(|b| {
        matches!(
            b.get("type").and_then(Value::as_str),
            Some("tool_use" | "tool_result")
        )
    })
}

/// A turn with tool blocks: an assistant turn's text and `tool_use` calls, or a user turn's
/// `tool_result`s (each a `tool` message, in order) followed by its text.
fn turn_with_tools(
    role: &str,
    blocks: &[Value],
    at: &str,
    messages: &mut Vec<Message>,
) -> Result<(), ApiError> {
    let mut text = String::new();
    let mut images = Vec::new();
    let mut calls = Vec::new();
    for (j, b) in blocks.iter().enumerate() {
        let at = format!("{at}.content.{j}");
        match (role, b.get("type").and_then(Value::as_str).unwrap_or("")) {
            ("assistant", "tool_use") => {
                let id = b.get("id").and_then(Value::as_str).unwrap_or("");
                let name = b.get("name").and_then(Value::as_str).unwrap_or("");
                if id.is_empty() || name.is_empty() {
                    return Err(bad(
                        F,
                        format!("{at}: a tool_use block needs an `id` and a `name`."),
                    ));
                }
                let input = b.get("input").cloned().unwrap_or_else(|| json!({}));
                let (id, signature) = call_ids::decode(id);
                calls.push(ToolCall {
                    id,
                    name: name.to_string(),
                    arguments: input.to_string(),
                    signature,
                });
            }
            ("user", "tool_result") => {
                let id = b.get("tool_use_id").and_then(Value::as_str).unwrap_or("");
                if id.is_empty() {
                    return Err(bad(F, format!("{at}: a tool_result block needs the `tool_use_id` of the call it answers.")));
                }
                // A result's content is text, or text and image blocks.
                let (mut result, shown) = inbound::content(
                    F,
                    b.get("content").unwrap_or(&Value::Null),
                    &at,
                    Images::Taken,
                )?;
                if b.get("is_error").and_then(Value::as_bool) == Some(true) {
                    result = format!("Error: {result}");
                }
                let mut m = Message::text("tool", result);
                m.tool_call_id = Some(call_ids::decode(id).0);
                m.images = shown;
                messages.push(m);
            }
            (_, kind @ ("tool_use" | "tool_result")) => {
                return Err(bad(
                    F,
                    format!("{at}: a `{kind}` block cannot be in a {role} turn."),
                ))
            }
            _ => inbound::part(F, b, &at, images_in(role), &mut text, &mut images)?,
        }
    }
    if role == "assistant" {
        let mut m = Message::text("assistant", text);
        m.tool_calls = calls;
        messages.push(m);
    } else if !text.is_empty() || !images.is_empty() {
        let mut m = Message::text("user", text);
        m.images = images;
        messages.push(m);
    }
    Ok(())
}

/// `tools`: client tools ({name, description, input_schema}); Anthropic's server tools
/// (web search, code execution, …) run at Anthropic only and are refused.
fn parse_tools(v: &Value) -> Result<Vec<Tool>, ApiError> {
    let list = match v.get("tools") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err(bad(F, "tools: must be an array of tools.")),
    };
    list.iter()
        .enumerate()
        .map(|(i, t)| {
            let at = format!("tools.{i}");
            match t.get("type").and_then(Value::as_str) {
                None | Some("custom") => {}
                Some(kind) => {
                    return Err(bad(
                        F,
                        format!("{at}: tools of type '{kind}' run at Anthropic only and cannot be passed through; the endpoint passes client tools (name, description, input_schema)."),
                    ))
                }
            }
            if t.get("input_schema").is_none_or(Value::is_null) {
                return Err(bad(F, format!("{at}.input_schema: Field required.")));
            }
            inbound::tool(F, t.get("name"), t.get("description"), t.get("input_schema"), &at)
        })
        .collect()
}

/// `tool_choice`: {type: auto | any | tool (with name) | none}.
fn parse_choice(v: &Value) -> Result<Option<ToolChoice>, ApiError> {
    let Some(c) = v.get("tool_choice").filter(|c| !c.is_null()) else {
        return Ok(None);
    };
    let name = c.get("name").and_then(Value::as_str);
    match (c.get("type").and_then(Value::as_str), name) {
        (Some("auto"), _) => Ok(Some(ToolChoice::Auto)),
        (Some("any"), _) => Ok(Some(ToolChoice::Required)),
        (Some("none"), _) => Ok(Some(ToolChoice::None)),
        (Some("tool"), Some(n)) => Ok(Some(ToolChoice::Tool(n.to_string()))),
        _ => Err(bad(
            F,
            "tool_choice: must be {\"type\": \"auto\"}, {\"type\": \"any\"}, {\"type\": \"none\"} or {\"type\": \"tool\", \"name\": …}.",
        )),
    }
}

fn usage(reply: &Reply) -> Value {
    let u = reply.usage.unwrap_or_default();
    json!({
        "input_tokens": u.input_tokens,
        "output_tokens": u.output_tokens,
        "cache_read_input_tokens": u.cached_input_tokens,
    })
}

/// A tool call as a `tool_use` block (its id in the characters Anthropic allows, carrying the
/// call's thought signature, if any).
fn tool_use(c: &ToolCall) -> Value {
    let id = call_ids::encode(&anthropic_id(&c.id), c.signature.as_deref());
    json!({"type": "tool_use", "id": id, "name": c.name,
           "input": arguments_object(&c.arguments)})
}

/// The text block (left out when the reply only calls tools), then a `tool_use` per call.
fn content(reply: &Reply) -> Value {
    let mut blocks = Vec::new();
    if !reply.text.is_empty() || reply.tool_calls.is_empty() {
        blocks.push(json!({"type": "text", "text": reply.text}));
    }
    blocks.extend(reply.tool_calls.iter().map(tool_use));
    Value::Array(blocks)
}

/// The stop reason; a reply that calls tools stops with `tool_use` whatever the provider's
/// format said (Gemini says `STOP`).
fn stop(reply: &Reply) -> &'static str {
    if reply.tool_calls.is_empty() {
        inbound::anthropic_stop(reply.finish.as_ref())
    } else {
        "tool_use"
    }
}

/// The whole answer, non-streaming.
pub fn message(id: &str, facts: &Facts, reply: &Reply) -> Value {
    json!({
        "id": id,
        "type": "message",
        "role": "assistant",
        "model": facts.model,
        "content": content(reply),
        "stop_reason": stop(reply),
        "stop_sequence": null,
        "usage": usage(reply),
        "switchyard": facts.json(),
    })
}

fn event(name: &str, data: &Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// The streamed events of one message. The text block opens with the first text, so a reply
/// that only calls tools has only `tool_use` blocks.
pub struct Events {
    pub id: String,
    pub model: String,
    pub text_open: bool,
}

impl Events {
    pub fn start(&self) -> String {
        event(
            "message_start",
            &json!({"type": "message_start", "message": {
                "id": self.id, "type": "message", "role": "assistant", "model": self.model,
                "content": [], "stop_reason": null, "stop_sequence": null,
                "usage": {"input_tokens": 0, "output_tokens": 0},
            }}),
        )
    }

    pub fn text(&mut self, delta: &str) -> String {
        let mut out = String::new();
        if !self.text_open {
            self.text_open = true;
            out.push_str(&event(
                "content_block_start",
                &json!({"type": "content_block_start", "index": 0,
                        "content_block": {"type": "text", "text": ""}}),
            ));
        }
        out.push_str(&event(
            "content_block_delta",
            &json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": delta}}),
        ));
        out
    }

    pub fn end(&mut self, facts: &Facts, reply: &Reply) -> String {
        let mut out = String::new();
        if !self.text_open && reply.tool_calls.is_empty() {
            // An empty answer is still one (empty) text block.
            out.push_str(&self.text(""));
        }
        let mut index = 0;
        if self.text_open {
            out.push_str(&event(
                "content_block_stop",
                &json!({"type": "content_block_stop", "index": 0}),
            ));
            index = 1;
        }
        // Each call as Anthropic streams one: the block, its input in one delta, the stop.
        for c in &reply.tool_calls {
            let mut start = tool_use(c);
            let input = std::mem::replace(&mut start["input"], json!({}));
            out.push_str(&event(
                "content_block_start",
                &json!({"type": "content_block_start", "index": index, "content_block": start}),
            ));
            out.push_str(&event(
                "content_block_delta",
                &json!({"type": "content_block_delta", "index": index,
                        "delta": {"type": "input_json_delta", "partial_json": input.to_string()}}),
            ));
            out.push_str(&event(
                "content_block_stop",
                &json!({"type": "content_block_stop", "index": index}),
            ));
            index += 1;
        }
        out.push_str(&event(
            "message_delta",
            &json!({"type": "message_delta",
                    "delta": {"stop_reason": stop(reply), "stop_sequence": null},
                    "usage": usage(reply)}),
        ));
        out.push_str(&event("message_stop", &json!({"type": "message_stop"})));
        out.push_str(&facts.comment());
        out
    }

    /// A failure after text was sent: the clients raise it as an API error.
    pub fn error(&self, error: &ApiError, facts: &Facts) -> String {
        format!("{}{}", event("error", &error.body()), facts.comment())
    }
}

/// The model list, as Anthropic's `GET /v1/models` pages it (one page).
pub fn models(ids: &[(String, String)]) -> Value {
    json!({
        "data": ids.iter().map(|(id, _)| json!({
            "type": "model", "id": id, "display_name": id, "created_at": "1970-01-01T00:00:00Z",
        })).collect::<Vec<_>>(),
        "has_more": false,
        "first_id": ids.first().map(|(id, _)| id),
        "last_id": ids.last().map(|(id, _)| id),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_system_prompt_comes_first_and_misplaced_tool_blocks_are_refused() {
        let r = parse(&json!({
            "model": "claude-haiku", "max_tokens": 10, "stream": true,
            "system": [{"type": "text", "text": "Be brief."}],
            "messages": [{"role": "user", "content": "Hi"}],
        }))
        .unwrap();
        assert_eq!(
            (r.messages[0].role.as_str(), r.messages[0].content.as_str()),
            ("system", "Be brief.")
        );
        assert_eq!(r.messages[1].content, "Hi");
        assert!(r.stream);
        let tool = parse(
            &json!({"model": "auto", "messages": [{"role": "assistant", "content": [
            {"type": "tool_result", "tool_use_id": "x", "content": "42"}]}]}),
        )
        .unwrap_err();
        assert!(tool.message.contains("assistant turn"), "{}", tool.message);
        let server = parse(&json!({"model": "auto", "messages": [],
            "tools": [{"type": "web_search_20250305", "name": "web_search"}]}))
        .unwrap_err();
        assert!(
            server.message.contains("web_search_20250305"),
            "{}",
            server.message
        );
        let body = tool.body();
        assert_eq!(body["type"], "error");
        assert_eq!(body["error"]["type"], "invalid_request_error");
    }

    #[test]
    fn tool_use_and_tool_result_blocks_become_the_engines_messages() {
        let r = parse(&json!({
            "model": "auto", "max_tokens": 10,
            "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
            "tool_choice": {"type": "tool", "name": "get_weather"},
            "messages": [
                {"role": "user", "content": "Weather?"},
                {"role": "assistant", "content": [
                    {"type": "text", "text": "Checking."},
                    {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"q": 1}},
                    {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {"q": 2}}]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "toolu_1", "content": "4C"},
                    {"type": "tool_result", "tool_use_id": "toolu_2", "is_error": true,
                     "content": [{"type": "text", "text": "no station"}]},
                    {"type": "text", "text": "And tomorrow?"}]},
            ],
        }))
        .unwrap();
        assert_eq!(
            r.tools.unwrap().choice,
            Some(ToolChoice::Tool("get_weather".into()))
        );
        let roles: Vec<&str> = r.messages.iter().map(|m| m.role.as_str()).collect();
        assert_eq!(roles, ["user", "assistant", "tool", "tool", "user"]);
        assert_eq!(r.messages[1].content, "Checking.");
        assert_eq!(r.messages[1].tool_calls.len(), 2);
        assert_eq!(r.messages[1].tool_calls[0].arguments, r#"{"q":1}"#);
        assert_eq!(r.messages[2].tool_call_id.as_deref(), Some("toolu_1"));
        assert_eq!(r.messages[3].content, "Error: no station");
        assert_eq!(r.messages[4].content, "And tomorrow?");
        let unknown = parse(&json!({"model": "auto", "messages": [],
            "tools": [{"name": "a", "input_schema": {}}],
            "tool_choice": {"type": "tool", "name": "b"}}))
        .unwrap_err();
        assert!(unknown.message.contains("'b'"), "{}", unknown.message);
    }

    #[test]
    fn tool_calls_are_tool_use_blocks_whole_and_streamed() {
        let reply =
            crate::inbound::test_reply("Checking.", &[("call.1", "get_weather", r#"{"q":1}"#)]);
        let facts = Facts::default();
        let v = message("msg", &facts, &reply);
        assert_eq!(v["stop_reason"], "tool_use");
        assert_eq!(
            v["content"],
            json!([{"type": "text", "text": "Checking."},
                   {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"q": 1}}])
        );
        let mut events = Events {
            id: "msg".into(),
            model: "m".into(),
            text_open: false,
        };
        let mut out = events.start();
        out.push_str(&events.text("Checking."));
        out.push_str(&events.end(&facts, &reply));
        let data: Vec<Value> = out
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .map(|d| serde_json::from_str(d).unwrap())
            .collect();
        let shape: Vec<(String, Value)> = data
            .iter()
            .map(|e| (e["type"].as_str().unwrap().to_string(), e["index"].clone()))
            .collect();
        let at = |t: &str, i: Value| (t.to_string(), i);
        assert_eq!(
            shape,
            [
                at("message_start", Value::Null),
                at("content_block_start", json!(0)),
                at("content_block_delta", json!(0)),
                at("content_block_stop", json!(0)),
                at("content_block_start", json!(1)),
                at("content_block_delta", json!(1)),
                at("content_block_stop", json!(1)),
                at("message_delta", Value::Null),
                at("message_stop", Value::Null),
            ]
        );
        assert_eq!(data[4]["content_block"]["input"], json!({}));
        assert_eq!(data[5]["delta"]["partial_json"], r#"{"q":1}"#);
        // A reply that only calls a tool has no text block.
        let only = crate::inbound::test_reply("", &[("t", "get_weather", "{}")]);
        let mut events = Events {
            id: "msg".into(),
            model: "m".into(),
            text_open: false,
        };
        let end = events.end(&facts, &only);
        assert!(!end.contains(r#""type":"text""#), "{end}");
        assert_eq!(
            message("msg", &facts, &only)["content"][0]["type"],
            "tool_use"
        );
    }

    #[test]
    fn images_in_user_turns_and_tool_results_and_ids_with_signatures() {
        use crate::images::tests::PNG;
        let image = json!({"type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": PNG}});
        let mut reply = crate::inbound::test_reply("", &[("call.9", "chart", "{}")]);
        reply.tool_calls[0].signature = Some("CiQBc2ln+/==".into());
        let id = message("msg", &Facts::default(), &reply)["content"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(id.starts_with("call_9__ts_"), "{id}");
        assert!(id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        let r = parse(&json!({"model": "auto", "max_tokens": 10, "messages": [
            {"role": "user", "content": [image, {"type": "text", "text": "Chart this"}]},
            {"role": "assistant", "content": [{"type": "tool_use", "id": id, "name": "chart", "input": {}}]},
            {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": id, "content": [
                    {"type": "text", "text": "done"}, image]},
                image]},
        ]}))
        .unwrap();
        let roles: Vec<&str> = r.messages.iter().map(|m| m.role.as_str()).collect();
        assert_eq!(roles, ["user", "assistant", "tool", "user"]);
        assert_eq!(r.messages[0].content, "Chart this");
        assert_eq!(r.messages[0].images[0].name, "messages.0.content.0");
        assert_eq!(r.messages[1].tool_calls[0].id, "call_9");
        assert_eq!(
            r.messages[1].tool_calls[0].signature.as_deref(),
            Some("CiQBc2ln+/==")
        );
        assert_eq!(r.messages[2].tool_call_id.as_deref(), Some("call_9"));
        assert_eq!(
            (r.messages[2].content.as_str(), r.messages[2].images.len()),
            ("done", 1)
        );
        assert_eq!(
            r.messages[2].images[0].name,
            "messages.2.content.0.content.1"
        );
        // An image-only user turn after the results.
        assert_eq!(
            (r.messages[3].content.as_str(), r.messages[3].images.len()),
            ("", 1)
        );
        let assistant = parse(&json!({"model": "auto", "max_tokens": 10, "messages": [
            {"role": "assistant", "content": [image]}]}))
        .unwrap_err();
        assert!(
            assistant
                .message
                .contains("user messages and tool results only"),
            "{}",
            assistant.message
        );
    }
}
