//! Shared setup for the engine's tests against the fake provider: one server, one provider of
//! each format pointing at it, and a catalog of models on those providers.
#![allow(dead_code)] // each test file uses its own part of this module

pub mod harness;

use std::collections::HashMap;
use std::time::Duration;

use switchyard_engine::execute::{Executor, Plan, Policy, ReplySink};
use switchyard_engine::provider::{Header, KeyInfo, Provider, ProviderKind, ProviderRow};
use switchyard_engine::reply::{Hop, Reply};
use switchyard_engine::secrets::Secret;
use switchyard_engine::send::meter::{Metering, RequestContext};
use switchyard_engine::send::{ChatEvent, Source};
use switchyard_engine::store::Store;
use switchyard_fake_provider::FakeProvider;
use switchyard_router::{Catalog, Message, Model, PerMtok};
use tokio_util::sync::CancellationToken;

pub const KEY: &str = "sk-fake-key-0123456789abcdef";

pub struct Setup {
    pub server: FakeProvider,
    pub providers: Vec<Provider>,
    pub catalog: Catalog,
    pub keys: HashMap<String, Secret>,
}

pub fn row(id: &str, kind: ProviderKind, base_url: String) -> ProviderRow {
    ProviderRow {
        id: id.into(),
        name: format!("Fake {id}"),
        kind,
        preset: id.into(),
        base_url,
        headers: vec![],
        enabled: true,
        header_secrets: vec![],
    }
}

/// A model priced at `input`/`output` micro-dollars per million tokens.
pub fn model(id: &str, provider: &str, window: u32, input: u64, output: u64) -> Model {
    Model {
        id: id.into(),
        provider: provider.into(),
        api_id: None,
        input: PerMtok(input),
        output: PerMtok(output),
        cached_input: None,
        reasoning: None,
        context_window: window,
        quality: 0.9,
        enabled: true,
        vision: true,
        tools: true,
    }
}

impl Setup {
    /// Providers `openai`, `anthropic`, `gemini` and `compat` (OpenAI-compatible with an extra
    /// header), two models on each of the first three, all with the right key.
    pub async fn new() -> Self {
        let server = FakeProvider::start(&[KEY]).await.unwrap();
        let mut compat = row(
            "compat",
            ProviderKind::OpenaiCompatible,
            server.openai_base(),
        );
        compat.preset = "openrouter".into();
        compat.headers = vec![Header {
            name: "HTTP-Referer".into(),
            value: "https://switchyard.test".into(),
            secret: false,
        }];
        let providers = vec![
            row("openai", ProviderKind::Openai, server.openai_base()),
            row(
                "anthropic",
                ProviderKind::Anthropic,
                server.anthropic_base(),
            ),
            row("gemini", ProviderKind::Gemini, server.gemini_base()),
            compat,
        ]
        .into_iter()
        .map(|row| Provider {
            row,
            headers: Vec::new(),
            key: KeyInfo::Set {
                last4: "cdef".into(),
            },
            models: None,
        })
        .collect();
        let catalog = Catalog {
            prices_taken: None,
            models: vec![
                model("gpt-small", "openai", 8_000, 150_000, 600_000),
                model("gpt-large", "openai", 128_000, 2_500_000, 10_000_000),
                model("claude-small", "anthropic", 8_000, 800_000, 4_000_000),
                model("claude-large", "anthropic", 200_000, 3_000_000, 15_000_000),
                model("gemini-small", "gemini", 8_000, 100_000, 400_000),
                model("gemini-large", "gemini", 1_000_000, 1_250_000, 10_000_000),
                model("compat-model", "compat", 32_000, 200_000, 200_000),
            ],
        };
        let keys = ["openai", "anthropic", "gemini", "compat"]
            .into_iter()
            .map(|p| (p.to_string(), Secret::new(KEY).unwrap()))
            .collect();
        Self {
            server,
            providers,
            catalog,
            keys,
        }
    }

    pub fn plan(&self, chain: &[&str]) -> Plan {
        let chain: Vec<String> = chain.iter().map(|s| s.to_string()).collect();
        Plan::new(&chain, &self.catalog, &self.providers, &self.keys)
    }

    /// Requests the fake server saw for `model`.
    pub fn calls(&self, model: &str) -> usize {
        self.server
            .requests()
            .iter()
            .filter(|r| r.model == model)
            .count()
    }
}

