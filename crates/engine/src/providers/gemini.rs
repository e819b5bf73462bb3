//! Google Gemini: `generateContent` and `streamGenerateContent?alt=sse`, `x-goog-api-key`,
//! `contents`/`parts`, `systemInstruction`, `usageMetadata`.
use std::collections::VecDeque;

use eventsource_stream::Event;
use serde::Deserialize;
use serde_json::{json, Value};

use super::counts::lenient;
use super::error::{stream_kind, ProviderError};
use super::event::{FinishReason, StreamEvent};
use super::limits::Limits;
use super::sse::{parse, Decoder, SseStream};
use super::tools::{arguments_object, is_tool_result, name_of_call, stable_id, ToolChoice, Tools};
use super::{split_system, ChatCall, Endpoint};
use switchyard_router::{ToolCall, Usage};

/// What Gemini documents as the signature of a call it did not make (a conversation begun on
/// another provider, or a call whose signature was lost): it skips the check Gemini 3 makes
/// that each step's first call carries the signature Gemini gave it.
pub const FOREIGN_CALL_SIGNATURE: &str = "skip_thought_signature_validator";

/// A message's parts: its text, then an `inline_data` part per image.
fn parts(m: &switchyard_router::Message) -> Vec<Value> {
    let mut parts = Vec::new();
    if !m.content.is_empty() || m.images.is_empty() {
        parts.push(json!({"text": m.content}));
    }
    parts.extend(m.images.iter().map(inline_data));
    parts
}

fn inline_data(i: &switchyard_router::Image) -> Value {
    json!({"inline_data": {"mime_type": i.media_type, "data": i.data}})
}

/// A model turn's calls as `functionCall` parts, each with the thought signature Gemini gave
/// it; when none has one (the calls were another provider's), the first carries
/// [`FOREIGN_CALL_SIGNATURE`].
fn call_parts(calls: &[switchyard_router::ToolCall]) -> Vec<Value> {
    let foreign = calls.iter().all(|c| c.signature.is_none());
    calls
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut part =
                json!({"functionCall": {"name": c.name, "args": arguments_object(&c.arguments)}});
            let signature = match &c.signature {
                Some(s) => Some(s.as_str()),
                None if foreign && i == 0 => Some(FOREIGN_CALL_SIGNATURE),
                None => None,
            };
            if let Some(s) = signature {
                part["thoughtSignature"] = json!(s);
            }
            part
        })
        .collect()
}

/// The contents: an assistant turn's calls as `functionCall` parts after its text, tool
/// results as `functionResponse` parts of a user turn (one turn for the results of one
/// assistant turn), named by the call they answer. The images results bring follow the
/// responses in the same turn, each result's after a line naming its call.
fn contents<'a>(
    all: &[switchyard_router::Message],
    turns: impl Iterator<Item = &'a switchyard_router::Message>,
) -> Vec<Value> {
    let mut contents: Vec<Value> = Vec::new();
    let mut results_open = false;
    for m in turns {
        if is_tool_result(m) {
            let id = m.tool_call_id.as_deref().unwrap_or_default();
            let name = name_of_call(all, id).unwrap_or(id);
            let response = match serde_json::from_str::<Value>(&m.content) {
                Ok(v @ Value::Object(_)) => v,
                _ => json!({"result": m.content}),
            };
            let part = json!({"functionResponse": {"name": name, "response": response}});
            if !results_open {
                contents.push(json!({"role": "user", "parts": []}));
            }
            if let Some(parts) = contents
                .last_mut()
                .and_then(|last| last["parts"].as_array_mut())
            {
                // The responses first, in order; the images after them.
                let responses = parts
                    .iter()
                    .take_while(|p| p.get("functionResponse").is_some())
                    .count();
                parts.insert(responses, part);
                if !m.images.is_empty() {
                    parts.push(json!({"text": format!("The images {name} returned:")}));
                    parts.extend(m.images.iter().map(inline_data));
                }
            }
            results_open = true;
            continue;
        }
        let role = if m.role.eq_ignore_ascii_case("assistant") {
            "model"
        } else {
            "user"
        };
        if role == "user" && results_open {
            // A user's words right after the results join their turn, after them.
            if let Some(parts) = contents
                .last_mut()
                .and_then(|last| last["parts"].as_array_mut())
            {
                parts.extend(self::parts(m));
                results_open = false;
                continue;
            }
        }
        results_open = false;
        let mut p = if m.tool_calls.is_empty() || !m.content.is_empty() {
            parts(m)
        } else {
            Vec::new()
        };
        p.extend(call_parts(&m.tool_calls));
        contents.push(json!({"role": role, "parts": p}));
    }
    contents
}

