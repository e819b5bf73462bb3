//! Anthropic Messages, framed as api.anthropic.com frames it.
use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State as Shared};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{json, Value};

use crate::exchange::{self, content_text, Call, Route, Wire, WireError};
use crate::reply::{Finish, Reply};
use crate::state::State;
use crate::stream::{Frame, Plan};

/// What `GET /anthropic/v1/models` lists (newest first, as Anthropic orders it): the API names
/// of the bundled catalog's Anthropic models.
pub const MODELS: &[(&str, &str)] = &[
    ("claude-opus-4-5-20251101", "Claude Opus 4.5"),
    ("claude-haiku-4-5-20251001", "Claude Haiku 4.5"),
    ("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"),
    ("claude-opus-4-1-20250805", "Claude Opus 4.1"),
    ("claude-opus-4-20250514", "Claude Opus 4"),
    ("claude-sonnet-4-20250514", "Claude Sonnet 4"),
    ("claude-3-5-haiku-20241022", "Claude Haiku 3.5"),
];

pub struct Anthropic;

pub async fn messages(
    Shared(state): Shared<Arc<State>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let route = Route {
        path: "/anthropic/v1/messages",
        model: None,
        stream: None,
        query_key: None,
    };
    exchange::chat(state, &Anthropic, route, headers, body).await
}

pub async fn models(
    Shared(state): Shared<Arc<State>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    exchange::models(&state, &Anthropic, "/anthropic/v1/models", &headers, &query)
}

fn error(kind: &str, message: &str) -> Value {
    json!({"type": "error", "error": {"type": kind, "message": message}})
}

/// SSE framing with the `event:` line Anthropic puts before every `data:` line.
fn event(value: &Value) -> String {
    format!(
        "event: {}\ndata: {value}\n\n",
        value["type"].as_str().unwrap_or("message")
    )
}

fn stop_reason(reply: &Reply) -> &'static str {
    match (reply.finish, &reply.tool_call) {
        (_, Some(_)) => "tool_use",
        (Finish::Stop, None) => "end_turn",
        (Finish::Length, None) => "max_tokens",
    }
}

fn tool_use_id(id: u64) -> String {
    format!("toolu_fake{id}")
}

/// Anthropic counts cache reads apart from `input_tokens`.
fn usage(reply: &Reply, output: u64) -> Value {
    match reply.usage {
        Some(u) => json!({
            "input_tokens": u.input - u.cached,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": u.cached,
            "output_tokens": output
        }),
        None => json!({}),
    }
}

