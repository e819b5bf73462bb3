//! Google Gemini generateContent, framed as generativelanguage.googleapis.com frames it.
use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State as Shared};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{json, Value};

use crate::exchange::{self, content_text, Call, Route, Wire, WireError};
use crate::reply::{Finish, Reply};
use crate::signatures;
use crate::state::State;
use crate::stream::{self, Frame, Plan};

/// What `GET /gemini/v1beta/models` lists: the bundled catalog's Gemini models.
pub const MODELS: &[(&str, &str)] = &[
    ("gemini-2.0-flash", "Gemini 2.0 Flash"),
    ("gemini-2.5-flash", "Gemini 2.5 Flash"),
    ("gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite"),
    ("gemini-2.5-pro", "Gemini 2.5 Pro"),
];

pub struct Gemini;

/// `POST /gemini/v1beta/models/{model}:{generateContent|streamGenerateContent}`.
pub async fn generate(
    Shared(state): Shared<Arc<State>>,
    Path(target): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = format!("/gemini/v1beta/models/{target}");
    let (model, method) = target.split_once(':').unwrap_or((target.as_str(), ""));
    let stream = match method {
        "generateContent" => false,
        // Without alt=sse the real API streams one growing JSON array; clients that stream use
        // SSE, so that is the only streaming form served here.
        "streamGenerateContent" if query.get("alt").is_some_and(|a| a == "sse") => true,
        _ => {
            let index = state.record("gemini", &path, model, false, &headers, Value::Null);
            let body = error(
                404,
                &format!("Method not found: {method} (streaming is served with alt=sse only)."),
            );
            return stream::error(&state, index, StatusCode::NOT_FOUND, body, None);
        }
    };
    let route = Route {
        path: &path,
        model: Some(model),
        stream: Some(stream),
        query_key: query.get("key").map(String::as_str),
    };
    exchange::chat(state, &Gemini, route, headers, body).await
}

pub async fn models(
    Shared(state): Shared<Arc<State>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    exchange::models(&state, &Gemini, "/gemini/v1beta/models", &headers, &query)
}

fn status_name(code: u16) -> &'static str {
    match code {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => "INTERNAL",
    }
}

fn error(code: u16, message: &str) -> Value {
    json!({"error": {"code": code, "message": message, "status": status_name(code)}})
}

/// Gemini ends SSE lines with CRLF.
fn data(value: &Value) -> String {
    format!("data: {value}\r\n\r\n")
}

fn finish_reason(finish: Finish) -> &'static str {
    match finish {
        Finish::Stop => "STOP",
        Finish::Length => "MAX_TOKENS",
    }
}

/// Gemini counts thoughts apart from the candidates' tokens.
fn usage(reply: &Reply) -> Value {
    match reply.usage {
        Some(u) => {
            let mut m = json!({
                "promptTokenCount": u.input,
                "candidatesTokenCount": u.output - u.reasoning,
                "totalTokenCount": u.input.saturating_add(u.output),
                "promptTokensDetails": [{"modality": "TEXT", "tokenCount": u.input}]
            });
            if u.cached > 0 {
                m["cachedContentTokenCount"] = json!(u.cached);
            }
            if u.reasoning > 0 {
                m["thoughtsTokenCount"] = json!(u.reasoning);
            }
            m
        }
        None => Value::Null,
    }
}

fn candidate(text: &str, finish: Option<Finish>) -> Value {
    candidate_of(json!([{ "text": text }]), finish)
}

/// A tool call is one `functionCall` part, with no id (Gemini gives none) and the call's
/// thought signature (Gemini 3 gives one with every call), and finishes `STOP`.
fn call_candidate(call: &crate::tools::FakeCall, finish: Option<Finish>) -> Value {
    candidate_of(
        json!([{"functionCall": {"name": call.name, "args": call.arguments},
                "thoughtSignature": signatures::of(&call.name, &call.arguments)}]),
        finish,
    )
}

fn candidate_of(parts: Value, finish: Option<Finish>) -> Value {
    let mut c = json!({"content": {"parts": parts, "role": "model"}, "index": 0});
    if let Some(f) = finish {
        c["finishReason"] = json!(finish_reason(f));
    }
    c
}