/// A JSON schema as Gemini's `parameters` take it: an OpenAPI subset that refuses `$schema`
/// and `additionalProperties`, which JSON-schema tools often carry. (The names under
/// `properties` are the tool's own and are kept whatever they are.)
fn gemini_schema(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "$schema" | "additionalProperties"))
                .map(|(k, v)| match (k.as_str(), v) {
                    ("properties", Value::Object(props)) => (
                        k.clone(),
                        Value::Object(
                            props
                                .iter()
                                .map(|(name, s)| (name.clone(), gemini_schema(s)))
                                .collect(),
                        ),
                    ),
                    _ => (k.clone(), gemini_schema(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(gemini_schema).collect()),
        other => other.clone(),
    }
}

/// Gemini refuses an object schema without properties ("should be non-empty for OBJECT
/// type"): a tool that takes no arguments is declared without `parameters`.
fn takes_arguments(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
        || schema.get("type").and_then(Value::as_str) != Some("object")
}

/// `tools: [{functionDeclarations}]` and `toolConfig`.
fn add_tools(body: &mut Value, tools: &Tools) {
    let declarations: Vec<Value> = tools
        .list
        .iter()
        .map(|t| {
            let mut d = json!({"name": t.name});
            let schema = t.schema();
            if takes_arguments(&schema) {
                d["parameters"] = gemini_schema(&schema);
            }
            if let Some(desc) = &t.description {
                d["description"] = json!(desc);
            }
            d
        })
        .collect();
    body["tools"] = json!([{ "functionDeclarations": declarations }]);
    if let Some(choice) = &tools.choice {
        let config = match choice {
            ToolChoice::Auto => json!({"mode": "AUTO"}),
            ToolChoice::None => json!({"mode": "NONE"}),
            ToolChoice::Required => json!({"mode": "ANY"}),
            ToolChoice::Tool(name) => json!({"mode": "ANY", "allowedFunctionNames": [name]}),
        };
        body["toolConfig"] = json!({ "functionCallingConfig": config });
    }
}

pub fn request(endpoint: &Endpoint, call: ChatCall<'_>) -> (String, Value) {
    let (system, turns) = split_system(call.messages);
    let mut body = json!({"contents": contents(call.messages, turns)});
    if let Some(tools) = call.tools {
        add_tools(&mut body, tools);
    }
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
#[serde(rename_all = "camelCase")]
struct Part {
    text: Option<String>,
    function_call: Option<FunctionCall>,
    /// On a `functionCall` part: to be sent back with the call.
    thought_signature: Option<String>,
    /// Thought summaries are not the reply.
    #[serde(default)]
    thought: bool,
}

/// A whole call: Gemini sends each in one part, with an id only in newer versions.
#[derive(Deserialize)]
struct FunctionCall {
    id: Option<String>,
    #[serde(default)]
    name: String,
    args: Option<Value>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
struct UsageMetadata {
    #[serde(default, deserialize_with = "lenient")]
    prompt_token_count: u32,
    #[serde(default, deserialize_with = "lenient")]
    candidates_token_count: u32,
    #[serde(default, deserialize_with = "lenient")]
    cached_content_token_count: u32,
    #[serde(default, deserialize_with = "lenient")]
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
    /// Tool calls so far in this reply: Gemini finishes them with `STOP`, which becomes
    /// [`FinishReason::ToolCalls`] when there were any.
    calls: usize,
}

impl GeminiDecoder {
    fn calls(&mut self, candidate: &mut Candidate, out: &mut VecDeque<StreamEvent>) {
        let parts = candidate
            .content
            .iter_mut()
            .flat_map(|c| c.parts.iter_mut());
        let calls = parts.filter_map(|p| {
            let call = p.function_call.take()?;
            Some((call, p.thought_signature.take().filter(|s| !s.is_empty())))
        });
        for (call, signature) in calls {
            let arguments = call
                .args
                .filter(Value::is_object)
                .map_or_else(|| "{}".to_string(), |a| a.to_string());
            let id = call
                .id
                .filter(|i| !i.is_empty())
                .unwrap_or_else(|| stable_id(&call.name, &arguments, self.calls));
            self.calls += 1;
            out.push_back(StreamEvent::ToolCall(ToolCall {
                id,
                name: call.name,
                arguments,
                signature,
            }));
        }
    }
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
            self.calls(candidate, out);
            finish = finish.or(candidate
                .finish_reason
                .as_deref()
                .map(FinishReason::from_gemini));
        }
        if finish == Some(FinishReason::Stop) && self.calls > 0 {
            finish = Some(FinishReason::ToolCalls);
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

pub fn events(response: reqwest::Response, limits: &Limits) -> SseStream<GeminiDecoder> {
    SseStream::new(response, GeminiDecoder::default(), limits)
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
