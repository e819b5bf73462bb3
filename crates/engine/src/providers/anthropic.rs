//! Anthropic Messages: `x-api-key`, `anthropic-version`, the system prompt as a top-level field,
//! and typed SSE events.
use std::collections::VecDeque;

use eventsource_stream::Event;
use serde::Deserialize;
use serde_json::{json, Value};

use super::counts::lenient_opt;
use super::error::{stream_kind, ProviderError};
use super::event::{FinishReason, StreamEvent};
use super::limits::Limits;
use super::sse::{held_by, parse, Decoder, SseStream};
use super::tools::{anthropic_id, arguments_object, is_tool_result, ToolChoice, Tools};
use super::{split_system, ChatCall, Endpoint};
use switchyard_router::{ToolCall, Usage};

/// The Messages API requires an output limit; this one fits every current Claude model.
const DEFAULT_MAX_TOKENS: u32 = 4096;

/// A message's content: its text, or with images, an `image` block per image (base64
/// source) and then the text, the order Anthropic recommends.
fn content(m: &switchyard_router::Message) -> Value {
    if m.images.is_empty() {
        return json!(m.content);
    }
    let mut blocks: Vec<Value> = m.images.iter().map(image_block).collect();
    if !m.content.is_empty() {
        blocks.push(json!({"type": "text", "text": m.content}));
    }
    Value::Array(blocks)
}

fn image_block(i: &switchyard_router::Image) -> Value {
    json!({"type": "image", "source": {"type": "base64", "media_type": i.media_type, "data": i.data}})
}

/// An assistant turn's content with its tool calls as `tool_use` blocks after the text.
fn assistant_content(m: &switchyard_router::Message) -> Value {
    if m.tool_calls.is_empty() {
        return content(m);
    }
    let mut blocks = Vec::new();
    if !m.content.is_empty() {
        blocks.push(json!({"type": "text", "text": m.content}));
    }
    blocks.extend(m.tool_calls.iter().map(|c| {
        json!({"type": "tool_use", "id": anthropic_id(&c.id), "name": c.name,
               "input": arguments_object(&c.arguments)})
    }));
    Value::Array(blocks)
}

/// The turns: tool results as `tool_result` blocks of a user turn, the results of one
/// assistant turn's calls together in one.
fn turns<'a>(turns: impl Iterator<Item = &'a switchyard_router::Message>) -> Vec<Value> {
    let mut messages: Vec<Value> = Vec::new();
    let mut results_open = false;
    for m in turns {
        if is_tool_result(m) {
            // A result's content is its text, or with images, a text block and image blocks.
            let result = if m.images.is_empty() {
                json!(m.content)
            } else {
                let mut blocks = Vec::new();
                if !m.content.is_empty() {
                    blocks.push(json!({"type": "text", "text": m.content}));
                }
                blocks.extend(m.images.iter().map(image_block));
                Value::Array(blocks)
            };
            let block = json!({"type": "tool_result",
                               "tool_use_id": anthropic_id(m.tool_call_id.as_deref().unwrap_or_default()),
                               "content": result});
            match messages.last_mut() {
                Some(last) if results_open => {
                    if let Some(blocks) = last["content"].as_array_mut() {
                        blocks.push(block);
                    }
                }
                _ => messages.push(json!({"role": "user", "content": [block]})),
            }
            results_open = true;
            continue;
        }
        if m.role.eq_ignore_ascii_case("assistant") {
            results_open = false;
            messages.push(json!({"role": "assistant", "content": assistant_content(m)}));
            continue;
        }
        // A user's words right after the results join their turn, after them.
        let joined = results_open
            && messages
                .last_mut()
                .and_then(|last| last["content"].as_array_mut())
                .map(|blocks| match content(m) {
                    Value::Array(more) => blocks.extend(more),
                    text => blocks.push(json!({"type": "text", "text": text})),
                })
                .is_some();
        results_open = false;
        if !joined {
            messages.push(json!({"role": "user", "content": content(m)}));
        }
    }
    messages
}

/// `tools` with their `input_schema`, and `tool_choice`.
fn add_tools(body: &mut Value, tools: &Tools) {
    body["tools"] = tools
        .list
        .iter()
        .map(|t| {
            let mut v = json!({"name": t.name, "input_schema": t.schema()});
            if let Some(d) = &t.description {
                v["description"] = json!(d);
            }
            v
        })
        .collect();
    if let Some(choice) = &tools.choice {
        body["tool_choice"] = match choice {
            ToolChoice::Auto => json!({"type": "auto"}),
            ToolChoice::None => json!({"type": "none"}),
            ToolChoice::Required => json!({"type": "any"}),
            ToolChoice::Tool(name) => json!({"type": "tool", "name": name}),
        };
    }
}

