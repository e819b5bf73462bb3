//! OpenAI Chat Completions, framed as api.openai.com frames it.
use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State as Shared;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{json, Value};

use crate::exchange::{self, content_text, data, Call, Route, Wire, WireError};
use crate::reply::{Finish, Reply};
use crate::state::State;
use crate::stream::{Frame, Plan};

const CREATED: u64 = 1_700_000_000;
/// What `GET /openai/v1/models` lists: the API names of the bundled catalog's OpenAI models and
/// of the OpenAI-compatible servers' models (this one server stands in for all of them), plus
/// `o3-mini`, which the catalog does not know.
pub const MODELS: &[&str] = &[
    "gpt-4o",
    "gpt-4o-mini",
    "o1",
    "o3",
    "o3-mini",
    "o4-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "deepseek-chat",
    "deepseek-reasoner",
    "mistral-large-2411",
    "mistral-medium-2505",
    "mistral-small-2503",
    "codestral-2501",
    "llama-3.3-70b-versatile",
    "llama-3.1-8b-instant",
];

pub struct OpenAi;

pub async fn chat(Shared(state): Shared<Arc<State>>, headers: HeaderMap, body: Bytes) -> Response {
    let route = Route {
        path: "/openai/v1/chat/completions",
        model: None,
        stream: None,
        query_key: None,
    };
    exchange::chat(state, &OpenAi, route, headers, body).await
}

pub async fn models(Shared(state): Shared<Arc<State>>, headers: HeaderMap) -> Response {
    exchange::models(
        &state,
        &OpenAi,
        "/openai/v1/models",
        &headers,
        &HashMap::new(),
    )
}

fn error(message: &str, kind: &str, param: Option<&str>, code: Option<&str>) -> Value {
    json!({"error": {"message": message, "type": kind, "param": param, "code": code}})
}

fn finish_reason(reply: &Reply) -> &'static str {
    match (reply.finish, &reply.tool_call) {
        (_, Some(_)) => "tool_calls",
        (Finish::Stop, None) => "stop",
        (Finish::Length, None) => "length",
    }
}

fn call_id(id: u64) -> String {
    format!("call_fake{id}")
}

/// The reply's message: its text, or a `tool_calls` entry and no content.
fn message(id: u64, reply: &Reply) -> Value {
    match &reply.tool_call {
        None => json!({"role": "assistant", "content": reply.text(), "refusal": null}),
        Some(c) => json!({"role": "assistant", "content": null, "refusal": null,
            "tool_calls": [{"id": call_id(id), "type": "function",
                            "function": {"name": c.name, "arguments": c.arguments.to_string()}}]}),
    }
}

