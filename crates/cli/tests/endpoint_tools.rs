//! Tool calling through `switchyard serve` over HTTP, against the fake provider: a request
//! with tools goes only to models that call tools (a Gemini upstream here, whose calls have no
//! ids), the call comes back in the client's format with a stable id, the result sent back
//! under that id reaches Gemini named by its function, a pinned model that cannot call tools
//! is a 400 naming it, and fallback and the ledger work as for any call.
mod common;

use common::{add_claude_and_gem, keyring_available, local_provider, Served};
use reqwest::{Client, Response};
use serde_json::{json, Value};
use switchyard_fake_provider::{FakeProvider, Fault};

const RULES: &str = r#"
[[rules]]
name = "tools first"
then = { type = "chain", models = ["deepseek-r1", "gemini-flash", "claude-haiku"] }
"#;

/// Local (OpenAI format) serving gpt-4o-mini and deepseek-r1 (which cannot call tools),
/// Claude (Anthropic) serving claude-haiku, Gem (Gemini) serving gemini-flash.
fn serve(fake: &FakeProvider) -> Served {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("endpoint.db");
    let rules = local_provider(&db, &fake.openai_base(), "gpt-4o-mini");
    add_claude_and_gem(&db, fake, "sk-tools-test-key-0123456789");
    let (_, mut catalog) =
        switchyard_router::load(&std::fs::read_to_string(&rules).unwrap()).unwrap();
    for m in &mut catalog.models {
        match m.id.as_str() {
            "deepseek-r1" => m.provider = "Local".into(),
            "gemini-flash" => m.provider = "Gem".into(),
            _ => {}
        }
    }
    assert!(!catalog.get("deepseek-r1").unwrap().tools);
    let (set, _) = switchyard_router::from_toml(RULES).unwrap();
    std::fs::write(&rules, switchyard_router::to_toml(&set, &catalog).unwrap()).unwrap();
    Served::spawn(dir, db, rules, &[])
}

fn header<'a>(r: &'a Response, name: &str) -> &'a str {
    r.headers().get(name).unwrap().to_str().unwrap()
}