pub fn request(endpoint: &Endpoint, call: ChatCall<'_>) -> (String, Value) {
    let (system, rest) = split_system(call.messages);
    let messages = turns(rest);
    let mut body = json!({
        "model": call.model,
        "max_tokens": call.max_output_tokens.unwrap_or(DEFAULT_MAX_TOKENS),
        "messages": messages,
    });
    if let Some(system) = system {
        body["system"] = json!(system);
    }
    if let Some(tools) = call.tools {
        add_tools(&mut body, tools);
    }
    body["stream"] = json!(true);
    (format!("{}/v1/messages", endpoint.base_url), body)
}

/// Every event's data, flattened: each event type fills the fields it has.
#[derive(Deserialize)]
struct Frame {
    #[serde(rename = "type")]
    kind: String,
    /// The content block an event is about.
    index: Option<usize>,
    content_block: Option<Block>,
    message: Option<Message>,
    delta: Option<Delta>,
    usage: Option<WireUsage>,
    error: Option<WireError>,
}

/// `message_start` carries the prompt's usage.
#[derive(Deserialize)]
struct Message {
    usage: Option<WireUsage>,
}

/// `content_block_start`'s block: a `tool_use` block names the call.
#[derive(Deserialize)]
struct Block {
    #[serde(rename = "type")]
    kind: String,
    id: Option<String>,
    name: Option<String>,
    input: Option<Value>,
}

#[derive(Deserialize)]
struct Delta {
    #[serde(rename = "type")]
    kind: Option<String>,
    text: Option<String>,
    /// A piece of a `tool_use` block's input (`input_json_delta`).
    partial_json: Option<String>,
    stop_reason: Option<String>,
}

#[derive(Deserialize, Default, Clone, Copy)]
struct WireUsage {
    #[serde(default, deserialize_with = "lenient_opt")]
    input_tokens: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt")]
    output_tokens: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt")]
    cache_creation_input_tokens: Option<u32>,
    #[serde(default, deserialize_with = "lenient_opt")]
    cache_read_input_tokens: Option<u32>,
}

#[derive(Deserialize)]
struct WireError {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    message: String,
}

impl WireUsage {
    /// Later counts replace earlier ones field by field (message_delta repeats only some).
    fn merge(self, later: WireUsage) -> WireUsage {
        WireUsage {
            input_tokens: later.input_tokens.or(self.input_tokens),
            output_tokens: later.output_tokens.or(self.output_tokens),
            cache_creation_input_tokens: later
                .cache_creation_input_tokens
                .or(self.cache_creation_input_tokens),
            cache_read_input_tokens: later
                .cache_read_input_tokens
                .or(self.cache_read_input_tokens),
        }
    }

    /// Anthropic counts cache reads and writes apart from `input_tokens`; the engine's input
    /// count is the whole prompt.
    fn usage(self) -> Usage {
        let read = self.cache_read_input_tokens.unwrap_or(0);
        let written = self.cache_creation_input_tokens.unwrap_or(0);
        Usage {
            input_tokens: self
                .input_tokens
                .unwrap_or(0)
                .saturating_add(read)
                .saturating_add(written),
            output_tokens: self.output_tokens.unwrap_or(0),
            cached_input_tokens: read,
            reasoning_tokens: 0,
            estimated: false,
        }
    }
}

#[derive(Default)]
pub struct AnthropicDecoder {
    usage: WireUsage,
    reported_usage: bool,
    /// `tool_use` blocks still open, by block index: the call, and the input the start gave
    /// (an object, as text).
    calls: std::collections::BTreeMap<usize, (ToolCall, Option<String>)>,
    /// What `calls` hold, as [`held_by`] counts it with the start's input.
    held: usize,
}

/// What an open `tool_use` block holds: the call so far and the start's input.
fn held(call: &ToolCall, input: &Option<String>) -> usize {
    held_by(call) + input.as_ref().map_or(0, String::len)
}

