//! Images and Gemini's thought signatures through `switchyard serve` over HTTP, against the
//! fake provider: an image goes only to a model that reads it and reaches the provider's API
//! in its own shape; a remote image URL, an image a pinned model cannot read and an image a
//! provider does not take are the format's 400; a tool result with an image reaches each
//! provider in its shape; a Gemini call's thought signature rides in the id the client keeps
//! and comes back to Gemini with the call, and a call another provider made continues on
//! Gemini with the signature Gemini documents for that.
mod common;

use common::{add_claude_and_gem, keyring_available, local_provider, Served};
use reqwest::{Client, Response};
use serde_json::{json, Value};
use switchyard_fake_provider::{signatures, FakeProvider, Fault, RecordedRequest};

/// A 1×1 PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
/// The bytes it decodes to.
const PNG_BYTES: usize = 70;
/// The first bytes of a GIF.
const GIF: &str = "R0lGODlhAQABAAAAACw=";

const RULES: &str = r#"
[[rules]]
name = "weather"
when = [{ keywords = ["weather"] }]
then = { type = "chain", models = ["gemini-flash", "claude-haiku-4-5"] }

[[rules]]
name = "everything"
then = { type = "chain", models = ["deepseek-v3", "gemini-flash", "claude-haiku-4-5"] }
"#;

/// Local (OpenAI format) serving gpt-4o-mini and deepseek-v3 (which reads no images), Claude
/// (Anthropic) serving claude-haiku-4-5, Gem (Gemini) serving gemini-flash. `blind`: a
/// catalog in which no model reads images.
fn serve(fake: &FakeProvider, blind: bool) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("endpoint.db");
    let rules = local_provider(&db, &fake.openai_base(), "gpt-4o-mini");
    add_claude_and_gem(&db, fake, "sk-media-test-key-0123456789");
    let (_, mut catalog) =
        switchyard_router::load(&std::fs::read_to_string(&rules).unwrap()).unwrap();
    for m in &mut catalog.models {
        if m.id == "deepseek-v3" {
            m.provider = "Local".into();
        }
        if blind {
            m.vision = false;
        }
    }
    assert!(!catalog.get("deepseek-v3").unwrap().vision);
    let (set, _) = switchyard_router::from_toml(RULES).unwrap();
    std::fs::write(&rules, switchyard_router::to_toml(&set, &catalog).unwrap()).unwrap();
    Served::spawn(dir, db, rules, &[])
}

fn header<'a>(r: &'a Response, name: &str) -> &'a str {
    r.headers().get(name).unwrap().to_str().unwrap()
}

struct Api {
    c: Client,
    url: String,
    token: String,
}

