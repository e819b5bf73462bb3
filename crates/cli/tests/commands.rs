//! CLI behaviours a user meets directly: the hint after `providers add` survives the shell,
//! `spend` names providers and never creates a database, the reading commands work on a
//! read-only database, and `eval` skips a bad line with its file and line number.
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use switchyard_engine::store::calls::{Admission, NewCall};
use switchyard_engine::store::ledger::LedgerRow;
use switchyard_engine::store::Store;

mod common;
use common::{switchyard, text};

fn add_provider(db: &Path, name: &str) -> Output {
    let out = switchyard(
        db,
        &[
            "providers",
            "add",
            "--kind",
            "openai-compatible",
            "--name",
            name,
            "--base-url",
            "http://127.0.0.1:9/v1",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    out
}

fn provider_id(db: &Path, name: &str) -> String {
    let out = switchyard(db, &["providers", "list", "--json"], None);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .map(|p| p["id"].as_str().unwrap().to_string())
        .unwrap()
}

/// One answered call on `provider_id`, written the way the app writes the ledger.
fn record_call(db: &Path, provider_id: &str, provider_name: &str) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::open(db).await.unwrap();
        let at_now = LedgerRow {
            source: "cli".into(),
            provider_id: provider_id.into(),
            provider: provider_name.into(),
            model: "local-model".into(),
            outcome: "answered".into(),
            input_tokens: 10,
            output_tokens: 20,
            cost_nusd: 1_000,
            latency_ms: 50,
            ..LedgerRow::default()
        };
        store.record_usage(&[at_now]).await.unwrap();
        // Everything into the main file now, so a snapshot of it taken later is stable.
        store.checkpoint().await.unwrap();
        store.close().await;
    });
}

#[test]
fn the_hint_after_providers_add_quotes_the_name_for_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let name = "Bob's $HOME `box`";
    let out = add_provider(&db, name);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let command = said
        .split("Set its key with: ")
        .nth(1)
        .expect("a hint")
        .trim();
    assert!(command.starts_with("switchyard keys set "), "{said}");
    // The shell turns the quoted word back into exactly the name.
    let word = command.trim_start_matches("switchyard keys set ");
    let echoed = Command::new("sh")
        .args(["-c", &format!("printf %s {word}")])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&echoed.stdout), name);
}

#[test]
fn spend_with_a_missing_database_fails_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo.db");
    let out = switchyard(&db, &["spend"], None);
    assert!(!out.status.success());
    assert!(text(&out).contains("no database at"), "{}", text(&out));
    assert!(!db.exists());
}

#[test]
fn spend_by_provider_shows_provider_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    add_provider(&db, "Home Ollama");
    let id = provider_id(&db, "Home Ollama");
    record_call(&db, &id, "Home Ollama");
    let out = switchyard(&db, &["spend", "--by", "provider"], None);
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Home Ollama"), "{said}");
    assert!(!said.contains(&id), "{said}");
    // Money in the app's one format in text ($0.000001 for 1,000 nano-dollars); raw in JSON.
    assert!(said.contains("$0.000001 over 1 requests"), "{said}");
    assert!(!said.contains("0.000001000"), "{said}");
    let json = switchyard(&db, &["spend", "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["totals"]["spend_nano_usd"], 1_000);
    assert_eq!(v["totals"]["failed_calls"], 0);
}

/// A run killed mid-call leaves it in flight; `spend` (which only reads) cannot bill it, so it
/// says it is missing, with what it reserved, and which runs will bill it.
#[test]
fn spend_names_the_calls_a_killed_run_left_unbilled() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    add_provider(&db, "Home Ollama");
    let id = provider_id(&db, "Home Ollama");
    let mut child = Command::new("true").spawn().unwrap();
    let dead = child.id();
    child.wait().unwrap();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::open(&db).await.unwrap();
        let call = NewCall {
            row: LedgerRow {
                source: "cli".into(),
                provider_id: id.clone(),
                provider: "Home Ollama".into(),
                model: "local-model".into(),
                attempt: 1,
                ..LedgerRow::default()
            },
            estimate_nusd: 2_500_000,
            lease_secs: 600,
        };
        let Admission::Admitted(call) = store.admit_call(&call, |_| false).await.unwrap() else {
            panic!("not admitted")
        };
        // As the killed run left it: its process is gone.
        sqlx::query("UPDATE calls_in_flight SET pid = ? WHERE id = ?")
            .bind(i64::from(dead))
            .bind(call)
            .execute(store.pool())
            .await
            .unwrap();
        store.checkpoint().await.unwrap();
        store.close().await;
    });
    let out = switchyard(&db, &["spend"], None);
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("1 provider call(s) of runs that ended without finishing are not in these figures yet ($0.0025 reserved)"),
        "{said}"
    );
    let json = switchyard(&db, &["spend", "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["unsettled_calls"], 1);
    assert_eq!(v["unsettled_estimate_nano_usd"], 2_500_000);
    // A run that writes bills it; then nothing is missing.
    let out = switchyard(&db, &["budgets", "list"], None);
    assert!(out.status.success(), "{}", text(&out));
    let said = String::from_utf8_lossy(&switchyard(&db, &["spend"], None).stdout).into_owned();
    assert!(!said.contains("not in these figures"), "{said}");
    assert!(
        said.contains("$0.0025 over 0 requests (1 provider calls"),
        "{said}"
    );
}

/// Runs the CLI as `nobody` when the tests run as root, so the file permissions apply.
fn switchyard_unprivileged(db: &Path, args: &[&str]) -> Output {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !is_root {
        return switchyard(db, args, None);
    }
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_switchyard"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("HOME", "/nonexistent")
        .output()
        .unwrap()
}

#[test]
fn reading_commands_work_on_a_read_only_database() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("cli.db");
    add_provider(&db, "Reader");
    let id = provider_id(&db, "Reader");
    record_call(&db, &id, "Reader");
    let before = std::fs::read(&db).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    // The temporary directory itself is private to its owner; let `nobody` walk through it.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();

    let runs = [
        vec!["spend"],
        vec!["spend", "--by", "provider"],
        vec!["providers", "list"],
        vec!["keys", "list"],
        vec!["route", "Translate hello into French"],
    ];
    let mut outputs = Vec::new();
    for args in &runs {
        let out = switchyard_unprivileged(&db, args);
        outputs.push((args.join(" "), out.status.success(), text(&out)));
    }
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    for (args, ok, said) in &outputs {
        assert!(ok, "`{args}` failed on a read-only database: {said}");
    }
    assert!(outputs[1].2.contains("Reader"), "{}", outputs[1].2);
    assert!(outputs[2].2.contains("Reader"), "{}", outputs[2].2);
    assert!(outputs[4].2.contains("\"model\""), "{}", outputs[4].2);
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the database file was written"
    );
}

#[test]
fn eval_names_the_file_and_line_of_a_bad_row_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = dir.path().join("tasks.jsonl");
    std::fs::write(
        &tasks,
        "{\"prompt\": \"Translate hello into French\", \"accept\": [\"translation\"]}\n\
         {\"prompt\": \"oops\", \"accept\": [\n\
         {\"prompt\": \"Summarize this: the sky is blue.\", \"accept\": [\"summarization\"]}\n",
    )
    .unwrap();
    let db = dir.path().join("unused.db");
    let out = switchyard(&db, &["eval", "--tasks", tasks.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", text(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{} line 2", tasks.display())),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("task accuracy"), "{stdout}");
    assert!(stdout.contains("/2)"), "two rows were measured: {stdout}");
    assert!(!db.exists(), "eval needs no database");
}