async fn post(c: &Client, url: &str, token: &str, body: Value) -> Response {
    c.post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn openai_tools() -> Value {
    json!([{"type": "function", "function": {"name": "get_weather",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}},
                       "additionalProperties": false}}}])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tools_route_to_models_that_call_them_and_round_trip_through_gemini() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = serve(&fake);
    let token = served.token("agent");
    let c = Client::new();
    let openai = format!("{}/v1/chat/completions", served.url);
    let anthropic = format!("{}/v1/messages", served.url);

    // Without tools the rule's first model answers.
    let plain =
        json!({"model": "auto", "messages": [{"role": "user", "content": "Weather in Oslo"}]});
    let r = post(&c, &openai, &token, plain).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-switchyard-model"), "deepseek-r1");

    // With tools, deepseek-r1 is passed over: Gemini answers with a call, which has no id
    // upstream and gets a stable one.
    let messages = json!([{"role": "user", "content": "Weather in Oslo"}]);
    let ask = json!({"model": "auto", "messages": messages, "tools": openai_tools()});
    let r = post(&c, &openai, &token, ask.clone()).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-switchyard-model"), "gemini-flash");
    assert_eq!(header(&r, "x-switchyard-provider"), "Gem");
    let body: Value = r.json().await.unwrap();
    let choice = &body["choices"][0];
    assert_eq!(choice["finish_reason"], "tool_calls");
    assert_eq!(choice["message"]["content"], Value::Null);
    let call = &choice["message"]["tool_calls"][0];
    let id = call["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("call_"), "{id}");
    assert_eq!(call["function"]["name"], "get_weather");
    assert_eq!(
        call["function"]["arguments"],
        r#"{"query":"Weather in Oslo"}"#
    );
    let sent = fake.chat_requests().last().unwrap().clone();
    assert_eq!(sent.format, "gemini");
    assert_eq!(sent.tools, ["get_weather"]);
    // Gemini's schema subset: additionalProperties left out.
    assert_eq!(
        sent.body["tools"][0]["functionDeclarations"][0]["parameters"],
        json!({"type": "object", "properties": {"query": {"type": "string"}}})
    );
    // The same request again gets the same id.
    let again: Value = post(&c, &openai, &token, ask).await.json().await.unwrap();
    assert_eq!(
        again["choices"][0]["message"]["tool_calls"][0]["id"],
        id.as_str()
    );

    // The result comes back under that id; Gemini gets it named by its function.
    let mut messages = messages.as_array().unwrap().clone();
    messages.push(choice["message"].clone());
    messages.push(json!({"role": "tool", "tool_call_id": id, "content": "4C"}));
    let r = post(
        &c,
        &openai,
        &token,
        json!({"model": "auto", "messages": messages, "tools": openai_tools()}),
    )
    .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["choices"][0]["finish_reason"], "stop");
    let answer = body["choices"][0]["message"]["content"].as_str().unwrap();
    assert!(answer.contains("4C"), "{answer}");
    let sent = fake.chat_requests().last().unwrap().clone();
    let contents = sent.body["contents"].as_array().unwrap();
    assert_eq!(
        contents[1]["parts"][0]["functionCall"],
        json!({"name": "get_weather", "args": {"query": "Weather in Oslo"}})
    );
    assert_eq!(
        contents[2]["parts"][0]["functionResponse"],
        json!({"name": "get_weather", "response": {"result": "4C"}})
    );

    // Anthropic's format, streaming, with a 503 from Gemini: the call falls back to Claude and
    // streams as tool_use blocks.
    fake.set_fault(Fault {
        model: "gemini-2.0-flash".into(),
        status: Some(503),
        ..Fault::default()
    });
    let r = post(
        &c,
        &anthropic,
        &token,
        json!({"model": "auto", "max_tokens": 100, "stream": true,
               "tools": [{"name": "get_weather", "input_schema": {"type": "object"}}],
               "messages": [{"role": "user", "content": "Weather in Lima"}]}),
    )
    .await;
    fake.clear_faults();
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-switchyard-model"), "claude-haiku");
    assert_eq!(header(&r, "x-switchyard-fallback"), "true");
    let stream = r.text().await.unwrap();
    let events: Vec<Value> = stream
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"
        ],
        "{stream}"
    );
    assert_eq!(events[1]["content_block"]["type"], "tool_use");
    assert_eq!(events[1]["content_block"]["name"], "get_weather");
    assert!(events[1]["content_block"]["id"]
        .as_str()
        .unwrap()
        .starts_with("toolu_"));
    assert_eq!(events[2]["delta"]["type"], "input_json_delta");
    assert_eq!(
        serde_json::from_str::<Value>(events[2]["delta"]["partial_json"].as_str().unwrap())
            .unwrap(),
        json!({"query": "Weather in Lima"})
    );
    assert_eq!(events[4]["delta"]["stop_reason"], "tool_use");
    assert!(
        stream.contains(": switchyard model=claude-haiku"),
        "{stream}"
    );

    // Every call is in the ledger as the endpoint's, under the token's name.
    let store = common::settled_store(&served.db).await;
    let rows: Vec<(String, Option<String>, String, String)> =
        sqlx::query_as("SELECT source, client, model, outcome FROM usage ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap();
    store.close().await;
    let answered: Vec<&str> = rows
        .iter()
        .filter(|r| r.3 == "answered")
        .map(|r| r.2.as_str())
        .collect();
    assert_eq!(
        answered,
        [
            "deepseek-r1",
            "gemini-flash",
            "gemini-flash",
            "gemini-flash",
            "claude-haiku"
        ],
        "{rows:?}"
    );
    // The 503s were tried (and retried) on Gemini before the fallback.
    assert!(
        rows.iter()
            .any(|r| r.2 == "gemini-flash" && r.3 == "failed"),
        "{rows:?}"
    );
    assert!(rows
        .iter()
        .all(|r| r.0 == "endpoint" && r.1.as_deref() == Some("agent")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pinned_model_that_cannot_call_tools_is_a_400_naming_it() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = serve(&fake);
    let token = served.token("agent");
    let c = Client::new();
    let r = post(
        &c,
        &format!("{}/v1/chat/completions", served.url),
        &token,
        json!({"model": "deepseek-r1", "tools": openai_tools(),
               "messages": [{"role": "user", "content": "Weather?"}]}),
    )
    .await;
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("deepseek-r1 cannot call tools"),
        "{message}"
    );
    assert!(message.contains("such as gpt-4o-mini"), "{message}");

    // A conversation that carries tool calls needs a tool-capable model too (Anthropic shape).
    let r = post(
        &c,
        &format!("{}/v1/messages", served.url),
        &token,
        json!({"model": "deepseek-r1", "max_tokens": 50, "messages": [
            {"role": "user", "content": "Weather?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "w", "input": {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "4C"}]}]}),
    )
    .await;
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("deepseek-r1"),
        "{body}"
    );
    assert!(fake.chat_requests().is_empty(), "nothing was sent");
}
