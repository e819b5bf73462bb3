//! OpenAI Chat Completions, and every server that speaks it (DeepSeek, Mistral, Groq,
//! OpenRouter, Together, Ollama, LM Studio, vLLM) through its base URL and extra headers.
use std::collections::VecDeque;

use eventsource_stream::Event;
use serde::Deserialize;
use serde_json::{json, Value};

use super::counts::{lenient, lenient_opt};
use super::error::{stream_kind, ProviderError};
use super::event::{FinishReason, StreamEvent};
use super::limits::Limits;
use super::sse::{held_by, parse, Decoder, SseStream};
use super::tools::{is_tool_result, name_of_call, ToolChoice, Tools};
use super::{ChatCall, Endpoint};
use crate::provider::ProviderKind;
use switchyard_router::{Image, Message, ToolCall, Usage};

pub fn request(endpoint: &Endpoint, call: ChatCall<'_>) -> (String, Value) {
    let messages = messages(call.messages);
    let mut body = json!({"model": call.model, "messages": messages});
    if let Some(tools) = call.tools {
        add_tools(&mut body, tools);
    }
    body["stream"] = json!(true);
    // Without this OpenAI sends no token counts in a stream.
    body["stream_options"] = json!({"include_usage": true});
    if let Some(max) = call.max_output_tokens {
        // OpenAI's reasoning models refuse `max_tokens`; most compatible servers only know it.
        let field = if endpoint.kind == ProviderKind::Openai {
            "max_completion_tokens"
        } else {
            "max_tokens"
        };
        body[field] = json!(max);
    }
    (format!("{}/chat/completions", endpoint.base_url), body)
}

/// The messages. A `tool` message takes text only, so the images tool results bring go in a
/// user message after the run of results (the results of one turn's calls must follow it
/// together), each call's images after a line naming the call.
fn messages(all: &[Message]) -> Vec<Value> {
    let mut out = Vec::with_capacity(all.len());
    let mut shown: Vec<Value> = Vec::new();
    for m in all {
        if !is_tool_result(m) && !shown.is_empty() {
            out.push(json!({"role": "user", "content": std::mem::take(&mut shown)}));
        }
        out.push(message(m));
        if is_tool_result(m) && !m.images.is_empty() {
            let id = m.tool_call_id.as_deref().unwrap_or_default();
            let name = name_of_call(all, id).unwrap_or("the tool");
            shown.push(json!({"type": "text",
                              "text": format!("The images {name} returned (call {id}):")}));
            shown.extend(m.images.iter().map(image_part));
        }
    }
    if !shown.is_empty() {
        out.push(json!({"role": "user", "content": shown}));
    }
    out
}

/// One message: a tool's result as a `tool` message, an assistant turn with its `tool_calls`.
fn message(m: &Message) -> Value {
    if is_tool_result(m) {
        let content = if m.content.is_empty() && !m.images.is_empty() {
            "The result is the images in the next message."
        } else {
            m.content.as_str()
        };
        return json!({
            "role": "tool",
            "tool_call_id": m.tool_call_id.as_deref().unwrap_or_default(),
            "content": content,
        });
    }
    let mut v = json!({"role": m.role, "content": content(m)});
    if !m.tool_calls.is_empty() {
        if m.content.is_empty() && m.images.is_empty() {
            v["content"] = Value::Null;
        }
        v["tool_calls"] = m
            .tool_calls
            .iter()
            .map(|c| {
                json!({"id": c.id, "type": "function",
                       "function": {"name": c.name, "arguments": c.arguments}})
            })
            .collect();
    }
    v
}

/// `tools` as `function` tools and `tool_choice`.
fn add_tools(body: &mut Value, tools: &Tools) {
    body["tools"] = tools
        .list
        .iter()
        .map(|t| {
            let mut f = json!({"name": t.name, "parameters": t.schema()});
            if let Some(d) = &t.description {
                f["description"] = json!(d);
            }
            json!({"type": "function", "function": f})
        })
        .collect();
    if let Some(choice) = &tools.choice {
        body["tool_choice"] = match choice {
            ToolChoice::Auto => json!("auto"),
            ToolChoice::None => json!("none"),
            ToolChoice::Required => json!("required"),
            ToolChoice::Tool(name) => json!({"type": "function", "function": {"name": name}}),
        };
    }
}

/// A message's content: its text, or with images, a text part and an `image_url` part per
/// image carrying a `data:` URL.
fn content(m: &Message) -> Value {
    if m.images.is_empty() {
        return json!(m.content);
    }
    let mut parts = Vec::new();
    if !m.content.is_empty() {
        parts.push(json!({"type": "text", "text": m.content}));
    }
    parts.extend(m.images.iter().map(image_part));
    Value::Array(parts)
}

fn image_part(i: &Image) -> Value {
    json!({"type": "image_url",
           "image_url": {"url": format!("data:{};base64,{}", i.media_type, i.data)}})
}

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<Choice>,
    usage: Option<WireUsage>,
    error: Option<WireError>,
}

#[derive(Deserialize)]
struct Choice {
    delta: Option<Content>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Content {
    content: Option<String>,
    tool_calls: Option<Vec<CallDelta>>,
}

/// A piece of a streamed tool call: the first carries its id and name, the rest pieces of
/// the arguments' text, all under the call's index.
#[derive(Deserialize)]
struct CallDelta {
    #[serde(default)]
    index: usize,
    id: Option<String>,
    function: Option<FunctionDelta>,
}

#[derive(Deserialize)]
struct FunctionDelta {
    name: Option<String>,
    arguments: Option<String>,
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default, deserialize_with = "lenient")]
    prompt_tokens: u32,
    #[serde(default, deserialize_with = "lenient")]
    completion_tokens: u32,
    prompt_tokens_details: Option<PromptDetails>,
    completion_tokens_details: Option<CompletionDetails>,
    /// DeepSeek's name for cached prompt tokens.
    #[serde(default, deserialize_with = "lenient_opt")]
    prompt_cache_hit_tokens: Option<u32>,
}

