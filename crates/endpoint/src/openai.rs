//! The OpenAI chat completions format: reading a request, writing `chat.completion` and the
//! `chat.completion.chunk` stream that ends with `data: [DONE]`.
use serde_json::{json, Value};
use switchyard_engine::providers::{Tool, ToolChoice};
use switchyard_engine::reply::Reply;
use switchyard_router::{Message, ToolCall};

use crate::call_ids;
use crate::inbound::{self, bad, Images, Inbound};
use crate::wire::{ApiError, Facts, Format};

const F: Format = Format::OpenAi;

pub fn parse(v: &Value) -> Result<Inbound, ApiError> {
    let model = inbound::model_name(F, v)?;
    if v.get("functions").is_some_and(|t| !t.is_null())
        || v.get("function_call").is_some_and(|t| !t.is_null())
    {
        return Err(bad(
            F,
            "`functions` and `function_call` are the deprecated form of tool calling: send `tools` and `tool_choice` instead.",
        )
        .param("functions"));
    }
    if v.get("n").and_then(Value::as_u64).is_some_and(|n| n > 1) {
        return Err(bad(
            F,
            "`n` greater than 1 is not supported: ask once per answer.",
        )
        .param("n"));
    }
    let tools = inbound::tools(F, parse_tools(v)?, parse_choice(v)?)?;
    let Some(list) = v.get("messages").and_then(Value::as_array) else {
        return Err(
            bad(F, "`messages` is required: an array of {role, content}.").param("messages"),
        );
    };
    let mut messages = Vec::with_capacity(list.len());
    for (i, m) in list.iter().enumerate() {
        let at = format!("messages[{i}]");
        let role = m.get("role").and_then(Value::as_str).unwrap_or("");
        let role = match role {
            "system" | "developer" => "system",
            "user" => "user",
            "assistant" => "assistant",
            "tool" => "tool",
            "function" => {
                return Err(bad(
                    F,
                    format!("{at}: role 'function' is the deprecated form of tool results: send a `tool` message with `tool_call_id`."),
                )
                .param("messages"))
            }
            other => {
                return Err(bad(
                    F,
                    format!(
                        "{at}: role '{other}' is not one of system, developer, user, assistant, tool."
                    ),
                )
                .param("messages"))
            }
        };
        if m.get("function_call").is_some_and(|t| !t.is_null()) {
            return Err(bad(
                F,
                format!("{at}: `function_call` is the deprecated form of tool calls: send `tool_calls`."),
            )
            .param("messages"));
        }
        // Images come in user messages, as in OpenAI's API, and in tool results too (which
        // OpenAI's own API takes as text only; other providers read them, see README).
        let images = if matches!(role, "user" | "tool") {
            Images::Taken
        } else {
            Images::Refused
        };
        let (text, images) =
            inbound::content(F, m.get("content").unwrap_or(&Value::Null), &at, images)
                .map_err(|e| e.param("messages"))?;
        let mut message = Message::text(role, text);
        message.images = images;
        if role == "tool" {
            let id = m
                .get("tool_call_id")
                .and_then(Value::as_str)
                .filter(|id| !id.is_empty())
                .ok_or_else(|| {
                    bad(
                        F,
                        format!(
                            "{at}: a tool message needs the `tool_call_id` of the call it answers."
                        ),
                    )
                    .param("messages")
                })?;
            message.tool_call_id = Some(call_ids::decode(id).0);
        }
        if let Some(calls) = m.get("tool_calls").filter(|t| !t.is_null()) {
            if role != "assistant" {
                return Err(bad(
                    F,
                    format!("{at}: only assistant messages carry `tool_calls`."),
                )
                .param("messages"));
            }
            message.tool_calls = tool_calls(calls, &at)?;
        }
        messages.push(message);
    }
    let max_tokens = match inbound::token_limit(F, v, "max_completion_tokens")? {
        Some(n) => Some(n),
        None => inbound::token_limit(F, v, "max_tokens")?,
    };
    Ok(Inbound {
        model,
        messages,
        stream: inbound::stream_flag(F, v)?,
        max_tokens,
        include_usage: v
            .pointer("/stream_options/include_usage")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        tools,
    })
}

/// `tools`: function tools only.
fn parse_tools(v: &Value) -> Result<Vec<Tool>, ApiError> {
    let list = match v.get("tools") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(list)) => list,
        Some(_) => return Err(bad(F, "`tools` must be an array of function tools.").param("tools")),
    };
    list.iter()
        .enumerate()
        .map(|(i, t)| {
            let at = format!("tools[{i}]");
            let kind = t.get("type").and_then(Value::as_str).unwrap_or("");
            if kind != "function" {
                return Err(bad(
                    F,
                    format!("{at}: tools of type '{kind}' are not supported; the endpoint passes `function` tools."),
                )
                .param("tools"));
            }
            let f = t.get("function").ok_or_else(|| {
                bad(F, format!("{at}: a function tool needs `function`: {{name, description, parameters}}.")).param("tools")
            })?;
            inbound::tool(F, f.get("name"), f.get("description"), f.get("parameters"), &at)
        })
        .collect()
}

