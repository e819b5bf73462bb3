//! Google Gemini: `generateContent` and `streamGenerateContent?alt=sse`, `x-goog-api-key`,
//! `contents`/`parts`, `systemInstruction`, `usageMetadata`.
use std::collections::VecDeque;

use eventsource_stream::Event;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::{stream_kind, ProviderError};
use super::event::{FinishReason, StreamEvent};
use super::sse::{parse, Decoder, SseStream};
use super::{split_system, ChatCall, Endpoint};
use switchyard_router::Usage;

/// A message's parts: its text, then an `inline_data` part per image.
fn parts(m: &switchyard_router::Message) -> Vec<Value> {
    let mut parts = Vec::new();
    if !m.content.is_empty() || m.images.is_empty() {
        parts.push(json!({"text": m.content}));
    }
    parts.extend(
        m.images
            .iter()
            .map(|i| json!({"inline_data": {"mime_type": i.media_type, "data": i.data}})),
    );
    parts
}

pub fn request(endpoint: &Endpoint, call: ChatCall<'_>) -> (String, Value) {
    let (system, turns) = split_system(call.messages);
    let contents: Vec<Value> = turns
        .map(|m| {
            let role = if m.role.eq_ignore_ascii_case("assistant") {
                "model"
            } else {
                "user"
            };
            json!({"role": role, "parts": parts(m)})
        })
        .collect();
    let mut body = json!({"contents": contents});
    if let Some(system) = system {
        body["systemInstruction"] = json!({"parts": [{"text": system}]});
    }
    if let Some(max) = call.max_output_tokens {
        body["generationConfig"] = json!({"maxOutputTokens": max});
    }
    let model = call.model.strip_prefix("models/").unwrap_or(call.model);
    (
        format!(
            "{}/v1beta/models/{model}:streamGenerateContent?alt=sse",
            endpoint.base_url
        ),
        body,
    )
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Chunk {
    #[serde(default)]
    candidates: Vec<Candidate>,
    usage_metadata: Option<UsageMetadata>,
    prompt_feedback: Option<PromptFeedback>,
    error: Option<WireError>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Candidate {
    content: Option<Content>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Content {
    #[serde(default)]
    parts: Vec<Part>,
}

#[derive(Deserialize)]
struct Part {
    text: Option<String>,
    /// Thought summaries are not the reply.
    #[serde(default)]
    thought: bool,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
struct UsageMetadata {
    #[serde(default)]
    prompt_token_count: u32,
    #[serde(default)]
    candidates_token_count: u32,
    #[serde(default)]
    cached_content_token_count: u32,
    #[serde(default)]
    thoughts_token_count: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PromptFeedback {
    block_reason: Option<String>,
}

#[derive(Deserialize)]
struct WireError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    status: String,
}

impl UsageMetadata {
    /// Gemini counts thoughts apart from the candidates; the engine's output count holds both.
    fn usage(self) -> Usage {
        Usage {
            input_tokens: self.prompt_token_count,
            output_tokens: self
                .candidates_token_count
                .saturating_add(self.thoughts_token_count),
            cached_input_tokens: self.cached_content_token_count,
            reasoning_tokens: self.thoughts_token_count,
            estimated: false,
        }
    }
}

fn texts(candidate: &mut Candidate) -> impl Iterator<Item = String> + '_ {
    candidate
        .content
        .iter_mut()
        .flat_map(|c| c.parts.iter_mut())
        .filter(|p| !p.thought)
        .filter_map(|p| p.text.take())
        .filter(|t| !t.is_empty())
}

/// Gemini repeats the running usage on every chunk; it is reported once, with the finish.
#[derive(Default)]
pub struct GeminiDecoder {
    usage: Option<UsageMetadata>,
}

impl Decoder for GeminiDecoder {
    fn decode(
        &mut self,
        event: &Event,
        out: &mut VecDeque<StreamEvent>,
    ) -> Result<bool, ProviderError> {
        let mut chunk: Chunk = parse(event)?;
        if let Some(e) = chunk.error {
            return Err(ProviderError::Stream {
                kind: stream_kind(&e.status),
                message: e.message,
            });
        }
        self.usage = chunk.usage_metadata.or(self.usage);
        let mut finish = chunk
            .prompt_feedback
            .and_then(|f| f.block_reason)
            .map(|_| FinishReason::ContentFilter);
        if let Some(candidate) = chunk.candidates.first_mut() {
            out.extend(texts(candidate).map(StreamEvent::Text));
            finish = finish.or(candidate
                .finish_reason
                .as_deref()
                .map(FinishReason::from_gemini));
        }
        if let Some(reason) = finish {
            if let Some(u) = self.usage {
                out.push_back(StreamEvent::Usage(u.usage()));
            }
            out.push_back(StreamEvent::Finish(reason));
        }
        Ok(false)
    }
}

pub fn events(response: reqwest::Response, max_line_bytes: usize) -> SseStream<GeminiDecoder> {
    SseStream::new(response, GeminiDecoder::default(), max_line_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thoughts_are_counted_as_output_but_not_shown() {
        let mut d = GeminiDecoder::default();
        let mut out = VecDeque::new();
        let data = r#"{"candidates":[{"content":{"parts":[{"text":"plan","thought":true},{"text":"Hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":1,"thoughtsTokenCount":30,"cachedContentTokenCount":4}}"#;
        d.decode(
            &Event {
                data: data.into(),
                ..Event::default()
            },
            &mut out,
        )
        .unwrap();
        assert_eq!(
            Vec::from(out),
            [
                StreamEvent::Text("Hi".into()),
                StreamEvent::Usage(Usage {
                    input_tokens: 9,
                    output_tokens: 31,
                    cached_input_tokens: 4,
                    reasoning_tokens: 30,
                    estimated: false
                }),
                StreamEvent::Finish(FinishReason::Stop)
            ]
        );
    }
}