#[derive(Deserialize)]
struct PromptDetails {
    #[serde(default, deserialize_with = "lenient_opt")]
    cached_tokens: Option<u32>,
}

#[derive(Deserialize)]
struct CompletionDetails {
    #[serde(default, deserialize_with = "lenient_opt")]
    reasoning_tokens: Option<u32>,
}

#[derive(Deserialize)]
struct WireError {
    #[serde(default)]
    message: String,
    #[serde(rename = "type")]
    kind: Option<String>,
}

impl WireUsage {
    fn usage(&self) -> Usage {
        let cached = self
            .prompt_tokens_details
            .as_ref()
            .and_then(|d| d.cached_tokens)
            .or(self.prompt_cache_hit_tokens);
        Usage {
            input_tokens: self.prompt_tokens,
            output_tokens: self.completion_tokens,
            cached_input_tokens: cached.unwrap_or(0),
            reasoning_tokens: self
                .completion_tokens_details
                .as_ref()
                .and_then(|d| d.reasoning_tokens)
                .unwrap_or(0),
            estimated: false,
        }
    }
}

/// Tool calls being put together from their pieces, by index; they are sent whole when the
/// choice finishes (or the stream ends).
#[derive(Default)]
pub struct OpenAiDecoder {
    calls: std::collections::BTreeMap<usize, ToolCall>,
    /// What `calls` hold, as [`held_by`] counts it (pieces that replace others count too).
    held: usize,
}

impl OpenAiDecoder {
    fn flush_calls(&mut self, out: &mut VecDeque<StreamEvent>) {
        self.held = 0;
        for (index, mut call) in std::mem::take(&mut self.calls) {
            if call.id.is_empty() {
                call.id = super::tools::stable_id(&call.name, &call.arguments, index);
            }
            if call.arguments.trim().is_empty() {
                call.arguments = "{}".into();
            }
            out.push_back(StreamEvent::ToolCall(call));
        }
    }
}

impl Decoder for OpenAiDecoder {
    fn decode(
        &mut self,
        event: &Event,
        out: &mut VecDeque<StreamEvent>,
    ) -> Result<bool, ProviderError> {
        if event.data.trim() == "[DONE]" {
            self.flush_calls(out);
            return Ok(true);
        }
        let chunk: Chunk = parse(event)?;
        if let Some(e) = chunk.error {
            return Err(ProviderError::Stream {
                kind: stream_kind(e.kind.as_deref().unwrap_or_default()),
                message: e.message,
            });
        }
        for choice in chunk.choices {
            let (content, calls) = choice
                .delta
                .map_or((None, None), |d| (d.content, d.tool_calls));
            if let Some(text) = content.filter(|t| !t.is_empty()) {
                out.push_back(StreamEvent::Text(text));
            }
            for piece in calls.into_iter().flatten() {
                let call = self.calls.entry(piece.index).or_insert_with(|| {
                    let call = ToolCall::default();
                    self.held += held_by(&call);
                    call
                });
                if let Some(id) = piece.id.filter(|i| !i.is_empty()) {
                    self.held += id.len();
                    call.id = id;
                }
                if let Some(f) = piece.function {
                    if let Some(name) = f.name.filter(|n| !n.is_empty()) {
                        self.held += name.len();
                        call.name = name;
                    }
                    if let Some(args) = f.arguments {
                        self.held += args.len();
                        call.arguments.push_str(&args);
                    }
                }
            }
            if let Some(reason) = choice.finish_reason {
                self.flush_calls(out);
                out.push_back(StreamEvent::Finish(FinishReason::from_openai(&reason)));
            }
        }
        if let Some(u) = chunk.usage {
            out.push_back(StreamEvent::Usage(u.usage()));
        }
        Ok(false)
    }

    fn held_bytes(&self) -> usize {
        self.held
    }
}

pub fn events(response: reqwest::Response, limits: &Limits) -> SseStream<OpenAiDecoder> {
    SseStream::new(response, OpenAiDecoder::default(), limits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(data: &str) -> Result<Vec<StreamEvent>, ProviderError> {
        let mut out = VecDeque::new();
        let event = Event {
            data: data.into(),
            ..Event::default()
        };
        OpenAiDecoder::default().decode(&event, &mut out)?;
        Ok(out.into())
    }

    #[test]
    fn usage_reads_cached_and_reasoning_details_and_deepseeks_cache_field() {
        let events = decode(r#"{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":5}}}"#).unwrap();
        assert_eq!(
            events,
            [StreamEvent::Usage(Usage {
                input_tokens: 10,
                output_tokens: 7,
                cached_input_tokens: 4,
                reasoning_tokens: 5,
                estimated: false
            })]
        );
        let events = decode(r#"{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":1,"prompt_cache_hit_tokens":6}}"#).unwrap();
        assert!(matches!(
            events[0],
            StreamEvent::Usage(Usage {
                cached_input_tokens: 6,
                ..
            })
        ));
    }

    #[test]
    fn an_error_object_in_the_stream_is_an_error() {
        let e = decode(r#"{"error":{"message":"boom","type":"server_error"}}"#).unwrap_err();
        assert_eq!(e.code(), "server_error");
    }
}