/// `tool_choice`: `auto`, `none`, `required` or `{type: function, function: {name}}`.
fn parse_choice(v: &Value) -> Result<Option<ToolChoice>, ApiError> {
    let invalid = || {
        bad(
            F,
            "`tool_choice` must be \"auto\", \"none\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": …}}.",
        )
        .param("tool_choice")
    };
    match v.get("tool_choice") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => match s.as_str() {
            "auto" => Ok(Some(ToolChoice::Auto)),
            "none" => Ok(Some(ToolChoice::None)),
            "required" => Ok(Some(ToolChoice::Required)),
            _ => Err(invalid()),
        },
        Some(o) => o
            .pointer("/function/name")
            .and_then(Value::as_str)
            .filter(|_| o.get("type").and_then(Value::as_str) == Some("function"))
            .map(|n| Some(ToolChoice::Tool(n.to_string())))
            .ok_or_else(invalid),
    }
}

/// An assistant message's `tool_calls`.
fn tool_calls(calls: &Value, at: &str) -> Result<Vec<ToolCall>, ApiError> {
    let Some(list) = calls.as_array() else {
        return Err(bad(F, format!("{at}: `tool_calls` must be an array.")).param("messages"));
    };
    list.iter()
        .enumerate()
        .map(|(j, c)| {
            let id = c.get("id").and_then(Value::as_str).unwrap_or("");
            let name = c
                .pointer("/function/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            if id.is_empty() || name.is_empty() {
                return Err(bad(
                    F,
                    format!("{at}.tool_calls[{j}]: a tool call needs an `id` and `function.name`."),
                )
                .param("messages"));
            }
            let arguments = match c.pointer("/function/arguments") {
                None | Some(Value::Null) => "{}".to_string(),
                Some(Value::String(a)) => a.clone(),
                Some(other) => other.to_string(),
            };
            let (id, signature) = call_ids::decode(id);
            Ok(ToolCall {
                id,
                name: name.to_string(),
                arguments,
                signature,
            })
        })
        .collect()
}

fn usage(reply: &Reply) -> Value {
    let u = reply.usage.unwrap_or_default();
    json!({
        "prompt_tokens": u.input_tokens,
        "completion_tokens": u.output_tokens,
        "total_tokens": u.input_tokens + u.output_tokens,
    })
}

/// A call as the client gets it: its id carries the call's thought signature, if any.
fn tool_call(c: &ToolCall) -> Value {
    json!({"id": call_ids::encode(&c.id, c.signature.as_deref()), "type": "function",
           "function": {"name": c.name, "arguments": c.arguments}})
}

/// The assistant message: its text (null when it only calls tools) and its `tool_calls`.
fn message(reply: &Reply) -> Value {
    let mut m = json!({"role": "assistant", "content": reply.text, "refusal": null});
    if !reply.tool_calls.is_empty() {
        if reply.text.is_empty() {
            m["content"] = Value::Null;
        }
        m["tool_calls"] = reply.tool_calls.iter().map(tool_call).collect();
    }
    m
}

/// The finish reason; a reply that calls tools finishes with `tool_calls` whatever the
/// provider's format said (Gemini says `STOP`).
fn finish(reply: &Reply) -> &'static str {
    if reply.tool_calls.is_empty() {
        inbound::openai_finish(reply.finish.as_ref())
    } else {
        "tool_calls"
    }
}

/// The whole answer, non-streaming.
pub fn completion(id: &str, created: u64, facts: &Facts, reply: &Reply) -> Value {
    json!({
        "id": id,
        "object": "chat.completion",
        "created": created,
        "model": facts.model,
        "choices": [{
            "index": 0,
            "message": message(reply),
            "logprobs": null,
            "finish_reason": finish(reply),
        }],
        "usage": usage(reply),
        "switchyard": facts.json(),
    })
}

/// One streamed chunk.
pub struct Chunks {
    pub id: String,
    pub created: u64,
    pub model: String,
    pub include_usage: bool,
}