impl Decoder for AnthropicDecoder {
    fn decode(
        &mut self,
        event: &Event,
        out: &mut VecDeque<StreamEvent>,
    ) -> Result<bool, ProviderError> {
        let frame: Frame = parse(event)?;
        match frame.kind.as_str() {
            "message_start" => {
                if let Some(u) = frame.message.and_then(|m| m.usage) {
                    self.usage = self.usage.merge(u);
                    self.reported_usage = true;
                }
            }
            "content_block_start" => {
                if let (Some(index), Some(block)) = (frame.index, frame.content_block) {
                    if block.kind == "tool_use" {
                        let call = ToolCall {
                            id: block.id.unwrap_or_default(),
                            name: block.name.unwrap_or_default(),
                            arguments: String::new(),
                            signature: None,
                        };
                        let input = block.input.filter(Value::is_object).map(|v| v.to_string());
                        self.held += held(&call, &input);
                        if let Some(old) = self.calls.insert(index, (call, input)) {
                            self.held = self.held.saturating_sub(held(&old.0, &old.1));
                        }
                    }
                }
            }
            "content_block_delta" => {
                // Text deltas are the reply, input deltas pieces of a tool call; thinking is
                // not shown.
                match frame.delta {
                    Some(d) if d.kind.as_deref() == Some("text_delta") => {
                        if let Some(text) = d.text.filter(|t| !t.is_empty()) {
                            out.push_back(StreamEvent::Text(text));
                        }
                    }
                    Some(d) if d.kind.as_deref() == Some("input_json_delta") => {
                        let open = frame.index.and_then(|i| self.calls.get_mut(&i));
                        if let (Some((call, _)), Some(piece)) = (open, d.partial_json) {
                            self.held += piece.len();
                            call.arguments.push_str(&piece);
                        }
                    }
                    _ => {}
                }
            }
            "content_block_stop" => {
                if let Some((mut call, input)) = frame.index.and_then(|i| self.calls.remove(&i)) {
                    self.held = self.held.saturating_sub(held(&call, &input));
                    if call.arguments.trim().is_empty() {
                        // No input deltas: the start's input is the whole input.
                        call.arguments = input.unwrap_or_else(|| "{}".to_string());
                    }
                    out.push_back(StreamEvent::ToolCall(call));
                }
            }
            "message_delta" => {
                if let Some(u) = frame.usage {
                    self.usage = self.usage.merge(u);
                    self.reported_usage = true;
                }
                if self.reported_usage {
                    out.push_back(StreamEvent::Usage(self.usage.usage()));
                }
                if let Some(reason) = frame.delta.and_then(|d| d.stop_reason) {
                    out.push_back(StreamEvent::Finish(FinishReason::from_anthropic(&reason)));
                }
            }
            "message_stop" => return Ok(true),
            "error" => {
                let e = frame.error.unwrap_or(WireError {
                    kind: String::new(),
                    message: "unknown error".into(),
                });
                return Err(ProviderError::Stream {
                    kind: stream_kind(&e.kind),
                    message: e.message,
                });
            }
            // ping and event types added later.
            _ => {}
        }
        Ok(false)
    }

    fn held_bytes(&self) -> usize {
        self.held
    }
}

pub fn events(response: reqwest::Response, limits: &Limits) -> SseStream<AnthropicDecoder> {
    SseStream::new(response, AnthropicDecoder::default(), limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(decoder: &mut AnthropicDecoder, data: &str) -> Vec<StreamEvent> {
        let mut out = VecDeque::new();
        decoder
            .decode(
                &Event {
                    data: data.into(),
                    ..Event::default()
                },
                &mut out,
            )
            .unwrap();
        out.into()
    }

    #[test]
    fn usage_from_start_and_delta_is_merged_and_cache_counts_join_the_input() {
        let mut d = AnthropicDecoder::default();
        feed(
            &mut d,
            r#"{"type":"message_start","message":{"content":[],"usage":{"input_tokens":5,"cache_read_input_tokens":100,"cache_creation_input_tokens":10,"output_tokens":1}}}"#,
        );
        let events = feed(
            &mut d,
            r#"{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":42}}"#,
        );
        assert_eq!(
            events,
            [
                StreamEvent::Usage(Usage {
                    input_tokens: 115,
                    output_tokens: 42,
                    cached_input_tokens: 100,
                    reasoning_tokens: 0,
                    estimated: false
                }),
                StreamEvent::Finish(FinishReason::Length)
            ]
        );
    }

    #[test]
    fn thinking_deltas_are_not_reply_text() {
        let mut d = AnthropicDecoder::default();
        let events = feed(
            &mut d,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}"#,
        );
        assert!(events.is_empty());
    }
}