fn usage(reply: &Reply) -> Value {
    match reply.usage {
        Some(u) => json!({
            "prompt_tokens": u.input,
            "completion_tokens": u.output,
            "total_tokens": u.input.saturating_add(u.output),
            "prompt_tokens_details": {"cached_tokens": u.cached, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": u.reasoning, "audio_tokens": 0,
                "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
        }),
        None => Value::Null,
    }
}

impl Wire for OpenAi {
    fn name(&self) -> &'static str {
        "openai"
    }

    fn check_key(
        &self,
        state: &State,
        headers: &HeaderMap,
        _: Option<&str>,
    ) -> Result<(), WireError> {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if state.accepts(bearer) {
            return Ok(());
        }
        let message = match bearer {
            None => "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.".to_string(),
            // The real API shows the key's last four characters; so do we, and no more.
            Some(key) => format!(
                "Incorrect API key provided: sk-***{}. You can find your API key at https://platform.openai.com/account/api-keys.",
                key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect::<String>()
            ),
        };
        let code = bearer.map(|_| "invalid_api_key");
        Err((
            StatusCode::UNAUTHORIZED,
            error(&message, "invalid_request_error", None, code),
        ))
    }

    fn parse(&self, body: &Value) -> Result<Call, WireError> {
        let bad = |message: &str, param: &str| {
            (
                StatusCode::BAD_REQUEST,
                error(message, "invalid_request_error", Some(param), None),
            )
        };
        if body["model"].as_str().is_none() {
            return Err(bad("you must provide a model parameter", "model"));
        }
        let Some(messages) = body["messages"].as_array().filter(|m| !m.is_empty()) else {
            return Err(bad("Missing required parameter: 'messages'.", "messages"));
        };
        let texts: Vec<String> = messages
            .iter()
            .map(|m| content_text(&m["content"]))
            .collect();
        let last_user = messages
            .iter()
            .rev()
            .find(|m| m["role"] == "user")
            .map(|m| content_text(&m["content"]))
            .unwrap_or_default();
        Ok(Call {
            texts,
            last_user,
            max_tokens: body["max_completion_tokens"]
                .as_u64()
                .or(body["max_tokens"].as_u64()),
            include_usage: body["stream_options"]["include_usage"]
                .as_bool()
                .unwrap_or(false),
            tools: Vec::new(),
            tool_results: None,
        })
    }

    fn unparsable_body(&self) -> WireError {
        (
            StatusCode::BAD_REQUEST,
            error("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)", "invalid_request_error", None, None),
        )
    }

    fn bad_request(&self, message: &str) -> WireError {
        (
            StatusCode::BAD_REQUEST,
            error(message, "invalid_request_error", Some("messages"), None),
        )
    }

    fn error_body(&self, status: StatusCode) -> Value {
        match status.as_u16() {
            429 => error(
                "Rate limit reached for requests. Please try again later.",
                "requests",
                None,
                Some("rate_limit_exceeded"),
            ),
            400 => error("Invalid request.", "invalid_request_error", None, None),
            401 => error(
                "Incorrect API key provided.",
                "invalid_request_error",
                None,
                Some("invalid_api_key"),
            ),
            403 => error(
                "You are not allowed to sample from this model",
                "invalid_request_error",
                None,
                None,
            ),
            404 => error(
                "The model does not exist or you do not have access to it.",
                "invalid_request_error",
                None,
                Some("model_not_found"),
            ),
            503 => error(
                "The engine is currently overloaded, please try again later.",
                "server_error",
                None,
                None,
            ),
            _ => error(
                "The server had an error while processing your request. Sorry about that!",
                "server_error",
                None,
                None,
            ),
        }
    }

    fn context_length(&self) -> WireError {
        (
            StatusCode::BAD_REQUEST,
            error("This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens. Please reduce the length of the messages.", "invalid_request_error", Some("messages"), Some("context_length_exceeded")),
        )
    }

    /// OpenAI lists every model at once.
    fn models(&self, _: &HashMap<String, String>) -> Value {
        let data: Vec<Value> = MODELS
            .iter()
            .map(
                |id| json!({"id": id, "object": "model", "created": CREATED, "owned_by": "system"}),
            )
            .collect();
        json!({"object": "list", "data": data})
    }

    fn complete(&self, id: u64, model: &str, reply: &Reply) -> Value {
        let mut value = json!({
            "id": format!("chatcmpl-fake{id}"),
            "object": "chat.completion",
            "created": CREATED,
            "model": model,
            "choices": [{
                "index": 0,
                "message": message(id, reply),
                "logprobs": null,
                "finish_reason": finish_reason(reply)
            }],
            "system_fingerprint": "fp_fake"
        });
        if reply.usage.is_some() {
            value["usage"] = usage(reply);
        }
        value
    }

    fn stream(&self, id: u64, model: &str, reply: &Reply, call: &Call) -> Plan {
        let chunk = |delta: Value, finish: Option<&str>| {
            let mut c = json!({
                "id": format!("chatcmpl-fake{id}"),
                "object": "chat.completion.chunk",
                "created": CREATED,
                "model": model,
                "system_fingerprint": "fp_fake",
                "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}]
            });
            // With include_usage, every chunk carries `"usage": null` until the last one.
            if call.include_usage {
                c["usage"] = Value::Null;
            }
            c
        };
        let mut frames = vec![Frame::Head(data(&chunk(
            json!({"role": "assistant", "content": "", "refusal": null}),
            None,
        )))];
        frames.extend(
            reply
                .chunks
                .iter()
                .map(|t| Frame::Content(data(&chunk(json!({"content": t}), None)))),
        );
        if let Some(c) = &reply.tool_call {
            // As OpenAI streams a call: id and name first with empty arguments, then the
            // arguments in pieces, all under index 0.
            frames.push(Frame::Content(data(&chunk(
                json!({"tool_calls": [{"index": 0, "id": call_id(id), "type": "function",
                                       "function": {"name": c.name, "arguments": ""}}]}),
                None,
            ))));
            let args = c.arguments.to_string();
            let (a, b) = args.split_at(args.len() / 2);
            for piece in [a, b] {
                frames.push(Frame::Content(data(&chunk(
                    json!({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}),
                    None,
                ))));
            }
        }
        frames.push(Frame::Tail(data(&chunk(
            json!({}),
            Some(finish_reason(reply)),
        ))));
        if call.include_usage && reply.usage.is_some() {
            let mut last = chunk(json!({}), None);
            last["choices"] = json!([]);
            last["usage"] = usage(reply);
            frames.push(Frame::Tail(data(&last)));
        }
        frames.push(Frame::Tail("data: [DONE]\n\n".into()));
        Plan {
            frames,
            malformed: format!("data: {{\"id\":\"chatcmpl-fake{id}\",\"object\":\"chat.completion.chunk\",\"choices\":[{{\"delta\":{{\"content\":\n\n"),
            error: data(&self.error_body(StatusCode::INTERNAL_SERVER_ERROR)),
        }
    }
}