impl Chunks {
    fn chunk(&self, delta: Value, finish: Option<&str>) -> String {
        let v = json!({
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}],
        });
        format!("data: {v}\n\n")
    }

    pub fn start(&self) -> String {
        self.chunk(json!({"role": "assistant", "content": ""}), None)
    }

    pub fn text(&self, delta: &str) -> String {
        self.chunk(json!({"content": delta}), None)
    }

    pub fn end(&self, facts: &Facts, reply: &Reply) -> String {
        // Tool calls go out whole, one chunk each, as OpenAI's first chunk of a call looks.
        let mut out = String::new();
        for (index, c) in reply.tool_calls.iter().enumerate() {
            let mut call = tool_call(c);
            call["index"] = json!(index);
            out.push_str(&self.chunk(json!({ "tool_calls": [call] }), None));
        }
        out.push_str(&self.chunk(json!({}), Some(finish(reply))));
        if self.include_usage {
            let v = json!({
                "id": self.id,
                "object": "chat.completion.chunk",
                "created": self.created,
                "model": self.model,
                "choices": [],
                "usage": usage(reply),
            });
            out.push_str(&format!("data: {v}\n\n"));
        }
        out.push_str("data: [DONE]\n\n");
        out.push_str(&facts.comment());
        out
    }

    /// A failure after text was sent: the clients raise it as an API error.
    pub fn error(&self, error: &ApiError, facts: &Facts) -> String {
        format!(
            "data: {}\n\ndata: [DONE]\n\n{}",
            error.body(),
            facts.comment()
        )
    }
}

