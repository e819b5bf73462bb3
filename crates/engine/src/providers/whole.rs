//! A call answered whole instead of streamed, for callers that wait for the whole answer anyway
//! (the local endpoint's non-streamed requests): one response body instead of a frame per
//! piece of text costs less on both ends. The body is read up to the reply size limit and
//! turned into the frames its stream would have carried, so the adapters' decoders read it and
//! the rest of the engine cannot tell the difference. A server that streams anyway (one that
//! ignores the request's `stream: false`) is read as a stream.
use std::collections::VecDeque;

use eventsource_stream::Event;
use reqwest::header::CONTENT_TYPE;
use reqwest::Client;
use serde_json::{json, Value};

use super::anthropic::AnthropicDecoder;
use super::gemini::GeminiDecoder;
use super::limits::{read_capped, size, Limits};
use super::openai::OpenAiDecoder;
use super::sse::Decoder;
use super::{ChatCall, Endpoint, EventStream, ProviderError, StreamEvent};
use crate::error::ErrorCode;
use crate::provider::ProviderKind;

/// Sends `call` asking for the whole answer at once and returns its events; errors and the
/// answer have the endpoint's secrets masked.
pub async fn whole_within(
    client: &Client,
    endpoint: &Endpoint,
    call: ChatCall<'_>,
    limits: &Limits,
) -> Result<EventStream, ProviderError> {
    let (url, mut body) = super::request(endpoint, call);
    let url = unstreamed(endpoint.kind, url, &mut body);
    let response = super::send(client, endpoint, &url, &body, limits).await?;
    let streamed = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/event-stream"));
    if streamed {
        return Ok(super::events(endpoint, response, limits));
    }
    let redactor = endpoint.redactor.clone();
    let (bytes, cut) = read_capped(response, limits.max_reply_bytes).await;
    let events = if cut {
        Err(ProviderError::Refused {
            code: ErrorCode::ReplyTooLarge,
            message: format!(
                "the reply passed the reply size limit ({})",
                size(limits.max_reply_bytes)
            ),
        })
    } else {
        decode(endpoint.kind, &bytes)
    };
    let items: Vec<Result<StreamEvent, ProviderError>> = match events {
        Ok(events) => events.into_iter().map(Ok).collect(),
        Err(e) => vec![Err(e.redacted(&redactor))],
    };
    let events = Box::pin(futures_util::stream::iter(items));
    Ok(super::masked::masked(events, endpoint.redactor.clone()))
}

/// The streamed request `request` made, asking for the whole answer instead.
fn unstreamed(kind: ProviderKind, url: String, body: &mut Value) -> String {
    if let Some(fields) = body.as_object_mut() {
        fields.remove("stream");
        fields.remove("stream_options");
    }
    match kind {
        ProviderKind::Gemini => url.replace(":streamGenerateContent?alt=sse", ":generateContent"),
        _ => url,
    }
}

/// The events of a whole answer's body, read by the adapter's own decoder.
fn decode(kind: ProviderKind, body: &[u8]) -> Result<Vec<StreamEvent>, ProviderError> {
    let answer: Value = serde_json::from_slice(body).map_err(|e| {
        let text = String::from_utf8_lossy(body);
        ProviderError::Malformed(format!("{e} in the reply {text:?}"))
    })?;
    // A body that parses is whole (one cut short does not parse).
    let mut out = VecDeque::new();
    match kind {
        ProviderKind::Openai | ProviderKind::OpenaiCompatible => {
            feed(OpenAiDecoder::default(), openai_frames(answer), &mut out)?;
        }
        ProviderKind::Anthropic => {
            feed(
                AnthropicDecoder::default(),
                anthropic_frames(answer),
                &mut out,
            )?;
        }
        ProviderKind::Gemini => feed(GeminiDecoder::default(), vec![answer], &mut out)?,
    }
    Ok(out.into())
}

