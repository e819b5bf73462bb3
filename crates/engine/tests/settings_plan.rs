//! Planning from the app's own settings: providers from a real SQLite file, keys through the
//! keychain (a local server needs none, so this runs with or without a Secret Service).
use switchyard_engine::execute::Executor;
use switchyard_engine::provider::{ProviderInput, ProviderKind};
use switchyard_engine::reply::{Reply, ReplyStatus};
use switchyard_engine::secrets::Keychain;
use switchyard_engine::send::{Engine, Routing, SendMode, SendOptions, SendRequest, Source};
use switchyard_engine::settings::Settings;
use switchyard_engine::store::Store;
use switchyard_fake_provider::FakeProvider;
use switchyard_router::{Catalog, CompiledRules, Model, PerMtok};
use tokio_util::sync::CancellationToken;

fn model(id: &str, provider: &str) -> Model {
    Model {
        id: id.into(),
        provider: provider.into(),
        api_id: Some(format!("{id}:latest")),
        input: PerMtok(0),
        output: PerMtok(0),
        cached_input: None,
        reasoning: None,
        context_window: 8_000,
        quality: 0.7,
        enabled: true,
        vision: false,
        tools: false,
    }
}

fn input(name: &str, kind: ProviderKind, preset: &str, base_url: String) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        kind,
        preset: preset.into(),
        base_url,
        headers: vec![],
        enabled: true,
    }
}

/// Sends `text` to `model` through the engine's one send path, routing with `catalog`.
async fn send(settings: Settings, catalog: Catalog, model: &str, text: &str) -> Reply {
    let engine = Engine::new(settings, Executor::new(Default::default()).unwrap());
    let mut options = SendOptions::from(Source::Cli);
    options.routing = Some(Routing::new(
        CompiledRules::new(switchyard_router::presets::smart_router()).unwrap(),
        catalog,
    ));
    let request = SendRequest {
        conversation_id: None,
        text: text.into(),
        model: model.into(),
        mode: SendMode::New,
        model_once: false,
        system_prompt: None,
        attachments: Vec::new(),
    };
    engine
        .send(request, options, |_| {}, CancellationToken::new())
        .await
        .unwrap()
        .reply
}

#[tokio::test]
async fn a_local_server_from_the_database_answers_without_a_key() {
    let server = FakeProvider::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings::new(
        Store::open(&dir.path().join("s.db")).await.unwrap(),
        Keychain::default(),
    );
    settings
        .add(
            input(
                "My Ollama",
                ProviderKind::OpenaiCompatible,
                "ollama",
                server.openai_base(),
            ),
            None,
        )
        .await
        .unwrap();
    let catalog = Catalog {
        prices_taken: None,
        models: vec![model("llama3", "ollama")],
    };

    let reply = send(settings, catalog, "llama3", "hi").await;
    assert_eq!(reply.status, ReplyStatus::Complete);
    assert_eq!(reply.text, "Echo: hi");
    // The model's API name, not its catalog id, goes on the wire.
    assert_eq!(server.requests()[0].model, "llama3:latest");
}

#[tokio::test]
async fn a_provider_that_needs_a_key_it_does_not_have_is_named_in_the_error() {
    let server = FakeProvider::start(&["k"]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings::new(
        Store::open(&dir.path().join("s.db")).await.unwrap(),
        Keychain::default(),
    );
    settings
        .add(
            input(
                "Team Anthropic",
                ProviderKind::Anthropic,
                "anthropic",
                server.anthropic_base(),
            ),
            None,
        )
        .await
        .unwrap();
    let catalog = Catalog {
        prices_taken: None,
        models: vec![model("claude", "anthropic")],
    };
    let reply = send(settings, catalog, "claude", "hi").await;
    let err = reply.error.unwrap();
    assert_eq!(err.code, "no_usable_provider");
    // "has no API key" with a keychain, "cannot be read" without one: either way it is named.
    assert!(err.message.contains("Team Anthropic"), "{}", err.message);
    assert!(server.requests().is_empty());
}