/// Quick timeouts and backoffs so fault tests take milliseconds; the breaker stays out of the
/// way unless a test lowers its threshold.
pub fn policy() -> Policy {
    Policy {
        attempts_per_model: 3,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        max_retry_wait: Duration::from_secs(2),
        connect_timeout: Duration::from_secs(1),
        first_token_timeout: Duration::from_millis(600),
        reasoning_first_token_timeout: Duration::from_millis(3_000),
        chunk_timeout: Duration::from_millis(300),
        breaker_threshold: 1000,
        breaker_cooldown: Duration::from_secs(60),
        ..Policy::default()
    }
}

pub fn ask(text: &str) -> Vec<Message> {
    vec![Message {
        role: "user".into(),
        content: text.into(),
        ..Default::default()
    }]
}

/// Records what the executor reports, as the send path would forward it.
#[derive(Default)]
pub struct Recorder(pub Vec<ChatEvent>);

impl ReplySink for Recorder {
    fn started(&mut self, model: &str, provider: &str) {
        self.0.push(ChatEvent::Started {
            model: model.into(),
            provider: provider.into(),
        });
    }
    fn text(&mut self, delta: &str) {
        self.0.push(ChatEvent::Text {
            delta: delta.into(),
        });
    }
    fn hop(&mut self, hop: &Hop) {
        self.0.push(ChatEvent::Hop { hop: hop.clone() });
    }
}

/// Runs the plan and returns the reply and every event the caller saw.
pub async fn run(executor: &Executor, plan: &Plan, prompt: &str) -> (Reply, Vec<ChatEvent>) {
    let mut events = Recorder::default();
    let reply = executor
        .execute(
            plan,
            &ask(prompt),
            None,
            None,
            None,
            &mut events,
            &CancellationToken::new(),
        )
        .await;
    (reply, events.0)
}

/// The text the caller was shown, from the events alone.
pub fn shown_text(events: &[ChatEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            ChatEvent::Text { delta } => Some(delta.as_str()),
            _ => None,
        })
        .collect()
}

/// The engine's budgets and ledger over `store`, for one CLI request with no conversation.
pub fn metering(store: &Store, catalog: &Catalog) -> Metering {
    metering_against(store, catalog, None)
}

/// [`metering`] with the baseline-model setting `baseline`.
pub fn metering_against(store: &Store, catalog: &Catalog, baseline: Option<&str>) -> Metering {
    let context = RequestContext {
        source: Source::Cli,
        conversation_id: None,
        message_id: None,
        task: None,
        rule: None,
        tier: None,
        complexity_score: None,
        client: None,
    };
    Metering::new(
        store.clone(),
        std::sync::Arc::new(catalog.clone()),
        context,
        baseline,
    )
}

/// Whether a Secret Service answers. Without one the keychain tests skip, unless
/// `SWITCHYARD_REQUIRE_KEYRING` is set (as `scripts/test` does), when that is a failure.
pub fn keyring_or_skip() -> bool {
    use switchyard_engine::secrets::{Keychain, KeychainStatus};
    match Keychain::default().status() {
        KeychainStatus::Available => true,
        KeychainStatus::Unavailable { reason } => {
            assert!(
                std::env::var_os("SWITCHYARD_REQUIRE_KEYRING").is_none(),
                "SWITCHYARD_REQUIRE_KEYRING is set but no Secret Service answers: {reason}"
            );
            eprintln!("skipping: no Secret Service ({reason})");
            false
        }
    }
}

/// What the Secret Service holds for `account` under the service `switchyard`, read with the
/// system's own `secret-tool`, not through the app's code.
pub fn secret_tool_lookup(account: &str) -> Option<String> {
    let out = std::process::Command::new("secret-tool")
        .args(["lookup", "service", "switchyard", "username", account])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The label of the Secret Service item for `account` under the service `switchyard`, read
/// with `secret-tool search` (it prints `label = …` for each item found).
pub fn secret_tool_label(account: &str) -> Option<String> {
    let out = std::process::Command::new("secret-tool")
        .args([
            "search",
            "--all",
            "service",
            "switchyard",
            "username",
            account,
        ])
        .output()
        .ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines()
        .find_map(|l| l.strip_prefix("label = "))
        .map(str::to_string)
}
