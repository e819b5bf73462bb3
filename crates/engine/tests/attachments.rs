//! Attachments through the one send path: a real SQLite file and data directory, the real
//! keychain, HTTP to the fake provider. Images reach providers in their own format and only
//! models that read images; text files go into the prompt under their names; what no model or
//! provider can take is refused before anything is saved or sent.
mod support;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use support::harness::{harness, Harness};
use support::keyring_or_skip;
use switchyard_engine::chat::attachments::NewAttachment;
use switchyard_engine::send::{ChatEvent, SendMode, SendOptions, SendRequest, Source};
use switchyard_engine::store::attachments::AttachmentKind;
use switchyard_engine::EngineError;
use switchyard_router::CandidateStatus;
use tokio_util::sync::CancellationToken;

/// A 1×1 PNG.
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

fn file(name: &str, bytes: &[u8]) -> NewAttachment {
    NewAttachment {
        name: name.into(),
        data: BASE64.encode(bytes),
    }
}

fn png(name: &str) -> NewAttachment {
    NewAttachment {
        name: name.into(),
        data: PNG.into(),
    }
}

fn request(model: &str, text: &str, attachments: Vec<NewAttachment>) -> SendRequest {
    SendRequest {
        conversation_id: None,
        text: text.into(),
        model: model.into(),
        mode: SendMode::New,
        model_once: false,
        system_prompt: None,
        attachments,
    }
}

async fn send(
    h: &Harness,
    request: SendRequest,
) -> Result<(switchyard_engine::send::Sent, Vec<ChatEvent>), EngineError> {
    let mut events = Vec::new();
    let sent = h
        .chat
        .engine
        .send(
            request,
            SendOptions::from(Source::App),
            |e| events.push(e),
            CancellationToken::new(),
        )
        .await?;
    Ok((sent, events))
}

#[tokio::test]
async fn an_image_and_a_text_file_reach_an_image_reading_model_and_are_kept_on_disk() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    // One rule: Claude 3.5 Haiku (text only) first, then two models that read images.
    let rule = switchyard_router::Rule {
        name: "everything".into(),
        enabled: true,
        when: vec![],
        then: switchyard_router::Action::Chain(switchyard_router::ChainAction {
            models: vec![
                "claude-haiku".into(),
                "gpt-4o-mini".into(),
                "gemini-flash".into(),
            ],
            prefer_cost: false,
        }),
    };
    let config = switchyard_engine::store::rules::RoutingConfig {
        rules: switchyard_router::RuleSet::with_rules(vec![rule]),
        catalog: switchyard_router::default_catalog(),
    };
    h.chat
        .engine
        .settings()
        .store
        .save_routing(&config, "haiku first")
        .await
        .unwrap();
    let prompt = "hi, what is this?";
    let catalog = h.chat.engine.routing().await.unwrap().catalog;
    // Without the image, a model that cannot read images is among those weighed…
    let notes = || file("notes.txt", b"remember the milk\n");
    let text_only = h
        .chat
        .engine
        .preview(&request("auto", prompt, vec![notes()]))
        .await
        .unwrap();
    let blind: Vec<String> = text_only
        .trace
        .candidates
        .iter()
        .filter(|c| {
            c.status != CandidateStatus::Excluded && !catalog.find(&c.model).unwrap().vision
        })
        .map(|c| c.model.clone())
        .collect();
    assert_eq!(blind, ["claude-haiku"]);
    assert_eq!(text_only.model, "claude-haiku");
    let (sent, events) = send(&h, request("auto", prompt, vec![png("dot.png"), notes()]))
        .await
        .unwrap();
    let decision = &sent.decision;
    assert_eq!(decision.model, "gpt-4o-mini");
    for id in std::iter::once(&decision.model).chain(&decision.fallbacks) {
        assert!(catalog.find(id).unwrap().vision, "{id} cannot read images");
    }
    // …and with it, excluded, with the trace saying why.
    for model in &blind {
        let c = decision
            .trace
            .candidates
            .iter()
            .find(|c| &c.model == model)
            .unwrap();
        assert_eq!(c.status, CandidateStatus::Excluded);
        assert_eq!(c.note, "cannot read images (the conversation has an image)");
    }

    let requests = h.server.requests();
    assert_eq!(requests.len(), 1);
    let got = &requests[0];
    assert_eq!(got.images.len(), 1);
    assert_eq!(got.images[0].data, PNG);
    assert_eq!(got.images[0].media_type, "image/png");
    let body = got.body.to_string();
    assert!(
        body.contains("File notes.txt:\\nremember the milk\\n(end of notes.txt)"),
        "{body}"
    );

    // Saved: rows linked to the user message, files under the data directory by hash.
    let Some(ChatEvent::Accepted {
        user,
        attachments,
        conversation,
        ..
    }) = events.first()
    else {
        panic!("no Accepted event");
    };
    assert_eq!(attachments.len(), 2);
    assert!(attachments.iter().all(|a| a.message_id == user.id));
    assert_eq!(attachments[0].kind, AttachmentKind::Image);
    assert_eq!(
        (attachments[1].name.as_str(), attachments[1].size),
        ("notes.txt", 18)
    );
    assert_eq!(user.content, prompt, "the message row holds the text only");
    let store = &h.chat.engine.settings().store;
    let dir = store.attachments_dir(&conversation.id).unwrap();
    assert_eq!(
        dir,
        h.dir.path().join("data/attachments").join(&conversation.id)
    );
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    let mut expected = vec![
        format!("{}.png", attachments[0].sha256),
        format!("{}.txt", attachments[1].sha256),
    ];
    expected.sort();
    assert_eq!(files, expected);
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM messages WHERE content LIKE '%iVBOR%'")
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(rows, 0, "no base64 in message rows");

    // Answering again sends the image and the file again.
    h.server.clear_requests();
    let again = SendRequest {
        conversation_id: Some(conversation.id.clone()),
        mode: SendMode::Regenerate,
        ..request("auto", "", vec![])
    };
    send(&h, again).await.unwrap();
    let resent = h.server.requests().pop().unwrap();
    assert_eq!(resent.images.len(), 1);
    assert!(resent.body.to_string().contains("remember the milk"));

    // Deleting the conversation deletes the rows and the files.
    store.delete_conversation(&conversation.id).await.unwrap();
    assert!(!dir.exists());
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM attachments")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn each_format_gets_the_image_in_its_own_shape_through_the_send_path() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    for (model, format) in [
        ("gpt-4o-mini", "openai"),
        ("claude-sonnet-4", "anthropic"),
        ("gemini-2.5-flash", "gemini"),
    ] {
        h.server.clear_requests();
        send(&h, request(model, "Describe", vec![png("dot.png")]))
            .await
            .unwrap();
        let got = h.server.requests().pop().unwrap();
        assert_eq!(got.format, format);
        assert_eq!(got.images.len(), 1, "{format}");
        assert_eq!(got.images[0].data, PNG, "{format}");
    }
}

