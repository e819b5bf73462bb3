//! Secrets never leave the keychain through the CLI: a secret header's value is not printed by
//! `providers list` (table or JSON) and not written to the database file; a base URL with a
//! user name or password is refused.
mod common;
use common::{keyring_available, switchyard, text};

#[test]
fn providers_list_never_prints_a_secret_header_value() {
    if !keyring_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let secret = "Bearer sk-header-never-printed-6e6e";
    let name = format!("Gateway {}", std::process::id());
    let out = switchyard(
        &db,
        &[
            "providers",
            "add",
            "--kind",
            "openai-compatible",
            "--name",
            &name,
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--header",
            &format!("Authorization: {secret}"),
            "--header",
            "X-Title: visible-title",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("never-printed"), "{}", text(&out));

    let table = switchyard(&db, &["providers", "list"], None);
    assert!(table.status.success(), "{}", text(&table));
    let json = switchyard(&db, &["providers", "list", "--json"], None);
    assert!(json.status.success(), "{}", text(&json));
    for out in [&table, &json] {
        assert!(!text(out).contains("never-printed"), "{}", text(out));
    }
    let listed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let headers = &listed[0]["headers"];
    assert_eq!(headers[0]["secret"], true);
    assert_eq!(headers[0]["value"], "");
    assert_eq!(headers[0]["stored"]["last4"], "6e6e");
    assert_eq!(headers[1]["value"], "visible-title");

    let mut bytes = std::fs::read(&db).unwrap();
    bytes.extend(std::fs::read(db.with_extension("db-wal")).unwrap_or_default());
    let found = bytes
        .windows(b"never-printed".len())
        .any(|w| w == b"never-printed");
    assert!(!found, "the secret header value is in the database files");

    let out = switchyard(&db, &["providers", "remove", &name], None);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn a_base_url_with_credentials_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let out = switchyard(
        &db,
        &[
            "providers",
            "add",
            "--kind",
            "openai-compatible",
            "--name",
            "Creds",
            "--base-url",
            "https://alice:pa55word@llm.example.com/v1",
        ],
        None,
    );
    assert!(!out.status.success());
    let said = text(&out);
    assert!(said.contains("API key field"), "{said}");
    assert!(said.contains("system keychain"), "{said}");
    assert!(!said.contains("pa55word"), "{said}");
    let list = switchyard(&db, &["providers", "list", "--json"], None);
    assert_eq!(String::from_utf8_lossy(&list.stdout).trim(), "[]");
}
