//! The app and `switchyard chat` send through one path: the same prompt sent by the app's
//! command path (`Engine::send` with source `app`, what `send_message` calls) and by the real CLI
//! binary leaves the same stored message, the same ledger row apart from its source, and the
//! same text in the events each caller shows.
mod common;

use switchyard_engine::execute::Executor;
use switchyard_engine::secrets::Keychain;
use switchyard_engine::send::{
    ChatEvent, Engine, Routing, SendMode, SendOptions, SendRequest, Source,
};
use switchyard_engine::settings::Settings;
use switchyard_engine::store::Store;
use switchyard_fake_provider::FakeProvider;
use switchyard_router::load;
use tokio_util::sync::CancellationToken;

const MODEL: &str = "gpt-4o-mini";
const PROMPT: &str = "Name three famous railway stations";

/// Each ledger row of `source` as JSON of everything but its id, time, source and latency,
/// with the message it belongs to.
async fn ledger(store: &Store, source: &str) -> Vec<(String, Option<i64>)> {
    sqlx::query_as(
        "SELECT json_object('provider', provider, 'model', model, 'outcome', outcome,
                    'task', task, 'rule', rule, 'error', error_code, 'input', input_tokens,
                    'output', output_tokens, 'cost', cost_nusd, 'estimated', cost_estimated),
                message_id
         FROM usage WHERE source = ? ORDER BY id",
    )
    .bind(source)
    .fetch_all(store.pool())
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_and_the_cli_store_and_bill_one_message_the_same_way() {
    let server = FakeProvider::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("paths.db");
    let rules = common::local_provider(&db, &server.openai_base(), MODEL);
    let rules_text = std::fs::read_to_string(&rules).unwrap();

    // The CLI: text streams to stdout.
    let out = common::switchyard(
        &db,
        &["chat", "--rules", &rules, "--model", MODEL, PROMPT],
        None,
    );
    assert!(out.status.success(), "{out:?}");
    let cli_text = String::from_utf8(out.stdout).unwrap();

    // The app's command path: the same call `send_message` makes, events to a list.
    let store = Store::open(&db).await.unwrap();
    let engine = Engine::new(
        Settings::new(store.clone(), Keychain::default()),
        Executor::new(Default::default()).unwrap(),
    );
    let (rules_compiled, catalog) = load(&rules_text).unwrap();
    let mut options = SendOptions::from(Source::App);
    options.routing = Some(Routing::new(rules_compiled, catalog));
    let mut events = Vec::new();
    let request = SendRequest {
        conversation_id: None,
        text: PROMPT.into(),
        model: MODEL.into(),
        mode: SendMode::New,
        model_once: false,
        system_prompt: None,
        attachments: Vec::new(),
    };
    let sent = engine
        .send(
            request,
            options,
            |e| events.push(e),
            CancellationToken::new(),
        )
        .await
        .unwrap();

    // The events: accepted, started, the text, done; their text is what the CLI printed.
    assert!(matches!(events.first(), Some(ChatEvent::Accepted { .. })));
    assert!(matches!(events.get(1), Some(ChatEvent::Started { .. })));
    assert!(matches!(events.last(), Some(ChatEvent::Done { .. })));
    let app_text: String = events
        .iter()
        .filter_map(|e| match e {
            ChatEvent::Text { delta } => Some(delta.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(app_text, format!("Echo: {PROMPT}"));
    assert_eq!(cli_text.trim_end(), app_text);

    // The ledger: one row each, equal but for the source.
    let app_rows = ledger(&store, "app").await;
    let cli_rows = ledger(&store, "cli").await;
    assert_eq!(app_rows.len(), 1);
    assert_eq!(cli_rows.len(), 1);
    assert_eq!(app_rows[0].0, cli_rows[0].0);
    assert!(
        app_rows[0].0.contains(r#""outcome":"answered""#),
        "{}",
        app_rows[0].0
    );
    assert_eq!(app_rows[0].1, Some(sent.message.id));

    // The stored messages: same text, status, model, provider and hops.
    let cli_message = store.message(cli_rows[0].1.unwrap()).await.unwrap();
    let app_message = store.message(sent.message.id).await.unwrap();
    assert_eq!(cli_message.content, app_message.content);
    assert_eq!(cli_message.status, app_message.status);
    assert_eq!(cli_message.model, app_message.model);
    assert_eq!(cli_message.provider, app_message.provider);
    let hops = |m: &switchyard_engine::store::messages::ChatMessage| {
        serde_json::to_value(&m.details).unwrap()["hops"].clone()
    };
    let (a, c) = (hops(&app_message), hops(&cli_message));
    assert_eq!(a.as_array().unwrap().len(), c.as_array().unwrap().len());
    assert_eq!(a[0]["outcome"], c[0]["outcome"]);
    assert_eq!(a[0]["model"], c[0]["model"]);
    // Both conversations are in the list the app shows.
    assert_eq!(store.list_conversations().await.unwrap().len(), 2);
}
