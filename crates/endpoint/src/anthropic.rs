//! The Anthropic messages format: reading a request, writing a `message` and the stream of
//! `message_start` … `message_stop` events.
use serde_json::{json, Value};
use switchyard_engine::reply::Reply;
use switchyard_router::Message;

use crate::inbound::{self, bad, text_content, Inbound, NO_TOOLS};
use crate::wire::{ApiError, Facts, Format};

const F: Format = Format::Anthropic;

pub fn parse(v: &Value) -> Result<Inbound, ApiError> {
    let model = inbound::model_name(F, v)?;
    if v.get("tools").is_some_and(|t| !t.is_null()) {
        return Err(bad(F, NO_TOOLS));
    }
    let mut messages = Vec::new();
    if let Some(system) = v.get("system").filter(|s| !s.is_null()) {
        let text = text_content(F, system, "system")?;
        if !text.is_empty() {
            messages.push(Message {
                role: "system".into(),
                content: text,
                ..Default::default()
            });
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
        let content = text_content(F, m.get("content").unwrap_or(&Value::Null), &at)?;
        messages.push(Message {
            role: role.into(),
            content,
            ..Default::default()
        });
    }
    Ok(Inbound {
        model,
        messages,
        stream: inbound::stream_flag(F, v)?,
        max_tokens: inbound::token_limit(F, v, "max_tokens")?,
        include_usage: false,
    })
}

fn usage(reply: &Reply) -> Value {
    let u = reply.usage.unwrap_or_default();
    json!({
        "input_tokens": u.input_tokens,
        "output_tokens": u.output_tokens,
        "cache_read_input_tokens": u.cached_input_tokens,
    })
}

/// The whole answer, non-streaming.
pub fn message(id: &str, facts: &Facts, reply: &Reply) -> Value {
    json!({
        "id": id,
        "type": "message",
        "role": "assistant",
        "model": facts.model,
        "content": [{"type": "text", "text": reply.text}],
        "stop_reason": inbound::anthropic_stop(reply.finish.as_ref()),
        "stop_sequence": null,
        "usage": usage(reply),
        "switchyard": facts.json(),
    })
}

fn event(name: &str, data: &Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// The streamed events of one message.
pub struct Events {
    pub id: String,
    pub model: String,
}

impl Events {
    pub fn start(&self) -> String {
        let mut out = event(
            "message_start",
            &json!({"type": "message_start", "message": {
                "id": self.id, "type": "message", "role": "assistant", "model": self.model,
                "content": [], "stop_reason": null, "stop_sequence": null,
                "usage": {"input_tokens": 0, "output_tokens": 0},
            }}),
        );
        out.push_str(&event(
            "content_block_start",
            &json!({"type": "content_block_start", "index": 0,
                    "content_block": {"type": "text", "text": ""}}),
        ));
        out
    }

    pub fn text(&self, delta: &str) -> String {
        event(
            "content_block_delta",
            &json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "text_delta", "text": delta}}),
        )
    }

    pub fn end(&self, facts: &Facts, reply: &Reply) -> String {
        let mut out = event(
            "content_block_stop",
            &json!({"type": "content_block_stop", "index": 0}),
        );
        out.push_str(&event(
            "message_delta",
            &json!({"type": "message_delta",
                    "delta": {"stop_reason": inbound::anthropic_stop(reply.finish.as_ref()),
                              "stop_sequence": null},
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
    fn the_system_prompt_comes_first_and_tool_blocks_are_refused() {
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
            &json!({"model": "auto", "messages": [{"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "x", "content": "42"}]}]}),
        )
        .unwrap_err();
        assert!(tool.message.contains("Tool"));
        let body = tool.body();
        assert_eq!(body["type"], "error");
        assert_eq!(body["error"]["type"], "invalid_request_error");
    }
}