/// The model list.
pub fn models(ids: &[(String, String)]) -> Value {
    json!({
        "object": "list",
        "data": ids.iter().map(|(id, owner)| json!({
            "id": id, "object": "model", "created": 0, "owned_by": owner,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::wire::Problem;

    #[test]
    fn messages_become_the_engines_with_text_parts_joined_and_developer_as_system() {
        let r = parse(&json!({
            "model": "auto",
            "max_completion_tokens": 50,
            "messages": [
                {"role": "developer", "content": "Be brief."},
                {"role": "user", "content": [{"type": "text", "text": "Hello "}, {"type": "text", "text": "there"}]},
            ],
        }))
        .unwrap();
        assert_eq!(r.messages[0].role, "system");
        assert_eq!(r.messages[1].content, "Hello there");
        assert_eq!(r.max_tokens, Some(50));
        assert!(!r.stream);
    }

    #[test]
    fn what_cannot_be_carried_is_refused_with_a_reason() {
        let tools = parse(&json!({"model": "auto", "functions": [], "messages": []})).unwrap_err();
        assert_eq!(tools.problem, Problem::BadRequest);
        assert!(tools.message.contains("`tools`"), "{}", tools.message);
        let kind =
            parse(&json!({"model": "auto", "tools": [{"type": "web_search"}], "messages": []}))
                .unwrap_err();
        assert!(kind.message.contains("'web_search'"), "{}", kind.message);
        let choice = parse(&json!({"model": "auto", "tool_choice": "required", "messages": []}))
            .unwrap_err();
        assert_eq!(choice.param, Some("tool_choice"));
        let no_id =
            parse(&json!({"model": "auto", "messages": [{"role": "tool", "content": "42"}]}))
                .unwrap_err();
        assert!(no_id.message.contains("tool_call_id"), "{}", no_id.message);
        let audio = parse(&json!({"model": "auto", "messages": [
            {"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "x"}}]}]}))
        .unwrap_err();
        assert!(
            audio
                .message
                .starts_with("messages[0].content[0]: content of type 'input_audio'"),
            "{}",
            audio.message
        );
        let no_model = parse(&json!({"messages": []})).unwrap_err();
        assert_eq!(no_model.param, Some("model"));
        let bad_limit =
            parse(&json!({"model": "auto", "max_tokens": -1, "messages": []})).unwrap_err();
        assert_eq!(bad_limit.param, Some("max_tokens"));
    }

    #[test]
    fn a_tool_exchange_becomes_the_engines_messages_and_tools() {
        let r = parse(&json!({
            "model": "auto",
            "tools": [{"type": "function", "function": {"name": "get_weather",
                "description": "Weather", "parameters": {"type": "object"}}}],
            "tool_choice": "required",
            "messages": [
                {"role": "user", "content": "Weather?"},
                {"role": "assistant", "content": null, "tool_calls": [
                    {"id": "call_1", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\"q\":1}"}}]},
                {"role": "tool", "tool_call_id": "call_1",
                 "content": [{"type": "text", "text": "4C"}]},
            ],
        }))
        .unwrap();
        let tools = r.tools.unwrap();
        assert_eq!(tools.list[0].name, "get_weather");
        assert_eq!(tools.list[0].description.as_deref(), Some("Weather"));
        assert_eq!(tools.choice, Some(ToolChoice::Required));
        assert_eq!(r.messages[1].content, "");
        assert_eq!(
            r.messages[1].tool_calls,
            [ToolCall {
                id: "call_1".into(),
                name: "get_weather".into(),
                arguments: "{\"q\":1}".into(),
                signature: None,
            }]
        );
        assert_eq!(r.messages[2].role, "tool");
        assert_eq!(r.messages[2].content, "4C");
        assert_eq!(r.messages[2].tool_call_id.as_deref(), Some("call_1"));
        let bad_name = parse(&json!({"model": "auto", "messages": [],
            "tools": [{"type": "function", "function": {"name": "has space"}}]}))
        .unwrap_err();
        assert!(
            bad_name.message.contains("has space"),
            "{}",
            bad_name.message
        );
    }

    #[test]
    fn tool_calls_are_written_whole_and_streamed_as_chunks() {
        let reply = crate::inbound::test_reply("", &[("toolu_1", "get_weather", "{\"q\":1}")]);
        let facts = Facts::default();
        let v = completion("c", 0, &facts, &reply);
        let choice = &v["choices"][0];
        assert_eq!(choice["finish_reason"], "tool_calls");
        assert_eq!(choice["message"]["content"], Value::Null);
        assert_eq!(
            choice["message"]["tool_calls"],
            json!([{"id": "toolu_1", "type": "function",
                    "function": {"name": "get_weather", "arguments": "{\"q\":1}"}}])
        );
        let chunks = Chunks {
            id: "c".into(),
            created: 0,
            model: "m".into(),
            include_usage: false,
        };
        let end = chunks.end(&facts, &reply);
        let frames: Vec<Value> = end
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .filter(|d| *d != "[DONE]")
            .map(|d| serde_json::from_str(d).unwrap())
            .collect();
        assert_eq!(
            frames[0]["choices"][0]["delta"]["tool_calls"],
            json!([{"index": 0, "id": "toolu_1", "type": "function",
                    "function": {"name": "get_weather", "arguments": "{\"q\":1}"}}])
        );
        assert_eq!(frames[1]["choices"][0]["finish_reason"], "tool_calls");
    }

    #[test]
    fn images_come_in_user_and_tool_messages_and_nowhere_else() {
        use crate::images::tests::PNG;
        let url = format!("data:image/png;base64,{PNG}");
        let r = parse(&json!({"model": "auto", "messages": [
            {"role": "user", "content": [
                {"type": "text", "text": "What is this?"},
                {"type": "image_url", "image_url": {"url": url}}]},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
                "function": {"name": "chart", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": [
                {"type": "text", "text": "the chart"},
                {"type": "image_url", "image_url": {"url": url}}]},
        ]}))
        .unwrap();
        assert_eq!(r.messages[0].content, "What is this?");
        assert_eq!(r.messages[0].images[0].data, PNG);
        assert_eq!(r.messages[0].images[0].name, "messages[0].content[1]");
        assert_eq!(r.messages[2].content, "the chart");
        assert_eq!(r.messages[2].images.len(), 1);
        let system = parse(&json!({"model": "auto", "messages": [
            {"role": "system", "content": [{"type": "image_url", "image_url": {"url": url}}]}]}))
        .unwrap_err();
        assert!(
            system
                .message
                .contains("user messages and tool results only"),
            "{}",
            system.message
        );
        let remote = parse(&json!({"model": "auto", "messages": [
            {"role": "user", "content": [{"type": "image_url",
                "image_url": {"url": "https://example.com/cat.png"}}]}]}))
        .unwrap_err();
        assert_eq!(remote.param, Some("messages"));
        assert!(
            remote.message.contains("does not fetch image URLs"),
            "{}",
            remote.message
        );
    }

    #[test]
    fn call_ids_carry_thought_signatures_out_and_back() {
        let mut reply = crate::inbound::test_reply("", &[("call_9", "get_weather", "{}")]);
        reply.tool_calls[0].signature = Some("CiQBc2ln+/==".into());
        let v = completion("c", 0, &Facts::default(), &reply);
        let id = v["choices"][0]["message"]["tool_calls"][0]["id"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(id.starts_with("call_9__ts_"), "{id}");
        let chunks = Chunks {
            id: "c".into(),
            created: 0,
            model: "m".into(),
            include_usage: false,
        };
        assert!(chunks.end(&Facts::default(), &reply).contains(&id));
        let r = parse(&json!({"model": "auto", "messages": [
            {"role": "user", "content": "Weather?"},
            {"role": "assistant", "content": null, "tool_calls": [{"id": id, "type": "function",
                "function": {"name": "get_weather", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": id, "content": "4C"}]}))
        .unwrap();
        let call = &r.messages[1].tool_calls[0];
        assert_eq!(call.id, "call_9");
        assert_eq!(call.signature.as_deref(), Some("CiQBc2ln+/=="));
        assert_eq!(r.messages[2].tool_call_id.as_deref(), Some("call_9"));
    }
}
