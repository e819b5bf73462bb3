//! The steps every chat call goes through, whatever the wire format: record, check the key,
//! parse, apply the fault, reply.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use bytes::Bytes;
use serde_json::Value;

use crate::hostile;
use crate::reply::Reply;
use crate::state::State;
use crate::stream::{self, Plan};

/// A provider's error: the status and its exact JSON body.
pub type WireError = (StatusCode, Value);

/// What the server needs from a chat request, whatever its format.
pub struct Call {
    /// Every text the model is given, system prompt included (for the token count).
    pub texts: Vec<String>,
    pub last_user: String,
    pub max_tokens: Option<u64>,
    /// OpenAI sends usage in a stream only when `stream_options.include_usage` asks for it.
    pub include_usage: bool,
    /// The tools offered, by name.
    pub tools: Vec<String>,
    /// The tool results the request ends with, joined.
    pub tool_results: Option<String>,
}

/// One provider's wire format.
pub trait Wire: Sync {
    fn name(&self) -> &'static str;
    /// The provider's answer to a missing or wrong key, or Ok when the key is accepted.
    fn check_key(
        &self,
        state: &State,
        headers: &HeaderMap,
        query_key: Option<&str>,
    ) -> Result<(), WireError>;
    fn parse(&self, body: &Value) -> Result<Call, WireError>;
    fn unparsable_body(&self) -> WireError;
    /// The provider's 400 for an invalid request, saying `message`.
    fn bad_request(&self, message: &str) -> WireError;
    /// The body the provider sends with this status.
    fn error_body(&self, status: StatusCode) -> Value;
    fn context_length(&self) -> WireError;
    /// The model list as the API frames it; `query` carries the paging parameters (Anthropic's
    /// `limit` and `after_id`, Gemini's `pageSize` and `pageToken`).
    fn models(&self, query: &HashMap<String, String>) -> Value;
    fn complete(&self, id: u64, model: &str, reply: &Reply) -> Value;
    fn stream(&self, id: u64, model: &str, reply: &Reply, call: &Call) -> Plan;
}

/// Where the request came in, and what its path already says.
pub struct Route<'a> {
    pub path: &'a str,
    /// Gemini names the model and the streaming mode in the path; the others in the body.
    pub model: Option<&'a str>,
    pub stream: Option<bool>,
    pub query_key: Option<&'a str>,
}

pub async fn chat(
    state: Arc<State>,
    wire: &dyn Wire,
    route: Route<'_>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let parsed = serde_json::from_slice::<Value>(&raw).ok();
    let body = parsed.clone().unwrap_or(Value::Null);
    let model = route
        .model
        .or(body["model"].as_str())
        .unwrap_or_default()
        .to_string();
    let streaming = route
        .stream
        .unwrap_or_else(|| body["stream"].as_bool().unwrap_or(false));
    let index = state.record(
        wire.name(),
        route.path,
        &model,
        streaming,
        &headers,
        body.clone(),
    );
    // What happens before the key is checked: a redirect, and headers echoed into any error.
    let early = state.peek_fault(&model);
    if let Some(url) = &early.redirect_to {
        state.take_fault(&model);
        return hostile::redirect(&state, index, url);
    }
    let echo = early.echo_headers.then(|| hostile::echo_text(&headers));
    let echo = echo.as_deref();
    let fail = |(status, body): WireError| {
        stream::error(&state, index, status, hostile::echo_json(body, echo), None)
    };

    if let Err(e) = wire.check_key(&state, &headers, route.query_key) {
        return fail(e);
    }
    if parsed.is_none() {
        return fail(wire.unparsable_body());
    }
    let mut call = match wire.parse(&body) {
        Ok(call) => call,
        Err(e) => return fail(e),
    };
    call.tools = crate::tools::offered(wire.name(), &body);
    call.tool_results = crate::tools::last_results(wire.name(), &body);
    // A malformed or misplaced image is refused, as the real APIs refuse it.
    if let Err(message) = crate::images::of(wire.name(), &body) {
        return fail(wire.bad_request(&message));
    }
    let fault = state.take_fault(&model);
    if fault.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
    }
    if fault.status.is_some() || fault.huge_error_body_bytes.is_some() {
        let code = fault.status.unwrap_or(500);
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(bytes) = fault.huge_error_body_bytes {
            return hostile::huge_error(&state, index, status, bytes);
        }
        return stream::error(
            &state,
            index,
            status,
            hostile::echo_json(wire.error_body(status), echo),
            fault.retry_after_header(),
        );
    }
    if fault.context_length {
        return fail(wire.context_length());
    }
    if streaming && fault.endless_line {
        return hostile::endless_line(state, index);
    }
    if streaming && fault.endless_tool_call && wire.name() != "gemini" {
        return hostile::endless_tool_call(state, index, wire.name());
    }
    let id = state.next_id();
    if streaming && (fault.huge_reply_bytes.is_some() || fault.endless_stream) {
        let piece = Reply::piece(&fault);
        let times = fault
            .huge_reply_bytes
            .map(|bytes| bytes.div_ceil(piece.chunks[0].len() as u64));
        let plan = wire.stream(id, &model, &piece, &call);
        return hostile::repeated(state, index, plan, times, fault.chunk_delay_ms);
    }
    let mut reply = Reply::build(&call.texts, &call.last_user, call.max_tokens, &fault)
        .with_tools(&call, &fault);
    if fault.echo_headers_in_reply {
        reply.chunks = hostile::pieces(&hostile::echo_text(&headers), 7);
    }
    if streaming {
        let mut plan = wire.stream(id, &model, &reply, &call);
        if let Some(echo) = echo {
            plan.error = hostile::echo_frame(&plan.error, echo);
            plan.malformed = hostile::echo_malformed(&plan.malformed, echo);
        }
        stream::sse(state, index, fault, plan)
    } else {
        let value = wire.complete(id, &model, &reply);
        stream::json(state, index, &fault, value)
    }
}

pub fn models(
    state: &State,
    wire: &dyn Wire,
    path: &str,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Response {
    let query_key = query.get("key").map(String::as_str);
    let index = state.record(wire.name(), path, "", false, headers, Value::Null);
    let early = state.peek_fault("");
    if let Some(url) = &early.redirect_to {
        state.take_fault("");
        return hostile::redirect(state, index, url);
    }
    let echo = early.echo_headers.then(|| hostile::echo_text(headers));
    match wire.check_key(state, headers, query_key) {
        Ok(()) => {
            state.set_status(index, 200);
            state.set_outcome(index, "answered");
            Json(wire.models(query)).into_response()
        }
        Err((status, body)) => {
            let body = hostile::echo_json(body, echo.as_deref());
            stream::error(state, index, status, body, None)
        }
    }
}

/// The text of a message's content: a plain string, or an array of parts with `text` fields.
pub fn content_text(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .filter_map(|p| p["text"].as_str())
            .collect::<Vec<_>>()
            .join(""),
        _ => String::new(),
    }
}

/// `data: …` framing with the blank line that ends an SSE event.
pub fn data(value: &Value) -> String {
    format!("data: {value}\n\n")
}