impl Wire for Gemini {
    fn name(&self) -> &'static str {
        "gemini"
    }

    fn check_key(
        &self,
        state: &State,
        headers: &HeaderMap,
        query_key: Option<&str>,
    ) -> Result<(), WireError> {
        let key = headers
            .get("x-goog-api-key")
            .and_then(|v| v.to_str().ok())
            .or(query_key);
        if state.accepts(key) {
            return Ok(());
        }
        if key.is_none() {
            return Err((StatusCode::FORBIDDEN, error(403, "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.")));
        }
        let mut body = error(400, "API key not valid. Please pass a valid API key.");
        body["error"]["details"] = json!([{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "API_KEY_INVALID",
            "domain": "googleapis.com",
            "metadata": {"service": "generativelanguage.googleapis.com"}
        }]);
        Err((StatusCode::BAD_REQUEST, body))
    }

    fn parse(&self, body: &Value) -> Result<Call, WireError> {
        let Some(contents) = body["contents"].as_array().filter(|c| !c.is_empty()) else {
            return Err((
                StatusCode::BAD_REQUEST,
                error(
                    400,
                    "* GenerateContentRequest.contents: contents is not specified\n",
                ),
            ));
        };
        let text = |v: &Value| content_text(&v["parts"]);
        let mut texts = vec![text(&body["systemInstruction"])];
        texts.extend(contents.iter().map(text));
        let last_user = contents
            .iter()
            .rev()
            .find(|c| c["role"] == "user")
            .map(text)
            .unwrap_or_default();
        signatures::check(contents).map_err(|m| (StatusCode::BAD_REQUEST, error(400, &m)))?;
        let max_tokens = body["generationConfig"]["maxOutputTokens"].as_u64();
        Ok(Call {
            texts,
            last_user,
            max_tokens,
            include_usage: true,
            tools: Vec::new(),
            tool_results: None,
        })
    }

    fn unparsable_body(&self) -> WireError {
        (
            StatusCode::BAD_REQUEST,
            error(400, "Invalid JSON payload received. Unexpected token."),
        )
    }

    fn bad_request(&self, message: &str) -> WireError {
        (StatusCode::BAD_REQUEST, error(400, message))
    }

    fn error_body(&self, status: StatusCode) -> Value {
        let message = match status.as_u16() {
            429 => "Resource has been exhausted (e.g. check quota).",
            503 => "The model is overloaded. Please try again later.",
            504 => "Deadline exceeded.",
            400 => "Request contains an invalid argument.",
            _ => "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
        };
        error(status.as_u16(), message)
    }

    fn context_length(&self) -> WireError {
        (StatusCode::BAD_REQUEST, error(400, "The input token count (1048577) exceeds the maximum number of tokens allowed (1048576)."))
    }

    /// A page as Gemini pages: `pageSize` models (default 50, at most 1000) from `pageToken`,
    /// with `nextPageToken` when more follow (this fake's tokens are offsets).
    fn models(&self, query: &HashMap<String, String>) -> Value {
        let size = query
            .get("pageSize")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(50)
            .clamp(1, 1000);
        let start = query
            .get("pageToken")
            .and_then(|t| t.parse::<usize>().ok())
            .unwrap_or(0)
            .min(MODELS.len());
        let end = (start + size).min(MODELS.len());
        let models: Vec<Value> = MODELS[start..end]
            .iter()
            .map(|(id, name)| {
                json!({
                    "name": format!("models/{id}"), "version": "001", "displayName": name,
                    "description": name, "inputTokenLimit": 1_048_576, "outputTokenLimit": 8192,
                    "supportedGenerationMethods": ["generateContent", "countTokens"]
                })
            })
            .collect();
        let mut page = json!({"models": models});
        if end < MODELS.len() {
            page["nextPageToken"] = json!(end.to_string());
        }
        page
    }

    fn complete(&self, id: u64, model: &str, reply: &Reply) -> Value {
        let mut value = json!({
            "candidates": [match &reply.tool_call {
                None => candidate(&reply.text(), Some(reply.finish)),
                Some(c) => call_candidate(c, Some(reply.finish)),
            }],
            "modelVersion": model,
            "responseId": format!("fake{id}")
        });
        if reply.usage.is_some() {
            value["usageMetadata"] = usage(reply);
        }
        value
    }

    fn stream(&self, id: u64, model: &str, reply: &Reply, _: &Call) -> Plan {
        let chunk = |candidate: Value, usage: Value| {
            let mut c = json!({"candidates": [candidate], "modelVersion": model, "responseId": format!("fake{id}")});
            if !usage.is_null() {
                c["usageMetadata"] = usage;
            }
            data(&c)
        };
        let prompt_only = reply.usage.map_or(
            Value::Null,
            |u| json!({"promptTokenCount": u.input, "totalTokenCount": u.input}),
        );
        let mut frames: Vec<Frame> = reply
            .chunks
            .iter()
            .map(|t| Frame::Content(chunk(candidate(t, None), prompt_only.clone())))
            .collect();
        if let Some(c) = &reply.tool_call {
            frames.push(Frame::Content(chunk(
                call_candidate(c, None),
                prompt_only.clone(),
            )));
        }
        frames.push(Frame::Tail(chunk(
            candidate("", Some(reply.finish)),
            usage(reply),
        )));
        Plan {
            frames,
            malformed: "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \r\n\r\n"
                .into(),
            error: data(&error(500, "An internal error has occurred.")),
        }
    }
}
