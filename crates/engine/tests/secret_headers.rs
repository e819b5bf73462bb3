//! Secret extra headers against a real Secret Service (`scripts/test` runs this inside a private
//! D-Bus session with GNOME Keyring and sets SWITCHYARD_REQUIRE_KEYRING=1, so there it never
//! skips): the value is in the keychain, never in the SQLite files, never in what the UI or CLI
//! is given, and it is sent to the provider.
mod support;

use std::path::Path;
use support::{keyring_or_skip, secret_tool_lookup};

use switchyard_engine::execute::{Executor, Policy};
use switchyard_engine::provider::{HeaderInput, KeyInfo, ProviderInput, ProviderKind};
use switchyard_engine::secrets::{header_account, Keychain};
use switchyard_engine::send::{Engine, SendMode, SendOptions, SendRequest, Source};
use switchyard_engine::settings::Settings;
use switchyard_engine::store::messages::MessageStatus;
use switchyard_engine::store::Store;
use switchyard_fake_provider::FakeProvider;

const KEY: &str = "sk-secret-header-key-8080";

/// The database file and its WAL, as bytes, one after the other.
fn db_bytes(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).unwrap();
    let wal = db.with_extension("db-wal");
    if let Ok(more) = std::fs::read(wal) {
        bytes.extend(more);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

fn header(name: &str, value: &str) -> HeaderInput {
    HeaderInput {
        name: name.into(),
        value: value.into(),
        secret: None,
    }
}

async fn settings(db: &Path) -> Settings {
    Settings::new(Store::open(db).await.unwrap(), Keychain::default())
}

#[tokio::test]
async fn a_secret_header_is_kept_in_the_keychain_and_sent_to_the_provider() {
    if !keyring_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let settings = settings(&db).await;
    let server = FakeProvider::start(&[KEY]).await.unwrap();
    let token = format!("tok-{}", uuid::Uuid::new_v4().simple());
    let name = format!("Proxy {}", uuid::Uuid::new_v4());
    // A custom OpenAI-compatible server that authenticates by a header the user typed: no API
    // key at all, the credential is the secret Authorization header.
    let input = ProviderInput {
        name: name.clone(),
        kind: ProviderKind::OpenaiCompatible,
        preset: "custom".into(),
        base_url: server.openai_base(),
        headers: vec![
            header("Authorization", &format!("Bearer {KEY}")),
            header("X-Team-Token", &token),
            header("X-Title", "switchyard-visible-title"),
        ],
        enabled: true,
    };
    let p = settings.add(input, None).await.unwrap();

    // In the keychain, under one entry per header.
    assert_eq!(
        secret_tool_lookup(&header_account(&p.id, "X-Team-Token")).as_deref(),
        Some(token.as_str())
    );
    // What the UI and `providers list --json` receive: flags and last four, never the value.
    let shown = serde_json::to_string(&settings.list().await.unwrap()).unwrap();
    assert!(!shown.contains(&token), "{shown}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("switchyard-visible-title"), "{shown}");
    let token_info = p.headers.iter().find(|h| h.name == "X-Team-Token").unwrap();
    assert!(token_info.secret);
    assert_eq!(token_info.value, "");
    assert_eq!(
        token_info.stored,
        Some(KeyInfo::Set {
            last4: token[token.len() - 4..].into()
        })
    );

    // Sent: the fake accepts only KEY, so the models call succeeds only with the header.
    let report = settings.test_connection(&p.id).await.unwrap();
    assert!(report.model_count > 0);
    let seen = server.requests();
    assert_eq!(seen[0].credentials["authorization"], &KEY[KEY.len() - 4..]);
    assert_eq!(
        seen[0].credentials["x-team-token"],
        &token[token.len() - 4..]
    );
    assert_eq!(seen[0].headers["x-title"], "switchyard-visible-title");

    // Never in the database files.
    let bytes = db_bytes(&db);
    assert!(
        contains(&bytes, "switchyard-visible-title"),
        "the plain header is in the files, so they were read"
    );
    assert!(!contains(&bytes, &token));
    assert!(!contains(&bytes, KEY));

    // An edit that leaves the value empty keeps it; removing the header deletes the entry.
    let mut edit = ProviderInput {
        name: name.clone(),
        kind: ProviderKind::OpenaiCompatible,
        preset: "custom".into(),
        base_url: server.openai_base(),
        headers: vec![header("Authorization", ""), header("X-Team-Token", "")],
        enabled: true,
    };
    settings.update(&p.id, edit.clone()).await.unwrap();
    settings.test_connection(&p.id).await.unwrap();
    edit.headers.pop();
    settings.update(&p.id, edit).await.unwrap();
    assert_eq!(
        secret_tool_lookup(&header_account(&p.id, "X-Team-Token")),
        None
    );
    settings.remove(&p.id).await.unwrap();
    assert_eq!(
        secret_tool_lookup(&header_account(&p.id, "Authorization")),
        None
    );
}

#[tokio::test]
async fn a_chat_sends_the_secret_header_read_from_the_keychain() {
    if !keyring_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let settings = settings(&dir.path().join("c.db")).await;
    let server = FakeProvider::start(&[KEY]).await.unwrap();
    let token = format!("tok-{}", uuid::Uuid::new_v4().simple());
    let input = ProviderInput {
        name: format!("OpenAI {}", uuid::Uuid::new_v4()),
        kind: ProviderKind::Openai,
        preset: "openai".into(),
        base_url: server.openai_base(),
        headers: vec![header("OpenAI-Project-Key", &token)],
        enabled: true,
    };
    let p = settings.add(input, Some(KEY.into())).await.unwrap();
    let engine = Engine::new(settings.clone(), Executor::new(Policy::default()).unwrap());
    let reply = engine
        .send(
            SendRequest {
                conversation_id: None,
                text: "Summarize: the sky is blue.".into(),
                model: "gpt-4o-mini".into(),
                mode: SendMode::New,
                model_once: false,
                system_prompt: None,
                attachments: Vec::new(),
            },
            SendOptions::from(Source::App),
            |_| {},
            tokio_util::sync::CancellationToken::new(),
        )
        .await
        .unwrap()
        .message;
    assert_eq!(reply.status, MessageStatus::Complete, "{:?}", reply.details);
    let sent = server.requests();
    assert_eq!(
        sent[0].credentials["openai-project-key"],
        &token[token.len() - 4..]
    );
    settings.remove(&p.id).await.unwrap();
}

/// A database written before secret headers: the 0007 migration marked the credential header
/// secret with its value still in the row; opening the settings moves it to the keychain and
/// scrubs it from the files.
#[tokio::test]
async fn values_left_in_the_database_move_to_the_keychain_on_open() {
    if !keyring_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    let settings = settings(&db).await;
    let p = settings
        .add(
            ProviderInput {
                name: format!("Old {}", uuid::Uuid::new_v4()),
                kind: ProviderKind::OpenaiCompatible,
                preset: "custom".into(),
                base_url: "http://127.0.0.1:9/v1".into(),
                headers: vec![],
                enabled: true,
            },
            None,
        )
        .await
        .unwrap();
    let legacy = format!("legacy-{}", uuid::Uuid::new_v4().simple());
    let row = format!(r#"[{{"name":"Cookie","value":"{legacy}","secret":true}}]"#);
    sqlx::query("UPDATE providers SET headers = ? WHERE id = ?")
        .bind(&row)
        .bind(&p.id)
        .execute(settings.store.pool())
        .await
        .unwrap();
    assert!(
        contains(&db_bytes(&db), &legacy),
        "the value starts in the files"
    );

    let warnings = settings.secure_stored_header_values().await.unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        secret_tool_lookup(&header_account(&p.id, "cookie")).as_deref(),
        Some(legacy.as_str())
    );
    assert!(!contains(&db_bytes(&db), &legacy));
    let shown = settings.get(&p.id).await.unwrap();
    assert_eq!(
        shown.headers[0].stored,
        Some(KeyInfo::Set {
            last4: legacy[legacy.len() - 4..].into()
        })
    );
    settings.remove(&p.id).await.unwrap();
}
