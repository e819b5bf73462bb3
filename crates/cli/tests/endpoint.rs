//! `switchyard serve` over HTTP, against the fake provider: both wire formats, streaming and
//! not, the three kinds of model name, fallback, budgets, the token check, the size limit,
//! malformed bodies, the facts every answer carries, and the ledger's source and client.
mod common;

use std::time::{Duration, Instant};

use common::{keyring_available, text, Served, ANTHROPIC_KEY};
use reqwest::{Client, Response};
use serde_json::{json, Value};
use switchyard_fake_provider::{FakeProvider, Fault};

fn header<'a>(r: &'a Response, name: &str) -> &'a str {
    r.headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"))
        .to_str()
        .unwrap()
}

async fn post(c: &Client, url: String, token: &str, body: Value) -> Response {
    c.post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn ask(model: &str, prompt: &str) -> Value {
    json!({"model": model, "messages": [{"role": "user", "content": prompt}]})
}

/// (source, client, model, outcome) of every ledger row, oldest first, once no call is in
/// flight.
async fn ledger(db: &std::path::Path) -> Vec<(String, Option<String>, String, String)> {
    let store = common::settled_store(db).await;
    let rows = sqlx::query_as("SELECT source, client, model, outcome FROM usage ORDER BY id")
        .fetch_all(store.pool())
        .await
        .unwrap();
    store.close().await;
    rows
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_and_anthropic_requests_route_stream_fall_back_and_are_billed_to_their_client() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = Served::start(&fake, &["--max-body-bytes", "65536"]);
    let token = served.token("ci editor");
    let c = Client::new();
    let openai = format!("{}/v1/chat/completions", served.url);
    let anthropic = format!("{}/v1/messages", served.url);

    // auto, OpenAI, not streaming: the saved rules pick gpt-4o-mini on Local.
    let r = post(
        &c,
        openai.clone(),
        &token,
        ask("auto", "Say hello to the yard"),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-switchyard-model"), "gpt-4o-mini");
    assert_eq!(header(&r, "x-switchyard-provider"), "Local");
    assert_eq!(header(&r, "x-switchyard-rule"), "everything");
    assert_eq!(header(&r, "x-switchyard-fallback"), "false");
    let cost: f64 = header(&r, "x-switchyard-cost-usd").parse().unwrap();
    assert!(cost > 0.0, "{cost}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["object"], "chat.completion");
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(
        body["choices"][0]["message"]["content"],
        "Echo: Say hello to the yard"
    );
    assert_eq!(body["choices"][0]["finish_reason"], "stop");
    assert!(body["usage"]["completion_tokens"].as_u64().unwrap() > 0);
    assert_eq!(body["switchyard"]["rule"], "everything");

    // switchyard/<rule> forces a rule: an OpenAI client answered by Claude over Anthropic's wire.
    let r = post(
        &c,
        openai.clone(),
        &token,
        ask("switchyard/code", "Say hello"),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-switchyard-model"), "claude-haiku");
    assert_eq!(header(&r, "x-switchyard-provider"), "Claude");
    assert_eq!(header(&r, "x-switchyard-rule"), "code");
    let body = r.text().await.unwrap();
    assert!(body.contains("Echo: Say hello"), "{body}");
    assert!(
        !body.contains(ANTHROPIC_KEY) && !body.contains("0123456789"),
        "{body}"
    );
    let seen = fake.chat_requests();
    let last = seen.last().unwrap();
    assert_eq!(last.format, "anthropic");

    // A catalog id pins the model; Anthropic's format, streaming.
    let r = post(
        &c,
        anthropic.clone(),
        &token,
        json!({"model": "gpt-4o-mini", "max_tokens": 100, "stream": true,
               "system": "Be brief.", "messages": [{"role": "user", "content": "Name a station"}]}),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "text/event-stream");
    assert_eq!(header(&r, "x-switchyard-model"), "gpt-4o-mini");
    let stream = r.text().await.unwrap();
    let events: Vec<&str> = stream
        .lines()
        .filter_map(|l| l.strip_prefix("event: "))
        .collect();
    assert_eq!(events.first(), Some(&"message_start"), "{stream}");
    assert_eq!(events.last(), Some(&"message_stop"), "{stream}");
    assert!(events.contains(&"content_block_delta"), "{stream}");
    let said: String = stream
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .filter_map(|v| v["delta"]["text"].as_str().map(str::to_string))
        .collect();
    assert_eq!(said, "Echo: Name a station");
    let comment = stream
        .lines()
        .rfind(|l| l.starts_with(": switchyard "))
        .expect("a final comment");
    assert!(
        comment.contains("model=gpt-4o-mini provider=Local rule=chosen%20by%20you"),
        "{comment}"
    );
    assert!(comment.contains("fallback=false"), "{comment}");

    // OpenAI streaming, with usage: chunks, then [DONE], then the facts.
    let mut req = ask("auto", "Count the platforms");
    req["stream"] = json!(true);
    req["stream_options"] = json!({"include_usage": true});
    let r = post(&c, openai.clone(), &token, req).await;
    assert_eq!(r.status(), 200);
    let stream = r.text().await.unwrap();
    let data: Vec<&str> = stream
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .collect();
    assert_eq!(data.last(), Some(&"[DONE]"), "{stream}");
    let chunks: Vec<Value> = data[..data.len() - 1]
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert!(chunks
        .iter()
        .all(|c| c["object"] == "chat.completion.chunk"));
    let said: String = chunks
        .iter()
        .filter_map(|c| c["choices"][0]["delta"]["content"].as_str())
        .collect();
    assert_eq!(said, "Echo: Count the platforms");
    assert!(
        chunks.last().unwrap()["usage"]["total_tokens"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert!(stream
        .trim_end()
        .lines()
        .last()
        .unwrap()
        .starts_with(": switchyard model=gpt-4o-mini"));

    // Fallback after a 503: the same facts say so.
    fake.set_fault(Fault {
        model: "gpt-4o-mini".into(),
        status: Some(503),
        ..Fault::default()
    });
    let r = post(&c, openai.clone(), &token, ask("auto", "Say hello again")).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-switchyard-model"), "claude-haiku");
    assert_eq!(header(&r, "x-switchyard-fallback"), "true");
    assert_eq!(header(&r, "x-switchyard-rule"), "everything");
    fake.clear_faults();

    // The ledger: every call from the endpoint, under the token's name.
    let rows = ledger(&served.db).await;
    assert!(rows.len() >= 5, "{rows:?}");
    assert!(
        rows.iter()
            .all(|(s, c, _, _)| s == "endpoint" && c.as_deref() == Some("ci editor")),
        "{rows:?}"
    );
    assert!(rows
        .iter()
        .any(|(_, _, m, o)| m == "gpt-4o-mini" && o == "failed"));

    // A budget: the next request is refused with 429 naming it, and not retried.
    let out = served.cli(&["budgets", "set", "--period", "day", "--limit", "0.000001"]);
    assert!(out.status.success(), "{}", text(&out));
    let r = post(&c, openai.clone(), &token, ask("auto", "One more")).await;
    assert_eq!(r.status(), 429);
    assert_eq!(header(&r, "x-should-retry"), "false");
    let body: Value = r.json().await.unwrap();
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.to_lowercase().contains("daily"), "{message}");
    assert_eq!(body["error"]["code"], "budget_exceeded");
    let r = post(&c, anthropic.clone(), &token, ask("auto", "One more")).await;
    assert_eq!(r.status(), 429);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "rate_limit_error");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tokens_bodies_and_model_names_get_each_formats_own_errors() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = Served::start(&fake, &["--max-body-bytes", "65536"]);
    let token = served.token("scripts");
    let c = Client::new();
    let openai = format!("{}/v1/chat/completions", served.url);
    let anthropic = format!("{}/v1/messages", served.url);

    // No token, a wrong one: 401 in each shape; nothing reaches a provider.
    let r = c
        .post(&openai)
        .json(&ask("auto", "hi"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["type"], "authentication_error");
    let r = c
        .post(&anthropic)
        .header("x-api-key", format!("{token}x"))
        .json(&ask("auto", "hi"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["type"], "authentication_error");
    assert!(fake.chat_requests().is_empty());

    // Malformed JSON.
    let r = c
        .post(&openai)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"model\": \"auto\", \"messages\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not valid JSON"));

    // Over the size limit (64 KiB here).
    let big = "x".repeat(100 * 1024);
    let r = post(&c, anthropic.clone(), &token, ask("auto", &big)).await;
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["type"], "request_too_large");

    // Unknown model names: the format's "not found".
    let r = post(&c, openai.clone(), &token, ask("gpt-17", "hi")).await;
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "model_not_found");
    let r = post(&c, anthropic.clone(), &token, ask("switchyard/nope", "hi")).await;
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["type"], "not_found_error");

    // The deprecated form of tool calling gets a clear 400 saying what to send instead (tools
    // themselves pass through: tests/endpoint_tools.rs).
    let mut req = ask("auto", "What is the weather?");
    req["functions"] = json!([{"name": "weather"}]);
    let r = post(&c, openai.clone(), &token, req).await;
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("send `tools`"));
    assert_eq!(body["error"]["param"], "functions");
    assert!(fake.chat_requests().is_empty(), "nothing was sent upstream");

    // The model list: auto, each rule, the models that can be called now, in both shapes.
    let r = c
        .get(format!("{}/v1/models", served.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let ids: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    for id in [
        "auto",
        "switchyard/code",
        "switchyard/everything",
        "gpt-4o-mini",
        "claude-haiku",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(!ids.contains(&"gpt-4o"), "gpt-4o has no provider: {ids:?}");
    let r = c
        .get(format!("{}/v1/models", served.url))
        .header("x-api-key", &token)
        .header("anthropic-version", "2023-06-01")
        .send()
        .await
        .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"][0]["type"], "model");
    assert_eq!(body["has_more"], false);

    // An answer cut off part-way is an error when not streaming, not a short reply (a
    // non-streamed request asks models for the whole answer, so a cut one falls back to the
    // next model; here every model's is cut).
    fake.set_fault(Fault {
        model: "*".into(),
        cut_after: Some(2),
        ..Fault::default()
    });
    let r = post(
        &c,
        openai.clone(),
        &token,
        ask("auto", "Tell a long story about trains"),
    )
    .await;
    assert_eq!(r.status(), 502);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["type"], "api_error");
    fake.clear_faults();
    // One model's cut: the next answers, and the models were asked for whole answers.
    fake.set_fault(Fault {
        model: "gpt-4o-mini".into(),
        cut_after: Some(2),
        ..Fault::default()
    });
    fake.clear_requests();
    let r = post(
        &c,
        openai.clone(),
        &token,
        ask("auto", "Tell a long story about trains"),
    )
    .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-switchyard-fallback"], "true");
    let seen = fake.chat_requests();
    assert!(seen.len() >= 2, "{seen:?}");
    assert!(seen.iter().all(|r| !r.stream), "asked whole: {seen:?}");
    fake.clear_faults();

    // No CORS unless configured: a browser's preflight is refused.
    let r = c
        .request(reqwest::Method::OPTIONS, &openai)
        .header("origin", "https://example.com")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());

    // Revoked: refused within the refresh interval, though this server holds a copy.
    let out = served.cli(&["tokens", "list"]);
    assert!(text(&out).contains("scripts"), "{}", text(&out));
    assert!(!text(&out).contains(&token));
    let out = served.cli(&["tokens", "revoke", "scripts"]);
    assert!(out.status.success(), "{}", text(&out));
    let revoked_at = Instant::now();
    loop {
        let r = post(&c, openai.clone(), &token, ask("auto", "hi")).await;
        if r.status() == 401 {
            break;
        }
        assert!(
            revoked_at.elapsed() < Duration::from_secs(5),
            "still accepted"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A streamed request, with a token of client `drip`, whose answer never ends.
async fn endless_answer(fake: &FakeProvider, served: &Served, c: &Client) -> Response {
    let token = served.token("drip");
    fake.set_fault(Fault {
        model: "gpt-4o-mini".into(),
        endless_stream: true,
        chunk_delay_ms: 50,
        ..Fault::default()
    });
    let mut req = ask("auto", "Keep talking");
    req["stream"] = json!(true);
    post(
        c,
        format!("{}/v1/chat/completions", served.url),
        &token,
        req,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_goes_away_stops_the_call_and_it_is_billed_as_stopped() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = Served::start(&fake, &["--cors-origin", "https://tools.example"]);
    let c = Client::new();
    let mut r = endless_answer(&fake, &served, &c).await;
    assert_eq!(r.status(), 200);
    let first = r.chunk().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("chat.completion.chunk"));
    drop(r);
    let waited = Instant::now();
    loop {
        let rows = ledger(&served.db).await;
        if let Some(row) = rows.iter().find(|r| r.3 == "stopped") {
            assert_eq!(row.0, "endpoint");
            assert_eq!(row.1.as_deref(), Some("drip"));
            break;
        }
        assert!(waited.elapsed() < Duration::from_secs(10), "{rows:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    fake.clear_faults();

    // A configured origin gets CORS headers; its preflight passes.
    let r = c
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v1/chat/completions", served.url),
        )
        .header("origin", "https://tools.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        header(&r, "access-control-allow-origin"),
        "https://tools.example"
    );
}

/// SIGTERM (or Ctrl-C) while an answer without end streams: `serve` waits a grace period for
/// the requests in progress, then ends them: the client gets the text that came and an error
/// saying the endpoint stopped (not that the client did), the ledger the call, and the process
/// exits instead of waiting for the answer's end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_ends_an_answer_without_end_after_its_grace_and_bills_it() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let mut served = Served::start(&fake, &[]);
    let mut r = endless_answer(&fake, &served, &Client::new()).await;
    assert_eq!(r.status(), 200);
    let mut body = String::from_utf8_lossy(&r.chunk().await.unwrap().unwrap()).into_owned();

    let pid = i32::try_from(served.child.id()).unwrap();
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let stopping = Instant::now();
    // The stream goes on during the grace, then ends with the endpoint's own error.
    while let Some(chunk) = tokio::time::timeout(Duration::from_secs(30), r.chunk())
        .await
        .expect("the stream ends")
        .unwrap()
    {
        body.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(body.contains("lorem ipsum"), "the text that came: {body}");
    assert!(
        body.contains("local endpoint was stopped") && !body.contains("Stopped by you"),
        "{}",
        &body[body.len().saturating_sub(600)..]
    );
    assert!(
        body.trim_end().ends_with("fallback=false"),
        "the final comment"
    );
    let status = loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            stopping.elapsed() < Duration::from_secs(20),
            "serve still runs"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(status.success(), "{status:?}");
    assert!(
        stopping.elapsed() < Duration::from_secs(20),
        "stopped after {:?}",
        stopping.elapsed()
    );
    let rows = ledger(&served.db).await;
    assert_eq!(
        rows,
        [(
            "endpoint".to_string(),
            Some("drip".to_string()),
            "gpt-4o-mini".to_string(),
            "stopped".to_string()
        )]
    );
}