#[tokio::test]
async fn what_cannot_be_sent_is_refused_before_anything_is_saved_or_sent() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let store = &h.chat.engine.settings().store;
    let refused = |e: EngineError| e.to_string();

    // A chosen model that cannot read images.
    let e = refused(
        send(&h, request("claude-haiku", "Look", vec![png("cat.png")]))
            .await
            .err()
            .unwrap(),
    );
    assert!(e.contains("claude-haiku cannot read images"), "{e}");
    assert!(
        e.contains("an image (cat.png)") && e.contains("Choose Auto"),
        "{e}"
    );
    // The preview says the same before the user sends.
    let e = refused(
        h.chat
            .engine
            .preview(&request("claude-haiku", "Look", vec![png("cat.png")]))
            .await
            .unwrap_err(),
    );
    assert!(e.contains("claude-haiku cannot read images"), "{e}");

    // A provider's limit: Anthropic takes images of at most 5 MB.
    let mut big = BASE64.decode(PNG).unwrap();
    big.resize(6 * 1024 * 1024, 0);
    let e = refused(
        send(
            &h,
            request("claude-sonnet-4", "Look", vec![file("huge.png", &big)]),
        )
        .await
        .err()
        .unwrap(),
    );
    assert!(
        e.contains("huge.png is 6.0 MB") && e.contains("Anthropic"),
        "{e}"
    );
    // The same image is within OpenAI's 20 MB.
    assert!(h
        .chat
        .engine
        .preview(&request("gpt-4o", "Look", vec![file("huge.png", &big)]))
        .await
        .is_ok());

    // A binary file that is not an image.
    let e = refused(
        send(
            &h,
            request("auto", "Read", vec![file("a.zip", b"PK\x03\x04\0\0")]),
        )
        .await
        .err()
        .unwrap(),
    );
    assert!(e.contains("a.zip is not a text file or an image"), "{e}");

    assert!(
        h.server.requests().is_empty(),
        "nothing reached the provider"
    );
    assert!(
        store.list_conversations().await.unwrap().is_empty(),
        "nothing was saved"
    );
    assert!(!h.dir.path().join("data/attachments").exists());
}

/// A text file's size counts toward the prompt in the estimate the preview shows.
#[tokio::test]
async fn a_text_file_counts_toward_the_estimate() {
    if !keyring_or_skip() {
        return;
    }
    let h = harness().await;
    let plain = h
        .chat
        .engine
        .preview(&request("gpt-4o", "Summarise", vec![]))
        .await
        .unwrap();
    let long = "word ".repeat(4_000);
    let with_file = h
        .chat
        .engine
        .preview(&request(
            "gpt-4o",
            "Summarise",
            vec![file("long.txt", long.as_bytes())],
        ))
        .await
        .unwrap();
    let tokens = |d: &switchyard_router::Decision| d.prompt_tokens;
    assert!(
        tokens(&with_file) >= tokens(&plain) + 4_000,
        "{} vs {}",
        tokens(&with_file),
        tokens(&plain)
    );
}
