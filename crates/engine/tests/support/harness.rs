//! The chat end to end below the UI, shared by the chat and compare tests: a real SQLite file,
//! the real keychain, one provider of each format on the fake provider, and the app's send
//! command in miniature.
use std::time::Duration;

use switchyard_engine::execute::{Executor, Policy};
use switchyard_engine::provider::{ProviderInput, ProviderKind};
use switchyard_engine::secrets::Keychain;
use switchyard_engine::send::{ChatEvent, Engine, SendMode, SendOptions, SendRequest, Source};
use switchyard_engine::settings::Settings;
use switchyard_engine::store::messages::ChatMessage;
use switchyard_engine::store::Store;
use switchyard_engine::EngineError;
use switchyard_fake_provider::FakeProvider;
use tokio_util::sync::CancellationToken;

pub const KEY: &str = "sk-chat-test-key-5555";

pub struct Harness {
    /// Holds `data/app.db` (attachments are kept beside it, in `data/attachments`).
    pub dir: tempfile::TempDir,
    pub server: FakeProvider,
    pub chat: Chat,
    pub provider_ids: Vec<String>,
}

/// The app's command in miniature: sends through the engine and stops by conversation.
#[derive(Clone)]
pub struct Chat {
    pub engine: Engine,
    pub active:
        std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, CancellationToken>>>,
}

impl Chat {
    pub fn settings(&self) -> &Settings {
        self.engine.settings()
    }

    pub async fn send(
        &self,
        request: SendRequest,
        mut on_event: impl FnMut(ChatEvent) + Send,
    ) -> Result<ChatMessage, EngineError> {
        let cancel = CancellationToken::new();
        let active = self.active.clone();
        let token = cancel.clone();
        let sent = self
            .engine
            .send(
                request,
                SendOptions::from(Source::App),
                move |e| {
                    if let ChatEvent::Accepted { conversation, .. } = &e {
                        active
                            .lock()
                            .unwrap()
                            .insert(conversation.id.clone(), token.clone());
                    }
                    on_event(e)
                },
                cancel,
            )
            .await?;
        Ok(sent.message)
    }

    pub fn stop(&self, conversation: &str) -> bool {
        let token = self.active.lock().unwrap().remove(conversation);
        token.map(|t| t.cancel()).is_some()
    }
}

pub async fn harness() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let server = FakeProvider::start(&[KEY]).await.unwrap();
    let store = Store::open(&dir.path().join("data/app.db")).await.unwrap();
    let settings = Settings::new(store, Keychain::default());
    let mut provider_ids = Vec::new();
    for (preset, kind, base) in [
        ("openai", ProviderKind::Openai, server.openai_base()),
        (
            "anthropic",
            ProviderKind::Anthropic,
            server.anthropic_base(),
        ),
        ("gemini", ProviderKind::Gemini, server.gemini_base()),
    ] {
        let input = ProviderInput {
            name: format!("Fake {preset} {}", uuid::Uuid::new_v4()),
            kind,
            preset: preset.into(),
            base_url: base,
            headers: vec![],
            enabled: true,
        };
        provider_ids.push(settings.add(input, Some(KEY.into())).await.unwrap().row.id);
    }
    let policy = Policy {
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        ..Policy::default()
    };
    let chat = Chat {
        engine: Engine::new(settings, Executor::new(policy).unwrap()),
        active: Default::default(),
    };
    Harness {
        dir,
        server,
        chat,
        provider_ids,
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // Keys of these throwaway providers must not pile up in the test keyring.
        for id in &self.provider_ids {
            let _ = self.chat.settings().keychain.delete(id);
        }
    }
}

pub fn request(conversation: Option<&str>, text: &str) -> SendRequest {
    SendRequest {
        conversation_id: conversation.map(Into::into),
        text: text.into(),
        model: "auto".into(),
        mode: SendMode::New,
        model_once: false,
        system_prompt: None,
        attachments: Vec::new(),
    }
}
