//! `switchyard providers` and `switchyard keys` as a user runs them: the real binary, a real SQLite
//! file, and the real Secret Service that `scripts/test` provides.

mod common;
use common::{keyring_available, switchyard, text};

#[test]
fn providers_add_list_remove_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let out = switchyard(
        &db,
        &[
            "providers",
            "add",
            "--kind",
            "anthropic",
            "--name",
            "Claude",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));

    let out = switchyard(
        &db,
        &["providers", "add", "--kind", "openai", "--name", "claude"],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("already exists"), "{}", text(&out));

    let out = switchyard(
        &db,
        &[
            "providers",
            "add",
            "--kind",
            "openai-compatible",
            "--name",
            "Bad",
            "--base-url",
            "ftp://x",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("not an http(s) URL"), "{}", text(&out));

    let out = switchyard(
        &db,
        &[
            "providers",
            "add",
            "--kind",
            "openai-compatible",
            "--name",
            "Local",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(
        text(&out).contains("--base-url is required"),
        "{}",
        text(&out)
    );

    let out = switchyard(&db, &["providers", "list", "--json"], None);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"], "Claude");
    assert_eq!(list[0]["base_url"], "https://api.anthropic.com");

    let out = switchyard(&db, &["providers", "remove", "CLAUDE"], None);
    assert!(out.status.success(), "{}", text(&out));
    let out = switchyard(&db, &["providers", "list"], None);
    assert!(text(&out).contains("No providers"), "{}", text(&out));
}

#[test]
fn keys_are_read_from_stdin_and_kept_out_of_the_database() {
    if !keyring_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("keys.db");
    let out = switchyard(
        &db,
        &["providers", "add", "--kind", "gemini", "--name", "Gem"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));

    let out = switchyard(&db, &["keys", "set", "Gem"], Some("   \n"));
    assert!(!out.status.success());
    assert!(
        text(&out).contains("The API key is empty"),
        "{}",
        text(&out)
    );

    let key = "AIza-cli-secret-value-Q1w2";
    let out = switchyard(&db, &["keys", "set", "Gem"], Some(&format!("{key}\n")));
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains(key));

    let out = switchyard(&db, &["keys", "list"], None);
    assert!(text(&out).contains("••••Q1w2"), "{}", text(&out));
    assert!(!text(&out).contains(key));
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !bytes.windows(key.len()).any(|w| w == key.as_bytes()),
            "key found in a database file"
        );
    }

    let out = switchyard(&db, &["keys", "delete", "Gem"], None);
    assert!(out.status.success(), "{}", text(&out));
    let out = switchyard(&db, &["keys", "list"], None);
    assert!(text(&out).contains("missing"), "{}", text(&out));

    let out = switchyard(&db, &["keys", "set", "Nobody"], Some("k"));
    assert!(!out.status.success());
    assert!(
        text(&out).contains("No provider named 'Nobody'"),
        "{}",
        text(&out)
    );
}