/// Runs `frames` through `decoder`.
fn feed(
    mut decoder: impl Decoder,
    frames: Vec<Value>,
    out: &mut VecDeque<StreamEvent>,
) -> Result<(), ProviderError> {
    for frame in frames {
        let data = match frame {
            // A marker that is not JSON (`[DONE]`).
            Value::String(marker) => marker,
            frame => frame.to_string(),
        };
        let event = Event {
            data,
            ..Event::default()
        };
        decoder.decode(&event, out)?;
    }
    Ok(())
}

/// A chat completion as the one chunk that carries it all (`message` read as the chunk's
/// `delta`, each tool call given its index), then `[DONE]`. An error object stays as it is.
fn openai_frames(mut answer: Value) -> Vec<Value> {
    if let Some(choices) = answer.get_mut("choices").and_then(Value::as_array_mut) {
        for choice in choices {
            let Some(fields) = choice.as_object_mut() else {
                continue;
            };
            if let Some(mut message) = fields.remove("message") {
                if let Some(calls) = message.get_mut("tool_calls").and_then(Value::as_array_mut) {
                    for (index, call) in calls.iter_mut().enumerate() {
                        if call.is_object() {
                            call["index"] = json!(index);
                        }
                    }
                }
                fields.insert("delta".into(), message);
            }
        }
    }
    vec![answer, Value::String("[DONE]".into())]
}

