//! Each adapter against the fake server's exact wire format: text, usage, finish reason, and
//! what was put on the wire.
mod support;

use futures_util::StreamExt;
use support::{ask, Setup, KEY};
use switchyard_engine::providers::{self, ChatCall, Endpoint, FinishReason, StreamEvent};
use switchyard_engine::secrets::Secret;
use switchyard_fake_provider::Fault;
use switchyard_router::Message;
use switchyard_router::Usage;

fn endpoint(setup: &Setup, provider: &str) -> Endpoint {
    let row = setup.providers.iter().find(|p| p.id == provider).unwrap();
    Endpoint::new(row, Some(&Secret::new(KEY).unwrap())).unwrap()
}

async fn collect(
    setup: &Setup,
    provider: &str,
    model: &str,
    messages: &[Message],
) -> Vec<StreamEvent> {
    let call = ChatCall {
        model,
        messages,
        max_output_tokens: None,
        tools: None,
    };
    let client = reqwest::Client::new();
    let stream = providers::stream(&client, &endpoint(setup, provider), call)
        .await
        .unwrap();
    stream.map(|e| e.unwrap()).collect().await
}

fn text(events: &[StreamEvent]) -> String {
    events.iter().filter_map(StreamEvent::text).collect()
}

fn with_system(user: &str) -> Vec<Message> {
    vec![
        Message {
            role: "system".into(),
            content: "Be brief.".into(),
            ..Default::default()
        },
        Message {
            role: "user".into(),
            content: user.into(),
            ..Default::default()
        },
    ]
}

#[tokio::test]
async fn every_format_streams_the_same_text_usage_and_finish() {
    let setup = Setup::new().await;
    for (provider, model) in [
        ("openai", "gpt-4o-mini"),
        ("anthropic", "claude-x"),
        ("gemini", "gemini-2.0-flash"),
        ("compat", "llama"),
    ] {
        let events = collect(&setup, provider, model, &with_system("hello big world")).await;
        assert_eq!(text(&events), "Echo: hello big world", "{provider}");
        // The fake counts one token per word: "Be brief." + "hello big world" in, four words out.
        let usage = Usage {
            input_tokens: 5,
            output_tokens: 4,
            cached_input_tokens: 0,
            reasoning_tokens: 0,
            estimated: false,
        };
        assert!(
            events.contains(&StreamEvent::Usage(usage)),
            "{provider}: {events:?}"
        );
        assert!(
            events.contains(&StreamEvent::Finish(FinishReason::Stop)),
            "{provider}"
        );
        let texts = events
            .iter()
            .filter(|e| matches!(e, StreamEvent::Text(_)))
            .count();
        assert_eq!(texts, 4, "{provider}: one event per chunk sent");
    }
}

#[tokio::test]
async fn system_prompt_goes_where_each_api_wants_it() {
    let setup = Setup::new().await;
    for (provider, model) in [("openai", "o"), ("anthropic", "a"), ("gemini", "g")] {
        collect(&setup, provider, model, &with_system("hi")).await;
    }
    let requests = setup.server.requests();
    let body = |format: &str| {
        requests
            .iter()
            .find(|r| r.format == format)
            .unwrap()
            .body
            .clone()
    };
    let openai = body("openai");
    assert_eq!(openai["messages"][0]["role"], "system");
    assert_eq!(openai["stream_options"]["include_usage"], true);
    let anthropic = body("anthropic");
    assert_eq!(anthropic["system"], "Be brief.");
    assert_eq!(anthropic["messages"].as_array().unwrap().len(), 1);
    assert_eq!(anthropic["max_tokens"], 4096);
    let gemini = body("gemini");
    assert_eq!(gemini["systemInstruction"]["parts"][0]["text"], "Be brief.");
    assert_eq!(gemini["contents"][0]["role"], "user");
}

#[tokio::test]
async fn openai_compatible_servers_get_their_extra_headers_and_max_tokens() {
    let setup = Setup::new().await;
    let messages = ask("a b c d e");
    let call = ChatCall {
        model: "llama",
        messages: &messages,
        max_output_tokens: Some(3),
        tools: None,
    };
    let client = reqwest::Client::new();
    let events: Vec<StreamEvent> = providers::stream(&client, &endpoint(&setup, "compat"), call)
        .await
        .unwrap()
        .map(|e| e.unwrap())
        .collect()
        .await;
    assert_eq!(text(&events), "Echo: a b ");
    assert!(events.contains(&StreamEvent::Finish(FinishReason::Length)));
    let r = &setup.server.requests()[0];
    assert_eq!(r.headers["http-referer"], "https://switchyard.test");
    assert_eq!(r.body["max_tokens"], 3);
    assert!(r.body.get("max_completion_tokens").is_none());
}

