//! OpenAI Chat Completions, and every server that speaks it (DeepSeek, Mistral, Groq,
//! OpenRouter, Together, Ollama, LM Studio, vLLM) through its base URL and extra headers.
use std::collections::VecDeque;

use eventsource_stream::Event;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::{stream_kind, ProviderError};
use super::event::{FinishReason, StreamEvent};
use super::sse::{parse, Decoder, SseStream};
use super::{ChatCall, Endpoint};
use crate::provider::ProviderKind;
use switchyard_router::Usage;

pub fn request(endpoint: &Endpoint, call: ChatCall<'_>) -> (String, Value) {
    let messages: Vec<Value> = call
        .messages
        .iter()
        .map(|m| json!({"role": m.role, "content": content(m)}))
        .collect();
    let mut body = json!({"model": call.model, "messages": messages});
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

/// A message's content: its text, or with images, a text part and an `image_url` part per
/// image carrying a `data:` URL.
fn content(m: &switchyard_router::Message) -> Value {
    if m.images.is_empty() {
        return json!(m.content);
    }
    let mut parts = Vec::new();
    if !m.content.is_empty() {
        parts.push(json!({"type": "text", "text": m.content}));
    }
    parts.extend(m.images.iter().map(|i| {
        json!({"type": "image_url", "image_url": {"url": format!("data:{};base64,{}", i.media_type, i.data)}})
    }));
    Value::Array(parts)
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
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    prompt_tokens: u32,
    #[serde(default)]
    completion_tokens: u32,
    prompt_tokens_details: Option<PromptDetails>,
    completion_tokens_details: Option<CompletionDetails>,
    /// DeepSeek's name for cached prompt tokens.
    prompt_cache_hit_tokens: Option<u32>,
}

#[derive(Deserialize)]
struct PromptDetails {
    cached_tokens: Option<u32>,
}

#[derive(Deserialize)]
struct CompletionDetails {
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

pub struct OpenAiDecoder;

impl Decoder for OpenAiDecoder {
    fn decode(
        &mut self,
        event: &Event,
        out: &mut VecDeque<StreamEvent>,
    ) -> Result<bool, ProviderError> {
        if event.data.trim() == "[DONE]" {
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
            if let Some(text) = choice
                .delta
                .and_then(|d| d.content)
                .filter(|t| !t.is_empty())
            {
                out.push_back(StreamEvent::Text(text));
            }
            if let Some(reason) = choice.finish_reason {
                out.push_back(StreamEvent::Finish(FinishReason::from_openai(&reason)));
            }
        }
        if let Some(u) = chunk.usage {
            out.push_back(StreamEvent::Usage(u.usage()));
        }
        Ok(false)
    }
}

pub fn events(response: reqwest::Response, max_line_bytes: usize) -> SseStream<OpenAiDecoder> {
    SseStream::new(response, OpenAiDecoder, max_line_bytes)
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
        OpenAiDecoder.decode(&event, &mut out)?;
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