/// A message as the events that stream it: its start with the prompt's usage, each content
/// block opened, filled and closed, then the stop reason with the usage, and the end. An error
/// object (`"type": "error"`) stays as it is.
fn anthropic_frames(answer: Value) -> Vec<Value> {
    if answer["type"] != "message" {
        return vec![answer];
    }
    let usage = answer.get("usage").cloned().unwrap_or(Value::Null);
    let mut frames = vec![json!({"type": "message_start", "message": {"usage": usage}})];
    let blocks = answer["content"].as_array().cloned().unwrap_or_default();
    for (index, block) in blocks.into_iter().enumerate() {
        let text = (block["type"] == "text").then(|| block["text"].clone());
        let start = match &text {
            Some(_) => json!({"type": "text", "text": ""}),
            None => block,
        };
        frames.push(json!({"type": "content_block_start", "index": index, "content_block": start}));
        if let Some(text) = text {
            frames.push(json!({"type": "content_block_delta", "index": index,
                               "delta": {"type": "text_delta", "text": text}}));
        }
        frames.push(json!({"type": "content_block_stop", "index": index}));
    }
    frames.push(json!({"type": "message_delta",
                       "delta": {"stop_reason": answer["stop_reason"]}, "usage": usage}));
    frames.push(json!({"type": "message_stop"}));
    frames
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::FinishReason;
    use switchyard_router::{ToolCall, Usage};

    fn call(id: &str, name: &str, arguments: &str) -> StreamEvent {
        StreamEvent::ToolCall(ToolCall {
            id: id.into(),
            name: name.into(),
            arguments: arguments.into(),
            ..ToolCall::default()
        })
    }

    fn usage(input: u32, output: u32, cached: u32) -> StreamEvent {
        StreamEvent::Usage(Usage {
            input_tokens: input,
            output_tokens: output,
            cached_input_tokens: cached,
            reasoning_tokens: 0,
            estimated: false,
        })
    }

    #[test]
    fn an_openai_completion_reads_as_its_stream_would() {
        let body = json!({"id": "c", "object": "chat.completion", "choices": [{"index": 0,
            "message": {"role": "assistant", "content": "Two calls:", "tool_calls": [
                {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{\"x\":1}"}},
                {"id": "b", "type": "function", "function": {"name": "g", "arguments": ""}}]},
            "finish_reason": "tool_calls"}],
            "usage": {"prompt_tokens": 9, "completion_tokens": 4,
                      "prompt_tokens_details": {"cached_tokens": 2}}});
        let events = decode(ProviderKind::Openai, body.to_string().as_bytes()).unwrap();
        assert_eq!(
            events,
            [
                StreamEvent::Text("Two calls:".into()),
                call("a", "f", "{\"x\":1}"),
                call("b", "g", "{}"),
                StreamEvent::Finish(FinishReason::ToolCalls),
                usage(9, 4, 2),
            ]
        );
    }

    #[test]
    fn an_anthropic_message_reads_as_its_stream_would() {
        let body = json!({"id": "m", "type": "message", "role": "assistant", "content": [
                {"type": "thinking", "thinking": "hidden", "signature": "s"},
                {"type": "text", "text": "Looking it up."},
                {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {"q": "x"}}],
            "stop_reason": "tool_use",
            "usage": {"input_tokens": 5, "output_tokens": 7, "cache_read_input_tokens": 3}});
        let events = decode(ProviderKind::Anthropic, body.to_string().as_bytes()).unwrap();
        assert_eq!(events[0], StreamEvent::Text("Looking it up.".into()));
        assert_eq!(events[1], call("toolu_1", "lookup", "{\"q\":\"x\"}"));
        assert!(events.contains(&usage(8, 7, 3)), "{events:?}");
        assert_eq!(
            events.last(),
            Some(&StreamEvent::Finish(FinishReason::ToolCalls))
        );
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, StreamEvent::Text(t) if t.contains("hidden"))),
            "thinking is not shown"
        );
    }

    #[test]
    fn a_gemini_answer_is_one_frame_of_its_stream() {
        let body = json!({"candidates": [{"content": {"role": "model", "parts": [
                {"text": "Hello"},
                {"functionCall": {"name": "f", "args": {"a": 1}}, "thoughtSignature": "c2ln"}]},
            "finishReason": "STOP"}],
            "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 2}});
        let events = decode(ProviderKind::Gemini, body.to_string().as_bytes()).unwrap();
        assert_eq!(events[0], StreamEvent::Text("Hello".into()));
        assert!(
            matches!(&events[1], StreamEvent::ToolCall(c) if c.name == "f" && c.arguments == "{\"a\":1}")
        );
        // The signature Gemini needs back with the call is kept, as from a stream.
        assert!(
            matches!(&events[1], StreamEvent::ToolCall(c) if c.signature.as_deref() == Some("c2ln")),
            "{events:?}"
        );
        assert!(events.contains(&StreamEvent::Finish(FinishReason::ToolCalls)));
    }

    #[test]
    fn bodies_that_are_not_whole_answers_are_errors() {
        let cut = br#"{"choices": [{"message": {"content": "Hel"#;
        assert!(matches!(
            decode(ProviderKind::Openai, cut),
            Err(ProviderError::Malformed(_))
        ));
        let in_stream_error = json!({"error": {"message": "boom", "type": "server_error"}});
        let e = decode(ProviderKind::Openai, in_stream_error.to_string().as_bytes()).unwrap_err();
        assert_eq!(e.code(), "server_error");
        let error =
            json!({"type": "error", "error": {"type": "overloaded_error", "message": "busy"}});
        let e = decode(ProviderKind::Anthropic, error.to_string().as_bytes()).unwrap_err();
        assert!(e.to_string().contains("busy"), "{e}");
    }

    #[test]
    fn the_request_asks_for_the_whole_answer() {
        let mut body =
            json!({"model": "m", "stream": true, "stream_options": {"include_usage": true}});
        let url = unstreamed(
            ProviderKind::Openai,
            "http://x/v1/chat/completions".into(),
            &mut body,
        );
        assert_eq!(url, "http://x/v1/chat/completions");
        assert_eq!(body, json!({"model": "m"}));
        let url = unstreamed(
            ProviderKind::Gemini,
            "http://x/v1beta/models/g:streamGenerateContent?alt=sse".into(),
            &mut json!({}),
        );
        assert_eq!(url, "http://x/v1beta/models/g:generateContent");
    }
}
