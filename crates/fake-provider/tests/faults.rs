//! Every injectable fault, over real HTTP, through both the library and the control endpoint.
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use switchyard_fake_provider::{FakeProvider, Fault};

async fn openai_stream(s: &FakeProvider, model: &str) -> reqwest::Response {
    Client::new()
        .post(format!("{}/chat/completions", s.openai_base()))
        .json(&json!({"model": model, "stream": true, "messages": [{"role": "user", "content": "one two three four"}]}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn status_with_retry_after_applies_only_the_given_number_of_times() {
    let s = FakeProvider::start(&[]).await.unwrap();
    let set = Client::new()
        .post(format!("{}/_control/faults", s.url()))
        .json(&json!({"model": "m", "status": 429, "retry_after": 3, "times": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), StatusCode::OK);
    let first = openai_stream(&s, "m").await;
    assert_eq!(first.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(first.headers()["retry-after"], "3");
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limit_exceeded");
    assert_eq!(openai_stream(&s, "m").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn anthropic_529_has_the_overloaded_body() {
    let s = FakeProvider::start(&[]).await.unwrap();
    s.set_fault(Fault {
        model: "*".into(),
        status: Some(529),
        ..Default::default()
    });
    let r = Client::new()
        .post(format!("{}/v1/messages", s.anthropic_base()))
        .header("anthropic-version", "2023-06-01")
        .json(
            &json!({"model": "c", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 529);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["type"], "overloaded_error");
}

#[tokio::test]
async fn context_length_is_a_400_with_the_providers_code() {
    let s = FakeProvider::start(&[]).await.unwrap();
    s.set_fault(Fault {
        model: "m".into(),
        context_length: true,
        ..Default::default()
    });
    let r = openai_stream(&s, "m").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "context_length_exceeded");
}

#[tokio::test]
async fn cut_after_drops_the_connection_after_n_text_chunks() {
    let s = FakeProvider::start(&[]).await.unwrap();
    s.set_fault(Fault {
        model: "m".into(),
        cut_after: Some(2),
        ..Default::default()
    });
    let r = openai_stream(&s, "m").await;
    assert_eq!(r.status(), StatusCode::OK);
    let mut r = r;
    let mut body = Vec::new();
    let err = loop {
        match r.chunk().await {
            Ok(Some(c)) => body.extend_from_slice(&c),
            Ok(None) => panic!("stream ended cleanly; expected a cut"),
            Err(e) => break e,
        }
    };
    assert!(err.is_body() || err.is_decode(), "{err:?}");
    let text = String::from_utf8(body).unwrap();
    assert!(text.contains("\"Echo: \"") && text.contains("\"one \""));
    assert!(!text.contains("two") && !text.contains("[DONE]"));
    assert_eq!(s.requests()[0].outcome, "cut");
}

#[tokio::test]
async fn malformed_after_sends_a_frame_that_does_not_parse() {
    let s = FakeProvider::start(&[]).await.unwrap();
    s.set_fault(Fault {
        model: "m".into(),
        malformed_after: Some(1),
        ..Default::default()
    });
    let body = openai_stream(&s, "m").await.text().await.unwrap();
    let bad = body
        .split("\n\n")
        .filter_map(|e| e.strip_prefix("data: "))
        .filter(|d| *d != "[DONE]")
        .filter(|d| serde_json::from_str::<Value>(d).is_err())
        .count();
    assert_eq!(bad, 1, "{body}");
}

#[tokio::test]
async fn error_after_ends_an_anthropic_stream_with_an_error_event() {
    let s = FakeProvider::start(&[]).await.unwrap();
    s.set_fault(Fault {
        model: "c".into(),
        error_after: Some(1),
        ..Default::default()
    });
    let body = Client::new()
        .post(format!("{}/v1/messages", s.anthropic_base()))
        .header("anthropic-version", "2023-06-01")
        .json(&json!({"model": "c", "max_tokens": 50, "stream": true, "messages": [{"role": "user", "content": "a b c"}]}))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.ends_with("event: error\ndata: {\"error\":{\"message\":\"Overloaded\",\"type\":\"overloaded_error\"},\"type\":\"error\"}\n\n"), "{body}");
    assert!(!body.contains("message_stop"));
}

#[tokio::test]
async fn delays_hold_back_headers_first_chunk_and_every_later_chunk() {
    let s = FakeProvider::start(&[]).await.unwrap();
    s.set_fault(Fault {
        model: "m".into(),
        delay_ms: 100,
        first_chunk_delay_ms: 100,
        chunk_delay_ms: 50,
        ..Default::default()
    });
    let start = Instant::now();
    let mut r = openai_stream(&s, "m").await;
    let headers_at = start.elapsed();
    let mut first_text_at = None;
    while let Some(c) = r.chunk().await.unwrap() {
        if first_text_at.is_none() && String::from_utf8_lossy(&c).contains("Echo") {
            first_text_at = Some(start.elapsed());
        }
    }
    let total = start.elapsed();
    assert!(headers_at >= Duration::from_millis(100), "{headers_at:?}");
    assert!(
        first_text_at.unwrap() >= Duration::from_millis(200),
        "{first_text_at:?}"
    );
    // Five text chunks: four drip gaps of 50 ms after the first.
    assert!(total >= Duration::from_millis(400), "{total:?}");
}

#[tokio::test]
async fn reply_text_is_sent_verbatim() {
    let s = FakeProvider::start(&[]).await.unwrap();
    let html = "<img src=x onerror=alert(1)> <script>alert(2)</script>";
    Client::new()
        .post(format!("{}/_control/faults", s.url()))
        .json(&json!([{"model": "gemini-2.0-flash", "reply": html}]))
        .send()
        .await
        .unwrap();
    let v: Value = Client::new()
        .post(format!(
            "{}/v1beta/models/gemini-2.0-flash:generateContent",
            s.gemini_base()
        ))
        .json(&json!({"contents": [{"role": "user", "parts": [{"text": "hi"}]}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["candidates"][0]["content"]["parts"][0]["text"], html);
}

#[tokio::test]
async fn a_client_that_goes_away_mid_stream_is_recorded() {
    let s = FakeProvider::start(&[]).await.unwrap();
    s.set_fault(Fault {
        model: "m".into(),
        chunk_delay_ms: 100,
        ..Default::default()
    });
    let mut r = openai_stream(&s, "m").await;
    r.chunk().await.unwrap();
    drop(r);
    let deadline = Instant::now() + Duration::from_secs(3);
    while s.requests()[0].outcome != "client_disconnected" {
        assert!(
            Instant::now() < deadline,
            "outcome stayed {:?}",
            s.requests()[0].outcome
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn control_endpoint_rejects_unknown_fields_and_clears() {
    let s = FakeProvider::start(&[]).await.unwrap();
    let url = format!("{}/_control/faults", s.url());
    let bad = Client::new()
        .post(&url)
        .json(&json!({"model": "m", "stauts": 500}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    Client::new()
        .post(&url)
        .json(&json!({"status": 500}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        openai_stream(&s, "m").await.status(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    Client::new().delete(&url).send().await.unwrap();
    assert_eq!(openai_stream(&s, "m").await.status(), StatusCode::OK);
    let log: Vec<Value> = Client::new()
        .get(format!("{}/_control/requests", s.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0]["status"], 500);
}

#[tokio::test]
async fn redirect_to_answers_307_with_the_location_before_any_key_check() {
    let s = FakeProvider::start(&["k"]).await.unwrap();
    s.set_fault(Fault {
        model: "m".into(),
        redirect_to: Some("http://elsewhere.test/v1/chat".into()),
        ..Default::default()
    });
    let client = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = client
        .post(format!("{}/chat/completions", s.openai_base()))
        .header("authorization", "Bearer k")
        .json(&json!({"model": "m", "messages": [{"role": "user", "content": "x"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(r.headers()["location"], "http://elsewhere.test/v1/chat");
    assert_eq!(s.requests()[0].key_headers, ["authorization"]);
}

#[tokio::test]
async fn huge_bodies_are_sent_in_full_without_being_held() {
    let s = FakeProvider::start(&[]).await.unwrap();
    s.set_fault(Fault {
        model: "e".into(),
        status: Some(502),
        huge_error_body_bytes: Some(5 << 20),
        ..Default::default()
    });
    s.set_fault(Fault {
        model: "r".into(),
        huge_reply_bytes: Some(1 << 20),
        usage_tokens: Some(4_000_000_000),
        ..Default::default()
    });
    let r = openai_stream(&s, "e").await;
    assert_eq!(r.status().as_u16(), 502);
    assert_eq!(r.bytes().await.unwrap().len(), 5 << 20);
    let body = Client::new()
        .post(format!("{}/chat/completions", s.openai_base()))
        .json(
            &json!({"model": "r", "stream": true, "stream_options": {"include_usage": true},
            "messages": [{"role": "user", "content": "x"}]}),
        )
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.len() > 1 << 20 && body.ends_with("data: [DONE]\n\n"));
    assert!(
        body.contains("\"prompt_tokens\":4000000000"),
        "usage_tokens"
    );
}

#[tokio::test]
async fn echo_headers_puts_the_key_into_the_error_message() {
    let s = FakeProvider::start(&[]).await.unwrap();
    s.set_fault(Fault {
        model: "m".into(),
        status: Some(500),
        echo_headers: true,
        ..Default::default()
    });
    let r = Client::new()
        .post(format!("{}/chat/completions", s.openai_base()))
        .header("authorization", "Bearer sk-echoed")
        .json(&json!({"model": "m", "messages": [{"role": "user", "content": "x"}]}))
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("request headers: authorization: Bearer sk-echoed"),
        "{message}"
    );
}