impl Wire for Anthropic {
    fn name(&self) -> &'static str {
        "anthropic"
    }

    fn check_key(
        &self,
        state: &State,
        headers: &HeaderMap,
        _: Option<&str>,
    ) -> Result<(), WireError> {
        let key = headers.get("x-api-key").and_then(|v| v.to_str().ok());
        if !state.accepts(key) {
            let message = if key.is_none() {
                "x-api-key header is required"
            } else {
                "invalid x-api-key"
            };
            return Err((
                StatusCode::UNAUTHORIZED,
                error("authentication_error", message),
            ));
        }
        if !headers.contains_key("anthropic-version") {
            return Err((
                StatusCode::BAD_REQUEST,
                error(
                    "invalid_request_error",
                    "anthropic-version: header is required",
                ),
            ));
        }
        Ok(())
    }

    fn parse(&self, body: &Value) -> Result<Call, WireError> {
        let bad = |message: &str| {
            (
                StatusCode::BAD_REQUEST,
                error("invalid_request_error", message),
            )
        };
        if body["model"].as_str().is_none() {
            return Err(bad("model: Field required"));
        }
        let Some(max_tokens) = body["max_tokens"].as_u64() else {
            return Err(bad("max_tokens: Field required"));
        };
        let Some(messages) = body["messages"].as_array().filter(|m| !m.is_empty()) else {
            return Err(bad("messages: Field required"));
        };
        if messages.iter().any(|m| m["role"] == "system") {
            return Err(bad("messages: Unexpected role \"system\". The Messages API accepts a top-level `system` parameter, not \"system\" as an input message role."));
        }
        let mut texts = vec![content_text(&body["system"])];
        texts.extend(messages.iter().map(|m| content_text(&m["content"])));
        let last_user = messages
            .iter()
            .rev()
            .find(|m| m["role"] == "user")
            .map(|m| content_text(&m["content"]))
            .unwrap_or_default();
        Ok(Call {
            texts,
            last_user,
            max_tokens: Some(max_tokens),
            include_usage: true,
            tools: Vec::new(),
            tool_results: None,
        })
    }

    fn unparsable_body(&self) -> WireError {
        (
            StatusCode::BAD_REQUEST,
            error(
                "invalid_request_error",
                "There was an issue with your request body: it is not valid JSON.",
            ),
        )
    }

    fn bad_request(&self, message: &str) -> WireError {
        (
            StatusCode::BAD_REQUEST,
            error("invalid_request_error", message),
        )
    }

    fn error_body(&self, status: StatusCode) -> Value {
        match status.as_u16() {
            400 => error("invalid_request_error", "Invalid request."),
            401 => error("authentication_error", "invalid x-api-key"),
            403 => error(
                "permission_error",
                "Your API key does not have permission to use the specified resource.",
            ),
            404 => error(
                "not_found_error",
                "The requested resource could not be found.",
            ),
            413 => error(
                "request_too_large",
                "Request exceeds the maximum allowed number of bytes.",
            ),
            429 => error(
                "rate_limit_error",
                "This request would exceed your organization's rate limit. Please try again later.",
            ),
            529 => error("overloaded_error", "Overloaded"),
            _ => error("api_error", "Internal server error"),
        }
    }

    fn context_length(&self) -> WireError {
        (
            StatusCode::BAD_REQUEST,
            error(
                "invalid_request_error",
                "prompt is too long: 208310 tokens > 200000 maximum",
            ),
        )
    }

    /// A page as Anthropic pages: `limit` models (default 20, at most 1000) after `after_id`,
    /// with `has_more`, `first_id` and `last_id`.
    fn models(&self, query: &HashMap<String, String>) -> Value {
        let limit = query
            .get("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(20)
            .clamp(1, 1000);
        let start = query
            .get("after_id")
            .and_then(|after| MODELS.iter().position(|(id, _)| id == after))
            .map_or(0, |i| i + 1);
        let page = &MODELS[start.min(MODELS.len())..(start + limit).min(MODELS.len())];
        let data: Vec<Value> = page
            .iter()
            .map(|(id, name)| json!({"type": "model", "id": id, "display_name": name, "created_at": "2025-01-01T00:00:00Z"}))
            .collect();
        json!({
            "data": data,
            "has_more": start + page.len() < MODELS.len(),
            "first_id": page.first().map(|m| m.0),
            "last_id": page.last().map(|m| m.0)
        })
    }

    fn complete(&self, id: u64, model: &str, reply: &Reply) -> Value {
        json!({
            "id": format!("msg_fake{id}"),
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": match &reply.tool_call {
                None => json!([{"type": "text", "text": reply.text()}]),
                Some(c) => json!([{"type": "tool_use", "id": tool_use_id(id), "name": c.name,
                                   "input": c.arguments}]),
            },
            "stop_reason": stop_reason(reply),
            "stop_sequence": null,
            "usage": usage(reply, reply.usage.map_or(0, |u| u.output))
        })
    }

    fn stream(&self, id: u64, model: &str, reply: &Reply, _: &Call) -> Plan {
        let start = json!({"type": "message_start", "message": {
            "id": format!("msg_fake{id}"), "type": "message", "role": "assistant", "content": [],
            "model": model, "stop_reason": null, "stop_sequence": null, "usage": usage(reply, 1)
        }});
        let block = match &reply.tool_call {
            None => json!({"type": "text", "text": ""}),
            Some(c) => {
                json!({"type": "tool_use", "id": tool_use_id(id), "name": c.name, "input": {}})
            }
        };
        let mut frames = vec![
            Frame::Head(event(&start)),
            Frame::Head(event(
                &json!({"type": "content_block_start", "index": 0, "content_block": block}),
            )),
            Frame::Head(event(&json!({"type": "ping"}))),
        ];
        frames.extend(reply.chunks.iter().map(|t| {
            Frame::Content(event(&json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}})))
        }));
        if let Some(c) = &reply.tool_call {
            // The input in pieces, as Anthropic streams it: an empty one first.
            let args = c.arguments.to_string();
            let (a, b) = args.split_at(args.len() / 2);
            frames.extend(["", a, b].iter().map(|piece| {
                Frame::Content(event(&json!({"type": "content_block_delta", "index": 0,
                    "delta": {"type": "input_json_delta", "partial_json": piece}})))
            }));
        }
        let output = reply.usage.map_or(0, |u| u.output);
        let mut delta = json!({"type": "message_delta", "delta": {"stop_reason": stop_reason(reply), "stop_sequence": null}});
        if reply.usage.is_some() {
            delta["usage"] = json!({"output_tokens": output});
        }
        frames.push(Frame::Tail(event(
            &json!({"type": "content_block_stop", "index": 0}),
        )));
        frames.push(Frame::Tail(event(&delta)));
        frames.push(Frame::Tail(event(&json!({"type": "message_stop"}))));
        Plan {
            frames,
            malformed: "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\n\n".into(),
            error: event(&error("overloaded_error", "Overloaded")),
        }
    }
}
