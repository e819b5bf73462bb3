//! Each wire format over real HTTP: keys, plain replies, and the exact SSE framing.
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use switchyard_fake_provider::FakeProvider;

const KEY: &str = "sk-test-0123456789";

async fn server() -> FakeProvider {
    FakeProvider::start(&[KEY]).await.unwrap()
}

/// Splits an SSE body into its events' `data:` payloads, checking every event is well framed.
fn data_lines(body: &str, line_end: &str) -> Vec<String> {
    let blank = format!("{line_end}{line_end}");
    assert!(
        body.ends_with(&blank),
        "stream must end with a blank line: {body:?}"
    );
    body.split(&blank)
        .filter(|e| !e.is_empty())
        .map(|event| {
            let data = event
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .expect("every event has data");
            data.trim_end_matches('\r').to_string()
        })
        .collect()
}

#[tokio::test]
async fn openai_models_need_the_bearer_key() {
    let s = server().await;
    let url = format!("{}/models", s.openai_base());
    let ok: Value = Client::new()
        .get(&url)
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok["object"], "list");
    assert!(ok["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == "gpt-4o-mini"));

    let wrong = Client::new()
        .get(&url)
        .bearer_auth("sk-wrong-abcd")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_api_key");
    assert!(body["error"]["message"].as_str().unwrap().contains("abcd"));
    assert!(!body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("sk-wrong"));

    let missing = Client::new().get(&url).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn openai_stream_is_framed_as_chunks_then_usage_then_done() {
    let s = server().await;
    let body = Client::new()
        .post(format!("{}/chat/completions", s.openai_base()))
        .bearer_auth(KEY)
        .json(&json!({"model": "gpt-4o-mini", "stream": true, "stream_options": {"include_usage": true},
            "messages": [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hello there"}]}))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines = data_lines(&body, "\n");
    assert_eq!(lines.last().unwrap(), "[DONE]");
    let chunks: Vec<Value> = lines[..lines.len() - 1]
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(chunks
        .iter()
        .all(|c| c["object"] == "chat.completion.chunk"));
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    let text: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(text, "Echo: hello there");
    let usage = &chunks.last().unwrap()["usage"];
    assert_eq!(chunks.last().unwrap()["choices"], json!([]));
    assert_eq!(
        (
            usage["prompt_tokens"].as_u64(),
            usage["completion_tokens"].as_u64()
        ),
        (Some(4), Some(3))
    );
    assert_eq!(
        chunks[chunks.len() - 2]["choices"][0]["finish_reason"],
        "stop"
    );
}

#[tokio::test]
async fn openai_stream_without_include_usage_has_no_usage_chunk() {
    let s = server().await;
    let body = Client::new()
        .post(format!("{}/chat/completions", s.openai_base()))
        .bearer_auth(KEY)
        .json(
            &json!({"model": "m", "stream": true, "messages": [{"role": "user", "content": "x"}]}),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!body.contains("usage"), "{body}");
}

#[tokio::test]
async fn openai_plain_completion_honours_max_tokens() {
    let s = server().await;
    let v: Value = Client::new()
        .post(format!("{}/chat/completions", s.openai_base()))
        .bearer_auth(KEY)
        .json(&json!({"model": "gpt-4o", "max_tokens": 2, "messages": [{"role": "user", "content": [{"type": "text", "text": "one two three"}]}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["object"], "chat.completion");
    assert_eq!(v["choices"][0]["message"]["content"], "Echo: one ");
    assert_eq!(v["choices"][0]["finish_reason"], "length");
    assert_eq!(v["usage"]["completion_tokens"], 2);
}

#[tokio::test]
async fn anthropic_stream_sends_every_event_type_in_order() {
    let s = server().await;
    let resp = Client::new()
        .post(format!("{}/v1/messages", s.anthropic_base()))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "claude-3-5-haiku-20241022", "max_tokens": 100, "stream": true, "system": "be brief",
            "messages": [{"role": "user", "content": "hi you"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let body = resp.text().await.unwrap();
    let names: Vec<&str> = body
        .split("\n\n")
        .filter_map(|e| e.lines().next()?.strip_prefix("event: "))
        .collect();
    assert_eq!(
        names,
        [
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"
        ]
    );
    let events: Vec<Value> = data_lines(&body, "\n")
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let text: String = events
        .iter()
        .filter_map(|e| e["delta"]["text"].as_str())
        .collect();
    assert_eq!(text, "Echo: hi you");
    assert_eq!(events[0]["message"]["usage"]["input_tokens"], 4);
    assert_eq!(events[7]["delta"]["stop_reason"], "end_turn");
    assert_eq!(events[7]["usage"]["output_tokens"], 3);
}

#[tokio::test]
async fn anthropic_checks_key_version_and_required_fields() {
    let s = server().await;
    let url = format!("{}/v1/messages", s.anthropic_base());
    let body =
        json!({"model": "c", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]});
    let wrong = Client::new()
        .post(&url)
        .header("x-api-key", "nope")
        .header("anthropic-version", "2023-06-01")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let v: Value = wrong.json().await.unwrap();
    assert_eq!(v["error"]["type"], "authentication_error");

    let no_version = Client::new()
        .post(&url)
        .header("x-api-key", KEY)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(no_version.status(), StatusCode::BAD_REQUEST);

    let no_max = Client::new()
        .post(&url)
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "c", "messages": [{"role": "user", "content": "x"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(no_max.status(), StatusCode::BAD_REQUEST);

    let models: Value = Client::new()
        .get(format!("{}/v1/models", s.anthropic_base()))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(models["data"][0]["type"], "model");
}

#[tokio::test]
async fn anthropic_plain_message_reports_cache_reads_apart() {
    let s = server().await;
    s.set_fault(switchyard_fake_provider::Fault {
        model: "c".into(),
        cached_tokens: 1,
        ..Default::default()
    });
    let v: Value = Client::new()
        .post(format!("{}/v1/messages", s.anthropic_base()))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "c", "max_tokens": 50, "messages": [{"role": "user", "content": "a b"}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["content"][0]["text"], "Echo: a b");
    assert_eq!(v["usage"]["input_tokens"], 1);
    assert_eq!(v["usage"]["cache_read_input_tokens"], 1);
}

#[tokio::test]
async fn gemini_stream_uses_crlf_frames_and_ends_with_usage() {
    let s = server().await;
    let body = Client::new()
        .post(format!(
            "{}/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
            s.gemini_base()
        ))
        .header("x-goog-api-key", KEY)
        .json(
            &json!({"systemInstruction": {"parts": [{"text": "be brief"}]},
            "contents": [{"role": "user", "parts": [{"text": "hi"}]}]}),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let chunks: Vec<Value> = data_lines(&body, "\r\n")
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let text: String = chunks
        .iter()
        .filter_map(|c| c["candidates"][0]["content"]["parts"][0]["text"].as_str())
        .collect();
    assert_eq!(text, "Echo: hi");
    let last = chunks.last().unwrap();
    assert_eq!(last["candidates"][0]["finishReason"], "STOP");
    assert_eq!(last["usageMetadata"]["promptTokenCount"], 3);
    assert_eq!(last["usageMetadata"]["candidatesTokenCount"], 2);
}

#[tokio::test]
async fn gemini_rejects_missing_and_wrong_keys_as_the_real_api_does() {
    let s = server().await;
    let url = format!(
        "{}/v1beta/models/gemini-2.0-flash:generateContent",
        s.gemini_base()
    );
    let body = json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]});
    let missing = Client::new().post(&url).json(&body).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let wrong = Client::new()
        .post(&url)
        .header("x-goog-api-key", "bad")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let v: Value = wrong.json().await.unwrap();
    assert_eq!(v["error"]["details"][0]["reason"], "API_KEY_INVALID");
    let by_query: Value = Client::new()
        .post(format!("{url}?key={KEY}"))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        by_query["candidates"][0]["content"]["parts"][0]["text"],
        "Echo: hi"
    );
    assert_eq!(by_query["usageMetadata"]["totalTokenCount"], 3);
    let models: Value = Client::new()
        .get(format!("{}/v1beta/models", s.gemini_base()))
        .header("x-goog-api-key", KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(models["models"][0]["name"], "models/gemini-2.0-flash");
}

#[tokio::test]
async fn recorded_requests_keep_extra_headers_but_never_keys() {
    let s = server().await;
    Client::new()
        .post(format!("{}/chat/completions", s.openai_base()))
        .bearer_auth(KEY)
        .header("HTTP-Referer", "https://switchyard.example")
        .json(&json!({"model": "m", "messages": [{"role": "user", "content": "x"}]}))
        .send()
        .await
        .unwrap();
    let recorded = s.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(
        recorded[0].headers["http-referer"],
        "https://switchyard.example"
    );
    assert!(!serde_json::to_string(&recorded).unwrap().contains(KEY));
}

/// A request that offers tools is answered, not streaming, with a call of its first tool in
/// each format's shape; the tools are recorded; a tool's result is answered with text quoting
/// it.
#[tokio::test]
async fn tools_are_answered_with_a_call_in_each_format_then_the_result_quoted() {
    let s = server().await;
    let c = Client::new();
    let ask = "weather in Oslo";
    // OpenAI.
    let openai: Value = c
        .post(format!("{}/chat/completions", s.openai_base()))
        .bearer_auth(KEY)
        .json(
            &json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": ask}],
            "tools": [{"type": "function", "function": {"name": "get_weather"}},
                      {"type": "function", "function": {"name": "clock"}}]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let choice = &openai["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    assert_eq!(choice["message"]["content"], Value::Null);
    let call = &choice["message"]["tool_calls"][0];
    assert_eq!(call["function"]["name"], "get_weather");
    assert_eq!(
        call["function"]["arguments"],
        r#"{"query":"weather in Oslo"}"#
    );
    assert!(call["id"].as_str().unwrap().starts_with("call_"));
    // Anthropic.
    let anthropic: Value = c
        .post(format!("{}/v1/messages", s.anthropic_base()))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "claude-x", "max_tokens": 50,
            "messages": [{"role": "user", "content": ask}],
            "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(anthropic["stop_reason"], "tool_use");
    assert_eq!(anthropic["content"][0]["type"], "tool_use");
    assert_eq!(anthropic["content"][0]["input"], json!({"query": ask}));
    // Gemini: no id, STOP.
    let gemini: Value = c
        .post(format!(
            "{}/v1beta/models/gemini-2.0-flash:generateContent",
            s.gemini_base()
        ))
        .header("x-goog-api-key", KEY)
        .json(
            &json!({"contents": [{"role": "user", "parts": [{"text": ask}]}],
            "tools": [{"functionDeclarations": [{"name": "get_weather"}]}]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let candidate = &gemini["candidates"][0];
    assert_eq!(candidate["finishReason"], "STOP");
    assert_eq!(
        candidate["content"]["parts"][0]["functionCall"],
        json!({"name": "get_weather", "args": {"query": ask}})
    );
    let tools: Vec<Vec<String>> = s.chat_requests().into_iter().map(|r| r.tools).collect();
    assert_eq!(
        tools,
        [
            vec!["get_weather".to_string(), "clock".to_string()],
            vec!["get_weather".to_string()],
            vec!["get_weather".to_string()]
        ]
    );

    // The result comes back: text quoting it.
    let answer: Value = c
        .post(format!("{}/v1/messages", s.anthropic_base()))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "claude-x", "max_tokens": 50,
            "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
            "messages": [{"role": "user", "content": ask},
                {"role": "assistant", "content": anthropic["content"]},
                {"role": "user", "content": [{"type": "tool_result",
                    "tool_use_id": anthropic["content"][0]["id"], "content": "4C"}]}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["stop_reason"], "end_turn");
    assert_eq!(answer["content"][0]["text"], "Tool result: 4C");
}

/// Gemini's calls carry a thought signature; the follow-up that sends the call back without
/// it, or with one Gemini did not give, is Gemini's 400, and with it (or the documented
/// signature for another model's calls) it is answered.
#[tokio::test]
async fn gemini_calls_carry_thought_signatures_that_must_come_back() {
    let s = server().await;
    let c = Client::new();
    let url = format!(
        "{}/v1beta/models/gemini-2.5-flash:generateContent",
        s.gemini_base()
    );
    let tools = json!([{"functionDeclarations": [{"name": "get_weather"}]}]);
    let ask = json!({"role": "user", "parts": [{"text": "weather in Oslo"}]});
    let first: Value = c
        .post(&url)
        .header("x-goog-api-key", KEY)
        .json(&json!({"contents": [ask], "tools": tools}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let part = first["candidates"][0]["content"]["parts"][0].clone();
    let signature = part["thoughtSignature"].as_str().unwrap().to_string();
    assert_eq!(
        signature,
        switchyard_fake_provider::signatures::of("get_weather", &part["functionCall"]["args"])
    );
    let follow_up = |model_part: Value| {
        json!({"tools": tools, "contents": [ask, {"role": "model", "parts": [model_part]},
            {"role": "user", "parts": [{"functionResponse": {"name": "get_weather",
                                                             "response": {"result": "4C"}}}]}]})
    };
    let send = |body: Value| {
        c.post(&url)
            .header("x-goog-api-key", KEY)
            .json(&body)
            .send()
    };
    let r = send(follow_up(part.clone())).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let answer: Value = r.json().await.unwrap();
    assert_eq!(
        answer["candidates"][0]["content"]["parts"][0]["text"],
        "Tool result: {\"result\":\"4C\"}"
    );
    let mut bare = part.clone();
    bare.as_object_mut().unwrap().remove("thoughtSignature");
    let r = send(follow_up(bare)).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["error"]["status"], "INVALID_ARGUMENT");
    let message = e["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Function call is missing a thought_signature"),
        "{message}"
    );
    let mut forged = part.clone();
    forged["thoughtSignature"] = json!("Zm9yZ2Vk");
    let r = send(follow_up(forged)).await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let mut foreign = part;
    foreign["thoughtSignature"] = json!("skip_thought_signature_validator");
    assert_eq!(
        send(follow_up(foreign)).await.unwrap().status(),
        StatusCode::OK
    );
}

/// Images only where each API takes them: an OpenAI `tool` message with an image is OpenAI's
/// 400; an Anthropic `tool_result` with an image block is read (and recorded as a result's).
#[tokio::test]
async fn images_in_tool_results_where_each_api_takes_them() {
    let s = server().await;
    let c = Client::new();
    let png = "iVBORw0KGgo=";
    let r = c
        .post(format!("{}/chat/completions", s.openai_base()))
        .bearer_auth(KEY)
        .json(&json!({"model": "gpt-4o", "messages": [
            {"role": "user", "content": "chart?"},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
                "function": {"name": "chart", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": [
                {"type": "image_url", "image_url": {"url": format!("data:image/png;base64,{png}")}}]}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let e: Value = r.json().await.unwrap();
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("role 'tool'"),
        "{e}"
    );
    let r = c
        .post(format!("{}/v1/messages", s.anthropic_base()))
        .header("x-api-key", KEY)
        .header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "claude-x", "max_tokens": 50, "messages": [
            {"role": "user", "content": "chart?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "chart", "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [
                {"type": "text", "text": "the chart"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png}}]}]}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let sent = s.chat_requests().pop().unwrap();
    assert_eq!(sent.images.len(), 1);
    assert!(sent.images[0].in_tool_result);
    assert_eq!(sent.images[0].bytes, 8);
}
