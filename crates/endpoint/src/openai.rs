//! The OpenAI chat completions format: reading a request, writing `chat.completion` and the
//! `chat.completion.chunk` stream that ends with `data: [DONE]`.
use serde_json::{json, Value};
use switchyard_engine::reply::Reply;
use switchyard_router::Message;

use crate::inbound::{self, bad, text_content, Inbound, NO_TOOLS};
use crate::wire::{ApiError, Facts, Format};

const F: Format = Format::OpenAi;

pub fn parse(v: &Value) -> Result<Inbound, ApiError> {
    let model = inbound::model_name(F, v)?;
    for field in ["tools", "functions"] {
        if v.get(field).is_some_and(|t| !t.is_null()) {
            return Err(bad(F, NO_TOOLS).param(if field == "tools" {
                "tools"
            } else {
                "functions"
            }));
        }
    }
    if v.get("n").and_then(Value::as_u64).is_some_and(|n| n > 1) {
        return Err(bad(
            F,
            "`n` greater than 1 is not supported: ask once per answer.",
        )
        .param("n"));
    }
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
            "tool" | "function" => return Err(bad(F, NO_TOOLS).param("messages")),
            other => {
                return Err(bad(
                    F,
                    format!(
                        "{at}: role '{other}' is not one of system, developer, user, assistant."
                    ),
                )
                .param("messages"))
            }
        };
        if m.get("tool_calls").is_some_and(|t| !t.is_null())
            || m.get("function_call").is_some_and(|t| !t.is_null())
        {
            return Err(bad(F, NO_TOOLS).param("messages"));
        }
        let content = text_content(F, m.get("content").unwrap_or(&Value::Null), &at)?;
        messages.push(Message {
            role: role.into(),
            content,
            ..Default::default()
        });
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
    })
}

fn usage(reply: &Reply) -> Value {
    let u = reply.usage.unwrap_or_default();
    json!({
        "prompt_tokens": u.input_tokens,
        "completion_tokens": u.output_tokens,
        "total_tokens": u.input_tokens + u.output_tokens,
    })
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
            "message": {"role": "assistant", "content": reply.text, "refusal": null},
            "logprobs": null,
            "finish_reason": inbound::openai_finish(reply.finish.as_ref()),
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
        let mut out = self.chunk(
            json!({}),
            Some(inbound::openai_finish(reply.finish.as_ref())),
        );
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
        let tools = parse(&json!({"model": "auto", "tools": [], "messages": []})).unwrap_err();
        assert_eq!(tools.problem, Problem::BadRequest);
        assert!(tools.message.contains("Tool"));
        let image = parse(&json!({"model": "auto", "messages": [
            {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}]}))
        .unwrap_err();
        assert!(image.message.contains("image_url"), "{}", image.message);
        let no_model = parse(&json!({"messages": []})).unwrap_err();
        assert_eq!(no_model.param, Some("model"));
        let bad_limit =
            parse(&json!({"model": "auto", "max_tokens": -1, "messages": []})).unwrap_err();
        assert_eq!(bad_limit.param, Some("max_tokens"));
    }
}