#[tokio::test]
async fn cached_and_reasoning_tokens_are_normalised_across_formats() {
    let setup = Setup::new().await;
    setup.server.set_fault(Fault {
        model: "*".into(),
        cached_tokens: 2,
        reasoning_tokens: 7,
        ..Fault::default()
    });
    for provider in ["openai", "gemini"] {
        let events = collect(&setup, provider, "m", &ask("a b c")).await;
        let usage = events.iter().find_map(|e| match e {
            StreamEvent::Usage(u) => Some(*u),
            _ => None,
        });
        // 3 words in; 4 visible words + 7 reasoning out.
        let want = Usage {
            input_tokens: 3,
            output_tokens: 11,
            cached_input_tokens: 2,
            reasoning_tokens: 7,
            estimated: false,
        };
        assert_eq!(usage, Some(want), "{provider}");
    }
    let events = collect(&setup, "anthropic", "m", &ask("a b c")).await;
    let usage = events.iter().find_map(|e| match e {
        StreamEvent::Usage(u) => Some(*u),
        _ => None,
    });
    assert_eq!(
        usage.map(|u| (u.input_tokens, u.cached_input_tokens)),
        Some((3, 2)),
        "cache reads join the input count"
    );
}

#[tokio::test]
async fn a_wrong_key_is_reported_without_the_key() {
    let setup = Setup::new().await;
    let client = reqwest::Client::new();
    let wrong = Secret::new("sk-wrong-key-that-must-not-leak-9999").unwrap();
    for provider in ["openai", "anthropic", "gemini"] {
        let row = setup.providers.iter().find(|p| p.id == provider).unwrap();
        let messages = ask("x");
        let call = ChatCall {
            model: "m",
            messages: &messages,
            max_output_tokens: None,
            tools: None,
        };
        let Err(e) =
            providers::stream(&client, &Endpoint::new(row, Some(&wrong)).unwrap(), call).await
        else {
            panic!("{provider}: a wrong key was accepted");
        };
        assert_eq!(e.code(), "auth_failed", "{provider}: {e}");
        assert!(
            !format!("{e} {e:?}").contains("sk-wrong-key-that-must-not-leak"),
            "{provider}: {e}"
        );
    }
}

/// An image goes in each format's own shape: OpenAI an `image_url` part with a data: URL,
/// Anthropic an `image` block with a base64 source (before the text), Gemini an `inline_data`
/// part; the fake reads each back as the same image.
#[tokio::test]
async fn an_image_goes_in_each_format_s_own_shape() {
    use serde_json::json;
    let setup = Setup::new().await;
    let image = switchyard_router::Image {
        name: "dot.png".into(),
        media_type: "image/png".into(),
        data: "iVBORw0KGgo=".into(),
    };
    let messages = [Message {
        role: "user".into(),
        content: "What is this?".into(),
        images: vec![image],
        ..Default::default()
    }];
    for (provider, model) in [
        ("openai", "gpt-4o-mini"),
        ("anthropic", "claude-x"),
        ("gemini", "gemini-2.0-flash"),
    ] {
        setup.server.clear_requests();
        let events = collect(&setup, provider, model, &messages).await;
        assert_eq!(text(&events), "Echo: What is this?", "{provider}");
        let sent = setup.server.requests().pop().unwrap();
        let expected = match provider {
            "openai" => json!([{"role": "user", "content": [
                {"type": "text", "text": "What is this?"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
            ]}]),
            "anthropic" => json!([{"role": "user", "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}},
                {"type": "text", "text": "What is this?"}
            ]}]),
            _ => json!([{"role": "user", "parts": [
                {"text": "What is this?"},
                {"inline_data": {"mime_type": "image/png", "data": "iVBORw0KGgo="}}
            ]}]),
        };
        let field = if provider == "gemini" {
            "contents"
        } else {
            "messages"
        };
        assert_eq!(sent.body[field], expected, "{provider}");
        assert_eq!(sent.images.len(), 1, "{provider}");
        assert_eq!(sent.images[0].media_type, "image/png");
        assert_eq!(sent.images[0].bytes, 8);
        // The file name is for messages about the image, never sent.
        assert!(!sent.body.to_string().contains("dot.png"), "{provider}");
    }
}