impl Api {
    async fn openai(&self, body: Value) -> Response {
        self.c
            .post(format!("{}/v1/chat/completions", self.url))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn anthropic(&self, body: Value) -> Response {
        self.c
            .post(format!("{}/v1/messages", self.url))
            .header("x-api-key", &self.token)
            .header("anthropic-version", "2023-06-01")
            .json(&body)
            .send()
            .await
            .unwrap()
    }
}

fn data_url(media_type: &str, data: &str) -> String {
    format!("data:{media_type};base64,{data}")
}

fn openai_image(text: &str, media_type: &str, data: &str) -> Value {
    json!([{"role": "user", "content": [
        {"type": "text", "text": text},
        {"type": "image_url", "image_url": {"url": data_url(media_type, data)}}]}])
}

fn last(fake: &FakeProvider) -> RecordedRequest {
    fake.chat_requests()
        .pop()
        .expect("a request reached the provider")
}

async fn error_message(r: Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_goes_only_to_a_model_that_reads_it_and_is_refused_clearly_where_it_cannot_go() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = serve(&fake, false);
    let api = Api {
        c: Client::new(),
        token: served.token("viewer"),
        url: served.url.clone(),
    };

    // Without an image the rule's first model answers; with one, deepseek-v3 (no vision) is
    // passed over and Gemini gets the image's bytes as inline data.
    let r = api
        .openai(
            json!({"model": "auto", "messages": [{"role": "user", "content": "Describe a dot"}]}),
        )
        .await;
    assert_eq!(header(&r, "x-switchyard-model"), "deepseek-v3");
    let r = api
        .openai(
            json!({"model": "auto", "messages": openai_image("What is this?", "image/png", PNG)}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-switchyard-model"), "gemini-flash");
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "Echo: What is this?"
    );
    let sent = last(&fake);
    assert_eq!(sent.format, "gemini");
    assert_eq!(sent.images.len(), 1);
    assert_eq!(
        (
            sent.images[0].media_type.as_str(),
            sent.images[0].data.as_str()
        ),
        ("image/png", PNG)
    );
    assert_eq!(sent.images[0].bytes, PNG_BYTES);

    // An Anthropic client's image block, pinned to an OpenAI-format model, streaming: the
    // provider gets an image_url part with the same bytes.
    let r = api
        .anthropic(json!({"model": "gpt-4o-mini", "max_tokens": 50, "stream": true,
            "messages": [{"role": "user", "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}},
                {"type": "text", "text": "And this?"}]}]}))
        .await;
    assert_eq!(r.status(), 200);
    let stream = r.text().await.unwrap();
    assert!(stream.contains("event: message_stop"), "{stream}");
    let sent = last(&fake);
    assert_eq!(sent.format, "openai");
    assert_eq!(
        sent.body["messages"][0]["content"][1]["image_url"]["url"],
        data_url("image/png", PNG)
    );
    assert_eq!(sent.images[0].bytes, PNG_BYTES);
    fake.clear_requests();

    // Refusals, each the format's 400 saying what to do, and nothing sent.
    let remote = json!([{"role": "user", "content": [
        {"type": "text", "text": "And this?"},
        {"type": "image_url", "image_url": {"url": "http://169.254.169.254/latest/meta-data"}}]}]);
    let (status, body) = error_message(
        api.openai(json!({"model": "auto", "messages": remote}))
            .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert_eq!(body["error"]["param"], "messages");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("does not fetch image URLs"), "{message}");
    assert!(message.contains("data:image/png;base64"), "{message}");
    let (status, body) = error_message(
        api.anthropic(
            json!({"model": "auto", "max_tokens": 50, "messages": [{"role": "user", "content": [
            {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}}]}]}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("\"base64\""),
        "{body}"
    );
    // A pinned model that reads no images: a 400 naming it (not a 404: the model exists).
    let (status, body) = error_message(
        api.openai(json!({"model": "deepseek-v3", "messages": openai_image("What is this?", "image/png", PNG)}))
            .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["type"], "invalid_request_error");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("deepseek-v3 cannot read images"),
        "{message}"
    );
    // An image type the chosen provider does not take (Gemini takes no GIF): a 400 naming
    // the limit and the part.
    let (status, body) = error_message(
        api.openai(
            json!({"model": "gemini-flash", "messages": openai_image("Animate", "image/gif", GIF)}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("does not take GIF images"), "{message}");
    assert!(message.contains("messages[0].content[1]"), "{message}");
    // Bytes that are not what the type says.
    let (status, body) = error_message(
        api.openai(json!({"model": "auto", "messages": openai_image("x", "image/jpeg", PNG)}))
            .await,
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("image/png data"),
        "{body}"
    );
    assert!(fake.chat_requests().is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_no_model_can_read_is_the_engine_s_clear_400() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = serve(&fake, true);
    let api = Api {
        c: Client::new(),
        token: served.token("viewer"),
        url: served.url.clone(),
    };
    let (status, body) = error_message(
        api.openai(
            json!({"model": "auto", "messages": openai_image("What is this?", "image/png", PNG)}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert_eq!(body["error"]["param"], "messages");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("No model that reads images can answer now"),
        "{message}"
    );
    let (status, body) = error_message(
        api.anthropic(json!({"model": "auto", "max_tokens": 50, "messages": [{"role": "user", "content": [
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}]}]}))
            .await,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert!(fake.chat_requests().is_empty(), "nothing was sent");
}

/// The conversation of a tool call whose result brings an image, in the OpenAI format.
fn chart_exchange(call_id: &str) -> Value {
    json!([
        {"role": "user", "content": "Chart the sales"},
        {"role": "assistant", "content": null, "tool_calls": [{"id": call_id, "type": "function",
            "function": {"name": "chart", "arguments": "{\"query\":\"sales\"}"}}]},
        {"role": "tool", "tool_call_id": call_id, "content": [
            {"type": "text", "text": "the chart"},
            {"type": "image_url", "image_url": {"url": data_url("image/png", PNG)}}]}
    ])
}

fn chart_tool() -> Value {
    json!([{"type": "function", "function": {"name": "chart",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}}])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tool_result_with_an_image_reaches_each_provider_in_its_own_shape() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = serve(&fake, false);
    let api = Api {
        c: Client::new(),
        token: served.token("agent"),
        url: served.url.clone(),
    };
    for model in ["gpt-4o-mini", "claude-haiku-4-5", "gemini-flash"] {
        let r = api
            .openai(json!({"model": model, "tools": chart_tool(), "messages": chart_exchange("call_7")}))
            .await;
        assert_eq!(r.status(), 200, "{model}");
        let body: Value = r.json().await.unwrap();
        let answer = body["choices"][0]["message"]["content"].as_str().unwrap();
        assert!(answer.starts_with("Tool result:"), "{model}: {answer}");
        assert!(answer.contains("the chart"), "{model}: {answer}");
        let sent = last(&fake);
        assert_eq!(sent.images.len(), 1, "{model}");
        assert_eq!(sent.images[0].data, PNG, "{model}");
        match sent.format.as_str() {
            "openai" => {
                // A tool message takes text: the image follows in a user message naming the call.
                let messages = sent.body["messages"].as_array().unwrap();
                assert_eq!(messages[2]["role"], "tool");
                assert_eq!(messages[2]["content"], "the chart");
                assert_eq!(messages[3]["role"], "user");
                assert_eq!(
                    messages[3]["content"][0]["text"],
                    "The images chart returned (call call_7):"
                );
                assert_eq!(sent.images[0].role, "user");
            }
            "anthropic" => {
                let result = &sent.body["messages"][2]["content"][0];
                assert_eq!(result["type"], "tool_result");
                assert_eq!(result["tool_use_id"], "call_7");
                assert_eq!(result["content"][1]["type"], "image");
                assert!(sent.images[0].in_tool_result);
            }
            _ => {
                let parts = &sent.body["contents"][2]["parts"];
                assert_eq!(parts[0]["functionResponse"]["name"], "chart");
                assert_eq!(parts[2]["inline_data"]["data"], PNG);
                assert!(sent.images[0].in_tool_result);
                // The call was not Gemini's: it goes back with Gemini's documented signature
                // for calls it did not make.
                assert_eq!(
                    sent.body["contents"][1]["parts"][0]["thoughtSignature"],
                    "skip_thought_signature_validator"
                );
            }
        }
    }
    // The Anthropic shape in: a tool_result with an image block, answered by OpenAI's format.
    let r = api
        .anthropic(json!({"model": "gpt-4o-mini", "max_tokens": 100,
            "tools": [{"name": "chart", "input_schema": {"type": "object"}}],
            "messages": [
                {"role": "user", "content": "Chart the sales"},
                {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "chart", "input": {}}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": [
                    {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}]}]}]}))
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["stop_reason"], "end_turn");
    let sent = last(&fake);
    assert_eq!(sent.format, "openai");
    assert_eq!(sent.body["messages"][2]["role"], "tool");
    assert_eq!(
        sent.body["messages"][3]["content"][1]["image_url"]["url"],
        data_url("image/png", PNG)
    );
}

/// The tool_use id of a streamed Anthropic answer.
fn streamed_tool_use(stream: &str) -> Value {
    stream
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str::<Value>(d).unwrap())
        .find(|e| e["content_block"]["type"] == "tool_use")
        .map(|e| e["content_block"].clone())
        .unwrap_or_else(|| panic!("no tool_use block in {stream}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gemini_call_s_thought_signature_rides_in_its_id_and_goes_back_with_the_call() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = serve(&fake, false);
    let api = Api {
        c: Client::new(),
        token: served.token("agent"),
        url: served.url.clone(),
    };
    let ask = json!({"role": "user", "content": "Weather in Oslo"});
    let tools = json!([{"type": "function", "function": {"name": "get_weather",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}}}}}]);
    let signed = signatures::of("get_weather", &json!({"query": "Weather in Oslo"}));

    // OpenAI's format, not streaming: Gemini answers with a signed call; its id carries it.
    let r = api
        .openai(json!({"model": "gemini-flash", "tools": tools, "messages": [ask]}))
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let message = body["choices"][0]["message"].clone();
    let id = message["tool_calls"][0]["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("call_") && id.contains("__ts_"), "{id}");
    let follow_up = |id: &str| {
        let mut m = message.clone();
        m["tool_calls"][0]["id"] = json!(id);
        json!({"model": "gemini-flash", "tools": tools, "messages": [ask, m,
            {"role": "tool", "tool_call_id": id, "content": "4C"}]})
    };
    let r = api.openai(follow_up(&id)).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "Tool result: {\"result\":\"4C\"}"
    );
    let sent = last(&fake);
    let call = &sent.body["contents"][1]["parts"][0];
    assert_eq!(call["thoughtSignature"], signed.as_str());
    // Only the call id reaches the provider, never the signature's carrier.
    assert!(!sent.body.to_string().contains("__ts_"), "{}", sent.body);

    // A signature that is not the one Gemini gave is Gemini's 400, said by the endpoint.
    let forged = format!("{}__ts_Zm9yZ2Vk", id.split("__ts_").next().unwrap());
    let r = api.openai(follow_up(&forged)).await;
    assert_eq!(r.status(), 502);
    let body: Value = r.json().await.unwrap();
    let said = body["error"]["message"].as_str().unwrap();
    assert!(said.contains("Corrupted thought signature"), "{said}");

    // Anthropic's format, streaming: the tool_use id carries the signature too (in the
    // characters Anthropic's ids allow), and the result goes back with it.
    let r = api
        .anthropic(
            json!({"model": "gemini-flash", "max_tokens": 100, "stream": true,
            "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
            "messages": [{"role": "user", "content": "Weather in Lima"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let block = streamed_tool_use(&r.text().await.unwrap());
    let id = block["id"].as_str().unwrap().to_string();
    assert!(
        id.contains("__ts_")
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
        "{id}"
    );
    let r = api
        .anthropic(json!({"model": "gemini-flash", "max_tokens": 100,
            "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
            "messages": [
                {"role": "user", "content": "Weather in Lima"},
                {"role": "assistant", "content": [{"type": "tool_use", "id": id, "name": "get_weather",
                    "input": {"query": "Weather in Lima"}}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": id, "content": "19C"}]}]}))
        .await;
    assert_eq!(r.status(), 200);
    let sent = last(&fake);
    assert_eq!(
        sent.body["contents"][1]["parts"][0]["thoughtSignature"],
        signatures::of("get_weather", &json!({"query": "Weather in Lima"})).as_str()
    );

    // A call Claude made (Gemini down), continued on Gemini: Gemini gets the signature it
    // documents for calls it did not make, and answers.
    fake.set_fault(Fault {
        model: "gemini-2.0-flash".into(),
        status: Some(503),
        ..Fault::default()
    });
    let r = api
        .openai(json!({"model": "auto", "tools": tools, "messages": [ask]}))
        .await;
    fake.clear_faults();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-switchyard-model"), "claude-haiku-4-5");
    let body: Value = r.json().await.unwrap();
    let message = body["choices"][0]["message"].clone();
    let id = message["tool_calls"][0]["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("toolu_") && !id.contains("__ts_"), "{id}");
    let r = api
        .openai(
            json!({"model": "auto", "tools": tools, "messages": [ask, message,
            {"role": "tool", "tool_call_id": id, "content": "4C"}]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-switchyard-model"), "gemini-flash");
    let sent = last(&fake);
    assert_eq!(
        sent.body["contents"][1]["parts"][0]["thoughtSignature"],
        "skip_thought_signature_validator"
    );
}
